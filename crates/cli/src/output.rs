//! What every command shares: printing (safe for a terminal) and reporting an edit's outcome.

use std::io::Write;
use std::path::PathBuf;

use scopepact_messages::{message, Language, Message};
use scopepact_scope::edit::Edit;
use scopepact_scope::interchange::Role;
use scopepact_workspace::{Workspace, WorkspaceError};

/// The command line's language: `LC_ALL`, else `LC_MESSAGES`, else `LANG`; English by default.
pub fn language() -> Language {
    static LANGUAGE: std::sync::OnceLock<Language> = std::sync::OnceLock::new();
    *LANGUAGE.get_or_init(Language::from_env)
}

/// A message of the catalogue in the command line's language.
pub fn say(message: &Message) -> String {
    scopepact_messages::say(language(), message)
}

/// Applies the edit and tells, on stderr, where the document stands now.
pub fn edit_and_report(
    ws: &mut Workspace,
    doc_id: &str,
    edit: &Edit,
) -> Result<(), WorkspaceError> {
    ws.edit(doc_id, edit)?;
    let report = ws.status(doc_id)?;
    eprintln!(
        "{}",
        say(&message!(
            "cli-edited",
            doc = doc_id,
            status = report.status.as_str(),
            left = report.reasons.len()
        ))
    );
    Ok(())
}

pub fn role_label(role: Role) -> &'static str {
    match role {
        Role::Commercial => "commercial",
        Role::Operational => "operational",
        Role::Executive => "executive",
    }
}

/// Writes to stdout; a closed pipe (`scopepact list | head`) is not an error worth a panic.
/// Text as a terminal may show it: control characters (a title holding an escape sequence that
/// would retitle the window or hide the lines after it) are written as `\u{1b}`, except new
/// lines and tabs.
pub fn terminal_safe(text: &str) -> std::borrow::Cow<'_, str> {
    if !text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return std::borrow::Cow::Borrowed(text);
    }
    text.chars()
        .map(|c| {
            if c.is_control() && c != '\n' && c != '\t' {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect::<String>()
        .into()
}

pub fn print(text: &str) -> Result<(), WorkspaceError> {
    use std::io::IsTerminal;
    let mut stdout = std::io::stdout().lock();
    let text = if stdout.is_terminal() {
        terminal_safe(text)
    } else {
        std::borrow::Cow::Borrowed(text)
    };
    match stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush())
    {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(WorkspaceError::WriteFile {
            path: PathBuf::from("standard output"),
            reason: e.to_string(),
        }),
        _ => Ok(()),
    }
}
