//! Who changed what, when: read back from the Automerge history.
//!
//! Every change this crate makes carries a JSON message naming the action and, per item, the
//! fields it touched (computed by comparing the model before and after, so it is exact whatever
//! the edit). Changes travel with their messages through merges and sync, and the actor of each
//! change maps to a person and device through the document's `actors` table.

use std::collections::BTreeMap;

use automerge::Automerge;
use serde::{Deserialize, Serialize};

use crate::basis;
use crate::convert;
use crate::fieldwise::Fieldwise;
use crate::interchange::Role;
use crate::model::{Agreement, Ambiguity, Commitment, ScopeDoc};

/// The message stored with each change.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ChangeMessage {
    pub action: String,
    /// Item id (or `header`) → fields touched.
    #[serde(default)]
    pub items: BTreeMap<String, Vec<String>>,
}

/// One entry of an item's history, newest last.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct HistoryEntry {
    /// RFC 3339.
    pub at: String,
    pub by: String,
    pub role: Option<Role>,
    pub device: String,
    /// What was done: `create`, `update_commitment`, `validate_commitment`, `import`, `merge`…
    pub action: String,
    /// The fields touched, or `created` / `deleted`.
    pub fields: Vec<String>,
}

/// The fields that differ between two models, per item.
pub fn touched(before: &ScopeDoc, after: &ScopeDoc) -> BTreeMap<String, Vec<String>> {
    let mut items = BTreeMap::new();
    let header = header_fields(before, after);
    if !header.is_empty() {
        items.insert("header".to_string(), header);
    }
    diff_collection(
        &mut items,
        &before.commitments,
        &after.commitments,
        commitment_fields,
    );
    diff_collection(
        &mut items,
        &before.ambiguities,
        &after.ambiguities,
        ambiguity_fields,
    );
    diff_collection(
        &mut items,
        &before.assumptions,
        &after.assumptions,
        agreement_fields,
    );
    diff_collection(
        &mut items,
        &before.exclusions,
        &after.exclusions,
        agreement_fields,
    );
    diff_collection(
        &mut items,
        &before.overrides,
        &after.overrides,
        |_, _| vec![],
    );
    items
}

fn diff_collection<T: Fieldwise>(
    items: &mut BTreeMap<String, Vec<String>>,
    before: &BTreeMap<String, T>,
    after: &BTreeMap<String, T>,
    fields: impl Fn(&T, &T) -> Vec<String>,
) {
    for (id, new) in after {
        let changed = match before.get(id) {
            None => vec!["created".to_string()],
            // The cheap comparison first: most items are untouched by any one edit.
            Some(old) if !new.differs(old) => continue,
            Some(old) => fields(old, new),
        };
        if !changed.is_empty() {
            items.insert(id.clone(), changed);
        }
    }
    for id in before.keys().filter(|id| !after.contains_key(*id)) {
        items.insert(id.clone(), vec!["deleted".to_string()]);
    }
}

fn header_fields(a: &ScopeDoc, b: &ScopeDoc) -> Vec<String> {
    let mut fields = vec![];
    let mut check = |name: &str, same: bool| {
        if !same {
            fields.push(name.to_string());
        }
    };
    check("title", a.title == b.title);
    check("language", a.language == b.language);
    check("customer", a.customer == b.customer);
    check("deal", a.deal == b.deal);
    check("people", a.people == b.people);
    fields
}

fn commitment_fields(a: &Commitment, b: &Commitment) -> Vec<String> {
    let (ca, cb) = (basis::content(a), basis::content(b));
    let mut fields: Vec<String> = basis::CONTENT_FIELDS
        .iter()
        .filter(|f| ca.get(**f) != cb.get(**f))
        .map(|f| f.to_string())
        .collect();
    for (name, same) in [
        ("ref", a.reference == b.reference),
        ("order", a.position == b.position),
        ("author", a.author == b.author),
        ("validation", a.validation == b.validation),
    ] {
        if !same {
            fields.push(name.to_string());
        }
    }
    fields
}

fn ambiguity_fields(a: &Ambiguity, b: &Ambiguity) -> Vec<String> {
    [
        ("ref", a.reference == b.reference),
        ("question", a.question == b.question),
        ("commitments", a.commitments == b.commitments),
        ("severity", a.severity == b.severity),
        ("owner", a.owner == b.owner),
        ("due", a.due == b.due),
        ("status", a.status == b.status),
        ("answer", a.answer == b.answer),
        ("order", a.position == b.position),
    ]
    .into_iter()
    .filter(|(_, same)| !same)
    .map(|(name, _)| name.to_string())
    .collect()
}

fn agreement_fields(a: &Agreement, b: &Agreement) -> Vec<String> {
    [
        ("text", a.text == b.text),
        ("author", a.author == b.author),
        (
            "agreement",
            a.agreed_by == b.agreed_by && a.agreed_text == b.agreed_text,
        ),
        ("order", a.position == b.position),
    ]
    .into_iter()
    .filter(|(_, same)| !same)
    .map(|(name, _)| name.to_string())
    .collect()
}

/// The history of one item (a commitment, ambiguity, assumption or exclusion id, or `header`).
pub fn item_history(doc: &Automerge, model: &ScopeDoc, item_id: &str) -> Vec<HistoryEntry> {
    doc.get_changes(&[])
        .into_iter()
        .filter_map(|change| {
            let message: ChangeMessage = serde_json::from_str(change.message()?).ok()?;
            let fields = message.items.get(item_id)?.clone();
            let actor = model.actors.get(&change.actor_id().to_hex_string());
            Some(HistoryEntry {
                at: chrono::DateTime::from_timestamp(change.timestamp(), 0)
                    .map(|t| t.to_rfc3339())
                    .unwrap_or_default(),
                by: actor.map_or_else(|| "unknown".to_string(), |a| a.name.clone()),
                role: actor.and_then(|a| a.role).map(convert::role_out),
                device: actor.map(|a| a.device.clone()).unwrap_or_default(),
                action: message.action,
                fields,
            })
        })
        .collect()
}

/// One change of the document, for the audit certificate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    /// RFC 3339.
    pub at: String,
    pub by: String,
    pub role: Option<Role>,
    pub device: String,
    /// The action recorded in the change (`import`, `validate_commitment`, `sign`…).
    pub action: String,
    /// What it touched, as people name items (`C-03`, `A-01`, `header`…).
    pub items: Vec<String>,
}

/// Every change of the document that says what it did, oldest first.
pub fn timeline(doc: &Automerge, model: &ScopeDoc) -> Vec<TimelineEntry> {
    let name = |id: &str| -> String {
        if let Some(c) = model.commitments.get(id) {
            return c.reference.clone();
        }
        if let Some(a) = model.ambiguities.get(id) {
            return a.reference.clone();
        }
        for (list, items) in [
            ("assumption", model.assumptions_in_order()),
            ("exclusion", model.exclusions_in_order()),
        ] {
            if let Some(n) = items.iter().position(|(i, _)| i.as_str() == id) {
                return format!("{list} {}", n + 1);
            }
        }
        if model.deleted_commitments.contains_key(id) {
            return "a deleted commitment".to_string();
        }
        id.to_string()
    };
    let mut entries: Vec<TimelineEntry> = doc
        .get_changes(&[])
        .into_iter()
        .filter_map(|change| {
            let message: ChangeMessage = serde_json::from_str(change.message()?).ok()?;
            let actor = model.actors.get(&change.actor_id().to_hex_string());
            Some(TimelineEntry {
                at: chrono::DateTime::from_timestamp(change.timestamp(), 0)
                    .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                    .unwrap_or_default(),
                by: actor.map_or_else(|| "unknown".to_string(), |a| a.name.clone()),
                role: actor.and_then(|a| a.role).map(convert::role_out),
                device: actor.map(|a| a.device.clone()).unwrap_or_default(),
                action: message.action,
                items: message.items.keys().map(|id| name(id)).collect(),
            })
        })
        .collect();
    entries.sort_by(|a, b| a.at.cmp(&b.at));
    entries
}
