//! Edit-to-durable latency and open time on a generated 300-commitment document, in a real
//! SQLite file. Prints p50/p99; run with `cargo bench -p scopepact-store`.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;

use std::time::Instant;

use common::report;

use scopepact_scope::document;
use scopepact_scope::edit::{Actor, CommitmentField, Edit};
use scopepact_scope::interchange::{Document, Role, ValidationStatus};
use scopepact_store::{Store, StoreError};

const COMMITMENTS: usize = 300;
const EDITS: usize = 1000;
const OPENS: usize = 30;

fn generated_document() -> Document {
    let mut file = Document::parse(include_str!(
        "../../../tests/fixtures/press-line-retrofit.json"
    ))
    .expect("sample");
    let template = file.commitments[0].clone();
    file.ambiguities.clear();
    file.commitments = (1..=COMMITMENTS)
        .map(|n| {
            let mut c = template.clone();
            c.reference = format!("C-{n:03}");
            c.title = format!("{} — lot {n}", template.title);
            c.description = format!("{} Größe/Übermaß check #{n}.", template.description);
            c
        })
        .collect();
    file
}

fn actor(name: &str, role: Role, automerge_actor: &str) -> Actor {
    Actor {
        name: name.into(),
        email: format!("{}@example.com", name.to_lowercase()),
        role: Some(role),
        device: "bench".into(),
        automerge_actor: automerge_actor.into(),
        certificate: None,
    }
}

fn main() -> Result<(), StoreError> {
    let dir = tempfile::tempdir().map_err(|e| StoreError::DataDir {
        path: "tmp".into(),
        reason: e.to_string(),
    })?;
    let file = generated_document();
    let mut store = Store::open_dir(dir.path())?;
    let ana = actor("Ana", Role::Commercial, "aa01");
    let jorg = actor("Jorg", Role::Operational, "bb02");
    let id = store.create(document::from_file(&file, &ana)?)?;
    let ids: Vec<String> = document::read(store.get(id)?)?
        .commitments_in_order()
        .iter()
        .map(|(k, _)| (*k).clone())
        .collect();
    println!(
        "document: {COMMITMENTS} commitments, {} bytes saved",
        store.get(id)?.save().len()
    );

    let mut edits = Vec::with_capacity(EDITS);
    for n in 0..EDITS {
        let target = ids[(n * 7919) % ids.len()].clone();
        let change = if n % 2 == 0 {
            CommitmentField::Price(Some(1000.0 + n as f64))
        } else {
            CommitmentField::Description(format!("Edited description number {n} — ±0,02 mm"))
        };
        let edit = Edit::UpdateCommitment {
            id: target,
            changes: vec![change],
        };
        let start = Instant::now();
        // As the app does: the store keeps the hydrated model between edits.
        store.edit_with_model(id, |doc, model| {
            Ok::<_, StoreError>(document::apply_cached(doc, model, &edit, &ana)?)
        })?;
        edits.push(start.elapsed());
    }
    report("edit -> committed to SQLite (300 commitments)", edits);

    // Half the commitments get a verdict, so the gate has real work (content bases to compare).
    let mut verdicts = Vec::with_capacity(COMMITMENTS / 2);
    for target in ids.iter().step_by(2) {
        let edit = Edit::ValidateCommitment {
            id: target.clone(),
            verdict: ValidationStatus::Feasible,
            note: None,
        };
        let start = Instant::now();
        // As the app does: the store keeps the hydrated model between edits.
        store.edit_with_model(id, |doc, model| {
            Ok::<_, StoreError>(document::apply_cached(doc, model, &edit, &jorg)?)
        })?;
        verdicts.push(start.elapsed());
    }
    report("validate -> committed to SQLite", verdicts);

    let mut hydrates = Vec::with_capacity(OPENS);
    for _ in 0..OPENS {
        let start = Instant::now();
        let model = document::read(store.get(id)?)?;
        assert_eq!(model.commitments.len(), COMMITMENTS);
        hydrates.push(start.elapsed());
    }
    report("hydrate the model (in memory)", hydrates);

    let model = document::read(store.get(id)?)?;
    let mut gates = Vec::with_capacity(OPENS * 10);
    for _ in 0..OPENS * 10 {
        let start = Instant::now();
        let status = scopepact_scope::lifecycle::status(&model);
        let reasons = scopepact_scope::validation::gate(&model);
        assert!(reasons.len() >= COMMITMENTS / 2, "{status:?}");
        gates.push(start.elapsed());
    }
    report("status + gate on the hydrated model", gates);

    let mut opens = Vec::with_capacity(OPENS);
    for _ in 0..OPENS {
        let start = Instant::now();
        let mut fresh = Store::open_dir(dir.path())?;
        let model = document::read(fresh.get(id)?)?;
        assert_eq!(model.commitments.len(), COMMITMENTS);
        opens.push(start.elapsed());
    }
    report("open store + load + hydrate document", opens);

    let mut views = Vec::with_capacity(OPENS);
    for _ in 0..OPENS {
        let start = Instant::now();
        let (doc, model) = store.model(id)?;
        let view = scopepact_scope::view::DocumentView::new(&id.to_string(), doc, model)?;
        assert_eq!(view.commitments.len(), COMMITMENTS);
        views.push(start.elapsed());
    }
    report(
        "document view from the kept model (status, gate, conflicts)",
        views,
    );

    let mut histories = Vec::with_capacity(OPENS);
    for _ in 0..OPENS {
        let start = Instant::now();
        let doc = store.get(id)?;
        let model = document::read(doc)?;
        let entries = scopepact_scope::history::item_history(doc, &model, &ids[0]);
        assert!(!entries.is_empty());
        histories.push(start.elapsed());
    }
    report("history of one commitment", histories);
    Ok(())
}
