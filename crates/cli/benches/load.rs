//! The sync server under load: N automerge-repo clients (samod, in this process) on loopback,
//! in teams of four sharing one document (a deal's commercial lead, operational lead, customer
//! host and executive), each making one change a second. Measures how long a change takes to
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

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjType, ReadDoc, ScalarValue, Value, ROOT};
use futures::StreamExt;
use samod::{BackoffConfig, DocHandle, Repo};

mod common;
use common::process_usage;

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

async fn run(kind: Kind, clients: usize, seconds: u64) -> Result<Figures, Collapse> {
    let server = start(kind);
    let pid = server.child.id();
    let start_time = Instant::now();
    let teams = clients / TEAM;

    // Each team's first member makes the document; the others find it through the server.
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
        let mut doc = Automerge::new();
        let mut tx = doc.transaction();
        tx.put_object(ROOT, "beats", ObjType::Map).unwrap();
        tx.commit();
        let handle = repo.create(doc).await.unwrap();
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

    // Latencies (ms) of the changes made during the window, as the other members see them. A
    // change counts by when it was made, not when it arrived: one made just before the window
    // closes still counts when it arrives after (it was counted as sent), and one made before
    // the window opened does not count when it arrives in it.
    let latencies: Arc<Mutex<Vec<f64>>> = Arc::default();
    let window_us = Arc::new(Window::default());
    let sent = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut tasks = vec![];
    for (index, (_repo, handle, me)) in members.iter().enumerate() {
        // Watch: every new beat of another member is one delivery.
        let watcher = handle.clone();
        let me_watch = me.clone();
        let latencies_w = Arc::clone(&latencies);
        let window_w = Arc::clone(&window_us);
        tasks.push(tokio::spawn(async move {
            let mut seen = std::collections::HashMap::<String, i64>::new();
            let mut changes = watcher.changes();
            while changes.next().await.is_some() {
                let now = since(start_time);
                for (who, at) in watcher.with_document(|d| beats(d)) {
                    if who != me_watch
                        && seen.insert(who.clone(), at) != Some(at)
                        && window_w.holds(at)
                    {
                        latencies_w.lock().unwrap().push((now - at) as f64 / 1000.0);
                    }
                }
            }
        }));
        // Beat: one change a second, members spread over the second.
        let beater = handle.clone();
        let me_beat = me.clone();
        let window_b = Arc::clone(&window_us);
        let sent_b = Arc::clone(&sent);
        let phase = Duration::from_micros((index as u64 * 7919) % 1_000_000);
        tasks.push(tokio::spawn(async move {
            tokio::time::sleep(phase).await;
            let mut tick = tokio::time::interval(Duration::from_secs(1));
            loop {
                tick.tick().await;
                let at = since(start_time);
                beater.with_document(|d| {
                    let mut tx = d.transaction();
                    if let Ok(Some((_, map))) = tx.get(ROOT, "beats") {
                        let _ = tx.put(&map, me_beat.as_str(), at);
                    }
                    tx.commit();
                });
                if window_b.holds(at) {
                    sent_b.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
            }
        }));
    }
    // Warm up, then measure.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let (cpu_before, _, _) = process_usage(pid);
    let (generator_before, _, _) = process_usage(std::process::id());
    let window = Instant::now();
    window_us.open(since(start_time));
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    window_us.close(since(start_time));
    let elapsed = window.elapsed().as_secs_f64();
    let (cpu_after, rss, peak) = process_usage(pid);
    let (generator_after, _, _) = process_usage(std::process::id());
    // Let changes sent at the end of the window arrive.
    tokio::time::sleep(Duration::from_secs(2)).await;
    for task in &tasks {
        task.abort();
    }
    for (repo, _, _) in members {
        repo.stop().await;
    }
    let mut latencies = latencies.lock().unwrap().clone();
    latencies.sort_by(f64::total_cmp);
    Ok(Figures {
        p50_ms: percentile(&latencies, 0.5),
        p99_ms: percentile(&latencies, 0.99),
        delivered: latencies.len(),
        expected: sent.load(std::sync::atomic::Ordering::Relaxed) * (TEAM - 1),
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
    let runtime = tokio::runtime::Runtime::new().unwrap();
    println!(
        "load: teams of {TEAM} clients share a document, one change per client per second, {seconds} s measured"
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
        for kind in [Kind::ScopePact, Kind::Stock] {
            let f = match runtime.block_on(run(kind, clients, seconds)) {
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
