//! What a broken or hostile peer can write into a synced document, and what reading it must do
//! (issue 12, findings 3, 4 and 8): the rest of the document opens and works, what does not read
//! is listed as damage with who wrote it, the gate waits for it, the export imports again, and a
//! repair restores the last value that read.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;

use automerge::transaction::Transactable;
use automerge::{ActorId, ObjId, ObjType, ReadDoc, ScalarValue, ROOT};
use common::{ana, jorg, ready_to_sign, SAMPLE};
use scopepact_scope::interchange::Document;
use scopepact_scope::validation::GateCode;
use scopepact_scope::view::DocumentView;
use scopepact_scope::{damage, document, Automerge};

/// The peer writes with an actor of its own, registered as "Eve" on "eve-laptop".
fn as_eve(doc: &mut Automerge, write: impl FnOnce(&mut automerge::transaction::Transaction<'_>)) {
    doc.set_actor(ActorId::from(b"eve-actor".as_slice()));
    let mut tx = doc.transaction();
    let (_, actors) = tx.get(ROOT, "actors").unwrap().unwrap();
    let eve = tx
        .put_object(
            &actors,
            ActorId::from(b"eve-actor".as_slice()).to_hex_string(),
            ObjType::Map,
        )
        .unwrap();
    tx.put(&eve, "name", "Eve").unwrap();
    tx.put(&eve, "email", "eve@example.com").unwrap();
    tx.put(&eve, "device", "eve-laptop").unwrap();
    write(&mut tx);
    tx.commit();
}

fn first_commitment(doc: &Automerge) -> ObjId {
    let id = common::commitment(doc, "C-02");
    let (_, commitments) = doc.get(ROOT, "commitments").unwrap().unwrap();
    doc.get(&commitments, id.as_str()).unwrap().unwrap().1
}

fn view(doc: &Automerge) -> DocumentView {
    let model = document::read(doc).unwrap();
    DocumentView::new("doc", doc, &model).unwrap()
}

/// Reads, lists the damage, exports a file that imports again; returns the damage.
fn reads_with_damage(doc: &Automerge) -> Vec<damage::Damage> {
    let model = document::read(doc).unwrap();
    let damage = damage::report(doc, &model);
    assert!(!damage.is_empty(), "the damage is listed");
    view(doc);
    let file = document::to_file(doc).unwrap();
    let text = serde_json::to_string(&file).unwrap();
    Document::parse(&text).expect("the export of a damaged document imports again");
    damage
}

#[test]
fn a_wrong_price_reads_as_damage_written_by_the_peer_and_repairs() {
    let mut doc = ready_to_sign();
    let c = first_commitment(&doc);
    as_eve(&mut doc, |tx| tx.put(&c, "price", "abc").unwrap());
    let damage = reads_with_damage(&doc);
    let price = damage.iter().find(|d| d.field == "price").unwrap();
    assert_eq!(price.item, "C-02");
    assert_eq!(price.found, "\"abc\"");
    assert_eq!(
        (price.by.as_str(), price.device.as_str()),
        ("Eve", "eve-laptop")
    );
    assert!(price.change.is_some() && price.blocks_gate);
    // The damaged commitment counts as not validated; the gate says why.
    let gate = common::gate(&doc);
    assert!(
        gate.contains(&(GateCode::Damaged, Some("C-02".into()))),
        "{gate:?}"
    );
    assert!(
        gate.contains(&(GateCode::ValidationPending, Some("C-02".into()))),
        "{gate:?}"
    );

    let repaired = damage::repair(&mut doc, &jorg()).unwrap();
    assert_eq!(repaired.restored.len(), 1, "{repaired:?}");
    assert!(repaired.restored[0].contains("148000"), "{repaired:?}");
    let model = document::read(&doc).unwrap();
    assert!(model.damaged.0.is_empty());
    assert!(common::gate(&doc).is_empty(), "ready to sign again");
}

#[test]
fn a_removed_title_null_people_and_a_list_for_commitments_leave_the_rest_working() {
    let mut doc = ready_to_sign();
    let before = document::to_file(&doc).unwrap();
    as_eve(&mut doc, |tx| {
        tx.delete(ROOT, "title").unwrap();
        tx.put(ROOT, "people", ScalarValue::Null).unwrap();
        tx.put_object(ROOT, "commitments", ObjType::List).unwrap();
        tx.put(ROOT, "signatures", 42).unwrap();
        tx.put(ROOT, "import_base", "garbage").unwrap();
        let (_, actors) = tx.get(ROOT, "actors").unwrap().unwrap();
        tx.put(&actors, "ffff", "not a record").unwrap();
    });
    let damage = reads_with_damage(&doc);
    let title = damage.iter().find(|d| d.field == "title").unwrap();
    assert_eq!(title.found, "nothing");
    assert_eq!(title.by, "Eve", "the removal is traced to its change");
    let view = view(&doc);
    assert_eq!(view.ambiguities.len(), 3, "ambiguities still read");
    assert_eq!(view.commitments.len(), 0);
    // Edits still work on what reads.
    let a = common::ambiguity(&doc, "A-01");
    document::apply(
        &mut doc,
        &scopepact_scope::edit::Edit::ResolveAmbiguity {
            id: a,
            answer: "Still fine".into(),
        },
        &ana(),
    )
    .unwrap();
    let repaired = damage::repair(&mut doc, &ana()).unwrap();
    assert!(
        repaired.left.iter().all(|l| !l.contains("title")),
        "{repaired:?}"
    );
    let after = document::to_file(&doc).unwrap();
    assert_eq!(after.title, before.title);
    assert_eq!(after.people, before.people);
    assert_eq!(
        after.commitments, before.commitments,
        "every commitment is back"
    );
    let left = document::read(&doc).unwrap().damaged.0;
    assert!(
        left.iter().all(|f| !damage_blocks(f)),
        "only bookkeeping may be left: {left:?}"
    );
}

fn damage_blocks(found: &scopepact_scope::lenient::Found) -> bool {
    matches!(found.path.first(), Some(scopepact_scope::conflicts::PathStep::Key(k)) if ["title","customer","deal","people","commitments","ambiguities","assumptions","exclusions","overrides"].contains(&k.as_str()))
}

#[test]
fn unknown_kinds_negative_prices_bad_currencies_and_dates_are_damage_and_export_imports() {
    let mut doc = ready_to_sign();
    let c = first_commitment(&doc);
    as_eve(&mut doc, |tx| {
        tx.put(&c, "kind", "Spaceship").unwrap();
        tx.put(&c, "cost_estimate", -5.0).unwrap();
        let (_, deal) = tx.get(ROOT, "deal").unwrap().unwrap();
        tx.put(&deal, "currency", "euro").unwrap();
        tx.put(&deal, "target_close", "2027-2-3").unwrap();
        tx.put(&deal, "significant", "yes").unwrap();
        let (_, delivery) = tx.get(&c, "delivery").unwrap().unwrap();
        tx.put(&delivery, "date", "+99999-01-01").unwrap();
        tx.put(&c, "description", "x".repeat(200_000)).unwrap();
        tx.put(&c, "parameters", "none").unwrap();
    });
    let damage = reads_with_damage(&doc);
    for field in [
        "kind",
        "cost_estimate",
        "currency",
        "target_close",
        "significant",
        "delivery.date",
        "description",
        "parameters",
    ] {
        assert!(
            damage
                .iter()
                .any(|d| d.field == field || d.field.ends_with(field)),
            "{field} not listed: {damage:?}"
        );
    }
    let long = damage.iter().find(|d| d.field == "description").unwrap();
    assert!(long.found.contains("200002 bytes"), "{}", long.found);
}

#[test]
fn a_map_nested_a_thousand_deep_does_not_overflow_the_stack() {
    let mut doc = ready_to_sign();
    as_eve(&mut doc, |tx| {
        let mut obj = tx.put_object(ROOT, "unknown_key", ObjType::Map).unwrap();
        for _ in 0..5_000 {
            obj = tx.put_object(&obj, "deeper", ObjType::Map).unwrap();
        }
        let c = {
            let (_, commitments) = tx.get(ROOT, "commitments").unwrap().unwrap();
            let (id, _) = tx
                .map_range(&commitments, ..)
                .next()
                .map(|i| (i.key.to_string(), ()))
                .unwrap();
            tx.get(&commitments, id.as_str()).unwrap().unwrap().1
        };
        let mut obj = tx.put_object(&c, "notes", ObjType::Map).unwrap();
        for _ in 0..5_000 {
            obj = tx.put_object(&obj, "deeper", ObjType::List).unwrap();
            obj = tx.insert_object(&obj, 0, ObjType::Map).unwrap();
        }
    });
    // In a thread with a small stack, as the app's worker threads have.
    let handle = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || {
            let model = document::read(&doc).unwrap();
            let view = DocumentView::new("doc", &doc, &model).unwrap();
            view.commitments.len()
        })
        .unwrap();
    assert_eq!(handle.join().unwrap(), 7);
}

#[test]
fn two_commitments_sharing_a_ref_read_with_unique_refs_and_export() {
    let mut doc = document::from_file(&Document::parse(SAMPLE).unwrap(), &ana()).unwrap();
    let c = first_commitment(&doc);
    as_eve(&mut doc, |tx| tx.put(&c, "reference", "C-01").unwrap());
    let file = document::to_file(&doc).unwrap();
    let refs: std::collections::BTreeSet<_> = file
        .commitments
        .iter()
        .map(|c| c.reference.clone())
        .collect();
    assert_eq!(refs.len(), file.commitments.len(), "refs are unique");
    Document::parse(&serde_json::to_string(&file).unwrap()).unwrap();
    let repaired = damage::repair(&mut doc, &ana()).unwrap();
    assert_eq!(repaired.restored.len(), 1, "{repaired:?}");
    assert!(document::read(&doc).unwrap().damaged.0.is_empty());
}

#[test]
fn a_link_to_a_deleted_commitment_does_not_break_the_export() {
    let mut doc = document::from_file(&Document::parse(SAMPLE).unwrap(), &ana()).unwrap();
    let c01 = common::commitment(&doc, "C-01");
    document::apply(
        &mut doc,
        &scopepact_scope::edit::Edit::DeleteCommitment { id: c01 },
        &ana(),
    )
    .unwrap();
    let file = document::to_file(&doc).unwrap();
    Document::parse(&serde_json::to_string(&file).unwrap())
        .expect("an ambiguity that linked C-01 exports without the link");
}

#[test]
fn a_new_document_has_no_damage_key() {
    let doc = document::new_document("Fresh", &ana()).unwrap();
    assert!(doc.get(ROOT, "damaged").unwrap().is_none());
    assert!(document::read(&doc).unwrap().damaged.0.is_empty());
}

#[test]
fn an_edit_past_the_format_limits_is_refused_and_writes_nothing() {
    use scopepact_scope::edit::{CommitmentField, Edit};
    let mut doc = document::from_file(&Document::parse(SAMPLE).unwrap(), &ana()).unwrap();
    let heads = doc.get_heads();
    let id = common::commitment(&doc, "C-02");
    for change in [
        CommitmentField::Title("t".repeat(100_001)),
        CommitmentField::Acceptance("a".repeat(100_001)),
        CommitmentField::Description("d".repeat(100_001)),
    ] {
        let err = document::apply(
            &mut doc,
            &Edit::UpdateCommitment {
                id: id.clone(),
                changes: vec![change],
            },
            &ana(),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("at most 100000 bytes"), "{err}");
        assert_eq!(doc.get_heads(), heads, "nothing written");
    }
    // Descriptions together: 11 of 90,500 bytes are within the limit; one of them longer is not.
    let many: Vec<String> = (0..11)
        .map(|i| {
            format!(
                r#"{{"ref":"C-{i}","title":"t","description":"{}"}}"#,
                "d".repeat(90_500)
            )
        })
        .collect();
    let text = format!(
        r#"{{"format":"scopepact/v1","title":"Big","commitments":[{}]}}"#,
        many.join(",")
    );
    let mut doc = document::from_file(&Document::parse(&text).unwrap(), &ana()).unwrap();
    let heads = doc.get_heads();
    let id = common::commitment(&doc, "C-0");
    let refused = document::apply(
        &mut doc,
        &Edit::UpdateCommitment {
            id,
            changes: vec![CommitmentField::Description("d".repeat(99_999))],
        },
        &ana(),
    )
    .unwrap_err()
    .to_string();
    assert!(refused.contains("at most 1000000 bytes"), "{refused}");
    assert_eq!(doc.get_heads(), heads, "nothing written");
    let file = document::to_file(&doc).unwrap();
    Document::parse(&serde_json::to_string(&file).unwrap()).expect("it still imports");
}
