//! Background sync: whenever a server and token are set, sync every few seconds; when the
//! server cannot be reached, retry with backoff. Editing never waits for it: the loop holds the
//! workspace only for short reads and writes, and the network work runs without it.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use scopepact_messages::{message, Message};
use scopepact_sync::SyncError;
use scopepact_workspace::{Workspace, WorkspaceError};
use serde::Serialize;
use tokio::sync::Notify;

/// How often an idle, online device syncs.
const INTERVAL: Duration = Duration::from_secs(3);
const BACKOFF_START: Duration = Duration::from_secs(2);
const BACKOFF_MAX: Duration = Duration::from_secs(60);
const SYNC_LIMIT: Duration = Duration::from_secs(30);

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum SyncState {
    NotConfigured,
    Offline { reason: Message },
    Connecting,
    Syncing,
    Synced { at: String },
    Error { reason: Message },
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct SyncStatus {
    pub state: SyncState,
    /// Changes made here that the server was not known to hold at the last completed sync.
    pub pending: u32,
    /// Bumped each time a sync brings changes, so open views know to reload.
    pub generation: u32,
}

pub struct SyncControl {
    status: Mutex<SyncStatus>,
    wake: Notify,
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

    /// "Sync now", or settings changed: do not wait for the next round.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    fn set(&self, change: impl FnOnce(&mut SyncStatus)) {
        if let Ok(mut status) = self.status.lock() {
            change(&mut status);
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
    let workspace = Arc::clone(workspace);
    tauri::async_runtime::spawn_blocking(move || {
        let mut guard = workspace
            .lock()
            .map_err(|_| message!("app-restart-needed"))?;
        work(&mut guard).map_err(|e| e.message())
    })
    .await
    .map_err(|e| message!("app-operation-stopped", detail = e.to_string()))?
}

pub fn spawn(workspace: Arc<Mutex<Workspace>>, control: Arc<SyncControl>) {
    tauri::async_runtime::spawn(async move { run(workspace, control).await });
}

async fn run(workspace: Arc<Mutex<Workspace>>, control: Arc<SyncControl>) {
    let mut backoff = BACKOFF_START;
    let mut online = false;
    let mut last_exchange: Option<std::time::Instant> = None;
    loop {
        let prepared = with_workspace(&workspace, |ws| {
            Ok((
                ws.sync_target()?,
                ws.storage_ids()?,
                ws.database_path(),
                ws.unsynced_changes()?,
            ))
        })
        .await;
        let (target, local, db, pending) = match prepared {
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
            s.state = if online {
                SyncState::Syncing
            } else {
                SyncState::Connecting
            };
            s.pending = pending;
        });
        match scopepact_sync::client::sync_once(&db, &local, &server, &token, SYNC_LIMIT).await {
            Ok(outcome) => {
                let received = outcome.received.clone();
                let heads = outcome.heads.clone();
                let done = with_workspace(&workspace, move |ws| {
                    ws.reindex(&received)?;
                    let at = ws.mark_synced(&heads)?;
                    Ok((at, ws.unsynced_changes()?))
                })
                .await;
                // The company's authority, when the server has one: its root, revocations and
                // certificates for this device's profiles, every few minutes. Not being able to
                // is no sync error.
                let due = last_exchange.is_none_or(|t: std::time::Instant| {
                    t.elapsed() > std::time::Duration::from_secs(600)
                });
                let requests = if due {
                    last_exchange = Some(std::time::Instant::now());
                    with_workspace(&workspace, |ws| ws.certificate_requests()).await
                } else {
                    Err(message!("app-restart-needed"))
                };
                if let Ok(requests) = requests {
                    match scopepact_sync::client::exchange_certificates(&server, &token, &requests)
                        .await
                    {
                        Ok(exchange) => {
                            let _ = with_workspace(&workspace, move |ws| {
                                ws.adopt_certificates(&exchange)
                            })
                            .await;
                        }
                        Err(err) => eprintln!("certificate exchange: {err}"),
                    }
                }
                match done {
                    Ok((at, pending)) => control.set(|s| {
                        s.state = SyncState::Synced { at };
                        s.pending = pending;
                        if !outcome.received.is_empty() {
                            s.generation = s.generation.wrapping_add(1);
                        }
                    }),
                    Err(reason) => control.set(|s| s.state = SyncState::Error { reason }),
                }
                online = true;
                backoff = BACKOFF_START;
                control.pause(INTERVAL).await;
            }
            Err(err) => {
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
                online = false;
                control.pause(backoff).await;
                backoff = (backoff * 2).min(BACKOFF_MAX);
            }
        }
    }
}
