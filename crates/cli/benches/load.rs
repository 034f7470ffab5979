//! The sync server under load: N automerge-repo clients on loopback, in teams of four sharing
//! one document (a deal's commercial lead, operational lead, customer host and executive), each
//! making one change a second.
//!
//! The clients are samod `Repo`s in this process, against both servers. From 1,000 of them the
//! load generator takes both cores of the machine and measures itself as much as the server, so
//! `SCOPEPACT_LOAD_LIGHT=1` runs light clients instead (one WebSocket, the document and its
//! automerge sync state each, speaking automerge-repo's messages by hand: `common::wire`), at a
//! tenth of the cost, 64 connecting at a time. Those run against `scopepact serve` only: the
//! stock server answers none of their messages (not pursued: the samod clients are the
//! comparison). Measures how long a change takes to
//! reach the other three (p50/p99), the server's CPU and memory, and the CPU of this process
//! (the load generator: where it nears the machine's cores, the figures measure it, not the
//! server); then the same workload against the stock automerge-repo sync server (npm
//! `@automerge/automerge-repo-sync-server`, from tests/interop), and the ratio.
//!
//! `cargo bench -p scopepact-cli --bench load`; `SCOPEPACT_LOAD_CLIENTS=100,500,1000` and
//! `SCOPEPACT_LOAD_SECONDS=20` choose the sizes and the measured window;
//! `SCOPEPACT_LOAD_SERVER_LOG=FILE` keeps what `scopepact serve` logs;
//! `SCOPEPACT_LOAD_SERVER_BIN=PATH` runs another build of it (one with symbols, for `perf`).
#![allow(clippy::unwrap_used)] // bench code: a failed unwrap is a failed run

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use automerge::sync::SyncDoc;
use automerge::transaction::Transactable;
use automerge::{Automerge, ObjType, ReadDoc, ScalarValue, Value, ROOT};
use futures::{SinkExt, StreamExt};
use samod::{BackoffConfig, DocHandle, Repo};
use tokio_tungstenite::tungstenite;

mod common;
use common::{process_usage, wire};

const TEAM: usize = 4;

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    ScopePact,
    Stock,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::ScopePact => "scopepact serve",
            Kind::Stock => "automerge-repo-sync-server",
        }
    }
}

struct Server {
    child: Child,
    url: url::Url,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Where `scopepact serve` logs: the file `SCOPEPACT_LOAD_SERVER_LOG` names, or nowhere.
fn server_log() -> Stdio {
    std::env::var_os("SCOPEPACT_LOAD_SERVER_LOG")
        .and_then(|path| {
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .ok()
        })
        .map_or_else(Stdio::null, Stdio::from)
}

fn interop_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/interop"))
}

fn start(kind: Kind) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let (child, url) = match kind {
        Kind::ScopePact => {
            let db = dir.path().join("server.sqlite3");
            // Another build of the server (one with symbols, to profile it) when named.
            let bin = std::env::var("SCOPEPACT_LOAD_SERVER_BIN")
                .unwrap_or_else(|_| env!("CARGO_BIN_EXE_scopepact").to_string());
            let out = Command::new(&bin)
                .args(["invite", "--db", db.to_str().unwrap(), "--name", "load"])
                .output()
                .unwrap();
            assert!(out.status.success());
            let token = String::from_utf8(out.stdout).unwrap().trim().to_string();
            let child = Command::new(&bin)
                .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
                .args(["--db", db.to_str().unwrap()])
                // Measure the server itself, not its connection limits (every client here
                // uses the one token).
                .args(["--max-connections", "5000"])
                .args(["--max-connections-per-device", "5000"])
                .env("RUST_LOG", "warn")
                .stdout(Stdio::null())
                .stderr(server_log())
                .spawn()
                .unwrap();
            (child, format!("ws://127.0.0.1:{port}/?token={token}"))
        }
        Kind::Stock => {
            let data = dir.path().join("amrg");
            let child = Command::new("node")
                .current_dir(interop_dir())
                .arg("node_modules/@automerge/automerge-repo-sync-server/src/index.js")
                .env("PORT", port.to_string())
                .env("DATA_DIR", &data)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("node and tests/interop's packages (npm ci in tests/interop)");
            (child, format!("ws://127.0.0.1:{port}/"))
        }
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "{} did not start", kind.name());
        std::thread::sleep(Duration::from_millis(50));
    }
    Server {
        child,
        url: url.parse().unwrap(),
        _dir: dir,
    }
}

/// The measured window, in microseconds since the start (both ends `i64::MAX` before it opens,
/// the end `i64::MAX` while it is open).
struct Window {
    from: std::sync::atomic::AtomicI64,
    to: std::sync::atomic::AtomicI64,
}

impl Default for Window {
    fn default() -> Window {
        Window {
            from: std::sync::atomic::AtomicI64::new(i64::MAX),
            to: std::sync::atomic::AtomicI64::new(i64::MAX),
        }
    }
}

impl Window {
    fn open(&self, at: i64) {
        self.from.store(at, std::sync::atomic::Ordering::SeqCst);
    }
    fn close(&self, at: i64) {
        self.to.store(at, std::sync::atomic::Ordering::SeqCst);
    }
    /// Whether a change made at `at` is one the window measures.
    fn holds(&self, at: i64) -> bool {
        at >= self.from.load(std::sync::atomic::Ordering::SeqCst)
            && at < self.to.load(std::sync::atomic::Ordering::SeqCst)
    }
}

fn since(start: Instant) -> i64 {
    start.elapsed().as_micros() as i64
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// A light client: its connection, the team's document and the sync state with the server.
struct Light {
    socket: Socket,
    me: String,
    /// The server's peer id, from its `peer` answer.
    server: String,
    document: String,
    doc: Automerge,
    state: automerge::sync::State,
}

impl Light {
    /// Connects and joins; `None` when the server did not take the connection within a minute.
    async fn connect(
        url: &url::Url,
        me: String,
        document: String,
        doc: Automerge,
    ) -> Option<Light> {
        let joined = async {
            let (mut socket, _) = tokio_tungstenite::connect_async(url.as_str()).await.ok()?;
            socket
                .send(tungstenite::Message::binary(wire::join(&me)))
                .await
                .ok()?;
            loop {
                if let tungstenite::Message::Binary(frame) = socket.next().await?.ok()? {
                    let answer = wire::read(&frame)?;
                    if answer.kind == "peer" {
                        return Some((socket, answer.sender));
                    }
                }
            }
        };
        let (socket, server) = tokio::time::timeout(Duration::from_secs(60), joined)
            .await
            .ok()??;
        Some(Light {
            socket,
            me,
            server,
            document,
            doc,
            state: automerge::sync::State::new(),
        })
    }

    /// Sends what the server lacks, if anything (`kind`: `request` asks for the document).
    async fn send(&mut self, kind: &str) -> bool {
        let Some(message) = self.doc.generate_sync_message(&mut self.state) else {
            return true;
        };
        let frame = wire::document_message(
            kind,
            &self.me,
            &self.server,
            &self.document,
            &message.encode(),
        );
        self.socket
            .send(tungstenite::Message::binary(frame))
            .await
            .is_ok()
    }

    /// The next message for our document, applied and answered; `None` when the connection
    /// ended.
    async fn receive(&mut self) -> Option<()> {
        loop {
            let frame = match self.socket.next().await?.ok()? {
                tungstenite::Message::Binary(frame) => frame,
                tungstenite::Message::Close(_) => return None,
                _ => continue,
            };
            let Some(message) = wire::read(&frame) else {
                continue;
            };
            if message.kind != "sync" || message.document != self.document {
                continue;
            }
            let sync = automerge::sync::Message::decode(&message.data).ok()?;
            self.doc.receive_sync_message(&mut self.state, sync).ok()?;
            self.send("sync").await.then_some(())?;
            return Some(());
        }
    }

    /// Exchanges messages until `done`; `false` after a minute.
    async fn until(&mut self, done: impl Fn(&Light) -> bool) -> bool {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
        while !done(self) {
            match tokio::time::timeout_at(deadline, self.receive()).await {
                Ok(Some(())) => {}
                Ok(None) | Err(_) => return false,
            }
        }
        true
    }

    /// Whether the server said it has every change this client has.
    fn stored(&self) -> bool {
        let ours = self.doc.get_heads();
        self.state
            .their_heads
            .as_ref()
            .is_some_and(|theirs| ours.iter().all(|h| theirs.contains(h)))
    }
}

/// A client repo connected to the server, or `None` when the server did not take the
/// connection within a minute.
async fn client(url: &url::Url) -> Option<(Repo, samod::ConnectionId)> {
    let repo = Repo::build_tokio().load().await;
    let dialer = repo
        .dial_websocket(
            url.clone(),
            BackoffConfig {
                initial_delay: Duration::from_millis(200),
                max_delay: Duration::from_secs(2),
                max_retries: None,
            },
        )
        .unwrap();
    let connected = tokio::time::timeout(Duration::from_secs(60), dialer.established()).await;
    match (connected, dialer.connection_id()) {
        (Ok(Ok(_)), Some(connection)) => Some((repo, connection)),
        _ => {
            repo.stop().await;
            None
        }
    }
}

/// Every other member's latest beat: (member, sent at µs since the start).
fn beats(doc: &Automerge) -> Vec<(String, i64)> {
    let Ok(Some((Value::Object(ObjType::Map), map))) = doc.get(ROOT, "beats") else {
        return vec![];
    };
    doc.map_range(&map, ..)
        .filter_map(|item| match Value::from(item.value.clone()) {
            Value::Scalar(s) => match s.as_ref() {
                ScalarValue::Int(at) => Some((item.key.to_string(), *at)),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// Why a run has no figures.
enum Collapse {
    Connections { connected: usize, wanted: usize },
    Documents { found: usize, wanted: usize },
}

struct Figures {
    p50_ms: f64,
    p99_ms: f64,
    delivered: usize,
    expected: usize,
    server_cpu_pct: f64,
    /// This process (every client): where the generator itself runs out of cores.
    generator_cpu_pct: f64,
    server_rss_mib: f64,
    server_peak_mib: f64,
}

/// What the clients' tasks report: the changes they sent and how late others' arrived.
struct Tally {
    start: Instant,
    window: Window,
    sent: std::sync::atomic::AtomicUsize,
    latencies: Mutex<Vec<f64>>,
}

impl Tally {
    /// A change made at `at`: counted as sent when the window holds it.
    fn beat(&self, at: i64) {
        if self.window.holds(at) {
            self.sent.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
    }

    /// What `me` sees of the others' beats now: each new one made during the window is one
    /// delivery, as late as it arrived. A change counts by when it was made, not when it
    /// arrived: one made just before the window closes still counts when it arrives after (it
    /// was counted as sent), one made before the window opened does not.
    fn heard(
        &self,
        me: &str,
        seen: &mut std::collections::HashMap<String, i64>,
        beats: Vec<(String, i64)>,
    ) {
        let now = since(self.start);
        for (who, at) in beats {
            if who != me && seen.insert(who.clone(), at) != Some(at) && self.window.holds(at) {
                self.latencies
                    .lock()
                    .unwrap()
                    .push((now - at) as f64 / 1000.0);
            }
        }
    }
}

fn beat(doc: &mut Automerge, me: &str, at: i64) {
    let mut tx = doc.transaction();
    if let Ok(Some((_, map))) = tx.get(ROOT, "beats") {
        let _ = tx.put(&map, me, at);
    }
    tx.commit();
}

fn new_team_document() -> Automerge {
    let mut doc = Automerge::new();
    let mut tx = doc.transaction();
    tx.put_object(ROOT, "beats", ObjType::Map).unwrap();
    tx.commit();
    doc
}

/// The members who joined, added to `members`; the run collapses when any did not.
async fn gather<T>(
    joining: Vec<tokio::task::JoinHandle<Option<T>>>,
    members: &mut Vec<T>,
    clients: usize,
) -> Result<(), Collapse> {
    let mut missing = 0;
    for joined in joining {
        match joined.await.unwrap() {
            Some(member) => members.push(member),
            None => missing += 1,
        }
    }
    if missing > 0 {
        return Err(Collapse::Connections {
            connected: clients - missing,
            wanted: clients,
        });
    }
    Ok(())
}

/// When each member beats within the second: spread over it.
fn phase(index: usize) -> Duration {
    Duration::from_micros((index as u64 * 7919) % 1_000_000)
}

/// Samod clients: each team's first member makes the document, the others find it through
/// the server; then each beats and watches. The repos, to stop at the end, and the tasks.
async fn samod_clients(
    server: &Server,
    clients: usize,
    tally: &Arc<Tally>,
) -> Result<(Vec<Repo>, Vec<tokio::task::JoinHandle<()>>), Collapse> {
    let teams = clients / TEAM;
    let mut members: Vec<(Repo, DocHandle, String)> = vec![];
    let mut documents = vec![];
    let mut uploads = vec![];
    for team in 0..teams {
        let Some((repo, connection)) = client(&server.url).await else {
            return Err(Collapse::Connections {
                connected: members.len(),
                wanted: clients,
            });
        };
        let handle = repo.create(new_team_document()).await.unwrap();
        documents.push(handle.document_id().clone());
        uploads.push(handle.they_have_our_changes(connection));
        members.push((repo, handle, format!("t{team}m0")));
    }
    // The server holds every document before anyone asks for it.
    for (stored, upload) in uploads.into_iter().enumerate() {
        if tokio::time::timeout(Duration::from_secs(60), upload)
            .await
            .is_err()
        {
            return Err(Collapse::Documents {
                found: stored,
                wanted: teams,
            });
        }
    }
    let mut joining = vec![];
    for (team, id) in documents.iter().enumerate() {
        for member in 1..TEAM {
            let url = server.url.clone();
            let id = id.clone();
            joining.push(tokio::spawn(async move {
                let (repo, _) = client(&url).await?;
                let deadline = Instant::now() + Duration::from_secs(60);
                while Instant::now() < deadline {
                    if let Ok(Some(handle)) = repo.find(id.clone()).await {
                        return Some((repo, handle, format!("t{team}m{member}")));
                    }
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                None
            }));
        }
    }
    gather(joining, &mut members, clients).await?;
    let mut tasks = vec![];
    let mut repos = vec![];
    for (index, (repo, handle, me)) in members.into_iter().enumerate() {
        repos.push(repo);
        let (watcher, me_watch, tally_w) = (handle.clone(), me.clone(), Arc::clone(tally));
        tasks.push(tokio::spawn(async move {
            let mut seen = std::collections::HashMap::new();
            let mut changes = watcher.changes();
            while changes.next().await.is_some() {
                // Read under the document's lock, counted after it.
                let beats = watcher.with_document(|d| beats(d));
                tally_w.heard(&me_watch, &mut seen, beats);
            }
        }));
        let tally_b = Arc::clone(tally);
        tasks.push(tokio::spawn(async move {
            tokio::time::sleep(phase(index)).await;
            let mut tick = tokio::time::interval(Duration::from_secs(1));
            loop {
                tick.tick().await;
                let at = since(tally_b.start);
                handle.with_document(|d| beat(d, &me, at));
                tally_b.beat(at);
            }
        }));
    }
    Ok((repos, tasks))
}

/// Light clients, as [`samod_clients`]: one task each, beating and answering the server.
async fn light_clients(
    server: &Server,
    clients: usize,
    tally: &Arc<Tally>,
) -> Result<Vec<tokio::task::JoinHandle<()>>, Collapse> {
    let teams = clients / TEAM;
    let mut members: Vec<Light> = vec![];
    let mut documents = vec![];
    for team in 0..teams {
        let id = samod::DocumentId::try_from(automerge::ActorId::random().to_bytes().to_vec())
            .unwrap()
            .to_string();
        let me = format!("t{team}m0");
        let Some(mut creator) =
            Light::connect(&server.url, me, id.clone(), new_team_document()).await
        else {
            return Err(Collapse::Connections {
                connected: members.len(),
                wanted: clients,
            });
        };
        if !(creator.send("sync").await && creator.until(Light::stored).await) {
            return Err(Collapse::Documents {
                found: team,
                wanted: teams,
            });
        }
        documents.push((id, creator.doc.get_heads()));
        members.push(creator);
    }
    let connecting = Arc::new(tokio::sync::Semaphore::new(64));
    let mut joining = vec![];
    for (team, (id, heads)) in documents.iter().enumerate() {
        for member in 1..TEAM {
            let url = server.url.clone();
            let (id, heads) = (id.clone(), heads.clone());
            let connecting = Arc::clone(&connecting);
            joining.push(tokio::spawn(async move {
                let _turn = connecting.acquire_owned().await.ok()?;
                let me = format!("t{team}m{member}");
                let mut light = Light::connect(&url, me, id, Automerge::new()).await?;
                let arrived = |light: &Light| light.doc.get_heads() == heads;
                (light.send("request").await && light.until(arrived).await).then_some(light)
            }));
        }
    }
    gather(joining, &mut members, clients).await?;
    let mut tasks = vec![];
    for (index, mut light) in members.into_iter().enumerate() {
        let tally = Arc::clone(tally);
        tasks.push(tokio::spawn(async move {
            let mut seen = std::collections::HashMap::new();
            let mut tick = tokio::time::interval_at(
                tokio::time::Instant::now() + phase(index),
                Duration::from_secs(1),
            );
            loop {
                tokio::select! {
                    _ = tick.tick() => {
                        let at = since(tally.start);
                        beat(&mut light.doc, &light.me, at);
                        tally.beat(at);
                        if !light.send("sync").await {
                            return;
                        }
                    }
                    received = light.receive() => {
                        if received.is_none() {
                            return;
                        }
                        tally.heard(&light.me, &mut seen, beats(&light.doc));
                    }
                }
            }
        }));
    }
    Ok(tasks)
}

async fn run(kind: Kind, clients: usize, seconds: u64, light: bool) -> Result<Figures, Collapse> {
    let server = start(kind);
    let pid = server.child.id();
    let tally = Arc::new(Tally {
        start: Instant::now(),
        window: Window::default(),
        sent: Default::default(),
        latencies: Mutex::default(),
    });
    let (repos, tasks) = if light {
        (vec![], light_clients(&server, clients, &tally).await?)
    } else {
        samod_clients(&server, clients, &tally).await?
    };
    // Warm up, then measure.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let (cpu_before, _, _) = process_usage(pid);
    let (generator_before, _, _) = process_usage(std::process::id());
    let window = Instant::now();
    tally.window.open(since(tally.start));
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    tally.window.close(since(tally.start));
    let elapsed = window.elapsed().as_secs_f64();
    let (cpu_after, rss, peak) = process_usage(pid);
    let (generator_after, _, _) = process_usage(std::process::id());
    // Let changes sent at the end of the window arrive.
    tokio::time::sleep(Duration::from_secs(2)).await;
    for task in &tasks {
        task.abort();
    }
    for repo in repos {
        repo.stop().await;
    }
    let mut latencies = tally.latencies.lock().unwrap().clone();
    latencies.sort_by(f64::total_cmp);
    Ok(Figures {
        p50_ms: percentile(&latencies, 0.5),
        p99_ms: percentile(&latencies, 0.99),
        delivered: latencies.len(),
        expected: tally.sent.load(std::sync::atomic::Ordering::Relaxed) * (TEAM - 1),
        server_cpu_pct: (cpu_after - cpu_before) / elapsed * 100.0,
        generator_cpu_pct: (generator_after - generator_before) / elapsed * 100.0,
        server_rss_mib: rss as f64 / 1024.0,
        server_peak_mib: peak as f64 / 1024.0,
    })
}

fn main() {
    let sizes: Vec<usize> = std::env::var("SCOPEPACT_LOAD_CLIENTS")
        .unwrap_or_else(|_| "100,500,1000".into())
        .split(',')
        .filter_map(|n| n.trim().parse().ok())
        .collect();
    let seconds: u64 = std::env::var("SCOPEPACT_LOAD_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    let light = std::env::var("SCOPEPACT_LOAD_LIGHT").is_ok_and(|v| v == "1");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    println!(
        "load: teams of {TEAM} clients share a document, one change per client per second, {seconds} s measured, {} clients",
        if light { "light (scopepact serve only)" } else { "samod" }
    );
    println!(
        "{:<28} {:>7} {:>9} {:>9} {:>11} {:>9} {:>9} {:>9} {:>9}",
        "server",
        "clients",
        "p50 ms",
        "p99 ms",
        "delivered",
        "CPU %",
        "RSS MiB",
        "peak MiB",
        "load CPU%"
    );
    for clients in sizes {
        let mut both = vec![];
        let kinds: &[Kind] = if light {
            &[Kind::ScopePact]
        } else {
            &[Kind::ScopePact, Kind::Stock]
        };
        for &kind in kinds {
            let f = match runtime.block_on(run(kind, clients, seconds, light)) {
                Ok(figures) => figures,
                Err(Collapse::Connections { connected, wanted }) => {
                    println!(
                        "{:<28} {clients:>7}   did not keep up: {connected} of {wanted} clients connected and found their document within a minute",
                        kind.name()
                    );
                    continue;
                }
                Err(Collapse::Documents { found, wanted }) => {
                    println!(
                        "{:<28} {clients:>7}   did not keep up: {found} of {wanted} new documents stored within a minute",
                        kind.name()
                    );
                    continue;
                }
            };
            println!(
                "{:<28} {:>7} {:>9.1} {:>9.1} {:>5}/{:<5} {:>9.0} {:>9.1} {:>9.1} {:>9.0}",
                kind.name(),
                clients,
                f.p50_ms,
                f.p99_ms,
                f.delivered,
                f.expected,
                f.server_cpu_pct,
                f.server_rss_mib,
                f.server_peak_mib,
                f.generator_cpu_pct
            );
            both.push((kind, f));
        }
        let [(Kind::ScopePact, ours), (Kind::Stock, stock)] = both.as_slice() else {
            continue;
        };
        println!(
            "{:<28} {:>7} {:>9.2} {:>9.2} {:>11} {:>9.2} {:>9.2} {:>9.2}",
            "ratio ours/stock",
            clients,
            ours.p50_ms / stock.p50_ms,
            ours.p99_ms / stock.p99_ms,
            "",
            ours.server_cpu_pct / stock.server_cpu_pct,
            ours.server_rss_mib / stock.server_rss_mib,
            ours.server_peak_mib / stock.server_peak_mib
        );
    }
}
