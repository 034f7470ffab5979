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
    };
    Ok(())
}
