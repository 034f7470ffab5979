//! `meeting`, `rework` and `satisfaction`: the handoff from scripts and integrations (an ERP
//! that logs rework, a tool that records the transfer meeting). Each is one edit with the same
//! rules as the app; what it creates is printed (its id, or `{"id", "status"}` with `--json`).

use clap::{Subcommand, ValueEnum};
use scopepact_scope::edit::{AttendeeRole, Edit, ReworkCause};
use scopepact_workspace::{Workspace, WorkspaceError};

use crate::output::{edit_and_report, print};
use crate::Session;

#[derive(Subcommand)]
pub enum Commands {
    /// The transfer meeting: schedule, attend, held, decision, action.
    Meeting {
        #[command(subcommand)]
        command: MeetingCommand,
    },
    /// The rework log after the handoff: add, remove.
    Rework {
        #[command(subcommand)]
        command: ReworkCommand,
    },
    /// The customer's satisfaction, which closes the deal.
    Satisfaction {
        #[command(subcommand)]
        command: SatisfactionCommand,
    },
}

pub fn run(cx: &Session, command: Commands) -> Result<(), WorkspaceError> {
    let mut ws = cx.open()?;
    match command {
        Commands::Meeting { command } => meeting(&mut ws, command),
        Commands::Rework { command } => rework(&mut ws, command),
        Commands::Satisfaction { command } => satisfaction(&mut ws, command),
    }
}

#[derive(Subcommand)]
pub enum MeetingCommand {
    /// Schedule the transfer meeting.
    Schedule {
        doc_id: String,
        /// YYYY-MM-DD or YYYY-MM-DDTHH:MM (UTC), or RFC 3339.
        #[arg(long, value_name = "WHEN")]
        at: String,
        #[arg(long, default_value = "")]
        place: String,
    },
    /// Record who attended (or was expected and did not come, with --absent). An attendee with
    /// the same email (or, without one, the same name) is updated, not added twice.
    Attend {
        doc_id: String,
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "")]
        email: String,
        #[arg(long, value_enum)]
        role: AttendeeAs,
        #[arg(long)]
        absent: bool,
        #[arg(long)]
        json: bool,
    },
    /// Record the meeting as held (the scope must be signed); the deal is handed off when
    /// everyone mandatory was there.
    Held {
        doc_id: String,
        /// When it was held (default: now).
        #[arg(long, value_name = "WHEN")]
        at: Option<String>,
    },
    /// Record a decision taken in the meeting.
    Decision {
        doc_id: String,
        text: String,
        #[arg(long)]
        json: bool,
    },
    /// Record an action item with its owner.
    Action {
        doc_id: String,
        text: String,
        #[arg(long)]
        owner: String,
        /// YYYY-MM-DD.
        #[arg(long, value_name = "DATE")]
        due: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum ReworkCommand {
    /// Log rework after the handoff (the deal must be handed off).
    Add {
        doc_id: String,
        /// YYYY-MM-DD (default: today).
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
        #[arg(long, value_enum)]
        cause: Cause,
        /// The ambiguity that caused it (with --cause ambiguity), e.g. A-02.
        #[arg(long, value_name = "REF")]
        ambiguity: Option<String>,
        /// A commitment it concerns, e.g. C-03 (repeat for several).
        #[arg(long = "commitment", value_name = "REF")]
        commitments: Vec<String>,
        #[arg(long)]
        cost: Option<f64>,
        #[arg(long)]
        hours: Option<f64>,
        /// What had to be redone.
        #[arg(long)]
        description: String,
        #[arg(long)]
        json: bool,
    },
    /// Take back a rework entry logged by mistake (its id, as `add` printed it).
    Remove { doc_id: String, id: String },
}

#[derive(Subcommand)]
pub enum SatisfactionCommand {
    /// The customer's satisfaction, 0 to 10 (after the handoff): it closes the deal.
    Set {
        doc_id: String,
        score: u8,
        #[arg(long, default_value = "")]
        comment: String,
        /// YYYY-MM-DD (default: today).
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum AttendeeAs {
    CommercialLead,
    OperationalLead,
    Customer,
    Other,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Cause {
    Ambiguity,
    ScopeChange,
    Execution,
    Other,
}

fn today() -> String {
    chrono::Utc::now().date_naive().to_string()
}

/// Applies an edit that creates something and prints its id (or JSON with the status).
fn create(ws: &mut Workspace, doc_id: &str, edit: &Edit, json: bool) -> Result<(), WorkspaceError> {
    let (outcome, _) = ws.edit(doc_id, edit)?;
    let id = outcome.created_id.unwrap_or_default();
    let status = ws.status(doc_id)?.status;
    if json {
        let out = serde_json::json!({ "id": id, "status": status.as_str() });
        print(&format!("{out}\n"))
    } else {
        eprintln!("{doc_id}: {}", status.as_str());
        print(&format!("{id}\n"))
    }
}

fn meeting(ws: &mut Workspace, command: MeetingCommand) -> Result<(), WorkspaceError> {
    match command {
        MeetingCommand::Schedule { doc_id, at, place } => {
            edit_and_report(ws, &doc_id, &Edit::ScheduleMeeting { at, place })
        }
        MeetingCommand::Attend {
            doc_id,
            name,
            email,
            role,
            absent,
            json,
        } => {
            let id = existing_attendee(ws, &doc_id, &name, &email)?;
            let role = match role {
                AttendeeAs::CommercialLead => AttendeeRole::CommercialLead,
                AttendeeAs::OperationalLead => AttendeeRole::OperationalLead,
                AttendeeAs::Customer => AttendeeRole::Customer,
                AttendeeAs::Other => AttendeeRole::Other,
            };
            let edit = Edit::SetAttendee {
                id,
                name,
                email,
                role,
                present: !absent,
            };
            create(ws, &doc_id, &edit, json)
        }
        MeetingCommand::Held { doc_id, at } => {
            let at = at.unwrap_or_else(|| {
                chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            });
            edit_and_report(ws, &doc_id, &Edit::RecordMeetingHeld { at })
        }
        MeetingCommand::Decision { doc_id, text, json } => {
            create(ws, &doc_id, &Edit::AddDecision { text }, json)
        }
        MeetingCommand::Action {
            doc_id,
            text,
            owner,
            due,
            json,
        } => create(ws, &doc_id, &Edit::AddActionItem { text, owner, due }, json),
    }
}

/// The attendee this person already is: same email when one is given, else same name.
fn existing_attendee(
    ws: &mut Workspace,
    doc_id: &str,
    name: &str,
    email: &str,
) -> Result<Option<String>, WorkspaceError> {
    let view = ws.view(doc_id)?;
    let same = |a: &&scopepact_scope::view::AttendeeView| {
        if email.trim().is_empty() {
            a.email.trim().is_empty() && a.name.trim() == name.trim()
        } else {
            a.email.trim().eq_ignore_ascii_case(email.trim())
        }
    };
    Ok(view
        .meeting
        .attendees
        .iter()
        .find(same)
        .map(|a| a.id.clone()))
}

fn rework(ws: &mut Workspace, command: ReworkCommand) -> Result<(), WorkspaceError> {
    match command {
        ReworkCommand::Add {
            doc_id,
            date,
            cause,
            ambiguity,
            commitments,
            cost,
            hours,
            description,
            json,
        } => {
            let cause = match cause {
                Cause::Ambiguity => ReworkCause::Ambiguity,
                Cause::ScopeChange => ReworkCause::ScopeChange,
                Cause::Execution => ReworkCause::Execution,
                Cause::Other => ReworkCause::Other,
            };
            let edit = Edit::AddRework {
                date: date.unwrap_or_else(today),
                commitments,
                cause,
                ambiguity,
                cost,
                hours,
                description,
            };
            create(ws, &doc_id, &edit, json)
        }
        ReworkCommand::Remove { doc_id, id } => {
            edit_and_report(ws, &doc_id, &Edit::RemoveRework { id })
        }
    }
}

fn satisfaction(ws: &mut Workspace, command: SatisfactionCommand) -> Result<(), WorkspaceError> {
    match command {
        SatisfactionCommand::Set {
            doc_id,
            score,
            comment,
            date,
        } => {
            let edit = Edit::RecordSatisfaction {
                score,
                comment,
                date: date.unwrap_or_else(today),
            };
            edit_and_report(ws, &doc_id, &edit)
        }
    }
}
