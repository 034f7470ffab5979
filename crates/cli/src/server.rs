//! The server's own commands: they work on the server's database, not on a data directory.

use scopepact_sync::config::ServerFile;
use std::path::PathBuf;

use clap::Subcommand;

use crate::output::print;

#[derive(Subcommand)]
pub enum Commands {
    /// Run the sync server (automerge-repo protocol) on a SQLite file of its own.
    Serve {
        /// Read the settings from this TOML file (keys named as these flags, with `_`: listen,
        /// db, max_connections, tls_cert…); flags given here win over it.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// Address to listen on [default: 127.0.0.1:8080].
        #[arg(long, value_name = "ADDR")]
        listen: Option<String>,
        /// The server's database (created when missing).
        #[arg(long, value_name = "FILE")]
        db: Option<PathBuf>,
        /// Largest WebSocket message accepted, in bytes [default: 16 MiB].
        #[arg(long, value_name = "BYTES")]
        max_message_bytes: Option<usize>,
        /// Simultaneous sync connections; more are refused with 503 [default: 1000].
        #[arg(long, value_name = "N")]
        max_connections: Option<usize>,
        /// Simultaneous sync connections of one device token; more are refused with 503
        /// [default: 16].
        #[arg(long, value_name = "N")]
        max_connections_per_device: Option<usize>,
        /// Connections held before they present a token; more are closed as they arrive
        /// [default: 256].
        #[arg(long, value_name = "N")]
        max_pending_connections: Option<usize>,
        /// Seconds a client without a token has to send a complete request [default: 10].
        #[arg(long, value_name = "SECONDS")]
        request_timeout: Option<u64>,
        /// On SIGTERM, seconds open connections get to finish before they are closed
        /// [default: 10].
        #[arg(long, value_name = "SECONDS")]
        shutdown_grace: Option<u64>,
        /// Serve wss:// with this PEM certificate (chain); needs --tls-key.
        #[arg(long, value_name = "FILE", requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        /// The certificate's private key, PKCS#8 PEM ("BEGIN PRIVATE KEY").
        #[arg(long, value_name = "FILE", requires = "tls_cert")]
        tls_key: Option<PathBuf>,
    },
    /// Make a device token for the sync server; prints it once, alone on stdout.
    Invite {
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
        /// The device's name, e.g. laptop-ana.
        #[arg(long)]
        name: String,
        /// How long the token lives: 30d, 12h, 45m, 90s (default: until revoked).
        #[arg(long, value_name = "DURATION")]
        expires: Option<String>,
    },
    /// Copy a live database (the sync server's, or a device's) while it is in use: one
    /// consistent snapshot, checked with SQLite's integrity check, put in place in one rename.
    Backup {
        /// The database to copy, e.g. /var/lib/scopepact/server.sqlite3.
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
        /// Where the copy goes (an older copy of that name is replaced).
        #[arg(value_name = "OUT")]
        out: PathBuf,
    },
    /// Refuse a device's token from now on (and revoke the certificates issued to it).
    Revoke {
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
        #[arg(long)]
        name: String,
    },
    /// The company's certificate authority on the sync server.
    Ca {
        #[command(subcommand)]
        command: CaCommand,
    },
}

pub fn run(command: Commands) -> Result<(), String> {
    use scopepact_sync::tokens;
    let now = chrono::Utc::now();
    match command {
        Commands::Serve {
            config,
            listen,
            db,
            max_message_bytes,
            max_connections,
            max_connections_per_device,
            max_pending_connections,
            request_timeout,
            shutdown_grace,
            tls_cert,
            tls_key,
        } => {
            // The command line over the file, key by key.
            let flags = ServerFile {
                listen,
                db,
                max_message_bytes,
                max_connections,
                max_connections_per_device,
                max_pending_connections,
                request_timeout,
                shutdown_grace,
                tls_cert,
                tls_key,
            };
            serve(config.as_deref(), flags)
        }
        Commands::Invite { db, name, expires } => invite(&db, &name, expires.as_deref(), now),
        Commands::Backup { db, out } => {
            let report = scopepact_store::backup::backup(&db, &out).map_err(|e| e.to_string())?;
            eprintln!(
                "backed up {} to {}: {} KiB, {} document(s), integrity check ok",
                db.display(),
                report.path.display(),
                report.bytes.div_ceil(1024),
                report.documents
            );
            Ok(())
        }
        Commands::Revoke { db, name } => {
            let conn = scopepact_store::connect(&db).map_err(|e| e.to_string())?;
            tokens::revoke(&conn, &name, now).map_err(|e| e.to_string())?;
            let certificates =
                scopepact_sync::authority::issued_to(&conn, &name).map_err(|e| e.to_string())?;
            eprintln!("{name}: token revoked, with the {certificates} certificate(s) issued to it");
            Ok(())
        }
        Commands::Ca {
            command: CaCommand::Init { db, organisation },
        } => {
            let pem =
                scopepact_sync::authority::init(&db, &organisation).map_err(|e| e.to_string())?;
            eprintln!(
                "company root made; its key is {} (keep it safe, back it up). Publish the root:",
                scopepact_sync::authority::key_path(&db).display()
            );
            print(&pem).map_err(|e| e.to_string())
        }
        Commands::Ca {
            command: CaCommand::Export { db },
        } => {
            let conn = scopepact_store::connect(&db).map_err(|e| e.to_string())?;
            let pem = scopepact_sync::authority::root_pem(&conn)
                .map_err(|e| e.to_string())?
                .ok_or("this server has no company root: make one with `scopepact ca init`")?;
            print(&pem).map_err(|e| e.to_string())
        }
    }
}

#[derive(Subcommand)]
pub(crate) enum CaCommand {
    /// Make the company root (key 0600 beside the database); devices that sync get
    /// certificates it issues.
    Init {
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
        /// The company's name, on the root and the certificates.
        #[arg(long, value_name = "NAME")]
        organisation: String,
    },
    /// Print the company root (PEM), for customers to check signatures against.
    Export {
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
    },
}

/// SIGTERM or Ctrl-C: stop accepting, finish, flush.
pub(crate) async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
    tracing::info!("signal received");
}

/// Runs the server with the settings of `config` (if given) under the command line's flags.
fn serve(config: Option<&std::path::Path>, flags: ServerFile) -> Result<(), String> {
    let mut file = match config {
        Some(path) => ServerFile::load(path).map_err(|e| e.to_string())?,
        None => ServerFile::default(),
    };
    file.overlay(flags);
    let db = file
        .db
        .clone()
        .ok_or("serve needs a database: --db FILE, or `db = \"…\"` in the --config file")?;
    let mut server_config = scopepact_sync::server::ServerConfig::new("127.0.0.1:8080", db);
    file.apply(&mut server_config);
    server_config.request_time = server_config
        .request_time
        .max(std::time::Duration::from_secs(1));
    let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
    runtime
        .block_on(scopepact_sync::server::serve(
            server_config,
            |_| {},
            shutdown_signal(),
        ))
        .map_err(|e| e.to_string())
}

fn invite(
    db: &std::path::Path,
    name: &str,
    expires: Option<&str>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), String> {
    use scopepact_sync::tokens;
    let lifetime = expires
        .map(tokens::parse_duration)
        .transpose()
        .map_err(|e| e.to_string())?;
    let conn = scopepact_store::connect(db).map_err(|e| e.to_string())?;
    let token = tokens::invite(&conn, name, lifetime, now).map_err(|e| e.to_string())?;
    eprintln!(
        "Token for {name}{}. It is shown only this once; the server keeps only its hash.",
        lifetime.map_or(String::new(), |l| format!(
            ", valid until {}",
            (now + l).to_rfc3339()
        ))
    );
    print(&format!("{token}\n")).map_err(|e| e.to_string())
}
