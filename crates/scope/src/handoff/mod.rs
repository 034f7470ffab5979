//! After the signature: the transfer meeting (scheduled, then recorded with who was there),
//! the rework log and the customer's satisfaction. A signed scope is handed off when the meeting
//! was held with its mandatory attendance complete; it is closed when satisfaction is recorded.
//! None of this is scope content: it is allowed on a sealed scope and left out of the content a
//! signature covers.

use scopepact_messages::{message, Message};
use std::collections::BTreeSet;

mod meeting;
mod rework;

use crate::convert::attendee_role_in;
use crate::edit::{AttendeeRole, Edit, Stage};
use crate::error::not_owned;
use crate::error::ScopeError;
use crate::model::{self as m, ScopeDoc};
use crate::position;
use crate::record::Change;
use crate::rules::moment_seconds;
use crate::signing;
use crate::status::Status;

/// Who must attend: both leads, and the customer when the deal is significant.
pub fn mandatory(doc: &ScopeDoc) -> Vec<AttendeeRole> {
    let mut roles = vec![AttendeeRole::CommercialLead, AttendeeRole::OperationalLead];
    if doc.deal.is_significant() {
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

pub(super) fn invalid(field: Message, problem: Message) -> ScopeError {
    ScopeError::invalid(field, problem)
}

/// A date, or a date and time (`YYYY-MM-DDTHH:MM`, or RFC 3339).
pub(super) fn when(field: Message, value: &str) -> Result<String, ScopeError> {
    let value = value.trim();
    if moment_seconds(value).is_none() {
        return Err(invalid(
            field,
            message!("value-not-a-moment", value = value),
        ));
    }
    Ok(value.to_string())
}

pub(super) fn last_position<T>(
    items: &std::collections::BTreeMap<String, T>,
    pos: impl Fn(&T) -> &str,
) -> String {
    let last = items.values().map(|i| pos(i).to_string()).max();
    position::between(last.as_deref(), None)
}

/// Applies a handoff edit to the model; returns the id of what it created, if anything.
pub(crate) fn apply(
    d: &mut ScopeDoc,
    edit: &Edit,
    cx: &Change,
) -> Result<Option<String>, ScopeError> {
    let none = |()| None;
    match edit {
        Edit::ScheduleMeeting { at, place } => meeting::schedule(d, at, place).map(none),
        Edit::SetAttendee {
            id,
            name,
            email,
            role,
            present,
        } => {
            let id = id.clone().unwrap_or_else(m::new_item_id);
            meeting::set_attendee(d, &id, name, email, *role, *present)?;
            Ok(Some(id))
        }
        Edit::RemoveAttendee { id } => meeting::remove_attendee(d, id).map(none),
        Edit::UpdateMeetingNotes { agenda, minutes } => {
            meeting::update_notes(d, agenda.as_deref(), minutes.as_deref());
            Ok(None)
        }
        Edit::AddDecision { text } => meeting::add_decision(d, text).map(Some),
        Edit::AddActionItem { text, owner, due } => {
            meeting::add_action(d, text, owner, due.as_deref()).map(Some)
        }
        Edit::SetActionDone { id, done } => meeting::set_action_done(d, id, *done).map(none),
        Edit::RemoveMeetingItem { id } => meeting::remove_item(d, id).map(none),
        Edit::RecordMeetingHeld { at } => meeting::record_held(d, at).map(none),
        Edit::AddRework {
            date,
            commitments,
            cause,
            ambiguity,
            cost,
            hours,
            description,
        } => {
            let entry = rework::Entry {
                day: date,
                commitments,
                cause: *cause,
                ambiguity: ambiguity.as_deref(),
                cost: *cost,
                hours: *hours,
                description,
            };
            rework::add(d, &entry, cx.by).map(Some)
        }
        Edit::RemoveRework { id } => rework::remove(d, id).map(none),
        Edit::RecordSatisfaction {
            score,
            comment,
            date,
        } => rework::record_satisfaction(d, *score, comment, date, cx.by).map(none),
        other => Err(not_owned(other, Stage::Handoff)),
    }
}
