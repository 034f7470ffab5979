//! `scopepact sync` between three laptops and a real server: offline edits of different
//! fields, of the same field and items added at the same place converge, in any order of
//! syncing, with nothing lost or duplicated and same-field edits kept as visible conflicts.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;

use std::path::Path;

use common::server::{invite, Server};
use common::{Env, SAMPLE};
use scopepact_scope::edit::{CommitmentField, Edit};
use scopepact_scope::interchange::{CommitmentKind, Role};
use scopepact_workspace::Workspace;
use serde_json::Value;

struct Laptop {
    env: Env,
    token: String,
}

impl Laptop {
    fn new(db: &Path, name: &str, email: &str, role: &str) -> Laptop {
        let env = Env::new();
        env.ok(&[
            "profile", "add", "--name", name, "--email", email, "--role", role,
        ]);
        Laptop {
            env,
            token: invite(db, &email.replace('@', "-"), &[]),
        }
    }
    fn sync(&self, server: &Server) -> String {
        let out = self.env.run(&[
            "sync",
            "--server",
            &format!("http://127.0.0.1:{}", server.port),
            "--token",
            &self.token,
        ]);
        assert!(
            out.status.success(),
            "sync failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stderr).unwrap()
    }
    fn export(&self, id: &str) -> Value {
        serde_json::from_str(&self.env.ok(&["export", id, "--format", "json"])).unwrap()
    }
    /// Edits as the app does, on this laptop's data directory.
    fn edit(&self, id: &str, edit: impl FnOnce(&scopepact_scope::view::DocumentView) -> Edit) {
        let mut ws = Workspace::open(Some(self.env.data())).unwrap();
        let view = ws.view(id).unwrap();
        ws.edit(id, &edit(&view)).unwrap();
    }
    fn view(&self, id: &str) -> scopepact_scope::view::DocumentView {
        Workspace::open(Some(self.env.data()))
            .unwrap()
            .view(id)
            .unwrap()
    }
    fn conflicts(&self, id: &str) -> usize {
        Workspace::open(Some(self.env.data()))
            .unwrap()
            .view(id)
            .unwrap()
            .conflicts
            .len()
    }
}

fn commitment(view: &scopepact_scope::view::DocumentView, reference: &str) -> String {
    view.commitments
        .iter()
        .find(|c| c.reference == reference)
        .unwrap()
        .id
        .clone()
}

fn description(view: &scopepact_scope::view::DocumentView, reference: &str) -> String {
    view.commitments
        .iter()
        .find(|c| c.reference == reference)
        .unwrap()
        .description
        .clone()
}

#[test]
fn three_laptops_converge_whatever_the_order_of_syncing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.sqlite3");
    let ana = Laptop::new(&db, "Ana Ruiz", "ana@pressworks.example", "commercial");
    let jorg = Laptop::new(&db, "Jörg Müller", "jorg@pressworks.example", "operational");
    let inigo = Laptop::new(
        &db,
        "Íñigo Fernández",
        "inigo@metanorte.example",
        "commercial",
    );
    let server = Server::start(&db, &[]);

    // Ana brings the deal; everyone syncs once and has it.
    let id = ana.env.ok(&["import", SAMPLE]).trim().to_string();
    assert!(ana.sync(&server).contains("synced 1 document"));
    assert!(jorg.sync(&server).contains("1 new here"));
    assert!(inigo.sync(&server).contains("1 new here"));
    assert_eq!(jorg.export(&id), ana.export(&id));
    let listed: Vec<Value> = serde_json::from_str(&inigo.env.ok(&["list", "--json"])).unwrap();
    assert_eq!(listed[0]["title"], "Servo press line retrofit — Línea 3");

    // Offline: different fields, the same field, and two items added at the same place.
    ana.edit(&id, |v| Edit::UpdateCommitment {
        id: commitment(v, "C-01"),
        changes: vec![CommitmentField::Price(Some(925_000.0))],
    });
    jorg.edit(&id, |v| Edit::UpdateCommitment {
        id: commitment(v, "C-01"),
        changes: vec![CommitmentField::CostEstimate(Some(760_000.0))],
    });
    ana.edit(&id, |v| Edit::UpdateCommitment {
        id: commitment(v, "C-03"),
        changes: vec![CommitmentField::Title("Die change in 8 min".into())],
    });
    jorg.edit(&id, |v| Edit::UpdateCommitment {
        id: commitment(v, "C-03"),
        changes: vec![CommitmentField::Title("Die change in 10 min".into())],
    });
    inigo.edit(&id, |v| Edit::AddCommitment {
        title: "Schulung für Bediener".into(),
        kind: CommitmentKind::Training,
        after: Some(commitment(v, "C-02")),
    });
    jorg.edit(&id, |v| Edit::AddCommitment {
        title: "Spare parts package".into(),
        kind: CommitmentKind::Product,
        after: Some(commitment(v, "C-02")),
    });
    jorg.edit(&id, |v| Edit::UpdateCommitment {
        id: commitment(v, "C-05"),
        changes: vec![CommitmentField::Description(format!(
            "{} Größe ±0,02 mm.",
            description(v, "C-05")
        ))],
    });
    inigo.edit(&id, |v| Edit::UpdateCommitment {
        id: commitment(v, "C-05"),
        changes: vec![CommitmentField::Description(format!(
            "Íñigo: {}",
            description(v, "C-05")
        ))],
    });

    // Back online, in a scrambled order, twice round.
    for laptop in [&jorg, &inigo, &ana, &inigo, &jorg, &ana] {
        laptop.sync(&server);
    }
    let (a, j, i) = (ana.export(&id), jorg.export(&id), inigo.export(&id));
    assert_eq!(a, j);
    assert_eq!(a, i);
    let titles: Vec<&str> = a["commitments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles.len(),
        9,
        "nothing lost, nothing duplicated: {titles:?}"
    );
    assert!(titles.contains(&"Schulung für Bediener") && titles.contains(&"Spare parts package"));
    let c1 = &a["commitments"][0];
    assert_eq!(
        (c1["price"].as_f64(), c1["cost_estimate"].as_f64()),
        (Some(925_000.0), Some(760_000.0))
    );
    let c5 = a["commitments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["ref"] == "C-05")
        .unwrap();
    let text = c5["description"].as_str().unwrap();
    assert!(
        text.starts_with("Íñigo: ") && text.ends_with("Größe ±0,02 mm."),
        "both text edits kept: {text}"
    );
    // The same-field edit is a conflict on every laptop, waiting for a person.
    assert_eq!(
        (
            ana.conflicts(&id),
            jorg.conflicts(&id),
            inigo.conflicts(&id)
        ),
        (1, 1, 1)
    );
}

#[test]
fn a_commitment_deleted_on_one_laptop_and_edited_on_others_is_never_lost() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.sqlite3");
    let ana = Laptop::new(&db, "Ana Ruiz", "ana@pressworks.example", "commercial");
    let jorg = Laptop::new(&db, "Jörg Müller", "jorg@pressworks.example", "operational");
    let inigo = Laptop::new(
        &db,
        "Íñigo Fernández",
        "inigo@metanorte.example",
        "commercial",
    );
    let server = Server::start(&db, &[]);
    let id = ana.env.ok(&["import", SAMPLE]).trim().to_string();
    for laptop in [&ana, &jorg, &inigo] {
        laptop.sync(&server);
    }

    // Offline: Ana deletes C-04 while Jörg changes its price and Íñigo its description.
    let c04 = commitment(&ana.view(&id), "C-04");
    ana.edit(&id, |_| Edit::DeleteCommitment { id: c04.clone() });
    jorg.edit(&id, |v| Edit::UpdateCommitment {
        id: commitment(v, "C-04"),
        changes: vec![CommitmentField::Price(Some(48_500.0))],
    });
    inigo.edit(&id, |v| Edit::UpdateCommitment {
        id: commitment(v, "C-04"),
        changes: vec![CommitmentField::Description(format!(
            "{} Incluye puesta en marcha.",
            description(v, "C-04")
        ))],
    });
    for laptop in [&inigo, &ana, &jorg, &inigo, &ana] {
        laptop.sync(&server);
    }
    let exported = ana.export(&id);
    assert_eq!(exported, jorg.export(&id));
    assert_eq!(exported, inigo.export(&id));
    assert_eq!(exported["commitments"].as_array().unwrap().len(), 6);
    for laptop in [&ana, &jorg, &inigo] {
        let questions = laptop.view(&id).deletions;
        assert_eq!(questions.len(), 1, "the deletion is put to everyone");
        assert_eq!(questions[0].reference, "C-04");
        assert_eq!(questions[0].deleted_by, "Ana Ruiz");
        assert_eq!(questions[0].changed, ["description", "price"]);
    }

    // Jörg restores it: everyone gets it back with both edits.
    jorg.edit(&id, |_| Edit::RestoreCommitment { id: c04.clone() });
    for laptop in [&jorg, &ana, &inigo] {
        laptop.sync(&server);
    }
    for laptop in [&ana, &jorg, &inigo] {
        let view = laptop.view(&id);
        assert!(view.deletions.is_empty());
        let back = view.commitments.iter().find(|c| c.id == c04).unwrap();
        assert_eq!(back.price, Some(48_500.0));
        assert!(back.description.ends_with("Incluye puesta en marcha."));
    }
    assert_eq!(ana.export(&id), inigo.export(&id));
}

#[test]
fn unsynced_changes_count_what_the_server_does_not_hold_yet() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.sqlite3");
    let ana = Laptop::new(&db, "Ana Ruiz", "ana@pressworks.example", "commercial");
    let jorg = Laptop::new(&db, "Jörg Müller", "jorg@pressworks.example", "operational");
    let server = Server::start(&db, &[]);
    let unsynced = |laptop: &Laptop| {
        Workspace::open(Some(laptop.env.data()))
            .unwrap()
            .unsynced_changes()
            .unwrap()
    };
    let id = ana.env.ok(&["import", SAMPLE]).trim().to_string();
    assert!(unsynced(&ana) >= 1, "a new document is all unsynced");
    ana.sync(&server);
    assert_eq!(unsynced(&ana), 0);
    for price in [1.0, 2.0, 3.0] {
        ana.edit(&id, |v| Edit::UpdateCommitment {
            id: commitment(v, "C-01"),
            changes: vec![CommitmentField::Price(Some(price))],
        });
    }
    assert_eq!(unsynced(&ana), 3, "one per edit, in one document");
    jorg.sync(&server);
    assert_eq!(
        unsynced(&jorg),
        0,
        "what came from the server is on the server"
    );
    ana.sync(&server);
    assert_eq!(unsynced(&ana), 0);
    jorg.edit(&id, |v| Edit::UpdateCommitment {
        id: commitment(v, "C-02"),
        changes: vec![CommitmentField::CostEstimate(Some(5.0))],
    });
    let second = jorg.env.ok(&["import", SAMPLE]).trim().to_string();
    assert!(unsynced(&jorg) >= 2, "an edit and a new document");
    jorg.sync(&server);
    ana.sync(&server);
    assert_eq!((unsynced(&jorg), unsynced(&ana)), (0, 0));
    assert_eq!(ana.export(&second), jorg.export(&second));
}

#[test]
fn sync_says_clearly_when_the_server_is_unreachable_or_the_token_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.sqlite3");
    let ana = Laptop::new(&db, "Ana Ruiz", "ana@pressworks.example", "commercial");
    let server = Server::start(&db, &[]);
    let url = format!("http://127.0.0.1:{}", server.port);
    assert!(ana
        .env
        .fails(&["sync", "--server", &url, "--token", "spd_nope"])
        .contains("not a ScopePact device token"));
    let forged = format!(
        "{}_{}",
        ana.token.rsplit_once('_').unwrap().0,
        "0".repeat(64)
    );
    let err = ana
        .env
        .fails(&["sync", "--server", &url, "--token", &forged]);
    assert!(err.contains("refused this device's token"), "{err}");
    assert!(ana
        .env
        .fails(&["sync", "--server", "ftp://x", "--token", &ana.token])
        .contains("not a sync server URL"));
    drop(server);
    let err = ana.env.fails(&[
        "sync",
        "--server",
        &url,
        "--token",
        &ana.token,
        "--timeout",
        "5",
    ]);
    assert!(err.contains("cannot reach the sync server"), "{err}");
    let _ = Role::Commercial;
}
