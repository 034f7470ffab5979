//! Syncing this data directory with a company server.

use crate::output::say;
use scopepact_messages::message;
use std::path::PathBuf;

use clap::Subcommand;
use scopepact_workspace::WorkspaceError;

use crate::Session;

#[derive(Subcommand)]
pub enum Commands {
    /// Sync every local document with a sync server and fetch every document it has.
    Sync {
        /// The server's base URL: http://, https://, ws:// or wss://.
        #[arg(long, value_name = "URL")]
        server: String,
        /// This device's token, from `scopepact invite`.
        #[arg(
            long,
            value_name = "TOKEN",
            env = "SCOPEPACT_SYNC_TOKEN",
            hide_env_values = true
        )]
        token: String,
        /// Give up after this many seconds without progress.
        #[arg(long, default_value_t = 60, value_name = "SECONDS")]
        timeout: u64,
    },
}

pub fn run(cx: &Session, command: Commands) -> Result<(), WorkspaceError> {
    match command {
        Commands::Sync {
            server,
            token,
            timeout,
        } => {
            let mut ws = cx.open()?;
            let local = ws.storage_ids()?;
            let db = ws.database_path();
            let runtime =
                tokio::runtime::Runtime::new().map_err(|e| WorkspaceError::WriteFile {
                    path: PathBuf::from("tokio runtime"),
                    reason: e.to_string(),
                })?;
            let outcome = runtime
                .block_on(scopepact_sync::client::sync_once(
                    &db,
                    &local,
                    &server,
                    &token,
                    std::time::Duration::from_secs(timeout),
                ))
                .map_err(WorkspaceError::Sync)?;
            let new = ws.reindex(&outcome.received)?;
            ws.mark_synced(&outcome.heads)?;
            let said = say(&message!(
                "cli-synced",
                documents = outcome.documents.len(),
                server = server.to_string(),
                received = outcome.received.len(),
                new = new
            ));
            eprintln!("{said}");
            // The company's authority: learn its root and revocations, get certificates.
            let requests = ws.certificate_requests()?;
            let exchange = runtime
                .block_on(scopepact_sync::client::exchange_certificates(
                    &server, &token, &requests,
                ))
                .map_err(WorkspaceError::Sync)?;
            let adopted = ws.adopt_certificates(&exchange)?;
            if adopted > 0 {
                let said = say(&message!("cli-certificates-adopted", count = adopted));
                eprintln!("{said}");
            }
            Ok(())
        }
    }
}
