//! Damage: values a document holds that do not read (see [`crate::lenient`]), listed with who
//! wrote them, and repaired by restoring the last value that read, from the document's own
//! history. Nothing is deleted to make a document readable: a damaged value is read as empty,
//! stays in the document until someone repairs or edits it, and its history stays forever.

use std::collections::{BTreeMap, BTreeSet};

use automerge::transaction::{CommitOptions, Transactable};
use automerge::{Automerge, ChangeHash, ObjId, ObjType, Prop, ReadDoc, Value, ROOT};
use serde::Serialize;

use crate::conflicts::PathStep;
use crate::edit::Actor;
use crate::error::ScopeError;
use crate::history::ChangeMessage;
use crate::lenient::Found;
use crate::model::ScopeDoc;

/// A value that does not read, as people see it.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct Damage {
    pub path: Vec<PathStep>,
    /// The item it belongs to (`C-03`, `A-01`, `header`, `signatures`…).
    pub item: String,
    pub item_id: Option<String>,
    /// The field (`price`, `validation.status`), empty for the item as a whole.
    pub field: String,
    /// What belongs there.
    pub expected: String,
    /// What is there.
    pub found: String,
    /// Who wrote it, on which device, in which change (hex), when known.
    pub by: String,
    pub device: String,
    pub change: Option<String>,
    /// Whether the scope's content is concerned (the gate waits for a repair).
    pub blocks_gate: bool,
}

/// Root keys of the scope content a signature covers.
const CONTENT_KEYS: [&str; 9] = [
    "title",
    "customer",
    "deal",
    "people",
    "commitments",
    "ambiguities",
    "assumptions",
    "exclusions",
    "overrides",
];

fn key(path: &[PathStep], i: usize) -> Option<&str> {
    match path.get(i) {
        Some(PathStep::Key(k)) => Some(k),
        _ => None,
    }
}

pub(crate) fn blocks_gate(found: &Found) -> bool {
    key(&found.path, 0).is_some_and(|k| CONTENT_KEYS.contains(&k))
}

/// After reading: two commitments (or ambiguities) made offline on two laptops can share a ref;
/// every one after the first (by id) reads with the next free ref, noted as damage so a repair
/// writes it. Links to commitments no longer in force are dropped from what is read.
pub(crate) fn settle(model: &mut ScopeDoc) {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut renamed = vec![];
    let ids: Vec<String> = model.commitments.keys().cloned().collect();
    for id in &ids {
        let reference = model.commitments[id].reference.clone();
        if !reference.trim().is_empty() && seen.insert(reference.clone()) {
            continue;
        }
        let fresh = crate::position::next_reference(
            model.commitments.values().map(|c| c.reference.as_str()),
            "C",
        );
        renamed.push(("commitments", id.clone(), reference, fresh.clone()));
        if let Some(c) = model.commitments.get_mut(id) {
            c.reference = fresh.clone();
        }
        seen.insert(fresh);
    }
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let ids: Vec<String> = model.ambiguities.keys().cloned().collect();
    for id in &ids {
        let reference = model.ambiguities[id].reference.clone();
        if !reference.trim().is_empty() && seen.insert(reference.clone()) {
            continue;
        }
        let fresh = crate::position::next_reference(
            model.ambiguities.values().map(|a| a.reference.as_str()),
            "A",
        );
        renamed.push(("ambiguities", id.clone(), reference, fresh.clone()));
        if let Some(a) = model.ambiguities.get_mut(id) {
            a.reference = fresh.clone();
        }
        seen.insert(fresh);
    }
    for (collection, id, was, now) in renamed {
        if was.trim().is_empty() {
            // Already listed by the reader (a ref must not be empty); read with a fresh one.
            continue;
        }
        model.damaged.0.push(Found {
            path: vec![
                PathStep::Key(collection.into()),
                PathStep::Key(id),
                PathStep::Key("reference".into()),
            ],
            expected: "a ref no other item has",
            found: format!("{was:?}, shared with another item (read as {now})"),
            written_by: None,
        });
    }
    let live: BTreeSet<String> = model
        .commitments
        .values()
        .map(|c| c.reference.clone())
        .collect();
    for a in model.ambiguities.values_mut() {
        a.commitments.retain(|r| live.contains(r));
    }
    for r in model.rework.values_mut() {
        r.commitments.retain(|c| live.contains(c));
    }
}

/// The damage of a read model, described for people.
pub fn report(am: &Automerge, model: &ScopeDoc) -> Vec<Damage> {
    if model.damaged.0.is_empty() {
        return vec![];
    }
    let changes = am.get_changes(&[]);
    model
        .damaged
        .0
        .iter()
        .map(|found| {
            let (item, item_id, field) = crate::conflicts::locate(model, &found.path);
            let writer = match &found.written_by {
                Some((counter, actor)) => changes
                    .iter()
                    .find(|c| {
                        c.actor_id().to_hex_string() == *actor
                            && (c.start_op().get()..c.start_op().get() + c.len() as u64)
                                .contains(counter)
                    })
                    .map(|c| (c.actor_id().to_hex_string(), c.hash())),
                None => remover(am, &changes, &found.path),
            };
            let actor = writer.as_ref().and_then(|(a, _)| model.actors.get(a));
            Damage {
                path: found.path.clone(),
                item,
                item_id,
                field,
                expected: found.expected.to_string(),
                found: found.found.clone(),
                by: actor.map_or_else(|| "an unknown peer".to_string(), |a| a.name.clone()),
                device: actor.map(|a| a.device.clone()).unwrap_or_default(),
                change: writer.map(|(_, hash)| hash.to_string()),
                blocks_gate: blocks_gate(found),
            }
        })
        .collect()
}

/// The change that removed the value at `path` (newest first), when one did.
fn remover(
    am: &Automerge,
    changes: &[automerge::Change],
    path: &[PathStep],
) -> Option<(String, ChangeHash)> {
    let (last, parents) = path.split_last()?;
    let PathStep::Key(field) = last else {
        return None;
    };
    let (parent, _) = resolve(am, parents)?;
    let parent = match parent {
        ObjId::Root => automerge::legacy::ObjectId::Root,
        ObjId::Id(counter, actor, _) => {
            automerge::legacy::ObjectId::Id(automerge::legacy::OpId(counter, actor))
        }
    };
    changes.iter().rev().take(2_000).find_map(|change| {
        let expanded = change.decode();
        expanded
            .operations
            .iter()
            .any(|op| {
                matches!(op.action, automerge::legacy::OpType::Delete)
                    && op.obj == parent
                    && matches!(&op.key, automerge::legacy::Key::Map(k) if k.as_str() == field)
            })
            .then(|| (change.actor_id().to_hex_string(), change.hash()))
    })
}

/// The object at `path` (from the root), and its type.
fn resolve(am: &Automerge, path: &[PathStep]) -> Option<(ObjId, ObjType)> {
    let mut obj = ROOT;
    let mut kind = ObjType::Map;
    for step in path {
        match am.get(&obj, prop(step)).ok()? {
            Some((Value::Object(t), child)) => {
                obj = child;
                kind = t;
            }
            _ => return None,
        }
    }
    Some((obj, kind))
}

fn prop(step: &PathStep) -> Prop {
    match step {
        PathStep::Key(k) => Prop::Map(k.clone()),
        PathStep::Index(i) => Prop::Seq(*i as usize),
    }
}

/// What a repair did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, specta::Type)]
pub struct Repaired {
    /// Values put back from history: `C-03 price: 148000`.
    pub restored: Vec<String>,
    /// Damage no earlier value can mend: someone enters the value again.
    pub left: Vec<String>,
}

/// How far back, in changes, a repair looks for a value that read.
const MAX_STEPS_BACK: usize = 16;

/// Restores each damaged value to the last value that read, as one change made by `by`.
pub fn repair(doc: &mut Automerge, by: &Actor) -> Result<Repaired, ScopeError> {
    let model = crate::record::read(doc)?;
    let (plan, outcome) = plan_repairs(doc, &model);
    if !plan.is_empty() {
        write_repairs(doc, by, &model, &plan)?;
    }
    Ok(outcome)
}

type Plan = Vec<(Vec<PathStep>, Restore)>;

/// What to restore for each damaged value (outer values first), and what cannot be.
fn plan_repairs(doc: &Automerge, model: &ScopeDoc) -> (Plan, Repaired) {
    let mut outcome = Repaired::default();
    let mut plan: Plan = vec![];
    let mut seen: BTreeSet<Vec<PathStep>> = BTreeSet::new();
    let mut found: Vec<&Found> = model.damaged.0.iter().collect();
    // Outer values first: restoring a whole collection mends what was inside it.
    found.sort_by_key(|f| f.path.len());
    for f in found {
        if seen.iter().any(|done| f.path.starts_with(done)) {
            continue;
        }
        let (item, _, field) = crate::conflicts::locate(model, &f.path);
        let label = if field.is_empty() {
            item
        } else {
            format!("{item} {field}")
        };
        if f.expected == "a ref no other item has" {
            let (collection, id) = (key(&f.path, 0), key(&f.path, 1));
            let now = match (collection, id) {
                (Some("commitments"), Some(id)) => {
                    model.commitments.get(id).map(|c| c.reference.clone())
                }
                (Some("ambiguities"), Some(id)) => {
                    model.ambiguities.get(id).map(|a| a.reference.clone())
                }
                _ => None,
            };
            if let Some(now) = now {
                outcome.restored.push(format!("{label}: now {now}"));
                plan.push((f.path.clone(), Restore::Scalar(now.into())));
                seen.insert(f.path.clone());
            }
            continue;
        }
        match last_good(doc, &f.path) {
            Some((source, shown)) => {
                outcome.restored.push(format!("{label}: {shown}"));
                plan.push((f.path.clone(), Restore::From(Box::new(source))));
                seen.insert(f.path.clone());
            }
            None => outcome.left.push(format!(
                "{label}: no earlier value reads; enter it again ({} expected, {} found)",
                f.expected, f.found
            )),
        }
    }
    (plan, outcome)
}

/// Writes the planned restorations as one change, attributed to `by`.
fn write_repairs(
    doc: &mut Automerge,
    by: &Actor,
    model: &ScopeDoc,
    plan: &Plan,
) -> Result<(), ScopeError> {
    crate::record::use_actor(doc, by)?;
    let actor = doc.get_actor().to_hex_string();
    let items: BTreeMap<String, Vec<String>> = plan
        .iter()
        .map(|(path, _)| {
            let (_, id, field) = crate::conflicts::locate(model, path);
            (id.unwrap_or_else(|| "header".into()), vec![field])
        })
        .collect();
    let message = ChangeMessage {
        action: "repair".into(),
        items,
    };
    let mut tx = doc.transaction();
    for (path, restore) in plan {
        let Some((last, parents)) = path.split_last() else {
            continue;
        };
        let Some((parent, _)) = resolve_in(&tx, parents) else {
            continue;
        };
        match restore {
            Restore::Scalar(value) => {
                tx.put(&parent, prop(last), value.clone())?;
            }
            Restore::From(source) => {
                let Some((from_parent, _)) = resolve(source, parents) else {
                    continue;
                };
                copy(source, &from_parent, prop(last), &mut tx, &parent, 0)?;
            }
        }
    }
    crate::record::register_actor(&mut tx, &actor, by)?;
    tx.commit_with(
        CommitOptions::default()
            .with_message(serde_json::to_string(&message).unwrap_or_default())
            .with_time(chrono::Utc::now().timestamp()),
    );
    Ok(())
}

enum Restore {
    /// A value decided now (a ref made unique).
    Scalar(automerge::ScalarValue),
    /// The value at the same path in this earlier state of the document.
    From(Box<Automerge>),
}

fn resolve_in<D: ReadDoc>(doc: &D, path: &[PathStep]) -> Option<(ObjId, ObjType)> {
    let mut obj = ROOT;
    let mut kind = ObjType::Map;
    for step in path {
        match doc.get(&obj, prop(step)).ok()? {
            Some((Value::Object(t), child)) => {
                obj = child;
                kind = t;
            }
            _ => return None,
        }
    }
    Some((obj, kind))
}

/// The latest earlier state of the document in which the value at `path` reads, and the value
/// shown for people. Walks back through the changes that wrote (or removed) the value there.
fn last_good(doc: &Automerge, path: &[PathStep]) -> Option<(Automerge, String)> {
    let mut state = doc.fork();
    for _ in 0..MAX_STEPS_BACK {
        let culprit = culprit(&state, path)?;
        let deps = state.get_change_by_hash(&culprit)?.deps().to_vec();
        if deps.is_empty() {
            return None;
        }
        state = state.fork_at(&deps).ok()?;
        let model = crate::record::read(&state).ok()?;
        let (parent, _) = resolve(&state, &path[..path.len() - 1])?;
        let present = state.get(&parent, prop(path.last()?)).ok()?;
        let still_damaged = model
            .damaged
            .0
            .iter()
            .any(|f| f.path.starts_with(path) || path.starts_with(&f.path));
        if let (Some((value, _)), false) = (present, still_damaged) {
            let shown = match value {
                Value::Scalar(s) => s.to_string(),
                Value::Object(t) => format!("{t:?}").to_lowercase(),
            };
            return Some((state, shown));
        }
    }
    None
}

/// The change that put the current value at `path`, or removed it.
fn culprit(doc: &Automerge, path: &[PathStep]) -> Option<ChangeHash> {
    let (last, parents) = path.split_last()?;
    let (parent, _) = resolve(doc, parents)?;
    let changes = doc.get_changes(&[]);
    match doc.get(&parent, prop(last)).ok()? {
        Some((_, ObjId::Id(counter, actor, _))) => changes
            .iter()
            .find(|c| {
                *c.actor_id() == actor
                    && (c.start_op().get()..c.start_op().get() + c.len() as u64).contains(&counter)
            })
            .map(|c| c.hash()),
        Some((_, ObjId::Root)) => None,
        None => remover(doc, &changes, path).map(|(_, hash)| hash),
    }
}

/// Deep copy of a value from one document into a transaction (bounded: the model is shallow).
fn copy<T: Transactable>(
    from: &Automerge,
    from_obj: &ObjId,
    at: Prop,
    tx: &mut T,
    to_obj: &ObjId,
    depth: usize,
) -> Result<(), ScopeError> {
    if depth > crate::conflicts::MAX_DEPTH {
        return Ok(());
    }
    let Some((value, source)) = from.get(from_obj, at.clone())? else {
        return Ok(());
    };
    match value {
        Value::Scalar(s) => {
            tx.put(to_obj, at, s.into_owned())?;
        }
        Value::Object(ObjType::Text) => {
            let text = from.text(&source)?;
            let target = tx.put_object(to_obj, at, ObjType::Text)?;
            tx.splice_text(&target, 0, 0, &text)?;
        }
        Value::Object(kind @ (ObjType::Map | ObjType::Table)) => {
            let target = tx.put_object(to_obj, at, kind)?;
            let keys: Vec<String> = from.keys(&source).collect();
            for key in keys {
                copy(from, &source, Prop::Map(key), tx, &target, depth + 1)?;
            }
        }
        Value::Object(ObjType::List) => {
            let target = tx.put_object(to_obj, at, ObjType::List)?;
            for index in 0..from.length(&source) {
                match from.get(&source, index)? {
                    Some((Value::Scalar(s), _)) => {
                        tx.insert(&target, index, s.into_owned())?;
                    }
                    Some((Value::Object(kind), _)) => {
                        tx.insert_object(&target, index, kind)?;
                        copy_into_list(from, &source, index, tx, &target, depth + 1)?;
                    }
                    None => {}
                }
            }
        }
    }
    Ok(())
}

/// Fills the object just inserted at `index` of `to_list` from the one at `index` of `from_list`.
fn copy_into_list<T: Transactable>(
    from: &Automerge,
    from_list: &ObjId,
    index: usize,
    tx: &mut T,
    to_list: &ObjId,
    depth: usize,
) -> Result<(), ScopeError> {
    // Putting at the index replaces the object just inserted with a full copy.
    copy(from, from_list, Prop::Seq(index), tx, to_list, depth)
}
