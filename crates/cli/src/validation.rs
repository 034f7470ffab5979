//! Validation: operations' verdicts, the ambiguity register, the other side's agreement, and
//! executive overrides.

use clap::{Subcommand, ValueEnum};
use scopepact_scope::edit::{AgreementList, Edit, OverrideGate};
use scopepact_scope::interchange::ValidationStatus;
use scopepact_workspace::WorkspaceError;

use crate::output::edit_and_report;
use crate::Session;

#[derive(Subcommand)]
pub enum Commands {
    /// Give operations' verdict on a commitment (operational profiles only).
    Validate {
        doc_id: String,
        /// The commitment's ref, e.g. C-01.
        reference: String,
        #[arg(long, value_enum, required_unless_present = "from_library")]
        verdict: Option<Verdict>,
        /// The condition (conditional) or the reason (infeasible).
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
        /// Confirm the verdict of the library entry the commitment was inserted from (its
        /// technical content unchanged since).
        #[arg(long, conflicts_with_all = ["verdict", "note"])]
        from_library: bool,
    },
    /// Resolve or transfer an ambiguity of the register.
    Ambiguity {
        #[command(subcommand)]
        command: AmbiguityCommand,
    },
    /// Agree, as the other side, to an assumption or exclusion.
    Agree {
        doc_id: String,
        #[arg(value_enum)]
        list: List,
        /// Its number, counting from 1 as the app shows them.
        number: u32,
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

pub fn run(cx: &Session, command: Commands) -> Result<(), WorkspaceError> {
    match command {
        Commands::Validate {
            doc_id,
            reference,
            verdict,
            note,
            from_library,
        } => {
            let mut ws = cx.open()?;
            let id = ws.item_id_by_ref(&doc_id, &reference)?;
            let verdict = match verdict {
                _ if from_library => {
                    return edit_and_report(&mut ws, &doc_id, &Edit::ConfirmFromLibrary { id });
                }
                Some(Verdict::Feasible) | None => ValidationStatus::Feasible,
                Some(Verdict::Conditional) => ValidationStatus::Conditional,
                Some(Verdict::Infeasible) => ValidationStatus::Infeasible,
            };
            edit_and_report(
                &mut ws,
                &doc_id,
                &Edit::ValidateCommitment { id, verdict, note },
            )
        }
        Commands::Ambiguity {
            command:
                AmbiguityCommand::Resolve {
                    doc_id,
                    reference,
                    answer,
                },
        } => {
            let mut ws = cx.open()?;
            let id = ws.item_id_by_ref(&doc_id, &reference)?;
            edit_and_report(&mut ws, &doc_id, &Edit::ResolveAmbiguity { id, answer })
        }
        Commands::Ambiguity {
            command:
                AmbiguityCommand::Transfer {
                    doc_id,
                    reference,
                    owner,
                    due,
                },
        } => {
            let mut ws = cx.open()?;
            let id = ws.item_id_by_ref(&doc_id, &reference)?;
            edit_and_report(
                &mut ws,
                &doc_id,
                &Edit::TransferAmbiguity { id, owner, due },
            )
        }
        Commands::Agree {
            doc_id,
            list,
            number,
        } => {
            let mut ws = cx.open()?;
            let list = match list {
                List::Assumption => AgreementList::Assumption,
                List::Exclusion => AgreementList::Exclusion,
            };
            let id = ws.agreement_id(&doc_id, list, number)?;
            edit_and_report(&mut ws, &doc_id, &Edit::Agree { list, id })
        }
        Commands::Override {
            doc_id,
            gate,
            reference,
            reason,
        } => override_gate(cx, doc_id, gate, reference, reason),
    }
}

#[derive(Subcommand)]
pub(crate) enum AmbiguityCommand {
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
pub(crate) enum Verdict {
    Feasible,
    Conditional,
    Infeasible,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum List {
    Assumption,
    Exclusion,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum Gate {
    Economics,
    Ambiguity,
}

fn override_gate(
    cx: &Session,
    doc_id: String,
    gate: Gate,
    reference: Option<String>,
    reason: String,
) -> Result<(), WorkspaceError> {
    let gate = match gate {
        Gate::Economics => OverrideGate::Economics,
        Gate::Ambiguity => OverrideGate::Ambiguity,
    };
    edit_and_report(
        &mut cx.open()?,
        &doc_id,
        &Edit::Override {
            gate,
            reference,
            reason,
        },
    )
}
