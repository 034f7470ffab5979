//! Tauri commands: each is one call into the workspace facade, run off the main thread, with
//! the error turned into `{ kind, message }` for the UI.

use std::sync::{Arc, Mutex};

use scopepact_messages::{message, Message};
use scopepact_scope::edit::{Edit, EditOutcome};
use scopepact_scope::history::HistoryEntry;
use scopepact_scope::interchange::{Language, Role};
use scopepact_scope::signing::SignRequest;
use scopepact_scope::view::{DocumentSummary, DocumentView};
use scopepact_workspace::{ErrorKind, Profile, SyncSettings, Workspace, WorkspaceError};

use crate::blocking::{on_workspace, Interrupted};
use crate::meeting::{FoundSession, MeetingControl, MeetingSession};
use crate::sync::{Someone, SyncControl, SyncStatus};
use serde::Serialize;
use tauri::State;

/// The app's one workspace, shared by the commands. SQLite work is short; the mutex keeps one
/// writer per process (SQLite serialises writers across processes).
pub struct AppState {
    pub workspace: Arc<Mutex<Workspace>>,
    pub sync: Arc<SyncControl>,
    pub meeting: Arc<MeetingControl>,
}

/// What the UI receives when a command fails: a kind to branch on and the message, by id and
/// arguments, which the UI says in the person's language (the same catalogue as the core's).
#[derive(Debug, Serialize, specta::Type)]
pub struct CommandError {
    pub kind: ErrorKind,
    pub message: Message,
}

impl From<WorkspaceError> for CommandError {
    fn from(err: WorkspaceError) -> CommandError {
        CommandError {
            kind: err.kind(),
            message: err.message(),
        }
    }
}

#[derive(Debug, Serialize, specta::Type)]
pub struct AppInfo {
    pub version: String,
    pub data_dir: String,
    /// The language chosen for the acting profile (or last on this data directory).
    pub ui_language: Option<Language>,
}

/// The profiles of this device and the one the app acts as (`None` on first run).
#[derive(Debug, Serialize, specta::Type)]
pub struct Profiles {
    pub all: Vec<Profile>,
    pub current: Option<Profile>,
    /// The language the current profile chose, so a switch of profile also switches it.
    pub ui_language: Option<Language>,
}

fn profiles_of(ws: &Workspace) -> Result<Profiles, WorkspaceError> {
    Ok(Profiles {
        all: ws.profiles()?,
        current: ws.acting_profile()?,
        ui_language: ws.ui_language()?,
    })
}

#[derive(Debug, Serialize, specta::Type)]
pub struct EditResult {
    pub outcome: EditOutcome,
    pub document: DocumentView,
}

impl From<Interrupted> for CommandError {
    fn from(interrupted: Interrupted) -> CommandError {
        CommandError {
            kind: ErrorKind::Storage,
            message: interrupted.message(),
        }
    }
}

/// Runs `work` on a blocking thread so the window never waits on disk.
async fn with_workspace<T: Send + 'static>(
    state: &State<'_, AppState>,
    work: impl FnOnce(&mut Workspace) -> Result<T, WorkspaceError> + Send + 'static,
) -> Result<T, CommandError> {
    Ok(on_workspace(&state.workspace, work).await??)
}

/// [`with_workspace`] for a command that writes to a document: the indicator counts what it
/// wrote at once (online or not), and it is sent to the sync server as soon as it returns.
async fn writing<T: Send + 'static>(
    state: &State<'_, AppState>,
    work: impl FnOnce(&mut Workspace) -> Result<T, WorkspaceError> + Send + 'static,
) -> Result<T, CommandError> {
    let (result, pending) = with_workspace(state, move |ws| {
        let result = work(ws)?;
        Ok((result, ws.unsynced_changes().ok()))
    })
    .await?;
    state.sync.written(pending);
    state.meeting.nudge();
    Ok(result)
}

#[tauri::command]
#[specta::specta]
pub async fn app_info(state: State<'_, AppState>) -> Result<AppInfo, CommandError> {
    with_workspace(&state, |ws| {
        Ok(AppInfo {
            version: env!("CARGO_PKG_VERSION").into(),
            data_dir: ws.data_dir().display().to_string(),
            ui_language: ws.ui_language()?,
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
    language: scopepact_scope::interchange::Language,
) -> Result<DocumentView, CommandError> {
    writing(&state, move |ws| ws.create_in(&title, language)).await
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
    writing(&state, move |ws| {
        let (outcome, document) = ws.edit(&id, &edit)?;
        Ok(EditResult { outcome, document })
    })
    .await
}

/// What operations already validated on signed deals that matches what is being typed, best
/// first (at most `limit`); retired entries are not suggested.
#[tauri::command]
#[specta::specta]
pub async fn library_search(
    state: State<'_, AppState>,
    text: String,
    limit: u32,
) -> Result<Vec<scopepact_workspace::LibraryEntry>, CommandError> {
    with_workspace(&state, move |ws| {
        let mut found = ws.library_search(&text, false)?;
        found.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        Ok(found)
    })
    .await
}

/// Adds to the document a commitment worded as a library entry (after `after`, or at the end).
#[tauri::command]
#[specta::specta]
pub async fn insert_from_library(
    state: State<'_, AppState>,
    id: String,
    entry: String,
    after: Option<String>,
) -> Result<EditResult, CommandError> {
    writing(&state, move |ws| {
        let (outcome, document) = ws.insert_from_library(&id, &entry, after.as_deref())?;
        Ok(EditResult { outcome, document })
    })
    .await
}

/// The company's settings (synced with every device of the company).
#[tauri::command]
#[specta::specta]
pub async fn company_settings(
    state: State<'_, AppState>,
) -> Result<scopepact_workspace::CompanySettings, CommandError> {
    with_workspace(&state, |ws| ws.company_settings()).await
}

/// Changes one setting, by the keys `settings set` takes (`logo` names a file); only an
/// executive may.
#[tauri::command]
#[specta::specta]
pub async fn set_company_setting(
    state: State<'_, AppState>,
    key: String,
    value: String,
) -> Result<scopepact_workspace::CompanySettings, CommandError> {
    writing(&state, move |ws| ws.set_setting(&key, &value)).await
}

/// Who changed the company document, when and what, oldest first.
#[tauri::command]
#[specta::specta]
pub async fn company_history(
    state: State<'_, AppState>,
) -> Result<Vec<scopepact_workspace::CompanyChange>, CommandError> {
    with_workspace(&state, |ws| ws.company_history()).await
}

/// The company's templates, by name.
#[tauri::command]
#[specta::specta]
pub async fn list_templates(
    state: State<'_, AppState>,
) -> Result<Vec<scopepact_workspace::TemplateSummary>, CommandError> {
    with_workspace(&state, |ws| ws.templates()).await
}

/// A new deal from a template: its commitments all pending, the company's thresholds.
#[tauri::command]
#[specta::specta]
pub async fn create_from_template(
    state: State<'_, AppState>,
    name: String,
    title: String,
) -> Result<DocumentView, CommandError> {
    writing(&state, move |ws| ws.create_from_template(&name, &title)).await
}

/// Makes a template of a signed scope.
#[tauri::command]
#[specta::specta]
pub async fn save_template(
    state: State<'_, AppState>,
    id: String,
    name: String,
    product_line: String,
) -> Result<scopepact_workspace::TemplateSummary, CommandError> {
    writing(&state, move |ws| {
        ws.save_template(&id, &name, &product_line)
    })
    .await
}

/// Operations stops suggesting a library entry, saying why.
#[tauri::command]
#[specta::specta]
pub async fn retire_library_entry(
    state: State<'_, AppState>,
    entry: String,
    reason: String,
) -> Result<scopepact_workspace::LibraryEntry, CommandError> {
    writing(&state, move |ws| ws.library_retire(&entry, &reason)).await
}

#[derive(Debug, Serialize, specta::Type)]
pub struct RepairResult {
    pub repaired: scopepact_scope::damage::Repaired,
    pub document: DocumentView,
}

/// Restores every damaged value of the document to the last value that read.
#[tauri::command]
#[specta::specta]
pub async fn repair_document(
    state: State<'_, AppState>,
    id: String,
) -> Result<RepairResult, CommandError> {
    writing(&state, move |ws| {
        let (repaired, document) = ws.repair(&id)?;
        Ok(RepairResult { repaired, document })
    })
    .await
}

/// Signs the document as the current profile (or, for the customer, on this device witnessed
/// by the current profile's key); returns the document as it is now.
#[tauri::command]
#[specta::specta]
pub async fn sign_document(
    state: State<'_, AppState>,
    id: String,
    request: SignRequest,
) -> Result<DocumentView, CommandError> {
    writing(&state, move |ws| ws.sign(&id, &request)).await
}

/// Paper sizes the PDF is laid out for.
#[derive(Debug, Clone, Copy, serde::Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum PaperSize {
    A4,
    Letter,
}

/// Where exported PDFs go unless the person chooses: `SCOPEPACT_EXPORT_DIR`, else
/// `Documents/ScopePact`, else the data directory's `exports`.
fn export_dir(ws: &Workspace) -> std::path::PathBuf {
    std::env::var_os("SCOPEPACT_EXPORT_DIR")
        .map(std::path::PathBuf::from)
        .or_else(|| dirs::document_dir().map(|d| d.join("ScopePact")))
        .unwrap_or_else(|| ws.data_dir().join("exports"))
}

/// A new file in the export folder (made when missing), stamped with the time.
fn export_file(
    ws: &Workspace,
    name: &str,
    extension: &str,
) -> Result<std::path::PathBuf, WorkspaceError> {
    let dir = export_dir(ws);
    std::fs::create_dir_all(&dir).map_err(|e| WorkspaceError::WriteFile {
        path: dir.clone(),
        reason: e.to_string(),
    })?;
    let stamp = chrono::Utc::now().format("%Y-%m-%d %H%M");
    Ok(dir.join(format!("{name} — {stamp}.{extension}")))
}

/// A file name from a title: letters, digits, spaces and dashes, nothing a file system refuses.
fn file_name(title: &str) -> String {
    let clean: String = title
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == ' ' || c == '-' {
                c
            } else {
                ' '
            }
        })
        .collect();
    let clean = clean.split_whitespace().collect::<Vec<_>>().join(" ");
    if clean.is_empty() {
        "scope".to_string()
    } else {
        clean.chars().take(80).collect()
    }
}

/// Exports the signed PDF to `path`, or to the export folder when none is given; returns
/// where it went.
#[tauri::command]
#[specta::specta]
pub async fn export_pdf(
    state: State<'_, AppState>,
    id: String,
    paper: PaperSize,
    path: Option<String>,
) -> Result<String, CommandError> {
    with_workspace(&state, move |ws| {
        let paper = match paper {
            PaperSize::A4 => scopepact_pdf::Paper::A4,
            PaperSize::Letter => scopepact_pdf::Paper::Letter,
        };
        let bytes = ws.export_pdf(&id, paper)?;
        let path = match path {
            Some(path) => std::path::PathBuf::from(path),
            None => {
                let title = ws.view(&id)?.title;
                export_file(ws, &file_name(&title), "pdf")?
            }
        };
        scopepact_workspace::write_bytes_atomically(&path, &bytes)?;
        Ok(path.to_string_lossy().into_owned())
    })
    .await
}

/// The joint handoff indicators for a period (inclusive `YYYY-MM-DD` dates, either open).
#[tauri::command]
#[specta::specta]
pub async fn handoff_kpis(
    state: State<'_, AppState>,
    from: Option<String>,
    to: Option<String>,
    by: scopepact_kpis::GroupBy,
) -> Result<Vec<scopepact_kpis::GroupKpis>, CommandError> {
    with_workspace(&state, move |ws| {
        ws.kpis(from.as_deref(), to.as_deref(), by)
    })
    .await
}

/// Writes the indicators as CSV to `path`, or to the export folder; returns where it went.
#[tauri::command]
#[specta::specta]
pub async fn export_kpis_csv(
    state: State<'_, AppState>,
    from: Option<String>,
    to: Option<String>,
    by: scopepact_kpis::GroupBy,
    path: Option<String>,
) -> Result<String, CommandError> {
    with_workspace(&state, move |ws| {
        let groups = ws.kpis(from.as_deref(), to.as_deref(), by)?;
        let path = match path {
            Some(path) => std::path::PathBuf::from(path),
            None => export_file(ws, "Handoff indicators", "csv")?,
        };
        let csv = scopepact_kpis::to_csv(&groups);
        scopepact_workspace::write_bytes_atomically(&path, csv.as_bytes())?;
        Ok(path.to_string_lossy().into_owned())
    })
    .await
}

/// Checks a signed PDF (chosen or dropped on the window).
#[tauri::command]
#[specta::specta]
pub async fn verify_pdf(
    state: State<'_, AppState>,
    path: String,
) -> Result<scopepact_pdf::Verified, CommandError> {
    with_workspace(&state, move |ws| {
        // Read only as far as a PDF can be: a huge file dropped on the window is refused, not
        // loaded.
        let bytes = scopepact_workspace::read_file_bounded(
            std::path::Path::new(&path),
            scopepact_pdf::MAX_PDF_BYTES as u64,
        )?;
        ws.verify_pdf(&bytes)
    })
    .await
}

#[derive(Debug, Serialize, specta::Type)]
pub struct Countersigned {
    /// The fields the current profile's signature filled.
    pub fields: Vec<String>,
    /// The file as it verifies now.
    pub verified: scopepact_pdf::Verified,
}

/// Adds the current profile's PDF signature to its field(s) of a signed PDF, in place.
#[tauri::command]
#[specta::specta]
pub async fn countersign_pdf(
    state: State<'_, AppState>,
    path: String,
) -> Result<Countersigned, CommandError> {
    with_workspace(&state, move |ws| {
        // Read only as far as a PDF can be: a huge file dropped on the window is refused, not
        // loaded.
        let bytes = scopepact_workspace::read_file_bounded(
            std::path::Path::new(&path),
            scopepact_pdf::MAX_PDF_BYTES as u64,
        )?;
        let (signed, fields) = ws.countersign_pdf(&bytes)?;
        scopepact_workspace::write_bytes_atomically(std::path::Path::new(&path), &signed)?;
        let verified = ws.verify_pdf(&signed)?;
        Ok(Countersigned { fields, verified })
    })
    .await
}

/// Opens a file with the system's viewer.
#[tauri::command]
#[specta::specta]
pub async fn open_file(app: tauri::AppHandle, path: String) -> Result<(), CommandError> {
    use tauri_plugin_opener::OpenerExt;
    app.opener()
        .open_path(&path, None::<&str>)
        .map_err(|e| CommandError {
            kind: ErrorKind::Io,
            message: message!("app-cannot-open", path = &path, detail = e.to_string()),
        })
}

/// Sends a file to the default printer (CUPS `lp`).
#[tauri::command]
#[specta::specta]
pub async fn print_file(path: String) -> Result<String, CommandError> {
    let failed = |message: Message| CommandError {
        kind: ErrorKind::Io,
        message,
    };
    let out = tokio::process::Command::new("lp")
        .arg("--")
        .arg(&path)
        .output()
        .await
        .map_err(|e| failed(message!("app-no-print-system", detail = e.to_string())))?;
    if !out.status.success() {
        return Err(failed(message!(
            "app-printer-refused",
            path = &path,
            detail = String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Imports a `scopepact/v1` file chosen in the open dialog; returns the new document's id.
#[tauri::command]
#[specta::specta]
pub async fn import_document(
    state: State<'_, AppState>,
    path: String,
) -> Result<String, CommandError> {
    writing(&state, move |ws| {
        ws.import_file(std::path::Path::new(&path))
            .map(|id| id.to_string())
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn set_ui_language(
    state: State<'_, AppState>,
    language: Language,
) -> Result<(), CommandError> {
    with_workspace(&state, move |ws| ws.set_ui_language(language)).await
}

/// A new document from the sample deal shipped inside the app; its id.
#[tauri::command]
#[specta::specta]
pub async fn create_sample(state: State<'_, AppState>) -> Result<String, CommandError> {
    writing(&state, |ws| ws.create_sample().map(|id| id.to_string())).await
}

#[tauri::command]
#[specta::specta]
pub async fn list_profiles(state: State<'_, AppState>) -> Result<Profiles, CommandError> {
    with_workspace(&state, |ws| profiles_of(ws)).await
}

/// Adds a profile and acts as it from now on.
#[tauri::command]
#[specta::specta]
pub async fn add_profile(
    state: State<'_, AppState>,
    name: String,
    email: String,
    role: Role,
) -> Result<Profiles, CommandError> {
    with_workspace(&state, move |ws| {
        let profile = ws.add_profile(&name, &email, role)?;
        ws.switch_profile(&profile.id)?;
        profiles_of(ws)
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn switch_profile(
    state: State<'_, AppState>,
    id: String,
) -> Result<Profiles, CommandError> {
    with_workspace(&state, move |ws| {
        ws.switch_profile(&id)?;
        profiles_of(ws)
    })
    .await
}

/// Who changed what, when, on one item of a document.
#[tauri::command]
#[specta::specta]
pub async fn item_history(
    state: State<'_, AppState>,
    id: String,
    item_id: String,
) -> Result<Vec<HistoryEntry>, CommandError> {
    with_workspace(&state, move |ws| ws.history(&id, &item_id)).await
}

#[tauri::command]
#[specta::specta]
pub async fn sync_status(state: State<'_, AppState>) -> Result<SyncStatus, CommandError> {
    Ok(state.sync.status())
}

#[tauri::command]
#[specta::specta]
pub async fn sync_settings(state: State<'_, AppState>) -> Result<SyncSettings, CommandError> {
    with_workspace(&state, |ws| ws.sync_settings()).await
}

/// Stores the server URL and, when given, a new token; the next sync starts at once.
#[tauri::command]
#[specta::specta]
pub async fn set_sync_settings(
    state: State<'_, AppState>,
    server: String,
    token: Option<String>,
) -> Result<SyncSettings, CommandError> {
    let settings = with_workspace(&state, move |ws| {
        ws.set_sync_settings(&server, token.as_deref())
    })
    .await?;
    state.sync.wake();
    Ok(settings)
}

#[tauri::command]
#[specta::specta]
pub async fn sync_now(state: State<'_, AppState>) -> Result<(), CommandError> {
    state.sync.wake();
    Ok(())
}

/// This window has the document `id` open (on the commitment `commitment`), or nothing: the
/// others who have it open see who is here.
#[tauri::command]
#[specta::specta]
pub async fn set_presence(
    state: State<'_, AppState>,
    id: Option<String>,
    commitment: Option<String>,
) -> Result<(), CommandError> {
    let here = match id {
        None => None,
        Some(id) => with_workspace(&state, move |ws| ws.presence(&id, commitment)).await?,
    };
    state.meeting.present(here.clone());
    state.sync.present(here);
    Ok(())
}

/// Who else has the document `id` open right now.
#[tauri::command]
#[specta::specta]
pub async fn document_presence(
    state: State<'_, AppState>,
    id: String,
) -> Result<Vec<Someone>, CommandError> {
    Ok(state.sync.others(&id))
}

fn shared(
    state: &State<'_, AppState>,
) -> (Arc<Mutex<Workspace>>, Arc<SyncControl>, Arc<MeetingControl>) {
    (
        Arc::clone(&state.workspace),
        Arc::clone(&state.sync),
        Arc::clone(&state.meeting),
    )
}

/// The meeting session this laptop hosts or joined, if any.
#[tauri::command]
#[specta::specta]
pub async fn meeting_session(state: State<'_, AppState>) -> Result<MeetingSession, CommandError> {
    Ok(state.meeting.state())
}

/// Starts sharing the document `id` with the laptops in the room: listens on the local
/// network, advertises it, and returns the address and join code to read aloud.
#[tauri::command]
#[specta::specta]
pub async fn host_meeting_session(
    state: State<'_, AppState>,
    id: String,
) -> Result<MeetingSession, CommandError> {
    crate::meeting::host(shared(&state), id).await
}

/// Joins the session at `address` with the host's `code`; returns the id of its document,
/// stored here, to open.
#[tauri::command]
#[specta::specta]
pub async fn join_meeting_session(
    state: State<'_, AppState>,
    address: String,
    code: String,
) -> Result<String, CommandError> {
    crate::meeting::join(shared(&state), address, code).await
}

/// The sessions advertised on the local network (listens for 2 s).
#[tauri::command]
#[specta::specta]
pub async fn discover_meeting_sessions() -> Result<Vec<FoundSession>, CommandError> {
    crate::meeting::discover().await
}

/// Ends hosting (every joiner is told) or leaves the session joined; every edit stays here.
#[tauri::command]
#[specta::specta]
pub async fn end_meeting_session(state: State<'_, AppState>) -> Result<(), CommandError> {
    state.meeting.end().await;
    Ok(())
}

/// The host removes joiner `number`; the code changes so they cannot come back with it.
#[tauri::command]
#[specta::specta]
pub async fn remove_from_meeting_session(
    state: State<'_, AppState>,
    number: u32,
) -> Result<bool, CommandError> {
    Ok(state.meeting.remove(number))
}

/// Records the meeting session's people as present at the transfer meeting of `id`.
#[tauri::command]
#[specta::specta]
pub async fn record_session_attendees(
    state: State<'_, AppState>,
    id: String,
) -> Result<DocumentView, CommandError> {
    let people = state.meeting.people();
    writing(&state, move |ws| ws.record_participants(&id, &people)).await
}
