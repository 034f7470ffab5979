//! Concurrent edits of one field. After two replicas that changed the same field merge,
//! Automerge keeps every value; the model shows a deterministic winner, and this module lists
//! all of them with their authors so the team chooses. Nothing is resolved silently.

use automerge::transaction::{CommitOptions, Transactable};
use automerge::{Automerge, ObjId, ObjType, Prop, ReadDoc, ScalarValue, Value, ROOT};
use scopepact_messages::message;
use serde::Serialize;

use crate::convert;
pub use crate::edit::PathStep;
use crate::error::ScopeError;
use crate::history::ChangeMessage;
use crate::interchange::Role;
use crate::model::ScopeDoc;

impl PathStep {
    fn prop(&self) -> Prop {
        match self {
            PathStep::Key(k) => Prop::Map(k.clone()),
            PathStep::Index(i) => Prop::Seq(*i as usize),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct Conflict {
    pub path: Vec<PathStep>,
    /// The item the field belongs to (`C-03`, `A-01`, `header`…), for the user.
    pub item: String,
    /// The item's id, when the field belongs to an item.
    pub item_id: Option<String>,
    /// The field, e.g. `title` or `validation.status`.
    pub field: String,
    pub candidates: Vec<Candidate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct Candidate {
    /// What to pass back to choose this value.
    pub id: String,
    pub value: String,
    pub by: String,
    pub role: Option<Role>,
    pub device: String,
    /// Whether this is the value the document shows until someone chooses.
    pub shown: bool,
}

/// Root keys that hold bookkeeping, not content the team edits.
/// (Two people deleting the same commitment is no choice to make; a deleted commitment's own
/// fields are left out below, its later edits surface as a deletion in question instead.)
const SKIPPED_ROOT_KEYS: [&str; 4] = [
    "actors",
    "import_base",
    "model_version",
    "deleted_commitments",
];

/// How deep the conflict walk goes: the model itself is 6 levels deep; anything deeper was put
/// there by a peer and is not content anyone edits (a map nested a thousand deep would
/// otherwise overflow the stack).
pub(crate) const MAX_DEPTH: usize = 16;

/// Every field that currently holds concurrent values.
pub fn conflicts(doc: &Automerge, model: &ScopeDoc) -> Result<Vec<Conflict>, ScopeError> {
    let mut found = vec![];
    walk(doc, model, &ROOT, &mut vec![], &mut found)?;
    Ok(found)
}

/// One pass over each object with `map_range`/`list_range`, whose items say whether a key holds
/// concurrent values; only those keys are read in full.
fn walk(
    doc: &Automerge,
    model: &ScopeDoc,
    obj: &ObjId,
    path: &mut Vec<PathStep>,
    found: &mut Vec<Conflict>,
) -> Result<(), ScopeError> {
    if path.len() >= MAX_DEPTH {
        return Ok(());
    }
    // (step, has concurrent values, child object to descend into)
    let entries: Vec<(PathStep, bool, Option<ObjId>)> = match doc.object_type(obj)? {
        ObjType::Map | ObjType::Table => doc
            .map_range(obj, ..)
            .filter(|item| !(path.is_empty() && SKIPPED_ROOT_KEYS.contains(&item.key.as_ref())))
            .filter(|item| {
                !(matches!(path.as_slice(), [PathStep::Key(k)] if k == "commitments")
                    && model.deleted_commitments.contains_key(item.key.as_ref()))
            })
            .map(|item| {
                let child = matches!(item.value, automerge::ValueRef::Object(_)).then(|| item.id());
                (PathStep::Key(item.key.to_string()), item.conflict, child)
            })
            .collect(),
        ObjType::List => doc
            .list_range(obj, ..)
            .map(|item| {
                let child = matches!(item.value, automerge::ValueRef::Object(_)).then(|| item.id());
                (PathStep::Index(item.index as u32), item.conflict, child)
            })
            .collect(),
        // Text merges character by character: it has no conflicting values.
        ObjType::Text => vec![],
    };
    for (step, conflict, child) in entries {
        path.push(step);
        if conflict {
            let values = doc.get_all(obj, path[path.len() - 1].prop())?;
            if values.len() > 1 {
                found.push(describe(doc, model, path, &values));
            }
        }
        if let Some(child) = child {
            walk(doc, model, &child, path, found)?;
        }
        path.pop();
    }
    Ok(())
}

fn describe(
    doc: &Automerge,
    model: &ScopeDoc,
    path: &[PathStep],
    values: &[(Value<'_>, ObjId)],
) -> Conflict {
    let shown = resolve_path(doc, path)
        .ok()
        .and_then(|(obj, prop)| doc.get(&obj, prop).ok().flatten())
        .map(|(_, id)| id);
    let (item, item_id, field) = locate(model, path);
    let candidates = values
        .iter()
        .map(|(value, id)| {
            let actor = match id {
                ObjId::Id(_, actor, _) => model.actors.get(&actor.to_hex_string()),
                ObjId::Root => None,
            };
            Candidate {
                id: id.to_string(),
                value: match value {
                    Value::Scalar(s) => display(s),
                    Value::Object(t) => format!("({t:?} edited concurrently)"),
                },
                by: actor.map_or_else(|| "unknown".to_string(), |a| a.name.clone()),
                role: actor.and_then(|a| a.role).map(convert::role_out),
                device: actor.map(|a| a.device.clone()).unwrap_or_default(),
                shown: shown.as_ref() == Some(id),
            }
        })
        .collect();
    Conflict {
        path: path.to_vec(),
        item,
        item_id,
        field,
        candidates,
    }
}

fn display(value: &ScalarValue) -> String {
    match value {
        ScalarValue::Str(s) => s.to_string(),
        ScalarValue::F64(n) => n.to_string(),
        ScalarValue::Null => "—".to_string(),
        other => other.to_string(),
    }
}

/// (item label, item id, field) for a path such as `commitments/<id>/validation/status`.
pub(crate) fn locate(model: &ScopeDoc, path: &[PathStep]) -> (String, Option<String>, String) {
    let key = |i: usize| match path.get(i) {
        Some(PathStep::Key(k)) => k.clone(),
        Some(PathStep::Index(n)) => n.to_string(),
        None => String::new(),
    };
    let field_from = |i: usize| (i..path.len()).map(key).collect::<Vec<_>>().join(".");
    let collection = key(0);
    let id = key(1);
    let label = match collection.as_str() {
        "commitments" => model.commitments.get(&id).map(|c| c.reference.clone()),
        "ambiguities" => model.ambiguities.get(&id).map(|a| a.reference.clone()),
        "assumptions" => model
            .assumptions_in_order()
            .iter()
            .position(|(i, _)| **i == id)
            .map(|n| format!("assumption {}", n + 1)),
        "exclusions" => model
            .exclusions_in_order()
            .iter()
            .position(|(i, _)| **i == id)
            .map(|n| format!("exclusion {}", n + 1)),
        "overrides" => Some("override".to_string()),
        _ => None,
    };
    match label {
        Some(label) => (label, Some(id), field_from(2)),
        None => ("header".to_string(), None, field_from(0)),
    }
}

fn resolve_path(doc: &Automerge, path: &[PathStep]) -> Result<(ObjId, Prop), ScopeError> {
    let not_found =
        || ScopeError::invalid(message!("field-conflict"), message!("value-conflict-gone"));
    let (last, parents) = path.split_last().ok_or_else(not_found)?;
    let mut obj = ROOT;
    for step in parents {
        match doc.get(&obj, step.prop())? {
            Some((Value::Object(_), child)) => obj = child,
            _ => return Err(not_found()),
        }
    }
    Ok((obj, last.prop()))
}

/// Keeps the chosen value: writing it again supersedes every concurrent value.
pub(crate) fn resolve(
    doc: &mut Automerge,
    path: &[PathStep],
    choice: &str,
) -> Result<(), ScopeError> {
    let (obj, prop) = resolve_path(doc, path)?;
    let values = doc.get_all(&obj, prop.clone())?;
    if values.len() < 2 {
        return Err(ScopeError::invalid(
            message!("field-conflict"),
            message!("value-conflict-settled"),
        ));
    }
    let chosen = values
        .iter()
        .find(|(_, id)| id.to_string() == choice)
        .ok_or_else(|| {
            ScopeError::invalid(
                message!("field-conflict"),
                message!("value-conflict-no-such-choice", value = choice),
            )
        })?;
    let Value::Scalar(value) = &chosen.0 else {
        return Err(ScopeError::invalid(
            message!("field-conflict"),
            message!("value-conflict-not-a-scalar"),
        ));
    };
    let value = value.clone().into_owned();
    let field = match path.last() {
        Some(PathStep::Key(k)) => k.clone(),
        Some(PathStep::Index(i)) => i.to_string(),
        None => String::new(),
    };
    let item = match (path.first(), path.get(1)) {
        (Some(PathStep::Key(c)), Some(PathStep::Key(id)))
            if ["commitments", "ambiguities", "assumptions", "exclusions"]
                .contains(&c.as_str()) =>
        {
            id.clone()
        }
        _ => "header".to_string(),
    };
    let message = ChangeMessage {
        action: "resolve_conflict".into(),
        items: [(item, vec![field])].into(),
    };
    let mut tx = doc.transaction();
    tx.put(&obj, prop, value)?;
    tx.commit_with(
        CommitOptions::default()
            .with_message(serde_json::to_string(&message).unwrap_or_default())
            .with_time(chrono::Utc::now().timestamp()),
    );
    Ok(())
}
