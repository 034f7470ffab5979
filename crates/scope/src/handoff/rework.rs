//! After the handoff: the rework log and the customer's satisfaction, which closes the deal.

use super::{invalid, stage};
use crate::convert::cause_in;
use crate::edit::{Actor, ReworkCause};
use crate::error::ScopeError;
use crate::model::{self as m, ScopeDoc};
use crate::refusal::Refusal;
use crate::rules::date;
use crate::status::Status;

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
    let day = date("rework date", day)?;
    for reference in commitments {
        if !d.commitments.values().any(|c| &c.reference == reference) {
            return Err(invalid(
                "rework commitments",
                format!("no commitment {reference} in this scope"),
            ));
        }
    }
    let ambiguity = match (cause, ambiguity.map(str::trim).filter(|a| !a.is_empty())) {
        (ReworkCause::Ambiguity, None) => {
            return Err(invalid(
                "rework ambiguity",
                "rework caused by an ambiguity names it (A-02…)",
            ))
        }
        (ReworkCause::Ambiguity, Some(reference)) => {
            if !d.ambiguities.values().any(|a| a.reference == reference) {
                return Err(invalid(
                    "rework ambiguity",
                    format!("no ambiguity {reference} in this scope"),
                ));
            }
            Some(reference.to_string())
        }
        (_, _) => None,
    };
    for (field, value) in [("rework cost", cost), ("rework hours", hours)] {
        if value.is_some_and(|v| !v.is_finite() || v < 0.0) {
            return Err(invalid(field, "must be zero or more"));
        }
    }
    let description = description.trim();
    if description.is_empty() {
        return Err(invalid("rework description", "say what had to be redone"));
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
        .ok_or_else(|| ScopeError::NoSuchItem {
            what: "rework entry",
            id: id.to_string(),
        })
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
        return Err(invalid("satisfaction", "the score goes from 0 to 10"));
    }
    d.satisfaction = Some(m::Satisfaction {
        score: i64::from(score),
        comment: comment.trim().to_string(),
        date: date("satisfaction date", day)?,
        by: by.name.clone(),
    });
    Ok(())
}
