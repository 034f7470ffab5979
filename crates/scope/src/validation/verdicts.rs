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
    require(by, Role::Operational, RestrictedAction::Validate)?;
    let item = d
        .commitments
        .get_mut(id)
        .ok_or_else(|| no_such(message!("item-commitment"), id))?;
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
    require(by, Role::Operational, RestrictedAction::Validate)?;
    let item = d
        .commitments
        .get(id)
        .ok_or_else(|| no_such(message!("item-commitment"), id))?;
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
    validate(d, id, verdict, origin.condition.as_deref(), by, now)?;
    if let Some(item) = d.commitments.get_mut(id) {
        item.validation.from_library = Some(origin.entry);
    }
    Ok(())
}
