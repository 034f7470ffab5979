//! Two replicas of one scope document, each with 5,000 edits made offline: how long the
//! automerge-repo sync exchange (automerge's sync protocol, as samod runs it) takes to make them
//! identical, and how many bytes of sync messages cross. Run with `cargo bench -p scopepact-sync`.
#![allow(clippy::unwrap_used)] // bench code: a failed unwrap is a failed run

use std::time::Instant;

use automerge::sync::{State, SyncDoc};
use automerge::Automerge;
use scopepact_scope::document;
use scopepact_scope::edit::{Actor, CommitmentField, Edit};
use scopepact_scope::interchange::{Document, Role};

const EDITS: usize = 5_000;

fn actor(name: &str, automerge_actor: &str) -> Actor {
    Actor {
        name: name.into(),
        email: format!("{name}@example.com"),
        role: Some(Role::Commercial),
        device: "bench".into(),
        automerge_actor: automerge_actor.into(),
        certificate: None,
    }
}

fn diverge(doc: &mut Automerge, who: &Actor, salt: usize) {
    let ids: Vec<String> = document::read(doc)
        .unwrap()
        .commitments
        .keys()
        .cloned()
        .collect();
    let mut model = None;
    for n in 0..EDITS {
        let id = ids[(n * 31 + salt) % ids.len()].clone();
        let change = match n % 3 {
            0 => CommitmentField::Price(Some((n + salt) as f64)),
            1 => CommitmentField::Acceptance(format!("{} acceptance {n}", who.name)),
            _ => CommitmentField::Description(format!(
                "{} wrote note {n} — Größe ±0,02 mm",
                who.name
            )),
        };
        let edit = Edit::UpdateCommitment {
            id,
            changes: vec![change],
        };
        document::apply_cached(doc, &mut model, &edit, who).unwrap();
    }
}

fn main() {
    let file = Document::parse(include_str!(
        "../../../tests/fixtures/press-line-retrofit.json"
    ))
    .unwrap();
    let base = document::from_file(&file, &actor("base", "00")).unwrap();
    let (mut a, mut b) = (base.fork(), base.fork());
    let start = Instant::now();
    diverge(&mut a, &actor("ana", "aa"), 0);
    diverge(&mut b, &actor("jorg", "bb"), 7);
    println!(
        "made {EDITS} divergent edits on each replica in {:.2?}",
        start.elapsed()
    );

    let (mut state_a, mut state_b) = (State::new(), State::new());
    let (mut bytes, mut messages, mut rounds) = (0usize, 0usize, 0usize);
    let start = Instant::now();
    loop {
        rounds += 1;
        let mut quiet = true;
        if let Some(message) = a.generate_sync_message(&mut state_a) {
            let encoded = message.encode();
            bytes += encoded.len();
            messages += 1;
            quiet = false;
            b.receive_sync_message(
                &mut state_b,
                automerge::sync::Message::decode(&encoded).unwrap(),
            )
            .unwrap();
        }
        if let Some(message) = b.generate_sync_message(&mut state_b) {
            let encoded = message.encode();
            bytes += encoded.len();
            messages += 1;
            quiet = false;
            a.receive_sync_message(
                &mut state_a,
                automerge::sync::Message::decode(&encoded).unwrap(),
            )
            .unwrap();
        }
        if quiet {
            break;
        }
    }
    let elapsed = start.elapsed();
    let mut heads_a = a.get_heads();
    let mut heads_b = b.get_heads();
    heads_a.sort();
    heads_b.sort();
    assert_eq!(heads_a, heads_b, "the replicas converge");
    assert_eq!(
        document::to_file(&a).unwrap(),
        document::to_file(&b).unwrap()
    );
    println!(
        "converged in {elapsed:.2?}: {messages} sync messages in {rounds} rounds, {bytes} bytes ({:.1} KiB); document {} KiB saved",
        bytes as f64 / 1024.0,
        a.save().len() / 1024
    );
}
