//! The capability library through the command line, as a script or a person would use it: a
//! deal is validated and signed, and its validated commitments are found from another deal by
//! typing part of their words, whatever the case and the accents.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;

use common::{Env, SAMPLE};
use serde_json::Value;

fn search(env: &Env, text: &str) -> Vec<Value> {
    let out = env.ok(&["library", "search", text, "--json"]);
    serde_json::from_str::<Value>(&out)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn refs(found: &[Value]) -> Vec<String> {
    found
        .iter()
        .map(|e| e["ref"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn validated_commitments_of_a_signed_deal_are_found_in_the_library() {
    let env = Env::new().with_sample_team();
    // Imported, not signed: nothing validated counts yet.
    env.ok(&["import", SAMPLE]);
    assert!(search(&env, "quick die").is_empty());

    let id = env.sample_signed();
    let found = search(&env, "quick die");
    assert_eq!(refs(&found), ["C-02"]);
    let entry = &found[0];
    assert_eq!(entry["title"], "Quick die change system");
    assert_eq!(entry["verdict"], "feasible");
    assert_eq!(entry["validated_by"], "Jörg Müller");
    assert_eq!(entry["validated_at"], "2026-11-20T10:14:00Z");
    assert_eq!(entry["document_id"], id.as_str());
    assert_eq!(entry["customer"], "Metalúrgica del Norte S.A.");
    assert!(entry["id"].as_str().unwrap().starts_with(&format!("{id}:")));
    assert_eq!(entry["condition"], Value::Null);

    let conditional = search(&env, "LIGHT curt");
    assert_eq!(refs(&conditional), ["C-03"]);
    assert_eq!(conditional[0]["verdict"], "conditional");
    assert_eq!(
        conditional[0]["condition"],
        "Customer provides the current risk assessment of line 3 by week 4."
    );

    // A person reads it: verdict, who, when, for whom, and the condition.
    let text = env.ok(&["library", "search", "light curtains"]);
    assert!(
        text.contains("conditional by Jörg Müller on 2026-11-20 for Metalúrgica del Norte S.A. (condition: Customer provides"),
        "{text}"
    );
    // Nothing matches: an empty list, and a word on stderr.
    assert_eq!(env.ok(&["library", "search", "pneumatic"]), "");
}

#[test]
fn spanish_words_match_with_or_without_accents() {
    let env = Env::new().with_sample_team();
    let spanish = std::fs::read_to_string(SAMPLE)
        .unwrap()
        .replace(
            "Quick die change system",
            "Sistema de cambio rápido de matrices",
        )
        .replace(
            "Operator and maintenance training in Spanish",
            "Formación de operarios y mantenimiento en español",
        );
    let file = env.file("muestra.json", &spanish);
    env.signed_from(&file);
    for typed in ["rápido", "RAPIDO matri", "cambio rap", "Matrices"] {
        assert_eq!(refs(&search(&env, typed)), ["C-02"], "{typed}");
    }
    for typed in ["formacion", "FORMACIÓN espa", "operari"] {
        assert_eq!(refs(&search(&env, typed)), ["C-06"], "{typed}");
    }
}

#[test]
fn what_is_typed_is_searched_for_never_run_as_a_query() {
    let env = Env::new().with_sample_team();
    env.sample_signed();
    for hostile in [
        "\"",
        "die\" OR \"",
        "NEAR(quick die)",
        "-die",
        "*",
        "title:quick",
        "",
    ] {
        let out = env.run(&["library", "search", "--json", "--", hostile]);
        assert!(out.status.success(), "{hostile}: {out:?}");
    }
}
