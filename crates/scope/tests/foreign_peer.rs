//! What a stock automerge-repo peer in JavaScript writes (strings as text, whole numbers as
//! integers, enum names as text) is read, not refused: such an edit never makes a scope
//! document unreadable, and ScopePact's own edits go on working on top of it.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use automerge::transaction::Transactable;
use automerge::{ObjType, ReadDoc, ROOT};
use scopepact_scope::edit::{Actor, CommitmentField, Edit};
use scopepact_scope::interchange::{Document, Role};
use scopepact_scope::{document, Automerge};

const SAMPLE: &str = include_str!("../../../tests/fixtures/press-line-retrofit.json");

fn ana() -> Actor {
    Actor {
        name: "Ana Ruiz".into(),
        email: "ana@pressworks.example".into(),
        role: Some(Role::Commercial),
        device: "laptop".into(),
        automerge_actor: "a1a1".into(),
        certificate: None,
    }
}

/// Replaces `key` of `obj` with a text object holding `value`, as `doc.key = value` does in JS.
fn put_text(doc: &mut Automerge, obj: &automerge::ObjId, key: &str, value: &str) {
    let mut tx = doc.transaction();
    let text = tx.put_object(obj, key, ObjType::Text).unwrap();
    tx.splice_text(&text, 0, 0, value).unwrap();
    tx.commit();
}

#[test]
fn text_integers_and_text_enum_names_from_a_javascript_peer_are_read() {
    let mut doc = document::from_file(&Document::parse(SAMPLE).unwrap(), &ana()).unwrap();
    let (_, commitments) = doc.get(ROOT, "commitments").unwrap().unwrap();
    let (first_id, _) = doc
        .map_range(&commitments, ..)
        .next()
        .map(|item| (item.key.to_string(), ()))
        .unwrap();
    let (_, first) = doc.get(&commitments, first_id.as_str()).unwrap().unwrap();
    let (_, customer) = doc.get(ROOT, "customer").unwrap().unwrap();

    put_text(&mut doc, &ROOT, "title", "Retrofit — Línea 3 (revisado)");
    put_text(&mut doc, &customer, "site", "Planta de Vitoria");
    put_text(&mut doc, &first, "kind", "Service");
    {
        let mut tx = doc.transaction();
        tx.put(&first, "price", 990_000_i64).unwrap();
        tx.put(&first, "quantity", 2_u64).unwrap();
        tx.commit();
    }

    let file = document::to_file(&doc).unwrap();
    assert_eq!(file.title, "Retrofit — Línea 3 (revisado)");
    assert_eq!(file.customer.site, "Planta de Vitoria");
    let changed = file
        .commitments
        .iter()
        .find(|c| c.price.map(|n| n.0) == Some(990_000.0))
        .unwrap();
    assert_eq!(changed.quantity.map(|n| n.0), Some(2.0));
    assert_eq!(format!("{:?}", changed.kind), "Service");

    // ScopePact edits the same fields afterwards as it always does.
    let id = first_id.clone();
    document::apply(
        &mut doc,
        &Edit::UpdateCommitment {
            id,
            changes: vec![CommitmentField::Price(Some(1_000_000.5))],
        },
        &ana(),
    )
    .unwrap();
    let file = document::to_file(&doc).unwrap();
    assert!(file
        .commitments
        .iter()
        .any(|c| c.price.map(|n| n.0) == Some(1_000_000.5)));
}

#[test]
fn a_value_of_the_wrong_kind_reads_as_damage_with_where_it_is() {
    // It used to make the whole document unreadable (issue 12): now the rest reads and the
    // title is listed as damage.
    let mut doc = document::from_file(&Document::parse(SAMPLE).unwrap(), &ana()).unwrap();
    let mut tx = doc.transaction();
    tx.put(ROOT, "title", true).unwrap();
    tx.commit();
    let model = document::read(&doc).unwrap();
    let damage = scopepact_scope::damage::report(&doc, &model);
    assert_eq!(damage.len(), 1, "{damage:?}");
    assert_eq!(
        (damage[0].field.as_str(), damage[0].found.as_str()),
        ("title", "true")
    );
    assert_eq!(model.commitments.len(), 7);
}
