//! Commitments: adding one in its place, changing its fields, moving and deleting it.

use autosurgeon::Text;
use scopepact_messages::message;

use crate::convert;
use crate::edit::{CommitmentField, LibraryCommitment};
use crate::error::ScopeError;
use crate::interchange::{CommitmentKind, ValidationStatus};
use crate::model::{self as m, ScopeDoc};
use crate::position;
use crate::record::Change;
use crate::rules::{amount, optional_date, required_text};

fn no_such(id: &str) -> ScopeError {
    ScopeError::no_such(message!("item-commitment"), id)
}

/// Adds a commitment after `after` (an item id), or at the end; returns its id.
pub(super) fn add(
    d: &mut ScopeDoc,
    title: &str,
    kind: CommitmentKind,
    after: Option<&str>,
    cx: &Change,
) -> Result<String, ScopeError> {
    let title = required_text(message!("field-title"), title)?;
    let id = m::new_item_id();
    // A deleted commitment keeps its reference: a new one must not take it, or restoring the
    // deleted one would make two C-07.
    let hidden = super::deletions::deleted_references(cx.doc, d);
    let order = ids_in_order(d);
    let index = match after {
        Some(after) => order
            .iter()
            .position(|i| i == after)
            .map(|i| i + 1)
            .ok_or_else(|| no_such(after))?,
        None => order.len(),
    };
    let item = m::Commitment {
        position: position_at(d, &order, index),
        reference: position::next_reference(
            d.commitments
                .values()
                .map(|c| c.reference.as_str())
                .chain(hidden.iter().map(String::as_str)),
            "C",
        ),
        kind: convert::kind_in(kind),
        title,
        description: Text::with_value(""),
        added_at: Some(cx.now.to_string()),
        ..Default::default()
    };
    d.commitments.insert(id.clone(), item);
    Ok(id)
}

/// Adds a commitment worded as a library entry, pending, with where it came from; returns its
/// id. The entry's values go through the same rules as typed ones.
pub(super) fn add_from_library(
    d: &mut ScopeDoc,
    entry: &LibraryCommitment,
    after: Option<&str>,
    cx: &Change,
) -> Result<String, ScopeError> {
    let verdict = match entry.verdict {
        ValidationStatus::Feasible => m::ValidationStatus::Feasible,
        ValidationStatus::Conditional
            if entry
                .condition
                .as_deref()
                .is_some_and(|c| !c.trim().is_empty()) =>
        {
            m::ValidationStatus::Conditional
        }
        ValidationStatus::Conditional => {
            return Err(ScopeError::invalid(
                message!("field-condition"),
                message!("value-condition-needed"),
            ))
        }
        ValidationStatus::Pending | ValidationStatus::Infeasible => {
            return Err(ScopeError::invalid(
                message!("field-library"),
                message!("value-library-verdict"),
            ))
        }
    };
    let id = add(d, &entry.title, entry.kind, after, cx)?;
    update(
        d,
        &id,
        &[
            CommitmentField::Description(entry.description.clone()),
            CommitmentField::Quantity(entry.quantity),
            CommitmentField::Unit(entry.unit.clone()),
            CommitmentField::Parameters(entry.parameters.clone()),
            CommitmentField::LeadTimeWeeks(entry.lead_time_weeks),
            CommitmentField::Acceptance(entry.acceptance.clone()),
            CommitmentField::Price(entry.price),
            CommitmentField::CostEstimate(entry.cost_estimate),
        ],
    )?;
    let item = d.commitments.get_mut(&id).ok_or_else(|| no_such(&id))?;
    item.library = Some(m::LibraryOrigin {
        entry: entry.entry.clone(),
        verdict,
        condition: entry.condition.clone(),
        validated_by: entry.validated_by.clone(),
        validated_at: entry.validated_at.clone(),
        deal: entry.deal.clone(),
        customer: entry.customer.clone(),
        basis: crate::basis::technical(item),
    });
    Ok(id)
}

fn ids_in_order(d: &ScopeDoc) -> Vec<String> {
    d.commitments_in_order()
        .iter()
        .map(|(id, _)| (*id).clone())
        .collect()
}

pub(super) fn update(
    d: &mut ScopeDoc,
    id: &str,
    changes: &[CommitmentField],
) -> Result<(), ScopeError> {
    let others: Vec<String> = d
        .commitments
        .iter()
        .filter(|(k, _)| *k != id)
        .map(|(_, c)| c.reference.clone())
        .collect();
    let item = d.commitments.get_mut(id).ok_or_else(|| no_such(id))?;
    changes
        .iter()
        .try_for_each(|change| apply_field(item, change, &others))
}

pub(super) fn move_to(d: &mut ScopeDoc, id: &str, to_index: u32) -> Result<(), ScopeError> {
    if !d.commitments.contains_key(id) {
        return Err(no_such(id));
    }
    let order: Vec<String> = ids_in_order(d).into_iter().filter(|i| i != id).collect();
    let index = (to_index as usize).min(order.len());
    let position = position_at(d, &order, index);
    if let Some(item) = d.commitments.get_mut(id) {
        item.position = position;
    }
    Ok(())
}

/// Removes a commitment from the scope; the commit records the deletion and keeps its object.
pub(super) fn delete(d: &mut ScopeDoc, id: &str) -> Result<(), ScopeError> {
    d.commitments
        .remove(id)
        .map(|_| ())
        .ok_or_else(|| no_such(id))
}

/// The position that puts an item at `index` of `order` (ids in display order, without it).
pub(crate) fn position_at(d: &ScopeDoc, order: &[String], index: usize) -> String {
    let pos = |i: usize| {
        order
            .get(i)
            .and_then(|id| d.commitments.get(id))
            .map(|c| c.position.as_str())
    };
    let before = if index == 0 { None } else { pos(index - 1) };
    position::between(before, pos(index))
}

fn apply_field(
    item: &mut m::Commitment,
    change: &CommitmentField,
    other_refs: &[String],
) -> Result<(), ScopeError> {
    match change {
        CommitmentField::Reference(r) => {
            let r = required_text(message!("field-ref"), r)?;
            if other_refs.contains(&r) {
                return Err(ScopeError::invalid(
                    message!("field-ref"),
                    message!("value-ref-taken", reference = r),
                ));
            }
            item.reference = r;
        }
        CommitmentField::Kind(k) => item.kind = convert::kind_in(*k),
        CommitmentField::Title(t) => item.title = required_text(message!("field-title"), t)?,
        CommitmentField::Description(text) => {
            // Written with Automerge's own text diff (see `fieldwise`).
            if item.description.as_str() != text {
                item.description = Text::with_value(text);
            }
        }
        CommitmentField::Quantity(q) => item.quantity = amount(message!("field-quantity"), *q)?,
        CommitmentField::Unit(u) => item.unit = u.trim().to_string(),
        CommitmentField::Parameters(ps) => {
            if ps.iter().any(|p| p.name.trim().is_empty()) {
                return Err(ScopeError::invalid(
                    message!("field-parameters"),
                    message!("value-parameter-unnamed"),
                ));
            }
            item.parameters = ps
                .iter()
                .map(|p| m::Parameter {
                    name: p.name.trim().to_string(),
                    value: p.value.trim().to_string(),
                    unit: p.unit.trim().to_string(),
                    tolerance: p.tolerance.trim().to_string(),
                })
                .collect();
        }
        CommitmentField::LeadTimeWeeks(w) => {
            item.delivery.lead_time_weeks = amount(message!("field-lead_time_weeks"), *w)?
        }
        CommitmentField::DeliveryDate(v) => {
            item.delivery.date = optional_date(message!("field-delivery_date"), v)?
        }
        CommitmentField::Acceptance(a) => item.acceptance = a.clone(),
        CommitmentField::Price(p) => item.price = amount(message!("field-price"), *p)?,
        CommitmentField::CostEstimate(c) => {
            item.cost_estimate = amount(message!("field-cost_estimate"), *c)?
        }
        CommitmentField::Author(r) => item.author = convert::role_in(*r),
    }
    Ok(())
}
