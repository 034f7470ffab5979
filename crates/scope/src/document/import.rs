//! Re-importing a newer `scopepact/v1` file (from the CRM) into a document that lives on, without
//! losing what was edited in the app since the last import.

use automerge::{Automerge, ChangeHash, ReadDoc};
use autosurgeon::Text;

use super::{commit, read};
use crate::content;
use crate::convert;
use crate::edit::Actor;
use crate::error::ScopeError;
use crate::interchange as x;
use crate::model::{self as m, ScopeDoc};
use crate::position;
use crate::record::use_actor;
use crate::refusal::Refusal;
use crate::signing;

/// What `import --into` did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub commitments_added: usize,
    pub commitments_updated: usize,
    pub ambiguities_added: usize,
    pub ambiguities_updated: usize,
}

/// Reconciles a newer version of a file into a document that lives on.
///
/// The file is written onto a fork of the document taken at the last import, then the fork is
/// merged back: fields the file did not change produce no operation, so edits made meanwhile
/// survive; fields both changed become an Automerge conflict that the app shows, never a silent
/// overwrite. Items match by `ref`; items missing from the file are kept, not deleted. The
/// meeting, rework and satisfaction records are kept as the document has them: they are recorded
/// after the signature, on a sealed scope that takes no import anyway.
pub fn import_into(
    doc: &mut Automerge,
    file: &x::Document,
    by: &Actor,
) -> Result<ImportReport, ScopeError> {
    file.check()?;
    let current = read(doc)?;
    // A re-import changes content like any edit: not into a sealed scope.
    if signing::sealed(&current) {
        return Err(ScopeError::Refused(Refusal::Sealed));
    }
    // The company's thresholds were recorded from its settings when the deal was made: a file
    // rewriting them could hide that the deal departs from them.
    let theirs = crate::convert::deal_in(&file.deal);
    if (
        theirs.company_significant_value,
        theirs.company_min_margin_pct,
    ) != (
        current.deal.company_significant_value,
        current.deal.company_min_margin_pct,
    ) {
        return Err(ScopeError::in_file(
            "$.deal.company_thresholds",
            scopepact_messages::message!("value-company-thresholds-from-settings"),
        ));
    }
    use_actor(doc, by)?;
    let mut base: Vec<ChangeHash> = current
        .import_base
        .iter()
        .filter_map(|h| h.parse().ok())
        .collect();
    if base.is_empty() || base.iter().any(|h| doc.get_change_by_hash(h).is_none()) {
        base = doc.get_heads();
    }
    let mut fork = doc.fork_at(&base)?;
    // The fork keeps its own fresh actor (reusing ours would repeat sequence numbers); `commit`
    // maps that actor to the same person.
    let mut report = ImportReport::default();
    commit(&mut fork, by, "import", |d| {
        write_file_onto(d, file, &mut report);
        Ok(())
    })?;
    doc.merge(&mut fork)?;
    record_import_base(doc, by, fork.get_heads())?;
    Ok(report)
}

/// Writes what the file says onto the model: the header replaced, items matched by ref.
fn write_file_onto(d: &mut ScopeDoc, file: &x::Document, report: &mut ImportReport) {
    d.title = file.title.clone();
    d.customer = convert::customer_in(&file.customer);
    d.deal = convert::deal_in(&file.deal);
    d.people = convert::people_in(&file.people);
    merge_commitments(d, &file.commitments, report);
    merge_ambiguities(d, &file.ambiguities, report);
    merge_agreements(&mut d.assumptions, &file.assumptions);
    merge_agreements(&mut d.exclusions, &file.exclusions);
    merge_overrides(d, &file.overrides);
}

/// Commitments match by ref; a new one goes right after the one before it in the file.
fn merge_commitments(d: &mut ScopeDoc, file: &[x::Commitment], report: &mut ImportReport) {
    let mut previous: Option<String> = None;
    for c in file {
        let existing = d
            .commitments
            .iter()
            .find(|(_, e)| e.reference == c.reference)
            .map(|(k, _)| k.clone());
        let id = match existing {
            Some(id) => {
                report.commitments_updated += 1;
                id
            }
            None => {
                report.commitments_added += 1;
                let order: Vec<String> = d
                    .commitments_in_order()
                    .iter()
                    .map(|(i, _)| (*i).clone())
                    .collect();
                // Right after the item that precedes it in the file, so file order holds.
                let index = previous
                    .as_ref()
                    .and_then(|p| order.iter().position(|i| i == p))
                    .map_or(0, |i| i + 1);
                let item = m::Commitment {
                    position: content::position_at(d, &order, index),
                    description: Text::with_value(""),
                    ..Default::default()
                };
                let id = m::new_item_id();
                d.commitments.insert(id.clone(), item);
                id
            }
        };
        if let Some(item) = d.commitments.get_mut(&id) {
            convert::commitment_into(c, item);
        }
        previous = Some(id);
    }
}

fn merge_ambiguities(d: &mut ScopeDoc, file: &[x::Ambiguity], report: &mut ImportReport) {
    for a in file {
        let existing = d
            .ambiguities
            .iter()
            .find(|(_, e)| e.reference == a.reference)
            .map(|(k, _)| k.clone());
        let id = match existing {
            Some(id) => {
                report.ambiguities_updated += 1;
                id
            }
            None => {
                report.ambiguities_added += 1;
                let last = d
                    .ambiguities_in_order()
                    .last()
                    .map(|(_, l)| l.position.clone());
                let id = m::new_item_id();
                let item = m::Ambiguity {
                    position: position::between(last.as_deref(), None),
                    ..Default::default()
                };
                d.ambiguities.insert(id.clone(), item);
                id
            }
        };
        if let Some(item) = d.ambiguities.get_mut(&id) {
            convert::ambiguity_into(a, item);
        }
    }
}

/// An override the document already holds (same gate, ref and reason) is not added twice.
fn merge_overrides(d: &mut ScopeDoc, file: &[x::Override]) {
    for o in file {
        let o = convert::override_in(o);
        let known = d
            .overrides
            .values()
            .any(|e| e.gate == o.gate && e.reference == o.reference && e.reason == o.reason);
        if !known {
            d.overrides.insert(m::new_item_id(), o);
        }
    }
}

/// Assumptions and exclusions have no ref: they match on their text.
fn merge_agreements(
    items: &mut std::collections::BTreeMap<String, m::Agreement>,
    file: &[x::Agreement],
) {
    for a in file {
        match items.values_mut().find(|e| e.text == a.text) {
            Some(existing) => {
                existing.author = convert::role_in(a.author);
                existing.agreed_by = a.agreed_by.map(convert::role_in);
                existing.agreed_by_name = a.agreed_by_name.clone();
                existing.agreed_text = a.agreed_by.map(|_| a.text.clone());
            }
            None => {
                let last = m::ordered(items, |i| &i.position)
                    .last()
                    .map(|(_, l)| l.position.clone());
                items.insert(
                    m::new_item_id(),
                    convert::agreement_in(a, position::between(last.as_deref(), None)),
                );
            }
        }
    }
}

fn record_import_base(
    doc: &mut Automerge,
    by: &Actor,
    heads: Vec<ChangeHash>,
) -> Result<(), ScopeError> {
    let hex: Vec<String> = heads.iter().map(|h| h.to_string()).collect();
    commit(doc, by, "record_import_base", |d| {
        d.import_base = hex;
        Ok(())
    })
}
