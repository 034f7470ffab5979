//! A data directory written by an earlier version of ScopePact (tests/fixtures/store-2026-12,
//! made by `write_store_fixture` below before the scope crate was reorganised) opens, exports
//! the same JSON it exported then, takes new edits and exports a PDF that verifies.
//!
//! The fixture is never regenerated casually: it stands for stores people already have. To add
//! a newer one: `SCOPEPACT_WRITE_STORE_FIXTURE=DIR cargo test -p scopepact-cli --test
//! store_compat -- --ignored write_store_fixture`.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;

use std::path::{Path, PathBuf};

use common::{Env, ANA, JORG};
use scopepact_scope::edit::{AttendeeRole, CommitmentField, Edit, ReworkCause};
use scopepact_scope::interchange::Language;

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/fixtures/store-2026-12"
);

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The fixture's data directory in a fresh place, keys private again (git keeps no modes).
fn fixture_env() -> Env {
    let env = Env::new();
    copy_dir(&Path::new(FIXTURE).join("data"), &env.data());
    for key in std::fs::read_dir(env.data().join("keys")).unwrap() {
        use std::os::unix::fs::PermissionsExt;
        let path = key.unwrap().path();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    env
}

fn expected_exports() -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> = std::fs::read_dir(Path::new(FIXTURE).join("exports"))
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            let id = path.file_stem().unwrap().to_string_lossy().into_owned();
            (id, std::fs::read_to_string(&path).unwrap())
        })
        .collect();
    all.sort();
    all
}

#[test]
fn a_store_written_before_opens_exports_the_same_json_and_takes_edits() {
    let env = fixture_env();
    let expected = expected_exports();
    assert_eq!(expected.len(), 3, "the fixture holds three documents");

    let listed: serde_json::Value = serde_json::from_str(&env.ok(&["list", "--json"])).unwrap();
    let mut ids: Vec<String> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    assert_eq!(
        ids,
        expected
            .iter()
            .map(|(id, _)| id.clone())
            .collect::<Vec<_>>()
    );
    for (id, json) in &expected {
        assert_eq!(&env.ok(&["export", id]), json, "export of {id} changed");
    }

    let closed = id_titled(&listed, "Servo press line retrofit — Línea 3", "closed");
    let draft = id_titled(
        &listed,
        "Servo press line retrofit — Línea 3",
        "in_validation",
    );
    let spanish = id_titled(&listed, "Línea de corte", "draft");

    // New edits land on the old documents.
    env.ok(&[
        "--as",
        JORG,
        "validate",
        &draft,
        "C-01",
        "--verdict",
        "feasible",
    ]);
    assert_eq!(verdict(&env, &draft, "C-01"), "feasible");
    env.ok(&[
        "--as",
        JORG,
        "validate",
        &spanish,
        "C-01",
        "--verdict",
        "feasible",
    ]);
    assert_eq!(verdict(&env, &spanish, "C-01"), "feasible");

    // The closed deal still reads as closed, and its PDF is sealed and verifies.
    let status: serde_json::Value =
        serde_json::from_str(&env.ok(&["status", &closed, "--json"])).unwrap();
    assert_eq!(status["status"], "closed");
    let pdf = env.dir.path().join("closed.pdf");
    env.ok(&[
        "--as",
        ANA,
        "export",
        &closed,
        "--format",
        "pdf",
        "-o",
        pdf.to_str().unwrap(),
    ]);
    env.ok(&["verify", pdf.to_str().unwrap()]);
    let k: serde_json::Value = serde_json::from_str(&env.ok(&["kpis", "--json"])).unwrap();
    assert_eq!(k[0]["deals"], 3);
    assert_eq!(k[0]["handed_off_deals"], 1);
    assert_eq!(k[0]["avg_customer_satisfaction"], 7.0);
}

fn verdict(env: &Env, id: &str, reference: &str) -> serde_json::Value {
    let file: serde_json::Value = serde_json::from_str(&env.ok(&["export", id])).unwrap();
    let commitment = file["commitments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["ref"] == reference)
        .unwrap_or_else(|| panic!("no {reference} in {file}"));
    commitment["validation"]["status"].clone()
}

fn id_titled(listed: &serde_json::Value, title: &str, status: &str) -> String {
    listed
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["title"] == title && d["status"] == status)
        .unwrap_or_else(|| panic!("no {status} document titled {title}: {listed}"))["id"]
        .as_str()
        .unwrap()
        .to_string()
}

fn edit(env: &Env, id: &str, edit: Edit) {
    let mut ws = scopepact_workspace::Workspace::open(Some(env.data())).unwrap();
    ws.act_as(Some(ANA.into())).unwrap();
    ws.edit(id, &edit).unwrap();
}

/// Writes the fixture with the code of the day: a closed deal (signed, meeting held, rework,
/// satisfaction), a draft with a verdict and a new ambiguity, and a Spanish draft.
#[test]
#[ignore = "writes tests/fixtures; run by hand when a new store fixture is wanted"]
fn write_store_fixture() {
    let Some(out) = std::env::var_os("SCOPEPACT_WRITE_STORE_FIXTURE").map(PathBuf::from) else {
        return;
    };
    let env = Env::new().with_sample_team();
    let closed = env.sample_signed();
    for (key, name, role) in [
        ("a", "Ana Ruiz", AttendeeRole::CommercialLead),
        ("j", "Jörg Müller", AttendeeRole::OperationalLead),
        ("i", "Íñigo Fernández", AttendeeRole::Customer),
    ] {
        let attendee = Edit::SetAttendee {
            id: Some(key.into()),
            name: name.into(),
            email: String::new(),
            role,
            present: true,
        };
        edit(&env, &closed, attendee);
    }
    let day = "2026-12-01".to_string();
    edit(&env, &closed, Edit::RecordMeetingHeld { at: day.clone() });
    let rework = Edit::AddRework {
        date: day.clone(),
        commitments: vec!["C-03".into()],
        cause: ReworkCause::Ambiguity,
        ambiguity: Some("A-02".into()),
        cost: Some(3000.0),
        hours: Some(24.0),
        description: "Brackets remade".into(),
    };
    edit(&env, &closed, rework);
    let score = Edit::RecordSatisfaction {
        score: 7,
        comment: "Clear handoff".into(),
        date: day,
    };
    edit(&env, &closed, score);

    let draft = env.ok(&["import", common::SAMPLE]).trim().to_string();
    env.ok(&[
        "--as",
        JORG,
        "validate",
        &draft,
        "C-02",
        "--verdict",
        "conditional",
        "--note",
        "Only with the 2027 die set",
    ]);

    let mut ws = scopepact_workspace::Workspace::open(Some(env.data())).unwrap();
    ws.act_as(Some(ANA.into())).unwrap();
    let spanish = ws
        .create_in("Línea de corte", Language::Es)
        .unwrap()
        .id
        .to_string();
    let (outcome, _) = ws
        .edit(
            &spanish,
            &Edit::AddCommitment {
                title: "Cizalla de 3 m".into(),
                kind: scopepact_scope::interchange::CommitmentKind::Product,
                after: None,
            },
        )
        .unwrap();
    let id = outcome.created_id.unwrap();
    ws.edit(
        &spanish,
        &Edit::UpdateCommitment {
            id,
            changes: vec![CommitmentField::Price(Some(48_000.0))],
        },
    )
    .unwrap();

    std::fs::create_dir_all(out.join("exports")).unwrap();
    for doc in [&closed, &draft, &spanish] {
        std::fs::write(
            out.join("exports").join(format!("{doc}.json")),
            env.ok(&["export", doc]),
        )
        .unwrap();
    }
    drop(ws);
    copy_dir(&env.data(), &out.join("data"));
}
