//! The edits that carry the handoff's rules: operational validation, the ambiguity register,
//! the other side's agreement to assumptions and exclusions, and executive overrides. Role rules
//! live here, in the core, so the app and the CLI enforce the same ones.

use std::collections::BTreeMap;

use crate::basis;
use crate::convert;
use crate::edit::{acting_role, Actor, AgreementList, AmbiguityField, OverrideGate};
use crate::error::ScopeError;
use crate::interchange::{self as x, Role};
use crate::model::{self as m, ScopeDoc};
use crate::position;
use crate::refusal::{Refusal, RestrictedAction};
use crate::validation::gate;

fn require(by: &Actor, allowed: Role, action: RestrictedAction) -> Result<(), ScopeError> {
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

fn text(field: &str, value: &str, message: &str) -> Result<String, ScopeError> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(ScopeError::InvalidValue {
            field: field.into(),
            message: message.into(),
        });
    }
    Ok(trimmed.to_string())
}

fn date(field: &str, value: &str) -> Result<String, ScopeError> {
    let value = value.trim();
    chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| ScopeError::InvalidValue {
        field: field.into(),
        message: format!("\"{value}\" is not a date of the form YYYY-MM-DD"),
    })?;
    Ok(value.to_string())
}

fn ambiguity_mut<'a>(d: &'a mut ScopeDoc, id: &str) -> Result<&'a mut m::Ambiguity, ScopeError> {
    d.ambiguities
        .get_mut(id)
        .ok_or_else(|| no_such("ambiguity", id))
}

fn no_such(what: &'static str, id: &str) -> ScopeError {
    ScopeError::NoSuchItem {
        what,
        id: id.to_string(),
    }
}

pub(crate) fn validate(
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

fn check_links(d: &ScopeDoc, refs: &[String]) -> Result<Vec<String>, ScopeError> {
    let mut links = vec![];
    for r in refs.iter().map(|r| r.trim()) {
        if !d.commitments.values().any(|c| c.reference == r) {
            return Err(ScopeError::InvalidValue {
                field: "commitments".into(),
                message: format!("no commitment has ref \"{r}\""),
            });
        }
        if !links.iter().any(|l: &String| l == r) {
            links.push(r.to_string());
        }
    }
    Ok(links)
}

pub(crate) fn add_ambiguity(
    d: &mut ScopeDoc,
    question: &str,
    severity: x::Severity,
    commitments: &[String],
    by: &Actor,
) -> Result<String, ScopeError> {
    acting_role(by)?;
    let question = text("question", question, "the question must not be empty")?;
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

pub(crate) fn update_ambiguity(
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
                item.question = text("question", q, "the question must not be empty")?
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
                    Some(v) => Some(date("due", v)?),
                }
            }
        }
    }
    Ok(())
}

pub(crate) fn resolve_ambiguity(
    d: &mut ScopeDoc,
    id: &str,
    answer: &str,
    by: &Actor,
) -> Result<(), ScopeError> {
    acting_role(by)?;
    let item = ambiguity_mut(d, id)?;
    item.answer = Some(text(
        "answer",
        answer,
        "resolving an ambiguity needs its answer",
    )?);
    item.status = m::AmbiguityStatus::Resolved;
    Ok(())
}

pub(crate) fn transfer_ambiguity(
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
    item.owner = text("owner", owner, "a transfer needs an owner")?;
    item.due = Some(date("due", due)?);
    item.status = m::AmbiguityStatus::Transferred;
    item.answer = None;
    Ok(())
}

pub(crate) fn reopen_ambiguity(d: &mut ScopeDoc, id: &str, by: &Actor) -> Result<(), ScopeError> {
    acting_role(by)?;
    let item = ambiguity_mut(d, id)?;
    item.status = m::AmbiguityStatus::Open;
    item.answer = None;
    Ok(())
}

pub(crate) fn delete_ambiguity(d: &mut ScopeDoc, id: &str, by: &Actor) -> Result<(), ScopeError> {
    acting_role(by)?;
    d.ambiguities
        .remove(id)
        .map(|_| ())
        .ok_or_else(|| no_such("ambiguity", id))
}

fn list(
    d: &mut ScopeDoc,
    list: AgreementList,
) -> (&mut BTreeMap<String, m::Agreement>, &'static str) {
    match list {
        AgreementList::Assumption => (&mut d.assumptions, "assumption"),
        AgreementList::Exclusion => (&mut d.exclusions, "exclusion"),
    }
}

/// Assumptions and exclusions are written by one side and agreed by the other.
fn side(by: &Actor) -> Result<m::Role, ScopeError> {
    match acting_role(by)? {
        Role::Executive => Err(ScopeError::Refused(Refusal::ExecutiveNotASide)),
        role => Ok(convert::role_in(role)),
    }
}

pub(crate) fn add_agreement(
    d: &mut ScopeDoc,
    which: AgreementList,
    text_value: &str,
    by: &Actor,
) -> Result<String, ScopeError> {
    let author = side(by)?;
    let value = text("text", text_value, "the text must not be empty")?;
    let (items, _) = list(d, which);
    let last = m::ordered(items, |i| &i.position)
        .last()
        .map(|(_, l)| l.position.clone());
    let id = m::new_item_id();
    items.insert(
        id.clone(),
        m::Agreement {
            position: position::between(last.as_deref(), None),
            text: value,
            author,
            ..Default::default()
        },
    );
    Ok(id)
}

/// Rewording makes the writer the author: the other side must agree to the new text.
pub(crate) fn update_agreement(
    d: &mut ScopeDoc,
    which: AgreementList,
    id: &str,
    text_value: &str,
    by: &Actor,
) -> Result<(), ScopeError> {
    let author = side(by)?;
    let value = text("text", text_value, "the text must not be empty")?;
    let (items, what) = list(d, which);
    let item = items.get_mut(id).ok_or_else(|| no_such(what, id))?;
    if item.text != value {
        item.text = value;
        item.author = author;
        item.agreed_by = None;
        item.agreed_by_name = None;
        item.agreed_text = None;
    }
    Ok(())
}

pub(crate) fn agree(
    d: &mut ScopeDoc,
    which: AgreementList,
    id: &str,
    by: &Actor,
) -> Result<(), ScopeError> {
    let role = side(by)?;
    let (items, what) = list(d, which);
    let item = items.get_mut(id).ok_or_else(|| no_such(what, id))?;
    if role == item.author {
        return Err(ScopeError::Refused(Refusal::OtherSideMustAgree {
            side: convert::role_out(role),
            list: which,
        }));
    }
    item.agreed_by = Some(role);
    item.agreed_by_name = Some(by.name.clone());
    item.agreed_text = Some(item.text.clone());
    Ok(())
}

pub(crate) fn delete_agreement(
    d: &mut ScopeDoc,
    which: AgreementList,
    id: &str,
    by: &Actor,
) -> Result<(), ScopeError> {
    side(by)?;
    let (items, what) = list(d, which);
    items
        .remove(id)
        .map(|_| ())
        .ok_or_else(|| no_such(what, id))
}

pub(crate) fn add_override(
    d: &mut ScopeDoc,
    gate: OverrideGate,
    reference: Option<&str>,
    reason: &str,
    by: &Actor,
    now: &str,
) -> Result<String, ScopeError> {
    require(by, Role::Executive, RestrictedAction::Override)?;
    let reason = text("reason", reason, "an override needs a written reason")?;
    let mut item = m::Override {
        reason,
        by: by.name.clone(),
        at: now.to_string(),
        ..Default::default()
    };
    match gate {
        OverrideGate::Economics => {
            let e = gate::economics(d);
            let failing = gate::gate(d).iter().any(|r| {
                matches!(
                    r.code,
                    gate::GateCode::CostExceedsRevenue | gate::GateCode::MarginBelowThreshold
                )
            });
            if !failing {
                return Err(ScopeError::Refused(Refusal::NothingToOverride));
            }
            item.gate = m::OverrideGate::Economics;
            item.revenue = Some(e.revenue);
            item.cost = Some(e.cost);
        }
        OverrideGate::Ambiguity => {
            let reference = reference.map(str::trim).unwrap_or_default();
            let ambiguity = d
                .ambiguities
                .values()
                .find(|a| a.reference == reference)
                .ok_or_else(|| ScopeError::InvalidValue {
                    field: "ref".into(),
                    message: format!("no ambiguity has ref \"{reference}\""),
                })?;
            if ambiguity.severity != m::Severity::Blocking
                || ambiguity.status != m::AmbiguityStatus::Open
            {
                return Err(ScopeError::Refused(Refusal::NotOpenBlocking {
                    reference: reference.to_string(),
                }));
            }
            item.gate = m::OverrideGate::Ambiguity;
            item.reference = Some(reference.to_string());
        }
    }
    let id = m::new_item_id();
    d.overrides.insert(id.clone(), item);
    Ok(id)
}

pub(crate) fn revoke_override(d: &mut ScopeDoc, id: &str, by: &Actor) -> Result<(), ScopeError> {
    require(by, Role::Executive, RestrictedAction::RevokeOverride)?;
    d.overrides
        .remove(id)
        .map(|_| ())
        .ok_or_else(|| no_such("override", id))
}
