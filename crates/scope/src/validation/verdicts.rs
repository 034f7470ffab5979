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
        .ok_or_else(|| no_such("commitment", id))?;
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    let (condition, reason) = match verdict {
        x::ValidationStatus::Pending => {
            item.validation = m::Validation::default();
            return Ok(());
        }
        x::ValidationStatus::Feasible => (None, None),
        x::ValidationStatus::Conditional => (
            Some(note.ok_or_else(|| ScopeError::InvalidValue {
                field: "condition".into(),
                message: "a conditional verdict needs its condition".into(),
            })?),
            None,
        ),
        x::ValidationStatus::Infeasible => (
            None,
            Some(note.ok_or_else(|| ScopeError::InvalidValue {
                field: "reason".into(),
                message: "an infeasible verdict needs its reason".into(),
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
