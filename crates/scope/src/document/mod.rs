//! Operations on one scope document held in Automerge. Every function here is pure: bytes in
//! memory in, bytes in memory out; persistence belongs to the store.

mod import;

use automerge::transaction::{CommitOptions, Transactable};
use automerge::{Automerge, ReadDoc, ROOT};
use autosurgeon::reconcile;
use scopepact_messages::message;

use crate::basis;
use crate::conflicts;
use crate::content;
use crate::convert;
use crate::edit::{Actor, Edit, EditOutcome, Stage};
use crate::error::not_owned;
use crate::error::ScopeError;
use crate::fieldwise::Fieldwise;
use crate::handoff;
use crate::history::{self, ChangeMessage};
use crate::interchange as x;
use crate::lifecycle;
use crate::model::{self as m, ScopeDoc};
pub use crate::record::read;
use crate::record::{actor_record, use_actor, Change};
use crate::refusal::acting_role;
use crate::refusal::Refusal;
use crate::rules::required_text;
use crate::signing;
use crate::status::Status;
use crate::validation;
pub use import::{import_into, ImportReport};

/// A new, empty scope document with this title, printed in English.
pub fn new_document(title: &str, by: &Actor) -> Result<Automerge, ScopeError> {
    new_document_in(title, x::Language::En, by)
}

/// A new, empty scope document with this title, printed in `language`.
pub fn new_document_in(
    title: &str,
    language: x::Language,
    by: &Actor,
) -> Result<Automerge, ScopeError> {
    crate::refusal::acting_role(by)?;
    let title = required_text(message!("field-title"), title)?;
    let model = ScopeDoc {
        model_version: m::MODEL_VERSION,
        title,
        language: language.as_str().to_string(),
        ..Default::default()
    };
    let mut doc = Automerge::new();
    use_actor(&mut doc, by)?;
    commit(&mut doc, by, "create", |d| {
        *d = model;
        Ok(())
    })?;
    Ok(doc)
}

/// A new document holding everything a `scopepact/v1` file says.
/// Any acting identity may import, even without a profile: the file is what it is.
pub fn from_file(file: &x::Document, by: &Actor) -> Result<Automerge, ScopeError> {
    Ok(from_file_with_model(file, by)?.0)
}

/// [`from_file`], with the model of the new document (so it need not be read back).
pub fn from_file_with_model(
    file: &x::Document,
    by: &Actor,
) -> Result<(Automerge, ScopeDoc), ScopeError> {
    file.check()?;
    let model = convert::model_from_file(file);
    let mut doc = Automerge::new();
    use_actor(&mut doc, by)?;
    let mut known = None;
    commit_known(&mut doc, &mut known, by, "import", |_, d| {
        *d = model;
        Ok(())
    })?;
    let heads: Vec<String> = doc.get_heads().iter().map(|h| h.to_string()).collect();
    commit_known(&mut doc, &mut known, by, "record_import_base", |_, d| {
        d.import_base = heads;
        Ok(())
    })?;
    let model = match known {
        Some(model) => model,
        None => read(&doc)?,
    };
    Ok((doc, model))
}

/// The model a `scopepact/v1` file describes, without a document around it (what a signed
/// PDF's manifest is turned back into to draw its pages again).
pub fn model_from_file(file: &x::Document) -> ScopeDoc {
    convert::model_from_file(file)
}

pub fn model_to_file(model: &ScopeDoc) -> x::Document {
    convert::file_from_model(model)
}

pub fn to_file(doc: &Automerge) -> Result<x::Document, ScopeError> {
    Ok(convert::file_from_model(&read(doc)?))
}

/// Applies one user edit, made by `by`, as one Automerge change; a refused edit changes nothing.
pub fn apply(doc: &mut Automerge, edit: &Edit, by: &Actor) -> Result<EditOutcome, ScopeError> {
    apply_cached(doc, &mut None, edit, by)
}

/// [`apply`] for a caller that keeps the hydrated model of `doc`: `model` is the model of the
/// document before (or `None`), and is left as the model after (or `None` when unknown), so a
/// store need not hydrate 300 commitments twice per keystroke.
pub fn apply_cached(
    doc: &mut Automerge,
    model: &mut Option<ScopeDoc>,
    edit: &Edit,
    by: &Actor,
) -> Result<EditOutcome, ScopeError> {
    let result = apply_inner(doc, model, edit, by);
    if result.is_err() {
        *model = None;
    }
    result
}

fn apply_inner(
    doc: &mut Automerge,
    known: &mut Option<ScopeDoc>,
    edit: &Edit,
    by: &Actor,
) -> Result<EditOutcome, ScopeError> {
    acting_role(by)?;
    if !edit.allowed_on_sealed_scope() {
        let sealed = match known {
            Some(model) => signing::sealed(model),
            None => signing::sealed(&read(doc)?),
        };
        if sealed {
            return Err(ScopeError::Refused(Refusal::Sealed));
        }
    }
    use_actor(doc, by)?;
    if let Edit::ResolveConflict { path, choice } = edit {
        // Record who is choosing before the raw write, so the choice is attributed.
        commit_known(doc, known, by, "register_actor", |_, _| Ok(()))?;
        conflicts::resolve(doc, path, choice)?;
        *known = None;
        return Ok(EditOutcome::default());
    }
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let mut created_id = None;
    commit_known(doc, known, by, edit.action(), |before, d| {
        let cx = Change {
            doc: before,
            by,
            now: &now,
        };
        created_id = match edit.stage() {
            Stage::Content => content::apply(d, edit, &cx),
            Stage::Validation => validation::apply(d, edit, &cx),
            Stage::Signing => signing::apply(d, edit, &cx),
            Stage::Handoff => handoff::apply(d, edit, &cx),
            Stage::Merge => Err(not_owned(edit, Stage::Merge)),
        }?;
        Ok(())
    })?;
    Ok(EditOutcome { created_id })
}

/// Adds a signature made by `by` (whose key signed `record`): refused unless the rules of
/// [`signing::prepare`] still hold and the record is exactly what they produce now.
pub fn add_signature(
    doc: &mut Automerge,
    known: &mut Option<ScopeDoc>,
    document_id: &str,
    record: m::SignatureRecord,
    request: &signing::SignRequest,
    by: &Actor,
) -> Result<(), ScopeError> {
    let model = match known.take() {
        Some(model) => model,
        None => read(doc)?,
    };
    let expected = signing::prepare(
        document_id,
        doc,
        &model,
        by,
        request,
        &record.public_key,
        &record.time,
    )?;
    if signing::payload_of(&record) != expected
        || scopepact_signing::verify(&expected, &record.signature).is_err()
    {
        return Err(ScopeError::invalid(
            message!("field-signature"),
            message!("value-signature-stale"),
        ));
    }
    *known = Some(model);
    use_actor(doc, by)?;
    let result = commit_known(doc, known, by, "sign", |_, d| {
        d.signatures
            .insert(uuid::Uuid::now_v7().to_string(), record);
        Ok(())
    });
    if result.is_err() {
        *known = None;
    }
    result
}

/// Hydrates the model, lets `change` modify it, reconciles the difference as one change made by
/// `by`. The change records its author's actor and, in its message, the fields it touched.
fn commit(
    doc: &mut Automerge,
    by: &Actor,
    action: &str,
    change: impl FnOnce(&mut ScopeDoc) -> Result<(), ScopeError>,
) -> Result<(), ScopeError> {
    commit_known(doc, &mut None, by, action, |_, d| change(d))
}

/// Notes when this change brought the deal into a state the cycle times measure from. Status is
/// only computed twice when the new one is such a state.
fn record_milestones(before: &ScopeDoc, after: &mut ScopeDoc, at: &str) {
    if after.milestones.created_at.is_none() && before.model_version == 0 {
        after.milestones.created_at = Some(at.to_string());
    }
    let now = lifecycle::status(after);
    if matches!(now, Status::ReadyToSign | Status::StoppedAtValidation)
        && lifecycle::status(before) != now
    {
        let slot = match now {
            Status::ReadyToSign => &mut after.milestones.ready_to_sign_at,
            _ => &mut after.milestones.stopped_at_validation_at,
        };
        *slot = Some(at.to_string());
    }
}

/// [`commit`] starting from a known model of `doc` when there is one, and leaving the model
/// after the change in `known`.
fn commit_known(
    doc: &mut Automerge,
    known: &mut Option<ScopeDoc>,
    by: &Actor,
    action: &str,
    change: impl FnOnce(&Automerge, &mut ScopeDoc) -> Result<(), ScopeError>,
) -> Result<(), ScopeError> {
    let before: ScopeDoc = match known.take() {
        Some(model) => model,
        None if doc.get(&ROOT, "model_version")?.is_some() => read(doc)?,
        None => ScopeDoc::default(),
    };
    let mut model = before.clone();
    change(doc, &mut model)?;
    // However a commitment leaves (deleted in the app, gone from a CRM re-import), it leaves a
    // record and its object stays: an edit made elsewhere meanwhile is never silently dropped.
    let at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    for (id, gone) in &before.commitments {
        if !model.commitments.contains_key(id) {
            model
                .deleted_commitments
                .entry(id.clone())
                .or_insert_with(|| m::Deletion {
                    by: by.name.clone(),
                    role: by.role.map(convert::role_in),
                    at: at.clone(),
                    basis: basis::basis(gone),
                });
        }
    }
    record_milestones(&before, &mut model, &at);
    let items = history::touched(&before, &model);
    crate::limits::check_edit_limits(&before, &model, &items)?;
    model
        .actors
        .insert(doc.get_actor().to_hex_string(), actor_record(by));
    let message = ChangeMessage {
        action: action.to_string(),
        items,
    };
    let options = CommitOptions::default()
        .with_message(serde_json::to_string(&message).unwrap_or_default())
        .with_time(chrono::Utc::now().timestamp());
    let mut tx = doc.transaction();
    if before.model_version == 0 {
        reconcile(&mut tx, &model)?;
    } else {
        model.reconcile_changes(&before, &mut tx, &ROOT)?;
    }
    if tx.pending_ops() > 0 {
        tx.commit_with(options);
    } else {
        tx.rollback();
    }
    // The model after the change is what a read would give, but for what reading settles
    // (links to a commitment just deleted) and the damage list, which an edit may have mended:
    // a damaged document is read again next time.
    *known = model.damaged.0.is_empty().then(|| {
        crate::damage::settle(&mut model);
        model
    });
    Ok(())
}

#[cfg(test)]
mod tests;
