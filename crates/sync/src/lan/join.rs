//! Joining a meeting session: the code is proven once to learn which document the session
//! shares, then samod keeps the connection (redialing with the same code while the host is
//! away). Only that document is followed, and only it can be asked of this laptop.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::future::BoxFuture;
use samod::{DialError, DialerFailed, DocumentId, Transport};
use tokio::net::TcpStream;
use tokio::sync::mpsc;

use super::channel::Kind;
use super::code::JoinCode;
use super::handshake::{self, Participant, Refusal, TurnAway, Welcome};
use super::host::one_document_repo;
use super::transport::transport;
use crate::link::DialerLink;
use crate::live::{backoff, LiveEvent, LiveSession};
use crate::presence::Presence;
use crate::storage::SqliteStorage;
use crate::SyncError;

const CONNECT_LIMIT: Duration = Duration::from_secs(5);

#[derive(Debug, Clone)]
pub struct JoinConfig {
    pub db: PathBuf,
    /// `HOST:PORT`, as the host shows it or discovery found it.
    pub address: String,
    pub code: JoinCode,
    pub me: Participant,
}

/// Why the dialer stops for good.
#[derive(Debug, thiserror::Error)]
pub enum JoinRefused {
    #[error("wrong code")]
    WrongCode,
    #[error("the session ended")]
    Ended,
    #[error("removed by the host")]
    Removed,
    #[error("{0}")]
    NotASession(String),
}

/// A running session on a joiner's laptop. Dropping it leaves the session.
pub struct JoinedSession {
    live: LiveSession,
    welcome: Welcome,
}

/// What the connection learned: the host's last word, the last failure.
#[derive(Default)]
struct Heard {
    last_word: Mutex<Option<Kind>>,
    last_refusal: Mutex<Option<String>>,
}

impl JoinedSession {
    /// Joins (the first handshake happens here, so a wrong code or a wrong address is an
    /// error now), then syncs live; must be called inside a tokio runtime.
    pub async fn start(
        config: JoinConfig,
    ) -> Result<(JoinedSession, mpsc::UnboundedReceiver<LiveEvent>), SyncError> {
        let address = config.address.trim().to_string();
        let url: url::Url = format!("tcp://{address}/")
            .parse()
            .map_err(|_| SyncError::InvalidInput(format!("\"{address}\" is not HOST:PORT")))?;
        let stream = connect(&address)
            .await
            .map_err(|reason| SyncError::SessionUnreachable {
                address: address.clone(),
                reason,
            })?;
        let (secured, welcome) = handshake::join(stream, &config.code, &config.me)
            .await
            .map_err(|refusal| explain_refusal(&address, refusal))?;
        let doc_id: DocumentId = welcome
            .document
            .parse()
            .map_err(|_| SyncError::NotASession {
                address: address.clone(),
                reason: "it names no document".into(),
            })?;
        let heard = Arc::new(Heard::default());
        let first = first_transport(secured, &heard);
        let storage = SqliteStorage::open_one_document(&config.db, &welcome.document)?;
        let repo = one_document_repo(storage.clone(), doc_id).await;
        let dialer = Arc::new(SessionDialer {
            address: address.clone(),
            url,
            code: config.code,
            me: config.me,
            document: welcome.document.clone(),
            first: Mutex::new(Some(first)),
            heard: Arc::clone(&heard),
        });
        let Ok(handle) = repo.dial(backoff(), dialer) else {
            return Err(SyncError::Server("the local repo stopped".into()));
        };
        let shown = address.clone();
        let link = DialerLink::new(
            handle,
            move |failed| match failed {
                Some(DialerFailed::PermanentFailure(refused)) => match refused.as_ref() {
                    JoinRefused::WrongCode => SyncError::WrongCode,
                    JoinRefused::Ended => SyncError::SessionEnded,
                    JoinRefused::Removed => SyncError::RemovedFromSession,
                    JoinRefused::NotASession(reason) => SyncError::NotASession {
                        address: shown.clone(),
                        reason: reason.clone(),
                    },
                },
                Some(DialerFailed::MaxRetriesReached) => SyncError::SessionUnreachable {
                    address: shown.clone(),
                    reason: "no answer".into(),
                },
                None => SyncError::SessionEnded,
            },
            move || heard.last_refusal.lock().ok().and_then(|r| r.clone()),
        );
        let (live, events) =
            LiveSession::start_over(repo, storage, address, welcome.document.clone(), link);
        Ok((JoinedSession { live, welcome }, events))
    }

    /// The session's document, its title and host.
    pub fn welcome(&self) -> &Welcome {
        &self.welcome
    }

    pub fn nudge(&self) {
        self.live.nudge();
    }

    pub fn present(&self, at: Option<(String, Presence)>) {
        self.live.present(at);
    }
}

async fn connect(address: &str) -> Result<TcpStream, String> {
    match tokio::time::timeout(CONNECT_LIMIT, TcpStream::connect(address)).await {
        Ok(Ok(stream)) => Ok(stream),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err(format!("no answer within {} s", CONNECT_LIMIT.as_secs())),
    }
}

pub(super) fn explain_refusal(address: &str, refusal: Refusal) -> SyncError {
    match refusal {
        Refusal::TurnedAway(TurnAway::WrongCode) => SyncError::WrongCode,
        Refusal::TurnedAway(TurnAway::Full) => SyncError::SessionFull {
            address: address.into(),
        },
        Refusal::TurnedAway(TurnAway::Wait(wait)) => SyncError::TooManyWrongCodes {
            seconds: wait.as_secs().max(1),
        },
        Refusal::Garbage(reason) => SyncError::NotASession {
            address: address.into(),
            reason,
        },
        Refusal::Io(e) => SyncError::NotASession {
            address: address.into(),
            reason: e.to_string(),
        },
        Refusal::TimedOut => SyncError::NotASession {
            address: address.into(),
            reason: "it did not finish joining within 10 s".into(),
        },
    }
}

fn first_transport(secured: handshake::Secured, heard: &Arc<Heard>) -> Transport {
    // The host has no last word to send from this side: the sender is dropped at once.
    let (_, no_word) = mpsc::channel(1);
    let heard = Arc::clone(heard);
    let (transport, _) = transport(secured, no_word, move |word| {
        if let Ok(mut last) = heard.last_word.lock() {
            *last = Some(word);
        }
    });
    transport
}

struct SessionDialer {
    address: String,
    /// For samod's logs.
    url: url::Url,
    code: JoinCode,
    me: Participant,
    document: String,
    /// The connection made when joining, used for samod's first dial.
    first: Mutex<Option<Transport>>,
    heard: Arc<Heard>,
}

impl samod::Dialer for SessionDialer {
    type Error = JoinRefused;

    fn url(&self) -> url::Url {
        self.url.clone()
    }

    fn connect(&self) -> BoxFuture<'static, Result<Transport, DialError<JoinRefused>>> {
        if let Some(first) = self.first.lock().ok().and_then(|mut f| f.take()) {
            return Box::pin(async move { Ok(first) });
        }
        let last_word = self.heard.last_word.lock().ok().and_then(|w| *w);
        let address = self.address.clone();
        let code = self.code.clone();
        let me = self.me.clone();
        let document = self.document.clone();
        let heard = Arc::clone(&self.heard);
        Box::pin(async move {
            match last_word {
                Some(Kind::Removed) => {
                    return Err(DialError::PermanentFailure(JoinRefused::Removed))
                }
                Some(_) => return Err(DialError::PermanentFailure(JoinRefused::Ended)),
                None => {}
            }
            let refused = |reason: String| {
                if let Ok(mut last) = heard.last_refusal.lock() {
                    *last = Some(reason.clone());
                }
                DialError::transient(std::io::Error::other(reason))
            };
            let stream = connect(&address)
                .await
                .map_err(|e| refused(format!("the host does not answer: {e}")))?;
            let (secured, welcome) = match handshake::join(stream, &code, &me).await {
                Ok(joined) => joined,
                Err(Refusal::TurnedAway(TurnAway::WrongCode)) => {
                    return Err(DialError::PermanentFailure(JoinRefused::WrongCode))
                }
                // Someone may leave, a wait ends: try again later.
                Err(Refusal::TurnedAway(TurnAway::Full)) => {
                    return Err(refused("the session is full".into()))
                }
                Err(Refusal::TurnedAway(TurnAway::Wait(wait))) => {
                    return Err(refused(format!(
                        "too many wrong codes: waiting {} s",
                        wait.as_secs().max(1)
                    )))
                }
                Err(Refusal::Garbage(reason)) => {
                    return Err(DialError::PermanentFailure(JoinRefused::NotASession(
                        reason,
                    )))
                }
                Err(Refusal::Io(e)) => return Err(refused(e.to_string())),
                Err(Refusal::TimedOut) => return Err(refused("joining timed out".into())),
            };
            if welcome.document != document {
                return Err(DialError::PermanentFailure(JoinRefused::NotASession(
                    "it now shares another document".into(),
                )));
            }
            Ok(first_transport(secured, &heard))
        })
    }
}
