//! The `scopepact` binary as scripts use it: real processes, a real data directory.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;

use std::path::Path;
use std::process::Command;

use common::{Env, ANA, JORG, SAMPLE};
use scopepact_scope::edit::{CommitmentField, Edit};
use scopepact_workspace::Workspace;
use serde_json::Value;

trait ListJson {
    fn list(&self) -> Vec<Value>;
}

impl ListJson for Env {
    fn list(&self) -> Vec<Value> {
        serde_json::from_str::<Vec<Value>>(&self.ok(&["list", "--json"])).unwrap()
    }
}

fn sample() -> Value {
    serde_json::from_str(&std::fs::read_to_string(SAMPLE).unwrap()).unwrap()
}

#[test]
fn sample_round_trips_unchanged_through_import_and_export() {
    let env = Env::new();
    let id = env.ok(&["import", SAMPLE]).trim().to_string();
    let exported: Value =
        serde_json::from_str(&env.ok(&["export", &id, "--format", "json"])).unwrap();
    assert_eq!(exported, sample());

    let out = env.dir.path().join("out.json");
    env.ok(&[
        "export",
        &id,
        "--format",
        "json",
        "-o",
        out.to_str().unwrap(),
    ]);
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(written, sample());
    // Same key order as the sample, too: the text compares equal once whitespace is normalised.
    let compact = |v: &str| {
        serde_json::to_string(&serde_json::from_str::<serde_json::Map<String, Value>>(v).unwrap())
            .unwrap()
    };
    assert_eq!(
        compact(&std::fs::read_to_string(&out).unwrap()),
        compact(&std::fs::read_to_string(SAMPLE).unwrap())
    );
}

#[test]
fn list_shows_title_customer_value_and_status() {
    let env = Env::new();
    assert!(env.list().is_empty());
    let id = env.ok(&["import", SAMPLE]).trim().to_string();
    let list = env.list();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["id"], id.as_str());
    assert_eq!(list[0]["title"], "Servo press line retrofit — Línea 3");
    assert_eq!(list[0]["customer"], "Metalúrgica del Norte S.A.");
    assert_eq!(list[0]["status"], "in_validation");
    assert_eq!(list[0]["value"], 1240000.0);
    let text = env.ok(&["list"]);
    assert!(
        text.contains(&id) && text.contains("in_validation") && text.contains("Metalúrgica"),
        "{text}"
    );
}

#[test]
fn import_into_applies_changes_adds_items_and_keeps_edits_made_meanwhile() {
    let env = Env::new();
    let id = env.ok(&["import", SAMPLE]).trim().to_string();

    // Meanwhile, in the app (same data directory): the acceptance criterion of C-05 is edited.
    {
        let mut app = Workspace::open(Some(env.data())).unwrap();
        app.add_profile(
            "Jörg Müller",
            "j.mueller@pressworks.example",
            scopepact_scope::interchange::Role::Operational,
        )
        .unwrap();
        let view = app.view(&id).unwrap();
        let c05 = view
            .commitments
            .iter()
            .find(|c| c.reference == "C-05")
            .unwrap()
            .id
            .clone();
        let edit = Edit::UpdateCommitment {
            id: c05,
            changes: vec![CommitmentField::Acceptance(
                "FAT and SAT protocols, signed by Íñigo".into(),
            )],
        };
        app.edit(&id, &edit).unwrap();
    }

    // The CRM exports an update: C-01's price changed, C-08 is new (after C-03).
    let mut newer = sample();
    newer["commitments"][0]["price"] = 925000.into();
    let mut added = newer["commitments"][2].clone();
    added["ref"] = "C-08".into();
    added["title"] = "Remote diagnostics gateway".into();
    newer["commitments"]
        .as_array_mut()
        .unwrap()
        .insert(3, added);
    let file = env.file("newer.json", &serde_json::to_string_pretty(&newer).unwrap());

    env.ok(&["import", &file, "--into", &id]);
    env.ok(&["import", &file, "--into", &id]); // twice: still no duplicate
    let exported: Value = serde_json::from_str(&env.ok(&["export", &id])).unwrap();
    let commitments = exported["commitments"].as_array().unwrap();
    let refs: Vec<&str> = commitments
        .iter()
        .map(|c| c["ref"].as_str().unwrap())
        .collect();
    assert_eq!(
        refs,
        ["C-01", "C-02", "C-03", "C-08", "C-04", "C-05", "C-06", "C-07"]
    );
    assert_eq!(commitments[0]["price"], 925000);
    assert_eq!(commitments[3]["title"], "Remote diagnostics gateway");
    assert_eq!(
        commitments[5]["acceptance"],
        "FAT and SAT protocols, signed by Íñigo"
    );
    assert_eq!(env.list().len(), 1);
}

#[test]
fn malformed_json_names_line_and_column_and_writes_nothing() {
    let env = Env::new();
    let file = env.file(
        "broken.json",
        "{\n  \"format\": \"scopepact/v1\",\n  \"title\": \"x\",,\n}\n",
    );
    let err = env.fails(&["import", &file]);
    assert!(
        err.contains("broken.json") && err.contains("line 3") && err.contains("column"),
        "{err}"
    );
    assert!(env.list().is_empty());
}

#[test]
fn invalid_file_names_the_json_path_and_writes_nothing() {
    let env = Env::new();
    let mut doc = sample();
    doc["commitments"][3]["delivery"]["date"] = "2027-02-30".into();
    let file = env.file("invalid.json", &doc.to_string());
    let err = env.fails(&["import", &file]);
    assert!(
        err.contains("$.commitments[3].delivery.date") && err.contains("2027-02-30"),
        "{err}"
    );

    let mut doc = sample();
    doc["deal"]["value"] = "a million".into();
    let err = env.fails(&["import", &env.file("typed.json", &doc.to_string())]);
    assert!(err.contains("$.deal.value"), "{err}");
    assert!(env.list().is_empty());
}

#[test]
fn invalid_file_into_an_existing_document_changes_nothing() {
    let env = Env::new();
    let id = env.ok(&["import", SAMPLE]).trim().to_string();
    let before = env.ok(&["export", &id]);
    let mut doc = sample();
    doc["commitments"][0]["title"] = "".into();
    let err = env.fails(&[
        "import",
        &env.file("empty-title.json", &doc.to_string()),
        "--into",
        &id,
    ]);
    assert!(err.contains("$.commitments[0].title"), "{err}");
    assert_eq!(env.ok(&["export", &id]), before);
}

#[test]
fn unknown_or_malformed_document_ids_are_refused() {
    let env = Env::new();
    env.ok(&["import", SAMPLE]);
    let err = env.fails(&["export", "0193a5c2-7f3e-7d61-9a4b-2c8e5f1d0a42"]);
    assert!(
        err.contains("no document with id 0193a5c2-7f3e-7d61-9a4b-2c8e5f1d0a42"),
        "{err}"
    );
    let out = env.dir.path().join("never.json");
    let err = env.fails(&["export", "C-01", "-o", out.to_str().unwrap()]);
    assert!(err.contains("\"C-01\" is not a document id"), "{err}");
    assert!(!out.exists(), "no file written for a failed export");
    let err = env.fails(&[
        "import",
        SAMPLE,
        "--into",
        "0193a5c2-7f3e-7d61-9a4b-2c8e5f1d0a42",
    ]);
    assert!(err.contains("no document with id"), "{err}");
}

#[test]
fn unusable_data_dirs_are_refused() {
    let env = Env::new();
    let not_a_dir = env.file("not-a-dir", "plain file");
    let out = Command::new(env!("CARGO_BIN_EXE_scopepact"))
        .args(["--data-dir", &not_a_dir, "list"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("cannot use the data directory") && err.contains("not-a-dir"),
        "{err}"
    );

    let damaged = env.dir.path().join("damaged");
    std::fs::create_dir(&damaged).unwrap();
    std::fs::write(damaged.join("scopepact.sqlite3"), vec![0x42u8; 8192]).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_scopepact"))
        .args(["--data-dir"])
        .arg(&damaged)
        .args(["import", SAMPLE])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("cannot open the database") && err.contains("not a database"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(damaged.join("scopepact.sqlite3")).unwrap(),
        vec![0x42u8; 8192],
        "the file is left untouched"
    );
}

#[test]
fn data_dir_comes_from_the_environment_when_no_flag_is_given() {
    let env = Env::new();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_scopepact"))
            .args(args)
            .env("SCOPEPACT_DATA_DIR", env.data())
            .output()
            .unwrap()
    };
    assert!(run(&["import", SAMPLE]).status.success());
    assert!(Path::new(&env.data()).join("scopepact.sqlite3").exists());
    assert_eq!(env.list().len(), 1);
}

#[test]
fn schema_is_a_valid_json_schema_that_accepts_the_sample_and_rejects_bad_files() {
    let env = Env::new();
    let schema: Value = serde_json::from_str(&env.ok(&["schema"])).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    assert!(validator.is_valid(&sample()));
    let minimal = serde_json::json!({"format": "scopepact/v1", "title": "Only a title"});
    assert!(validator.is_valid(&minimal));
    let mut bad = sample();
    bad["commitments"][0]["kind"] = "spaceship".into();
    assert!(!validator.is_valid(&bad));
    let mut unknown = sample();
    unknown["deal"]["discount"] = 5.into();
    assert!(!validator.is_valid(&unknown));
}

#[test]
fn documented_schema_file_matches_what_the_code_prints() {
    let env = Env::new();
    let documented = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/scopepact-v1.schema.json"
    ))
    .unwrap();
    assert!(
        documented == env.ok(&["schema"]),
        "docs/scopepact-v1.schema.json is stale: cargo run -p scopepact-cli -- schema > docs/scopepact-v1.schema.json"
    );
}

/// Issue 12, finding 9: `export -o` never writes through a link, and never replaces a link, a
/// device or a folder with a file.
#[test]
fn export_refuses_targets_that_are_not_regular_files() {
    use std::os::unix::fs::FileTypeExt;
    let env = Env::new();
    let id = env.ok(&["import", SAMPLE]).trim().to_string();
    let dir = env.dir.path();
    // A link planted where the export goes, pointing at a file someone wants overwritten.
    let victim = dir.join("victim.txt");
    std::fs::write(&victim, "precious").unwrap();
    let link = dir.join("scope.json");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    let err = env.fails(&[
        "export",
        &id,
        "--format",
        "json",
        "-o",
        link.to_str().unwrap(),
    ]);
    assert!(err.contains("not a regular file"), "{err}");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    // A named pipe (as a device would be) stays what it is; so does a folder.
    let fifo = dir.join("pipe");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let err = env.fails(&[
        "export",
        &id,
        "--format",
        "json",
        "-o",
        fifo.to_str().unwrap(),
    ]);
    assert!(err.contains("not a regular file"), "{err}");
    assert!(std::fs::symlink_metadata(&fifo)
        .unwrap()
        .file_type()
        .is_fifo());
    let folder = dir.join("folder");
    std::fs::create_dir(&folder).unwrap();
    env.fails(&[
        "export",
        &id,
        "--format",
        "json",
        "-o",
        folder.to_str().unwrap(),
    ]);
    assert!(folder.is_dir());
    // A regular file is replaced whole; no temporary file is left behind.
    let out = dir.join("out.json");
    std::fs::write(&out, "old").unwrap();
    env.ok(&[
        "export",
        &id,
        "--format",
        "json",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(std::fs::read_to_string(&out)
        .unwrap()
        .contains("scopepact/v1"));
    let leftovers: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// Issue 12, finding 10: a title holding terminal escape codes is shown escaped on a terminal;
/// periods that name no year are refused.
#[test]
fn titles_with_escape_codes_are_escaped_on_a_terminal_and_odd_periods_are_refused() {
    let env = Env::new();
    let mut file = sample();
    file["title"] = "Retrofit\u{1b}]0;pwned\u{7}\u{1b}[2J".into();
    let path = env.file("escape.json", &file.to_string());
    env.ok(&["import", &path]);
    // Piped, the output is the data as it is.
    assert!(env.ok(&["list"]).contains('\u{1b}'));
    // On a terminal (a pseudo-terminal made by `script`), it is escaped.
    let command = format!(
        "{} --data-dir {} list",
        env!("CARGO_BIN_EXE_scopepact"),
        env.data().display()
    );
    let out = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(shown.contains("Retrofit\\u{1b}]0;pwned\\u{7}"), "{shown:?}");
    assert!(!shown.contains('\u{1b}'), "{shown:?}");
    for period in ["0", "99999", "+2027"] {
        let err = env.fails(&["kpis", "--period", period]);
        assert!(err.contains("not a period"), "{period}: {err}");
    }
}

/// The command line speaks the language `LANG` (or `LC_MESSAGES`, or `LC_ALL`) names: refusals,
/// invalid values and its own lines come from the one catalogue; English otherwise.
#[test]
fn the_command_line_follows_the_locale() {
    let env = Env::new().with_sample_team();
    let id = env.ok(&["import", SAMPLE]).trim().to_string();
    let refused = |locale: &str| {
        let out = env.run_in(
            locale,
            &[
                "--as",
                ANA,
                "validate",
                &id,
                "C-01",
                "--verdict",
                "feasible",
            ],
        );
        assert!(!out.status.success());
        String::from_utf8(out.stderr).unwrap()
    };
    let spanish = refused("es_ES.UTF-8");
    assert!(
        spanish.contains("solo un perfil de operaciones puede emitir un veredicto de operaciones"),
        "{spanish}"
    );
    assert!(refused("C").contains("only an operational profile may give"));
    assert!(refused("de_DE.UTF-8").contains("only an operational profile"));

    let out = env.run_in(
        "es_MX",
        &[
            "--as",
            JORG,
            "validate",
            &id,
            "C-01",
            "--verdict",
            "conditional",
        ],
    );
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        err.trim(),
        "error: condición: un veredicto condicionado necesita su condición"
    );

    // LC_MESSAGES wins over LANG; LC_ALL over both.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_scopepact"))
        .args([
            "--data-dir",
            env.data().to_str().unwrap(),
            "status",
            "no-such",
        ])
        .env("LANG", "en_US.UTF-8")
        .env("LC_MESSAGES", "es_ES.UTF-8")
        .env_remove("LC_ALL")
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("no es un id de documento"), "{err}");

    let out = env.run_in(
        "es_ES.UTF-8",
        &[
            "--as",
            JORG,
            "validate",
            &id,
            "C-01",
            "--verdict",
            "feasible",
        ],
    );
    let line = String::from_utf8(out.stderr).unwrap();
    assert!(
        line.contains("quedan") && line.contains("condiciones"),
        "{line}"
    );
}
