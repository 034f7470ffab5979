//! The capability library in the real window: a deal was validated and signed; on the next
//! deal the commercial lead types part of a commitment's title, sees what operations validated
//! before (who, when, for whom), inserts it, and the operational lead confirms its verdict in
//! one action. Run under Xvfb (see scripts/test.sh).
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

/// Named `window::…`, so the unit-test step skips them and the window step picks them.
mod window {
    use scopepact_e2e::{sample_ready_to_sign, scenario, scopepact_in, step, ANA, JORG};

    /// The company's settings, a template saved from a signed scope and a deal made from it,
    /// all from the window: the executive sets the significant value, the template keeps the
    /// commitments (all pending on the new deal), which starts from the company's threshold.
    #[tokio::test]
    async fn settings_and_templates_from_the_window() {
        let data = tempfile::tempdir().unwrap();
        let signed = sample_ready_to_sign(data.path(), false);
        scopepact_in(data.path(), &["--as", ANA, "sign", &signed]);
        scopepact_in(data.path(), &["--as", JORG, "sign", &signed]);
        scenario("company", data.path(), |app| async move {
            step!(
                app,
                app.choose("[data-testid=profile-switch]", "Carmen Díaz · Executive")
                    .await
            );
            step!(
                app,
                app.fill("[data-testid=setting-significant_value]", "100000")
                    .await
            );
            step!(app, app.fill("[data-testid=setting-currency]", "usd").await);
            // What the core wrote comes back: the code in capitals; the change is in the
            // history with who made it.
            step!(
                app,
                app.wait_for_prop("[data-testid=setting-currency]", "value", |v| v == "USD")
                    .await
            );
            step!(
                app,
                app.wait_for_text("[data-testid=company-history]", |t| t
                    .contains("Carmen Díaz: set currency")
                    && t.contains("Carmen Díaz: set significant_value"))
                    .await
            );
            // Another profile sees them and cannot change them.
            step!(
                app,
                app.choose("[data-testid=profile-switch]", "Ana Ruiz · Commercial")
                    .await
            );
            step!(
                app,
                app.wait_for_prop("[data-testid=setting-significant_value]", "disabled", |v| {
                    v == "true"
                })
                .await
            );
            step!(app, app.click("[data-testid=open-document]").await);
            step!(
                app,
                app.fill("[data-testid=template-name]", "Press retrofit")
                    .await
            );
            step!(
                app,
                app.fill("[data-testid=template-product-line]", "presses")
                    .await
            );
            step!(app, app.click("[data-testid=save-template]").await);
            step!(
                app,
                app.wait_for_text("[data-testid=template-saved]", |t| t
                    .contains("Saved as the template Press retrofit"))
                    .await
            );
            step!(app, app.click("[data-testid=home]").await);
            step!(
                app,
                app.choose("[data-testid=new-template]", "Press retrofit (presses)")
                    .await
            );
            step!(app, app.fill("[data-testid=new-title]", "Prensa 11").await);
            step!(app, app.click("[data-testid=create]").await);
            step!(
                app,
                app.wait_for_prop("[data-testid=doc-title]", "value", |v| v == "Prensa 11")
                    .await
            );
            step!(
                app,
                app.wait_for_text("[data-testid=commitments]", |t| t
                    .contains("Quick die change system"))
                    .await
            );
            step!(
                app,
                app.wait_for_prop("[data-testid=significant-value]", "value", |v| v
                    == "100000")
                    .await
            );
            step!(
                app,
                app.wait_for_text("[data-testid=gate]", |t| t
                    .contains("C-01 is waiting for operational validation")
                    && t.contains("C-07 is waiting for operational validation"))
                    .await
            );
            Ok(app)
        })
        .await;
    }

    #[tokio::test]
    async fn typing_suggests_what_operations_validated_and_operations_confirms_it() {
        let data = tempfile::tempdir().unwrap();
        let signed = sample_ready_to_sign(data.path(), false);
        scopepact_in(data.path(), &["--as", ANA, "sign", &signed]);
        scopepact_in(data.path(), &["--as", JORG, "sign", &signed]);
        // Created last: first in the list.
        scopepact_in(data.path(), &["--as", ANA, "new", "--title", "Prensa 9"]);
        scenario("library", data.path(), |app| async move {
            step!(app, app.click("[data-testid=open-document]").await);
            step!(
                app,
                app.wait_for_prop("[data-testid=doc-title]", "value", |v| v == "Prensa 9")
                    .await
            );
            let title = step!(app, app.wait_for("[data-testid=new-commitment-title]").await);
            step!(app, title.send_keys("quick di").await);
            step!(
                app,
                app.wait_for_text("[data-testid=library-suggestions]", |t| {
                    t.contains("Quick die change system")
                        && t.contains(
                            "validated feasible by Jörg Müller on 2026-11-20 for Metalúrgica del Norte S.A.",
                        )
                })
                .await
            );
            step!(app, app.click("[data-testid=library-suggestion]").await);
            step!(
                app,
                app.wait_for_text("[data-testid=commitments]", |t| t
                    .contains("Quick die change system"))
                    .await
            );
            step!(
                app,
                app.wait_for_text("[data-testid=library-origin]", |t| t
                    .contains("by Jörg Müller on 2026-11-20"))
                    .await
            );
            step!(
                app,
                app.wait_for_text("[data-testid=detail-verdict]", |t| t.contains("pending"))
                    .await
            );
            // Operations confirms the earlier verdict in one action.
            step!(
                app,
                app.choose("[data-testid=profile-switch]", "Jörg Müller · Operational")
                    .await
            );
            step!(app, app.click("[data-testid=confirm-from-library]").await);
            step!(
                app,
                app.wait_for_text("[data-testid=detail-verdict]", |t| t.contains("feasible"))
                    .await
            );
            step!(app, app.wait_for("[data-testid=confirmed-from-library]").await);
            // Operations retires the entry: it is suggested no more.
            step!(app, app.fill("[data-testid=retire-reason]", "supplier changed").await);
            step!(app, app.click("[data-testid=retire-entry]").await);
            step!(app, app.wait_for("[data-testid=entry-retired]").await);
            let title = step!(app, app.wait_for("[data-testid=new-commitment-title]").await);
            step!(app, title.send_keys("quick di").await);
            tokio::time::sleep(std::time::Duration::from_millis(800)).await;
            let suggested = app
                .client
                .find(fantoccini::Locator::Css("[data-testid=library-suggestion]"))
                .await
                .is_ok();
            if suggested {
                return Err((app, "a retired entry is still suggested".into()));
            }
            Ok(app)
        })
        .await;
    }
}
