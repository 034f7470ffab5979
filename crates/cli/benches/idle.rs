//! What an idle connected device costs `scopepact serve`: N devices connect, complete the
//! automerge-repo handshake, ask for their workspace's index document (as the app does when it
//! connects) and then stay connected doing nothing. Prints the server's resident memory and
//! CPU at each step and the memory per idle connection.
//!
//! The devices are light WebSocket clients in this process (the protocol's CBOR frames written
//! by hand, so 10,000 of them fit in one process); one samod client stores the index first.
//!
//! `cargo bench -p scopepact-cli --bench idle`; `SCOPEPACT_IDLE_DEVICES=1000,5000,10000`
//! chooses the steps. Needs about 2 × N file descriptors (`ulimit -n`).
#![allow(clippy::unwrap_used)] // bench code: a failed unwrap is a failed run

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use automerge::sync::SyncDoc;
use automerge::Automerge;
use futures::{SinkExt, StreamExt};
use samod::{BackoffConfig, Repo};
use tokio_tungstenite::tungstenite::{self, client::IntoClientRequest, Message};

mod common;
use common::{process_usage, wire};

/// How many devices connect at once while the count is raised.
const CONNECTING_AT_ONCE: usize = 64;

struct Server {
    child: Child,
    port: u16,
    token: String,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(devices: usize) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let db = dir.path().join("server.sqlite3");
    let bin = env!("CARGO_BIN_EXE_scopepact");
    let out = Command::new(bin)
        .args(["invite", "--db", db.to_str().unwrap(), "--name", "idle"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let token = String::from_utf8(out.stdout).unwrap().trim().to_string();
    // One token for every device: the per-device limit is lifted so that it does not count.
    let limit = (devices + 100).to_string();
    let child = Command::new(bin)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .args(["--db", db.to_str().unwrap()])
        .args(["--max-connections", &limit])
        .args(["--max-connections-per-device", &limit])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "the server did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    Server {
        child,
        port,
        token,
        _dir: dir,
    }
}

/// One device: connects, joins, asks for the index, waits for the server's answer, then
/// stays connected (answering pings) until the bench ends. Reports whether it got that far.
async fn device(
    port: u16,
    token: String,
    number: usize,
    index: String,
    ready: tokio::sync::mpsc::Sender<bool>,
) {
    let mut req = format!("ws://127.0.0.1:{port}/")
        .into_client_request()
        .unwrap();
    req.headers_mut()
        .insert("Authorization", format!("Bearer {token}").parse().unwrap());
    let Ok((mut socket, _)) = tokio_tungstenite::connect_async(req).await else {
        let _ = ready.send(false).await;
        return;
    };
    let me = format!("idle-{number}");
    let empty = Automerge::new()
        .generate_sync_message(&mut automerge::sync::State::new())
        .map(|m| m.encode())
        .unwrap_or_default();
    let sent = async {
        // Join, and wait for the server's `peer` answer; ask for the index, and wait for the
        // document's first sync message.
        let request = wire::document_message("request", &me, "scopepact-server", &index, &empty);
        for frame in [wire::join(&me), request] {
            socket.send(Message::binary(frame)).await?;
            loop {
                match socket.next().await {
                    Some(Ok(Message::Binary(_))) => break,
                    Some(Ok(_)) => continue,
                    Some(Err(e)) => return Err(e),
                    None => return Err(tungstenite::Error::ConnectionClosed),
                }
            }
        }
        Ok::<_, tungstenite::Error>(())
    };
    let ok = tokio::time::timeout(Duration::from_secs(60), sent)
        .await
        .is_ok_and(|r| r.is_ok());
    let _ = ready.send(ok).await;
    if ok {
        // Idle: read (and so answer pings) until the server or the bench ends it.
        while let Some(Ok(_)) = socket.next().await {}
    }
}

fn main() {
    let steps: Vec<usize> = std::env::var("SCOPEPACT_IDLE_DEVICES")
        .unwrap_or_else(|_| "1000,5000,10000".into())
        .split(',')
        .filter_map(|n| n.trim().parse().ok())
        .collect();
    let most = steps.iter().copied().max().unwrap_or(0);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = start(most);
    let pid = server.child.id();
    runtime.block_on(async {
        // The workspace index, stored on the server by a samod client.
        let repo = Repo::build_tokio().load().await;
        let url: url::Url = format!("ws://127.0.0.1:{}/?token={}", server.port, server.token)
            .parse()
            .unwrap();
        let dialer = repo.dial_websocket(url, BackoffConfig::default()).unwrap();
        dialer.established().await.unwrap();
        let connection = dialer.connection_id().unwrap();
        let handle = repo.create(Automerge::new()).await.unwrap();
        handle.they_have_our_changes(connection).await;
        let index = handle.document_id().to_string();
        repo.stop().await;
        tokio::time::sleep(Duration::from_secs(1)).await;

        let (_, base_rss, _) = process_usage(pid);
        println!("idle: devices connect, join, ask for their index document, then stay connected");
        println!(
            "{:>8} {:>10} {:>14} {:>12} {:>14}",
            "devices", "connected", "server RSS MiB", "KiB/device", "connect CPU s"
        );
        println!(
            "{:>8} {:>10} {:>14.1} {:>12} {:>14}",
            0,
            0,
            base_rss as f64 / 1024.0,
            "",
            ""
        );
        let (ready_tx, mut ready_rx) = tokio::sync::mpsc::channel(CONNECTING_AT_ONCE);
        let mut tasks = vec![];
        let mut connected = 0usize;
        let mut started = 0usize;
        for &step in &steps {
            let cpu_before = process_usage(pid).0;
            let mut in_flight = 0usize;
            while started < step || in_flight > 0 {
                if started < step && in_flight < CONNECTING_AT_ONCE {
                    tasks.push(tokio::spawn(device(
                        server.port,
                        server.token.clone(),
                        started,
                        index.clone(),
                        ready_tx.clone(),
                    )));
                    started += 1;
                    in_flight += 1;
                    continue;
                }
                if ready_rx.recv().await == Some(true) {
                    connected += 1;
                }
                in_flight -= 1;
            }
            // Let the server settle (allocations freed, tasks parked) before reading it.
            tokio::time::sleep(Duration::from_secs(3)).await;
            let (cpu, rss, _) = process_usage(pid);
            println!(
                "{:>8} {:>10} {:>14.1} {:>12.1} {:>14.2}",
                step,
                connected,
                rss as f64 / 1024.0,
                (rss.saturating_sub(base_rss)) as f64 / connected.max(1) as f64,
                cpu - cpu_before
            );
        }
        let (cpu, _, _) = process_usage(pid);
        let idle_from = Instant::now();
        tokio::time::sleep(Duration::from_secs(10)).await;
        let (cpu_after, _, _) = process_usage(pid);
        println!(
            "server CPU while {connected} devices sit idle: {:.1} % of one core (10 s)",
            (cpu_after - cpu) / idle_from.elapsed().as_secs_f64() * 100.0
        );
        for task in tasks {
            task.abort();
        }
    });
}
