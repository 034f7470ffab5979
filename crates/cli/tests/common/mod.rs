//! A data directory and the `scopepact` binary run on it, as scripts run it.
#![allow(dead_code)] // each test file uses its own part of it

pub mod server;

use std::path::PathBuf;
use std::process::{Command, Output};

pub const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/fixtures/press-line-retrofit.json"
);

pub struct Env {
    pub dir: tempfile::TempDir,
}

impl Env {
    pub fn new() -> Env {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }
    pub fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }
    /// Runs the command in English (`LANG=C`), whatever this machine's locale.
    pub fn run(&self, args: &[&str]) -> Output {
        self.run_in("C", args)
    }
    /// Runs the command with `LANG=locale` (and no `LC_ALL`/`LC_MESSAGES` to override it).
    pub fn run_in(&self, locale: &str, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_scopepact"))
            .arg("--data-dir")
            .arg(self.data())
            .args(args)
            .env_remove("SCOPEPACT_DATA_DIR")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env("LANG", locale)
            .output()
            .unwrap()
    }
    /// Starts a command without waiting for it (to interrupt it).
    pub fn spawn(&self, args: &[&str]) -> std::process::Child {
        Command::new(env!("CARGO_BIN_EXE_scopepact"))
            .arg("--data-dir")
            .arg(self.data())
            .args(args)
            .env_remove("SCOPEPACT_DATA_DIR")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    }
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }
    /// Runs a command that must fail; returns its single stderr line.
    pub fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(!out.status.success(), "{args:?} should have failed");
        assert!(out.stdout.is_empty(), "nothing on stdout when failing");
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(
            err.trim_end().lines().count(),
            1,
            "one line on stderr: {err}"
        );
        err
    }
    pub fn file(&self, name: &str, text: &str) -> String {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.to_string_lossy().into_owned()
    }
}

pub const ANA: &str = "ana.ruiz@pressworks.example";
pub const JORG: &str = "j.mueller@pressworks.example";
pub const CARMEN: &str = "c.diaz@pressworks.example";

impl Env {
    /// The sample deal's commercial lead, operational lead and executive, as profiles here.
    pub fn with_sample_team(self) -> Env {
        for (name, email, role) in [
            ("Ana Ruiz", ANA, "commercial"),
            ("Jörg Müller", JORG, "operational"),
            ("Carmen Díaz", CARMEN, "executive"),
        ] {
            self.ok(&[
                "profile", "add", "--name", name, "--email", email, "--role", role,
            ]);
        }
        self
    }

    /// Imports the sample and takes it to `ready_to_sign` through the CLI, as the team would.
    pub fn sample_ready_to_sign(&self) -> String {
        self.ready_to_sign_from(SAMPLE)
    }

    /// [`Env::sample_ready_to_sign`] from a variant of the sample (`file`).
    pub fn ready_to_sign_from(&self, file: &str) -> String {
        let id = self.ok(&["import", file]).trim().to_string();
        for c in ["C-01", "C-04", "C-06", "C-07"] {
            self.ok(&["--as", JORG, "validate", &id, c, "--verdict", "feasible"]);
        }
        self.ok(&[
            "ambiguity",
            "resolve",
            &id,
            "A-01",
            "--answer",
            "Drawings on 2 Dec.",
        ]);
        self.ok(&[
            "ambiguity",
            "transfer",
            &id,
            "A-02",
            "--owner",
            "Jörg Müller",
            "--due",
            "2027-01-15",
        ]);
        self.ok(&["--as", ANA, "agree", &id, "exclusion", "2"]);
        self.ok(&[
            "--as",
            CARMEN,
            "override",
            &id,
            "--gate",
            "economics",
            "--reason",
            "Strategic account",
        ]);
        id
    }
}

impl Env {
    /// The sample, ready to sign, signed by both leads and the customer (on Ana's laptop).
    pub fn sample_signed(&self) -> String {
        self.signed_from(SAMPLE)
    }

    /// [`Env::sample_signed`] from a variant of the sample (`file`).
    pub fn signed_from(&self, file: &str) -> String {
        let id = self.ready_to_sign_from(file);
        self.ok(&["--as", ANA, "sign", &id]);
        self.ok(&["--as", JORG, "sign", &id]);
        self.ok(&[
            "--as",
            ANA,
            "sign",
            &id,
            "--role",
            "customer",
            "--customer-name",
            "Íñigo Fernández",
            "--customer-email",
            "ifernandez@metanorte.example",
        ]);
        id
    }
}

/// Runs a tool of the system (poppler, qpdf) and returns its stdout; fails the test when it is
/// missing or fails.
pub fn tool(program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!("{program} is not installed ({e}): scripts/setup.sh installs it")
        });
    assert!(
        out.status.success(),
        "{program} {args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Adds `count` commitments with long, accented descriptions to a document, as the commercial
/// lead writes them (through the workspace, as the app does: the CLI has no command for it).
pub fn add_long_commitments(data: &std::path::Path, id: &str, count: usize) {
    use scopepact_scope::edit::{CommitmentField, Edit};
    use scopepact_scope::interchange::CommitmentKind;
    let mut ws = scopepact_workspace::Workspace::open(Some(data.to_path_buf())).unwrap();
    ws.act_as(Some(ANA.into())).unwrap();
    for n in 0..count {
        let (outcome, _) = ws
            .edit(
                id,
                &Edit::AddCommitment {
                    title: format!("Línea {n}: Größe und Qualität der Schweißnaht, Łódź spec"),
                    kind: CommitmentKind::Specification,
                    after: None,
                },
            )
            .unwrap();
        let commitment = outcome.created_id.unwrap();
        ws.edit(
            id,
            &Edit::UpdateCommitment {
                id: commitment,
                changes: vec![
                    CommitmentField::Description(
                        "Welded frame per EN ISO 3834-2, visual and ultrasonic inspection of every \
                         seam; the customer's inspector may witness the tests. Tolerancia ±0,5 mm \
                         en la planitud de la base; São Paulo and Kraków suppliers accepted."
                            .repeat(2),
                    ),
                    CommitmentField::Price(Some(1000.0 + n as f64)),
                    CommitmentField::CostEstimate(Some(800.0)),
                ],
            },
        )
        .unwrap();
    }
}
