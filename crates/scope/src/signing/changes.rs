//! What changed since the last seal: edits made offline elsewhere before the seal reached them
//! and arrived by sync, or an amendment's edits. The app lists them beside the signatures.

use automerge::{Automerge, ReadDoc};

use super::{content_sha256, last_seal};
use crate::basis;
use crate::convert;
use crate::error::ScopeError;
use crate::interchange as x;
use crate::model::ScopeDoc;

#[derive(Debug, Clone, PartialEq, serde::Serialize, specta::Type)]
pub struct PostSignatureChange {
    /// `C-03`, or `header`, `ambiguities`, `assumptions`, `exclusions`, `overrides`.
    pub item: String,
    pub title: String,
    /// `added`, `deleted`, or the content fields changed.
    pub what: Vec<String>,
}

/// What differs between the content last sealed and the content now.
pub fn post_signature_changes(
    am: &Automerge,
    doc: &ScopeDoc,
) -> Result<Vec<PostSignatureChange>, ScopeError> {
    let Some(then) = content_at_seal(am, doc)? else {
        return Ok(vec![]);
    };
    if content_sha256(&then) == content_sha256(doc) {
        return Ok(vec![]);
    }
    let before = convert::file_from_model(&then);
    let after = convert::file_from_model(doc);
    let mut changes = vec![];
    let header =
        |f: &x::Document| serde_json::to_value((&f.title, &f.customer, &f.deal, &f.people)).ok();
    if header(&before) != header(&after) {
        changes.push(PostSignatureChange {
            item: "header".into(),
            title: doc.title.clone(),
            what: vec!["changed".into()],
        });
    }
    commitment_changes(&then, doc, &mut changes);
    list_changes(&before, &after, &mut changes);
    Ok(changes)
}

/// The document as the last seal's first signature saw it; `None` when there is no seal or its
/// heads are not all in this document.
fn content_at_seal(am: &Automerge, doc: &ScopeDoc) -> Result<Option<ScopeDoc>, ScopeError> {
    let Some(first) = last_seal(doc).and_then(|seal| seal.first().copied()) else {
        return Ok(None);
    };
    let heads: Vec<automerge::ChangeHash> =
        first.heads.iter().filter_map(|h| h.parse().ok()).collect();
    if heads.len() != first.heads.len() || heads.iter().any(|h| am.get_change_by_hash(h).is_none())
    {
        return Ok(None);
    }
    Ok(Some(crate::record::read(&am.fork_at(&heads)?)?))
}

/// Commitments added, changed (the content fields, and the verdict) or deleted since.
fn commitment_changes(then: &ScopeDoc, doc: &ScopeDoc, changes: &mut Vec<PostSignatureChange>) {
    for (id, now) in doc.commitments_in_order() {
        let what = match then.commitments.get(id) {
            None => vec!["added".to_string()],
            Some(old) => {
                let mut fields = basis::changed_since(now, &basis::basis(old));
                if now.validation.status != old.validation.status {
                    fields.push("validation".into());
                }
                fields
            }
        };
        if !what.is_empty() {
            changes.push(PostSignatureChange {
                item: now.reference.clone(),
                title: now.title.clone(),
                what,
            });
        }
    }
    for (id, old) in &then.commitments {
        if !doc.commitments.contains_key(id) {
            changes.push(PostSignatureChange {
                item: old.reference.clone(),
                title: old.title.clone(),
                what: vec!["deleted".into()],
            });
        }
    }
}

/// The lists that are compared whole: ambiguities, assumptions, exclusions, overrides.
fn list_changes(before: &x::Document, after: &x::Document, changes: &mut Vec<PostSignatureChange>) {
    for (item, changed) in [
        (
            "ambiguities",
            differs(&before.ambiguities, &after.ambiguities),
        ),
        (
            "assumptions",
            differs(&before.assumptions, &after.assumptions),
        ),
        ("exclusions", differs(&before.exclusions, &after.exclusions)),
        ("overrides", differs(&before.overrides, &after.overrides)),
    ] {
        if changed {
            changes.push(PostSignatureChange {
                item: item.into(),
                title: String::new(),
                what: vec!["changed".into()],
            });
        }
    }
}

fn differs<T: serde::Serialize>(before: &T, after: &T) -> bool {
    serde_json::to_value(before).ok() != serde_json::to_value(after).ok()
}
