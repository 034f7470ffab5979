//! Assumptions and exclusions: written by one side, agreed by the other (an agreement by the
//! side that wrote the current text does not count).

use scopepact_messages::{message, Message};
use std::collections::BTreeMap;

use super::{no_such, text};
use crate::convert;
use crate::edit::{Actor, AgreementList};
use crate::error::ScopeError;
use crate::interchange::Role;
use crate::model::{self as m, ScopeDoc};
use crate::position;
use crate::refusal::acting_role;
use crate::refusal::Refusal;

fn list(d: &mut ScopeDoc, list: AgreementList) -> (&mut BTreeMap<String, m::Agreement>, Message) {
    match list {
        AgreementList::Assumption => (&mut d.assumptions, message!("item-assumption")),
        AgreementList::Exclusion => (&mut d.exclusions, message!("item-exclusion")),
    }
}

/// Assumptions and exclusions are written by one side and agreed by the other.
fn side(by: &Actor) -> Result<m::Role, ScopeError> {
    match acting_role(by)? {
        Role::Executive => Err(ScopeError::Refused(Refusal::ExecutiveNotASide)),
        role => Ok(convert::role_in(role)),
    }
}

pub(super) fn add(
    d: &mut ScopeDoc,
    which: AgreementList,
    text_value: &str,
    by: &Actor,
) -> Result<String, ScopeError> {
    let author = side(by)?;
    let value = text(message!("field-text"), text_value, message!("value-empty"))?;
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
pub(super) fn update(
    d: &mut ScopeDoc,
    which: AgreementList,
    id: &str,
    text_value: &str,
    by: &Actor,
) -> Result<(), ScopeError> {
    let author = side(by)?;
    let value = text(message!("field-text"), text_value, message!("value-empty"))?;
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

pub(super) fn agree(
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

pub(super) fn delete(
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
