//! A real `scopepact serve` process on a random free port of 127.0.0.1, and device tokens.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub fn scopepact(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_scopepact"))
        .args(args)
        .output()
        .unwrap()
}

pub fn invite(db: &Path, name: &str, extra: &[&str]) -> String {
    let mut args = vec!["invite", "--db", db.to_str().unwrap(), "--name", name];
    args.extend_from_slice(extra);
    let out = scopepact(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        stdout.lines().count(),
        1,
        "the token alone on stdout: {stdout:?}"
    );
    stdout.trim().to_string()
}

pub struct Server {
    child: Child,
    pub port: u16,
    pub db: PathBuf,
}

impl Server {
    pub fn start(db: &Path, extra: &[&str]) -> Server {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        Server::start_on(db, port, extra)
    }

    /// On a given port: a server restarted where its devices expect it.
    pub fn start_on(db: &Path, port: u16, extra: &[&str]) -> Server {
        let listen = format!("127.0.0.1:{port}");
        let mut args = vec!["serve", "--listen", &listen, "--db", db.to_str().unwrap()];
        args.extend_from_slice(extra);
        let child = Command::new(env!("CARGO_BIN_EXE_scopepact"))
            .args(&args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let server = Server {
            child,
            port,
            db: db.to_path_buf(),
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while server.get("/healthz").0 != 200 {
            assert!(
                Instant::now() < deadline,
                "the server did not answer /healthz"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    /// A plain HTTP GET: (status, body).
    pub fn get(&self, path: &str) -> (u16, String) {
        let Ok(mut stream) = TcpStream::connect(("127.0.0.1", self.port)) else {
            return (0, String::new());
        };
        let _ = write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        );
        let mut text = String::new();
        let _ = stream.read_to_string(&mut text);
        let status = text
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        (
            status,
            text.split("\r\n\r\n")
                .nth(1)
                .unwrap_or_default()
                .to_string(),
        )
    }

    pub fn url(&self, token: Option<&str>) -> url::Url {
        let base = format!("ws://127.0.0.1:{}/", self.port);
        match token {
            Some(t) => format!("{base}?token={t}").parse().unwrap(),
            None => base.parse().unwrap(),
        }
    }

    /// SIGKILL: the server dies wherever it is, as in a power cut.
    pub fn kill_hard(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// SIGTERM, then the exit status.
    pub fn stop(mut self) -> std::process::ExitStatus {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "the server did not stop on SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Stored chunks of documents people made (not samod's `storage-adapter-id`, nor the
    /// workspace index the server holds from the start).
    pub fn chunk_count(&self) -> i64 {
        let conn = scopepact_store::connect(&self.db).unwrap();
        let index: String = conn
            .query_row(
                "SELECT value FROM settings WHERE key = 'workspace_index'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let index = scopepact_store::storage_id(&index.parse().unwrap());
        conn.query_row(
            "SELECT count(*) FROM chunks WHERE key <> 'storage-adapter-id' AND key NOT LIKE ?1",
            [format!("{index}/%")],
            |r| r.get(0),
        )
        .unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
