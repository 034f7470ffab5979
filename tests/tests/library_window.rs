//! The capability library in the real window: a deal was validated and signed; on the next
//! deal the commercial lead types part of a commitment's title, sees what operations validated
//! before (who, when, for whom), inserts it, and the operational lead confirms its verdict in
//! one action. Run under Xvfb (see scripts/test.sh).
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

/// Named `window::…`, so the unit-test step skips them and the window step picks them.
mod window {
    use scopepact_e2e::{sample_ready_to_sign, scenario, scopepact_in, step, ANA, JORG};

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
            Ok(app)
        })
        .await;
    }
}
