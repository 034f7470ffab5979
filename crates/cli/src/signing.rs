//! Signing: co-signing, amending a signed scope, verifying and countersigning a signed PDF.

use crate::output::say;
use scopepact_messages::message;
use std::path::PathBuf;

use clap::{Subcommand, ValueEnum};
use scopepact_scope::edit::Edit;
use scopepact_scope::interchange::Role;
use scopepact_scope::refusal::SignerRole;
use scopepact_scope::signing::SignRequest;
use scopepact_workspace::{write_bytes_atomically, WorkspaceError};

use crate::output::{edit_and_report, print};
use crate::Session;

#[derive(Subcommand)]
pub enum Commands {
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
}

pub fn run(cx: &Session, command: Commands) -> Result<(), WorkspaceError> {
    match command {
        Commands::Sign {
            doc_id,
            statement,
            role,
            customer_name,
            customer_email,
        } => sign(cx, doc_id, statement, role, customer_name, customer_email),
        Commands::Amend { doc_id, reason } => {
            edit_and_report(&mut cx.open()?, &doc_id, &Edit::StartAmendment { reason })
        }
        Commands::Verify { file, json, trust } => verify(cx, file, json, trust),
        Commands::Countersign { file, output } => {
            let bytes = read_pdf(&file)?;
            let (signed, fields) = cx.open()?.countersign_pdf(&bytes)?;
            let target = output.unwrap_or(file);
            write_bytes_atomically(&target, &signed)?;
            let said = say(&message!(
                "cli-countersigned",
                file = target.display().to_string(),
                fields = fields.join(", "),
                count = fields.len()
            ));
            print(&format!("{said}\n"))
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum SignAs {
    CommercialLead,
    OperationalLead,
    Customer,
}

/// A PDF given on the command line, read up to the size `verify` accepts.
pub(crate) fn read_pdf(path: &std::path::Path) -> Result<Vec<u8>, WorkspaceError> {
    scopepact_workspace::read_file_bounded(path, scopepact_pdf::MAX_PDF_BYTES as u64)
}

fn verify(
    cx: &Session,
    file: PathBuf,
    json: bool,
    trust: Option<PathBuf>,
) -> Result<(), WorkspaceError> {
    let bytes = read_pdf(&file)?;
    let roots = match &trust {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| WorkspaceError::ReadFile {
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
    let verified = cx.open()?.verify_pdf_trusting(&bytes, &roots)?;
    if json {
        return print(&format!(
            "{}\n",
            serde_json::to_string_pretty(&verified).unwrap_or_default()
        ));
    }
    let mut text = say(&message!(
        "cli-verified",
        file = file.display().to_string(),
        title = &verified.title,
        status = verified.status.replace('_', " "),
        document = &verified.document_id,
        sha256 = &verified.content_sha256,
        by = &verified.exported_by,
        at = &verified.exported_at,
        key = &verified.seal_fingerprint
    ));
    text.push('\n');
    if verified.signatures.is_empty() {
        text.push_str(&say(&message!("cli-no-signatures")));
        text.push('\n');
    }
    for s in &verified.signatures {
        let said = say(&match &s.witness {
            Some(witness) => message!("cli-verified-witnessed", witness = witness),
            None => message!("cli-verified-signature"),
        }
        .with("signer", &s.signer)
        .with("email", &s.email)
        .with("role", &s.role)
        .with("time", &s.time)
        .with("key", &s.fingerprint)
        .with("tab", "\t"));
        text.push_str(&format!("{said}\n"));
    }
    for s in &verified.pdf_signatures {
        let said = say(&message!(
            "cli-verified-pdf-signature",
            field = &s.field,
            signer = &s.signer,
            time = &s.time,
            subject = &s.subject,
            issuer = &s.issuer,
            issuer_name = &s.issuer_name,
            verdict = &s.verdict,
            tab = "\t"
        ));
        text.push_str(&format!("{said}\n"));
    }
    for field in &verified.unsigned_fields {
        let said = say(&message!("cli-unsigned-field", field = field, tab = "\t"));
        text.push_str(&format!("{said}\n"));
    }
    print(&text)
}

fn sign(
    cx: &Session,
    doc_id: String,
    statement: String,
    role: Option<SignAs>,
    customer_name: Option<String>,
    customer_email: Option<String>,
) -> Result<(), WorkspaceError> {
    let mut ws = cx.open()?;
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
    let said = say(&if missing.is_empty() {
        message!("cli-signed-sealed")
    } else {
        message!("cli-signed-missing", missing = missing.join(", "))
    }
    .with("doc", &doc_id)
    .with("role", role.as_str()));
    eprintln!("{said}");
    Ok(())
}
