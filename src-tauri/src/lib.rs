//! The ScopePact desktop app.

mod blocking;
mod commands;
mod meeting;
mod sync;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use scopepact_workspace::Workspace;

pub use commands::AppState;

/// The typed command set; also what generates `ui/src/lib/bindings.ts`.
pub fn specta_builder() -> tauri_specta::Builder<tauri::Wry> {
    // Unified serde mode: our types read and write the same shape, so one TypeScript type each.
    tauri_specta::Builder::<tauri::Wry>::new()
        .disable_serde_phases()
        .commands(tauri_specta::collect_commands![
            commands::app_info,
            commands::list_documents,
            commands::create_document,
            commands::open_document,
            commands::edit_document,
            commands::library_search,
            commands::insert_from_library,
            commands::company_settings,
            commands::set_company_setting,
            commands::company_history,
            commands::list_templates,
            commands::create_from_template,
            commands::save_template,
            commands::retire_library_entry,
            commands::repair_document,
            commands::sign_document,
            commands::export_pdf,
            commands::verify_pdf,
            commands::countersign_pdf,
            commands::handoff_kpis,
            commands::export_kpis_csv,
            commands::open_file,
            commands::print_file,
            commands::import_document,
            commands::create_sample,
            commands::set_ui_language,
            commands::list_profiles,
            commands::add_profile,
            commands::switch_profile,
            commands::item_history,
            commands::sync_status,
            commands::sync_settings,
            commands::set_sync_settings,
            commands::sync_now,
            commands::set_presence,
            commands::document_presence,
            commands::meeting_session,
            commands::host_meeting_session,
            commands::join_meeting_session,
            commands::discover_meeting_sessions,
            commands::end_meeting_session,
            commands::remove_from_meeting_session,
            commands::record_session_attendees,
        ])
        .events(tauri_specta::collect_events![
            sync::SyncStatusChanged,
            sync::PresenceChanged,
            meeting::MeetingSessionChanged
        ])
}

/// The bindings as they are generated now.
pub fn generate_bindings() -> Result<String, String> {
    let dir = std::env::temp_dir().join(format!("scopepact-bindings-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let path = dir.join("bindings.ts");
    specta_builder()
        .export(specta_typescript::Typescript::default(), &path)
        .map_err(|e| e.to_string())?;
    let text = std::fs::read_to_string(&path).map_err(|e| e.to_string());
    let _ = std::fs::remove_dir_all(&dir);
    text
}

/// What the command line asks of the app.
#[derive(Debug, PartialEq)]
pub enum Invocation {
    Run { data_dir: Option<PathBuf> },
    Version,
    Help,
}

pub const USAGE: &str = "Usage: scopepact-app [--data-dir DIR]

Opens the ScopePact window on DIR (default: SCOPEPACT_DATA_DIR, else the platform's data folder).
  --data-dir DIR   the folder holding this device's documents, profiles and keys
  --version        prints the version and exits
  --help           prints this text and exits
The command line tool is `scopepact` (`scopepact --help`).";

/// Reads the app's arguments. Other arguments are left alone: the desktop and WebDriver may
/// add their own.
pub fn parse_arguments(args: impl IntoIterator<Item = String>) -> Result<Invocation, String> {
    let mut args = args.into_iter();
    let mut data_dir = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--version" | "-V" => return Ok(Invocation::Version),
            "--help" | "-h" => return Ok(Invocation::Help),
            "--data-dir" => {
                let dir = args
                    .next()
                    .ok_or_else(|| "--data-dir needs a directory".to_string())?;
                data_dir = Some(PathBuf::from(dir));
            }
            _ => {
                if let Some(dir) = arg.strip_prefix("--data-dir=") {
                    data_dir = Some(PathBuf::from(dir));
                }
            }
        }
    }
    Ok(Invocation::Run { data_dir })
}

/// WebKitGTK's DMA-BUF renderer keeps ~90 MiB more in the web process (measured under Xvfb
/// with the installed release app: the idle tree's PSS 314 → 229 MiB) and shows a blank window
/// with some drivers; a forms-and-tables app gains nothing from it. A value the person set
/// wins. Called first thing in `main`, before any thread exists.
pub fn prefer_light_rendering() {
    const VARIABLE: &str = "WEBKIT_DISABLE_DMABUF_RENDERER";
    if cfg!(target_os = "linux") && std::env::var_os(VARIABLE).is_none() {
        std::env::set_var(VARIABLE, "1");
    }
}

/// Said instead of GTK's panic when there is no screen to open a window on.
pub const NO_DISPLAY: &str =
    "no graphical display: run ScopePact from a desktop session, or set DISPLAY";

/// Whether this process can reach a display server: a Wayland socket or an X display named.
/// GTK panics inside Tauri without one; saying so in one line is kinder.
fn has_display() -> bool {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    !cfg!(target_os = "linux") || set("DISPLAY") || set("WAYLAND_DISPLAY")
}

pub fn run(data_dir: Option<PathBuf>) -> Result<(), String> {
    if !has_display() {
        return Err(NO_DISPLAY.into());
    }
    let workspace = Workspace::open(data_dir).map_err(|e| e.to_string())?;
    let builder = specta_builder();
    let workspace = Arc::new(Mutex::new(workspace));
    let control = sync::SyncControl::new();
    let meeting = meeting::MeetingControl::new();
    let state = AppState {
        workspace: Arc::clone(&workspace),
        sync: Arc::clone(&control),
        meeting: Arc::clone(&meeting),
    };
    // A display that is named but unreachable (a closed X server, a stale DISPLAY) is only
    // found by GTK, which panics; that panic becomes the same one-line message.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !is_gtk_init_failure(info.payload()) {
            default_hook(info);
        }
    }));
    let app = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        tauri::Builder::default()
            .plugin(tauri_plugin_dialog::init())
            .plugin(tauri_plugin_opener::init())
            .manage(state)
            .invoke_handler(builder.invoke_handler())
            .setup(move |app| {
                builder.mount_events(app);
                meeting.attach_app(app.handle().clone());
                sync::spawn(app.handle().clone(), workspace, control);
                Ok(())
            })
            .build(tauri::generate_context!())
    }));
    let _ = std::panic::take_hook();
    match app {
        Ok(app) => {
            app.map_err(|e| e.to_string())?.run(|_, _| {});
            Ok(())
        }
        Err(payload) if is_gtk_init_failure(payload.as_ref()) => Err(NO_DISPLAY.into()),
        Err(payload) => std::panic::resume_unwind(payload),
    }
}

fn is_gtk_init_failure(payload: &(dyn std::any::Any + Send)) -> bool {
    let text = payload
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| payload.downcast_ref::<&str>().copied())
        .unwrap_or_default();
    text.contains("Failed to initialize gtk")
}

#[cfg(test)]
mod tests {
    use super::*;

    const COMMITTED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../ui/src/lib/bindings.ts");

    /// The committed TypeScript bindings must be what the Rust types generate. To refresh them:
    /// `SCOPEPACT_WRITE_BINDINGS=1 cargo test -p scopepact-app bindings`.
    #[test]
    fn committed_bindings_match_the_rust_types() {
        let generated = generate_bindings().unwrap();
        if std::env::var_os("SCOPEPACT_WRITE_BINDINGS").is_some() {
            std::fs::write(COMMITTED, &generated).unwrap();
        }
        let committed = std::fs::read_to_string(COMMITTED).unwrap_or_default();
        assert!(
            committed == generated,
            "ui/src/lib/bindings.ts is stale: run SCOPEPACT_WRITE_BINDINGS=1 cargo test -p scopepact-app bindings"
        );
    }

    #[test]
    fn argument_forms() {
        let parse = |a: &[&str]| parse_arguments(a.iter().map(|s| s.to_string()));
        let run = |dir: Option<&str>| Invocation::Run {
            data_dir: dir.map(PathBuf::from),
        };
        assert_eq!(parse(&[]).unwrap(), run(None));
        assert_eq!(parse(&["--data-dir", "/x"]).unwrap(), run(Some("/x")));
        assert_eq!(parse(&["--data-dir=/y"]).unwrap(), run(Some("/y")));
        assert_eq!(parse(&["--something-else"]).unwrap(), run(None));
        assert!(parse(&["--data-dir"]).is_err());
        assert_eq!(parse(&["--version"]).unwrap(), Invocation::Version);
        assert_eq!(
            parse(&["--data-dir", "/x", "-V"]).unwrap(),
            Invocation::Version
        );
        assert_eq!(parse(&["--help"]).unwrap(), Invocation::Help);
    }
}
