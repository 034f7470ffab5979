//! Meeting sessions in the app: host the open document for the laptops in the room, or join
//! one ([`scopepact_sync::lan`]). What arrives is stored like what the company server sends
//! (the window reloads on the same generation bump); what is written here is sent at once.

use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use scopepact_messages::{message, Message};
use scopepact_sync::lan::{
    discovery, HostConfig, HostView, HostedSession, JoinCode, JoinConfig, JoinedSession,
    Participant,
};
use scopepact_sync::live::LiveEvent;
use scopepact_sync::presence::Presence;
use scopepact_sync::SyncError;
use scopepact_workspace::{Workspace, WorkspaceError};
use serde::{Deserialize, Serialize};
use tauri_specta::Event;
use tokio::sync::mpsc::UnboundedReceiver;

use crate::blocking::{off_runtime, on_workspace};
use crate::commands::CommandError;
use crate::sync::SyncControl;

/// How long "Join" waits for the document to arrive.
const JOIN_LIMIT: Duration = Duration::from_secs(20);
/// How long discovery listens.
const DISCOVERY_WAIT: Duration = Duration::from_secs(2);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct SessionPerson {
    pub name: String,
    pub email: String,
    pub role: String,
    pub device: String,
}

impl From<Participant> for SessionPerson {
    fn from(p: Participant) -> SessionPerson {
        SessionPerson {
            name: p.name,
            email: p.email,
            role: p.role,
            device: p.device,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct SessionJoiner {
    /// The number the host removes them by.
    pub number: u32,
    pub who: SessionPerson,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum MeetingSession {
    None,
    Hosting {
        document: String,
        address: String,
        /// Read aloud in two groups: "4821 0375".
        code: String,
        joiners: Vec<SessionJoiner>,
        wrong_attempts: u32,
        /// Why the session is not advertised on the network, when it is not.
        not_advertised: Option<String>,
    },
    Joined {
        document: String,
        title: String,
        host: SessionPerson,
        address: String,
        /// Out of reach of the host for now (retrying), with the reason.
        out_of_reach: Option<Message>,
    },
    /// The last session ended: why (the host ended it, this laptop was removed…).
    Ended {
        document: String,
        reason: Message,
    },
}

/// Sent to the window whenever the session changes.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct MeetingSessionChanged(pub MeetingSession);

/// A session heard on the local network.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct FoundSession {
    pub address: String,
    pub host: String,
    pub title: String,
}

enum Active {
    Host(HostedSession),
    Joined(JoinedSession),
}

pub struct MeetingControl {
    state: Mutex<MeetingSession>,
    active: Mutex<Option<Active>>,
    /// The people of the session (host first), for the meeting panel's attendees.
    people: Mutex<Vec<Participant>>,
    app: OnceLock<tauri::AppHandle>,
}

impl MeetingControl {
    pub fn new() -> Arc<MeetingControl> {
        Arc::new(MeetingControl {
            state: Mutex::new(MeetingSession::None),
            active: Mutex::new(None),
            people: Mutex::new(vec![]),
            app: OnceLock::new(),
        })
    }

    pub fn attach_app(&self, app: tauri::AppHandle) {
        let _ = self.app.set(app);
    }

    pub fn state(&self) -> MeetingSession {
        self.state
            .lock()
            .map(|s| s.clone())
            .unwrap_or(MeetingSession::None)
    }

    pub fn people(&self) -> Vec<Participant> {
        self.people.lock().map(|p| p.clone()).unwrap_or_default()
    }

    fn set(&self, now: MeetingSession) {
        let changed = match self.state.lock() {
            Ok(mut state) => {
                let changed = *state != now;
                *state = now.clone();
                changed
            }
            Err(_) => false,
        };
        if let (true, Some(app)) = (changed, self.app.get()) {
            let _ = MeetingSessionChanged(now).emit(app);
        }
    }

    /// Something was written here: send it now.
    pub fn nudge(&self) {
        if let Ok(active) = self.active.lock() {
            match active.as_ref() {
                Some(Active::Host(s)) => s.nudge(),
                Some(Active::Joined(s)) => s.nudge(),
                None => {}
            }
        }
    }

    pub fn present(&self, here: Option<(String, Presence)>) {
        if let Ok(active) = self.active.lock() {
            match active.as_ref() {
                Some(Active::Host(s)) => s.present(here),
                Some(Active::Joined(s)) => s.present(here),
                None => {}
            }
        }
    }

    fn busy(&self) -> bool {
        self.active.lock().map(|a| a.is_some()).unwrap_or(true)
    }

    pub fn remove(&self, number: u32) -> bool {
        match self.active.lock().ok().as_deref() {
            Some(Some(Active::Host(s))) => s.remove(u64::from(number)),
            _ => false,
        }
    }

    /// Ends hosting, or leaves the session joined.
    pub async fn end(&self) {
        let active = self.active.lock().ok().and_then(|mut a| a.take());
        let document = document_of(&self.state());
        match active {
            Some(Active::Host(session)) => session.end().await,
            Some(Active::Joined(session)) => drop(session),
            None => return,
        }
        self.set(MeetingSession::Ended {
            document,
            reason: message!("app-session-ended-here"),
        });
    }
}

fn document_of(state: &MeetingSession) -> String {
    match state {
        MeetingSession::Hosting { document, .. }
        | MeetingSession::Joined { document, .. }
        | MeetingSession::Ended { document, .. } => document.clone(),
        MeetingSession::None => String::new(),
    }
}

fn hosting_state(
    document: &str,
    address: &str,
    problem: Option<&str>,
    view: &HostView,
) -> MeetingSession {
    MeetingSession::Hosting {
        document: document.to_string(),
        address: address.to_string(),
        code: view.code.to_string(),
        joiners: view
            .joiners
            .iter()
            .map(|j| SessionJoiner {
                number: u32::try_from(j.id).unwrap_or(u32::MAX),
                who: j.who.clone().into(),
            })
            .collect(),
        wrong_attempts: view.wrong_attempts,
        not_advertised: problem.map(str::to_string),
    }
}

type Shared = (Arc<Mutex<Workspace>>, Arc<SyncControl>, Arc<MeetingControl>);

/// Starts hosting the document `id` (our id).
pub async fn host(shared: Shared, id: String) -> Result<MeetingSession, CommandError> {
    let (workspace, sync, meeting) = shared;
    if meeting.busy() {
        return Err(already_running());
    }
    let lookup = id.clone();
    let (db, document, me) = on_workspace(&workspace, move |ws| {
        let shared = ws.shared_document(&lookup)?;
        Ok::<_, WorkspaceError>((ws.database_path(), shared, ws.participant()?))
    })
    .await??;
    let (session, events) = HostedSession::start(HostConfig {
        db,
        document: document.storage_id,
        title: document.title,
        me: me.clone(),
        listen: "0.0.0.0:0".into(),
        advertise: true,
    })
    .await
    .map_err(WorkspaceError::Sync)?;
    let address = session.address().to_string();
    let problem = session.advertise_error().map(str::to_string);
    let mut view = session.view();
    let first = hosting_state(&id, &address, problem.as_deref(), &view.borrow_and_update());
    if let Ok(mut people) = meeting.people.lock() {
        *people = vec![me.clone()];
    }
    if let Ok(mut active) = meeting.active.lock() {
        *active = Some(Active::Host(session));
    }
    meeting.set(first.clone());
    let watcher = Arc::clone(&meeting);
    let document = id.clone();
    tauri::async_runtime::spawn(async move {
        while view.changed().await.is_ok() {
            let now = view.borrow_and_update().clone();
            if now.ended {
                break;
            }
            if let Ok(mut people) = watcher.people.lock() {
                *people = std::iter::once(me.clone())
                    .chain(now.joiners.iter().map(|j| j.who.clone()))
                    .collect();
            }
            watcher.set(hosting_state(&document, &address, problem.as_deref(), &now));
        }
    });
    tauri::async_runtime::spawn(follow(workspace, sync, meeting, events, id));
    Ok(first)
}

/// Joins the session at `address` with `code`; returns our id of its document once it is in
/// the store.
pub async fn join(shared: Shared, address: String, code: String) -> Result<String, CommandError> {
    let (workspace, sync, meeting) = shared;
    if meeting.busy() {
        return Err(already_running());
    }
    let code: JoinCode = code.parse().map_err(WorkspaceError::Sync)?;
    let (db, me) = on_workspace(&workspace, |ws| {
        Ok::<_, WorkspaceError>((ws.database_path(), ws.participant()?))
    })
    .await??;
    let (session, mut events) = JoinedSession::start(JoinConfig {
        db,
        address: address.clone(),
        code,
        me: me.clone(),
    })
    .await
    .map_err(WorkspaceError::Sync)?;
    let welcome = session.welcome().clone();
    let id = scopepact_workspace::document_id_of(&welcome.document).ok_or_else(|| {
        WorkspaceError::Sync(SyncError::NotASession {
            address: address.clone(),
            reason: "it shares something that is not a ScopePact document".into(),
        })
    })?;
    // The document is open once it is in the store (and in step with the host).
    let deadline = tokio::time::Instant::now() + JOIN_LIMIT;
    loop {
        let event = tokio::time::timeout_at(deadline, events.recv())
            .await
            .map_err(|_| {
                WorkspaceError::Sync(SyncError::Timeout {
                    seconds: JOIN_LIMIT.as_secs(),
                    what: "receiving the session's document".into(),
                })
            })?;
        match event {
            Some(LiveEvent::InStep { .. }) => break,
            Some(LiveEvent::Stopped(reason)) => return Err(WorkspaceError::Sync(reason).into()),
            None => return Err(WorkspaceError::Sync(SyncError::SessionEnded).into()),
            Some(other) => {
                absorb(&workspace, &sync, &meeting, other).await;
            }
        }
    }
    if let Ok(mut people) = meeting.people.lock() {
        *people = vec![welcome.host.clone(), me];
    }
    if let Ok(mut active) = meeting.active.lock() {
        *active = Some(Active::Joined(session));
    }
    meeting.set(MeetingSession::Joined {
        document: id.clone(),
        title: welcome.title.clone(),
        host: welcome.host.clone().into(),
        address,
        out_of_reach: None,
    });
    tauri::async_runtime::spawn(follow(workspace, sync, meeting, events, id.clone()));
    Ok(id)
}

/// The sessions advertised on the local network.
pub async fn discover() -> Result<Vec<FoundSession>, CommandError> {
    let found = off_runtime(|| discovery::browse(DISCOVERY_WAIT))
        .await?
        .map_err(WorkspaceError::Sync)?;
    Ok(found
        .into_iter()
        .map(|f| FoundSession {
            address: f.address,
            host: f.host,
            title: f.title,
        })
        .collect())
}

/// Applies a session's events until it ends.
async fn follow(
    workspace: Arc<Mutex<Workspace>>,
    sync: Arc<SyncControl>,
    meeting: Arc<MeetingControl>,
    mut events: UnboundedReceiver<LiveEvent>,
    document: String,
) {
    while let Some(event) = events.recv().await {
        if let LiveEvent::Stopped(reason) = event {
            let reason = WorkspaceError::Sync(reason).message();
            if let Ok(mut active) = meeting.active.lock() {
                active.take();
            }
            meeting.set(MeetingSession::Ended { document, reason });
            return;
        }
        absorb(&workspace, &sync, &meeting, event).await;
    }
}

/// Stores what arrived; keeps the joined state's reachability up to date.
async fn absorb(
    workspace: &Arc<Mutex<Workspace>>,
    sync: &Arc<SyncControl>,
    meeting: &Arc<MeetingControl>,
    event: LiveEvent,
) {
    let reachable = |out_of_reach: Option<Message>| {
        if let MeetingSession::Joined {
            document,
            title,
            host,
            address,
            ..
        } = meeting.state()
        {
            meeting.set(MeetingSession::Joined {
                document,
                title,
                host,
                address,
                out_of_reach,
            });
        }
    };
    match event {
        LiveEvent::Received { id, document } => {
            let learned = on_workspace(workspace, move |ws| ws.absorb(&id, *document)).await;
            match learned {
                Ok(Ok(true)) => sync.received(),
                Ok(Ok(false)) => {}
                Ok(Err(e)) => eprintln!("meeting session: {e}"),
                Err(interrupted) => eprintln!("meeting session: {interrupted:?}"),
            }
        }
        LiveEvent::Offline { reason } => {
            reachable(Some(message!("app-session-out-of-reach", reason = reason)));
        }
        LiveEvent::Online | LiveEvent::InStep { .. } => reachable(None),
        LiveEvent::Presence { id, others } => sync.heard_in_meeting(&id, others),
        LiveEvent::Connecting | LiveEvent::Stopped(_) => {}
    }
}

fn already_running() -> CommandError {
    WorkspaceError::Sync(SyncError::InvalidInput(
        "a meeting session is already running on this laptop: end it first".into(),
    ))
    .into()
}
