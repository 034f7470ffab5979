//! The handoff gate in the real window: a commercial profile writes a commitment, an operational
//! profile validates it on the same laptop, the gate list shrinks, and the status turns to
//! ready to sign when the last condition is met. Run under Xvfb (see scripts/test.sh).
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

/// Named `window::…`, so the unit-test step skips them and the window step picks them.
mod window {
    use fantoccini::Locator;
    use scopepact_e2e::{scenario, step, App, Error};

    async fn gate_items(app: &App) -> Result<Vec<String>, Error> {
        let mut items = vec![];
        for li in app
            .client
            .find_all(Locator::Css("[data-testid=gate] > li"))
            .await?
        {
            items.push(li.text().await?);
        }
        Ok(items)
    }

    async fn click(app: &App, css: &str) -> Result<(), Error> {
        app.wait_for(css).await?.click().await?;
        Ok(())
    }

    #[tokio::test]
    async fn sales_writes_operations_validates_and_the_gate_opens() {
        let data = tempfile::tempdir().unwrap();
        scenario("gate", data.path(), |app| async move {
            // Ana, commercial, writes the scope.
            step!(
                app,
                app.create_profile("Ana Ruiz", "ana.ruiz@pressworks.example", "Commercial")
                    .await
            );
            step!(
                app,
                app.fill("[data-testid=new-title]", "Prensa 5 — Übergabe")
                    .await
            );
            step!(app, click(&app, "[data-testid=create]").await);
            step!(
                app,
                app.fill_required_header(
                    "Metalúrgica del Norte S.A.",
                    "100000",
                    "Ana Ruiz",
                    "Jörg Müller"
                )
                .await
            );
            let input = step!(
                app,
                app.wait_for("[data-testid=new-commitment-title]").await
            );
            step!(app, input.send_keys("Größe Ñandú ±0.02 mm\u{E007}").await);
            step!(app, app.fill("[data-testid=detail-price]", "50000").await);
            step!(app, app.fill("[data-testid=detail-cost]", "30000").await);
            step!(
                app,
                app.wait_for_text("[data-testid=status]", |t| t == "In validation")
                    .await
            );
            let items = step!(app, gate_items(&app).await);
            if items.len() != 1 || !items[0].contains("C-01") {
                return Err((
                    app,
                    format!("expected only C-01's validation in the gate: {items:?}").into(),
                ));
            }
            // Only operations gives verdicts: Ana sees why, not the buttons.
            step!(
                app,
                app.wait_for_text("[data-testid=validation-box]", |t| t
                    .contains("Only an operational profile"))
                    .await
            );

            // Jörg, operational, joins on the same laptop and validates.
            step!(
                app,
                app.choose("[data-testid=profile-switch]", "Add profile…")
                    .await
            );
            step!(
                app,
                app.create_profile("Jörg Müller", "j.mueller@pressworks.example", "Operational")
                    .await
            );
            step!(app, click(&app, "[data-testid=commitment-title]").await);
            step!(app, click(&app, "[data-testid=verdict-feasible]").await);
            step!(app, app.wait_for("[data-testid=gate-clear]").await);
            step!(
                app,
                app.wait_for_text("[data-testid=status]", |t| t == "Ready to sign")
                    .await
            );
            step!(
                app,
                app.wait_for_text("[data-testid=history]", |t| t.contains("Jörg Müller")
                    && t.contains("Ana Ruiz"))
                    .await
            );

            // Jörg adds an assumption: the gate grows by one condition only the other side can meet.
            let input = step!(app, app.wait_for("[data-testid=new-assumption]").await);
            step!(
                app,
                input
                    .send_keys("Kundenseitiger Kran für die Montage verfügbar\u{E007}")
                    .await
            );
            step!(
                app,
                app.wait_for_text("[data-testid=status]", |t| t == "In validation")
                    .await
            );
            let items = step!(app, gate_items(&app).await);
            if items.len() != 1 || !items[0].contains("Assumption 1") {
                return Err((
                    app,
                    format!("expected the assumption in the gate: {items:?}").into(),
                ));
            }
            if !app
                .client
                .find_all(Locator::Css("[data-testid=agree]"))
                .await
                .map(|v| v.is_empty())
                .unwrap_or(false)
            {
                return Err((app, "the author's side must not be offered to agree".into()));
            }

            // Back to Ana, who agrees: the last condition is met.
            step!(
                app,
                app.choose("[data-testid=profile-switch]", "Ana Ruiz · Commercial")
                    .await
            );
            step!(app, click(&app, "[data-testid=agree]").await);
            step!(
                app,
                app.wait_for_text("[data-testid=status]", |t| t == "Ready to sign")
                    .await
            );

            // In Spanish, with its accents.
            step!(app, app.choose("[data-testid=language]", "Español").await);
            step!(
                app,
                app.wait_for_text("[data-testid=status]", |t| t == "Listo para firmar")
                    .await
            );
            step!(
                app,
                app.wait_for_text("[data-testid=gate-panel]", |t| t
                    .contains("Puerta de validación"))
                    .await
            );
            app.screenshot("spanish").await; // kept in test-output/ for a human look

            step!(app, app.choose("[data-testid=language]", "English").await);
            Ok(app)
        })
        .await;
    }
}
