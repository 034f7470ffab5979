//! A live session with the sync server: one connection kept open while the app runs, so an
//! edit made on one device reaches the others as it happens, and who has a document open is
//! seen by the others (presence, through automerge-repo's ephemeral messages: never stored).
//!
//! samod reads the store's chunks but never writes them (a read-only [`SqliteStorage`]): what
//! arrives is handed to the app as [`LiveEvent::Received`], and the app stores it through the
//! store's own transaction. Edits made here are found by comparing the store's list rows with
//! what the session last saw ([`LiveSession::nudge`] after each edit, and once a second) and
//! are fed to samod from the store's chunks. samod redials with backoff when the connection is
//! lost; each new connection joins the workspace index again and catches up.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use automerge::{Automerge, ChangeHash};
use futures::StreamExt;
use samod::{BackoffConfig, ConnectionId, DocHandle, DocumentId, Repo};
use tokio::sync::mpsc;

use crate::client::{dial_failure, index_id_of, join_index, list_in_index, server_url};
use crate::dialer::TokenDialer;
use crate::link::{DialerLink, Link, LinkEvent};
use crate::presence::{self, Presence, PresenceNote};
use crate::storage::SqliteStorage;
use crate::SyncError;

/// How long one step of catching up (finding the index, a document) may take.
const STEP_LIMIT: Duration = Duration::from_secs(30);
/// How often the store is looked at for edits nobody nudged about (another process's).
const TICK: Duration = Duration::from_secs(1);
/// How often this device says again that it has a document open.
const PRESENCE_EVERY: Duration = Duration::from_secs(2);
/// Someone not heard of for this long has left.
const PRESENCE_GONE_AFTER: Duration = Duration::from_secs(6);

/// What the session tells the app.
#[derive(Debug)]
pub enum LiveEvent {
    /// Dialing the server for the first time.
    Connecting,
    /// Connected, in the workspace, every document followed.
    Online,
    /// Not connected (lost, or the first attempt failed); samod tries again with backoff.
    Offline { reason: String },
    /// The server will never accept this session (a refused token, a bad address): it ended.
    Stopped(SyncError),
    /// Someone else changed (or added) a document: its state here, for the store to absorb.
    Received {
        id: String,
        document: Box<Automerge>,
    },
    /// The server holds these heads of a document, which are all this device has.
    InStep { id: String, heads: Vec<ChangeHash> },
    /// Who else has a document open now.
    Presence { id: String, others: Vec<Presence> },
}

enum Command {
    Nudge,
    Present(Option<(String, Presence)>),
}

/// The app's side of a running session. Dropping it ends the session.
pub struct LiveSession {
    commands: mpsc::UnboundedSender<Command>,
}

impl LiveSession {
    /// Starts a session with the server for the database `db`; must be called inside a tokio
    /// runtime. A malformed URL or token is refused at once; everything after is an event.
    pub fn start(
        db: &Path,
        server: &str,
        token: &str,
    ) -> Result<(LiveSession, mpsc::UnboundedReceiver<LiveEvent>), SyncError> {
        let url = server_url(server)?;
        let index_id = index_id_of(token)?;
        let storage = SqliteStorage::open_read_only(db)?;
        let (commands, command_rx) = mpsc::unbounded_channel();
        let (events, event_rx) = mpsc::unbounded_channel();
        let token_dialer = Arc::new(TokenDialer::new(url.clone(), token));
        tokio::spawn(async move {
            let repo = Repo::build_tokio()
                .with_storage(storage.clone())
                .load()
                .await;
            let shown = url.to_string();
            let Ok(dialer) = repo.dial(backoff(), Arc::clone(&token_dialer)) else {
                let _ = events.send(LiveEvent::Stopped(SyncError::Server(
                    "the local repo stopped".into(),
                )));
                return;
            };
            let explained = Arc::clone(&token_dialer);
            let refusals = Arc::clone(&token_dialer);
            let shown_there = shown.clone();
            let link = DialerLink::new(
                dialer,
                move |failed| match failed {
                    Some(failed) => dial_failure(failed, &shown_there, &explained),
                    None => SyncError::Server("the connection ended".into()),
                },
                move || refusals.last_refusal(),
            );
            let scope = Scope::Workspace {
                index_id,
                index: None,
                watcher: None,
            };
            let _ = events.send(LiveEvent::Connecting);
            let session = Session::new(repo.clone(), storage, shown, scope, events);
            session.run(link, command_rx).await;
            repo.stop().await;
        });
        Ok((LiveSession { commands }, event_rx))
    }

    /// A session on any link over any scope (a meeting session's host or joiner): the same
    /// events as with the server. `repo` must have been built over `storage`.
    pub(crate) fn start_over(
        repo: Repo,
        storage: SqliteStorage,
        shown: String,
        document: String,
        link: impl Link,
    ) -> (LiveSession, mpsc::UnboundedReceiver<LiveEvent>) {
        let (commands, command_rx) = mpsc::unbounded_channel();
        let (events, event_rx) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            let _ = events.send(LiveEvent::Connecting);
            let session = Session::new(
                repo.clone(),
                storage,
                shown,
                Scope::Document(document),
                events,
            );
            session.run(link, command_rx).await;
            repo.stop().await;
        });
        (LiveSession { commands }, event_rx)
    }

    /// Something was written here: look at the store now rather than at the next tick.
    pub fn nudge(&self) {
        let _ = self.commands.send(Command::Nudge);
    }

    /// This person has this document open (on this commitment), or none.
    pub fn present(&self, at: Option<(String, Presence)>) {
        let _ = self.commands.send(Command::Present(at));
    }
}

/// What the watchers of each document report to the session.
enum Watched {
    Changed(String),
    Peer(String, ConnectionId, Option<Vec<ChangeHash>>),
    Ephemeral(String, Vec<u8>),
    IndexChanged,
}

/// One followed document.
struct Followed {
    handle: DocHandle,
    /// Chunk keys of the store already fed to samod.
    fed: HashSet<Vec<String>>,
    /// The heads the store has or has been sent: a change samod reports with these heads is
    /// ours (or already told) and is not sent back.
    told: Vec<ChangeHash>,
    /// The heads the server last said it shares with us, on the current connection.
    shared: Option<Vec<ChangeHash>>,
    /// The last heads reported in step.
    in_step: Option<Vec<ChangeHash>>,
    /// Who else has it open: their session, what they said, when last heard.
    others: HashMap<String, (Presence, Instant)>,
    watchers: Vec<tokio::task::AbortHandle>,
}

impl Drop for Followed {
    fn drop(&mut self) {
        for watcher in &self.watchers {
            watcher.abort();
        }
    }
}

/// Redialing: quickly at first, at most every 10 s.
pub(crate) fn backoff() -> BackoffConfig {
    BackoffConfig {
        initial_delay: Duration::from_millis(250),
        max_delay: Duration::from_secs(10),
        max_retries: None,
    }
}

/// Which documents a session follows.
enum Scope {
    /// Every document of the workspace, listed in its index (a session with the server).
    Workspace {
        index_id: DocumentId,
        index: Option<DocHandle>,
        watcher: Option<tokio::task::AbortHandle>,
    },
    /// One document (a meeting session): nothing else is followed, listed or fed.
    Document(String),
}

struct Session {
    repo: Repo,
    storage: SqliteStorage,
    shown: String,
    scope: Scope,
    followed: HashMap<String, Followed>,
    /// The store's heads of each document when last looked at.
    stored: HashMap<String, Vec<ChangeHash>>,
    events: mpsc::UnboundedSender<LiveEvent>,
    watched_tx: mpsc::UnboundedSender<Watched>,
    watched_rx: mpsc::UnboundedReceiver<Watched>,
    /// This device's presence: which document, as whom, and its session id.
    me: Option<(String, Presence)>,
    my_session: String,
    caught_up: bool,
}

impl Session {
    fn new(
        repo: Repo,
        storage: SqliteStorage,
        shown: String,
        scope: Scope,
        events: mpsc::UnboundedSender<LiveEvent>,
    ) -> Session {
        let (watched_tx, watched_rx) = mpsc::unbounded_channel();
        Session {
            repo,
            storage,
            shown,
            scope,
            followed: HashMap::new(),
            stored: HashMap::new(),
            events,
            watched_tx,
            watched_rx,
            me: None,
            my_session: uuid::Uuid::new_v4().to_string(),
            caught_up: false,
        }
    }

    fn tell(&self, event: LiveEvent) {
        let _ = self.events.send(event);
    }

    async fn run(mut self, mut link: impl Link, mut commands: mpsc::UnboundedReceiver<Command>) {
        let mut tick = tokio::time::interval(TICK);
        let mut last_presence = Instant::now();
        loop {
            tokio::select! {
                event = link.next_event() => match event {
                    LinkEvent::Up => self.catch_up(&link).await,
                    LinkEvent::Down { reason } => {
                        self.caught_up = false;
                        self.tell(LiveEvent::Offline { reason });
                    }
                    LinkEvent::Ended(reason) => {
                        self.tell(LiveEvent::Stopped(reason));
                        break;
                    }
                },
                command = commands.recv() => match command {
                    None => break,
                    Some(Command::Nudge) => self.feed_local_edits(&link).await,
                    Some(Command::Present(at)) => {
                        self.present(at);
                        last_presence = Instant::now();
                    }
                },
                Some(watched) = self.watched_rx.recv() => self.on_watched(watched, &link).await,
                _ = tick.tick() => {
                    if link.is_connected() && !self.caught_up {
                        self.catch_up(&link).await;
                    }
                    self.feed_local_edits(&link).await;
                    if last_presence.elapsed() >= PRESENCE_EVERY {
                        self.say_presence(false);
                        last_presence = Instant::now();
                    }
                    self.forget_the_gone();
                }
            }
        }
        // Leaving: the others see it at once rather than after the timeout.
        self.say_presence(true);
        link.close();
    }

    /// After each (re)connection: the workspace index, then every document it lists; or the
    /// one document of a meeting session.
    async fn catch_up(&mut self, link: &impl Link) {
        self.refresh_stored().await;
        let all = match &self.scope {
            Scope::Workspace { index_id, .. } => {
                let Some(connection) = link.connection_id() else {
                    return;
                };
                match self
                    .join_workspace(index_id.clone(), connection, link)
                    .await
                {
                    Ok(all) => all,
                    Err(err) => {
                        self.tell(LiveEvent::Offline {
                            reason: err.to_string(),
                        });
                        return;
                    }
                }
            }
            Scope::Document(id) => vec![id.clone()],
        };
        for id in &all {
            self.follow(id).await;
        }
        if let Scope::Document(id) = &self.scope {
            if !self.followed.contains_key(id) {
                self.tell(LiveEvent::Offline {
                    reason: format!("the document {id} did not arrive"),
                });
                return;
            }
        }
        // Where the other side already holds all we have, say so now: the peers' state may
        // not change again.
        if let Some(connection) = link.connection_id() {
            let ids: Vec<String> = self.followed.keys().cloned().collect();
            for id in ids {
                self.refresh_shared(&id, connection);
            }
        }
        self.caught_up = true;
        self.tell(LiveEvent::Online);
        self.say_presence(false);
    }

    /// Joins the workspace index (watching it for documents added later); every document it
    /// lists.
    async fn join_workspace(
        &mut self,
        index_id: DocumentId,
        connection: ConnectionId,
        link: &impl Link,
    ) -> Result<Vec<String>, SyncError> {
        let local: Vec<String> = self.stored.keys().cloned().collect();
        let (index, all) = join_index(
            &self.repo,
            index_id,
            &local,
            connection,
            &|| link.is_connected(),
            &self.shown,
            STEP_LIMIT,
        )
        .await?;
        if let Scope::Workspace {
            index: held,
            watcher,
            ..
        } = &mut self.scope
        {
            if watcher.is_none() {
                let tx = self.watched_tx.clone();
                let mut changes = index.changes();
                *watcher = Some(
                    tokio::spawn(async move {
                        while changes.next().await.is_some() {
                            if tx.send(Watched::IndexChanged).is_err() {
                                break;
                            }
                        }
                    })
                    .abort_handle(),
                );
            }
            *held = Some(index);
        }
        Ok(all)
    }

    async fn refresh_stored(&mut self) {
        self.stored = self.storage.document_heads().await.into_iter().collect();
    }

    /// Starts following a document (loaded from the store, or asked of the server), and
    /// hands it to the app when samod's copy has what the store does not.
    async fn follow(&mut self, id: &str) {
        if self.followed.contains_key(id) {
            return;
        }
        let Ok(doc_id) = id.parse::<DocumentId>() else {
            tracing::warn!(%id, "the workspace index lists an id that is not a document id");
            return;
        };
        let handle = match tokio::time::timeout(STEP_LIMIT, self.repo.find(doc_id)).await {
            Ok(Ok(Some(handle))) => handle,
            Ok(Ok(None)) => {
                tracing::warn!(%id, "listed in the workspace index but held by no one reachable");
                return;
            }
            Ok(Err(_)) | Err(_) => return,
        };
        let watchers = watch(id, &handle, &self.watched_tx);
        let told = self.stored.get(id).cloned().unwrap_or_default();
        self.followed.insert(
            id.to_string(),
            Followed {
                handle,
                fed: HashSet::new(),
                told,
                shared: None,
                in_step: None,
                others: HashMap::new(),
                watchers,
            },
        );
        self.hand_over_if_new(id);
    }

    /// Sends the app samod's copy of a document when it holds changes the store was not told.
    fn hand_over_if_new(&mut self, id: &str) {
        let Some(followed) = self.followed.get_mut(id) else {
            return;
        };
        let (heads, document) = followed.handle.with_document(|doc| {
            let heads = doc.get_heads();
            let new = heads.iter().any(|h| !followed.told.contains(h));
            (heads, new.then(|| doc.clone()))
        });
        if let Some(document) = document {
            followed.told = heads;
            let _ = self.events.send(LiveEvent::Received {
                id: id.to_string(),
                document: Box::new(document),
            });
        }
    }

    /// Feeds samod the chunks the store wrote since the last look, for every document whose
    /// heads changed there (edits made here; new documents are added to the index first).
    async fn feed_local_edits(&mut self, link: &impl Link) {
        self.feed_store_chunks().await;
        if let Some(connection) = link.connection_id() {
            let ids: Vec<String> = self.followed.keys().cloned().collect();
            for id in ids {
                self.refresh_shared(&id, connection);
            }
        }
    }

    /// The part of [`Session::feed_local_edits`] that reads the store and feeds samod.
    async fn feed_store_chunks(&mut self) {
        let before = std::mem::take(&mut self.stored);
        self.refresh_stored().await;
        let changed: Vec<String> = self
            .stored
            .iter()
            .filter(|(id, heads)| before.get(*id) != Some(*heads))
            .map(|(id, _)| id.clone())
            .collect();
        for id in changed {
            if !self.followed.contains_key(&id) {
                match &self.scope {
                    Scope::Workspace { index, .. } => {
                        if let Some(index) = index {
                            if let Err(err) = list_in_index(index, std::slice::from_ref(&id)) {
                                tracing::warn!(%id, %err, "could not add a new document to the index");
                            }
                        }
                        self.follow(&id).await;
                    }
                    // A meeting session follows its one document once it has it.
                    Scope::Document(only) if *only == id => self.follow(&id).await,
                    Scope::Document(_) => {}
                }
                continue;
            }
            let chunks = self.storage.document_chunks(&id).await;
            let Some(followed) = self.followed.get_mut(&id) else {
                continue;
            };
            let fresh: Vec<(Vec<String>, Vec<u8>)> = chunks
                .into_iter()
                .filter(|(key, _)| !followed.fed.contains(key))
                .collect();
            let heads = followed.handle.with_document(|doc| {
                for (key, bytes) in &fresh {
                    if let Err(err) = doc.load_incremental(bytes) {
                        tracing::warn!(key = key.join("/"), %err, "a stored chunk does not load");
                    }
                }
                doc.get_heads()
            });
            followed.fed.extend(fresh.into_iter().map(|(key, _)| key));
            // The store now has its own heads, and still has what it was told that samod
            // still holds as heads. Not samod's heads: samod may have merged someone else's
            // change whose watch event is still queued, and that change must still be handed
            // over when the event comes.
            let stored = self.stored.get(&id).cloned().unwrap_or_default();
            let mut told: Vec<ChangeHash> = followed
                .told
                .iter()
                .filter(|h| heads.contains(h) && !stored.contains(h))
                .copied()
                .collect();
            told.extend(stored);
            told.sort();
            told.dedup();
            followed.told = told;
        }
    }

    async fn on_watched(&mut self, watched: Watched, link: &impl Link) {
        match watched {
            Watched::Changed(id) => self.hand_over_if_new(&id),
            Watched::Peer(id, connection, shared) => {
                if Some(connection) != link.connection_id() {
                    return;
                }
                if let Some(followed) = self.followed.get_mut(&id) {
                    followed.shared = shared;
                }
                self.report_in_step(&id);
            }
            Watched::Ephemeral(id, bytes) => self.heard(&id, &bytes),
            Watched::IndexChanged => {
                let listed = match &self.scope {
                    Scope::Workspace {
                        index: Some(index), ..
                    } => list_in_index(index, &[]).unwrap_or_default(),
                    _ => vec![],
                };
                for id in listed {
                    self.follow(&id).await;
                }
            }
        }
    }

    /// Reads the peers' state of a document for the current connection and reports it.
    fn refresh_shared(&mut self, id: &str, connection: ConnectionId) {
        let Some(followed) = self.followed.get_mut(id) else {
            return;
        };
        let (now, _) = followed.handle.peers();
        followed.shared = now.get(&connection).and_then(|p| p.shared_heads.clone());
        self.report_in_step(id);
    }

    fn report_in_step(&mut self, id: &str) {
        let Some(followed) = self.followed.get_mut(id) else {
            return;
        };
        let Some(shared) = &followed.shared else {
            return;
        };
        let ours = followed.handle.with_document(|doc| doc.get_heads());
        if same_heads(shared, &ours)
            && same_heads(&followed.told, &ours)
            && followed.in_step.as_ref() != Some(&ours)
        {
            followed.in_step = Some(ours.clone());
            let _ = self.events.send(LiveEvent::InStep {
                id: id.to_string(),
                heads: ours,
            });
        }
    }

    fn present(&mut self, at: Option<(String, Presence)>) {
        if self.me.as_ref().map(|(id, _)| id) != at.as_ref().map(|(id, _)| id) {
            self.say_presence(true);
        }
        self.me = at;
        self.say_presence(false);
    }

    fn say_presence(&self, leaving: bool) {
        let Some((id, me)) = &self.me else {
            return;
        };
        if let Some(followed) = self.followed.get(id) {
            let note = PresenceNote {
                session: self.my_session.clone(),
                presence: me.clone(),
                leaving,
            };
            followed.handle.broadcast(presence::encode(&note));
        }
    }

    fn heard(&mut self, id: &str, bytes: &[u8]) {
        let Some(note) = presence::decode(bytes) else {
            return;
        };
        if note.session == self.my_session {
            return;
        }
        let Some(followed) = self.followed.get_mut(id) else {
            return;
        };
        let before = followed.others.len();
        let changed = if note.leaving {
            followed.others.remove(&note.session).is_some()
        } else {
            let previous = followed
                .others
                .insert(note.session, (note.presence.clone(), Instant::now()));
            previous.is_none_or(|(p, _)| p != note.presence) || before != followed.others.len()
        };
        if changed {
            self.tell_presence(id);
        }
    }

    fn forget_the_gone(&mut self) {
        let mut changed = vec![];
        for (id, followed) in &mut self.followed {
            let before = followed.others.len();
            followed
                .others
                .retain(|_, (_, heard)| heard.elapsed() < PRESENCE_GONE_AFTER);
            if followed.others.len() != before {
                changed.push(id.clone());
            }
        }
        for id in changed {
            self.tell_presence(&id);
        }
    }

    fn tell_presence(&self, id: &str) {
        let Some(followed) = self.followed.get(id) else {
            return;
        };
        let mut others: Vec<(String, Presence)> = followed
            .others
            .iter()
            .map(|(session, (p, _))| (session.clone(), p.clone()))
            .collect();
        others.sort_by(|a, b| (&a.1.name, &a.0).cmp(&(&b.1.name, &b.0)));
        self.tell(LiveEvent::Presence {
            id: id.to_string(),
            others: others.into_iter().map(|(_, p)| p).collect(),
        });
    }
}

/// The same heads, in whatever order each side lists them.
fn same_heads(a: &[ChangeHash], b: &[ChangeHash]) -> bool {
    a.len() == b.len() && a.iter().all(|h| b.contains(h))
}

/// Watches a document's changes, its peers' state and its ephemeral messages.
fn watch(
    id: &str,
    handle: &DocHandle,
    tx: &mpsc::UnboundedSender<Watched>,
) -> Vec<tokio::task::AbortHandle> {
    let mut changes = handle.changes();
    let (_, mut peers) = handle.peers();
    let mut ephemera = handle.ephemera();
    let (a, b, c) = (id.to_string(), id.to_string(), id.to_string());
    let (tx_a, tx_b, tx_c) = (tx.clone(), tx.clone(), tx.clone());
    vec![
        tokio::spawn(async move {
            while changes.next().await.is_some() {
                if tx_a.send(Watched::Changed(a.clone())).is_err() {
                    break;
                }
            }
        })
        .abort_handle(),
        tokio::spawn(async move {
            while let Some(states) = peers.next().await {
                for (connection, state) in states {
                    let shared = state.shared_heads.clone();
                    if tx_b
                        .send(Watched::Peer(b.clone(), connection, shared))
                        .is_err()
                    {
                        return;
                    }
                }
            }
        })
        .abort_handle(),
        tokio::spawn(async move {
            while let Some(bytes) = ephemera.next().await {
                if tx_c.send(Watched::Ephemeral(c.clone(), bytes)).is_err() {
                    break;
                }
            }
        })
        .abort_handle(),
    ]
}

#[cfg(test)]
pub(crate) mod tests {
    #![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

    use scopepact_scope::document;
    use scopepact_scope::edit::{Actor, Edit, HeaderField};
    use scopepact_scope::interchange::{Document, Role};
    use scopepact_store::{storage_id, Store, StoreError};

    use super::*;

    const SAMPLE: &str = include_str!("../../../tests/fixtures/press-line-retrofit.json");

    /// The sample's commercial lead, as the actor of an edit.
    pub(crate) fn ana() -> Actor {
        Actor {
            name: "Ana Ruiz".into(),
            email: "ana.ruiz@pressworks.example".into(),
            role: Some(Role::Commercial),
            device: "test".into(),
            automerge_actor: String::new(),
            certificate: None,
        }
    }

    fn retitle(doc: &mut Automerge, title: &str) {
        let edit = Edit::UpdateHeader {
            changes: vec![HeaderField::Title(title.into())],
        };
        document::apply(doc, &edit, &ana()).unwrap();
    }

    /// The race the live_edit bench hit once: someone else's change is merged into samod's
    /// copy, and before its watch event is read, an edit made here is fed to samod. The other
    /// change must still reach the store when its event is read.
    #[tokio::test]
    async fn a_change_merged_while_local_edits_are_fed_is_still_handed_over() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_dir(dir.path()).unwrap();
        let sample = document::from_file(&Document::parse(SAMPLE).unwrap(), &ana()).unwrap();
        let uuid = store.create(sample).unwrap();
        let id = storage_id(&uuid);
        let db = store.connection().path().unwrap().to_owned();

        let storage = SqliteStorage::open_read_only(Path::new(&db)).unwrap();
        let repo = Repo::build_tokio()
            .with_storage(storage.clone())
            .load()
            .await;
        let (events_tx, mut events) = mpsc::unbounded_channel();
        let mut session = Session::new(
            repo.clone(),
            storage,
            "test".into(),
            Scope::Document(id.clone()),
            events_tx,
        );
        session.refresh_stored().await;
        session.follow(&id).await;
        assert!(
            session.followed.contains_key(&id),
            "the stored document is followed"
        );

        // Someone else's change arrives in samod; its watch event waits in the queue.
        let theirs = session.followed[&id].handle.with_document(|doc| {
            let mut remote = doc.fork();
            retitle(&mut remote, "Their title");
            doc.merge(&mut remote).unwrap();
            remote.get_heads()
        });
        // Meanwhile an edit is made here, and fed before the event is read.
        store
            .edit(uuid, |doc| {
                retitle(doc, "Our title");
                Ok::<_, StoreError>(())
            })
            .unwrap();
        session.feed_store_chunks().await;

        while let Ok(Some(watched)) =
            tokio::time::timeout(Duration::from_millis(200), session.watched_rx.recv()).await
        {
            if let Watched::Changed(changed) = watched {
                session.hand_over_if_new(&changed);
            }
        }
        let mut handed_over = vec![];
        while let Ok(event) = events.try_recv() {
            if let LiveEvent::Received { document, .. } = event {
                handed_over.push(document.get_heads());
            }
        }
        assert!(
            handed_over
                .iter()
                .any(|heads| theirs.iter().all(|h| heads.contains(h))),
            "their change was never handed to the store (handed over: {handed_over:?})"
        );
        drop(session);
        repo.stop().await;
    }
}
