//! Live sync: whenever a server and token are set, the app keeps one session open with it
//! ([`scopepact_sync::live`]): what others change is stored as it arrives and the window is
//! told at once (a Tauri event, no polling); what is changed here is sent as soon as the
//! command that wrote it returns ([`SyncControl::nudge`]). samod redials a lost connection with
//! backoff; a session the server refuses is started again with our own backoff. Editing never
//! waits for sync: the loop holds the workspace only for short reads and writes.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use scopepact_messages::{message, Message};
use scopepact_sync::live::{LiveEvent, LiveSession};
use scopepact_sync::presence::Presence;
use scopepact_sync::SyncError;
use scopepact_workspace::{Workspace, WorkspaceError};
use serde::{Deserialize, Serialize};
use tauri_specta::Event;
use tokio::sync::Notify;

use crate::blocking::on_workspace;

/// How often the settings are looked at again while sync is not configured.
const INTERVAL: Duration = Duration::from_secs(3);
const BACKOFF_START: Duration = Duration::from_secs(2);
const BACKOFF_MAX: Duration = Duration::from_secs(60);
/// How often the company's certificate authority is asked for news.
const CERTIFICATES_EVERY: Duration = Duration::from_secs(600);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum SyncState {
    NotConfigured,
    Offline { reason: Message },
    Connecting,
    Synced { at: String },
    Error { reason: Message },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct SyncStatus {
    pub state: SyncState,
    /// Changes made here that the server is not known to hold.
    pub pending: u32,
    /// Bumped each time changes made elsewhere arrive, so open views know to reload.
    pub generation: u32,
}

/// Sent to the window whenever the status changes.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct SyncStatusChanged(pub SyncStatus);

/// Someone else who has a document open right now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct Someone {
    pub name: String,
    /// `commercial`, `operational` or `executive` as they said it; shown as said otherwise.
    pub role: String,
    pub device: String,
    /// The id of the commitment they are on.
    pub commitment: Option<String>,
}

/// Sent to the window when who else has a document open changes.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct PresenceChanged {
    /// The document (our id).
    pub document: String,
    pub others: Vec<Someone>,
}

pub struct SyncControl {
    status: Mutex<SyncStatus>,
    wake: Notify,
    app: OnceLock<tauri::AppHandle>,
    session: Mutex<Option<LiveSession>>,
    /// What this window has open, said again to each new session.
    here: Mutex<Option<(String, Presence)>>,
    /// Who else has each document open (by our id).
    others: Mutex<HashMap<String, Vec<Someone>>>,
}

impl SyncControl {
    pub fn new() -> Arc<SyncControl> {
        Arc::new(SyncControl {
            status: Mutex::new(SyncStatus {
                state: SyncState::NotConfigured,
                pending: 0,
                generation: 0,
            }),
            wake: Notify::new(),
            app: OnceLock::new(),
            session: Mutex::new(None),
            here: Mutex::new(None),
            others: Mutex::new(HashMap::new()),
        })
    }

    pub fn status(&self) -> SyncStatus {
        self.status.lock().map(|s| s.clone()).unwrap_or(SyncStatus {
            state: SyncState::Error {
                reason: message!("app-sync-status-unavailable"),
            },
            pending: 0,
            generation: 0,
        })
    }

    /// "Sync now", or settings changed.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// A command wrote to the store, leaving `pending` changes the server is not known to
    /// hold: show it, and send it now.
    pub fn written(&self, pending: Option<u32>) {
        if let Some(pending) = pending {
            self.set(|s| s.pending = pending);
        }
        self.nudge();
    }

    fn nudge(&self) {
        if let Ok(session) = self.session.lock() {
            if let Some(session) = session.as_ref() {
                session.nudge();
            }
        }
    }

    /// This window has `document` open (on `commitment`), or nothing.
    pub fn present(&self, here: Option<(String, Presence)>) {
        if let Ok(mut current) = self.here.lock() {
            current.clone_from(&here);
        }
        if let Ok(session) = self.session.lock() {
            if let Some(session) = session.as_ref() {
                session.present(here);
            }
        }
    }

    /// Who else has this document open.
    pub fn others(&self, document: &str) -> Vec<Someone> {
        self.others
            .lock()
            .ok()
            .and_then(|o| o.get(document).cloned())
            .unwrap_or_default()
    }

    fn set(&self, change: impl FnOnce(&mut SyncStatus)) {
        let now = match self.status.lock() {
            Ok(mut status) => {
                let before = status.clone();
                change(&mut status);
                (*status != before).then(|| status.clone())
            }
            Err(_) => None,
        };
        if let (Some(now), Some(app)) = (now, self.app.get()) {
            let _ = SyncStatusChanged(now).emit(app);
        }
    }

    /// A new session (or none): it is told what this window has open, and whoever the last
    /// one showed as present is forgotten (the new one hears them again within seconds).
    fn attach(&self, session: Option<LiveSession>) {
        if let Some(session) = &session {
            if let Ok(here) = self.here.lock() {
                session.present(here.clone());
            }
        }
        if let Ok(mut current) = self.session.lock() {
            *current = session;
        }
        let forgotten: Vec<String> = match self.others.lock() {
            Ok(mut others) => others.drain().map(|(document, _)| document).collect(),
            Err(_) => vec![],
        };
        if let Some(app) = self.app.get() {
            for document in forgotten {
                let _ = PresenceChanged {
                    document,
                    others: vec![],
                }
                .emit(app);
            }
        }
    }

    /// A meeting session stored changes made elsewhere: open views reload.
    pub fn received(&self) {
        self.set(|s| s.generation = s.generation.wrapping_add(1));
    }

    /// Who a meeting session says has a document (by automerge-repo id) open.
    pub fn heard_in_meeting(&self, storage_id: &str, others: Vec<Presence>) {
        if let Some(document) = scopepact_workspace::document_id_of(storage_id) {
            self.heard(document, others.into_iter().map(someone).collect());
        }
    }

    fn heard(&self, document: String, others: Vec<Someone>) {
        if let Ok(mut all) = self.others.lock() {
            all.insert(document.clone(), others.clone());
        }
        if let Some(app) = self.app.get() {
            let _ = PresenceChanged { document, others }.emit(app);
        }
    }

    async fn pause(&self, duration: Duration) {
        let _ = tokio::time::timeout(duration, self.wake.notified()).await;
    }
}

/// Runs `work` on the workspace from a blocking thread.
async fn with_workspace<T: Send + 'static>(
    workspace: &Arc<Mutex<Workspace>>,
    work: impl FnOnce(&mut Workspace) -> Result<T, WorkspaceError> + Send + 'static,
) -> Result<T, Message> {
    on_workspace(workspace, work)
        .await
        .map_err(|interrupted| interrupted.message())?
        .map_err(|e| e.message())
}

pub fn spawn(app: tauri::AppHandle, workspace: Arc<Mutex<Workspace>>, control: Arc<SyncControl>) {
    let _ = control.app.set(app);
    tauri::async_runtime::spawn(async move { run(workspace, control).await });
}

/// How a session ended.
enum Ended {
    /// The settings changed or the person asked to sync now while offline: start again now.
    Restart,
    /// The server refused it, or it stopped: start again after a backoff.
    Failed(SyncError),
}

async fn run(workspace: Arc<Mutex<Workspace>>, control: Arc<SyncControl>) {
    let mut backoff = BACKOFF_START;
    loop {
        let prepared = with_workspace(&workspace, |ws| {
            Ok((
                ws.sync_target()?,
                ws.database_path(),
                ws.unsynced_changes()?,
            ))
        })
        .await;
        let (target, db, pending) = match prepared {
            Ok(values) => values,
            Err(reason) => {
                control.set(|s| s.state = SyncState::Error { reason });
                control.pause(BACKOFF_MAX).await;
                continue;
            }
        };
        let Some((server, token)) = target else {
            control.set(|s| {
                s.state = SyncState::NotConfigured;
                s.pending = pending;
            });
            control.pause(INTERVAL).await;
            continue;
        };
        control.set(|s| {
            s.state = SyncState::Connecting;
            s.pending = pending;
        });
        let ended = match LiveSession::start(&db, &server, &token) {
            Ok((session, events)) => {
                control.attach(Some(session));
                let ended = follow(&workspace, &control, events, (&server, &token)).await;
                control.attach(None);
                ended
            }
            Err(err) => Ended::Failed(err),
        };
        match ended {
            Ended::Restart => backoff = BACKOFF_START,
            Ended::Failed(err) => {
                let offline = matches!(
                    err,
                    SyncError::Unreachable { .. } | SyncError::Timeout { .. }
                );
                let reason = WorkspaceError::from(err).message();
                control.set(|s| {
                    s.state = if offline {
                        SyncState::Offline { reason }
                    } else {
                        SyncState::Error { reason }
                    };
                });
                control.pause(backoff).await;
                backoff = (backoff * 2).min(BACKOFF_MAX);
            }
        }
    }
}

/// Applies one session's events until it ends or must be started again.
async fn follow(
    workspace: &Arc<Mutex<Workspace>>,
    control: &Arc<SyncControl>,
    mut events: tokio::sync::mpsc::UnboundedReceiver<LiveEvent>,
    (server, token): (&str, &str),
) -> Ended {
    let mut last_exchange: Option<Instant> = None;
    loop {
        tokio::select! {
            event = events.recv() => {
                let Some(event) = event else {
                    return Ended::Failed(SyncError::Server("the sync session ended".into()));
                };
                match event {
                    LiveEvent::Connecting => control.set(|s| s.state = SyncState::Connecting),
                    LiveEvent::Online => {
                        let pending = with_workspace(workspace, |ws| ws.unsynced_changes()).await;
                        control.set(|s| {
                            s.state = SyncState::Synced { at: chrono::Utc::now().to_rfc3339() };
                            if let Ok(pending) = pending {
                                s.pending = pending;
                            }
                        });
                        if last_exchange.is_none_or(|t| t.elapsed() > CERTIFICATES_EVERY) {
                            last_exchange = Some(Instant::now());
                            exchange_certificates(workspace, server, token).await;
                        }
                    }
                    LiveEvent::Offline { reason } => {
                        let reason = message!("error-sync-unreachable", url = server, reason = reason);
                        control.set(|s| s.state = SyncState::Offline { reason });
                    }
                    LiveEvent::Stopped(err) => return Ended::Failed(err),
                    LiveEvent::Received { id, document } => {
                        let absorbed = with_workspace(workspace, move |ws| {
                            let learned = ws.absorb(&id, *document)?;
                            Ok((learned, ws.unsynced_changes()?))
                        })
                        .await;
                        match absorbed {
                            Ok((learned, pending)) => control.set(|s| {
                                s.pending = pending;
                                if learned {
                                    s.generation = s.generation.wrapping_add(1);
                                }
                            }),
                            Err(reason) => control.set(|s| s.state = SyncState::Error { reason }),
                        }
                    }
                    LiveEvent::InStep { id, heads } => {
                        let marked = with_workspace(workspace, move |ws| {
                            let at = ws.mark_synced(&[(id, heads)])?;
                            Ok((at, ws.unsynced_changes()?))
                        })
                        .await;
                        match marked {
                            Ok((at, pending)) => control.set(|s| {
                                s.state = SyncState::Synced { at };
                                s.pending = pending;
                            }),
                            Err(reason) => control.set(|s| s.state = SyncState::Error { reason }),
                        }
                    }
                    LiveEvent::Presence { id, others } => {
                        if let Some(document) = scopepact_workspace::document_id_of(&id) {
                            control.heard(document, others.into_iter().map(someone).collect());
                        }
                    }
                }
            }
            () = control.wake.notified() => {
                let target = with_workspace(workspace, |ws| ws.sync_target()).await;
                let same = matches!(&target, Ok(Some((s, t))) if s == server && t == token);
                let offline = matches!(control.status().state, SyncState::Offline { .. } | SyncState::Error { .. });
                if !same || offline {
                    return Ended::Restart;
                }
                control.nudge();
            }
        }
    }
}

fn someone(presence: Presence) -> Someone {
    Someone {
        name: presence.name,
        role: presence.role,
        device: presence.device,
        commitment: presence.commitment,
    }
}

/// The company's authority, when the server has one: its root, revocations and certificates
/// for this device's profiles. Not being able to is no sync error.
async fn exchange_certificates(workspace: &Arc<Mutex<Workspace>>, server: &str, token: &str) {
    let Ok(requests) = with_workspace(workspace, |ws| ws.certificate_requests()).await else {
        return;
    };
    match scopepact_sync::client::exchange_certificates(server, token, &requests).await {
        Ok(exchange) => {
            let _ = with_workspace(workspace, move |ws| ws.adopt_certificates(&exchange)).await;
        }
        Err(err) => eprintln!("certificate exchange: {err}"),
    }
}
