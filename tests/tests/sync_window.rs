//! Two app instances (two laptops, separate data directories) and one real sync server: a
//! document made in one appears in the other, an edit follows, and the indicator says
//! `offline` when the server goes away. Run under Xvfb (see scripts/test.sh).
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

/// Named `window::…`, so the unit-test step skips them and the window step picks them.
mod window {
    use std::net::TcpListener;
    use std::path::Path;
    use std::process::{Child, Command, Stdio};
    use std::time::{Duration, Instant};

    use scopepact_e2e::{repo_root, scopepact, App, Error};

    struct Server(Child);

    impl Drop for Server {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }

    fn invite(db: &Path, name: &str) -> String {
        scopepact(&["invite", "--db", db.to_str().unwrap(), "--name", name])
            .trim()
            .to_string()
    }

    fn free_port() -> u16 {
        TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port()
    }

    /// `scopepact serve` on `port` of 127.0.0.1, with the database `db`.
    fn serve(db: &Path, port: u16) -> (Server, String) {
        let child = Command::new(repo_root().join("target/debug/scopepact"))
            .args([
                "serve",
                "--listen",
                &format!("127.0.0.1:{port}"),
                "--db",
                db.to_str().unwrap(),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "the sync server did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        (Server(child), format!("http://127.0.0.1:{port}"))
    }

    async fn configure_sync(app: &App, url: &str, token: &str) -> Result<(), Error> {
        app.wait_for("[data-testid=sync-status]")
            .await?
            .click()
            .await?;
        app.fill("[data-testid=sync-server]", url).await?;
        app.fill("[data-testid=sync-token]", token).await?;
        app.wait_for("[data-testid=sync-save]")
            .await?
            .click()
            .await?;
        wait_state(app, "synced").await
    }

    /// "Sync now" from the indicator's panel (opened, then closed again). Without it the retry
    /// after an outage waits for its backoff.
    async fn sync_now(app: &App) -> Result<(), Error> {
        app.wait_for("[data-testid=sync-status]")
            .await?
            .click()
            .await?;
        app.wait_for("[data-testid=sync-now]")
            .await?
            .click()
            .await?;
        app.wait_for("[data-testid=sync-status]")
            .await?
            .click()
            .await?;
        Ok(())
    }

    async fn wait_state(app: &App, state: &str) -> Result<(), Error> {
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut last = None;
        while Instant::now() < deadline {
            let element = app.wait_for("[data-testid=sync-status]").await?;
            last = element.attr("data-state").await?;
            if last.as_deref() == Some(state) {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        Err(format!("sync state never became {state}; last {last:?}").into())
    }

    async fn laptop_a(app: &App, url: &str, token: &str) -> Result<(), Error> {
        app.create_profile("Ana Ruiz", "ana.ruiz@pressworks.example", "Commercial")
            .await?;
        configure_sync(app, url, token).await?;
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
        configure_sync(app, url, token).await?;
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
        let (token_a, token_b) = (invite(&db, "laptop-ana"), invite(&db, "laptop-jorg"));
        let port = free_port();
        let (server, url) = serve(&db, port);

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
            // The server goes away: both say offline, and editing goes on.
            drop(server);
            wait_state(&a, "offline").await?;
            wait_state(&b, "offline").await?;
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
            // Back online: B's edit is not lost; both are asked, and restoring brings it back.
            let (_server, _) = serve(&db, port);
            for app in [&a, &b] {
                sync_now(app).await?;
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
            sync_now(&b).await?;
            sync_now(&a).await?;
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
