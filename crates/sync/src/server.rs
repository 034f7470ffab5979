//! `scopepact serve`: an automerge-repo sync server (samod) with ScopePact's storage and auth.
//!
//! Every WebSocket upgrade must present a device token (`Authorization: Bearer TOKEN`, or
//! `?token=TOKEN` for clients that cannot set headers); anything else gets `401` before the
//! upgrade, so an unknown peer never reaches the repo or the storage. Message size and the number
//! of connections are bounded, so a broken or hostile peer cannot take the server down.

use std::collections::HashMap;
use std::future::{Future, IntoFuture};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::ws::{rejection::WebSocketUpgradeRejection, WebSocketUpgrade};
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use futures::StreamExt;
use rusqlite::Connection;
use samod::Repo;
use tokio::sync::Semaphore;

pub use crate::listener::TlsFiles;
use crate::listener::{Peer, SyncListener};
use crate::storage::SqliteStorage;
use crate::SyncError;
use crate::{authority, tokens};

/// Each connection's WebSocket read buffer (`idle` bench: 142 KiB per idle device with
/// tungstenite's default of 128 KiB).
const READ_BUFFER_BYTES: usize = 8 * 1024;

#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub listen: String,
    pub db: PathBuf,
    /// Largest WebSocket message accepted, in bytes.
    pub max_message_bytes: usize,
    /// Simultaneous sync connections; more get `503`.
    pub max_connections: usize,
    /// Simultaneous sync connections of one device token; more get `503`.
    pub max_connections_per_device: usize,
    /// Connections held before they authenticate; more are closed as they arrive.
    pub max_unauthenticated: usize,
    /// Time a client without a token has to send a complete request.
    pub request_time: Duration,
    /// On shutdown, how long connections get to finish before they are closed.
    pub shutdown_grace: Duration,
    /// Serve `wss://` with this certificate and key; plain `ws://` without.
    pub tls: Option<TlsFiles>,
}

impl ServerConfig {
    pub fn new(listen: impl Into<String>, db: impl Into<PathBuf>) -> ServerConfig {
        ServerConfig {
            listen: listen.into(),
            db: db.into(),
            max_message_bytes: 16 * 1024 * 1024,
            // With connections attached on demand (decision 0011) the load bench holds 1,000
            // active devices at p99 44 ms using 55 % of one core; 2,000 saturate its 2 cores.
            // Beyond the limit, refusing with 503 beats serving everyone late.
            max_connections: 1_000,
            max_connections_per_device: 16,
            max_unauthenticated: 256,
            request_time: Duration::from_secs(10),
            shutdown_grace: Duration::from_secs(10),
            tls: None,
        }
    }
}

struct ServerState {
    acceptor: samod::AcceptorHandle,
    db: PathBuf,
    tokens: Arc<Mutex<Connection>>,
    slots: Arc<Semaphore>,
    max_message_bytes: usize,
    /// Open sync connections per device.
    per_device: Arc<Mutex<HashMap<String, usize>>>,
    max_per_device: usize,
}

/// A device's place among the open connections, given back when the connection ends.
struct DeviceSlot {
    device: String,
    per_device: Arc<Mutex<HashMap<String, usize>>>,
}

impl Drop for DeviceSlot {
    fn drop(&mut self) {
        if let Ok(mut counts) = self.per_device.lock() {
            if let Some(n) = counts.get_mut(&self.device) {
                *n = n.saturating_sub(1);
                if *n == 0 {
                    counts.remove(&self.device);
                }
            }
        }
    }
}

/// Binds, then serves until `shutdown` resolves; on the way out every connection is closed and
/// the repo flushes what it holds to storage. `on_ready` gets the bound address (port 0 picks
/// a free one).
pub async fn serve(
    config: ServerConfig,
    on_ready: impl FnOnce(SocketAddr),
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), SyncError> {
    let tokens = Arc::new(Mutex::new(scopepact_store::connect(&config.db)?));
    if let Ok(conn) = tokens.lock() {
        let index = tokens::workspace_index(&conn)?;
        tracing::info!(index = %scopepact_store::storage_id(&index), "workspace index");
    }
    let storage = SqliteStorage::open(&config.db)?;
    let listener = SyncListener::bind(
        &config.listen,
        config.tls.as_ref(),
        crate::listener::ProbationLimits {
            max_unauthenticated: config.max_unauthenticated,
            request_time: config.request_time,
        },
    )
    .await?;
    let address = listener.local_addr();
    // Devices ask for documents by id (the workspace index lists them); announcing every
    // document to every device would make each change fan out to all of them. So a
    // connection is attached only to the documents it asks for (our samod patch,
    // vendor/README.md): it costs the server what it uses, not connections × documents.
    let repo = Repo::build_tokio()
        .with_peer_id("scopepact-server".into())
        .with_share_policy(samod::ShareConfig::read_write().with_announce(false))
        .with_attach_on_demand(true)
        .with_storage(storage)
        .load()
        .await;
    let scheme = if config.tls.is_some() { "wss" } else { "ws" };
    let url = format!("{scheme}://{address}/")
        .parse()
        .map_err(|e| SyncError::Server(format!("bad listen address {address}: {e}")))?;
    let acceptor = repo
        .make_acceptor(url)
        .map_err(|_| SyncError::Server("the repo stopped while starting".into()))?;
    let state = Arc::new(ServerState {
        acceptor,
        db: config.db.clone(),
        tokens,
        slots: Arc::new(Semaphore::new(config.max_connections)),
        max_message_bytes: config.max_message_bytes,
        per_device: Arc::default(),
        max_per_device: config.max_connections_per_device,
    });
    let app = Router::new()
        .route(
            "/healthz",
            get(|ConnectInfo(peer): ConnectInfo<Peer>| async move {
                peer.admission.answered();
                "ok\n"
            }),
        )
        .route("/", get(sync_socket))
        .route(
            "/certificates",
            axum::routing::post(issue_certificate).layer(axum::extract::DefaultBodyLimit::max(
                authority::MAX_REQUEST_BYTES,
            )),
        )
        .route("/certificates/revoked", get(revoked_certificates))
        .with_state(state);
    tracing::info!(%address, tls = config.tls.is_some(), db = %config.db.display(), "sync server listening");
    on_ready(address);
    let stopping = Arc::new(tokio::sync::Notify::new());
    let signalled = Arc::clone(&stopping);
    let served = axum::serve(listener, app.into_make_service_with_connect_info::<Peer>())
        .with_graceful_shutdown(async move {
            shutdown.await;
            signalled.notify_one();
        })
        .into_future();
    // Connections get the grace period to finish; stragglers are closed with the process.
    let grace = config.shutdown_grace;
    let served = tokio::select! {
        served = served => served.map_err(|e| SyncError::Server(e.to_string())),
        () = async {
            stopping.notified().await;
            tokio::time::sleep(grace).await;
        } => {
            tracing::warn!(seconds = grace.as_secs(), "connections still open after the grace period: closing them");
            Ok(())
        }
    };
    tracing::info!("shutting down: flushing documents to storage");
    repo.stop().await;
    served?;
    tracing::info!("stopped");
    Ok(())
}

/// The token a request presents: the `Authorization: Bearer` header (the scheme's name in any
/// case, RFC 7235), else `?token=`.
fn presented_token(headers: &HeaderMap, query: &HashMap<String, String>) -> Option<String> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, token) = v.trim().split_once(' ')?;
            scheme
                .eq_ignore_ascii_case("bearer")
                .then(|| token.trim().to_string())
        })
        .or_else(|| query.get("token").cloned())
}

/// The device a request's token belongs to, or the response that refuses it.
async fn device_of(
    state: &ServerState,
    peer: &Peer,
    headers: &HeaderMap,
    query: &HashMap<String, String>,
) -> Result<String, Response> {
    let token = presented_token(headers, query);
    let db = Arc::clone(&state.tokens);
    let checked = tokio::task::spawn_blocking(move || {
        let conn = db
            .lock()
            .map_err(|_| SyncError::Server("token store lock poisoned".into()))?;
        tokens::check(&conn, token.as_deref(), chrono::Utc::now())
    })
    .await;
    match checked {
        Ok(Ok(Ok(device))) => Ok(device),
        Ok(Ok(Err(refusal))) => {
            tracing::warn!(%peer, reason = refusal.as_str(), "request refused");
            Err((
                StatusCode::UNAUTHORIZED,
                [(header::WWW_AUTHENTICATE, "Bearer")],
                format!("401 unauthorized: {}\n", refusal.as_str()),
            )
                .into_response())
        }
        Ok(Err(err)) => {
            tracing::error!(%peer, %err, "token check failed");
            Err(StatusCode::INTERNAL_SERVER_ERROR.into_response())
        }
        Err(err) => {
            tracing::error!(%peer, %err, "token check task failed");
            Err(StatusCode::INTERNAL_SERVER_ERROR.into_response())
        }
    }
}

/// `POST /certificates`: a device's certificate request (PEM) in, the chain the company root
/// issued (PEM) out.
async fn issue_certificate(
    State(state): State<Arc<ServerState>>,
    ConnectInfo(peer): ConnectInfo<Peer>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
    request: String,
) -> Response {
    let device = match device_of(&state, &peer, &headers, &query).await {
        Ok(device) => device,
        Err(refused) => return refused,
    };
    peer.admission.answered();
    let db = Arc::clone(&state.tokens);
    let path = state.db.clone();
    let who = device.clone();
    let issued = tokio::task::spawn_blocking(move || {
        let conn = db
            .lock()
            .map_err(|_| SyncError::Server("store lock poisoned".into()))?;
        if authority::root_pem(&conn)?.is_none() {
            return Ok(None);
        }
        authority::issue(&conn, &path, &who, &request, chrono::Utc::now()).map(Some)
    })
    .await;
    match issued {
        Ok(Ok(Some(chain))) => {
            tracing::info!(%peer, %device, "certificate issued");
            (
                [(header::CONTENT_TYPE, "application/pem-certificate-chain")],
                chain,
            )
                .into_response()
        }
        Ok(Ok(None)) => {
            (StatusCode::NOT_FOUND, "this server has no company root\n").into_response()
        }
        Ok(Err(err)) => {
            tracing::warn!(%peer, %device, %err, "certificate request refused");
            (StatusCode::BAD_REQUEST, format!("{err}\n")).into_response()
        }
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// `GET /certificates/revoked`: the SHA-256 of each revoked certificate, one per line.
async fn revoked_certificates(
    State(state): State<Arc<ServerState>>,
    ConnectInfo(peer): ConnectInfo<Peer>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if let Err(refused) = device_of(&state, &peer, &headers, &query).await {
        return refused;
    }
    peer.admission.answered();
    let db = Arc::clone(&state.tokens);
    let listed = tokio::task::spawn_blocking(move || {
        let conn = db
            .lock()
            .map_err(|_| SyncError::Server("store lock poisoned".into()))?;
        let root = authority::root_pem(&conn)?.unwrap_or_default();
        Ok::<_, SyncError>((root, authority::revoked(&conn)?))
    })
    .await;
    match listed {
        Ok(Ok((root, revoked))) => {
            let mut body = String::new();
            for line in revoked {
                body.push_str(&line);
                body.push('\n');
            }
            // The root travels with the list, so a device learns the company's root.
            body.push_str(&root);
            body.into_response()
        }
        _ => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

async fn sync_socket(
    State(state): State<Arc<ServerState>>,
    ConnectInfo(peer): ConnectInfo<Peer>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response {
    // Authenticate before anything else: an unknown peer gets no upgrade and touches nothing.
    let token = presented_token(&headers, &query);
    let db = Arc::clone(&state.tokens);
    let checked = tokio::task::spawn_blocking(move || {
        let conn = db
            .lock()
            .map_err(|_| SyncError::Server("token store lock poisoned".into()))?;
        tokens::check(&conn, token.as_deref(), chrono::Utc::now())
    })
    .await;
    let device = match checked {
        Ok(Ok(Ok(device))) => device,
        Ok(Ok(Err(refusal))) => {
            tracing::warn!(%peer, reason = refusal.as_str(), "sync connection refused");
            return (
                StatusCode::UNAUTHORIZED,
                [(header::WWW_AUTHENTICATE, "Bearer")],
                format!("401 unauthorized: {}\n", refusal.as_str()),
            )
                .into_response();
        }
        Ok(Err(err)) => {
            tracing::error!(%peer, %err, "token check failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
        Err(err) => {
            tracing::error!(%peer, %err, "token check task failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let upgrade = match upgrade {
        Ok(upgrade) => upgrade,
        Err(rejection) => return rejection.into_response(),
    };
    let Ok(slot) = Arc::clone(&state.slots).try_acquire_owned() else {
        tracing::warn!(%peer, %device, "sync connection refused: too many connections");
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "server full: too many connections\n",
        )
            .into_response();
    };
    let device_slot = {
        let Ok(mut counts) = state.per_device.lock() else {
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        };
        let open = counts.entry(device.clone()).or_insert(0);
        if *open >= state.max_per_device {
            tracing::warn!(%peer, %device, open = *open, "sync connection refused: too many connections for this device");
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                "server full: too many connections for this device token\n",
            )
                .into_response();
        }
        *open += 1;
        DeviceSlot {
            device: device.clone(),
            per_device: Arc::clone(&state.per_device),
        }
    };
    peer.admission.authenticated();
    let acceptor = state.acceptor.clone();
    upgrade
        .max_message_size(state.max_message_bytes)
        .max_frame_size(state.max_message_bytes)
        // tungstenite reads into a 128 KiB buffer by default, held for the connection's life:
        // most of an idle device's cost. Sync frames are small; a large one is read in turns.
        .read_buffer_size(READ_BUFFER_BYTES)
        .on_upgrade(move |socket| async move {
            let _slots = (slot, device_slot); // held for the life of the connection
            match acceptor.accept_axum(socket, None) {
                Ok(connection) => {
                    // Subscribe first, then wait: a connection that ends during the handshake
                    // is reported by `handshake_complete`, a later end by the event.
                    let mut events = connection.events();
                    match connection.handshake_complete().await {
                        Err(reason) => {
                            tracing::info!(%peer, %device, ?reason, "connection ended before the handshake");
                            return;
                        }
                        Ok(info) => tracing::info!(%peer, %device, remote = ?info.peer_id, "device connected"),
                    }
                    while let Some(event) = events.next().await {
                        if let samod::AcceptorEvent::ClientDisconnected { reason, .. } = event {
                            tracing::info!(%peer, %device, ?reason, "device disconnected");
                            break;
                        }
                    }
                }
                Err(_) => tracing::warn!(%peer, %device, "server stopping: connection dropped"),
            }
        })
}
