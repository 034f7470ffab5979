//! Two app instances (two laptops, separate data directories) and one real sync server: a
//! document made in one appears in the other, edits follow as they are made (each app keeps
//! a live session), each sees who else has the document open and where, the indicator says
//! `offline` when the server goes away, and both reconnect by themselves when it is back. Run under Xvfb (see scripts/test.sh).
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

/// Named `window::…`, so the unit-test step skips them and the window step picks them.
mod window {

    use std::time::{Duration, Instant};

    use scopepact_e2e::{free_port, scopepact_in, App, Error, SyncServer};

    async fn laptop_a(app: &App, url: &str, token: &str) -> Result<(), Error> {
        app.create_profile("Ana Ruiz", "ana.ruiz@pressworks.example", "Commercial")
            .await?;
        app.connect_sync(url, token).await?;
        app.fill("[data-testid=new-title]", "Prensa 7 — Überholung")
            .await?;
        app.wait_for("[data-testid=create]").await?.click().await?;
        app.fill("[data-testid=customer-name]", "Metalúrgica del Norte S.A.")
            .await?;
        // Nothing left to send once the next sync ran.
        app.wait_for_text("[data-testid=sync-status]", |t| {
            t.contains("Synced") && !t.contains("not yet")
        })
        .await?;
        Ok(())
    }

    async fn laptop_b(app: &App, url: &str, token: &str) -> Result<(), Error> {
        app.create_profile("Jörg Müller", "j.mueller@pressworks.example", "Operational")
            .await?;
        app.connect_sync(url, token).await?;
        // Made on the other laptop, it arrives in the list by itself.
        app.wait_for_text("[data-testid=documents]", |t| {
            t.contains("Prensa 7 — Überholung")
        })
        .await?;
        app.wait_for("[data-testid=open-document]")
            .await?
            .click()
            .await?;
        app.wait_for_prop("[data-testid=customer-name]", "value", |v| {
            v == "Metalúrgica del Norte S.A."
        })
        .await?;
        Ok(())
    }

    #[tokio::test]
    async fn an_edit_on_one_laptop_reaches_the_other_and_offline_is_shown() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("server.sqlite3");
        let (token_a, token_b) = (
            SyncServer::invite(&db, "laptop-ana"),
            SyncServer::invite(&db, "laptop-jorg"),
        );
        let port = free_port().unwrap();
        let server = SyncServer::start(&db, port).unwrap();
        let url = server.url.clone();

        let a = App::launch(&dir.path().join("a"), "sync-a").await.unwrap();
        let b = App::launch(&dir.path().join("b"), "sync-b").await.unwrap();
        let result = async {
            laptop_a(&a, &url, &token_a).await?;
            laptop_b(&b, &url, &token_b).await?;
            // An edit on A appears in B's open document.
            a.fill("[data-testid=customer-site]", "Planta Avilés")
                .await?;
            b.wait_for_prop("[data-testid=customer-site]", "value", |v| {
                v == "Planta Avilés"
            })
            .await?;
            // A commitment made on A reaches B.
            let input = a.wait_for("[data-testid=new-commitment-title]").await?;
            input
                .send_keys("Hydraulic power unit 250 bar\u{E007}")
                .await?;
            b.wait_for_text("[data-testid=commitments]", |t| {
                t.contains("Hydraulic power unit 250 bar")
            })
            .await?;
            // B is typing in a field (not left yet) when A's edit of it arrives: what B typed
            // stays under the cursor; leaving the field saves it, and A then sees it.
            let field = b.wait_for("[data-testid=customer-name]").await?;
            field.clear().await?;
            field.send_keys("Metalúrgica del Sur").await?;
            a.fill(
                "[data-testid=customer-name]",
                "Metalúrgica del Norte y Asociados",
            )
            .await?;
            let deadline = Instant::now() + Duration::from_secs(20);
            while !scopepact_in(&dir.path().join("b"), &["list", "--json"])
                .contains("Metalúrgica del Norte y Asociados")
            {
                assert!(
                    Instant::now() < deadline,
                    "A's edit never reached B's store"
                );
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            // Time for B's window to have reloaded, were it going to.
            tokio::time::sleep(Duration::from_millis(500)).await;
            let under_cursor = field.prop("value").await?.unwrap_or_default();
            assert_eq!(
                under_cursor, "Metalúrgica del Sur",
                "B's typing was overwritten"
            );
            field.send_keys("\u{E004}").await?;
            a.wait_for_prop("[data-testid=customer-name]", "value", |v| {
                v == "Metalúrgica del Sur"
            })
            .await?;
            // Presence: each sees the other in the document; A opens the commitment and B
            // sees where she is; A leaves the document and B sees her go within seconds.
            a.wait_for_text("[data-testid=presence]", |t| {
                t.contains("Jörg Müller") && t.contains("Operational")
            })
            .await?;
            a.wait_for("[data-testid=commitment-title]")
                .await?
                .click()
                .await?;
            b.wait_for_text("[data-testid=presence]", |t| {
                t.contains("Ana Ruiz") && t.contains("Commercial") && t.contains("on C-01")
            })
            .await?;
            a.click("[data-testid=back]").await?;
            b.wait_for_text("[data-testid=editor]", |t| !t.contains("Ana Ruiz"))
                .await?;
            a.wait_for("[data-testid=open-document]")
                .await?
                .click()
                .await?;
            b.wait_for_text("[data-testid=presence]", |t| t.contains("Ana Ruiz"))
                .await?;
            // The server goes away: both say offline, and editing goes on.
            drop(server);
            a.wait_sync_state("offline").await?;
            b.wait_sync_state("offline").await?;
            a.fill("[data-testid=crm-ref]", "OPP-2026-0777").await?;
            a.wait_for_text("[data-testid=sync-status]", |t| {
                t.contains("not yet on the server")
            })
            .await?;
            // Offline, A deletes the commitment while B changes its price.
            a.wait_for("[data-testid=delete]").await?.click().await?;
            a.wait_for("[data-testid=confirm-delete]")
                .await?
                .click()
                .await?;
            a.wait_for_text("[data-testid=commitments]", |t| {
                !t.contains("Hydraulic power unit")
            })
            .await?;
            b.wait_for("[data-testid=commitment-title]")
                .await?
                .click()
                .await?;
            b.fill("[data-testid=detail-price]", "48500").await?;
            b.wait_for_text("[data-testid=sync-status]", |t| {
                t.contains("not yet on the server")
            })
            .await?;
            // The server comes back: both reconnect by themselves (no "sync now"); B's edit is
            // not lost; both are asked, and restoring brings it back.
            let _server = SyncServer::start(&db, port)?;
            for app in [&a, &b] {
                app.wait_sync_state("synced").await?;
            }
            a.wait_for_text("[data-testid=deletions]", |t| {
                t.contains("Hydraulic power unit 250 bar") && t.contains("price")
            })
            .await?;
            b.wait_for_text("[data-testid=deletions]", |t| t.contains("Ana Ruiz"))
                .await?;
            b.wait_for("[data-testid=restore-commitment]")
                .await?
                .click()
                .await?;
            b.wait_for_text("[data-testid=commitments]", |t| {
                t.contains("Hydraulic power unit 250 bar")
            })
            .await?;
            a.wait_for_text("[data-testid=commitments]", |t| {
                t.contains("Hydraulic power unit 250 bar") && t.contains("48")
            })
            .await?;
            Ok::<_, Error>(())
        }
        .await;
        if result.is_err() {
            a.screenshot("failure").await;
            b.screenshot("failure").await;
        }
        a.quit().await;
        b.quit().await;
        result.unwrap();
    }
}
