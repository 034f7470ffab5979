//! Tauri commands: each is one call into the workspace facade, run off the main thread, with
//! the error turned into `{ kind, message }` for the UI.

use std::sync::{Arc, Mutex};

use scopepact_scope::edit::{Edit, EditOutcome};
use scopepact_scope::view::{DocumentSummary, DocumentView};
use scopepact_workspace::{ErrorKind, Workspace, WorkspaceError};
use serde::Serialize;
use tauri::State;

/// The app's one workspace, shared by the commands. SQLite work is short; the mutex keeps one
/// writer per process (SQLite serialises writers across processes).
pub struct AppState {
    pub workspace: Arc<Mutex<Workspace>>,
}

/// What the UI receives when a command fails.
#[derive(Debug, Serialize, specta::Type)]
pub struct CommandError {
    pub kind: ErrorKind,
    pub message: String,
}

impl From<WorkspaceError> for CommandError {
    fn from(err: WorkspaceError) -> CommandError {
        CommandError {
            kind: err.kind(),
            message: err.to_string(),
        }
    }
}

#[derive(Debug, Serialize, specta::Type)]
pub struct AppInfo {
    pub version: String,
    pub data_dir: String,
}

#[derive(Debug, Serialize, specta::Type)]
pub struct EditResult {
    pub outcome: EditOutcome,
    pub document: DocumentView,
}

/// Runs `work` on a blocking thread so the window never waits on disk.
async fn with_workspace<T: Send + 'static>(
    state: &State<'_, AppState>,
    work: impl FnOnce(&mut Workspace) -> Result<T, WorkspaceError> + Send + 'static,
) -> Result<T, CommandError> {
    let workspace = Arc::clone(&state.workspace);
    tauri::async_runtime::spawn_blocking(move || {
        let mut guard = workspace.lock().map_err(|_| CommandError {
            kind: ErrorKind::Storage,
            message: "an earlier operation failed badly; restart ScopePact".into(),
        })?;
        work(&mut guard).map_err(CommandError::from)
    })
    .await
    .map_err(|e| CommandError {
        kind: ErrorKind::Storage,
        message: format!("the operation stopped: {e}"),
    })?
}

#[tauri::command]
#[specta::specta]
pub async fn app_info(state: State<'_, AppState>) -> Result<AppInfo, CommandError> {
    with_workspace(&state, |ws| {
        Ok(AppInfo {
            version: env!("CARGO_PKG_VERSION").into(),
            data_dir: ws.data_dir().display().to_string(),
        })
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn list_documents(
    state: State<'_, AppState>,
) -> Result<Vec<DocumentSummary>, CommandError> {
    with_workspace(&state, |ws| ws.list()).await
}

#[tauri::command]
#[specta::specta]
pub async fn create_document(
    state: State<'_, AppState>,
    title: String,
) -> Result<DocumentView, CommandError> {
    with_workspace(&state, move |ws| ws.create(&title)).await
}

#[tauri::command]
#[specta::specta]
pub async fn open_document(
    state: State<'_, AppState>,
    id: String,
) -> Result<DocumentView, CommandError> {
    with_workspace(&state, move |ws| ws.view(&id)).await
}

#[tauri::command]
#[specta::specta]
pub async fn edit_document(
    state: State<'_, AppState>,
    id: String,
    edit: Edit,
) -> Result<EditResult, CommandError> {
    with_workspace(&state, move |ws| {
        let (outcome, document) = ws.edit(&id, &edit)?;
        Ok(EditResult { outcome, document })
    })
    .await
}

/// Imports a `scopepact/v1` file chosen in the open dialog; returns the new document's id.
#[tauri::command]
#[specta::specta]
pub async fn import_document(
    state: State<'_, AppState>,
    path: String,
) -> Result<String, CommandError> {
    with_workspace(&state, move |ws| {
        ws.import_file(std::path::Path::new(&path))
            .map(|id| id.to_string())
    })
    .await
}
