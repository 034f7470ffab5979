//! `scopepact`: the command line face of ScopePact, for scripts and integrations. Every
//! command is one call into the workspace facade; failures print one line on stderr and exit 1.

mod handoff;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use scopepact_scope::edit::{AgreementList, Edit, OverrideGate};
use scopepact_scope::interchange::{Role, ValidationStatus};
use scopepact_scope::refusal::SignerRole;
use scopepact_scope::signing::SignRequest;
use scopepact_scope::view::DocumentSummary;
use scopepact_workspace::{
    write_bytes_atomically, write_file_atomically, StatusReport, Workspace, WorkspaceError,
};

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
        /// Output file (default: standard output; a PDF needs a file).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Paper size of a PDF.
        #[arg(long, value_enum, default_value_t = PaperSize::A4)]
        paper: PaperSize,
    },
    /// Check a signed PDF: any change to the file, a signature that does not verify, or
    /// content that does not match what was signed makes it fail, with the reason.
    Verify {
        file: PathBuf,
        /// The result as JSON.
        #[arg(long)]
        json: bool,
        /// A company root certificate (PEM): PDF signatures it issued are reported as the
        /// company's.
        #[arg(long, value_name = "ROOT.pem")]
        trust: Option<PathBuf>,
    },
    /// Add your signature to your field of a signed PDF someone sent you (each field of a scope
    /// signature you made), as an incremental update; earlier signatures stay valid.
    Countersign {
        file: PathBuf,
        /// Where the countersigned file goes (default: FILE itself, replaced whole).
        #[arg(short, long, value_name = "OUT.pdf")]
        output: Option<PathBuf>,
    },
    /// List the documents of the data directory.
    List {
        /// An array of objects with id, title, customer, value, currency, status, updated_at.
        #[arg(long)]
        json: bool,
    },
    /// The joint handoff indicators over every local document (synced ones included).
    Kpis {
        /// First day of the period, YYYY-MM-DD (default: the beginning).
        #[arg(long)]
        from: Option<String>,
        /// Last day of the period, YYYY-MM-DD, inclusive (default: no end).
        #[arg(long)]
        to: Option<String>,
        /// A month (2027-02), a quarter (2027-Q1) or a year (2027), instead of --from/--to.
        #[arg(long, conflicts_with_all = ["from", "to"])]
        period: Option<String>,
        /// Group by pair of leads (commercial × operational), by customer, or all together.
        #[arg(long, default_value = "all")]
        by: String,
        /// An array with one object per group; the names are documented in the README.
        #[arg(long, conflicts_with = "csv")]
        json: bool,
        /// One CSV row per group.
        #[arg(long)]
        csv: bool,
    },
    /// Print the JSON Schema of the scopepact/v1 format.
    Schema,
    /// The people who use this device.
    Profile {
        #[command(subcommand)]
        command: ProfileCommand,
    },
    /// The lifecycle status, every unmet condition of the gate, and the economics.
    Status {
        doc_id: String,
        /// {"status", "reasons": [{"code", "ref", "message"}], "economics": {"revenue", "cost", "margin_pct"}}
        #[arg(long)]
        json: bool,
    },
    /// Give operations' verdict on a commitment (operational profiles only).
    Validate {
        doc_id: String,
        /// The commitment's ref, e.g. C-01.
        reference: String,
        #[arg(long, value_enum)]
        verdict: Verdict,
        /// The condition (conditional) or the reason (infeasible).
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
    },
    /// Resolve or transfer an ambiguity of the register.
    Ambiguity {
        #[command(subcommand)]
        command: AmbiguityCommand,
    },
    /// The transfer meeting: schedule, attend, held, decision, action.
    Meeting {
        #[command(subcommand)]
        command: handoff::MeetingCommand,
    },
    /// The rework log after the handoff: add, remove.
    Rework {
        #[command(subcommand)]
        command: handoff::ReworkCommand,
    },
    /// The customer's satisfaction, which closes the deal.
    Satisfaction {
        #[command(subcommand)]
        command: handoff::SatisfactionCommand,
    },
    /// Agree, as the other side, to an assumption or exclusion.
    Agree {
        doc_id: String,
        #[arg(value_enum)]
        list: List,
        /// Its number, counting from 1 as the app shows them.
        number: u32,
    },
    /// Sign the document as the acting profile (no drawing). Refused, with the reason, unless
    /// the gate holds and the document still needs that signature.
    Sign {
        doc_id: String,
        /// The statement signed (default: the role's standard statement).
        #[arg(long, value_name = "TEXT", default_value = "")]
        statement: String,
        /// Whose signature: default the acting profile's lead role; `customer` signs for the
        /// customer on this device, witnessed by the acting profile's key.
        #[arg(long, value_enum)]
        role: Option<SignAs>,
        /// The customer's typed name and email (with `--role customer`).
        #[arg(long, value_name = "NAME", requires = "customer_email")]
        customer_name: Option<String>,
        #[arg(long, value_name = "EMAIL", requires = "customer_name")]
        customer_email: Option<String>,
    },
    /// Start an amendment of a signed scope: its signatures no longer count.
    Amend {
        doc_id: String,
        /// Why the signed scope must change.
        #[arg(long, value_name = "TEXT")]
        reason: String,
    },
    /// Restore every value of the document that does not read (written by a broken or hostile
    /// peer) to the last value that read; lists what it restored and what is left to enter again.
    Repair {
        doc_id: String,
        /// {"restored": [TEXT], "left": [TEXT]}
        #[arg(long)]
        json: bool,
    },
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
        /// Simultaneous sync connections; more are refused with 503 (devices connect only for
        /// the length of a sync round) [default: 200].
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
    /// Let the gate pass despite failing economics or a blocking ambiguity (executives only).
    Override {
        doc_id: String,
        #[arg(long, value_enum)]
        gate: Gate,
        /// The blocking ambiguity's ref, for --gate ambiguity.
        #[arg(long = "ref", value_name = "REF")]
        reference: Option<String>,
        #[arg(long, value_name = "TEXT")]
        reason: String,
    },
}

#[derive(Subcommand)]
enum CaCommand {
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

#[derive(Subcommand)]
enum ProfileCommand {
    /// Add a profile; the first one becomes the current one.
    Add {
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: String,
        #[arg(long, value_enum)]
        role: ProfileRole,
    },
    /// List the profiles of this device; `*` marks the one acting.
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum AmbiguityCommand {
    /// Close an ambiguity with its answer.
    Resolve {
        doc_id: String,
        reference: String,
        #[arg(long, value_name = "TEXT")]
        answer: String,
    },
    /// Accept a non-blocking ambiguity as open into execution, with an owner and a due date.
    Transfer {
        doc_id: String,
        reference: String,
        #[arg(long, value_name = "NAME")]
        owner: String,
        /// YYYY-MM-DD
        #[arg(long, value_name = "DATE")]
        due: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Json,
    Pdf,
}

#[derive(Clone, Copy, ValueEnum)]
enum PaperSize {
    A4,
    Letter,
}

#[derive(Clone, Copy, ValueEnum)]
enum ProfileRole {
    Commercial,
    Operational,
    Executive,
}

#[derive(Clone, Copy, ValueEnum)]
enum SignAs {
    CommercialLead,
    OperationalLead,
    Customer,
}

#[derive(Clone, Copy, ValueEnum)]
enum Verdict {
    Feasible,
    Conditional,
    Infeasible,
}

#[derive(Clone, Copy, ValueEnum)]
enum List {
    Assumption,
    Exclusion,
}

#[derive(Clone, Copy, ValueEnum)]
enum Gate {
    Economics,
    Ambiguity,
}

/// `status --json`: exactly the shape scripts rely on.
#[derive(serde::Serialize)]
struct StatusJson<'a> {
    status: &'a str,
    reasons: &'a [scopepact_scope::validation::GateReason],
    economics: EconomicsJson,
    damage: &'a [scopepact_scope::damage::Damage],
}

#[derive(serde::Serialize)]
struct EconomicsJson {
    revenue: f64,
    cost: f64,
    margin_pct: Option<f64>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Diagnostics on stderr: `info` for the server; elsewhere our warnings only, since the
    // command's own error line already says what failed (RUST_LOG overrides).
    let default_level = if matches!(cli.command, Command::Serve { .. }) {
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
    let result = match cli.command {
        Command::Serve { .. }
        | Command::Invite { .. }
        | Command::Backup { .. }
        | Command::Revoke { .. }
        | Command::Ca { .. } => run_server_command(cli.command),
        _ => run(cli).map_err(|e| e.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            use std::io::IsTerminal;
            let line = format!("error: {err}");
            if std::io::stderr().is_terminal() {
                eprintln!("{}", terminal_safe(&line));
            } else {
                eprintln!("{line}");
            }
            ExitCode::FAILURE
        }
    }
}

/// The server's commands work on the server's database, not on a data directory.
fn run_server_command(command: Command) -> Result<(), String> {
    use scopepact_sync::{server, tokens};
    let now = chrono::Utc::now();
    match command {
        Command::Invite { db, name, expires } => {
            let lifetime = expires
                .as_deref()
                .map(tokens::parse_duration)
                .transpose()
                .map_err(|e| e.to_string())?;
            let conn = scopepact_store::connect(&db).map_err(|e| e.to_string())?;
            let token = tokens::invite(&conn, &name, lifetime, now).map_err(|e| e.to_string())?;
            eprintln!(
                "Token for {name}{}. It is shown only this once; the server keeps only its hash.",
                lifetime.map_or(String::new(), |l| format!(
                    ", valid until {}",
                    (now + l).to_rfc3339()
                ))
            );
            print(&format!("{token}\n")).map_err(|e| e.to_string())
        }
        Command::Backup { db, out } => {
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
        Command::Revoke { db, name } => {
            let conn = scopepact_store::connect(&db).map_err(|e| e.to_string())?;
            tokens::revoke(&conn, &name, now).map_err(|e| e.to_string())?;
            let certificates =
                scopepact_sync::authority::issued_to(&conn, &name).map_err(|e| e.to_string())?;
            eprintln!("{name}: token revoked, with the {certificates} certificate(s) issued to it");
            Ok(())
        }
        Command::Ca {
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
        Command::Ca {
            command: CaCommand::Export { db },
        } => {
            let conn = scopepact_store::connect(&db).map_err(|e| e.to_string())?;
            let pem = scopepact_sync::authority::root_pem(&conn)
                .map_err(|e| e.to_string())?
                .ok_or("this server has no company root: make one with `scopepact ca init`")?;
            print(&pem).map_err(|e| e.to_string())
        }
        Command::Serve {
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
            let mut file = match &config {
                Some(path) => {
                    scopepact_sync::config::ServerFile::load(path).map_err(|e| e.to_string())?
                }
                None => Default::default(),
            };
            // The command line over the file, key by key.
            let flags = scopepact_sync::config::ServerFile {
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
            file.overlay(flags);
            let db = file
                .db
                .clone()
                .ok_or("serve needs a database: --db FILE, or `db = \"…\"` in the --config file")?;
            let mut server_config = server::ServerConfig::new("127.0.0.1:8080", db);
            file.apply(&mut server_config);
            server_config.request_time = server_config
                .request_time
                .max(std::time::Duration::from_secs(1));
            let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
            runtime
                .block_on(server::serve(server_config, |_| {}, shutdown_signal()))
                .map_err(|e| e.to_string())
        }
        _ => Err("not a server command".into()),
    }
}

/// SIGTERM or Ctrl-C: stop accepting, finish, flush.
async fn shutdown_signal() {
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

fn open(data_dir: Option<PathBuf>, acting_as: Option<String>) -> Result<Workspace, WorkspaceError> {
    let mut ws = Workspace::open(data_dir)?;
    ws.act_as(acting_as)?;
    Ok(ws)
}

fn run(cli: Cli) -> Result<(), WorkspaceError> {
    let (data_dir, acting_as) = (cli.data_dir, cli.acting_as);
    let open = || open(data_dir.clone(), acting_as.clone());
    match cli.command {
        Command::Schema => {
            let schema = scopepact_scope::interchange::json_schema();
            print(&format!(
                "{}\n",
                serde_json::to_string_pretty(&schema).unwrap_or_default()
            ))
        }
        Command::Import { file, into: None } => {
            let id = open()?.import_file(&file)?;
            print(&format!("{id}\n"))
        }
        Command::Import {
            file,
            into: Some(doc_id),
        } => {
            let report = open()?.import_file_into(&file, &doc_id)?;
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
            format: Format::Pdf,
            output,
            paper,
        } => {
            let Some(path) = output else {
                return Err(WorkspaceError::WriteFile {
                    path: PathBuf::from("-"),
                    reason: "a PDF goes to a file: add -o FILE.pdf".into(),
                });
            };
            let paper = match paper {
                PaperSize::A4 => scopepact_pdf::Paper::A4,
                PaperSize::Letter => scopepact_pdf::Paper::Letter,
            };
            let bytes = open()?.export_pdf(&doc_id, paper)?;
            write_bytes_atomically(&path, &bytes)
        }
        Command::Countersign { file, output } => {
            let bytes = read_pdf(&file)?;
            let (signed, fields) = open()?.countersign_pdf(&bytes)?;
            let target = output.unwrap_or(file);
            write_bytes_atomically(&target, &signed)?;
            print(&format!(
                "{}: signed the {} field{}\n",
                target.display(),
                fields.join(" and the "),
                if fields.len() > 1 { "s" } else { "" }
            ))
        }
        Command::Verify { file, json, trust } => {
            let bytes = read_pdf(&file)?;
            let roots = match &trust {
                Some(path) => {
                    let text =
                        std::fs::read_to_string(path).map_err(|e| WorkspaceError::ReadFile {
                            path: path.clone(),
                            reason: e.to_string(),
                        })?;
                    scopepact_signing::certificate::read_chain(&text).map_err(|e| {
                        WorkspaceError::ReadFile {
                            path: path.clone(),
                            reason: e.to_string(),
                        }
                    })?
                }
                None => vec![],
            };
            let verified = open()?.verify_pdf_trusting(&bytes, &roots)?;
            if json {
                return print(&format!(
                    "{}\n",
                    serde_json::to_string_pretty(&verified).unwrap_or_default()
                ));
            }
            let mut text = format!(
                "{}: valid — “{}”, {} (document {}, content SHA-256 {})\nsealed by {} on {} (key {})\n",
                file.display(),
                verified.title,
                verified.status.replace('_', " "),
                verified.document_id,
                verified.content_sha256,
                verified.exported_by,
                verified.exported_at,
                verified.seal_fingerprint
            );
            if verified.signatures.is_empty() {
                text.push_str("no signatures\n");
            }
            for s in &verified.signatures {
                text.push_str(&format!(
                    "{} <{}>\t{}\t{}\tkey {}{}\tvalid\n",
                    s.signer,
                    s.email,
                    s.role,
                    s.time,
                    s.fingerprint,
                    s.witness
                        .as_ref()
                        .map(|w| format!(", witnessed by {w}"))
                        .unwrap_or_default()
                ));
            }
            for s in &verified.pdf_signatures {
                text.push_str(&format!(
                    "PDF signature\t{}\t{}\t{}\t{}\tissued by {} ({})\t{}\n",
                    s.field, s.signer, s.time, s.subject, s.issuer, s.issuer_name, s.verdict
                ));
            }
            for field in &verified.unsigned_fields {
                text.push_str(&format!("PDF signature\t{field}\tnot signed yet\n"));
            }
            print(&text)
        }
        Command::Export {
            doc_id,
            format: Format::Json,
            output,
            ..
        } => {
            let text = open()?.export_json(&doc_id)?;
            match output {
                Some(path) => write_file_atomically(&path, &text),
                None => print(&text),
            }
        }
        Command::Kpis {
            from,
            to,
            period,
            by,
            json,
            csv,
        } => {
            let by: scopepact_kpis::GroupBy = by.parse().map_err(WorkspaceError::from)?;
            let groups = match period {
                Some(name) => {
                    let period =
                        scopepact_kpis::Period::named(&name).map_err(WorkspaceError::from)?;
                    open()?.kpis_for(period, by)?
                }
                None => open()?.kpis(from.as_deref(), to.as_deref(), by)?,
            };
            if json {
                print(&format!(
                    "{}\n",
                    serde_json::to_string_pretty(&groups).unwrap_or_default()
                ))
            } else if csv {
                print(&scopepact_kpis::to_csv(&groups))
            } else {
                print(&kpi_report(&groups))
            }
        }
        Command::List { json } => {
            let list = open()?.list()?;
            if json {
                print(&format!(
                    "{}\n",
                    serde_json::to_string_pretty(&list).unwrap_or_default()
                ))
            } else {
                print(&table(&list))
            }
        }
        Command::Profile {
            command: ProfileCommand::Add { name, email, role },
        } => {
            let role = match role {
                ProfileRole::Commercial => Role::Commercial,
                ProfileRole::Operational => Role::Operational,
                ProfileRole::Executive => Role::Executive,
            };
            let profile = open()?.add_profile(&name, &email, role)?;
            print(&format!("{}\n", profile.id))
        }
        Command::Profile {
            command: ProfileCommand::List { json },
        } => {
            let ws = open()?;
            let acting = ws.acting_profile()?.map(|p| p.id);
            let profiles = ws.profiles()?;
            if json {
                return print(&format!(
                    "{}\n",
                    serde_json::to_string_pretty(&profiles).unwrap_or_default()
                ));
            }
            let mut out = String::new();
            for p in &profiles {
                let mark = if Some(&p.id) == acting.as_ref() {
                    "*"
                } else {
                    " "
                };
                out.push_str(&format!(
                    "{mark} {:<12} {}  <{}>\n",
                    role_label(p.role),
                    p.name,
                    p.email
                ));
            }
            print(&out)
        }
        Command::Status { doc_id, json } => {
            let report = open()?.status(&doc_id)?;
            if json {
                print(&format!("{}\n", status_json(&report)))
            } else {
                print(&status_text(&report))
            }
        }
        Command::Repair { doc_id, json } => {
            let (repaired, _) = open()?.repair(&doc_id)?;
            if json {
                return print(&format!(
                    "{}\n",
                    serde_json::to_string_pretty(&repaired).unwrap_or_default()
                ));
            }
            let mut out = String::new();
            if repaired.restored.is_empty() && repaired.left.is_empty() {
                out.push_str("nothing to repair: every value reads\n");
            }
            for line in &repaired.restored {
                out.push_str(&format!("restored {line}\n"));
            }
            for line in &repaired.left {
                out.push_str(&format!("left {line}\n"));
            }
            print(&out)
        }
        Command::Validate {
            doc_id,
            reference,
            verdict,
            note,
        } => {
            let mut ws = open()?;
            let id = ws.item_id_by_ref(&doc_id, &reference)?;
            let verdict = match verdict {
                Verdict::Feasible => ValidationStatus::Feasible,
                Verdict::Conditional => ValidationStatus::Conditional,
                Verdict::Infeasible => ValidationStatus::Infeasible,
            };
            edit_and_report(
                &mut ws,
                &doc_id,
                &Edit::ValidateCommitment { id, verdict, note },
            )
        }
        Command::Ambiguity {
            command:
                AmbiguityCommand::Resolve {
                    doc_id,
                    reference,
                    answer,
                },
        } => {
            let mut ws = open()?;
            let id = ws.item_id_by_ref(&doc_id, &reference)?;
            edit_and_report(&mut ws, &doc_id, &Edit::ResolveAmbiguity { id, answer })
        }
        Command::Ambiguity {
            command:
                AmbiguityCommand::Transfer {
                    doc_id,
                    reference,
                    owner,
                    due,
                },
        } => {
            let mut ws = open()?;
            let id = ws.item_id_by_ref(&doc_id, &reference)?;
            edit_and_report(
                &mut ws,
                &doc_id,
                &Edit::TransferAmbiguity { id, owner, due },
            )
        }
        Command::Meeting { command } => handoff::meeting(&mut open()?, command),
        Command::Rework { command } => handoff::rework(&mut open()?, command),
        Command::Satisfaction { command } => handoff::satisfaction(&mut open()?, command),
        Command::Agree {
            doc_id,
            list,
            number,
        } => {
            let mut ws = open()?;
            let list = match list {
                List::Assumption => AgreementList::Assumption,
                List::Exclusion => AgreementList::Exclusion,
            };
            let id = ws.agreement_id(&doc_id, list, number)?;
            edit_and_report(&mut ws, &doc_id, &Edit::Agree { list, id })
        }
        Command::Serve { .. }
        | Command::Invite { .. }
        | Command::Backup { .. }
        | Command::Revoke { .. }
        | Command::Ca { .. } => {
            unreachable!("server commands run in run_server_command")
        }
        Command::Sync {
            server,
            token,
            timeout,
        } => {
            let mut ws = open()?;
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
            eprintln!(
                "synced {} document(s) with {}: {} received changes, {} new here",
                outcome.documents.len(),
                server,
                outcome.received.len(),
                new
            );
            // The company's authority: learn its root and revocations, get certificates.
            let requests = ws.certificate_requests()?;
            let exchange = runtime
                .block_on(scopepact_sync::client::exchange_certificates(
                    &server, &token, &requests,
                ))
                .map_err(WorkspaceError::Sync)?;
            let adopted = ws.adopt_certificates(&exchange)?;
            if adopted > 0 {
                eprintln!("{adopted} profile certificate(s) issued by the company root");
            }
            Ok(())
        }
        Command::Sign {
            doc_id,
            statement,
            role,
            customer_name,
            customer_email,
        } => {
            let mut ws = open()?;
            let role = match role {
                Some(SignAs::CommercialLead) => SignerRole::CommercialLead,
                Some(SignAs::OperationalLead) => SignerRole::OperationalLead,
                Some(SignAs::Customer) => SignerRole::Customer,
                None => match ws.acting_profile()?.map(|p| p.role) {
                    Some(Role::Operational) => SignerRole::OperationalLead,
                    _ => SignerRole::CommercialLead,
                },
            };
            let view = ws.sign(
                &doc_id,
                &SignRequest {
                    role,
                    name: customer_name,
                    email: customer_email,
                    statement,
                    drawing: vec![],
                },
            )?;
            let missing: Vec<&str> = view.missing_signatures.iter().map(|r| r.as_str()).collect();
            eprintln!(
                "{doc_id}: signed as {}; {}",
                role.as_str(),
                if missing.is_empty() {
                    "every required signature holds: the scope is sealed".to_string()
                } else {
                    format!("still needed: {}", missing.join(", "))
                }
            );
            Ok(())
        }
        Command::Amend { doc_id, reason } => {
            edit_and_report(&mut open()?, &doc_id, &Edit::StartAmendment { reason })
        }
        Command::Override {
            doc_id,
            gate,
            reference,
            reason,
        } => {
            let gate = match gate {
                Gate::Economics => OverrideGate::Economics,
                Gate::Ambiguity => OverrideGate::Ambiguity,
            };
            edit_and_report(
                &mut open()?,
                &doc_id,
                &Edit::Override {
                    gate,
                    reference,
                    reason,
                },
            )
        }
    }
}

/// Applies the edit and tells, on stderr, where the document stands now.
fn edit_and_report(ws: &mut Workspace, doc_id: &str, edit: &Edit) -> Result<(), WorkspaceError> {
    ws.edit(doc_id, edit)?;
    let report = ws.status(doc_id)?;
    eprintln!(
        "{doc_id}: {} ({} condition(s) left)",
        report.status.as_str(),
        report.reasons.len()
    );
    Ok(())
}

/// A PDF given on the command line, read up to the size `verify` accepts.
fn read_pdf(path: &std::path::Path) -> Result<Vec<u8>, WorkspaceError> {
    use std::io::Read;
    let unreadable = |e: std::io::Error| WorkspaceError::ReadFile {
        path: path.to_path_buf(),
        reason: e.to_string(),
    };
    let mut bytes = vec![];
    std::fs::File::open(path)
        .map_err(unreadable)?
        .take(scopepact_pdf::MAX_PDF_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    Ok(bytes)
}

fn role_label(role: Role) -> &'static str {
    match role {
        Role::Commercial => "commercial",
        Role::Operational => "operational",
        Role::Executive => "executive",
    }
}

fn status_json(report: &StatusReport) -> String {
    serde_json::to_string_pretty(&StatusJson {
        status: report.status.as_str(),
        reasons: &report.reasons,
        economics: EconomicsJson {
            revenue: report.economics.revenue,
            cost: report.economics.cost,
            margin_pct: report.economics.margin_pct,
        },
        damage: &report.damage,
    })
    .unwrap_or_default()
}

fn status_text(report: &StatusReport) -> String {
    let e = &report.economics;
    let mut out = format!("status: {}\n", report.status.as_str());
    out.push_str(&format!(
        "economics: revenue {} · cost {} · margin {}\n",
        e.revenue,
        e.cost,
        e.margin_pct
            .map_or_else(|| "—".to_string(), |m| format!("{m:.1} %"))
    ));
    if !report.reasons.is_empty() {
        out.push_str("unmet conditions:\n");
        for r in &report.reasons {
            out.push_str(&format!("  - {}\n", r.message));
        }
    }
    if !report.damage.is_empty() {
        out.push_str("damaged values (scopepact repair DOC_ID restores them):\n");
        for d in &report.damage {
            out.push_str(&format!(
                "  - {} {}: {} found, {} expected; written by {}{}\n",
                d.item,
                d.field,
                d.found,
                d.expected,
                d.by,
                if d.device.is_empty() {
                    String::new()
                } else {
                    format!(" on {}", d.device)
                }
            ));
        }
    }
    out
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
/// Text as a terminal may show it: control characters (a title holding an escape sequence that
/// would retitle the window or hide the lines after it) are written as `\u{1b}`, except new
/// lines and tabs.
fn terminal_safe(text: &str) -> std::borrow::Cow<'_, str> {
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

fn print(text: &str) -> Result<(), WorkspaceError> {
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

/// The indicators for people: one block per group.
fn kpi_report(groups: &[scopepact_kpis::GroupKpis]) -> String {
    let ratio = |v: Option<f64>| v.map_or("–".to_string(), |n| format!("{n:.2}"));
    let share = |v: Option<f64>| v.map_or("–".to_string(), |n| format!("{:.0} %", n * 100.0));
    let days = |v: Option<f64>| v.map_or("–".to_string(), |n| format!("{n:.1} d"));
    let mut out = String::new();
    if groups.is_empty() {
        out.push_str("nothing happened in this period\n");
    }
    for g in groups {
        let stopped_value = match g.stopped_value {
            Some(v) => format!("{v:.0}"),
            None => g
                .stopped_value_by_currency
                .iter()
                .map(|(c, v)| format!("{v:.0} {c}"))
                .collect::<Vec<_>>()
                .join(" + "),
        };
        let lines = [
            ("deals", g.deals.to_string()),
            (
                "stopped at validation",
                format!("{} (value {stopped_value})", g.stopped_at_validation),
            ),
            ("signed deals", g.signed_deals.to_string()),
            (
                "ambiguities transferred per signed deal",
                ratio(g.ambiguities_transferred_per_signed_deal),
            ),
            ("handed-off deals", g.handed_off_deals.to_string()),
            (
                "rework per handed-off deal",
                format!(
                    "{} entries, {} h, cost {}",
                    ratio(g.rework_entries_per_handed_off_deal),
                    ratio(g.rework_hours_per_handed_off_deal),
                    ratio(g.rework_cost_per_handed_off_deal)
                ),
            ),
            (
                "rework from transferred ambiguities",
                share(g.rework_share_from_transferred_ambiguities),
            ),
            (
                "customer satisfaction",
                format!(
                    "{} ({} answers)",
                    ratio(g.avg_customer_satisfaction),
                    g.satisfaction_responses
                ),
            ),
            (
                "median draft → ready → signed → handed off",
                format!(
                    "{} → {} → {}",
                    days(g.median_days_draft_to_ready),
                    days(g.median_days_ready_to_signed),
                    days(g.median_days_signed_to_handed_off)
                ),
            ),
            (
                "meetings with full attendance",
                format!(
                    "{} of {} held",
                    share(g.full_attendance_share),
                    g.meetings_held
                ),
            ),
        ];
        out.push_str(&format!("{}\n", g.group));
        for (label, value) in lines {
            out.push_str(&format!("  {label:<44} {value}\n"));
        }
    }
    out
}
