//! Documents: import and export (JSON, the signed PDF), list, the JSON Schema, the status and
//! its gate, and repairing values a peer wrote unreadably.

use crate::output::say;
use scopepact_messages::message;
use std::path::PathBuf;

use clap::{Subcommand, ValueEnum};
use scopepact_scope::view::DocumentSummary;
use scopepact_workspace::{
    write_bytes_atomically, write_file_atomically, StatusReport, WorkspaceError,
};

use crate::output::print;
use crate::Session;

#[derive(Subcommand)]
pub enum Commands {
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
    /// List the documents of the data directory.
    List {
        /// An array of objects with id, title, customer, value, currency, status, updated_at.
        #[arg(long)]
        json: bool,
    },
    /// Print the JSON Schema of the scopepact/v1 format.
    Schema,
    /// The lifecycle status, every unmet condition of the gate, and the economics.
    Status {
        doc_id: String,
        /// {"status", "reasons": [{"code", "ref", "message"}], "economics": {"revenue", "cost", "margin_pct"},
        /// "thresholds": {"overrides": [{"threshold", "company", "deal"}], "reason"}, "damage": [...]}
        #[arg(long)]
        json: bool,
    },
    /// Restore every value of the document that does not read (written by a broken or hostile
    /// peer) to the last value that read; lists what it restored and what is left to enter again.
    Repair {
        doc_id: String,
        /// {"restored": [TEXT], "left": [TEXT]}
        #[arg(long)]
        json: bool,
    },
}

pub fn run(cx: &Session, command: Commands) -> Result<(), WorkspaceError> {
    match command {
        Commands::Import { file, into: None } => {
            let id = cx.open()?.import_file(&file)?;
            print(&format!("{id}\n"))
        }
        Commands::Import {
            file,
            into: Some(doc_id),
        } => {
            let report = cx.open()?.import_file_into(&file, &doc_id)?;
            let said = say(&message!(
                "cli-imported-into",
                doc = &doc_id,
                commitments_added = report.commitments_added,
                commitments_matched = report.commitments_updated,
                ambiguities_added = report.ambiguities_added,
                ambiguities_matched = report.ambiguities_updated
            ));
            eprintln!("{said}");
            Ok(())
        }
        Commands::Export {
            doc_id,
            format: Format::Pdf,
            output,
            paper,
        } => export_pdf(cx, &doc_id, output, paper),
        Commands::Export {
            doc_id,
            format: Format::Json,
            output,
            ..
        } => {
            let text = cx.open()?.export_json(&doc_id)?;
            match output {
                Some(path) => write_file_atomically(&path, &text),
                None => print(&text),
            }
        }
        Commands::List { json } => {
            let list = cx.open()?.list()?;
            if json {
                print(&format!(
                    "{}\n",
                    serde_json::to_string_pretty(&list).unwrap_or_default()
                ))
            } else {
                print(&table(&list))
            }
        }
        Commands::Schema => {
            let schema = scopepact_scope::interchange::json_schema();
            print(&format!(
                "{}\n",
                serde_json::to_string_pretty(&schema).unwrap_or_default()
            ))
        }
        Commands::Status { doc_id, json } => {
            let report = cx.open()?.status(&doc_id)?;
            if json {
                print(&format!("{}\n", status_json(&report)))
            } else {
                print(&status_text(&report))
            }
        }
        Commands::Repair { doc_id, json } => repair(cx, &doc_id, json),
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum Format {
    Json,
    Pdf,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum PaperSize {
    A4,
    Letter,
}

/// `status --json`: exactly the shape scripts rely on.
#[derive(serde::Serialize)]
pub(crate) struct StatusJson<'a> {
    status: &'a str,
    reasons: &'a [scopepact_scope::validation::GateReason],
    economics: EconomicsJson,
    /// Where the deal's thresholds depart from the company's, and the reason given.
    thresholds: ThresholdsJson<'a>,
    damage: &'a [scopepact_scope::damage::Damage],
}

#[derive(serde::Serialize)]
pub(crate) struct ThresholdsJson<'a> {
    overrides: &'a [scopepact_scope::validation::ThresholdOverride],
    reason: &'a str,
}

#[derive(serde::Serialize)]
pub(crate) struct EconomicsJson {
    revenue: f64,
    cost: f64,
    margin_pct: Option<f64>,
}

pub(crate) fn status_json(report: &StatusReport) -> String {
    serde_json::to_string_pretty(&StatusJson {
        status: report.status.as_str(),
        reasons: &report.reasons,
        economics: EconomicsJson {
            revenue: report.economics.revenue,
            cost: report.economics.cost,
            margin_pct: report.economics.margin_pct,
        },
        thresholds: ThresholdsJson {
            overrides: &report.threshold_overrides,
            reason: &report.thresholds_reason,
        },
        damage: &report.damage,
    })
    .unwrap_or_default()
}

pub(crate) fn status_text(report: &StatusReport) -> String {
    let e = &report.economics;
    let margin = e
        .margin_pct
        .map_or_else(|| "—".to_string(), |m| format!("{m:.1} %"));
    let mut out = say(&message!("cli-status", status = report.status.as_str()));
    out.push('\n');
    out.push_str(&say(&message!(
        "cli-economics",
        revenue = e.revenue.to_string(),
        cost = e.cost.to_string(),
        margin = margin
    )));
    out.push('\n');
    for o in &report.threshold_overrides {
        let deal = o.deal.map_or_else(|| "—".to_string(), |v| v.to_string());
        out.push_str(&say(&message!(
            "cli-threshold-override",
            threshold = match o.threshold {
                scopepact_scope::validation::Threshold::SignificantValue => "significant_value",
                scopepact_scope::validation::Threshold::MinMarginPct => "min_margin_pct",
            },
            deal = deal,
            company = o.company.to_string(),
            reason = report.thresholds_reason.as_str()
        )));
        out.push('\n');
    }
    if !report.reasons.is_empty() {
        out.push_str(&say(&message!("cli-unmet-conditions")));
        out.push('\n');
        for r in &report.reasons {
            out.push_str(&format!("  - {}\n", say(&r.said)));
        }
    }
    if !report.damage.is_empty() {
        out.push_str(&say(&message!("cli-damaged-values")));
        out.push('\n');
        for d in &report.damage {
            let said = say(&if d.device.is_empty() {
                message!("cli-damaged-value")
            } else {
                message!("cli-damaged-value-on", device = &d.device)
            }
            .with("item", &d.item)
            .with("field", &d.field)
            .with("found", &d.found)
            .with("expected", &d.expected)
            .with("by", &d.by));
            out.push_str(&format!("  - {said}\n"));
        }
    }
    out
}

pub(crate) fn table(list: &[DocumentSummary]) -> String {
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

fn repair(cx: &Session, doc_id: &str, json: bool) -> Result<(), WorkspaceError> {
    let (repaired, _) = cx.open()?.repair(doc_id)?;
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

fn export_pdf(
    cx: &Session,
    doc_id: &str,
    output: Option<PathBuf>,
    paper: PaperSize,
) -> Result<(), WorkspaceError> {
    let Some(path) = output else {
        return Err(WorkspaceError::WriteFile {
            path: PathBuf::from("-"),
            reason: say(&message!("cli-pdf-needs-file")),
        });
    };
    let paper = match paper {
        PaperSize::A4 => scopepact_pdf::Paper::A4,
        PaperSize::Letter => scopepact_pdf::Paper::Letter,
    };
    let bytes = cx.open()?.export_pdf(doc_id, paper)?;
    write_bytes_atomically(&path, &bytes)
}
