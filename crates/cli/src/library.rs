//! The capability library: what operations already validated on signed deals.

use clap::Subcommand;
use scopepact_messages::message;
use scopepact_workspace::WorkspaceError;

use crate::output::{print, say};
use crate::Session;

#[derive(Subcommand)]
pub enum Commands {
    /// What operations already validated on signed deals, to reuse on the next one.
    Library {
        #[command(subcommand)]
        command: LibraryCommand,
    },
}

#[derive(Subcommand)]
pub enum LibraryCommand {
    /// Entries whose title, description or parameters match TEXT (case and accents ignored,
    /// each word matched as the start of a word), best first.
    Search {
        text: String,
        /// An array of entries (fields documented in the README).
        #[arg(long)]
        json: bool,
        /// Retired entries too.
        #[arg(long)]
        all: bool,
    },
    /// Stop suggesting an entry (operations only), saying why; synced to every device.
    Retire {
        id: String,
        #[arg(long)]
        reason: String,
    },
    /// Suggest a retired entry again (operations only).
    Restore { id: String },
    /// Add to a deal a commitment worded as the entry (pending; `validate --from-library`
    /// confirms the entry's verdict while its technical content is unchanged); prints its ref.
    Insert { doc_id: String, id: String },
}

pub fn run(cx: &Session, command: Commands) -> Result<(), WorkspaceError> {
    match command {
        Commands::Library {
            command: LibraryCommand::Retire { id, reason },
        } => {
            let entry = cx.open()?.library_retire(&id, &reason)?;
            print(&format!("{}\n", entry.id))
        }
        Commands::Library {
            command: LibraryCommand::Insert { doc_id, id },
        } => {
            let (outcome, view) = cx.open()?.insert_from_library(&doc_id, &id, None)?;
            let reference = view
                .commitments
                .iter()
                .find(|c| outcome.created_id.as_deref() == Some(c.id.as_str()))
                .map(|c| c.reference.clone())
                .unwrap_or_default();
            print(&format!("{reference}\n"))
        }
        Commands::Library {
            command: LibraryCommand::Restore { id },
        } => {
            let entry = cx.open()?.library_restore(&id)?;
            print(&format!("{}\n", entry.id))
        }
        Commands::Library {
            command: LibraryCommand::Search { text, json, all },
        } => {
            let found = cx.open()?.library_search(&text, all)?;
            if json {
                return print(&format!(
                    "{}\n",
                    serde_json::to_string_pretty(&found).unwrap_or_default()
                ));
            }
            let mut out = String::new();
            for e in &found {
                let day = e
                    .validated_at
                    .as_deref()
                    .map_or("", |at| at.get(..10).unwrap_or(at));
                let by = e.validated_by.as_deref().unwrap_or("");
                let line = match &e.condition {
                    Some(condition) if e.verdict == "conditional" => message!(
                        "cli-library-entry-conditional",
                        title = &e.title,
                        by = by,
                        day = day,
                        customer = &e.customer,
                        condition = condition
                    ),
                    _ => message!(
                        "cli-library-entry",
                        title = &e.title,
                        verdict = &e.verdict,
                        by = by,
                        day = day,
                        customer = &e.customer
                    ),
                };
                out.push_str(&format!("{}\t{}\n", e.id, say(&line)));
                if e.rework > 0 {
                    out.push_str(&format!(
                        "\t{}\n",
                        say(&message!("cli-library-rework", count = e.rework))
                    ));
                }
                if let Some(r) = &e.retired {
                    out.push_str(&format!(
                        "\t{}\n",
                        say(&message!(
                            "cli-library-retired",
                            by = &r.by,
                            reason = &r.reason
                        ))
                    ));
                }
            }
            if found.is_empty() {
                eprintln!("{}", say(&message!("cli-library-nothing", text = &text)));
            }
            print(&out)
        }
    }
}
