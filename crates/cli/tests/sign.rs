//! `scopepact sign` and `scopepact amend`: the leads and the customer sign a ready scope, it is
//! sealed, an amendment reopens it; refusals say why and write nothing. Keys stay private.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;

use common::{Env, ANA, CARMEN, JORG};
use serde_json::Value;

fn status(env: &Env, id: &str) -> String {
    let v: Value = serde_json::from_str(&env.ok(&["status", id, "--json"])).unwrap();
    v["status"].as_str().unwrap().to_string()
}

fn sign(env: &Env, who: &str, id: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["--as", who, "sign", id];
    args.extend_from_slice(extra);
    env.run(&args)
}

#[test]
fn the_leads_and_the_customer_sign_and_the_scope_is_sealed_until_an_amendment() {
    let env = Env::new().with_sample_team();
    let id = env.sample_ready_to_sign();

    let out = sign(&env, ANA, &id, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("signed as commercial_lead"), "{said}");
    assert!(
        said.contains("still needed: operational_lead, customer"),
        "{said}"
    );
    assert_eq!(status(&env, &id), "ready_to_sign");

    // Refusals: again as commercial lead; the executive; a customer without a name.
    let before = env.ok(&["export", &id, "--format", "json"]);
    assert!(env
        .fails(&["--as", ANA, "sign", &id])
        .contains("does not need a signature from the commercial lead"));
    assert!(env
        .fails(&["--as", CARMEN, "sign", &id, "--role", "operational-lead"])
        .contains("cannot sign in that role"));
    let out = sign(&env, ANA, &id, &["--role", "customer"]);
    assert!(!out.status.success());
    assert_eq!(env.ok(&["export", &id, "--format", "json"]), before);

    env.ok(&[
        "--as",
        JORG,
        "sign",
        &id,
        "--statement",
        "Operations commits to this scope.",
    ]);
    let out = sign(
        &env,
        ANA,
        &id,
        &[
            "--role",
            "customer",
            "--customer-name",
            "Íñigo Fernández",
            "--customer-email",
            "ifernandez@metanorte.example",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("sealed"));
    assert_eq!(status(&env, &id), "signed");
    let listed: Value = serde_json::from_str(&env.ok(&["list", "--json"])).unwrap();
    assert_eq!(listed[0]["status"], "signed");

    // Sealed: a content change is refused with the way out.
    let err = env.fails(&[
        "--as",
        JORG,
        "validate",
        &id,
        "C-01",
        "--verdict",
        "infeasible",
        "--note",
        "x",
    ]);
    assert!(err.contains("start an amendment"), "{err}");
    // An amendment needs a reason, then reopens the scope.
    assert!(!env
        .run(&["--as", JORG, "amend", &id, "--reason", " "])
        .status
        .success());
    env.ok(&[
        "--as",
        JORG,
        "amend",
        &id,
        "--reason",
        "The customer asked for 24 spm",
    ]);
    assert_eq!(status(&env, &id), "amended_after_signature");
    env.ok(&[
        "--as",
        JORG,
        "validate",
        &id,
        "C-01",
        "--verdict",
        "conditional",
        "--note",
        "24 spm with the new die set",
    ]);
}

#[test]
fn signing_is_refused_before_the_gate_holds_and_keys_stay_private() {
    let env = Env::new().with_sample_team();
    let id = env.ok(&["import", common::SAMPLE]).trim().to_string();
    let err = env.fails(&["--as", ANA, "sign", &id]);
    assert!(
        err.contains("cannot be signed while it is in validation"),
        "{err}"
    );

    // Each profile has a key of its own, readable only by its owner, shown by fingerprint.
    // (Beside them, the PDF signing keys made on first use are private too; certificates are
    // public.)
    let files: Vec<_> = std::fs::read_dir(env.data().join("keys"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    let keys: Vec<_> = files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "ed25519"))
        .cloned()
        .collect();
    assert_eq!(keys.len(), 3);
    #[cfg(unix)]
    for key in files
        .iter()
        .filter(|p| !p.to_string_lossy().ends_with(".crt.pem"))
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(key).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", key.display());
    }
    let profiles: Value = serde_json::from_str(&env.ok(&["profile", "list", "--json"])).unwrap();
    let fingerprint = profiles[0]["fingerprint"].as_str().unwrap();
    assert_eq!(fingerprint.len(), 19, "{profiles}");
    // The private key appears in no export.
    let seed = std::fs::read_to_string(&keys[0]).unwrap();
    let seed = seed.lines().nth(1).unwrap();
    assert!(!env.ok(&["export", &id, "--format", "json"]).contains(seed));
}
