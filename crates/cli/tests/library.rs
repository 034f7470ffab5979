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

fn commitment<'a>(doc: &'a Value, reference: &str) -> &'a Value {
    doc["commitments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["ref"] == reference)
        .unwrap()
}

#[test]
fn a_second_deal_reuses_what_operations_validated_and_confirms_it_in_one_action() {
    use common::{ANA, JORG};
    let env = Env::new().with_sample_team();
    env.sample_signed();
    let entry_of = |text: &str| search(&env, text)[0]["id"].as_str().unwrap().to_string();
    let (quick_die, curtains) = (entry_of("quick die"), entry_of("light curtains"));

    let deal = env
        .ok(&["--as", ANA, "new", "--title", "Prensa 9"])
        .trim()
        .to_string();
    let inserted = env.ok(&["--as", ANA, "library", "insert", &deal, &quick_die]);
    assert_eq!(inserted.trim(), "C-01");
    let export = |id: &str| -> Value {
        serde_json::from_str(&env.ok(&["export", id, "--format", "json"])).unwrap()
    };
    let c01 = commitment(&export(&deal), "C-01").clone();
    assert_eq!(c01["title"], "Quick die change system");
    assert_eq!(c01["parameters"][0]["name"], "Die change time");
    assert_eq!(
        c01["validation"]["status"], "pending",
        "a reused commitment starts pending"
    );

    // Only operations confirms; then the entry's verdict holds, recorded as confirmed.
    let err = env.fails(&["--as", ANA, "validate", &deal, "C-01", "--from-library"]);
    assert!(err.contains("only an operational profile"), "{err}");
    env.ok(&["--as", JORG, "validate", &deal, "C-01", "--from-library"]);
    let c01 = commitment(&export(&deal), "C-01").clone();
    assert_eq!(c01["validation"]["status"], "feasible");
    assert_eq!(c01["validation"]["by"], "Jörg Müller");
    let view = scopepact_workspace::Workspace::open(Some(env.data()))
        .unwrap()
        .view(&deal)
        .unwrap();
    let c01 = view
        .commitments
        .iter()
        .find(|c| c.reference == "C-01")
        .unwrap();
    assert_eq!(
        c01.validation.from_library.as_deref(),
        Some(quick_die.as_str())
    );
    let origin = c01.library.as_ref().unwrap();
    assert_eq!(origin.validated_by, "Jörg Müller");
    assert_eq!(origin.customer, "Metalúrgica del Norte S.A.");

    // A conditional entry confirms as conditional, with its condition.
    assert_eq!(
        env.ok(&["--as", ANA, "library", "insert", &deal, &curtains])
            .trim(),
        "C-02"
    );
    env.ok(&["--as", JORG, "validate", &deal, "C-02", "--from-library"]);
    let c02 = commitment(&export(&deal), "C-02").clone();
    assert_eq!(c02["validation"]["status"], "conditional");
    assert!(c02["validation"]["condition"]
        .as_str()
        .unwrap()
        .contains("risk assessment"));

    // Changed parameters: no confirmation in one action, and what differs is named; a price
    // of this deal is not what operations judged, and does not stand in the way.
    assert_eq!(
        env.ok(&["--as", ANA, "library", "insert", &deal, &quick_die])
            .trim(),
        "C-03"
    );
    let mut ws = scopepact_workspace::Workspace::open(Some(env.data())).unwrap();
    ws.act_as(Some(ANA.into())).unwrap();
    let id = ws.item_id_by_ref(&deal, "C-03").unwrap();
    use scopepact_scope::edit::{CommitmentField, Edit, Parameter};
    ws.edit(
        &deal,
        &Edit::UpdateCommitment {
            id: id.clone(),
            changes: vec![CommitmentField::Price(Some(1.0))],
        },
    )
    .unwrap();
    let view = ws.view(&deal).unwrap();
    let c03 = view
        .commitments
        .iter()
        .find(|c| c.reference == "C-03")
        .unwrap();
    assert!(c03.library.as_ref().unwrap().changed.is_empty());
    ws.edit(
        &deal,
        &Edit::UpdateCommitment {
            id,
            changes: vec![CommitmentField::Parameters(vec![Parameter {
                name: "Die change time".into(),
                value: "5".into(),
                unit: "min".into(),
                tolerance: "≤".into(),
            }])],
        },
    )
    .unwrap();
    let err = env.fails(&["--as", JORG, "validate", &deal, "C-03", "--from-library"]);
    assert!(
        err.contains("changed since it was inserted from the library (parameters)"),
        "{err}"
    );
    let both = env.run(&[
        "--as",
        JORG,
        "validate",
        &deal,
        "C-01",
        "--from-library",
        "--verdict",
        "feasible",
    ]);
    assert!(!both.status.success());
    assert!(String::from_utf8_lossy(&both.stderr).contains("cannot be used with"));

    // The indicators count it.
    let kpis: Value = serde_json::from_str(&env.ok(&["kpis", "--json"])).unwrap();
    let library = &kpis[0]["library"];
    assert_eq!(library["commitments_reused"], 3, "{library}");
    assert_eq!(
        library["validations_confirmed_from_library"], 2,
        "{library}"
    );
    assert!(
        library["median_validation_hours_with_match"].is_number(),
        "{library}"
    );
}

#[test]
fn an_edit_cannot_claim_a_verdict_the_library_does_not_hold() {
    use common::ANA;
    use scopepact_scope::edit::{Edit, LibraryCommitment};
    use scopepact_scope::interchange::{CommitmentKind, ValidationStatus};
    let env = Env::new().with_sample_team();
    env.sample_signed();
    let entry = search(&env, "quick die")[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let deal = env
        .ok(&["--as", ANA, "new", "--title", "Prensa 9"])
        .trim()
        .to_string();
    let mut ws = scopepact_workspace::Workspace::open(Some(env.data())).unwrap();
    ws.act_as(Some(ANA.into())).unwrap();
    let forged = |entry: &str| Edit::AddFromLibrary {
        entry: Box::new(LibraryCommitment {
            entry: entry.to_string(),
            kind: CommitmentKind::Product,
            title: "Press doubles its speed".into(),
            description: String::new(),
            quantity: None,
            unit: String::new(),
            parameters: vec![],
            lead_time_weeks: None,
            acceptance: String::new(),
            price: None,
            cost_estimate: None,
            verdict: ValidationStatus::Feasible,
            condition: None,
            validated_by: "Someone Else".into(),
            validated_at: "2026-01-01T00:00:00Z".into(),
            deal: "Invented".into(),
            customer: "Invented".into(),
        }),
        after: None,
    };
    let err = ws.edit(&deal, &forged("nope:nope")).unwrap_err();
    assert!(
        scopepact_messages::say(scopepact_messages::Language::En, &err.message())
            .contains("no library entry nope:nope")
    );
    let (_, view) = ws.edit(&deal, &forged(&entry)).unwrap();
    let inserted = &view.commitments[0];
    assert_eq!(
        inserted.title, "Quick die change system",
        "the library's wording, not the edit's"
    );
    let origin = inserted.library.as_ref().unwrap();
    assert_eq!(origin.validated_by, "Jörg Müller");
    assert_eq!(origin.customer, "Metalúrgica del Norte S.A.");
}
