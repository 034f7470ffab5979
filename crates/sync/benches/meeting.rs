//! A meeting session between two laptops on loopback, as the app runs it: how long joining
//! takes (code proven → the document in the joiner's store) and how long an edit takes to
//! reach the other laptop's store (written in one store → absorbed into the other), both
//! ways. Run with `cargo bench -p scopepact-sync --bench meeting`.
#![allow(clippy::unwrap_used)] // bench code: a failed unwrap is a failed run

use std::time::{Duration, Instant};

use scopepact_scope::document;
use scopepact_scope::edit::{Actor, Edit, HeaderField};
use scopepact_scope::interchange::{Document, Role};
use scopepact_store::{storage_id, Store, StoreError};
use scopepact_sync::lan::{
    HostConfig, HostedSession, JoinCode, JoinConfig, JoinedSession, Participant,
};
use scopepact_sync::live::LiveEvent;
use tokio::sync::mpsc::UnboundedReceiver;
use uuid::Uuid;

const JOINS: usize = 20;
const EDITS: usize = 200;

fn actor() -> Actor {
    Actor {
        name: "Bench".into(),
        email: "bench@example.com".into(),
        role: Some(Role::Commercial),
        device: "bench".into(),
        automerge_actor: String::new(),
        certificate: None,
    }
}

fn person(name: &str) -> Participant {
    Participant {
        name: name.into(),
        email: format!("{name}@example.com"),
        role: "operational".into(),
        device: "bench".into(),
    }
}

fn retitle(store: &mut Store, id: Uuid, title: &str) {
    store
        .edit(id, |doc| {
            let edit = Edit::UpdateHeader {
                changes: vec![HeaderField::Title(title.into())],
            };
            document::apply(doc, &edit, &actor()).unwrap();
            Ok::<_, StoreError>(())
        })
        .unwrap();
}

fn title(store: &mut Store, id: Uuid) -> String {
    document::to_file(store.get(id).unwrap()).unwrap().title
}

/// Absorbs what arrives until the store's title is `want`.
async fn absorb_until(
    store: &mut Store,
    id: Uuid,
    want: &str,
    events: &mut UnboundedReceiver<LiveEvent>,
) {
    while store.get(id).is_err() || title(store, id) != want {
        match tokio::time::timeout(Duration::from_secs(30), events.recv()).await {
            Ok(Some(LiveEvent::Received { document, .. })) => {
                store.absorb(id, *document).unwrap();
            }
            Ok(Some(LiveEvent::Stopped(reason))) => panic!("stopped: {reason}"),
            Ok(Some(_)) => {}
            _ => panic!("\"{want}\" never arrived"),
        }
    }
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn report(what: &str, mut samples: Vec<Duration>) {
    samples.sort();
    println!(
        "{what}: n={} p50={:.1} ms p99={:.1} ms max={:.1} ms",
        samples.len(),
        percentile(&samples, 0.5),
        percentile(&samples, 0.99),
        percentile(&samples, 1.0)
    );
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let host_dir = tempfile::tempdir().unwrap();
    let mut host_store = Store::open_dir(host_dir.path()).unwrap();
    let file = Document::parse(include_str!(
        "../../../tests/fixtures/press-line-retrofit.json"
    ))
    .unwrap();
    let id = host_store
        .create(document::from_file(&file, &actor()).unwrap())
        .unwrap();
    let original = title(&mut host_store, id);
    let (hosted, mut host_events) = HostedSession::start(HostConfig {
        db: host_store.connection().path().unwrap().into(),
        document: storage_id(&id),
        title: original.clone(),
        me: person("host"),
        listen: "127.0.0.1:0".into(),
        advertise: false,
    })
    .await
    .unwrap();
    let code: JoinCode = hosted.view().borrow().code.clone();

    // Joining: a fresh laptop each time, so the whole document crosses.
    let mut joins = vec![];
    for _ in 0..JOINS {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_dir(dir.path()).unwrap();
        let start = Instant::now();
        let (joined, mut events) = JoinedSession::start(JoinConfig {
            db: store.connection().path().unwrap().into(),
            address: hosted.address().to_string(),
            code: code.clone(),
            me: person("joiner"),
        })
        .await
        .unwrap();
        absorb_until(&mut store, id, &original, &mut events).await;
        joins.push(start.elapsed());
        drop(joined);
    }
    report("join (code entered → document in the store)", joins);

    // Propagation both ways between the host and one joiner.
    let dir = tempfile::tempdir().unwrap();
    let mut joiner_store = Store::open_dir(dir.path()).unwrap();
    let (joined, mut joiner_events) = JoinedSession::start(JoinConfig {
        db: joiner_store.connection().path().unwrap().into(),
        address: hosted.address().to_string(),
        code,
        me: person("joiner"),
    })
    .await
    .unwrap();
    absorb_until(&mut joiner_store, id, &original, &mut joiner_events).await;
    let (mut to_host, mut to_joiner) = (vec![], vec![]);
    for n in 0..EDITS {
        let want = format!("joiner edit {n}");
        let start = Instant::now();
        retitle(&mut joiner_store, id, &want);
        joined.nudge();
        absorb_until(&mut host_store, id, &want, &mut host_events).await;
        to_host.push(start.elapsed());

        let want = format!("host edit {n}");
        let start = Instant::now();
        retitle(&mut host_store, id, &want);
        hosted.nudge();
        absorb_until(&mut joiner_store, id, &want, &mut joiner_events).await;
        to_joiner.push(start.elapsed());
    }
    report("edit joiner → host (written → absorbed)", to_host);
    report("edit host → joiner (written → absorbed)", to_joiner);
    hosted.end().await;
}
