//! What one sync round (`scopepact sync`, as scripts run it) costs as the workspace grows: a
//! device holding N documents (the sample, imported N times) syncs with the real server when
//! nothing changed, and when one document changed. The app no longer runs rounds: it keeps a
//! live session (`scopepact_sync::live`).
//!
//! `cargo bench -p scopepact-cli --bench sync_round` (`SCOPEPACT_ROUND_DOCUMENTS=10,100,1000`).
#![allow(clippy::unwrap_used)] // bench code: a failed unwrap is a failed run

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use scopepact_scope::edit::{CommitmentField, Edit};
use scopepact_workspace::Workspace;

const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/fixtures/press-line-retrofit.json"
);

struct Server(Child);
impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn sync(data: &Path, url: &str, token: &str) -> Duration {
    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_scopepact"))
        .arg("--data-dir")
        .arg(data)
        .args([
            "sync",
            "--server",
            url,
            "--token",
            token,
            "--timeout",
            "600",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    started.elapsed()
}

fn median(mut runs: Vec<Duration>) -> f64 {
    runs.sort();
    runs[runs.len() / 2].as_secs_f64() * 1000.0
}

fn main() {
    let sizes: Vec<usize> = std::env::var("SCOPEPACT_ROUND_DOCUMENTS")
        .unwrap_or_else(|_| "10,100,1000".into())
        .split(',')
        .filter_map(|n| n.trim().parse().ok())
        .collect();
    println!("one `scopepact sync` round (process start included), median of 3");
    println!(
        "{:>9} {:>14} {:>18} {:>16}",
        "documents", "first sync ms", "nothing new ms", "one changed ms"
    );
    for documents in sizes {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("server.sqlite3");
        let data = dir.path().join("laptop");
        let out = Command::new(env!("CARGO_BIN_EXE_scopepact"))
            .args(["invite", "--db", db.to_str().unwrap(), "--name", "laptop"])
            .output()
            .unwrap();
        let token = String::from_utf8(out.stdout).unwrap().trim().to_string();
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let _server = Server(
            Command::new(env!("CARGO_BIN_EXE_scopepact"))
                .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
                .args(["--db", db.to_str().unwrap()])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap(),
        );
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            std::thread::sleep(Duration::from_millis(50));
        }
        let url = format!("http://127.0.0.1:{port}");
        let mut ws = Workspace::open(Some(data.clone())).unwrap();
        ws.add_profile(
            "Ana Ruiz",
            "ana@pressworks.example",
            scopepact_scope::interchange::Role::Commercial,
        )
        .unwrap();
        let mut ids = vec![];
        for _ in 0..documents {
            ids.push(ws.import_file(Path::new(SAMPLE)).unwrap().to_string());
        }
        let first = sync(&data, &url, &token);
        let idle = median((0..3).map(|_| sync(&data, &url, &token)).collect());
        let changed = median(
            (0..3)
                .map(|n| {
                    let id = &ids[n % ids.len()];
                    let commitment = ws.view(id).unwrap().commitments[0].id.clone();
                    ws.edit(
                        id,
                        &Edit::UpdateCommitment {
                            id: commitment,
                            changes: vec![CommitmentField::Price(Some(1000.0 + n as f64))],
                        },
                    )
                    .unwrap();
                    sync(&data, &url, &token)
                })
                .collect(),
        );
        println!(
            "{documents:>9} {:>14.0} {idle:>18.0} {changed:>16.0}",
            first.as_secs_f64() * 1000.0
        );
    }
}
