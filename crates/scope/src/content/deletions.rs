//! Deleted commitments: a deletion keeps the commitment's object, so an edit made elsewhere
//! meanwhile is never silently dropped; the team restores it or confirms the deletion.

use automerge::Automerge;
use scopepact_messages::message;

use crate::basis;
use crate::convert;
use crate::error::ScopeError;
use crate::model::{self as m, ScopeDoc};
use crate::record::{hidden_commitment, Change};

/// Brings a deleted commitment back, with any edit made to it since.
pub(super) fn restore(d: &mut ScopeDoc, id: &str, cx: &Change) -> Result<(), ScopeError> {
    let hidden = deleted_commitment(cx.doc, d, id)?;
    d.deleted_commitments.remove(id);
    d.commitments.insert(id.to_string(), hidden);
    Ok(())
}

/// Keeps a commitment deleted although it was edited after the deletion was decided: the
/// deletion is decided again, by `cx.by`, on the content as it is now.
pub(super) fn confirm(d: &mut ScopeDoc, id: &str, cx: &Change) -> Result<(), ScopeError> {
    let hidden = deleted_commitment(cx.doc, d, id)?;
    if let Some(deletion) = d.deleted_commitments.get_mut(id) {
        deletion.by = cx.by.name.clone();
        deletion.role = cx.by.role.map(convert::role_in);
        deletion.at = cx.now.to_string();
        deletion.basis = basis::basis(&hidden);
    }
    Ok(())
}

/// A deleted commitment as its hidden object holds it now (edits merged since included).
fn deleted_commitment(
    doc: &Automerge,
    d: &ScopeDoc,
    id: &str,
) -> Result<m::Commitment, ScopeError> {
    let deleted = d.deleted_commitments.contains_key(id);
    let hidden = deleted.then(|| hidden_commitment(doc, id)).flatten();
    hidden.ok_or_else(|| ScopeError::no_such(message!("item-deleted_commitment"), id))
}

/// The references of deleted commitments, still held by their hidden objects.
pub(super) fn deleted_references(doc: &Automerge, model: &ScopeDoc) -> Vec<String> {
    let mut references = vec![];
    for id in model.deleted_commitments.keys() {
        references.extend(hidden_commitment(doc, id).map(|c| c.reference));
    }
    references
}

/// A deletion the team has to look at again.
pub struct DeletionInQuestion {
    pub id: String,
    pub deletion: m::Deletion,
    /// The hidden commitment as it is now.
    pub commitment: m::Commitment,
    /// Content fields changed since the deletion was decided.
    pub changed: Vec<String>,
}

/// Deleted commitments whose hidden content changed after the deletion was decided: an edit
/// made offline elsewhere reached the document after it. The team restores or confirms each.
pub fn deletions_in_question(
    doc: &Automerge,
    model: &ScopeDoc,
) -> Result<Vec<DeletionInQuestion>, ScopeError> {
    let mut found = vec![];
    for (id, deletion) in &model.deleted_commitments {
        if let Some(hidden) = hidden_commitment(doc, id) {
            let changed = basis::changed_since(&hidden, &deletion.basis);
            if !changed.is_empty() {
                found.push(DeletionInQuestion {
                    id: id.clone(),
                    deletion: deletion.clone(),
                    commitment: hidden,
                    changed,
                });
            }
        }
    }
    Ok(found)
}
