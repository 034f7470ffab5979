//! Signing: co-signing, amending a signed scope, verifying and countersigning a signed PDF.

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
        } => {
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
        Commands::Amend { doc_id, reason } => {
            edit_and_report(&mut cx.open()?, &doc_id, &Edit::StartAmendment { reason })
        }
        Commands::Verify { file, json, trust } => {
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
            let verified = cx.open()?.verify_pdf_trusting(&bytes, &roots)?;
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
        Commands::Countersign { file, output } => {
            let bytes = read_pdf(&file)?;
            let (signed, fields) = cx.open()?.countersign_pdf(&bytes)?;
            let target = output.unwrap_or(file);
            write_bytes_atomically(&target, &signed)?;
            print(&format!(
                "{}: signed the {} field{}\n",
                target.display(),
                fields.join(" and the "),
                if fields.len() > 1 { "s" } else { "" }
            ))
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
