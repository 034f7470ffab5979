//! The scope editor as a team uses it on the imported sample: filters, the keyboard, the
//! economics flags, the ambiguity register, the gate's links and an executive override.
//! Run under Xvfb (see scripts/test.sh).
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

/// Named `window::…`, so the unit-test step skips them and the window step picks them.
mod window {
    use fantoccini::Locator;
    use scopepact_e2e::{add_profile, repo_root, scenario, scopepact_in, step, App, Error};

    async fn count(app: &App, css: &str) -> Result<usize, Error> {
        Ok(app.client.find_all(Locator::Css(css)).await?.len())
    }

    /// Waits until `css` matches exactly `n` elements.
    async fn wait_count(app: &App, css: &str, n: usize) -> Result<(), Error> {
        for _ in 0..100 {
            if count(app, css).await? == n {
                return Ok(());
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        Err(format!("{css}: expected {n}, found {}", count(app, css).await?).into())
    }

    /// The `data-testid` (or id) of the focused element.
    async fn focused(app: &App) -> Result<String, Error> {
        let value = app
            .client
            .execute(
                "const e = document.activeElement; return (e.dataset.testid || e.id || e.tagName) + (e.dataset.row !== undefined ? '@' + e.dataset.row : '') + (e.dataset.ref !== undefined ? '#' + e.dataset.ref : '');",
                vec![],
            )
            .await?;
        Ok(value.as_str().unwrap_or_default().to_string())
    }

    async fn click(app: &App, css: &str) -> Result<(), Error> {
        app.wait_for(css).await?.click().await?;
        Ok(())
    }

    /// Focuses an input with its text selected, as moving into a grid cell with ↑/↓ leaves it.
    async fn select_all(app: &App, input: &fantoccini::elements::Element) -> Result<(), Error> {
        app.client
            .execute(
                "arguments[0].focus(); arguments[0].select();",
                vec![serde_json::to_value(input)?],
            )
            .await?;
        Ok(())
    }

    /// A date picker's value, as choosing a date in it does.
    async fn pick_date(app: &App, css: &str, date: &str) -> Result<(), Error> {
        let input = app.wait_for(css).await?;
        app.client
            .execute(
                "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
                vec![serde_json::to_value(&input)?, date.into()],
            )
            .await?;
        Ok(())
    }

    #[tokio::test]
    async fn the_team_works_the_register_filters_keyboard_and_gate_of_the_sample() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        add_profile(&data, "Ana Ruiz", "ana@pressworks.example", "commercial");
        add_profile(
            &data,
            "Carmen Díaz",
            "c.diaz@pressworks.example",
            "executive",
        );
        scopepact_in(
            &data,
            &[
                "import",
                repo_root()
                    .join("tests/fixtures/press-line-retrofit.json")
                    .to_str()
                    .unwrap(),
            ],
        );

        scenario("register", &data, |app| async move {
            step!(app, click(&app, "[data-testid=open-document]").await);
            step!(app, wait_count(&app, "[data-testid=gate] > li", 8).await);

            // Filters.
            step!(app, click(&app, "[data-testid=filter-pending]").await);
            step!(
                app,
                wait_count(&app, "[data-testid=commitment-row]", 4).await
            );
            step!(app, click(&app, "[data-testid=filter-conditional]").await);
            step!(
                app,
                wait_count(&app, "[data-testid=commitment-row]", 1).await
            );
            step!(app, click(&app, "[data-testid=filter-mine]").await); // written by the commercial side
            step!(
                app,
                wait_count(&app, "[data-testid=commitment-row]", 5).await
            );
            step!(app, click(&app, "[data-testid=filter-all]").await);
            step!(
                app,
                wait_count(&app, "[data-testid=commitment-row]", 7).await
            );

            // Keyboard: Alt+N to the new row, type, Enter adds it.
            let body = step!(app, app.client.find(Locator::Css("body")).await);
            step!(app, body.send_keys("\u{E00A}n\u{E000}").await);
            let now = step!(app, focused(&app).await);
            if now != "new-commitment-title" {
                return Err((
                    app,
                    format!("Alt+N should focus the new commitment's title, focus is on {now}")
                        .into(),
                ));
            }
            let input = step!(
                app,
                app.wait_for("[data-testid=new-commitment-title]").await
            );
            step!(app, input.send_keys("Schulung für Bediener\u{E007}").await);
            step!(
                app,
                wait_count(&app, "[data-testid=commitment-row]", 8).await
            );
            // ↓ moves between rows; Enter in a price cell saves and goes down.
            step!(
                app,
                click(
                    &app,
                    "[data-testid=commitment-row][data-ref=C-01] [data-testid=commitment-title]"
                )
                .await
            );
            let title = step!(
                app,
                app.wait_for(
                    "[data-testid=commitment-row][data-ref=C-01] [data-testid=commitment-title]"
                )
                .await
            );
            step!(app, title.send_keys("\u{E015}").await);
            let now = step!(app, focused(&app).await);
            if now != "commitment-title@1" {
                return Err((
                    app,
                    format!("↓ should move to the second row, focus is on {now}").into(),
                ));
            }
            let price = step!(
                app,
                app.wait_for(
                    "[data-testid=commitment-row][data-ref=C-01] [data-testid=cell-price]"
                )
                .await
            );
            // Replace the value as a person does: select it, type (a WebDriver clear() would save
            // an empty value first).
            step!(app, select_all(&app, &price).await);
            step!(app, price.send_keys("905000\u{E007}").await);
            step!(
                app,
                app.wait_for_text("[data-testid=commitment-row][data-ref=C-01]", |t| t
                    .contains("905"))
                    .await
            );
            let now = step!(app, focused(&app).await);
            if now != "cell-price@1" {
                return Err((
                    app,
                    format!("Enter should save and go down, focus is on {now}").into(),
                ));
            }

            // Economics: C-04 and C-07 cost more than their price; C-02 joins them.
            step!(
                app,
                wait_count(&app, "[data-testid=cost-over-price]", 2).await
            );
            let cost = step!(
                app,
                app.wait_for("[data-testid=commitment-row][data-ref=C-02] [data-testid=cell-cost]")
                    .await
            );
            step!(app, select_all(&app, &cost).await);
            step!(app, cost.send_keys("200000\u{E004}").await);
            step!(
                app,
                wait_count(&app, "[data-testid=cost-over-price]", 3).await
            );

            // The register: transfer A-02 with an owner and a date, raise a new question.
            step!(
                app,
                click(&app, "[data-ref=A-02] [data-testid=ambiguity-transfer]").await
            );
            step!(
                app,
                app.fill("[data-testid=ambiguity-owner]", "Jörg Müller")
                    .await
            );
            step!(
                app,
                pick_date(&app, "[data-testid=ambiguity-due]", "2027-01-15").await
            );
            step!(app, click(&app, "[data-testid=ambiguity-submit]").await);
            step!(
                app,
                app.wait_for_text("[data-ref=A-02] [data-testid=ambiguity-status]", |t| t
                    == "transferred")
                    .await
            );
            step!(
                app,
                app.fill(
                    "[data-testid=new-question]",
                    "¿Quién retira la prensa antigua?"
                )
                .await
            );
            step!(
                app,
                app.fill("[data-testid=new-question-links]", "c-01").await
            );
            step!(app, click(&app, "[data-testid=raise]").await);
            step!(
                app,
                app.wait_for("[data-testid=ambiguity-row][data-ref=A-04]")
                    .await
            );

            // A gate condition links to what fixes it.
            step!(
                app,
                click(
                    &app,
                    "[data-testid=gate] > li[data-ref=A-01] [data-testid=gate-reason]"
                )
                .await
            );
            let now = step!(app, focused(&app).await);
            if now != "ambiguity-row#A-01" {
                return Err((
                    app,
                    format!("the A-01 condition should lead to its row, focus is on {now}").into(),
                ));
            }

            // The executive overrides the economics, with a written reason.
            if step!(app, count(&app, "[data-testid=override-start]").await) != 0 {
                return Err((app, "only an executive is offered overrides".into()));
            }
            step!(
                app,
                app.choose("[data-testid=profile-switch]", "Carmen Díaz · Executive")
                    .await
            );
            step!(
                app,
                click(
                    &app,
                    "[data-code=margin_below_threshold] [data-testid=override-start]"
                )
                .await
            );
            step!(
                app,
                app.fill(
                    "[data-testid=override-reason]",
                    "Cliente estratégico: primera retrofit en Asturias"
                )
                .await
            );
            step!(app, click(&app, "[data-testid=override-submit]").await);
            step!(
                app,
                app.wait_for_text("[data-testid=overrides]", |t| t.contains("Carmen Díaz")
                    && t.contains("Asturias"))
                    .await
            );
            step!(
                app,
                wait_count(&app, "[data-code=margin_below_threshold]", 0).await
            );
            Ok(app)
        })
        .await;
    }
}
