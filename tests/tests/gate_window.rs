//! The handoff gate in the real window: a commercial profile writes a commitment, an operational
//! profile validates it on the same laptop, the gate list shrinks, and the status turns to
//! ready to sign when the last condition is met. Run under Xvfb (see scripts/test.sh).
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

/// Named `window::…`, so the unit-test step skips them and the window step picks them.
mod window {
    use fantoccini::Locator;
    use scopepact_e2e::{add_profile, scenario, scopepact_in, step, App, Error, ANA, CARMEN};

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

    /// The company's thresholds reach a new deal; its value makes it significant; lowering its
    /// margin threshold asks why in the gate, which then shows the override with the reason.
    #[tokio::test]
    async fn a_deal_departing_from_the_company_thresholds_shows_it_in_the_gate() {
        let data = tempfile::tempdir().unwrap();
        add_profile(data.path(), "Ana Ruiz", ANA, "commercial");
        add_profile(data.path(), "Carmen Díaz", CARMEN, "executive");
        for (key, value) in [("significant_value", "100000"), ("min_margin_pct", "12")] {
            scopepact_in(
                data.path(),
                &["--as", CARMEN, "settings", "set", key, value],
            );
        }
        scopepact_in(data.path(), &["--as", ANA, "new", "--title", "Prensa 10"]);
        scenario("thresholds", data.path(), |app| async move {
            step!(app, app.click("[data-testid=open-document]").await);
            step!(
                app,
                app.wait_for_prop("[data-testid=significant-value]", "value", |v| v
                    == "100000")
                    .await
            );
            step!(app, app.fill("[data-testid=deal-value]", "150000").await);
            step!(
                app,
                app.wait_for("[data-testid=significant-by-value]").await
            );
            step!(
                app,
                app.wait_for_prop("[data-testid=significant]", "disabled", |v| v == "true")
                    .await
            );
            step!(app, app.fill("[data-testid=margin-threshold]", "8").await);
            step!(
                app,
                app.wait_for_text("[data-testid=gate]", |t| t.contains(
                    "This deal sets Minimum margin apart from the company's thresholds: say why"
                ))
                .await
            );
            step!(
                app,
                app.fill("[data-testid=thresholds-reason]", "strategic first order")
                    .await
            );
            step!(
                app,
                app.wait_for_text("[data-testid=threshold-overrides]", |t| t
                    .contains("Minimum margin: 8")
                    && t.contains("(company: 12")
                    && t.contains("Why: strategic first order"))
                    .await
            );
            let items = step!(app, gate_items(&app).await);
            if items.iter().any(|i| i.contains("say why")) {
                return Err((app, format!("still unexplained: {items:?}").into()));
            }
            Ok(app)
        })
        .await;
    }
}
