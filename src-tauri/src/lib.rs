//! The ScopePact desktop app.

mod commands;
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
            commands::list_profiles,
            commands::add_profile,
            commands::switch_profile,
            commands::item_history,
            commands::sync_status,
            commands::sync_settings,
            commands::set_sync_settings,
            commands::sync_now,
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

/// `--data-dir DIR` (or `--data-dir=DIR`) from the command line, if given.
pub fn data_dir_argument(
    args: impl IntoIterator<Item = String>,
) -> Result<Option<PathBuf>, String> {
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        if arg == "--data-dir" {
            return args
                .next()
                .map(|d| Some(PathBuf::from(d)))
                .ok_or_else(|| "--data-dir needs a directory".to_string());
        }
        if let Some(dir) = arg.strip_prefix("--data-dir=") {
            return Ok(Some(PathBuf::from(dir)));
        }
    }
    Ok(None)
}

pub fn run(data_dir: Option<PathBuf>) -> Result<(), String> {
    let workspace = Workspace::open(data_dir).map_err(|e| e.to_string())?;
    let builder = specta_builder();
    let workspace = Arc::new(Mutex::new(workspace));
    let control = sync::SyncControl::new();
    let state = AppState {
        workspace: Arc::clone(&workspace),
        sync: Arc::clone(&control),
    };
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .manage(state)
        .invoke_handler(builder.invoke_handler())
        .setup(move |app| {
            builder.mount_events(app);
            sync::spawn(workspace, control);
            Ok(())
        })
        .run(tauri::generate_context!())
        .map_err(|e| e.to_string())
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
    fn data_dir_argument_forms() {
        let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(data_dir_argument(args(&["app"])).unwrap(), None);
        assert_eq!(
            data_dir_argument(args(&["app", "--data-dir", "/x"])).unwrap(),
            Some(PathBuf::from("/x"))
        );
        assert_eq!(
            data_dir_argument(args(&["app", "--data-dir=/y"])).unwrap(),
            Some(PathBuf::from("/y"))
        );
        assert!(data_dir_argument(args(&["app", "--data-dir"])).is_err());
    }
}
