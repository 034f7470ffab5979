//! Profiles, status and the gate from the command line: the same rules as the app, with real
//! processes on a real data directory.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;

use common::{Env, ANA, CARMEN, JORG, SAMPLE};
use serde_json::{json, Value};

/// The status as scripts read it.
trait Status {
    fn status(&self, id: &str) -> Value;
}

impl Status for Env {
    fn status(&self, id: &str) -> Value {
        serde_json::from_str(&self.ok(&["status", id, "--json"])).unwrap()
    }
}

fn codes(status: &Value) -> Vec<(String, Value)> {
    status["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["code"].as_str().unwrap().to_string(), r["ref"].clone()))
        .collect()
}

#[test]
fn profiles_are_added_listed_and_checked() {
    let env = Env::new();
    env.ok(&[
        "profile",
        "add",
        "--name",
        "Ana Ruiz",
        "--email",
        ANA,
        "--role",
        "commercial",
    ]);
    env.ok(&[
        "profile",
        "add",
        "--name",
        "Jörg Müller",
        "--email",
        JORG,
        "--role",
        "operational",
    ]);
    let list: Value = serde_json::from_str(&env.ok(&["profile", "list", "--json"])).unwrap();
    assert_eq!(list[0]["name"], "Ana Ruiz");
    assert_eq!(list[1]["role"], "operational");
    let text = env.ok(&["profile", "list"]);
    assert!(
        text.lines().next().unwrap().starts_with("* commercial"),
        "{text}"
    );
    assert!(env
        .ok(&["--as", JORG, "profile", "list"])
        .lines()
        .nth(1)
        .unwrap()
        .starts_with('*'));

    assert!(env
        .fails(&[
            "profile",
            "add",
            "--name",
            "X",
            "--email",
            "nope",
            "--role",
            "executive"
        ])
        .contains("not an email"));
    assert!(env
        .fails(&[
            "profile",
            "add",
            "--name",
            "X",
            "--email",
            ANA,
            "--role",
            "executive"
        ])
        .contains("already has a profile"));
    assert!(env
        .fails(&["--as", "who@example.com", "profile", "list"])
        .contains("who@example.com"));
    // A usage error is clap's: non-zero, naming the bad value and the possible ones.
    let out = env.run(&[
        "profile",
        "add",
        "--name",
        "X",
        "--email",
        "x@example.com",
        "--role",
        "boss",
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("'boss'"));
}

#[test]
fn status_json_of_the_imported_sample_is_the_gate_of_the_samples_readme() {
    let env = Env::new();
    let id = env.ok(&["import", SAMPLE]).trim().to_string();
    let status = env.status(&id);
    assert_eq!(status["status"], "in_validation");
    assert_eq!(
        codes(&status),
        vec![
            ("validation_pending".into(), json!("C-01")),
            ("validation_pending".into(), json!("C-04")),
            ("validation_pending".into(), json!("C-06")),
            ("validation_pending".into(), json!("C-07")),
            ("blocking_ambiguity_open".into(), json!("A-01")),
            ("ambiguity_open".into(), json!("A-02")),
            ("exclusion_not_agreed".into(), json!("2")),
            ("margin_below_threshold".into(), Value::Null),
        ]
    );
    assert_eq!(status["economics"]["revenue"], 1_240_000.0);
    assert_eq!(status["economics"]["cost"], 1_100_000.0);
    let margin = status["economics"]["margin_pct"].as_f64().unwrap();
    assert!((margin - 11.29).abs() < 0.01);
    assert_eq!(status["economics"].as_object().unwrap().len(), 3);
    assert!(env.ok(&["status", &id]).contains("unmet conditions"));
}

#[test]
fn the_team_takes_the_sample_to_ready_to_sign_under_the_role_rules() {
    let env = Env::new().with_sample_team();
    let id = env.ok(&["import", SAMPLE]).trim().to_string();

    // Only operations validates; nothing is written by a refused action.
    let before = env.ok(&["export", &id, "--format", "json"]);
    let err = env.fails(&[
        "--as",
        ANA,
        "validate",
        &id,
        "C-01",
        "--verdict",
        "feasible",
    ]);
    assert!(err.contains("only an operational profile"), "{err}");
    assert_eq!(env.ok(&["export", &id, "--format", "json"]), before);
    assert!(env
        .fails(&[
            "--as",
            JORG,
            "validate",
            &id,
            "C-04",
            "--verdict",
            "conditional"
        ])
        .contains("condition"));
    assert!(env
        .fails(&[
            "--as",
            JORG,
            "validate",
            &id,
            "C-99",
            "--verdict",
            "feasible"
        ])
        .contains("C-99"));
    for c in ["C-01", "C-06", "C-07"] {
        env.ok(&["--as", JORG, "validate", &id, c, "--verdict", "feasible"]);
    }
    env.ok(&[
        "--as",
        JORG,
        "validate",
        &id,
        "C-04",
        "--verdict",
        "conditional",
        "--note",
        "Pit drawings by week 2",
    ]);

    assert!(env
        .fails(&[
            "ambiguity",
            "transfer",
            &id,
            "A-01",
            "--owner",
            "Ana Ruiz",
            "--due",
            "2026-12-10"
        ])
        .contains("blocking"));
    assert!(env
        .fails(&[
            "ambiguity",
            "transfer",
            &id,
            "A-02",
            "--owner",
            "Ana Ruiz",
            "--due",
            "next week"
        ])
        .contains("YYYY-MM-DD"));
    env.ok(&[
        "ambiguity",
        "resolve",
        &id,
        "A-01",
        "--answer",
        "Civil drawings arrive on 2 Dec.",
    ]);
    env.ok(&[
        "ambiguity",
        "transfer",
        &id,
        "A-02",
        "--owner",
        "Jörg Müller",
        "--due",
        "2027-01-15",
    ]);

    assert!(env
        .fails(&["--as", JORG, "agree", &id, "exclusion", "2"])
        .contains("other side"));
    assert!(env
        .fails(&["--as", ANA, "agree", &id, "exclusion", "3"])
        .contains("there are 2"));
    env.ok(&["--as", ANA, "agree", &id, "exclusion", "2"]);

    // Every verdict in and the margin below threshold: the toxic yes stops here.
    let status = env.status(&id);
    assert_eq!(status["status"], "stopped_at_validation");
    assert_eq!(
        codes(&status),
        vec![("margin_below_threshold".to_string(), Value::Null)]
    );

    assert!(env
        .fails(&[
            "--as",
            JORG,
            "override",
            &id,
            "--gate",
            "economics",
            "--reason",
            "fine"
        ])
        .contains("only an executive"));
    assert!(env
        .fails(&[
            "--as",
            CARMEN,
            "override",
            &id,
            "--gate",
            "ambiguity",
            "--ref",
            "A-02",
            "--reason",
            "x"
        ])
        .contains("not an open blocking"));
    env.ok(&[
        "--as",
        CARMEN,
        "override",
        &id,
        "--gate",
        "economics",
        "--reason",
        "Strategic account: first retrofit in Asturias",
    ]);
    let status = env.status(&id);
    assert_eq!(status["status"], "ready_to_sign");
    assert_eq!(status["reasons"], json!([]));

    // The file carries verdicts, ambiguity states, agreements and the override.
    let exported: Value =
        serde_json::from_str(&env.ok(&["export", &id, "--format", "json"])).unwrap();
    assert_eq!(exported["overrides"][0]["by"], "Carmen Díaz");
    assert_eq!(
        exported["commitments"][3]["validation"]["condition"],
        "Pit drawings by week 2"
    );
    assert_eq!(exported["ambiguities"][1]["status"], "transferred");
    let path = env.dir.path().join("ready.json");
    std::fs::write(&path, serde_json::to_string(&exported).unwrap()).unwrap();
    let again = env
        .ok(&["import", path.to_str().unwrap()])
        .trim()
        .to_string();
    assert_eq!(env.status(&again)["status"], "ready_to_sign");
}

#[test]
fn changes_need_a_profile_and_say_how_to_make_one() {
    let env = Env::new();
    let id = env.ok(&["import", SAMPLE]).trim().to_string();
    let err = env.fails(&["ambiguity", "resolve", &id, "A-01", "--answer", "yes"]);
    assert!(err.contains("profile"), "{err}");
}
