//! Hosting a meeting session: this laptop listens on the local network and serves one
//! document, live, to whoever proves the join code. The document is read from the store and
//! what joiners send reaches the store through the app (the same [`LiveEvent`]s as with the
//! company server); nothing else of the workspace can be asked for or pushed.

use std::collections::{BTreeMap, HashMap};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use samod::{DocumentId, Repo, ShareConfig};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch, Semaphore};

use super::channel::Kind;
use super::code::JoinCode;
use super::discovery::Advertisement;
use super::handshake::{self, Participant, Refusal, TurnAway, Welcome};
use super::strikes::Strikes;
use super::transport::transport;
use crate::link::HostLink;
use crate::live::{LiveEvent, LiveSession};
use crate::presence::Presence;
use crate::storage::SqliteStorage;
use crate::SyncError;

/// Wrong codes tried before the code changes.
pub const WRONG_ATTEMPTS_PER_CODE: u32 = 5;
/// People in a session besides the host; more are turned away.
pub const MAX_JOINERS: usize = 16;
/// Joins being checked at once; more connections are closed as they arrive.
const MAX_HANDSHAKES: usize = 8;

#[derive(Debug, Clone)]
pub struct HostConfig {
    pub db: PathBuf,
    /// The document (its automerge-repo id).
    pub document: String,
    pub title: String,
    pub me: Participant,
    /// Where to listen; `0.0.0.0:0` is every interface, a free port.
    pub listen: String,
    /// Advertise the session by mDNS.
    pub advertise: bool,
}

/// Someone who joined, with the number the host removes them by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Joiner {
    pub id: u64,
    pub who: Participant,
}

/// What the host's screen shows.
#[derive(Debug, Clone)]
pub struct HostView {
    pub code: JoinCode,
    pub joiners: Vec<Joiner>,
    /// Wrong codes tried against the current code.
    pub wrong_attempts: u32,
    /// How many times the code changed (after wrong attempts, or a removal).
    pub code_changes: u32,
    pub ended: bool,
}

/// Who may come in, and who is in.
struct Door {
    code: JoinCode,
    /// Changes with the code: a join begun under an older code is refused.
    generation: u64,
    wrong: u32,
    code_changes: u32,
    joiners: BTreeMap<u64, (Participant, mpsc::Sender<Kind>)>,
    next_id: u64,
    ended: bool,
    /// Wrong codes per address.
    strikes: Strikes,
    /// Addresses with a join under way, each tried one after the other: else a laptop could
    /// send many codes at once, all tried before the first wrong one counts against it.
    trying: HashMap<IpAddr, Arc<tokio::sync::Mutex<()>>>,
}

struct Hosting {
    door: Mutex<Door>,
    view: watch::Sender<HostView>,
    welcome: Welcome,
}

impl Hosting {
    fn door(&self) -> std::sync::MutexGuard<'_, Door> {
        // A panic while holding the door cannot leave it half-changed: recover it.
        self.door.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn publish(&self, door: &Door) {
        let view = HostView {
            code: door.code.clone(),
            joiners: door
                .joiners
                .iter()
                .map(|(id, (who, _))| Joiner {
                    id: *id,
                    who: who.clone(),
                })
                .collect(),
            wrong_attempts: door.wrong,
            code_changes: door.code_changes,
            ended: door.ended,
        };
        self.view.send_replace(view);
    }
}

impl Door {
    fn change_code(&mut self) {
        self.code = JoinCode::random();
        self.generation += 1;
        self.wrong = 0;
        self.code_changes += 1;
    }
}

/// A running session on the host. Dropping it ends the session like [`HostedSession::end`]
/// without waiting for the joiners to be told.
pub struct HostedSession {
    address: SocketAddr,
    live: LiveSession,
    hosting: Arc<Hosting>,
    ended: watch::Sender<bool>,
    accepting: tokio::task::AbortHandle,
    advertisement: Option<Advertisement>,
    advertise_error: Option<String>,
}

impl HostedSession {
    /// Listens and serves; must be called inside a tokio runtime.
    pub async fn start(
        config: HostConfig,
    ) -> Result<(HostedSession, mpsc::UnboundedReceiver<LiveEvent>), SyncError> {
        let doc_id: DocumentId = config.document.parse().map_err(|_| {
            SyncError::InvalidInput(format!("{} is not a document id", config.document))
        })?;
        let listener = TcpListener::bind(&config.listen)
            .await
            .map_err(|e| SyncError::Listen {
                address: config.listen.clone(),
                reason: e.to_string(),
            })?;
        let bound = listener.local_addr().map_err(|e| SyncError::Listen {
            address: config.listen.clone(),
            reason: e.to_string(),
        })?;
        let address = SocketAddr::new(reachable_ip(bound.ip()), bound.port());
        let storage = SqliteStorage::open_one_document(&config.db, &config.document)?;
        let repo = one_document_repo(storage.clone(), doc_id).await;
        let url = format!("tcp://{address}/")
            .parse()
            .map_err(|e| SyncError::Server(format!("bad address {address}: {e}")))?;
        let acceptor = repo
            .make_acceptor(url)
            .map_err(|_| SyncError::Server("the local repo stopped while starting".into()))?;
        let code = JoinCode::random();
        let door = Door {
            code,
            generation: 0,
            wrong: 0,
            code_changes: 0,
            joiners: BTreeMap::new(),
            next_id: 1,
            ended: false,
            strikes: Strikes::default(),
            trying: HashMap::new(),
        };
        let (view, _) = watch::channel(HostView {
            code: door.code.clone(),
            joiners: vec![],
            wrong_attempts: 0,
            code_changes: 0,
            ended: false,
        });
        let hosting = Arc::new(Hosting {
            door: Mutex::new(door),
            view,
            welcome: Welcome {
                document: config.document.clone(),
                title: config.title.clone(),
                host: config.me.clone(),
            },
        });
        let accepting =
            tokio::spawn(accept(listener, Arc::clone(&hosting), acceptor.clone())).abort_handle();
        let (ended, ended_rx) = watch::channel(false);
        let link = HostLink::new(ended_rx, move || acceptor.close());
        let (live, events) = LiveSession::start_over(
            repo,
            storage,
            address.to_string(),
            config.document.clone(),
            link,
        );
        let (advertisement, advertise_error) = if config.advertise {
            let ip = (!bound.ip().is_unspecified()).then_some(bound.ip());
            let instance = uuid::Uuid::new_v4().simple().to_string();
            match Advertisement::start(bound.port(), ip, &config.me.name, &config.title, &instance)
            {
                Ok(ad) => (Some(ad), None),
                Err(e) => (None, Some(e.to_string())),
            }
        } else {
            (None, None)
        };
        let session = HostedSession {
            address,
            live,
            hosting,
            ended,
            accepting,
            advertisement,
            advertise_error,
        };
        Ok((session, events))
    }

    /// Where joiners connect: `HOST:PORT`, a local network address of this laptop.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Why the session is not advertised on the network, if it is not (joiners then type
    /// the address).
    pub fn advertise_error(&self) -> Option<&str> {
        self.advertise_error.as_deref()
    }

    pub fn view(&self) -> watch::Receiver<HostView> {
        self.hosting.view.subscribe()
    }

    /// Removes someone: they are told and disconnected, and the code changes so they cannot
    /// come back with it. `false` when no one has that number.
    pub fn remove(&self, id: u64) -> bool {
        let mut door = self.hosting.door();
        let Some((_, word)) = door.joiners.remove(&id) else {
            return false;
        };
        let _ = word.try_send(Kind::Removed);
        door.change_code();
        self.hosting.publish(&door);
        true
    }

    /// Something was written here: send it now rather than at the next tick.
    pub fn nudge(&self) {
        self.live.nudge();
    }

    pub fn present(&self, at: Option<(String, Presence)>) {
        self.live.present(at);
    }

    /// Ends the session: every joiner is told (each keeps what it has), the code stops
    /// working and the advertisement is withdrawn. Waits up to 2 s for the joiners to be told.
    pub async fn end(mut self) {
        self.close_door();
        let mut view = self.view();
        let _ = tokio::time::timeout(
            Duration::from_secs(2),
            view.wait_for(|v| v.joiners.is_empty()),
        )
        .await;
        self.stop();
        self.advertisement.take();
    }

    /// No one new comes in; everyone in is told the session ended.
    fn close_door(&self) {
        let mut door = self.hosting.door();
        if door.ended {
            return;
        }
        door.ended = true;
        for (_, word) in door.joiners.values() {
            let _ = word.try_send(Kind::Ended);
        }
        self.hosting.publish(&door);
        drop(door);
        self.accepting.abort();
    }

    /// Stops serving: the connections still open are closed.
    fn stop(&self) {
        let _ = self.ended.send(true);
    }
}

impl Drop for HostedSession {
    fn drop(&mut self) {
        self.close_door();
        self.stop();
    }
}

/// An address others on the network can reach this laptop at, for one bound to all of them:
/// the first non-loopback IPv4 address (else loopback).
fn reachable_ip(bound: IpAddr) -> IpAddr {
    if !bound.is_unspecified() {
        return bound;
    }
    if_addrs::get_if_addrs()
        .ok()
        .and_then(|interfaces| {
            interfaces
                .into_iter()
                .filter(|i| !i.is_loopback())
                .map(|i| i.ip())
                .find(IpAddr::is_ipv4)
        })
        .unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST))
}

/// A repo that holds and shares one document: the storage shows nothing else, and the share
/// policy refuses any other document a peer asks for or sends.
pub(super) async fn one_document_repo(storage: SqliteStorage, doc_id: DocumentId) -> Repo {
    Repo::build_tokio()
        .with_peer_id(format!("scopepact-session-{}", uuid::Uuid::new_v4().simple()).into())
        .with_share_policy(move |asked: DocumentId, _peer| {
            let config = if asked == doc_id {
                ShareConfig::read_write()
            } else {
                ShareConfig::none()
            };
            futures::stream::iter([config])
        })
        .with_storage(storage)
        .load()
        .await
}

async fn accept(listener: TcpListener, hosting: Arc<Hosting>, acceptor: samod::AcceptorHandle) {
    let handshakes = Arc::new(Semaphore::new(MAX_HANDSHAKES));
    loop {
        let Ok((stream, peer)) = listener.accept().await else {
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        let Ok(permit) = Arc::clone(&handshakes).try_acquire_owned() else {
            tracing::warn!(%peer, "too many joins at once: connection closed");
            continue;
        };
        let hosting = Arc::clone(&hosting);
        let acceptor = acceptor.clone();
        tokio::spawn(async move {
            let admitted = admit(stream, peer.ip(), &hosting).await;
            drop(permit);
            if let Some((id, secured, word_rx)) = admitted {
                let (transport, connection) = transport(secured, word_rx, |_| {});
                if acceptor.accept(transport).is_ok() {
                    let _ = connection.await;
                }
                let mut door = hosting.door();
                if door.joiners.remove(&id).is_some() {
                    hosting.publish(&door);
                }
            }
            tracing::debug!(%peer, "meeting session connection ended");
        });
    }
}

type Admitted = (u64, handshake::Secured, mpsc::Receiver<Kind>);

/// Whether the door is open to `peer` now: the code to try and its generation, or why not.
fn may_try(door: &Door, peer: IpAddr) -> Result<(u64, JoinCode), TurnAway> {
    if door.ended || door.joiners.len() >= MAX_JOINERS {
        return Err(TurnAway::Full);
    }
    if let Some(wait) = door.strikes.wait_left(peer, Instant::now()) {
        return Err(TurnAway::Wait(wait));
    }
    Ok((door.generation, door.code.clone()))
}

/// An address's turn to try a code; the next join from it goes on when this is dropped.
struct Turn<'a> {
    hosting: &'a Hosting,
    peer: IpAddr,
    held: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl<'a> Turn<'a> {
    async fn take(hosting: &'a Hosting, peer: IpAddr) -> Turn<'a> {
        let queue = Arc::clone(hosting.door().trying.entry(peer).or_default());
        let held = Some(queue.lock_owned().await);
        Turn {
            hosting,
            peer,
            held,
        }
    }
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        self.held.take();
        let mut door = self.hosting.door();
        // No one else waits for this address: forget it.
        if door
            .trying
            .get(&self.peer)
            .is_some_and(|queue| Arc::strong_count(queue) == 1)
        {
            door.trying.remove(&self.peer);
        }
    }
}

/// Runs the handshake with the current code and counts a wrong one.
async fn admit(stream: TcpStream, peer: IpAddr, hosting: &Hosting) -> Option<Admitted> {
    let failed = |refusal: Refusal| {
        tracing::warn!(?refusal, %peer, "a meeting session join failed");
    };
    let hello = match handshake::hello(stream).await {
        Ok(hello) => hello,
        Err(refusal) => {
            failed(refusal);
            return None;
        }
    };
    let _turn = Turn::take(hosting, peer).await;
    let tried = may_try(&hosting.door(), peer);
    let (generation, code) = match tried {
        Ok(open) => open,
        Err(why) => {
            hello.turn_away(why).await;
            return None;
        }
    };
    let mut exchanged = match hello.exchange(&code).await {
        Ok(exchanged) => exchanged,
        Err(refusal) => {
            failed(refusal);
            return None;
        }
    };
    let (word_tx, word_rx) = mpsc::channel(1);
    let admitted = {
        let mut door = hosting.door();
        if door.generation != generation || door.ended {
            // The code changed (or the session ended) during the exchange: not counted.
            Err(TurnAway::WrongCode)
        } else {
            match exchanged.introduction() {
                Ok(_) if door.joiners.len() >= MAX_JOINERS => Err(TurnAway::Full),
                Ok(who) => {
                    door.strikes.forgive(peer);
                    let id = door.next_id;
                    door.next_id += 1;
                    door.joiners.insert(id, (who, word_tx));
                    hosting.publish(&door);
                    Ok(id)
                }
                Err(Refusal::TurnedAway(TurnAway::WrongCode)) => {
                    door.wrong += 1;
                    door.strikes.strike(peer, Instant::now());
                    if door.wrong >= WRONG_ATTEMPTS_PER_CODE {
                        door.change_code();
                    }
                    hosting.publish(&door);
                    Err(TurnAway::WrongCode)
                }
                Err(refusal) => {
                    failed(refusal);
                    return None;
                }
            }
        }
    };
    let id = match admitted {
        Ok(id) => id,
        Err(why) => {
            exchanged.refuse(why).await;
            return None;
        }
    };
    match exchanged.admit(&hosting.welcome).await {
        Ok(secured) => Some((id, secured, word_rx)),
        Err(refusal) => {
            failed(refusal);
            let mut door = hosting.door();
            door.joiners.remove(&id);
            hosting.publish(&door);
            None
        }
    }
}
