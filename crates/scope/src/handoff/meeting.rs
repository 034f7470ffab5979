//! The transfer meeting: scheduled, its attendees, agenda and minutes, decisions and action
//! items, and recorded as held (which needs a signed scope).

use autosurgeon::Text;
use scopepact_messages::{message, Message};

use super::{invalid, last_position, when};
use crate::convert::attendee_role_in;
use crate::edit::AttendeeRole;
use crate::error::ScopeError;
use crate::model::{self as m, ScopeDoc};
use crate::refusal::Refusal;
use crate::rules::date;
use crate::signing;

pub(super) fn schedule(d: &mut ScopeDoc, at: &str, place: &str) -> Result<(), ScopeError> {
    d.meeting.scheduled_at = Some(when(message!("field-meeting_time"), at)?);
    d.meeting.place = place.trim().to_string();
    Ok(())
}

pub(super) fn set_attendee(
    d: &mut ScopeDoc,
    id: &str,
    name: &str,
    email: &str,
    role: AttendeeRole,
    present: bool,
) -> Result<(), ScopeError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(invalid(
            message!("field-attendee"),
            message!("value-attendee-name"),
        ));
    }
    let email = email.trim();
    if !email.is_empty() && !email.contains('@') {
        return Err(invalid(
            message!("field-attendee_email"),
            message!("value-not-an-email", value = email),
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

pub(super) fn add_decision(d: &mut ScopeDoc, text: &str) -> Result<String, ScopeError> {
    let id = m::new_item_id();
    let text = text.trim();
    if text.is_empty() {
        return Err(invalid(message!("field-decision"), message!("value-empty")));
    }
    let position = last_position(&d.meeting.decisions, |i| &i.position);
    d.meeting.decisions.insert(
        id.clone(),
        m::Decision {
            position,
            text: text.to_string(),
        },
    );
    Ok(id)
}

pub(super) fn add_action(
    d: &mut ScopeDoc,
    text: &str,
    owner: &str,
    due: Option<&str>,
) -> Result<String, ScopeError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(invalid(
            message!("field-action_item"),
            message!("value-empty"),
        ));
    }
    if owner.trim().is_empty() {
        return Err(invalid(
            message!("field-action_owner"),
            message!("value-action-owner"),
        ));
    }
    let id = m::new_item_id();
    let due = due
        .filter(|d| !d.trim().is_empty())
        .map(|v| date(message!("field-action_due"), v))
        .transpose()?;
    let position = last_position(&d.meeting.actions, |i| &i.position);
    d.meeting.actions.insert(
        id.clone(),
        m::ActionItem {
            position,
            text: text.to_string(),
            owner: owner.trim().to_string(),
            due,
            done: false,
        },
    );
    Ok(id)
}

/// Recording the meeting as held needs a signed scope: the transfer meeting hands over what was
/// signed.
pub(super) fn record_held(d: &mut ScopeDoc, at: &str) -> Result<(), ScopeError> {
    if !signing::sealed(d) {
        return Err(ScopeError::Refused(Refusal::NotSigned {
            status: signing::stage(d),
        }));
    }
    d.meeting.held_at = Some(when(message!("field-meeting_time"), at)?);
    Ok(())
}

pub(super) fn remove_attendee(d: &mut ScopeDoc, id: &str) -> Result<(), ScopeError> {
    d.meeting
        .attendees
        .remove(id)
        .map(|_| ())
        .ok_or_else(|| no_such(message!("item-attendee"), id))
}

/// Replaces the agenda and the minutes, each only when given.
pub(super) fn update_notes(d: &mut ScopeDoc, agenda: Option<&str>, minutes: Option<&str>) {
    if let Some(agenda) = agenda {
        d.meeting.agenda = agenda.to_string();
    }
    if let Some(minutes) = minutes {
        d.meeting.minutes = Text::with_value(minutes);
    }
}

pub(super) fn set_action_done(d: &mut ScopeDoc, id: &str, done: bool) -> Result<(), ScopeError> {
    let item = d
        .meeting
        .actions
        .get_mut(id)
        .ok_or_else(|| no_such(message!("item-action_item"), id))?;
    item.done = done;
    Ok(())
}

/// Removes a decision or an action item.
pub(super) fn remove_item(d: &mut ScopeDoc, id: &str) -> Result<(), ScopeError> {
    let removed =
        d.meeting.decisions.remove(id).is_some() || d.meeting.actions.remove(id).is_some();
    if removed {
        Ok(())
    } else {
        Err(no_such(message!("item-decision_or_action"), id))
    }
}

fn no_such(what: Message, id: &str) -> ScopeError {
    ScopeError::no_such(what, id)
}
