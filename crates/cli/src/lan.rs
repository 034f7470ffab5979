//! `session host` / `session join` / `session list`: a meeting session between laptops on the
//! local network, for scripts and tests (the app has the same in its document screen).

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use clap::Subcommand;
use scopepact_messages::message;
use scopepact_sync::lan::{self, HostConfig, JoinCode, JoinConfig, JoinedSession};
use scopepact_sync::live::LiveEvent;
use scopepact_sync::SyncError;
use scopepact_workspace::{Workspace, WorkspaceError};
use tokio::io::AsyncBufReadExt;

use crate::output::say;
use crate::Session;

#[derive(Subcommand)]
pub enum Commands {
    /// A meeting session on the local network, without the company server.
    #[command(subcommand)]
    Session(SessionCommand),
}

#[derive(Subcommand)]
pub enum SessionCommand {
    /// Shares a document live with the laptops that join with the code. Prints
    /// `address: HOST:PORT` and `code: CODE` (again when the code changes), then serves until
    /// SIGINT/SIGTERM. A line `remove N` on stdin removes joiner N.
    Host {
        /// The document to share.
        #[arg(value_name = "DOC_ID")]
        id: String,
        /// Where to listen (default: every interface, a free port).
        #[arg(long, default_value = "0.0.0.0:0", value_name = "ADDR")]
        listen: String,
        /// Do not advertise the session by mDNS (joiners type the address).
        #[arg(long)]
        no_advertise: bool,
    },
    /// Joins a session and syncs its document live until interrupted.
    Join {
        /// The host's address, as it shows it.
        #[arg(value_name = "HOST:PORT")]
        address: String,
        /// The code the host shows (8 digits; spaces and dashes are fine).
        #[arg(long, value_name = "CODE")]
        code: String,
        /// Exit after the first complete sync.
        #[arg(long)]
        once: bool,
        /// With --once: give up after this many seconds.
        #[arg(long, default_value_t = 30, value_name = "SECONDS")]
        timeout: u64,
    },
    /// Lists the sessions advertised on the local network.
    List {
        /// How long to listen, in seconds.
        #[arg(long, default_value_t = 3, value_name = "SECONDS")]
        wait: u64,
    },
}

fn runtime() -> Result<tokio::runtime::Runtime, WorkspaceError> {
    tokio::runtime::Runtime::new().map_err(|e| WorkspaceError::WriteFile {
        path: PathBuf::from("tokio runtime"),
        reason: e.to_string(),
    })
}

/// `code: 4821-0375`: a dash instead of the space, so a script can pass it on unquoted.
fn code_line(code: &JoinCode) -> String {
    format!("code: {}", code.to_string().replace(' ', "-"))
}

fn stdout_line(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

pub fn run(cx: &Session, command: Commands) -> Result<(), WorkspaceError> {
    let Commands::Session(command) = command;
    match command {
        SessionCommand::Host {
            id,
            listen,
            no_advertise,
        } => {
            let mut ws = cx.open()?;
            let shared = ws.shared_document(&id)?;
            let config = HostConfig {
                db: ws.database_path(),
                document: shared.storage_id,
                title: shared.title,
                me: ws.participant()?,
                listen,
                advertise: !no_advertise,
            };
            let runtime = runtime()?;
            let hosted = runtime.block_on(host(ws, config));
            // The stdin reader is a blocking read that never ends by itself: do not wait for it.
            runtime.shutdown_background();
            hosted
        }
        SessionCommand::Join {
            address,
            code,
            once,
            timeout,
        } => {
            let code: JoinCode = code.parse().map_err(WorkspaceError::Sync)?;
            let ws = cx.open()?;
            let config = JoinConfig {
                db: ws.database_path(),
                address,
                code,
                me: ws.participant()?,
            };
            let limit = once.then(|| Duration::from_secs(timeout));
            runtime()?.block_on(join(ws, config, limit))
        }
        SessionCommand::List { wait } => {
            let found = lan::discovery::browse(Duration::from_secs(wait.min(60)))
                .map_err(WorkspaceError::Sync)?;
            for session in &found {
                stdout_line(&format!(
                    "{}\t{}\t{}",
                    session.address, session.host, session.title
                ));
            }
            if found.is_empty() {
                eprintln!("{}", say(&message!("cli-session-none-found")));
            }
            Ok(())
        }
    }
}

async fn host(mut ws: Workspace, config: HostConfig) -> Result<(), WorkspaceError> {
    let (session, mut events) = lan::HostedSession::start(config)
        .await
        .map_err(WorkspaceError::Sync)?;
    stdout_line(&format!("address: {}", session.address()));
    if let Some(reason) = session.advertise_error() {
        eprintln!(
            "{}",
            say(&message!("cli-session-not-advertised", reason = reason))
        );
    }
    let mut view = session.view();
    let mut shown = view.borrow_and_update().clone();
    stdout_line(&format!(
        "code: {}",
        shown.code.to_string().replace(' ', "-")
    ));
    let mut stdin = tokio::io::BufReader::new(tokio::io::stdin()).lines();
    let mut stdin_open = true;
    let stop = crate::server::shutdown_signal();
    tokio::pin!(stop);
    loop {
        tokio::select! {
            () = &mut stop => break,
            event = events.recv() => {
                if !absorb(&mut ws, event)? {
                    break;
                }
            }
            Ok(()) = view.changed() => {
                let now = view.borrow_and_update().clone();
                if now.code != shown.code {
                    stdout_line(&code_line(&now.code));
                }
                for joiner in now.joiners.iter().filter(|j| !shown.joiners.contains(j)) {
                    eprintln!("{}", say(&message!("cli-session-joined",
                        number = joiner.id, name = joiner.who.name.as_str(),
                        role = joiner.who.role.as_str(), device = joiner.who.device.as_str())));
                }
                for joiner in shown.joiners.iter().filter(|j| !now.joiners.contains(j)) {
                    eprintln!("{}", say(&message!("cli-session-left",
                        number = joiner.id, name = joiner.who.name.as_str())));
                }
                shown = now;
            }
            line = stdin.next_line(), if stdin_open => match line {
                Ok(Some(line)) => {
                    let number = line.trim().strip_prefix("remove ").and_then(|n| n.trim().parse::<u64>().ok());
                    match number {
                        Some(n) if session.remove(n) => {}
                        _ => eprintln!("{}", say(&message!("cli-session-bad-command", line = line.trim()))),
                    }
                }
                _ => stdin_open = false,
            },
        }
    }
    session.end().await;
    eprintln!("{}", say(&message!("cli-session-ended")));
    Ok(())
}

async fn join(
    mut ws: Workspace,
    config: JoinConfig,
    once: Option<Duration>,
) -> Result<(), WorkspaceError> {
    let (session, mut events) = JoinedSession::start(config)
        .await
        .map_err(WorkspaceError::Sync)?;
    let welcome = session.welcome().clone();
    eprintln!(
        "{}",
        say(&message!(
            "cli-session-joined-host",
            title = welcome.title.as_str(),
            host = welcome.host.name.as_str()
        ))
    );
    if let Some(id) = scopepact_workspace::document_id_of(&welcome.document) {
        stdout_line(&format!("document: {id}"));
    }
    let deadline = tokio::time::sleep(once.unwrap_or(Duration::MAX / 4));
    tokio::pin!(deadline);
    let stop = crate::server::shutdown_signal();
    tokio::pin!(stop);
    loop {
        tokio::select! {
            () = &mut stop => return Ok(()),
            () = &mut deadline => {
                return Err(WorkspaceError::Sync(SyncError::Timeout {
                    seconds: once.map_or(0, |d| d.as_secs()),
                    what: "the first complete sync with the host".into(),
                }));
            }
            event = events.recv() => {
                let in_step = matches!(event, Some(LiveEvent::InStep { .. }));
                match event {
                    Some(LiveEvent::Stopped(SyncError::SessionEnded)) => {
                        eprintln!("{}", say(&message!("cli-session-host-ended")));
                        return Ok(());
                    }
                    Some(LiveEvent::Stopped(reason)) => return Err(WorkspaceError::Sync(reason)),
                    other => {
                        if !absorb(&mut ws, other)? {
                            return Ok(());
                        }
                    }
                }
                if in_step && once.is_some() {
                    return Ok(());
                }
            }
        }
    }
}

/// Stores what the session received; `false` when the session ended.
fn absorb(ws: &mut Workspace, event: Option<LiveEvent>) -> Result<bool, WorkspaceError> {
    match event {
        None => Ok(false),
        Some(LiveEvent::Received { id, document }) => {
            ws.absorb(&id, *document)?;
            Ok(true)
        }
        Some(LiveEvent::Stopped(SyncError::SessionEnded)) => Ok(false),
        Some(LiveEvent::Stopped(reason)) => Err(WorkspaceError::Sync(reason)),
        Some(LiveEvent::Offline { reason }) => {
            eprintln!("{}", say(&message!("cli-session-offline", reason = reason)));
            Ok(true)
        }
        // A meeting session says nothing about the company server: nothing is marked synced.
        Some(
            LiveEvent::Connecting
            | LiveEvent::Online
            | LiveEvent::InStep { .. }
            | LiveEvent::Presence { .. },
        ) => Ok(true),
    }
}
