//! The ambiguity register: questions the scope leaves open, with their severity and the
//! commitments they touch; resolved with an answer, or transferred with an owner and a due date.

use super::{no_such, text};
use crate::convert;
use crate::edit::{Actor, AmbiguityField};
use crate::error::ScopeError;
use crate::interchange as x;
use crate::model::{self as m, ScopeDoc};
use crate::position;
use crate::refusal::acting_role;
use crate::refusal::Refusal;
use crate::rules::date;
use scopepact_messages::message;

fn ambiguity_mut<'a>(d: &'a mut ScopeDoc, id: &str) -> Result<&'a mut m::Ambiguity, ScopeError> {
    d.ambiguities
        .get_mut(id)
        .ok_or_else(|| no_such(message!("item-ambiguity"), id))
}

fn check_links(d: &ScopeDoc, refs: &[String]) -> Result<Vec<String>, ScopeError> {
    let mut links = vec![];
    for r in refs.iter().map(|r| r.trim()) {
        if !d.commitments.values().any(|c| c.reference == r) {
            return Err(ScopeError::invalid(
                message!("field-commitments"),
                message!("value-no-commitment-ref", reference = r),
            ));
        }
        if !links.iter().any(|l: &String| l == r) {
            links.push(r.to_string());
        }
    }
    Ok(links)
}

pub(super) fn add(
    d: &mut ScopeDoc,
    question: &str,
    severity: x::Severity,
    commitments: &[String],
    by: &Actor,
) -> Result<String, ScopeError> {
    acting_role(by)?;
    let question = text(
        message!("field-question"),
        question,
        message!("value-empty"),
    )?;
    let links = check_links(d, commitments)?;
    let last = d
        .ambiguities_in_order()
        .last()
        .map(|(_, a)| a.position.clone());
    let id = m::new_item_id();
    let reference =
        crate::position::next_reference(d.ambiguities.values().map(|a| a.reference.as_str()), "A");
    d.ambiguities.insert(
        id.clone(),
        m::Ambiguity {
            position: position::between(last.as_deref(), None),
            reference,
            question,
            raised_by: by.name.clone(),
            commitments: links,
            severity: convert::severity_in(severity),
            ..Default::default()
        },
    );
    Ok(id)
}

pub(super) fn update(
    d: &mut ScopeDoc,
    id: &str,
    changes: &[AmbiguityField],
    by: &Actor,
) -> Result<(), ScopeError> {
    acting_role(by)?;
    let mut links = None;
    for change in changes {
        if let AmbiguityField::Commitments(refs) = change {
            links = Some(check_links(d, refs)?);
        }
    }
    let item = ambiguity_mut(d, id)?;
    for change in changes {
        match change {
            AmbiguityField::Question(q) => {
                item.question = text(message!("field-question"), q, message!("value-empty"))?
            }
            AmbiguityField::Severity(s) => {
                let severity = convert::severity_in(*s);
                if severity == m::Severity::Blocking
                    && item.status == m::AmbiguityStatus::Transferred
                {
                    return Err(ScopeError::Refused(Refusal::TransferredNotBlocking {
                        reference: item.reference.clone(),
                    }));
                }
                item.severity = severity;
            }
            AmbiguityField::Commitments(_) => item.commitments = links.clone().unwrap_or_default(),
            AmbiguityField::Owner(o) => item.owner = o.trim().to_string(),
            AmbiguityField::Due(due) => {
                item.due = match due.as_deref().map(str::trim) {
                    None | Some("") => None,
                    Some(v) => Some(date(message!("field-due"), v)?),
                }
            }
        }
    }
    Ok(())
}

pub(super) fn resolve(
    d: &mut ScopeDoc,
    id: &str,
    answer: &str,
    by: &Actor,
) -> Result<(), ScopeError> {
    acting_role(by)?;
    let item = ambiguity_mut(d, id)?;
    item.answer = Some(text(
        message!("field-answer"),
        answer,
        message!("value-answer-needed"),
    )?);
    item.status = m::AmbiguityStatus::Resolved;
    Ok(())
}

pub(super) fn transfer(
    d: &mut ScopeDoc,
    id: &str,
    owner: &str,
    due: &str,
    by: &Actor,
) -> Result<(), ScopeError> {
    acting_role(by)?;
    let item = ambiguity_mut(d, id)?;
    if item.severity == m::Severity::Blocking {
        return Err(ScopeError::Refused(Refusal::BlockingNotTransferable {
            reference: item.reference.clone(),
        }));
    }
    item.owner = text(
        message!("field-owner"),
        owner,
        message!("value-transfer-owner"),
    )?;
    item.due = Some(date(message!("field-due"), due)?);
    item.status = m::AmbiguityStatus::Transferred;
    item.answer = None;
    Ok(())
}

pub(super) fn reopen(d: &mut ScopeDoc, id: &str, by: &Actor) -> Result<(), ScopeError> {
    acting_role(by)?;
    let item = ambiguity_mut(d, id)?;
    item.status = m::AmbiguityStatus::Open;
    item.answer = None;
    Ok(())
}

pub(super) fn delete(d: &mut ScopeDoc, id: &str, by: &Actor) -> Result<(), ScopeError> {
    acting_role(by)?;
    d.ambiguities
        .remove(id)
        .map(|_| ())
        .ok_or_else(|| no_such(message!("item-ambiguity"), id))
}
