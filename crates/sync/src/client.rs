//! One sync with a server, as `scopepact sync` and the app's "sync now" do it: every local
//! document goes up, every document of the workspace comes down, and the call returns when the
//! server and this device hold the same changes of each.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use std::sync::Arc;

use futures::{StreamExt, TryStreamExt};
use samod::{BackoffConfig, DialerFailed, DocumentId, Repo};
use url::Url;

use crate::dialer::{DialRefused, TokenDialer};
use crate::storage::SqliteStorage;
use crate::tokens::index_of_token;
use crate::SyncError;

/// The server's WebSocket URL: `http://` and `ws://` (or `https://` and `wss://`, with TLS) all
/// name the same server. The token goes in a header, never in the URL.
pub fn server_url(server: &str) -> Result<Url, SyncError> {
    let invalid = |why: &str| {
        SyncError::InvalidInput(format!("\"{server}\" is not a sync server URL: {why}"))
    };
    let mut url = Url::parse(server.trim()).map_err(|e| invalid(&e.to_string()))?;
    let scheme = match url.scheme() {
        "http" | "ws" => "ws",
        "https" | "wss" => "wss",
        _ => return Err(invalid("use http://, https://, ws:// or wss://")),
    };
    url.set_scheme(scheme)
        .map_err(|_| invalid("cannot use this scheme"))?;
    if url.host_str().is_none() {
        return Err(invalid("no host"));
    }
    url.set_query(None);
    Ok(url)
}

/// What one sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncOutcome {
    /// automerge-repo ids of every document now in step with the server.
    pub documents: Vec<String>,
    /// Those that are new here or received changes: the ones whose list rows need updating.
    pub received: Vec<String>,
    /// The heads this device and the server both held of each document when the sync ended.
    pub heads: Vec<(String, Vec<automerge::ChangeHash>)>,
}

async fn within<T>(
    limit: Duration,
    what: &str,
    work: impl std::future::Future<Output = T>,
) -> Result<T, SyncError> {
    tokio::time::timeout(limit, work)
        .await
        .map_err(|_| SyncError::Timeout {
            seconds: limit.as_secs(),
            what: what.to_string(),
        })
}

/// [`within`], but also ends as soon as the connection is lost: a server gone mid-sync is
/// reported at once, not after the whole time limit.
pub(crate) async fn while_connected<T>(
    limit: Duration,
    what: &str,
    connected: &(dyn Fn() -> bool + Sync),
    shown: &str,
    work: impl std::future::Future<Output = T>,
) -> Result<T, SyncError> {
    let lost = async {
        loop {
            tokio::time::sleep(Duration::from_millis(100)).await;
            if !connected() {
                break;
            }
        }
    };
    tokio::select! {
        done = within(limit, what, work) => done,
        () = lost => Err(SyncError::Unreachable {
            url: shown.to_string(),
            reason: format!("the connection was lost while {what}"),
        }),
    }
}

/// Syncs the documents of the database `db` (and the workspace's others) with the server.
/// `local` lists the automerge-repo ids of the documents this device has.
pub async fn sync_once(
    db: &Path,
    local: &[String],
    server: &str,
    token: &str,
    limit: Duration,
) -> Result<SyncOutcome, SyncError> {
    let url = server_url(server)?;
    let shown = url.to_string();
    let index_id = index_id_of(token)?;
    let repo = Repo::build_tokio()
        .with_storage(SqliteStorage::open(db)?)
        .load()
        .await;
    let outcome = run(&repo, &url, token, &shown, index_id, local, limit).await;
    // Whatever happened, what arrived is written before we return.
    repo.stop().await;
    outcome
}

async fn run(
    repo: &Repo,
    url: &Url,
    token: &str,
    shown: &str,
    index_id: DocumentId,
    local: &[String],
    limit: Duration,
) -> Result<SyncOutcome, SyncError> {
    // What this device holds before any exchange: what changed is measured against it.
    let before: std::collections::HashMap<String, Vec<automerge::ChangeHash>> =
        futures::stream::iter(local.iter().cloned().map(|id| local_heads(repo, id)))
            .buffer_unordered(DOCUMENTS_AT_ONCE)
            .filter_map(std::future::ready)
            .collect()
            .await;

    // A few quick retries: a server just restarting, a flaky link. A refused token stops at once.
    let token_dialer = Arc::new(TokenDialer::new(url.clone(), token));
    let dialer = repo
        .dial(
            BackoffConfig {
                initial_delay: Duration::from_millis(200),
                max_delay: Duration::from_secs(2),
                max_retries: Some(3),
            },
            Arc::clone(&token_dialer),
        )
        .map_err(|_| SyncError::Server("the local repo stopped".into()))?;
    match within(limit, "connecting", dialer.established()).await? {
        Ok(_) => {}
        Err(failed) => return Err(dial_failure(&failed, shown, &token_dialer)),
    }
    let connection = dialer
        .connection_id()
        .ok_or_else(|| SyncError::Unreachable {
            url: shown.into(),
            reason: "the connection closed right after it opened".into(),
        })?;
    let connected = || dialer.is_connected();
    let (_, all) = join_index(repo, index_id, local, connection, &connected, shown, limit).await?;

    // Documents go through the connection several at a time: each needs a couple of round
    // trips, and one after the other those add up (1,000 documents: 1.7 s on loopback).
    let synced: Vec<Option<(String, Vec<automerge::ChangeHash>)>> = futures::stream::iter(
        all.into_iter()
            .map(|id| sync_document(repo, id, connection, &connected, shown, limit)),
    )
    .buffered(DOCUMENTS_AT_ONCE)
    .try_collect()
    .await?;
    let mut documents = vec![];
    let mut received = vec![];
    let mut heads = vec![];
    for (id, after) in synced.into_iter().flatten() {
        if before.get(&id) != Some(&after) {
            received.push(id.clone());
        }
        heads.push((id.clone(), after));
        documents.push(id);
    }
    dialer.close();
    Ok(SyncOutcome {
        documents,
        received,
        heads,
    })
}

/// What a dialer that gave up means to the person: a refused token, a bad address, TLS, or
/// no answer.
pub(crate) fn dial_failure(
    failed: &DialerFailed<DialRefused>,
    shown: &str,
    dialer: &TokenDialer,
) -> SyncError {
    match failed {
        DialerFailed::PermanentFailure(refused) => match refused.as_ref() {
            DialRefused::Unauthorized => SyncError::Unauthorized { url: shown.into() },
            DialRefused::BadRequest(reason) => SyncError::InvalidInput(reason.clone()),
            DialRefused::Tls(reason) => SyncError::Unreachable {
                url: shown.into(),
                reason: format!("TLS failed: {reason}"),
            },
        },
        DialerFailed::MaxRetriesReached => SyncError::Unreachable {
            url: shown.into(),
            reason: dialer
                .last_refusal()
                .unwrap_or_else(|| "no answer after 4 attempts".into()),
        },
    }
}

/// The id of the workspace index a device token opens.
pub(crate) fn index_id_of(token: &str) -> Result<DocumentId, SyncError> {
    index_of_token(token)
        .and_then(|i| DocumentId::from_str(&i).ok())
        .ok_or_else(|| {
            SyncError::InvalidInput(
                "this is not a ScopePact device token (they look like spd_…_…, from `scopepact invite`)".into(),
            )
        })
}

/// The workspace index: adds the `local` documents to it, and returns it with every document
/// it lists (ours and the other devices').
pub(crate) async fn join_index(
    repo: &Repo,
    index_id: DocumentId,
    local: &[String],
    connection: samod::ConnectionId,
    connected: &(dyn Fn() -> bool + Sync),
    shown: &str,
    limit: Duration,
) -> Result<(samod::DocHandle, Vec<String>), SyncError> {
    let index = while_connected(
        limit,
        "finding the workspace index",
        connected,
        shown,
        repo.find(index_id),
    )
    .await?
    .map_err(|_| SyncError::Server("the local repo stopped".into()))?
    .ok_or_else(|| SyncError::Server("the server does not hold this workspace's index".into()))?;
    while_connected(
        limit,
        "reading the workspace index",
        connected,
        shown,
        index.we_have_their_changes(connection),
    )
    .await?;
    let all = list_in_index(&index, local)?;
    while_connected(
        limit,
        "sending the workspace index",
        connected,
        shown,
        index.they_have_our_changes(connection),
    )
    .await?;
    Ok((index, all))
}

/// Adds `local` to the index's list of documents; returns the whole list.
pub(crate) fn list_in_index(
    index: &samod::DocHandle,
    local: &[String],
) -> Result<Vec<String>, SyncError> {
    index.with_document(|doc| {
        use automerge::transaction::Transactable;
        use automerge::{ObjType, ReadDoc, ROOT};
        let mut tx = doc.transaction();
        let documents = match tx.get(ROOT, "documents") {
            Ok(Some((automerge::Value::Object(ObjType::Map), id))) => id,
            _ => tx
                .put_object(ROOT, "documents", ObjType::Map)
                .map_err(|e| SyncError::Server(e.to_string()))?,
        };
        for id in local {
            if tx.get(&documents, id.as_str()).ok().flatten().is_none() {
                tx.put(&documents, id.as_str(), true)
                    .map_err(|e| SyncError::Server(e.to_string()))?;
            }
        }
        let all = tx.keys(&documents).collect();
        tx.commit();
        Ok::<_, SyncError>(all)
    })
}

/// The heads this device holds of a document, before any exchange.
async fn local_heads(repo: &Repo, id: String) -> Option<(String, Vec<automerge::ChangeHash>)> {
    let handle = repo.find(DocumentId::from_str(&id).ok()?).await.ok()??;
    let heads = handle.with_document(|d| d.get_heads());
    Some((id, heads))
}

/// How many documents are in flight on the connection at once.
const DOCUMENTS_AT_ONCE: usize = 16;

/// Brings one document of the workspace in step with the server; its heads after, or `None`
/// when no one reachable holds it.
async fn sync_document(
    repo: &Repo,
    id: String,
    connection: samod::ConnectionId,
    connected: &(dyn Fn() -> bool + Sync),
    shown: &str,
    limit: Duration,
) -> Result<Option<(String, Vec<automerge::ChangeHash>)>, SyncError> {
    let Ok(doc_id) = DocumentId::from_str(&id) else {
        tracing::warn!(%id, "the workspace index lists an id that is not a document id");
        return Ok(None);
    };
    let found = while_connected(
        limit,
        &format!("finding {id}"),
        connected,
        shown,
        repo.find(doc_id),
    )
    .await?
    .map_err(|_| SyncError::Server("the local repo stopped".into()))?;
    let Some(handle) = found else {
        tracing::warn!(%id, "listed in the workspace index but held by no one reachable");
        return Ok(None);
    };
    while_connected(
        limit,
        &format!("receiving {id}"),
        connected,
        shown,
        handle.we_have_their_changes(connection),
    )
    .await?;
    while_connected(
        limit,
        &format!("sending {id}"),
        connected,
        shown,
        handle.they_have_our_changes(connection),
    )
    .await?;
    let after = handle.with_document(|d| d.get_heads());
    Ok(Some((id, after)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_of_the_server_url_works() {
        for (given, expected) in [
            ("http://127.0.0.1:8080", "ws://127.0.0.1:8080/"),
            ("ws://127.0.0.1:8080/", "ws://127.0.0.1:8080/"),
            ("https://sync.example.com", "wss://sync.example.com/"),
            ("wss://sync.example.com/?token=x", "wss://sync.example.com/"),
        ] {
            assert_eq!(server_url(given).unwrap().as_str(), expected);
        }
        for bad in ["ftp://x", "localhost:8080", ""] {
            assert!(server_url(bad).is_err(), "{bad}");
        }
    }
}

/// What the company's authority on the server answered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CertificateExchange {
    /// The company root, PEM, when the server has one.
    pub root: Option<String>,
    /// SHA-256 (hex) of each revoked certificate.
    pub revoked: Vec<String>,
    /// For each request sent (its key), the chain issued, PEM.
    pub issued: Vec<(String, String)>,
}

/// Learns the company root and the revoked certificates, then, when there is a root, sends each
/// certificate request (`(key, PEM)`) and collects the chains issued.
pub async fn exchange_certificates(
    server: &str,
    token: &str,
    requests: &[(String, String)],
) -> Result<CertificateExchange, SyncError> {
    let url = server_url(server)?;
    let (status, body) =
        crate::http::request(&url, "GET", "/certificates/revoked", token, "").await?;
    match status {
        200 => {}
        401 => return Err(SyncError::Unauthorized { url: server.into() }),
        other => {
            return Err(SyncError::Server(format!(
                "the server answered {other} for its certificate list"
            )))
        }
    }
    let mut exchange = CertificateExchange::default();
    let (list, root) = match body.find("-----BEGIN") {
        Some(at) => (&body[..at], Some(body[at..].to_string())),
        None => (body.as_str(), None),
    };
    exchange.revoked = list
        .lines()
        .map(str::trim)
        .filter(|l| l.len() == 64 && l.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(str::to_string)
        .collect();
    exchange.root = root;
    if exchange.root.is_none() {
        return Ok(exchange);
    }
    for (key, request) in requests {
        let (status, body) =
            crate::http::request(&url, "POST", "/certificates", token, request).await?;
        match status {
            200 => exchange.issued.push((key.clone(), body)),
            401 => return Err(SyncError::Unauthorized { url: server.into() }),
            other => {
                return Err(SyncError::Server(format!(
                    "the server refused a certificate request ({other}): {}",
                    body.trim()
                )))
            }
        }
    }
    Ok(exchange)
}
