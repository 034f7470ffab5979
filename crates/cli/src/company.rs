//! What belongs to the company: its settings, the templates per product line, and new deals
//! (from a template or empty).

use std::path::PathBuf;

use clap::Subcommand;
use scopepact_messages::message;
use scopepact_workspace::{write_file_atomically, CompanySettings, WorkspaceError};

use crate::output::{print, say};
use crate::Session;

#[derive(Subcommand)]
pub enum Commands {
    /// The company's settings: name, currency, the thresholds new deals start from, who may
    /// act as executive (synced to every device).
    Settings {
        #[command(subcommand)]
        command: SettingsCommand,
    },
    /// Templates per product line: the commitments, assumptions, exclusions and usual
    /// questions a new deal starts from.
    Template {
        #[command(subcommand)]
        command: TemplateCommand,
    },
    /// Create a deal and print its id: empty, or from a template (commitments pending).
    New {
        #[arg(long)]
        title: String,
        /// The template's name (see `template list`).
        #[arg(long)]
        template: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum SettingsCommand {
    /// Print the settings.
    Show {
        /// One object: company_name, currency, significant_value, min_margin_pct,
        /// product_lines (line → minimum margin), executives, logo.
        #[arg(long)]
        json: bool,
    },
    /// Who changed the company document (settings, templates, retirements), when and what.
    History {
        /// An array of {at, by, email, device, what}, oldest first.
        #[arg(long)]
        json: bool,
    },
    /// Change one setting (an executive only). KEY: company_name, currency,
    /// significant_value, min_margin_pct, min_margin_pct.LINE, executives (emails, comma
    /// separated), logo (a PNG or JPEG file). An empty VALUE clears it.
    Set {
        key: String,
        /// A negative number is read as the value (and refused for what it is).
        #[arg(allow_hyphen_values = true)]
        value: String,
    },
}

#[derive(Subcommand)]
pub enum TemplateCommand {
    /// The templates, by name.
    List {
        /// An array of objects: name, product_line, commitments, questions, saved_by, saved_at.
        #[arg(long)]
        json: bool,
    },
    /// Make a template of a signed deal (its verdicts, answers, customer and figures left out).
    Save {
        doc_id: String,
        #[arg(long)]
        name: String,
        /// The product line whose minimum margin deals from it start with.
        #[arg(long, default_value = "")]
        product_line: String,
    },
    /// Add (or replace) a template from a scopepact/v1 file with a "template" marker.
    Import { file: PathBuf },
    /// Write a template as a scopepact/v1 file.
    Export {
        name: String,
        /// Output file (default: standard output).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Remove a template.
    Remove { name: String },
}

pub fn run(cx: &Session, command: Commands) -> Result<(), WorkspaceError> {
    match command {
        Commands::Settings {
            command: SettingsCommand::Show { json },
        } => {
            let settings = cx.open()?.company_settings()?;
            show_settings(&settings, json)
        }
        Commands::Settings {
            command: SettingsCommand::History { json },
        } => {
            let changes = cx.open()?.company_history()?;
            if json {
                return print(&format!(
                    "{}\n",
                    serde_json::to_string_pretty(&changes).unwrap_or_default()
                ));
            }
            let lines: String = changes
                .iter()
                .map(|c| format!("{}\t{}\t{}\t{}\n", c.at, c.by, c.device, c.what))
                .collect();
            print(&lines)
        }
        Commands::Settings {
            command: SettingsCommand::Set { key, value },
        } => {
            let settings = cx.open()?.set_setting(&key, &value)?;
            show_settings(&settings, false)
        }
        Commands::Template { command } => template(cx, command),
        Commands::New { title, template } => {
            let mut ws = cx.open()?;
            let view = match template {
                Some(name) => ws.create_from_template(&name, &title)?,
                None => ws.create(&title)?,
            };
            print(&format!("{}\n", view.id))
        }
    }
}

fn show_settings(s: &CompanySettings, json: bool) -> Result<(), WorkspaceError> {
    if json {
        return print(&format!(
            "{}\n",
            serde_json::to_string_pretty(s).unwrap_or_default()
        ));
    }
    let number = |n: Option<f64>| n.map_or_else(String::new, |n| n.to_string());
    let mut out = format!(
        "company_name\t{}\ncurrency\t{}\nsignificant_value\t{}\nmin_margin_pct\t{}\n",
        s.company_name,
        s.currency,
        number(s.significant_value),
        number(s.min_margin_pct)
    );
    for (line, pct) in &s.product_lines {
        out.push_str(&format!("min_margin_pct.{line}\t{pct}\n"));
    }
    out.push_str(&format!("executives\t{}\n", s.executives.join(", ")));
    if let Some(logo) = &s.logo {
        out.push_str(&format!(
            "logo\t{} {}×{} ({} bytes)\n",
            logo.format, logo.width, logo.height, logo.bytes
        ));
    }
    print(&out)
}

fn template(cx: &Session, command: TemplateCommand) -> Result<(), WorkspaceError> {
    match command {
        TemplateCommand::List { json } => {
            let templates = cx.open()?.templates()?;
            if json {
                return print(&format!(
                    "{}\n",
                    serde_json::to_string_pretty(&templates).unwrap_or_default()
                ));
            }
            let mut out = String::new();
            for t in &templates {
                out.push_str(&format!(
                    "{}\t{}\n",
                    t.name,
                    say(&message!(
                        "cli-template-line",
                        line = &t.product_line,
                        commitments = t.commitments,
                        questions = t.questions,
                        by = &t.saved_by
                    ))
                ));
            }
            print(&out)
        }
        TemplateCommand::Save {
            doc_id,
            name,
            product_line,
        } => {
            let saved = cx.open()?.save_template(&doc_id, &name, &product_line)?;
            print(&format!("{}\n", saved.name))
        }
        TemplateCommand::Import { file } => {
            let saved = cx.open()?.import_template(&file)?;
            print(&format!("{}\n", saved.name))
        }
        TemplateCommand::Export { name, output } => {
            let text = cx.open()?.export_template(&name)?;
            match output {
                Some(path) => write_file_atomically(&path, &text),
                None => print(&text),
            }
        }
        TemplateCommand::Remove { name } => cx.open()?.remove_template(&name),
    }
}
