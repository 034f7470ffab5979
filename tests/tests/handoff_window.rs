//! The transfer meeting in the real window: on a significant deal signed by both leads and the
//! customer, the meeting recorded without the customer does not hand the scope off and says
//! why; marked present, it does. Rework on a transferred ambiguity is logged and the customer's
//! score closes the deal. The indicators dashboard then shows the deal, exports its CSV, and its
//! figure leads back to it. Run under Xvfb (see scripts/test.sh).
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

/// Named `window::…`, so the unit-test step skips them and the window step picks them.
mod window {
    use scopepact_e2e::{
        sample_ready_to_sign, scenario, scopepact_in, step, App, Error, ANA, JORG,
    };

    /// Ticks an attendee's "present" box and waits until the stored document shows it.
    async fn mark_present(app: &App, role: &str, present: bool) -> Result<(), Error> {
        let css =
            format!("[data-testid=attendee-row][data-role={role}] [data-testid=attendee-present]");
        let checked = app.wait_for(&css).await?.prop("checked").await?;
        if checked.as_deref() != Some(if present { "true" } else { "false" }) {
            app.click(&css).await?;
        }
        app.wait_for_prop(&css, "checked", |v| {
            v == if present { "true" } else { "false" }
        })
        .await?;
        Ok(())
    }

    #[tokio::test]
    async fn a_meeting_without_the_customer_does_not_hand_off_and_the_dashboard_shows_the_deal() {
        let data = tempfile::tempdir().unwrap();
        let id = sample_ready_to_sign(data.path(), true);
        scopepact_in(data.path(), &["--as", ANA, "sign", &id]);
        scopepact_in(data.path(), &["--as", JORG, "sign", &id]);
        scopepact_in(
            data.path(),
            &[
                "--as",
                ANA,
                "sign",
                &id,
                "--role",
                "customer",
                "--customer-name",
                "Íñigo Fernández",
                "--customer-email",
                "ifernandez@metanorte.example",
            ],
        );

        scenario("handoff", data.path(), |app| async move {
            step!(app, app.click("[data-testid=open-document]").await);
            step!(
                app,
                app.wait_for_text("[data-testid=status]", |t| t == "Signed")
                    .await
            );
            step!(app, app.click("[data-testid=invite-deal]").await);
            step!(
                app,
                app.wait_for("[data-testid=attendee-row][data-role=customer]")
                    .await
            );
            step!(app, mark_present(&app, "commercial_lead", true).await);
            step!(app, mark_present(&app, "operational_lead", true).await);
            step!(
                app,
                app.fill(
                    "[data-testid=meeting-minutes]",
                    "Pit depth confirmed by Jörg."
                )
                .await
            );
            step!(app, app.click("[data-testid=record-held]").await);
            // Held without the customer: still signed, and the reason is shown.
            step!(
                app,
                app.wait_for_text("[data-testid=handoff-reason]", |t| t.contains("customer"))
                    .await
            );
            step!(
                app,
                app.wait_for_text("[data-testid=status]", |t| t == "Signed")
                    .await
            );
            // The customer was there after all.
            step!(app, mark_present(&app, "customer", true).await);
            step!(app, app.wait_for("[data-testid=handoff-done]").await);
            step!(
                app,
                app.wait_for_text("[data-testid=status]", |t| t == "Handed off")
                    .await
            );

            // Rework on the transferred ambiguity, then the customer's score closes the deal.
            step!(
                app,
                app.choose("[data-testid=rework-cause]", "ambiguity").await
            );
            step!(
                app,
                app.choose("[data-testid=rework-ambiguity]", "A-02 (transferred)")
                    .await
            );
            step!(app, app.fill("[data-testid=rework-cost]", "3000").await);
            step!(app, app.fill("[data-testid=rework-hours]", "24").await);
            step!(
                app,
                app.fill(
                    "[data-testid=rework-description]",
                    "Brackets remade for the pit"
                )
                .await
            );
            step!(app, app.click("[data-testid=add-rework]").await);
            step!(
                app,
                app.wait_for_text("[data-testid=rework-row]", |t| t.contains("A-02"))
                    .await
            );
            step!(app, app.fill("[data-testid=satisfaction-score]", "9").await);
            step!(app, app.click("[data-testid=record-satisfaction]").await);
            step!(
                app,
                app.wait_for_text("[data-testid=status]", |t| t == "Closed")
                    .await
            );

            // The dashboard counts it, and the figure leads back to the deal.
            step!(app, app.click("[data-testid=open-dashboard]").await);
            step!(
                app,
                app.wait_for("[data-testid=dashboard] canvas[data-testid=chart-deals]")
                    .await
            );
            let row = "[data-testid=kpi-row][data-group='Ana Ruiz × Jörg Müller']";
            step!(
                app,
                app.wait_for_text(&format!("{row} [data-testid=kpi-attendance]"), |t| t
                    .starts_with("100"))
                    .await
            );
            // The table goes out as CSV.
            step!(app, app.click("[data-testid=kpi-csv]").await);
            let csv_path = step!(
                app,
                app.wait_for_text("[data-testid=kpi-csv-path]", |t| t.ends_with(".csv"))
                    .await
            );
            let csv = std::fs::read_to_string(&csv_path).unwrap_or_default();
            if !csv.starts_with("group,deals,")
                || !csv.contains("Ana Ruiz × Jörg Müller,1,0,0,1,1,1,1,1,24,3000,")
            {
                return Err((app, format!("unexpected CSV at {csv_path}:\n{csv}").into()));
            }
            step!(
                app,
                app.click(&format!("{row} [data-testid=kpi-deals]")).await
            );
            step!(
                app,
                app.wait_for_text("[data-testid=kpi-deal]", |t| t
                    .contains("Servo press line retrofit"))
                    .await
            );
            step!(app, app.click("[data-testid=kpi-deal]").await);
            step!(app, app.wait_for("[data-testid=meeting-held]").await);
            Ok(app)
        })
        .await;

        let status: serde_json::Value =
            serde_json::from_str(&scopepact_in(data.path(), &["status", &id, "--json"])).unwrap();
        assert_eq!(status["status"], "closed", "{status}");
        let kpis: serde_json::Value =
            serde_json::from_str(&scopepact_in(data.path(), &["kpis", "--json"])).unwrap();
        assert_eq!(kpis[0]["handed_off_deals"], 1, "{kpis}");
        assert_eq!(kpis[0]["full_attendance_share"], 1.0, "{kpis}");
        assert_eq!(kpis[0]["rework_cost_per_handed_off_deal"], 3000.0, "{kpis}");
        assert_eq!(
            kpis[0]["rework_share_from_transferred_ambiguities"], 1.0,
            "{kpis}"
        );
        assert_eq!(kpis[0]["avg_customer_satisfaction"], 9.0, "{kpis}");
    }
}
