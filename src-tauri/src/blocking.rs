//! Work on the workspace runs on a blocking thread, so the window and the async runtime never
//! wait on the disk: one way to do it for the commands, the sync loop and meeting sessions.

use std::sync::{Arc, Mutex};

use scopepact_messages::{message, Message};
use scopepact_workspace::Workspace;

/// Why work did not run to its end.
#[derive(Debug)]
pub enum Interrupted {
    /// An earlier operation panicked while it held the workspace.
    Poisoned,
    /// The blocking thread stopped before the work returned.
    Stopped(String),
}

impl Interrupted {
    pub fn message(&self) -> Message {
        match self {
            Interrupted::Poisoned => message!("app-restart-needed"),
            Interrupted::Stopped(detail) => message!("app-operation-stopped", detail = detail),
        }
    }
}

/// Runs `work` on the workspace, off the async runtime: its own result, or why it did not run.
pub async fn on_workspace<T, E>(
    workspace: &Arc<Mutex<Workspace>>,
    work: impl FnOnce(&mut Workspace) -> Result<T, E> + Send + 'static,
) -> Result<Result<T, E>, Interrupted>
where
    T: Send + 'static,
    E: Send + 'static,
{
    let workspace = Arc::clone(workspace);
    off_runtime(move || {
        let mut guard = workspace.lock().map_err(|_| Interrupted::Poisoned)?;
        Ok(work(&mut guard))
    })
    .await?
}

/// Runs blocking work that does not need the workspace (listening on the network for a while).
pub async fn off_runtime<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Interrupted> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|e| Interrupted::Stopped(e.to_string()))
}
