//! Two laptops that each made 5,000 edits offline to the same scope document converge through
//! the real `scopepact serve` process: the time each `scopepact sync` takes and the bytes that
//! cross the wire, counted by a TCP relay between the laptops and the server.
//!
//! `cargo bench -p scopepact-cli --bench converge_server` (`SCOPEPACT_EDITS=5000`).
#![allow(clippy::unwrap_used)] // bench code: a failed unwrap is a failed run

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use scopepact_scope::edit::{CommitmentField, Edit};
use scopepact_workspace::Workspace;

const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/fixtures/press-line-retrofit.json"
);

fn scopepact(data: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_scopepact"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

struct Server(Child);
impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Forwards every connection on `listen` to `target`, counting the bytes each way.
async fn relay(listen: u16, target: u16, up: Arc<AtomicU64>, down: Arc<AtomicU64>) {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", listen))
        .await
        .unwrap();
    loop {
        let (client, _) = listener.accept().await.unwrap();
        let (up, down) = (Arc::clone(&up), Arc::clone(&down));
        tokio::spawn(async move {
            let Ok(server) = tokio::net::TcpStream::connect(("127.0.0.1", target)).await else {
                return;
            };
            let (client_read, client_write) = client.into_split();
            let (server_read, server_write) = server.into_split();
            tokio::join!(
                counted_copy(client_read, server_write, up),
                counted_copy(server_read, client_write, down)
            );
        });
    }
}

/// Copies until end of stream, counting bytes as they pass (not when the socket closes).
async fn counted_copy(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    count: Arc<AtomicU64>,
) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        match from.read(&mut buffer).await {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                count.fetch_add(n as u64, Ordering::Relaxed);
                if to.write_all(&buffer[..n]).await.is_err() {
                    break;
                }
            }
        }
    }
    let _ = to.shutdown().await;
}

fn diverge(data: &Path, id: &str, edits: usize, salt: usize) {
    let mut ws = Workspace::open(Some(data.to_path_buf())).unwrap();
    if ws.profiles().unwrap().is_empty() {
        ws.add_profile(
            &format!("Laptop {salt}"),
            &format!("laptop{salt}@pressworks.example"),
            scopepact_scope::interchange::Role::Commercial,
        )
        .unwrap();
    }
    let ids: Vec<String> = ws
        .view(id)
        .unwrap()
        .commitments
        .iter()
        .map(|c| c.id.clone())
        .collect();
    for n in 0..edits {
        let commitment = ids[(n * 31 + salt) % ids.len()].clone();
        let change = match n % 3 {
            0 => CommitmentField::Price(Some((n + salt) as f64)),
            1 => CommitmentField::Acceptance(format!("laptop {salt} acceptance {n}")),
            _ => CommitmentField::Description(format!("laptop {salt} note {n} — Größe ±0,02 mm")),
        };
        ws.edit(
            id,
            &Edit::UpdateCommitment {
                id: commitment,
                changes: vec![change],
            },
        )
        .unwrap();
    }
}

fn main() {
    let edits: usize = std::env::var("SCOPEPACT_EDITS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5_000);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.sqlite3");
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    let invite = |name: &str| {
        scopepact(
            dir.path(),
            &["invite", "--db", db.to_str().unwrap(), "--name", name],
        )
        .trim()
        .to_string()
    };
    let (token_a, token_b) = (invite("a"), invite("b"));
    let server_port = free_port();
    let _server = Server(
        Command::new(env!("CARGO_BIN_EXE_scopepact"))
            .args(["serve", "--listen", &format!("127.0.0.1:{server_port}")])
            .args(["--db", db.to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    while std::net::TcpStream::connect(("127.0.0.1", server_port)).is_err() {
        std::thread::sleep(Duration::from_millis(50));
    }
    let relay_port = free_port();
    let (up, down) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.spawn(relay(
        relay_port,
        server_port,
        Arc::clone(&up),
        Arc::clone(&down),
    ));
    let url = format!("http://127.0.0.1:{relay_port}");
    let sync = |data: &Path, token: &str| {
        let (up0, down0) = (up.load(Ordering::Relaxed), down.load(Ordering::Relaxed));
        let started = Instant::now();
        scopepact(data, &["sync", "--server", &url, "--token", token]);
        let took = started.elapsed();
        std::thread::sleep(Duration::from_millis(100)); // the last frames through the relay
        (
            took,
            up.load(Ordering::Relaxed) - up0,
            down.load(Ordering::Relaxed) - down0,
        )
    };

    // Both laptops start from the same synced document.
    let id = scopepact(&a, &["import", SAMPLE]).trim().to_string();
    sync(&a, &token_a);
    sync(&b, &token_b);
    let started = Instant::now();
    diverge(&a, &id, edits, 1);
    diverge(&b, &id, edits, 2);
    println!(
        "{edits} edits on each laptop, offline: {:.1} s to make (each committed to SQLite)",
        started.elapsed().as_secs_f64()
    );
    let kib = |bytes: u64| bytes as f64 / 1024.0;
    let mut total = Duration::ZERO;
    let mut total_bytes = 0;
    for (what, data, token) in [
        ("laptop A sends its edits", &a, &token_a),
        ("laptop B sends its, gets A's", &b, &token_b),
        ("laptop A gets B's", &a, &token_a),
    ] {
        let (took, sent, received) = sync(data, token);
        total += took;
        total_bytes += sent + received;
        println!(
            "{what:<30} {:>8.0} ms   up {:>8.1} KiB   down {:>8.1} KiB",
            took.as_secs_f64() * 1000.0,
            kib(sent),
            kib(received)
        );
    }
    let export = |data: &Path| scopepact(data, &["export", &id, "--format", "json"]);
    assert_eq!(export(&a), export(&b), "the laptops did not converge");
    println!(
        "converged: {:.0} ms of sync in all, {:.1} KiB on the wire (WebSocket frames, both ways)",
        total.as_secs_f64() * 1000.0,
        kib(total_bytes)
    );
}
