//! The limits an edit must stay within (see [`crate::rules`]): no text over the field limit, no
//! list over the item limit, the collaborative text of the whole document bounded. Checked on
//! the model after the change, before anything is written.

use scopepact_messages::{message, Message};
use std::collections::BTreeMap;

use crate::convert::{
    agreement_out, commitment_out, meeting_out, override_out, person_out, raw_file_from_model,
    rework_out,
};
use crate::error::ScopeError;
use crate::fieldwise::Fieldwise;
use crate::interchange as x;
use crate::model as m;
use crate::rules;

fn refuse(field: Message, problem: Message) -> Result<(), ScopeError> {
    Err(ScopeError::invalid(field, problem))
}

/// The first text in `value` over the field limit, said as a refusal.
fn too_long(value: &serde_json::Value) -> Option<Message> {
    let mut found = None;
    walk_strings(value, &mut |s| {
        if !rules::is_text(s) && found.is_none() {
            found = Some(message!(
                "value-text-too-long",
                bytes = s.len(),
                max = rules::MAX_TEXT_BYTES
            ));
        }
    });
    found
}

fn walk_strings(value: &serde_json::Value, found: &mut impl FnMut(&str)) {
    match value {
        serde_json::Value::String(s) => found(s),
        serde_json::Value::Array(items) => items.iter().for_each(|v| walk_strings(v, found)),
        serde_json::Value::Object(map) => map.values().for_each(|v| walk_strings(v, found)),
        _ => {}
    }
}

pub(crate) fn check_edit_limits(
    before: &m::ScopeDoc,
    after: &m::ScopeDoc,
    touched: &BTreeMap<String, Vec<String>>,
) -> Result<(), ScopeError> {
    for id in touched.keys() {
        if let Some(c) = after.commitments.get(id) {
            if c.parameters.len() > rules::MAX_ITEMS {
                return refuse(
                    message!("field-parameters"),
                    message!("value-too-many", max = rules::MAX_ITEMS),
                );
            }
        }
        if let Some(message) = item_value(after, id).as_ref().and_then(too_long) {
            return refuse(message!("field-item", id = id), message);
        }
    }
    if after.meeting.differs(&before.meeting) {
        if let Some(message) = serde_json::to_value(meeting_out(&after.meeting))
            .ok()
            .as_ref()
            .and_then(too_long)
        {
            return refuse(message!("field-meeting"), message);
        }
    }
    if after.rework.len() != before.rework.len() || after.rework != before.rework {
        if let Some(message) = serde_json::to_value(rework_out(after))
            .ok()
            .as_ref()
            .and_then(too_long)
        {
            return refuse(message!("field-rework"), message);
        }
    }
    check_counts(after)?;
    check_shared_text(before, after)
}

/// A touched item (or the header) as the file would hold it; `None` for anything else.
fn item_value(after: &m::ScopeDoc, id: &str) -> Option<serde_json::Value> {
    let value = if id == "header" {
        let mut header = raw_file_from_model(&m::ScopeDoc::default());
        header.title = after.title.clone();
        header.customer = x::Customer {
            name: after.customer.name.clone(),
            site: after.customer.site.clone(),
            contact: person_out(&after.customer.contact),
        };
        header.people = x::People {
            commercial_lead: person_out(&after.people.commercial_lead),
            operational_lead: person_out(&after.people.operational_lead),
            customer_signatory: person_out(&after.people.customer_signatory),
            executive: person_out(&after.people.executive),
        };
        header.deal.crm_ref = after.deal.crm_ref.clone();
        serde_json::to_value(&header)
    } else if let Some(c) = after.commitments.get(id) {
        serde_json::to_value(commitment_out(c))
    } else if let Some(a) = after
        .assumptions
        .get(id)
        .or_else(|| after.exclusions.get(id))
    {
        serde_json::to_value(agreement_out(a))
    } else if let Some(a) = after.ambiguities.get(id) {
        serde_json::to_value((&a.question, &a.answer, &a.owner, &a.raised_by))
    } else if let Some(o) = after.overrides.get(id) {
        serde_json::to_value(override_out(o))
    } else {
        return None;
    };
    value.ok()
}

fn check_counts(after: &m::ScopeDoc) -> Result<(), ScopeError> {
    for (name, count) in [
        (message!("field-commitments"), after.commitments.len()),
        (message!("field-ambiguities"), after.ambiguities.len()),
        (message!("field-assumptions"), after.assumptions.len()),
        (message!("field-exclusions"), after.exclusions.len()),
        (message!("field-overrides"), after.overrides.len()),
        (message!("field-rework"), after.rework.len()),
        (message!("field-attendees"), after.meeting.attendees.len()),
        (message!("field-decisions"), after.meeting.decisions.len()),
        (message!("field-action_items"), after.meeting.actions.len()),
    ] {
        if count > rules::MAX_ITEMS {
            return refuse(name, message!("value-too-many", max = rules::MAX_ITEMS));
        }
    }
    Ok(())
}

/// The descriptions and minutes together stay bounded; an edit that shrinks them is let through.
fn check_shared_text(before: &m::ScopeDoc, after: &m::ScopeDoc) -> Result<(), ScopeError> {
    let shared = shared_text_bytes(after);
    if shared > rules::MAX_SHARED_TEXT_BYTES && shared > shared_text_bytes(before) {
        return refuse(
            message!("field-description"),
            message!(
                "value-shared-text-too-long",
                bytes = shared,
                max = rules::MAX_SHARED_TEXT_BYTES
            ),
        );
    }
    Ok(())
}

/// Bytes of collaborative text (commitment descriptions and the meeting's minutes): each
/// character of it is an operation of its own in the document, the costliest content there is.
pub(crate) fn shared_text_bytes(doc: &m::ScopeDoc) -> usize {
    doc.commitments
        .values()
        .map(|c| c.description.as_str().len())
        .sum::<usize>()
        + doc.meeting.minutes.as_str().len()
}
