//! `scopepact`: the command line face of ScopePact, for scripts and integrations. Every
//! command is one call into the workspace facade; failures print one line on stderr and exit 1.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use scopepact_scope::view::DocumentSummary;
use scopepact_workspace::{write_file_atomically, Workspace, WorkspaceError};

#[derive(Parser)]
#[command(
    name = "scopepact",
    version,
    about = "Committed-scope documents shared by sales and operations"
)]
struct Cli {
    /// Data directory (default: $SCOPEPACT_DATA_DIR, else the platform's data directory).
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a document from a scopepact/v1 file and print its id, or reconcile the file
    /// into an existing document with --into.
    Import {
        file: PathBuf,
        /// Reconcile into this document: items match by ref, edits made meanwhile to fields the
        /// file did not change are kept.
        #[arg(long, value_name = "DOC_ID")]
        into: Option<String>,
    },
    /// Write a document in the scopepact/v1 format.
    Export {
        doc_id: String,
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
        /// Output file (default: standard output).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// List the documents of the data directory.
    List {
        /// An array of objects with id, title, customer, value, currency, status, updated_at.
        #[arg(long)]
        json: bool,
    },
    /// Print the JSON Schema of the scopepact/v1 format.
    Schema,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<(), WorkspaceError> {
    match cli.command {
        Command::Schema => {
            let schema = scopepact_scope::interchange::json_schema();
            print(&format!(
                "{}\n",
                serde_json::to_string_pretty(&schema).unwrap_or_default()
            ))
        }
        Command::Import { file, into: None } => {
            let id = Workspace::open(cli.data_dir)?.import_file(&file)?;
            print(&format!("{id}\n"))
        }
        Command::Import {
            file,
            into: Some(doc_id),
        } => {
            let report = Workspace::open(cli.data_dir)?.import_file_into(&file, &doc_id)?;
            eprintln!(
                "{doc_id}: {} commitment(s) added, {} matched; {} ambiguity(ies) added, {} matched",
                report.commitments_added,
                report.commitments_updated,
                report.ambiguities_added,
                report.ambiguities_updated
            );
            Ok(())
        }
        Command::Export {
            doc_id,
            format: Format::Json,
            output,
        } => {
            let text = Workspace::open(cli.data_dir)?.export_json(&doc_id)?;
            match output {
                Some(path) => write_file_atomically(&path, &text),
                None => print(&text),
            }
        }
        Command::List { json } => {
            let list = Workspace::open(cli.data_dir)?.list()?;
            if json {
                print(&format!(
                    "{}\n",
                    serde_json::to_string_pretty(&list).unwrap_or_default()
                ))
            } else {
                print(&table(&list))
            }
        }
    }
}

fn table(list: &[DocumentSummary]) -> String {
    let mut out = String::new();
    for d in list {
        let value = d
            .value
            .map(|v| format!("{v:.0} {}", d.currency))
            .unwrap_or_default();
        out.push_str(&format!(
            "{}  {:<24} {:>16}  {}  —  {}\n",
            d.id,
            d.status.as_str(),
            value,
            d.title,
            d.customer
        ));
    }
    out
}

/// Writes to stdout; a closed pipe (`scopepact list | head`) is not an error worth a panic.
fn print(text: &str) -> Result<(), WorkspaceError> {
    let mut stdout = std::io::stdout().lock();
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
