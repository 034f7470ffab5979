//! Deleting a commitment that someone else edited offline: the edit is never dropped. The
//! deletion leaves a record and the commitment's object stays, hidden; when an edit made
//! before the deletion was known arrives, the team is asked to restore or confirm.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use scopepact_scope::edit::{Actor, CommitmentField, Edit};
use scopepact_scope::interchange::{Document, Role};
use scopepact_scope::view::DocumentView;
use scopepact_scope::{document, Automerge};

const SAMPLE: &str = include_str!("../../../tests/fixtures/press-line-retrofit.json");

fn person(name: &str, role: Role, actor: &str) -> Actor {
    Actor {
        name: name.into(),
        email: format!(
            "{}@pressworks.example",
            name.to_lowercase().replace(' ', ".")
        ),
        role: Some(role),
        device: format!("laptop of {name}"),
        automerge_actor: actor.into(),
        certificate: None,
    }
}
fn ana() -> Actor {
    person("Ana Ruiz", Role::Commercial, "a1a1")
}
fn jorg() -> Actor {
    person("Jörg Müller", Role::Operational, "b2b2")
}

fn view(doc: &Automerge) -> DocumentView {
    DocumentView::new("doc", doc, &document::read(doc).unwrap()).unwrap()
}
fn id_of(doc: &Automerge, reference: &str) -> String {
    view(doc)
        .commitments
        .into_iter()
        .find(|c| c.reference == reference)
        .unwrap()
        .id
}
fn references(doc: &Automerge) -> Vec<String> {
    view(doc)
        .commitments
        .into_iter()
        .map(|c| c.reference)
        .collect()
}
fn json(doc: &Automerge) -> String {
    serde_json::to_string(&document::to_file(doc).unwrap()).unwrap()
}

/// Ana deletes C-04 while Jörg, offline, changes its price; both merged, in both orders.
fn deleted_here_edited_there() -> (Automerge, Automerge, String) {
    let mut ana_doc = document::from_file(&Document::parse(SAMPLE).unwrap(), &ana()).unwrap();
    let mut jorg_doc = ana_doc.fork();
    let c04 = id_of(&ana_doc, "C-04");
    document::apply(
        &mut ana_doc,
        &Edit::DeleteCommitment { id: c04.clone() },
        &ana(),
    )
    .unwrap();
    document::apply(
        &mut jorg_doc,
        &Edit::UpdateCommitment {
            id: c04.clone(),
            changes: vec![CommitmentField::Price(Some(48_500.0))],
        },
        &jorg(),
    )
    .unwrap();
    let mut a = ana_doc.fork();
    a.merge(&mut jorg_doc.fork()).unwrap();
    let mut j = jorg_doc.fork();
    j.merge(&mut ana_doc.fork()).unwrap();
    (a, j, c04)
}

#[test]
fn an_edit_to_a_commitment_deleted_elsewhere_is_kept_and_put_to_the_team() {
    let (a, j, c04) = deleted_here_edited_there();
    assert_eq!(json(&a), json(&j), "both replicas read the same");
    assert!(
        !references(&a).contains(&"C-04".to_string()),
        "the deletion holds until someone decides"
    );
    for replica in [&a, &j] {
        let questions = view(replica).deletions;
        assert_eq!(questions.len(), 1);
        assert_eq!(questions[0].id, c04);
        assert_eq!(questions[0].reference, "C-04");
        assert_eq!(questions[0].deleted_by, "Ana Ruiz");
        assert_eq!(questions[0].changed, vec!["price".to_string()]);
        assert!(view(replica).conflicts.is_empty());
    }
}

#[test]
fn restoring_brings_the_commitment_back_with_the_edit() {
    let (mut a, mut j, c04) = deleted_here_edited_there();
    document::apply(
        &mut j,
        &Edit::RestoreCommitment { id: c04.clone() },
        &jorg(),
    )
    .unwrap();
    a.merge(&mut j).unwrap();
    for replica in [&a, &j] {
        let v = view(replica);
        let back = v.commitments.iter().find(|c| c.id == c04).unwrap();
        assert_eq!(back.price, Some(48_500.0));
        assert_eq!(back.reference, "C-04");
        assert!(v.deletions.is_empty());
    }
    assert_eq!(json(&a), json(&j));
    assert_eq!(references(&a).len(), 7);
}

#[test]
fn confirming_keeps_it_deleted_and_settles_the_question() {
    let (mut a, mut j, c04) = deleted_here_edited_there();
    document::apply(&mut a, &Edit::ConfirmDeletion { id: c04.clone() }, &ana()).unwrap();
    j.merge(&mut a).unwrap();
    for replica in [&a, &j] {
        assert!(view(replica).deletions.is_empty());
        assert_eq!(references(replica).len(), 6);
    }
    // Restoring stays possible afterwards: the content is still there.
    document::apply(
        &mut j,
        &Edit::RestoreCommitment { id: c04.clone() },
        &jorg(),
    )
    .unwrap();
    assert_eq!(
        view(&j)
            .commitments
            .iter()
            .find(|c| c.id == c04)
            .unwrap()
            .price,
        Some(48_500.0)
    );
}

#[test]
fn a_plain_deletion_asks_nothing_and_unknown_ids_are_refused() {
    let mut doc = document::from_file(&Document::parse(SAMPLE).unwrap(), &ana()).unwrap();
    let c02 = id_of(&doc, "C-02");
    document::apply(
        &mut doc,
        &Edit::DeleteCommitment { id: c02.clone() },
        &ana(),
    )
    .unwrap();
    assert!(view(&doc).deletions.is_empty());
    assert_eq!(references(&doc).len(), 6);
    // Reloading from bytes reads the same.
    let reloaded = Automerge::load(&doc.save()).unwrap();
    assert_eq!(json(&reloaded), json(&doc));
    let c03 = id_of(&doc, "C-03");
    for refused in [
        Edit::RestoreCommitment { id: c03.clone() },
        Edit::ConfirmDeletion { id: c03 },
        Edit::RestoreCommitment { id: "nope".into() },
    ] {
        let error = document::apply(&mut doc, &refused, &ana())
            .unwrap_err()
            .to_string();
        assert!(error.contains("deleted commitment"), "{error}");
    }
    // A new commitment does not take a deleted one's reference.
    let c07 = id_of(&doc, "C-07");
    document::apply(
        &mut doc,
        &Edit::DeleteCommitment { id: c07.clone() },
        &ana(),
    )
    .unwrap();
    document::apply(
        &mut doc,
        &Edit::AddCommitment {
            title: "Spare parts".into(),
            kind: scopepact_scope::interchange::CommitmentKind::Product,
            after: None,
        },
        &ana(),
    )
    .unwrap();
    assert!(
        references(&doc).contains(&"C-08".to_string()),
        "{:?}",
        references(&doc)
    );
    document::apply(&mut doc, &Edit::RestoreCommitment { id: c07 }, &ana()).unwrap();
    let mut refs = references(&doc);
    refs.sort();
    refs.dedup();
    assert_eq!(refs.len(), references(&doc).len(), "no reference twice");
    // A deleted commitment cannot be edited or deleted again like a live one.
    assert!(document::apply(&mut doc, &Edit::DeleteCommitment { id: c02 }, &ana()).is_err());
}
