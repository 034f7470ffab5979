//! Randomised hostile peers (issue 12, findings 3 and 8): any value of any kind written at any
//! field of the model, or the field removed, in any combination. Whatever was written, the
//! document reads, its view is built, its export imports again, and a repair never fails and
//! leaves a document whose export still imports.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;

use automerge::transaction::Transactable;
use automerge::{ObjId, ObjType, ReadDoc, ScalarValue, ROOT};
use proptest::prelude::*;
use scopepact_scope::interchange::Document;
use scopepact_scope::view::DocumentView;
use scopepact_scope::{damage, document, Automerge};

/// Where a bad value goes: a path from the root, `*` standing for the first item of a map.
const PATHS: &[&[&str]] = &[
    &["title"],
    &["model_version"],
    &["customer"],
    &["customer", "name"],
    &["customer", "contact"],
    &["deal", "value"],
    &["deal", "currency"],
    &["deal", "target_close"],
    &["deal", "significant"],
    &["deal", "margin_threshold_pct"],
    &["people"],
    &["people", "commercial_lead", "email"],
    &["commitments"],
    &["commitments", "*"],
    &["commitments", "*", "reference"],
    &["commitments", "*", "kind"],
    &["commitments", "*", "title"],
    &["commitments", "*", "description"],
    &["commitments", "*", "quantity"],
    &["commitments", "*", "price"],
    &["commitments", "*", "cost_estimate"],
    &["commitments", "*", "parameters"],
    &["commitments", "*", "delivery"],
    &["commitments", "*", "delivery", "date"],
    &["commitments", "*", "validation"],
    &["commitments", "*", "validation", "status"],
    &["commitments", "*", "validation", "at"],
    &["commitments", "*", "validation", "condition"],
    &["commitments", "*", "position"],
    &["ambiguities", "*"],
    &["ambiguities", "*", "reference"],
    &["ambiguities", "*", "status"],
    &["ambiguities", "*", "severity"],
    &["ambiguities", "*", "commitments"],
    &["ambiguities", "*", "due"],
    &["ambiguities", "*", "answer"],
    &["assumptions", "*", "text"],
    &["assumptions", "*", "agreed_by"],
    &["exclusions"],
    &["overrides"],
    &["signatures"],
    &["amendments"],
    &["actors"],
    &["actors", "*"],
    &["import_base"],
    &["meeting"],
    &["meeting", "held_at"],
    &["meeting", "minutes"],
    &["meeting", "attendees"],
    &["rework"],
    &["satisfaction"],
    &["deleted_commitments"],
    &["milestones"],
];

#[derive(Debug, Clone)]
enum Bad {
    Remove,
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Null,
    List,
    Map,
    Text(String),
}

fn bad() -> impl Strategy<Value = Bad> {
    prop_oneof![
        Just(Bad::Remove),
        prop_oneof![
            Just("abc".to_string()),
            Just(String::new()),
            Just("Spaceship".to_string()),
            Just("2027-2-3".to_string()),
            Just("C-01".to_string()),
            Just("x".repeat(100_001)),
        ]
        .prop_map(Bad::Str),
        prop_oneof![Just(-5i64), Just(i64::MAX), Just(42)].prop_map(Bad::Int),
        prop_oneof![Just(-1.5f64), Just(f64::INFINITY), Just(1e300)].prop_map(Bad::Float),
        any::<bool>().prop_map(Bad::Bool),
        Just(Bad::Null),
        Just(Bad::List),
        Just(Bad::Map),
        Just(Bad::Text("Größe".into())),
    ]
}

/// The object at `path` (all but its last step), `*` taking the first key of a map.
fn parent(tx: &impl ReadDoc, path: &[&str]) -> Option<(ObjId, String)> {
    let mut obj = ROOT;
    let (last, steps) = path.split_last()?;
    let key_of = |obj: &ObjId, step: &str| -> Option<String> {
        if step == "*" {
            tx.map_range(obj, ..).next().map(|i| i.key.to_string())
        } else {
            Some(step.to_string())
        }
    };
    for step in steps {
        let key = key_of(&obj, step)?;
        match tx.get(&obj, key.as_str()).ok()? {
            Some((automerge::Value::Object(ObjType::Map), child)) => obj = child,
            _ => return None,
        }
    }
    let key = key_of(&obj, last)?;
    Some((obj, key))
}

fn write(doc: &mut Automerge, path: &[&str], value: &Bad) {
    let mut tx = doc.transaction();
    if let Some((obj, key)) = parent(&tx, path) {
        let key = key.as_str();
        match value {
            Bad::Remove => {
                let _ = tx.delete(&obj, key);
            }
            Bad::Str(s) => tx.put(&obj, key, s.as_str()).unwrap(),
            Bad::Int(i) => tx.put(&obj, key, *i).unwrap(),
            Bad::Float(f) => tx.put(&obj, key, ScalarValue::F64(*f)).unwrap(),
            Bad::Bool(b) => tx.put(&obj, key, *b).unwrap(),
            Bad::Null => tx.put(&obj, key, ScalarValue::Null).unwrap(),
            Bad::List => {
                let list = tx.put_object(&obj, key, ObjType::List).unwrap();
                tx.insert(&list, 0, "garbage").unwrap();
            }
            Bad::Map => {
                let map = tx.put_object(&obj, key, ObjType::Map).unwrap();
                tx.put(&map, "garbage", 1).unwrap();
            }
            Bad::Text(s) => {
                let text = tx.put_object(&obj, key, ObjType::Text).unwrap();
                tx.splice_text(&text, 0, 0, s).unwrap();
            }
        }
    }
    tx.commit();
}

fn exports_and_imports(doc: &Automerge) {
    let model = document::read(doc).unwrap();
    DocumentView::new("doc", doc, &model).unwrap();
    let _ = damage::report(doc, &model);
    let file = document::to_file(doc).unwrap();
    let text = serde_json::to_string(&file).unwrap();
    if let Err(e) = Document::parse(&text) {
        panic!("the export does not import again: {e}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]
    #[test]
    fn whatever_a_peer_writes_the_document_reads_and_exports(
        writes in proptest::collection::vec((0..PATHS.len(), bad()), 1..6)
    ) {
        let mut doc = common::ready_to_sign();
        for (path, value) in &writes {
            write(&mut doc, PATHS[*path], value);
        }
        exports_and_imports(&doc);
        damage::repair(&mut doc, &common::ana()).unwrap();
        exports_and_imports(&doc);
    }
}
