//! Live sessions with a real `scopepact serve`: two devices each keep one connection open;
//! an edit on one reaches the other's store with no sync round, presence shows who has the
//! document open and goes when they leave, and after the server is killed and restarted both
//! reconnect and nothing is lost. Each device applies the session's events as the app does
//! (`Workspace::absorb`, `Workspace::mark_synced`).
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::server::{invite, Server};
use common::{Env, SAMPLE};
use scopepact_scope::edit::{Edit, HeaderField};
use scopepact_sync::live::{LiveEvent, LiveSession};
use scopepact_sync::presence::Presence;
use scopepact_workspace::Workspace;

/// One device: its data directory, its workspace as the app holds it, and what its session
/// said.
struct Device {
    env: Env,
    workspace: Arc<Mutex<Workspace>>,
    session: Option<LiveSession>,
    seen: Arc<Mutex<Seen>>,
}

#[derive(Default)]
struct Seen {
    online: usize,
    offline: usize,
    received: usize,
    in_step: usize,
    others: Vec<Presence>,
}

impl Device {
    fn new(name: &str, email: &str, role: &str) -> Device {
        let env = Env::new();
        env.ok(&[
            "profile", "add", "--name", name, "--email", email, "--role", role,
        ]);
        let workspace = Arc::new(Mutex::new(Workspace::open(Some(env.data())).unwrap()));
        Device {
            env,
            workspace,
            session: None,
            seen: Arc::default(),
        }
    }

    /// Starts the live session and applies its events as the app does.
    fn connect(&mut self, server: &Server, token: &str) {
        let db = self.workspace.lock().unwrap().database_path();
        let url = format!("http://127.0.0.1:{}", server.port);
        let (session, mut events) = LiveSession::start(&db, &url, token).unwrap();
        let workspace = Arc::clone(&self.workspace);
        let seen = Arc::clone(&self.seen);
        tokio::spawn(async move {
            while let Some(event) = events.recv().await {
                let mut ws = workspace.lock().unwrap();
                let mut seen = seen.lock().unwrap();
                match event {
                    LiveEvent::Online => seen.online += 1,
                    LiveEvent::Offline { .. } => seen.offline += 1,
                    LiveEvent::Received { id, document } => {
                        if ws.absorb(&id, *document).unwrap() {
                            seen.received += 1;
                        }
                    }
                    LiveEvent::InStep { id, heads } => {
                        ws.mark_synced(&[(id, heads)]).unwrap();
                        seen.in_step += 1;
                    }
                    LiveEvent::Presence { others, .. } => seen.others = others,
                    LiveEvent::Stopped(err) => panic!("the session stopped: {err}"),
                    LiveEvent::Connecting => {}
                }
            }
        });
        self.session = Some(session);
    }

    fn edit_title(&self, id: &str, title: &str) {
        let mut ws = self.workspace.lock().unwrap();
        ws.edit(
            id,
            &Edit::UpdateHeader {
                changes: vec![HeaderField::Title(title.into())],
            },
        )
        .unwrap();
        drop(ws);
        if let Some(session) = &self.session {
            session.nudge();
        }
    }

    fn title(&self, id: &str) -> Option<String> {
        let mut ws = self.workspace.lock().unwrap();
        ws.view(id).ok().map(|v| v.title)
    }

    fn pending(&self) -> u32 {
        self.workspace.lock().unwrap().unsynced_changes().unwrap()
    }

    fn present(&self, id: &str, name: &str, commitment: Option<&str>) {
        let storage_id = scopepact_store::storage_id(&id.parse().unwrap());
        self.session.as_ref().unwrap().present(Some((
            storage_id,
            Presence {
                name: name.into(),
                role: "commercial".into(),
                device: "laptop-a".into(),
                commitment: commitment.map(str::to_string),
            },
        )));
    }
}

async fn until(what: &str, limit: Duration, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while !done() {
        assert!(Instant::now() < deadline, "not within {limit:?}: {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_devices_stay_connected_see_each_other_and_survive_a_server_restart() {
    let server_dir = tempfile::tempdir().unwrap();
    let db = server_dir.path().join("server.db");
    let mut ana = Device::new("Ana Ruiz", "ana@pressworks.example", "commercial");
    let mut jorg = Device::new("Jörg Müller", "jorg@pressworks.example", "operational");
    let token_a = invite(&db, "ana-laptop", &[]);
    let token_j = invite(&db, "jorg-laptop", &[]);
    let server = Server::start(&db, &[]);
    let port = server.port;
    let id = ana.env.ok(&["import", SAMPLE]).trim().to_string();
    // The workspace opened before the import: it reads the store as it is now.
    ana.connect(&server, &token_a);
    jorg.connect(&server, &token_j);

    // The document made on Ana's laptop arrives on Jörg's without any sync round.
    let limit = Duration::from_secs(10);
    until("Jörg receives the document", limit, || {
        jorg.title(&id).is_some()
    })
    .await;
    assert_eq!(jorg.title(&id), ana.title(&id));

    // Edits flow both ways as they are made.
    ana.edit_title(&id, "Press line 3 — live");
    until("Jörg sees Ana's title", limit, || {
        jorg.title(&id).as_deref() == Some("Press line 3 — live")
    })
    .await;
    jorg.edit_title(&id, "Press line 3 — reviewed");
    until("Ana sees Jörg's title", limit, || {
        ana.title(&id).as_deref() == Some("Press line 3 — reviewed")
    })
    .await;
    // And the server acknowledged them: nothing pending on either side.
    until("nothing pending", limit, || {
        ana.pending() == 0 && jorg.pending() == 0
    })
    .await;

    // Presence: Ana has the document open on a commitment; Jörg sees her, then sees her go.
    ana.present(&id, "Ana Ruiz", Some("c-1"));
    until("Jörg sees Ana", limit, || {
        jorg.seen
            .lock()
            .unwrap()
            .others
            .iter()
            .any(|p| p.name == "Ana Ruiz" && p.commitment.as_deref() == Some("c-1"))
    })
    .await;
    ana.session.as_ref().unwrap().present(None);
    until("Ana's presence goes", limit, || {
        jorg.seen.lock().unwrap().others.is_empty()
    })
    .await;
    ana.present(&id, "Ana Ruiz", None);
    until("Jörg sees Ana again", limit, || {
        !jorg.seen.lock().unwrap().others.is_empty()
    })
    .await;
    // Closing the app (the session dropped): gone within seconds.
    drop(ana.session.take());
    until("Ana's presence goes when her session ends", limit, || {
        jorg.seen.lock().unwrap().others.is_empty()
    })
    .await;
    ana.connect(&server, &token_a);
    until("Ana back online", limit, || {
        ana.seen.lock().unwrap().online >= 2
    })
    .await;

    // The server dies; both notice, edits go on offline, and after the restart both
    // reconnect on their own and converge.
    server.kill_hard();
    until("both offline", limit, || {
        ana.seen.lock().unwrap().offline >= 1 && jorg.seen.lock().unwrap().offline >= 1
    })
    .await;
    ana.edit_title(&id, "Edited while the server was down");
    assert!(ana.pending() > 0, "the offline edit is pending");
    let online_before = jorg.seen.lock().unwrap().online;
    let server = Server::start_on(&db, port, &[]);
    until("Jörg reconnects", Duration::from_secs(30), || {
        jorg.seen.lock().unwrap().online > online_before
    })
    .await;
    until(
        "Jörg receives the offline edit",
        Duration::from_secs(30),
        || jorg.title(&id).as_deref() == Some("Edited while the server was down"),
    )
    .await;
    until("nothing pending after the restart", limit, || {
        ana.pending() == 0
    })
    .await;
    drop(server);
}
