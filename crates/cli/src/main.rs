//! `scopepact`: the command line face of ScopePact, for scripts and integrations. Every
//! command is one call into the workspace facade; failures print one line on stderr and exit 1.
//! One module per command group; this file parses and dispatches.

mod company;
mod documents;
mod handoff;
mod indicators;
mod lan;
mod library;
mod output;
mod profiles;
mod server;
mod signing;
mod sync;
mod validation;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use scopepact_workspace::{Workspace, WorkspaceError};

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
    /// Act as the profile with this email (default: the current profile, else the first).
    #[arg(long = "as", global = true, value_name = "EMAIL")]
    acting_as: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    #[command(flatten)]
    Documents(documents::Commands),
    #[command(flatten)]
    Validation(validation::Commands),
    #[command(flatten)]
    Signing(signing::Commands),
    #[command(flatten)]
    Handoff(handoff::Commands),
    #[command(flatten)]
    Indicators(indicators::Commands),
    #[command(flatten)]
    Library(library::Commands),
    #[command(flatten)]
    Company(company::Commands),
    #[command(flatten)]
    Profiles(profiles::Commands),
    #[command(flatten)]
    Sync(sync::Commands),
    #[command(flatten)]
    Server(server::Commands),
    #[command(flatten)]
    Lan(lan::Commands),
}

/// Where a command finds its data directory and whom it acts as.
pub struct Session {
    data_dir: Option<PathBuf>,
    acting_as: Option<String>,
}

impl Session {
    pub fn open(&self) -> Result<Workspace, WorkspaceError> {
        let mut ws = Workspace::open(self.data_dir.clone())?;
        ws.act_as(self.acting_as.clone())?;
        Ok(ws)
    }
}

/// The error in the command line's language (`LANG`, `LC_MESSAGES`, `LC_ALL`).
fn said(err: WorkspaceError) -> String {
    output::say(&err.message())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Diagnostics on stderr: `info` for the server; elsewhere our warnings only, since the
    // command's own error line already says what failed (RUST_LOG overrides).
    let default_level = if matches!(cli.command, Command::Server(server::Commands::Serve { .. })) {
        "info"
    } else {
        "warn,samod=error,samod_core=error"
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default_level)),
        )
        .with_writer(std::io::stderr)
        .init();
    let session = Session {
        data_dir: cli.data_dir,
        acting_as: cli.acting_as,
    };
    let result = match cli.command {
        Command::Server(command) => server::run(command),
        Command::Documents(command) => documents::run(&session, command).map_err(said),
        Command::Validation(command) => validation::run(&session, command).map_err(said),
        Command::Signing(command) => signing::run(&session, command).map_err(said),
        Command::Handoff(command) => handoff::run(&session, command).map_err(said),
        Command::Indicators(command) => indicators::run(&session, command).map_err(said),
        Command::Library(command) => library::run(&session, command).map_err(said),
        Command::Company(command) => company::run(&session, command).map_err(said),
        Command::Profiles(command) => profiles::run(&session, command).map_err(said),
        Command::Sync(command) => sync::run(&session, command).map_err(said),
        Command::Lan(command) => lan::run(&session, command).map_err(said),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            use std::io::IsTerminal;
            let line = format!("error: {err}");
            if std::io::stderr().is_terminal() {
                eprintln!("{}", output::terminal_safe(&line));
            } else {
                eprintln!("{line}");
            }
            ExitCode::FAILURE
        }
    }
}
