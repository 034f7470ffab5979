//! Co-signature in the real window: on one laptop the commercial lead signs (drawing on the
//! pad), the operational lead switches to his profile and signs too, and the scope is signed
//! and sealed: an edit is then refused with the way out. Run under Xvfb (see scripts/test.sh).
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

/// Named `window::…`, so the unit-test step skips them and the window step picks them.
mod window {
    use std::time::Duration;

    use fantoccini::actions::{InputSource, MouseActions, PointerAction, MOUSE_BUTTON_LEFT};
    use scopepact_e2e::{
        sample_ready_to_sign, scenario, scopepact, scopepact_in, step, App, Error,
    };

    /// Draws a signature-like stroke across the pad with the mouse.
    async fn draw(app: &App) -> Result<(), Error> {
        let pad = app.wait_for("[data-testid=signature-pad]").await?;
        let step = |x: f64, y: f64| PointerAction::MoveToElement {
            element: pad.clone(),
            duration: Some(Duration::from_millis(40)),
            x,
            y,
        };
        let stroke = MouseActions::new("pen".into())
            .then(step(-150.0, 10.0))
            .then(PointerAction::Down {
                button: MOUSE_BUTTON_LEFT,
            })
            .then(step(-90.0, -30.0))
            .then(step(-30.0, 25.0))
            .then(step(40.0, -20.0))
            .then(step(120.0, 15.0))
            .then(PointerAction::Up {
                button: MOUSE_BUTTON_LEFT,
            });
        app.client.perform_actions(stroke).await?;
        Ok(())
    }

    async fn sign_as(app: &App, role: &str, name: &str) -> Result<(), Error> {
        app.wait_for(&format!("[data-testid=sign-as-{role}]"))
            .await?
            .click()
            .await?;
        app.fill("[data-testid=sign-name]", name).await?;
        draw(app).await?;
        app.wait_for("[data-testid=confirm-sign]")
            .await?
            .click()
            .await?;
        app.wait_for_text(&format!("[data-testid=signature-{role}]"), |t| {
            t.contains(name)
        })
        .await?;
        Ok(())
    }

    #[tokio::test]
    async fn two_leads_sign_on_one_laptop_and_the_scope_is_sealed() {
        let data = tempfile::tempdir().unwrap();
        // Not significant: the two leads sign.
        sample_ready_to_sign(data.path(), false);
        scenario("sign", data.path(), |app| async move {
            step!(
                app,
                step!(app, app.wait_for("[data-testid=open-document]").await)
                    .click()
                    .await
            );
            step!(app, sign_as(&app, "commercial_lead", "Ana Ruiz").await);
            // The drawing is kept as vector strokes and shown back.
            let path = step!(
                app,
                app.wait_for("[data-testid=signature-commercial_lead] path")
                    .await
            );
            let d = step!(app, path.attr("d").await).unwrap_or_default();
            if d.matches('L').count() < 3 {
                return Err((
                    app,
                    format!("the drawn signature was not kept: {d:?}").into(),
                ));
            }
            step!(
                app,
                app.choose("[data-testid=profile-switch]", "Jörg Müller · Operational")
                    .await
            );
            step!(app, sign_as(&app, "operational_lead", "Jörg Müller").await);
            step!(app, app.wait_for("[data-testid=sealed]").await);
            // Export: the PDF is written, and it verifies.
            step!(app, app.choose("[data-testid=paper]", "Letter").await);
            step!(
                app,
                step!(app, app.wait_for("[data-testid=export-pdf]").await)
                    .click()
                    .await
            );
            let shown = step!(app, app.wait_for("[data-testid=exported-path]").await);
            let path = step!(app, shown.text().await);
            let verified = scopepact(&["verify", &path]);
            if !verified.contains(": valid") || !verified.contains("Jörg Müller") {
                return Err((
                    app,
                    format!("the exported PDF does not verify: {verified}").into(),
                ));
            }
            let info = std::process::Command::new("pdfinfo").arg(&path).output();
            if !info.is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("612 x 792")) {
                return Err((app, "the PDF is not on Letter paper".into()));
            }
            // Ana, the other lead, adds her signature to the PDF on this laptop.
            step!(
                app,
                app.choose("[data-testid=profile-switch]", "Ana Ruiz · Commercial")
                    .await
            );
            step!(app, app.click("[data-testid=countersign-exported]").await);
            step!(
                app,
                app.wait_for_text("[data-testid=countersigned]", |t| t
                    .contains("Commercial lead"))
                    .await
            );
            let verified = scopepact(&["verify", &path]);
            let countersigned = verified.lines().any(|l| {
                l.starts_with("PDF signature\tCommercial lead\tAna Ruiz") && l.ends_with("valid")
            });
            if !countersigned {
                return Err((
                    app,
                    format!("Ana's PDF signature is not in the file: {verified}").into(),
                ));
            }
            step!(
                app,
                app.choose("[data-testid=profile-switch]", "Jörg Müller · Operational")
                    .await
            );
            // Sealed: an edit is refused, and the notice says how to change a signed scope.
            step!(
                app,
                app.fill("[data-testid=customer-site]", "Planta 2").await
            );
            step!(
                app,
                app.wait_for_text("[data-testid=notice]", |t| t.contains("amendment"))
                    .await
            );
            Ok(app)
        })
        .await;
        let listed: serde_json::Value =
            serde_json::from_str(&scopepact_in(data.path(), &["list", "--json"])).unwrap();
        assert_eq!(listed[0]["status"], "signed", "{listed}");
    }
}
