//! Two app instances (two laptops, separate data directories, each in a network namespace of
//! its own joined by a veth pair) in a meeting room without the company server: one hosts a
//! document, the other finds the session by mDNS across that network, joins with the code (a
//! wrong one first), and edits flow both ways with no sync action; the host sees who joined,
//! records them as attendees, removes the joiner (who comes back with the new code, the stale
//! one refused), then ends the session; both keep every edit and, synced to a server
//! afterwards, converge. Run under Xvfb, as root (see scripts/test.sh).
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

/// Named `window::…`, so the unit-test step skips them and the window step picks them.
mod window {

    use std::time::{Duration, Instant};

    use scopepact_e2e::network::{TwoLaptopNetwork, ADDRESSES};
    use scopepact_e2e::{
        add_profile, free_port, repo_root, scopepact_in, App, Error, SyncServer, ANA, JORG,
    };

    fn export(data: &std::path::Path, id: &str) -> String {
        scopepact_in(data, &["export", id])
    }

    /// Asks to join from the open join form: the host's address typed by hand when given
    /// (else the one the form holds), the code, Join.
    async fn ask_to_join(app: &App, address: Option<&str>, code: &str) -> Result<(), Error> {
        if let Some(address) = address {
            app.fill("[data-testid=session-join-address]", address)
                .await?;
        }
        app.fill("[data-testid=session-join-code]", code).await?;
        app.click("[data-testid=session-join]").await
    }

    #[tokio::test]
    async fn a_meeting_session_between_two_laptops_without_the_server() {
        let dir = tempfile::tempdir().unwrap();
        let (data_a, data_b) = (dir.path().join("a"), dir.path().join("b"));
        add_profile(&data_a, "Ana Ruiz", ANA, "commercial");
        add_profile(&data_b, "Jörg Müller", JORG, "operational");
        let sample = repo_root().join("tests/fixtures/press-line-retrofit.json");
        let id = scopepact_in(&data_a, &["import", sample.to_str().unwrap()])
            .trim()
            .to_string();

        // Each laptop in a network namespace of its own, joined by a veth pair: the session
        // can only be found, joined and synced across that network (loopback does not carry
        // mDNS, and the machine's own interfaces are not there).
        let network = TwoLaptopNetwork::set_up();
        let [netns_a, netns_b] = &network.namespaces;
        let a = App::launch_in(&data_a, "meeting-a", Some(netns_a))
            .await
            .unwrap();
        let b = App::launch_in(&data_b, "meeting-b", Some(netns_b))
            .await
            .unwrap();
        let result = async {
            // A hosts the open document.
            a.wait_for("[data-testid=open-document]")
                .await?
                .click()
                .await?;
            a.click("[data-testid=session-host]").await?;
            let address = a
                .wait_for("[data-testid=session-address]")
                .await?
                .text()
                .await?;
            let code = a
                .wait_for("[data-testid=session-code]")
                .await?
                .text()
                .await?;
            assert_eq!(code.len(), 9, "{code}");

            assert!(
                address.starts_with(&format!("{}:", ADDRESSES[0])),
                "{address}"
            );

            // Where multicast is blocked, B types the host's address by hand: a wrong code is
            // refused with the reason, and the host counts it.
            b.click("[data-testid=session-join-open]").await?;
            let wrong = if code == "0000 0000" {
                "1234 5671"
            } else {
                "0000 0000"
            };
            ask_to_join(&b, Some(&address), wrong).await?;
            b.wait_for_text("[data-testid=notice]", |t| {
                t.contains("not the session's code")
            })
            .await?;
            a.wait_for_text("[data-testid=session-wrong-attempts]", |t| t.contains('1'))
                .await?;

            // Here it need not: B heard A's session on the network (mDNS across the veth
            // pair, the only way B can learn A's name and address), and picking it fills the
            // address in.
            b.fill("[data-testid=session-join-address]", "typed.example:1")
                .await?;
            let found = b
                .wait_for_text("[data-testid=session-join-form]", |t| {
                    t.contains("Ana Ruiz") && t.contains(&address)
                })
                .await;
            if found.is_err() {
                // One more look: the first may have listened before A's announcement.
                b.click("[data-testid=session-discover]").await?;
                b.wait_for_text("[data-testid=session-join-form]", |t| t.contains(&address))
                    .await?;
            }
            let mut picked = false;
            for candidate in b
                .client
                .find_all(fantoccini::Locator::Css("[data-testid=session-found]"))
                .await?
            {
                if candidate.text().await?.contains(&address) {
                    candidate.click().await?;
                    picked = true;
                    break;
                }
            }
            assert!(picked, "A's session is not among those found");
            b.wait_for_prop("[data-testid=session-join-address]", "value", |v| {
                v == address
            })
            .await?;

            // The right code opens the document.
            let start = Instant::now();
            ask_to_join(&b, None, &code).await?;
            b.wait_for_prop("[data-testid=doc-title]", "value", |v| {
                v.contains("Servo press line retrofit")
            })
            .await?;
            eprintln!(
                "join: code entered → document open in {:?}",
                start.elapsed()
            );
            b.wait_for_text("[data-testid=session-joined]", |t| t.contains("Ana Ruiz"))
                .await?;
            // The host sees who joined.
            a.wait_for_text("[data-testid=session-joiner]", |t| {
                t.contains("Jörg Müller") && t.contains("Operational")
            })
            .await?;

            // Edits flow both ways, no sync action anywhere.
            a.fill("[data-testid=customer-site]", "Planta Avilés")
                .await?;
            b.wait_for_prop("[data-testid=customer-site]", "value", |v| {
                v == "Planta Avilés"
            })
            .await?;
            b.fill("[data-testid=crm-ref]", "OPP-2026-0912").await?;
            a.wait_for_prop("[data-testid=crm-ref]", "value", |v| v == "OPP-2026-0912")
                .await?;
            // Presence through the session: each sees the other in the document.
            a.wait_for_text("[data-testid=presence]", |t| t.contains("Jörg Müller"))
                .await?;

            // The host records the session's people as attendees of the transfer meeting.
            a.click("[data-testid=session-record-attendees]").await?;
            for app in [&a, &b] {
                let deadline = Instant::now() + Duration::from_secs(15);
                loop {
                    let mut present = vec![];
                    for field in app
                        .client
                        .find_all(fantoccini::Locator::Css("[data-testid=attendee-present]"))
                        .await?
                    {
                        present.push(field.prop("checked").await?.unwrap_or_default());
                    }
                    if present.len() == 2 && present.iter().all(|p| p == "true") {
                        break;
                    }
                    assert!(Instant::now() < deadline, "attendees: {present:?}");
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
            }
            let file = export(&data_a, &id);
            let attendees = &file[file.find("\"attendees\"").unwrap()..];
            assert!(attendees.contains("Ana Ruiz") && attendees.contains("Jörg Müller"));

            // The host removes B: B is told and keeps its edits, the code changes, and the
            // stale one no longer opens the session; B comes back with the new one.
            a.click("[data-testid=session-remove]").await?;
            b.wait_for_text("[data-testid=session-ended]", |t| t.contains("removed"))
                .await?;
            a.wait_for("[data-testid=session-nobody]").await?;
            let new_code = a
                .wait_for_text("[data-testid=session-code]", |t| t.len() == 9 && t != code)
                .await?;
            b.click("[data-testid=back]").await?;
            b.click("[data-testid=session-join-open]").await?;
            ask_to_join(&b, Some(&address), &code).await?;
            b.wait_for_text("[data-testid=notice]", |t| {
                t.contains("not the session's code")
            })
            .await?;
            ask_to_join(&b, None, &new_code).await?;
            b.wait_for_text("[data-testid=session-joined]", |t| t.contains("Ana Ruiz"))
                .await?;
            b.fill("[data-testid=crm-ref]", "OPP-2026-0913").await?;
            a.wait_for_prop("[data-testid=crm-ref]", "value", |v| v == "OPP-2026-0913")
                .await?;

            // The host ends the session: B is told; both keep every edit.
            a.click("[data-testid=session-end]").await?;
            b.wait_for_text("[data-testid=session-ended]", |t| t.contains("ended"))
                .await?;
            for data in [&data_a, &data_b] {
                let file = export(data, &id);
                assert!(file.contains("Planta Avilés") && file.contains("OPP-2026-0913"));
            }

            // Later, back at the office: both sync with the company server and converge.
            b.fill(
                "[data-testid=customer-name]",
                "Metalúrgica del Norte y Asociados",
            )
            .await?;
            let db = dir.path().join("server.sqlite3");
            let (token_a, token_b) = (
                SyncServer::invite(&db, "laptop-ana"),
                SyncServer::invite(&db, "laptop-jorg"),
            );
            // The server is reached across the same network (it runs on A's side of it).
            let server = SyncServer::start_in(&db, Some((netns_a, ADDRESSES[0])), free_port()?)?;
            a.click("[data-testid=back]").await?;
            b.click("[data-testid=back]").await?;
            a.connect_sync(&server.url, &token_a).await?;
            b.connect_sync(&server.url, &token_b).await?;
            let deadline = Instant::now() + Duration::from_secs(30);
            loop {
                let (ea, eb) = (export(&data_a, &id), export(&data_b, &id));
                if ea == eb && ea.contains("Metalúrgica del Norte y Asociados") {
                    break;
                }
                assert!(Instant::now() < deadline, "the laptops did not converge");
                tokio::time::sleep(Duration::from_millis(300)).await;
            }
            drop(server);
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
