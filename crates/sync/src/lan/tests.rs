//! Meeting sessions end to end on loopback: real stores on disk, real TCP, the host and the
//! joiners as the app and the command line run them.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::future::BoxFuture;
use samod::{DialError, DocumentId, Repo, Transport};
use scopepact_scope::document;
use scopepact_scope::edit::{Actor, Edit, HeaderField};
use scopepact_scope::interchange::{Document, Role};
use scopepact_store::{storage_id, Store, StoreError};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use uuid::Uuid;

use super::*;
use crate::live::LiveEvent;
use crate::SyncError;

const SAMPLE: &str = include_str!("../../../../tests/fixtures/press-line-retrofit.json");
const WAIT: Duration = Duration::from_secs(15);

fn ana() -> Actor {
    Actor {
        name: "Ana Ruiz".into(),
        email: "ana.ruiz@pressworks.example".into(),
        role: Some(Role::Commercial),
        device: "test".into(),
        automerge_actor: String::new(),
        certificate: None,
    }
}

fn person(name: &str) -> Participant {
    Participant {
        name: name.into(),
        email: format!("{}@example.com", name.to_lowercase()),
        role: "operational".into(),
        device: format!("{}-laptop", name.to_lowercase()),
    }
}

/// One laptop: its store on disk.
struct Laptop {
    _dir: tempfile::TempDir,
    store: Store,
    db: PathBuf,
}

impl Laptop {
    fn new() -> Laptop {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_dir(dir.path()).unwrap();
        let db = store.connection().path().unwrap().into();
        Laptop {
            _dir: dir,
            store,
            db,
        }
    }

    fn with_sample(&mut self) -> Uuid {
        let sample = document::from_file(&Document::parse(SAMPLE).unwrap(), &ana()).unwrap();
        self.store.create(sample).unwrap()
    }

    fn retitle(&mut self, id: Uuid, title: &str) {
        self.store
            .edit(id, |doc| {
                let edit = Edit::UpdateHeader {
                    changes: vec![HeaderField::Title(title.into())],
                };
                document::apply(doc, &edit, &ana()).unwrap();
                Ok::<_, StoreError>(())
            })
            .unwrap();
    }

    fn title(&mut self, id: Uuid) -> Option<String> {
        let doc = self.store.get(id).ok()?;
        Some(document::to_file(doc).ok()?.title)
    }

    /// Absorbs what the session receives until the title reads `title`.
    async fn until_title(
        &mut self,
        id: Uuid,
        title: &str,
        events: &mut mpsc::UnboundedReceiver<LiveEvent>,
    ) {
        let deadline = tokio::time::Instant::now() + WAIT;
        while self.title(id).as_deref() != Some(title) {
            let event = tokio::time::timeout_at(deadline, events.recv())
                .await
                .unwrap_or_else(|_| panic!("\"{title}\" never arrived"));
            match event {
                Some(LiveEvent::Received { id: got, document }) => {
                    let uuid = scopepact_store::id_from_storage_id(&got).unwrap();
                    self.store.absorb(uuid, *document).unwrap();
                }
                Some(LiveEvent::Stopped(reason)) => panic!("the session stopped: {reason}"),
                Some(_) => {}
                None => panic!("the session ended"),
            }
        }
    }
}

async fn host(laptop: &Laptop, id: Uuid) -> (HostedSession, mpsc::UnboundedReceiver<LiveEvent>) {
    HostedSession::start(HostConfig {
        db: laptop.db.clone(),
        document: storage_id(&id),
        title: "Press retrofit".into(),
        me: person("Ana"),
        listen: "127.0.0.1:0".into(),
        advertise: false,
    })
    .await
    .unwrap()
}

async fn join(
    laptop: &Laptop,
    address: String,
    code: JoinCode,
) -> Result<(JoinedSession, mpsc::UnboundedReceiver<LiveEvent>), SyncError> {
    JoinedSession::start(JoinConfig {
        db: laptop.db.clone(),
        address,
        code,
        me: person("Jorg"),
    })
    .await
}

fn code_of(session: &HostedSession) -> JoinCode {
    session.view().borrow().code.clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_joiner_gets_the_document_and_edits_flow_both_ways() {
    let mut host_laptop = Laptop::new();
    let id = host_laptop.with_sample();
    let mut joiner_laptop = Laptop::new();
    let (hosted, mut host_events) = host(&host_laptop, id).await;
    let (joined, mut events) = join(
        &joiner_laptop,
        hosted.address().to_string(),
        code_of(&hosted),
    )
    .await
    .unwrap();
    assert_eq!(joined.welcome().document, storage_id(&id));
    assert_eq!(joined.welcome().host.name, "Ana");
    let original = host_laptop.title(id).unwrap();
    joiner_laptop.until_title(id, &original, &mut events).await;
    let joiners = hosted.view().borrow().joiners.clone();
    assert_eq!(joiners.len(), 1);
    assert_eq!(joiners[0].who, person("Jorg"));

    joiner_laptop.retitle(id, "Edited by the joiner");
    joined.nudge();
    host_laptop
        .until_title(id, "Edited by the joiner", &mut host_events)
        .await;
    host_laptop.retitle(id, "Edited by the host");
    hosted.nudge();
    joiner_laptop
        .until_title(id, "Edited by the host", &mut events)
        .await;
}

/// Dials once with a transport made beforehand.
struct Ready(Mutex<Option<Transport>>);

impl samod::Dialer for Ready {
    type Error = std::io::Error;
    fn url(&self) -> url::Url {
        "tcp://hostile/".parse().unwrap()
    }
    fn connect(&self) -> BoxFuture<'static, Result<Transport, DialError<std::io::Error>>> {
        let transport = self.0.lock().unwrap().take();
        Box::pin(async move {
            transport.ok_or_else(|| DialError::PermanentFailure(std::io::Error::other("once")))
        })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_joiner_with_the_code_gets_no_other_document_and_cannot_push_one() {
    let mut host_laptop = Laptop::new();
    let shared = host_laptop.with_sample();
    let private = host_laptop.with_sample();
    host_laptop.retitle(private, "Private deal");
    let (hosted, mut host_events) = host(&host_laptop, shared).await;

    // A joiner that proved the code, speaking automerge-repo with a repo of its own.
    let stream = TcpStream::connect(hosted.address()).await.unwrap();
    let (secured, _) = handshake::join(stream, &code_of(&hosted), &person("Mallory"))
        .await
        .unwrap();
    let (_, no_word) = mpsc::channel(1);
    let (transport, _) = transport::transport(secured, no_word, |_| {});
    let hostile = Repo::build_tokio()
        .with_storage(samod::storage::InMemoryStorage::new())
        .load()
        .await;
    let dialer = hostile
        .dial(
            crate::live::backoff(),
            Arc::new(Ready(Mutex::new(Some(transport)))),
        )
        .unwrap();
    tokio::time::timeout(WAIT, dialer.established())
        .await
        .unwrap()
        .unwrap();

    // The shared document comes (the channel works)…
    let shared_id: DocumentId = storage_id(&shared).parse().unwrap();
    let found = tokio::time::timeout(WAIT, hostile.find(shared_id)).await;
    assert!(
        matches!(found, Ok(Ok(Some(_)))),
        "the shared document did not come"
    );
    // …the other one does not: unavailable, or no answer at all.
    let private_id: DocumentId = storage_id(&private).parse().unwrap();
    match tokio::time::timeout(Duration::from_secs(5), hostile.find(private_id)).await {
        Ok(Ok(Some(handle))) => {
            let heads = handle.with_document(|d| d.get_heads());
            assert!(heads.is_empty(), "the private document was served");
        }
        Ok(Ok(None)) | Err(_) => {}
        Ok(Err(stopped)) => panic!("{stopped:?}"),
    }
    // A document it makes up is not taken in by the host.
    let mut pushed = automerge::AutoCommit::new();
    automerge::transaction::Transactable::put(&mut pushed, automerge::ROOT, "title", "pushed")
        .unwrap();
    let pushed = hostile.create(pushed.document().clone()).await.unwrap();
    let pushed_id = pushed.document_id().to_string();
    let quiet = tokio::time::sleep(Duration::from_secs(2));
    tokio::pin!(quiet);
    loop {
        tokio::select! {
            () = &mut quiet => break,
            Some(event) = host_events.recv() => {
                if let LiveEvent::Received { id, .. } = event {
                    assert_ne!(id, pushed_id, "the host took in a pushed document");
                    assert_eq!(id, storage_id(&shared));
                }
            }
        }
    }
    let held: Vec<String> = host_laptop.store.storage_ids().unwrap();
    assert!(!held.contains(&pushed_id));
    assert_eq!(host_laptop.title(private).as_deref(), Some("Private deal"));
    hostile.stop().await;
}

/// Relays a TCP connection and keeps every byte it saw, both ways.
async fn recording_proxy(to: std::net::SocketAddr) -> (String, Arc<Mutex<Vec<u8>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap().to_string();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&seen);
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let server = TcpStream::connect(to).await.unwrap();
            let (mut client_read, mut client_write) = client.into_split();
            let (mut server_read, mut server_write) = server.into_split();
            let up = Arc::clone(&record);
            let down = Arc::clone(&record);
            tokio::spawn(async move {
                let mut buffer = vec![0u8; 64 * 1024];
                while let Ok(n @ 1..) = client_read.read(&mut buffer).await {
                    up.lock().unwrap().extend_from_slice(&buffer[..n]);
                    if server_write.write_all(&buffer[..n]).await.is_err() {
                        break;
                    }
                }
            });
            tokio::spawn(async move {
                let mut buffer = vec![0u8; 64 * 1024];
                while let Ok(n @ 1..) = server_read.read(&mut buffer).await {
                    down.lock().unwrap().extend_from_slice(&buffer[..n]);
                    if client_write.write_all(&buffer[..n]).await.is_err() {
                        break;
                    }
                }
            });
        }
    });
    (address, seen)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_traffic_holds_neither_the_document_nor_the_code_in_clear() {
    let mut host_laptop = Laptop::new();
    let id = host_laptop.with_sample();
    let mut joiner_laptop = Laptop::new();
    let (hosted, mut host_events) = host(&host_laptop, id).await;
    let (through, seen) = recording_proxy(hosted.address()).await;
    let code = code_of(&hosted);
    let (joined, mut events) = join(&joiner_laptop, through, code.clone()).await.unwrap();
    let original = host_laptop.title(id).unwrap();
    joiner_laptop.until_title(id, &original, &mut events).await;
    let before = joiner_laptop.store.get(id).unwrap().get_heads();
    joiner_laptop.retitle(id, "Confidential retitle");
    // The control: automerge leaves a small change's text readable, so without the
    // encryption this title would cross the wire as is.
    let doc = joiner_laptop.store.get(id).unwrap();
    let change: Vec<u8> = doc
        .get_changes(&before)
        .iter()
        .flat_map(|c| c.raw_bytes().to_vec())
        .collect();
    assert!(
        change.windows(20).any(|w| w == b"Confidential retitle"),
        "the control does not hold: the change hides the title"
    );
    joined.nudge();
    host_laptop
        .until_title(id, "Confidential retitle", &mut host_events)
        .await;

    let seen = seen.lock().unwrap().clone();
    assert!(seen.len() > 2_000, "only {} bytes went through", seen.len());
    let sample = Document::parse(SAMPLE).unwrap();
    let code_digits = code.secret();
    let mut secrets: Vec<Vec<u8>> = vec![
        original.into_bytes(),
        b"Confidential retitle".to_vec(),
        b"Ana Ruiz".to_vec(),
        b"Metal".to_vec(),
        code_digits,
    ];
    secrets.extend(
        sample
            .commitments
            .iter()
            .map(|c| c.title.chars().take(24).collect::<String>().into_bytes()),
    );
    for secret in &secrets {
        assert!(
            !seen.windows(secret.len()).any(|w| w == secret.as_slice()),
            "{:?} went through in clear",
            String::from_utf8_lossy(secret)
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_wrong_codes_change_the_code_and_the_new_one_joins() {
    let mut host_laptop = Laptop::new();
    let id = host_laptop.with_sample();
    let joiner_laptop = Laptop::new();
    let (hosted, _host_events) = host(&host_laptop, id).await;
    let first = code_of(&hosted);
    let address = hosted.address().to_string();
    for attempt in 1..=5 {
        let mut wrong = JoinCode::random();
        while wrong == first {
            wrong = JoinCode::random();
        }
        let refused = join(&joiner_laptop, address.clone(), wrong).await;
        assert!(
            matches!(refused, Err(SyncError::WrongCode)),
            "attempt {attempt}: {:?}",
            refused.err()
        );
    }
    let view = hosted.view().borrow().clone();
    assert_eq!(view.code_changes, 1);
    assert_ne!(view.code, first, "the code did not change");
    let stale = join(&joiner_laptop, address.clone(), first).await;
    assert!(
        matches!(stale, Err(SyncError::WrongCode)),
        "{:?}",
        stale.err()
    );
    let joined = join(&joiner_laptop, address, view.code).await;
    assert!(joined.is_ok(), "{:?}", joined.err());
}

async fn until_stopped(events: &mut mpsc::UnboundedReceiver<LiveEvent>) -> SyncError {
    loop {
        match tokio::time::timeout(WAIT, events.recv()).await {
            Ok(Some(LiveEvent::Stopped(reason))) => return reason,
            Ok(Some(_)) => {}
            Ok(None) => panic!("the session ended without a reason"),
            Err(_) => panic!("the session did not stop"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_removed_joiner_is_told_and_the_code_it_had_no_longer_opens() {
    let mut host_laptop = Laptop::new();
    let id = host_laptop.with_sample();
    let mut joiner_laptop = Laptop::new();
    let (hosted, _host_events) = host(&host_laptop, id).await;
    let code = code_of(&hosted);
    let address = hosted.address().to_string();
    let (_joined, mut events) = join(&joiner_laptop, address.clone(), code.clone())
        .await
        .unwrap();
    let original = host_laptop.title(id).unwrap();
    joiner_laptop.until_title(id, &original, &mut events).await;
    let joiner = hosted.view().borrow().joiners[0].id;
    assert!(hosted.remove(joiner));
    assert!(!hosted.remove(joiner), "removed twice");
    assert!(matches!(
        until_stopped(&mut events).await,
        SyncError::RemovedFromSession
    ));
    let again = join(&joiner_laptop, address, code).await;
    assert!(
        matches!(again, Err(SyncError::WrongCode)),
        "{:?}",
        again.err()
    );
    // What it had is still there.
    assert_eq!(joiner_laptop.title(id), Some(original));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ending_the_session_tells_the_joiners_and_each_keeps_every_edit() {
    let mut host_laptop = Laptop::new();
    let id = host_laptop.with_sample();
    let mut joiner_laptop = Laptop::new();
    let (hosted, mut host_events) = host(&host_laptop, id).await;
    let address = hosted.address().to_string();
    let code = code_of(&hosted);
    let (joined, mut events) = join(&joiner_laptop, address.clone(), code.clone())
        .await
        .unwrap();
    let original = host_laptop.title(id).unwrap();
    joiner_laptop.until_title(id, &original, &mut events).await;
    joiner_laptop.retitle(id, "Last edit in the room");
    joined.nudge();
    host_laptop
        .until_title(id, "Last edit in the room", &mut host_events)
        .await;
    hosted.end().await;
    assert!(matches!(
        until_stopped(&mut events).await,
        SyncError::SessionEnded
    ));
    assert_eq!(
        joiner_laptop.title(id).as_deref(),
        Some("Last edit in the room")
    );
    assert_eq!(
        host_laptop.title(id).as_deref(),
        Some("Last edit in the room")
    );
    // The code ended with the session.
    let after = join(&joiner_laptop, address, code).await;
    assert!(
        matches!(after, Err(SyncError::SessionUnreachable { .. })),
        "{:?}",
        after.err()
    );
}

/// samod handed a dial to its IO loop before registering the dialer; the IO loop could look
/// for it first, fail the dial and redial 250 ms later (seen in 1 of 6 CLI joins). Each of
/// these dials must connect at the first attempt (vendor/README.md, part 6).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_dial_connects_without_a_retry() {
    use futures::StreamExt;
    let server = Repo::build_tokio()
        .with_storage(samod::storage::InMemoryStorage::new())
        .load()
        .await;
    let acceptor = server
        .make_acceptor("tcp://server/".parse().unwrap())
        .unwrap();
    for attempt in 0..100 {
        let (ours, theirs) = tokio::io::duplex(64 * 1024);
        acceptor.accept(Transport::from_tokio_io(theirs)).unwrap();
        let client = Repo::build_tokio()
            .with_storage(samod::storage::InMemoryStorage::new())
            .load()
            .await;
        let ready = Arc::new(Ready(Mutex::new(Some(Transport::from_tokio_io(ours)))));
        let dialer = client.dial(crate::live::backoff(), ready).unwrap();
        let mut events = dialer.events();
        tokio::time::timeout(WAIT, dialer.established())
            .await
            .unwrap()
            .unwrap();
        // Whatever the dialer said until it connected (a retry is said 250 ms after the
        // failure, so it is there if it happened): never a retry.
        while let Some(Some(event)) = futures::FutureExt::now_or_never(events.next()) {
            assert!(
                !matches!(event, samod::DialerEvent::Reconnecting { .. }),
                "attempt {attempt}: the first dial failed and was retried"
            );
        }
        client.stop().await;
    }
    server.stop().await;
}
