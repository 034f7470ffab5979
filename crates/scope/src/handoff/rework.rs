//! After the handoff: the rework log and the customer's satisfaction, which closes the deal.

use super::{invalid, stage};
use crate::convert::cause_in;
use crate::edit::{Actor, ReworkCause};
use crate::error::ScopeError;
use crate::model::{self as m, ScopeDoc};
use crate::refusal::Refusal;
use crate::rules::date;
use crate::status::Status;
use scopepact_messages::message;

fn require_handed_off(d: &ScopeDoc) -> Result<(), ScopeError> {
    let state = stage(d);
    if !matches!(state, Status::HandedOff | Status::Closed) {
        return Err(ScopeError::Refused(Refusal::NotHandedOff { status: state }));
    }
    Ok(())
}

/// A rework entry as the edit gives it.
pub(super) struct Entry<'a> {
    pub day: &'a str,
    pub commitments: &'a [String],
    pub cause: ReworkCause,
    pub ambiguity: Option<&'a str>,
    pub cost: Option<f64>,
    pub hours: Option<f64>,
    pub description: &'a str,
}

/// Logs rework on a handed-off scope; returns the entry's id.
pub(super) fn add(d: &mut ScopeDoc, entry: &Entry, by: &Actor) -> Result<String, ScopeError> {
    let Entry {
        day,
        commitments,
        cause,
        ambiguity,
        cost,
        hours,
        description,
    } = *entry;
    require_handed_off(d)?;
    let day = date(message!("field-rework_date"), day)?;
    for reference in commitments {
        if !d.commitments.values().any(|c| &c.reference == reference) {
            return Err(invalid(
                message!("field-rework_commitments"),
                message!("value-no-such-commitment", reference = reference),
            ));
        }
    }
    let ambiguity = match (cause, ambiguity.map(str::trim).filter(|a| !a.is_empty())) {
        (ReworkCause::Ambiguity, None) => {
            return Err(invalid(
                message!("field-rework_ambiguity"),
                message!("value-rework-names-ambiguity"),
            ))
        }
        (ReworkCause::Ambiguity, Some(reference)) => {
            if !d.ambiguities.values().any(|a| a.reference == reference) {
                return Err(invalid(
                    message!("field-rework_ambiguity"),
                    message!("value-no-such-ambiguity", reference = reference),
                ));
            }
            Some(reference.to_string())
        }
        (_, _) => None,
    };
    for (field, value) in [
        (message!("field-rework_cost"), cost),
        (message!("field-rework_hours"), hours),
    ] {
        if value.is_some_and(|v| !v.is_finite() || v < 0.0) {
            return Err(invalid(field, message!("value-not-negative")));
        }
    }
    let description = description.trim();
    if description.is_empty() {
        return Err(invalid(
            message!("field-rework_description"),
            message!("value-rework-description"),
        ));
    }
    let id = m::new_item_id();
    d.rework.insert(
        id.clone(),
        m::ReworkEntry {
            date: day,
            commitments: commitments.to_vec(),
            cause: cause_in(cause),
            ambiguity,
            cost,
            hours,
            description: description.to_string(),
            by: by.name.clone(),
        },
    );
    Ok(id)
}

/// Takes back a rework entry logged by mistake.
pub(super) fn remove(d: &mut ScopeDoc, id: &str) -> Result<(), ScopeError> {
    d.rework
        .remove(id)
        .map(|_| ())
        .ok_or_else(|| ScopeError::no_such(message!("item-rework_entry"), id))
}

pub(super) fn record_satisfaction(
    d: &mut ScopeDoc,
    score: u8,
    comment: &str,
    day: &str,
    by: &Actor,
) -> Result<(), ScopeError> {
    require_handed_off(d)?;
    if !(0..=10).contains(&score) {
        return Err(invalid(
            message!("field-satisfaction"),
            message!("value-score-range"),
        ));
    }
    d.satisfaction = Some(m::Satisfaction {
        score: i64::from(score),
        comment: comment.trim().to_string(),
        date: date(message!("field-satisfaction_date"), day)?,
        by: by.name.clone(),
    });
    Ok(())
}
