//! After the signature: the transfer meeting (scheduled, then recorded with who was there),
//! the rework log and the customer's satisfaction. A signed scope is handed off when the meeting
//! was held with its mandatory attendance complete; it is closed when satisfaction is recorded.
//! None of this is scope content: it is allowed on a sealed scope and left out of the content a
//! signature covers.

use std::collections::BTreeSet;

use crate::convert::{attendee_role_in, cause_in};
use crate::edit::{Actor, AttendeeRole, ReworkCause};
use crate::error::ScopeError;
use crate::model::{self as m, ScopeDoc};
use crate::position;
use crate::refusal::Refusal;
use crate::rules::moment_seconds;
use crate::signing;
use crate::status::Status;

/// Who must attend: both leads, and the customer when the deal is significant.
pub fn mandatory(doc: &ScopeDoc) -> Vec<AttendeeRole> {
    let mut roles = vec![AttendeeRole::CommercialLead, AttendeeRole::OperationalLead];
    if doc.deal.significant {
        roles.push(AttendeeRole::Customer);
    }
    roles
}

/// Mandatory roles with nobody present for them.
pub fn missing(doc: &ScopeDoc) -> Vec<AttendeeRole> {
    let present: BTreeSet<m::AttendeeRole> = doc
        .meeting
        .attendees
        .values()
        .filter(|a| a.present)
        .map(|a| a.role)
        .collect();
    mandatory(doc)
        .into_iter()
        .filter(|r| !present.contains(&attendee_role_in(*r)))
        .collect()
}

/// The status as far as the handoff tells it: a signed scope is handed off once its meeting
/// was held with everyone mandatory, and closed once the customer's satisfaction is recorded.
pub fn stage(doc: &ScopeDoc) -> Status {
    match (signing::stage(doc), handed_off(doc), &doc.satisfaction) {
        (Status::Signed, true, Some(_)) => Status::Closed,
        (Status::Signed, true, None) => Status::HandedOff,
        (stage, _, _) => stage,
    }
}

/// The meeting was held with every mandatory attendee present.
pub fn handed_off(doc: &ScopeDoc) -> bool {
    doc.meeting.held_at.is_some() && missing(doc).is_empty()
}

fn invalid(field: &str, message: impl Into<String>) -> ScopeError {
    ScopeError::InvalidValue {
        field: field.into(),
        message: message.into(),
    }
}

fn date(field: &str, value: &str) -> Result<String, ScopeError> {
    let value = value.trim();
    chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| {
        invalid(
            field,
            format!("\"{value}\" is not a date of the form YYYY-MM-DD"),
        )
    })?;
    Ok(value.to_string())
}

/// A date, or a date and time (`YYYY-MM-DDTHH:MM`, or RFC 3339).
fn when(field: &str, value: &str) -> Result<String, ScopeError> {
    let value = value.trim();
    if moment_seconds(value).is_none() {
        return Err(invalid(
            field,
            format!("\"{value}\" is not a date (YYYY-MM-DD) or a date and time (YYYY-MM-DDTHH:MM)"),
        ));
    }
    Ok(value.to_string())
}

fn last_position<T>(
    items: &std::collections::BTreeMap<String, T>,
    pos: impl Fn(&T) -> &str,
) -> String {
    let last = items.values().map(|i| pos(i).to_string()).max();
    position::between(last.as_deref(), None)
}

pub fn schedule(d: &mut ScopeDoc, at: &str, place: &str) -> Result<(), ScopeError> {
    d.meeting.scheduled_at = Some(when("meeting time", at)?);
    d.meeting.place = place.trim().to_string();
    Ok(())
}

pub fn set_attendee(
    d: &mut ScopeDoc,
    id: &str,
    name: &str,
    email: &str,
    role: AttendeeRole,
    present: bool,
) -> Result<(), ScopeError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(invalid("attendee", "an attendee needs a name"));
    }
    let email = email.trim();
    if !email.is_empty() && !email.contains('@') {
        return Err(invalid(
            "attendee email",
            format!("\"{email}\" is not an email address"),
        ));
    }
    let position = match d.meeting.attendees.get(id) {
        Some(existing) => existing.position.clone(),
        None => last_position(&d.meeting.attendees, |a| &a.position),
    };
    d.meeting.attendees.insert(
        id.to_string(),
        m::Attendee {
            position,
            name: name.to_string(),
            email: email.to_string(),
            role: attendee_role_in(role),
            present,
        },
    );
    Ok(())
}

pub fn add_decision(d: &mut ScopeDoc, id: &str, text: &str) -> Result<(), ScopeError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(invalid("decision", "must not be empty"));
    }
    let position = last_position(&d.meeting.decisions, |i| &i.position);
    d.meeting.decisions.insert(
        id.to_string(),
        m::Decision {
            position,
            text: text.to_string(),
        },
    );
    Ok(())
}

pub fn add_action(
    d: &mut ScopeDoc,
    id: &str,
    text: &str,
    owner: &str,
    due: Option<&str>,
) -> Result<(), ScopeError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(invalid("action item", "must not be empty"));
    }
    if owner.trim().is_empty() {
        return Err(invalid("action owner", "an action item needs an owner"));
    }
    let due = due
        .filter(|d| !d.trim().is_empty())
        .map(|v| date("action due date", v))
        .transpose()?;
    let position = last_position(&d.meeting.actions, |i| &i.position);
    d.meeting.actions.insert(
        id.to_string(),
        m::ActionItem {
            position,
            text: text.to_string(),
            owner: owner.trim().to_string(),
            due,
            done: false,
        },
    );
    Ok(())
}

/// Recording the meeting as held needs a signed scope: the transfer meeting hands over what was
/// signed.
pub fn record_held(d: &mut ScopeDoc, at: &str) -> Result<(), ScopeError> {
    if !signing::sealed(d) {
        return Err(ScopeError::Refused(Refusal::NotSigned {
            status: signing::stage(d),
        }));
    }
    d.meeting.held_at = Some(when("meeting time", at)?);
    Ok(())
}

fn require_handed_off(d: &ScopeDoc) -> Result<(), ScopeError> {
    let state = stage(d);
    if !matches!(state, Status::HandedOff | Status::Closed) {
        return Err(ScopeError::Refused(Refusal::NotHandedOff { status: state }));
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)] // one field per argument, as the edit names them
pub fn add_rework(
    d: &mut ScopeDoc,
    id: &str,
    day: &str,
    commitments: &[String],
    cause: ReworkCause,
    ambiguity: Option<&str>,
    cost: Option<f64>,
    hours: Option<f64>,
    description: &str,
    by: &Actor,
) -> Result<(), ScopeError> {
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
    d.rework.insert(
        id.to_string(),
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
    Ok(())
}

pub fn record_satisfaction(
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
