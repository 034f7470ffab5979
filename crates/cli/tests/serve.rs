//! `scopepact serve`, `invite` and `revoke` as an operator runs them: a real server process on a
//! random free port of 127.0.0.1, real WebSocket clients (samod, automerge-repo's protocol).
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;

use std::time::Duration;

use common::server::{invite, scopepact, Server};

use automerge::{transaction::Transactable, AutoCommit, ReadDoc, ROOT};
use futures::SinkExt;
use samod::{BackoffConfig, Repo};
use tokio_tungstenite::tungstenite;

/// The HTTP status a WebSocket handshake gets (101 when upgraded).
async fn handshake_status(request: tungstenite::handshake::client::Request) -> u16 {
    match tokio_tungstenite::connect_async(request).await {
        Ok((_, response)) => response.status().as_u16(),
        Err(tungstenite::Error::Http(response)) => response.status().as_u16(),
        Err(other) => panic!("unexpected handshake error: {other}"),
    }
}

fn request(
    server: &Server,
    bearer: Option<&str>,
    query: Option<&str>,
) -> tungstenite::handshake::client::Request {
    use tungstenite::client::IntoClientRequest;
    let mut request = server.url(query).as_str().into_client_request().unwrap();
    if let Some(token) = bearer {
        request
            .headers_mut()
            .insert("Authorization", format!("Bearer {token}").parse().unwrap());
    }
    request
}

/// A stock samod client (the `?token=` form, as clients that cannot set headers use it).
async fn client(server: &Server, token: &str) -> (Repo, samod::ConnectionId) {
    let repo = Repo::build_tokio().load().await;
    let dialer = repo
        .dial_websocket(
            server.url(Some(token)),
            BackoffConfig {
                max_retries: Some(5),
                ..BackoffConfig::default()
            },
        )
        .unwrap();
    tokio::time::timeout(Duration::from_secs(10), dialer.established())
        .await
        .unwrap()
        .unwrap();
    let connection = dialer.connection_id().unwrap();
    (repo, connection)
}

/// Creates a document and returns once the server holds it.
async fn create_on_server(
    repo: &Repo,
    connection: samod::ConnectionId,
    title: &str,
) -> samod::DocumentId {
    let mut doc = AutoCommit::new();
    doc.put(ROOT, "title", title).unwrap();
    let handle = repo.create(doc.document().clone()).await.unwrap();
    tokio::time::timeout(
        Duration::from_secs(10),
        handle.they_have_our_changes(connection),
    )
    .await
    .unwrap();
    handle.document_id().clone()
}

#[test]
fn invite_shows_the_token_once_and_keeps_only_its_hash() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.sqlite3");
    let token = invite(&db, "laptop-ana", &["--expires", "30d"]);
    assert!(token.starts_with("spd_") && token.len() > 40, "{token}");
    let conn = scopepact_store::connect(&db).unwrap();
    let stored: String = conn
        .query_row("SELECT token_sha256 FROM device_tokens", [], |r| r.get(0))
        .unwrap();
    assert!(!stored.contains(&token[4..]));
    let out = scopepact(&[
        "invite",
        "--db",
        db.to_str().unwrap(),
        "--name",
        "laptop-ana",
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("already has a token"));
    let out = scopepact(&[
        "invite",
        "--db",
        db.to_str().unwrap(),
        "--name",
        "x",
        "--expires",
        "soon",
    ]);
    assert!(!out.status.success() && out.stdout.is_empty());
    let out = scopepact(&["revoke", "--db", db.to_str().unwrap(), "--name", "nobody"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no device named"));
}

#[tokio::test]
async fn without_a_valid_token_the_upgrade_is_refused_with_401_and_nothing_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.sqlite3");
    let valid = invite(&db, "laptop-ana", &[]);
    let short = invite(&db, "laptop-temp", &["--expires", "1s"]);
    let revoked = invite(&db, "laptop-lost", &[]);
    assert!(scopepact(&[
        "revoke",
        "--db",
        db.to_str().unwrap(),
        "--name",
        "laptop-lost"
    ])
    .status
    .success());
    let server = Server::start(&db, &[]);
    assert_eq!(server.get("/healthz"), (200, "ok\n".to_string()));
    tokio::time::sleep(Duration::from_millis(1200)).await; // the 1 s token expires

    assert_eq!(handshake_status(request(&server, None, None)).await, 401);
    assert_eq!(
        handshake_status(request(&server, Some("spd_wrong"), None)).await,
        401
    );
    assert_eq!(
        handshake_status(request(&server, None, Some("spd_wrong"))).await,
        401
    );
    assert_eq!(
        handshake_status(request(&server, Some(&short), None)).await,
        401
    );
    assert_eq!(
        handshake_status(request(&server, Some(&revoked), None)).await,
        401
    );
    assert_eq!(server.chunk_count(), 0, "a refused peer stores nothing");
    // The valid token is accepted both ways.
    assert_eq!(
        handshake_status(request(&server, Some(&valid), None)).await,
        101
    );
    assert_eq!(
        handshake_status(request(&server, None, Some(&valid))).await,
        101
    );
    assert!(server.stop().success());
}

#[tokio::test]
async fn two_devices_share_a_document_through_the_server_and_it_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.sqlite3");
    let (ana, jorg) = (
        invite(&db, "laptop-ana", &[]),
        invite(&db, "laptop-jorg", &[]),
    );
    let server = Server::start(&db, &[]);

    let (a, a_conn) = client(&server, &ana).await;
    let id = create_on_server(&a, a_conn, "Línea 3 — Größe").await;

    let (b, _) = client(&server, &jorg).await;
    let found = tokio::time::timeout(Duration::from_secs(10), b.find(id.clone()))
        .await
        .unwrap()
        .unwrap();
    let title = found
        .unwrap()
        .with_document(|d| d.get(ROOT, "title").unwrap().map(|(v, _)| v.to_string()));
    assert_eq!(title.as_deref(), Some("\"Línea 3 — Größe\""));
    a.stop().await;
    b.stop().await;

    assert!(server.stop().success(), "SIGTERM stops the server cleanly");
    let restarted = Server::start(&db, &[]);
    assert!(restarted.chunk_count() > 0);
    let (c, _) = client(&restarted, &jorg).await;
    let again = tokio::time::timeout(Duration::from_secs(10), c.find(id))
        .await
        .unwrap()
        .unwrap();
    assert!(
        again.is_some(),
        "the document is served from the server's database after a restart"
    );
    c.stop().await;
}

#[tokio::test]
async fn oversized_and_malformed_frames_disconnect_the_sender_only() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.sqlite3");
    let (good, bad) = (
        invite(&db, "laptop-good", &[]),
        invite(&db, "laptop-bad", &[]),
    );
    let server = Server::start(&db, &["--max-message-bytes", "65536"]);
    let (a, a_conn) = client(&server, &good).await;

    // A frame over the limit, then one that is not automerge-repo's CBOR.
    for payload in [vec![0u8; 200_000], b"\xff\x00definitely not cbor".to_vec()] {
        let (mut socket, _) = tokio_tungstenite::connect_async(request(&server, Some(&bad), None))
            .await
            .unwrap();
        let _ = socket
            .send(tungstenite::Message::Binary(payload.into()))
            .await;
        let closed = tokio::time::timeout(Duration::from_secs(10), async {
            use futures::StreamExt;
            loop {
                match socket.next().await {
                    None | Some(Err(_)) | Some(Ok(tungstenite::Message::Close(_))) => break,
                    Some(Ok(_)) => continue,
                }
            }
        })
        .await;
        assert!(
            closed.is_ok(),
            "the server must drop a peer that sends a bad frame"
        );
    }

    // The well-behaved client keeps syncing.
    let id = create_on_server(&a, a_conn, "still fine").await;
    let (b, _) = client(&server, &good).await;
    let found = tokio::time::timeout(Duration::from_secs(10), b.find(id))
        .await
        .unwrap()
        .unwrap();
    assert!(found.is_some());
    assert_eq!(server.get("/healthz").0, 200);
    a.stop().await;
    b.stop().await;
}

/// Opens a TCP connection and sends half a request head, as a slowloris client does.
fn half_request(port: u16) -> std::io::Result<std::net::TcpStream> {
    use std::io::Write;
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port))?;
    stream.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")?;
    Ok(stream)
}

/// Whether the server closed the connection within `within`.
fn closed_within(stream: &std::net::TcpStream, within: Duration) -> bool {
    use std::io::Read;
    stream.set_read_timeout(Some(within)).unwrap();
    let mut buf = [0u8; 256];
    let mut reader = stream;
    loop {
        match reader.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue, // an error page, then the close
            Err(e)
                if e.kind() == std::io::ErrorKind::WouldBlock
                    || e.kind() == std::io::ErrorKind::TimedOut =>
            {
                return false
            }
            Err(_) => return true, // reset
        }
    }
}

/// `/healthz` answers 200 within `limit` (a refused or cut-off try is tried again).
fn answers_health_within(server: &Server, limit: Duration) -> bool {
    let deadline = std::time::Instant::now() + limit;
    loop {
        if server.get("/healthz").0 == 200 {
            return true;
        }
        if std::time::Instant::now() > deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn slow_clients_without_a_token_cannot_hold_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.sqlite3");
    let token = invite(&db, "laptop", &[]);
    let server = Server::start(
        &db,
        &[
            "--max-pending-connections",
            "40",
            "--request-timeout",
            "3",
            "--shutdown-grace",
            "2",
        ],
    );
    // 300 half-sent requests: the server holds at most 40 of them; the rest are closed at once.
    let held: Vec<std::net::TcpStream> = (0..300)
        .filter_map(|_| half_request(server.port).ok())
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let closed_at_once = held
        .iter()
        .filter(|s| closed_within(s, Duration::from_millis(20)))
        .count();
    assert!(
        closed_at_once >= 250,
        "only {closed_at_once} of 300 closed at once"
    );

    // Meanwhile, with a flood of 1,200 more still arriving, a device with a token syncs and
    // /healthz answers.
    let port = server.port;
    let flood = std::thread::spawn(move || {
        let mut kept = vec![];
        for _ in 0..1_200 {
            if let Ok(s) = half_request(port) {
                kept.push(s);
            }
        }
        kept
    });
    let data = tempfile::tempdir().unwrap();
    let cli = |args: &[&str]| {
        let mut all = vec!["--data-dir", data.path().to_str().unwrap()];
        all.extend_from_slice(args);
        scopepact(&all)
    };
    let out = cli(&["import", common::SAMPLE]);
    assert!(out.status.success());
    let out = cli(&[
        "sync",
        "--server",
        &format!("http://127.0.0.1:{}", server.port),
        "--token",
        &token,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        answers_health_within(&server, Duration::from_secs(5)),
        "/healthz did not answer during the flood"
    );
    drop(flood.join().unwrap());

    // The stragglers are closed once their time is up.
    let still_open: Vec<&std::net::TcpStream> = held
        .iter()
        .filter(|s| !closed_within(s, Duration::from_millis(1)))
        .collect();
    for stream in still_open {
        assert!(
            closed_within(stream, Duration::from_secs(6)),
            "a slow client was kept open"
        );
    }
    // The flood's last connections may still hold their places for a moment while the server
    // notices them closing (longer on a loaded machine): it must answer again soon after.
    assert!(
        answers_health_within(&server, Duration::from_secs(5)),
        "/healthz did not answer after the flood"
    );

    // SIGTERM with slow clients connected: the server exits within its grace period.
    let _slow: Vec<_> = (0..5)
        .filter_map(|_| half_request(server.port).ok())
        .collect();
    let started = std::time::Instant::now();
    let status = server.stop();
    assert!(status.success(), "{status:?}");
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn one_device_cannot_take_every_connection_and_a_full_server_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.sqlite3");
    let greedy = invite(&db, "greedy", &[]);
    let other = invite(&db, "other", &[]);
    let server = Server::start(
        &db,
        &[
            "--max-connections",
            "3",
            "--max-connections-per-device",
            "2",
        ],
    );
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let mut open = vec![];
        for _ in 0..2 {
            let (socket, response) =
                tokio_tungstenite::connect_async(request(&server, Some(&greedy), None))
                    .await
                    .unwrap();
            assert_eq!(response.status().as_u16(), 101);
            open.push(socket);
        }
        assert_eq!(
            handshake_status(request(&server, Some(&greedy), None)).await,
            503
        );
        // The scheme's name in any case (RFC 7235).
        let mut lower = request(&server, None, None);
        lower
            .headers_mut()
            .insert("Authorization", format!("bearer {other}").parse().unwrap());
        let (third, response) = tokio_tungstenite::connect_async(lower).await.unwrap();
        assert_eq!(response.status().as_u16(), 101);
        open.push(third);
        // The server is full now: a device syncing is told so, not "no answer".
        let data = tempfile::tempdir().unwrap();
        let out = scopepact(&[
            "--data-dir",
            data.path().to_str().unwrap(),
            "sync",
            "--server",
            &format!("http://127.0.0.1:{}", server.port),
            "--token",
            &other,
        ]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success());
        assert!(err.contains("server full (503)"), "{err}");
        drop(open);
    });
}
