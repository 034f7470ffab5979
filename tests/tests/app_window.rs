//! The real ScopePact window, driven as a person would use it. Run under Xvfb with
//! `--test-threads=1` (see scripts/test.sh). A failing step saves a screenshot in test-output/.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

/// Named `window::…`, so the unit-test step skips them and the window step picks them.
mod window {
    use fantoccini::Locator;
    use scopepact_e2e::{scenario, step, App, Error};

    const TITLE: &str = "Línea 3 — Größe";
    const COMMITMENT: &str = "Größe Ñandú ±0.02 mm";

    async fn commitment_titles(app: &App) -> Result<Vec<String>, Error> {
        let mut titles = vec![];
        for element in app
            .client
            .find_all(Locator::Css("[data-testid=commitment-title]"))
            .await?
        {
            titles.push(element.text().await?);
        }
        Ok(titles)
    }

    #[tokio::test]
    async fn a_document_created_in_the_window_is_there_after_a_restart() {
        let data = tempfile::tempdir().unwrap();

        scenario("create", data.path(), |app| async move {
            step!(
                app,
                app.create_profile("Ana Ruiz", "ana.ruiz@pressworks.example", "Commercial")
                    .await
            );
            step!(
                app,
                app.wait_for_text("body", |t| t.contains("No scope documents yet"))
                    .await
            );
            // A window where nothing moves gives a screenshot, and answers after it (it gave
            // none and answered nothing more: see `App::screenshot`).
            tokio::time::sleep(std::time::Duration::from_secs(2)).await;
            assert!(
                app.screenshot("still").await.is_some(),
                "no screenshot of a still window"
            );
            step!(app, app.fill("[data-testid=new-title]", TITLE).await);
            step!(
                app,
                step!(app, app.wait_for("[data-testid=create]").await)
                    .click()
                    .await
            );
            step!(app, app.wait_for("[data-testid=editor]").await);
            step!(
                app,
                app.fill_required_header(
                    "Metalúrgica del Norte S.A.",
                    "1240000",
                    "Ana Ruiz",
                    "Jörg Müller"
                )
                .await
            );

            // Add the commitment from the keyboard: type the title and press Enter.
            let input = step!(
                app,
                app.wait_for("[data-testid=new-commitment-title]").await
            );
            step!(app, input.send_keys(&format!("{COMMITMENT}\u{E007}")).await);
            step!(
                app,
                app.wait_for_text("[data-testid=commitments]", |t| t.contains(COMMITMENT))
                    .await
            );
            // Adding selects the new commitment: fill its detail.
            step!(app, app.wait_for("[data-testid=commitment-detail]").await);
            step!(
                app,
                app.fill(
                    "[data-testid=detail-description]",
                    "Spindel mit Übergröße; tolerancia ±0,02 mm"
                )
                .await
            );
            step!(app, app.fill("[data-testid=detail-price]", "18500").await);
            step!(
                app,
                app.wait_for_text("[data-testid=commitments]", |t| t.contains("18,500")
                    || t.contains("18.500")
                    || t.contains("18500"))
                    .await
            );
            // With header and one commitment the document leaves draft.
            step!(
                app,
                app.wait_for_text("[data-testid=status]", |t| t == "In validation")
                    .await
            );
            Ok(app)
        })
        .await;

        // Quit, relaunch on the same data directory: everything is there.
        scenario("relaunch", data.path(), |app| async move {
            let list = step!(
                app,
                app.wait_for_text("[data-testid=documents]", |t| t.contains(TITLE))
                    .await
            );
            // The value's grouping follows the WebView's locale; compare the digits only.
            let digits: String = list.chars().filter(char::is_ascii_digit).collect();
            if !(list.contains("Metalúrgica del Norte S.A.")
                && list.contains("In validation")
                && digits.contains("1240000"))
            {
                return Err((
                    app,
                    format!("the list lacks customer, status or value: {list}").into(),
                ));
            }
            step!(
                app,
                step!(app, app.wait_for("[data-testid=open-document]").await)
                    .click()
                    .await
            );
            step!(
                app,
                app.wait_for_text("[data-testid=commitments]", |t| t.contains(COMMITMENT))
                    .await
            );
            step!(
                app,
                step!(app, app.wait_for("[data-testid=commitment-title]").await)
                    .click()
                    .await
            );
            let description = step!(app, app.wait_for("[data-testid=detail-description]").await);
            let text = step!(app, description.prop("value").await).unwrap_or_default();
            if text != "Spindel mit Übergröße; tolerancia ±0,02 mm" {
                return Err((app, format!("description lost: {text:?}").into()));
            }
            Ok(app)
        })
        .await;
    }

    #[tokio::test]
    async fn commitments_are_reordered_and_deleted_in_the_window() {
        let data = tempfile::tempdir().unwrap();
        scenario("reorder", data.path(), |app| async move {
            step!(
                app,
                app.create_profile("Jörg Müller", "j.mueller@pressworks.example", "Operational")
                    .await
            );
            step!(
                app,
                app.fill("[data-testid=new-title]", "Reorder test").await
            );
            step!(
                app,
                step!(app, app.wait_for("[data-testid=create]").await)
                    .click()
                    .await
            );
            for title in ["First", "Second", "Third"] {
                let input = step!(
                    app,
                    app.wait_for("[data-testid=new-commitment-title]").await
                );
                step!(app, input.send_keys(&format!("{title}\u{E007}")).await);
                step!(
                    app,
                    app.wait_for_text("[data-testid=commitments]", |t| t.contains(title))
                        .await
                );
            }
            if step!(app, commitment_titles(&app).await) != ["First", "Second", "Third"] {
                return Err((app, "unexpected initial order".into()));
            }
            // Move "Third" up once, then delete "First" (with its confirmation).
            let ups = step!(
                app,
                app.client
                    .find_all(Locator::Css("[data-testid=move-up]"))
                    .await
            );
            step!(app, ups[2].click().await);
            step!(
                app,
                app.wait_for_text("[data-testid=commitments]", |t| t.find("Third")
                    < t.find("Second"))
                    .await
            );
            let deletes = step!(
                app,
                app.client
                    .find_all(Locator::Css("[data-testid=delete]"))
                    .await
            );
            step!(app, deletes[0].click().await);
            step!(
                app,
                step!(app, app.wait_for("[data-testid=confirm-delete]").await)
                    .click()
                    .await
            );
            step!(
                app,
                app.wait_for_text("[data-testid=commitments]", |t| !t.contains("First"))
                    .await
            );
            let titles = step!(app, commitment_titles(&app).await);
            if titles != ["Third", "Second"] {
                return Err((
                    app,
                    format!("unexpected order after move and delete: {titles:?}").into(),
                ));
            }
            // A refused edit shows the core's message and keeps the stored value.
            step!(app, app.fill("[data-testid=currency]", "E1").await);
            step!(
                app,
                app.wait_for_text("[data-testid=notice]", |t| t.contains("ISO 4217"))
                    .await
            );
            Ok(app)
        })
        .await;
    }
}
