//! Operations' verdict on a commitment: feasible, conditional (with its condition), infeasible
//! (with its reason), or pending again. A verdict holds for the content it was given on.

use super::{no_such, require};
use crate::basis;
use crate::convert;
use crate::edit::Actor;
use crate::error::ScopeError;
use crate::interchange::{self as x, Role};
use crate::model::{self as m, ScopeDoc};
use crate::refusal::RestrictedAction;
use scopepact_messages::message;

pub(super) fn validate(
    d: &mut ScopeDoc,
    id: &str,
    verdict: x::ValidationStatus,
    note: Option<&str>,
    by: &Actor,
    now: &str,
) -> Result<(), ScopeError> {
    let item = operations_verdict_on(d, id, by)?;
    give(item, verdict, note, by, now)
}

/// The commitment operations gives a verdict on, once the actor is operations.
fn operations_verdict_on<'a>(
    d: &'a mut ScopeDoc,
    id: &str,
    by: &Actor,
) -> Result<&'a mut m::Commitment, ScopeError> {
    require(by, Role::Operational, RestrictedAction::Validate)?;
    d.commitments
        .get_mut(id)
        .ok_or_else(|| no_such(message!("item-commitment"), id))
}

/// Records the verdict (with its condition or reason) for the commitment as it reads now.
fn give(
    item: &mut m::Commitment,
    verdict: x::ValidationStatus,
    note: Option<&str>,
    by: &Actor,
    now: &str,
) -> Result<(), ScopeError> {
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    let (condition, reason) = match verdict {
        x::ValidationStatus::Pending => {
            item.validation = m::Validation::default();
            return Ok(());
        }
        x::ValidationStatus::Feasible => (None, None),
        x::ValidationStatus::Conditional => (
            Some(note.ok_or_else(|| {
                ScopeError::invalid(
                    message!("field-condition"),
                    message!("value-condition-needed"),
                )
            })?),
            None,
        ),
        x::ValidationStatus::Infeasible => (
            None,
            Some(note.ok_or_else(|| {
                ScopeError::invalid(message!("field-reason"), message!("value-reason-needed"))
            })?),
        ),
    };
    item.validation = m::Validation {
        status: convert::verdict_in(verdict),
        by: Some(by.name.clone()),
        at: Some(now.to_string()),
        condition: condition.map(str::to_string),
        reason: reason.map(str::to_string),
        basis: Some(basis::basis(item)),
        from_library: None,
    };
    Ok(())
}

/// Gives the verdict a library entry carries, for a commitment inserted from it whose technical
/// content is as inserted; otherwise refuses, naming what differs (operations then judges it
/// like any other).
pub(super) fn confirm_from_library(
    d: &mut ScopeDoc,
    id: &str,
    by: &Actor,
    now: &str,
) -> Result<(), ScopeError> {
    let item = operations_verdict_on(d, id, by)?;
    let Some(origin) = item.library.clone() else {
        return Err(ScopeError::invalid(
            message!("field-library"),
            message!("value-not-from-library", reference = &item.reference),
        ));
    };
    let changed = basis::technical_changes(item, &origin.basis);
    if !changed.is_empty() {
        return Err(ScopeError::invalid(
            message!("field-library"),
            message!(
                "value-library-changed",
                reference = &item.reference,
                fields = changed.join(", ")
            ),
        ));
    }
    let verdict = match origin.verdict {
        m::ValidationStatus::Conditional => x::ValidationStatus::Conditional,
        _ => x::ValidationStatus::Feasible,
    };
    give(item, verdict, origin.condition.as_deref(), by, now)?;
    item.validation.from_library = Some(origin.entry);
    Ok(())
}
