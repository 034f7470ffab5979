//! Validation: operations' verdict on each commitment, the ambiguity register, the other side's
//! agreement to assumptions and exclusions, executive overrides, and the gate they all feed.
//! Role rules live here, in the core, so the app and the CLI enforce the same ones.

mod agreements;
pub mod gate;
mod overrides;
mod register;
mod verdicts;

pub use gate::{
    ambiguity_overridden, economics, gate, threshold_overrides, Economics, GateCode, GateReason,
    Threshold, ThresholdOverride,
};

use scopepact_messages::Message;

use crate::edit::{Actor, Edit, Stage};
use crate::error::not_owned;
use crate::error::ScopeError;
use crate::interchange::Role;
use crate::model::ScopeDoc;
use crate::record::Change;
use crate::refusal::acting_role;
use crate::refusal::{Refusal, RestrictedAction};

/// Applies a validation edit to the model; returns the id of what it created, if anything.
pub(crate) fn apply(
    d: &mut ScopeDoc,
    edit: &Edit,
    cx: &Change,
) -> Result<Option<String>, ScopeError> {
    let by = cx.by;
    let none = |()| None;
    match edit {
        Edit::ValidateCommitment { id, verdict, note } => {
            verdicts::validate(d, id, *verdict, note.as_deref(), by, cx.now).map(none)
        }
        Edit::ConfirmFromLibrary { id } => {
            verdicts::confirm_from_library(d, id, by, cx.now).map(none)
        }
        Edit::AddAmbiguity {
            question,
            severity,
            commitments,
        } => register::add(d, question, *severity, commitments, by).map(Some),
        Edit::UpdateAmbiguity { id, changes } => register::update(d, id, changes, by).map(none),
        Edit::ResolveAmbiguity { id, answer } => register::resolve(d, id, answer, by).map(none),
        Edit::TransferAmbiguity { id, owner, due } => {
            register::transfer(d, id, owner, due, by).map(none)
        }
        Edit::ReopenAmbiguity { id } => register::reopen(d, id, by).map(none),
        Edit::DeleteAmbiguity { id } => register::delete(d, id, by).map(none),
        Edit::AddAgreement { list, text } => agreements::add(d, *list, text, by).map(Some),
        Edit::UpdateAgreement { list, id, text } => {
            agreements::update(d, *list, id, text, by).map(none)
        }
        Edit::Agree { list, id } => agreements::agree(d, *list, id, by).map(none),
        Edit::DeleteAgreement { list, id } => agreements::delete(d, *list, id, by).map(none),
        Edit::Override {
            gate,
            reference,
            reason,
        } => overrides::add(d, *gate, reference.as_deref(), reason, by, cx.now).map(Some),
        Edit::RevokeOverride { id } => overrides::revoke(d, id, by).map(none),
        other => Err(not_owned(other, Stage::Validation)),
    }
}

pub(super) fn require(
    by: &Actor,
    allowed: Role,
    action: RestrictedAction,
) -> Result<(), ScopeError> {
    let role = acting_role(by)?;
    if role != allowed {
        return Err(ScopeError::Refused(Refusal::WrongRole {
            needed: allowed,
            action,
            actor: by.name.clone(),
            actual: role,
        }));
    }
    Ok(())
}

pub(super) fn text(field: Message, value: &str, problem: Message) -> Result<String, ScopeError> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(ScopeError::invalid(field, problem));
    }
    Ok(trimmed.to_string())
}

pub(super) fn no_such(what: Message, id: &str) -> ScopeError {
    ScopeError::no_such(what, id)
}
