//! Operations on one scope document held in Automerge. Every function here is pure: bytes in
//! memory in, bytes in memory out; persistence belongs to the store.

use automerge::transaction::{CommitOptions, Transactable};
use automerge::{Automerge, ChangeHash, ReadDoc, ROOT};
use autosurgeon::{reconcile, Text};

use crate::basis;
use crate::conflicts;
use crate::convert;
use crate::edit::{Actor, CommitmentField, Edit, EditOutcome, HeaderField};
use crate::error::ScopeError;
use crate::fieldwise::Fieldwise;
use crate::handoff;
use crate::history::{self, ChangeMessage};
use crate::interchange as x;
use crate::lifecycle;
use crate::model::{self as m, ScopeDoc};
use crate::position;
pub use crate::record::read;
use crate::record::{actor_record, hidden_commitment, use_actor};
use crate::refusal::Refusal;
use crate::signing as signature;
use crate::status::Status;
use crate::validation::register;

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
    crate::edit::acting_role(by)?;
    let title = required_text("title", title)?;
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
    commit_known(&mut doc, &mut known, by, "import", |d| {
        *d = model;
        Ok(())
    })?;
    let heads: Vec<String> = doc.get_heads().iter().map(|h| h.to_string()).collect();
    commit_known(&mut doc, &mut known, by, "record_import_base", |d| {
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
    crate::edit::acting_role(by)?;
    // The meeting, rework and satisfaction are not scope content: a sealed scope takes them.
    let after_signature = matches!(
        edit,
        Edit::StartAmendment { .. }
            | Edit::ScheduleMeeting { .. }
            | Edit::SetAttendee { .. }
            | Edit::RemoveAttendee { .. }
            | Edit::UpdateMeetingNotes { .. }
            | Edit::AddDecision { .. }
            | Edit::AddActionItem { .. }
            | Edit::SetActionDone { .. }
            | Edit::RemoveMeetingItem { .. }
            | Edit::RecordMeetingHeld { .. }
            | Edit::AddRework { .. }
            | Edit::RemoveRework { .. }
            | Edit::RecordSatisfaction { .. }
    );
    if !after_signature {
        let sealed = match known {
            Some(model) => signature::sealed(model),
            None => signature::sealed(&read(doc)?),
        };
        if sealed {
            return Err(ScopeError::Refused(Refusal::Sealed));
        }
    }
    use_actor(doc, by)?;
    let mut outcome = EditOutcome::default();
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let action = edit_action(edit);
    match edit {
        Edit::UpdateHeader { changes } => {
            commit_known(doc, known, by, action, |d| {
                changes
                    .iter()
                    .try_for_each(|change| apply_header(d, change))
            })?;
        }
        Edit::AddCommitment { title, kind, after } => {
            let title = required_text("title", title)?;
            let id = m::new_item_id();
            // A deleted commitment keeps its reference: a new one must not take it, or
            // restoring the deleted one would make two C-07.
            let hidden = deleted_references(doc, known)?;
            commit_known(doc, known, by, action, |d| {
                let order: Vec<String> = d
                    .commitments_in_order()
                    .iter()
                    .map(|(id, _)| (*id).clone())
                    .collect();
                let index = match after {
                    Some(after) => order
                        .iter()
                        .position(|i| i == after)
                        .map(|i| i + 1)
                        .ok_or_else(|| ScopeError::NoSuchItem {
                            what: "commitment",
                            id: after.clone(),
                        })?,
                    None => order.len(),
                };
                let position = position_at(d, &order, index);
                let item = m::Commitment {
                    position,
                    reference: position::next_reference(
                        d.commitments
                            .values()
                            .map(|c| c.reference.as_str())
                            .chain(hidden.iter().map(String::as_str)),
                        "C",
                    ),
                    kind: convert::kind_in(*kind),
                    title,
                    description: Text::with_value(""),
                    ..Default::default()
                };
                d.commitments.insert(id.clone(), item);
                Ok(())
            })?;
            outcome.created_id = Some(id);
        }
        Edit::UpdateCommitment { id, changes } => {
            commit_known(doc, known, by, action, |d| {
                let others: Vec<String> = d
                    .commitments
                    .iter()
                    .filter(|(k, _)| *k != id)
                    .map(|(_, c)| c.reference.clone())
                    .collect();
                let item = d
                    .commitments
                    .get_mut(id)
                    .ok_or_else(|| ScopeError::NoSuchItem {
                        what: "commitment",
                        id: id.clone(),
                    })?;
                changes
                    .iter()
                    .try_for_each(|change| apply_commitment(item, change, &others))
            })?;
        }
        Edit::MoveCommitment { id, to_index } => {
            commit_known(doc, known, by, action, |d| {
                if !d.commitments.contains_key(id) {
                    return Err(ScopeError::NoSuchItem {
                        what: "commitment",
                        id: id.clone(),
                    });
                }
                let order: Vec<String> = d
                    .commitments_in_order()
                    .iter()
                    .map(|(i, _)| (*i).clone())
                    .filter(|i| i != id)
                    .collect();
                let index = (*to_index as usize).min(order.len());
                let position = position_at(d, &order, index);
                if let Some(item) = d.commitments.get_mut(id) {
                    item.position = position;
                }
                Ok(())
            })?;
        }
        Edit::DeleteCommitment { id } => {
            commit_known(doc, known, by, action, |d| {
                d.commitments
                    .remove(id)
                    .map(|_| ())
                    .ok_or_else(|| ScopeError::NoSuchItem {
                        what: "commitment",
                        id: id.clone(),
                    })
            })?;
        }
        Edit::ValidateCommitment { id, verdict, note } => {
            commit_known(doc, known, by, action, |d| {
                register::validate(d, id, *verdict, note.as_deref(), by, &now)
            })?;
        }
        Edit::AddAmbiguity {
            question,
            severity,
            commitments,
        } => {
            commit_known(doc, known, by, action, |d| {
                outcome.created_id = Some(register::add_ambiguity(
                    d,
                    question,
                    *severity,
                    commitments,
                    by,
                )?);
                Ok(())
            })?;
        }
        Edit::UpdateAmbiguity { id, changes } => {
            commit_known(doc, known, by, action, |d| {
                register::update_ambiguity(d, id, changes, by)
            })?;
        }
        Edit::ResolveAmbiguity { id, answer } => {
            commit_known(doc, known, by, action, |d| {
                register::resolve_ambiguity(d, id, answer, by)
            })?;
        }
        Edit::TransferAmbiguity { id, owner, due } => {
            commit_known(doc, known, by, action, |d| {
                register::transfer_ambiguity(d, id, owner, due, by)
            })?;
        }
        Edit::ReopenAmbiguity { id } => {
            commit_known(doc, known, by, action, |d| {
                register::reopen_ambiguity(d, id, by)
            })?;
        }
        Edit::DeleteAmbiguity { id } => {
            commit_known(doc, known, by, action, |d| {
                register::delete_ambiguity(d, id, by)
            })?;
        }
        Edit::AddAgreement { list, text } => {
            commit_known(doc, known, by, action, |d| {
                outcome.created_id = Some(register::add_agreement(d, *list, text, by)?);
                Ok(())
            })?;
        }
        Edit::UpdateAgreement { list, id, text } => {
            commit_known(doc, known, by, action, |d| {
                register::update_agreement(d, *list, id, text, by)
            })?;
        }
        Edit::Agree { list, id } => {
            commit_known(doc, known, by, action, |d| {
                register::agree(d, *list, id, by)
            })?;
        }
        Edit::DeleteAgreement { list, id } => {
            commit_known(doc, known, by, action, |d| {
                register::delete_agreement(d, *list, id, by)
            })?;
        }
        Edit::Override {
            gate,
            reference,
            reason,
        } => {
            commit_known(doc, known, by, action, |d| {
                outcome.created_id = Some(register::add_override(
                    d,
                    *gate,
                    reference.as_deref(),
                    reason,
                    by,
                    &now,
                )?);
                Ok(())
            })?;
        }
        Edit::RevokeOverride { id } => {
            commit_known(doc, known, by, action, |d| {
                register::revoke_override(d, id, by)
            })?;
        }
        Edit::StartAmendment { reason } => {
            commit_known(doc, known, by, action, |d| {
                if !signature::sealed(d) {
                    return Err(ScopeError::Refused(Refusal::NotSealed));
                }
                let reason = reason.trim();
                if reason.is_empty() {
                    return Err(ScopeError::InvalidValue {
                        field: "reason".into(),
                        message: "say why the signed scope must change".into(),
                    });
                }
                let current = signature::content_sha256(d);
                let voids = signature::lapses(d, &current)
                    .into_iter()
                    .filter(|(_, lapse)| lapse.is_none())
                    .map(|(id, _)| id)
                    .collect();
                d.amendments.insert(
                    uuid::Uuid::now_v7().to_string(),
                    m::Amendment {
                        by: by.name.clone(),
                        at: now.clone(),
                        reason: reason.to_string(),
                        voids,
                    },
                );
                Ok(())
            })?;
        }
        Edit::ScheduleMeeting { at, place } => {
            commit_known(doc, known, by, action, |d| handoff::schedule(d, at, place))?;
        }
        Edit::SetAttendee {
            id,
            name,
            email,
            role,
            present,
        } => {
            let id = id.clone().unwrap_or_else(m::new_item_id);
            commit_known(doc, known, by, action, |d| {
                handoff::set_attendee(d, &id, name, email, *role, *present)
            })?;
            outcome.created_id = Some(id);
        }
        Edit::RemoveAttendee { id } => {
            commit_known(doc, known, by, action, |d| {
                d.meeting
                    .attendees
                    .remove(id)
                    .map(|_| ())
                    .ok_or_else(|| ScopeError::NoSuchItem {
                        what: "attendee",
                        id: id.clone(),
                    })
            })?;
        }
        Edit::UpdateMeetingNotes { agenda, minutes } => {
            commit_known(doc, known, by, action, |d| {
                if let Some(agenda) = agenda {
                    d.meeting.agenda = agenda.clone();
                }
                if let Some(minutes) = minutes {
                    d.meeting.minutes = Text::with_value(minutes.as_str());
                }
                Ok(())
            })?;
        }
        Edit::AddDecision { text } => {
            let id = m::new_item_id();
            commit_known(doc, known, by, action, |d| {
                handoff::add_decision(d, &id, text)
            })?;
            outcome.created_id = Some(id);
        }
        Edit::AddActionItem { text, owner, due } => {
            let id = m::new_item_id();
            commit_known(doc, known, by, action, |d| {
                handoff::add_action(d, &id, text, owner, due.as_deref())
            })?;
            outcome.created_id = Some(id);
        }
        Edit::SetActionDone { id, done } => {
            commit_known(doc, known, by, action, |d| {
                let item = d
                    .meeting
                    .actions
                    .get_mut(id)
                    .ok_or_else(|| ScopeError::NoSuchItem {
                        what: "action item",
                        id: id.clone(),
                    })?;
                item.done = *done;
                Ok(())
            })?;
        }
        Edit::RemoveMeetingItem { id } => {
            commit_known(doc, known, by, action, |d| {
                let removed = d.meeting.decisions.remove(id).is_some()
                    || d.meeting.actions.remove(id).is_some();
                if removed {
                    Ok(())
                } else {
                    Err(ScopeError::NoSuchItem {
                        what: "decision or action item",
                        id: id.clone(),
                    })
                }
            })?;
        }
        Edit::RecordMeetingHeld { at } => {
            commit_known(doc, known, by, action, |d| handoff::record_held(d, at))?;
        }
        Edit::AddRework {
            date,
            commitments,
            cause,
            ambiguity,
            cost,
            hours,
            description,
        } => {
            let id = m::new_item_id();
            commit_known(doc, known, by, action, |d| {
                handoff::add_rework(
                    d,
                    &id,
                    date,
                    commitments,
                    *cause,
                    ambiguity.as_deref(),
                    *cost,
                    *hours,
                    description,
                    by,
                )
            })?;
            outcome.created_id = Some(id);
        }
        Edit::RemoveRework { id } => {
            commit_known(doc, known, by, action, |d| {
                d.rework
                    .remove(id)
                    .map(|_| ())
                    .ok_or_else(|| ScopeError::NoSuchItem {
                        what: "rework entry",
                        id: id.clone(),
                    })
            })?;
        }
        Edit::RecordSatisfaction {
            score,
            comment,
            date,
        } => {
            commit_known(doc, known, by, action, |d| {
                handoff::record_satisfaction(d, *score, comment, date, by)
            })?;
        }
        Edit::RestoreCommitment { id } => {
            let hidden = deleted_commitment(doc, known, id)?;
            commit_known(doc, known, by, action, |d| {
                d.deleted_commitments.remove(id);
                d.commitments.insert(id.clone(), hidden);
                Ok(())
            })?;
        }
        Edit::ConfirmDeletion { id } => {
            let hidden = deleted_commitment(doc, known, id)?;
            commit_known(doc, known, by, action, |d| {
                if let Some(deletion) = d.deleted_commitments.get_mut(id) {
                    deletion.by = by.name.clone();
                    deletion.role = by.role.map(convert::role_in);
                    deletion.at = now.clone();
                    deletion.basis = basis::basis(&hidden);
                }
                Ok(())
            })?;
        }
        Edit::ResolveConflict { path, choice } => {
            // Record who is choosing before the raw write, so the choice is attributed.
            commit_known(doc, known, by, "register_actor", |_| Ok(()))?;
            conflicts::resolve(doc, path, choice)?;
            *known = None;
        }
    }
    Ok(outcome)
}

/// Adds a signature made by `by` (whose key signed `record`): refused unless the rules of
/// [`signature::prepare`] still hold and the record is exactly what they produce now.
pub fn add_signature(
    doc: &mut Automerge,
    known: &mut Option<ScopeDoc>,
    document_id: &str,
    record: m::SignatureRecord,
    request: &signature::SignRequest,
    by: &Actor,
) -> Result<(), ScopeError> {
    let model = match known.take() {
        Some(model) => model,
        None => read(doc)?,
    };
    let expected = signature::prepare(
        document_id,
        doc,
        &model,
        by,
        request,
        &record.public_key,
        &record.time,
    )?;
    if signature::payload_of(&record) != expected
        || scopepact_signing::verify(&expected, &record.signature).is_err()
    {
        return Err(ScopeError::InvalidValue {
            field: "signature".into(),
            message: "the signature does not cover this document as it is now".into(),
        });
    }
    *known = Some(model);
    use_actor(doc, by)?;
    let result = commit_known(doc, known, by, "sign", |d| {
        d.signatures
            .insert(uuid::Uuid::now_v7().to_string(), record);
        Ok(())
    });
    if result.is_err() {
        *known = None;
    }
    result
}

/// A deleted commitment as its hidden object holds it now (edits merged since included).
fn deleted_commitment(
    doc: &Automerge,
    known: &mut Option<ScopeDoc>,
    id: &str,
) -> Result<m::Commitment, ScopeError> {
    let deleted = match known {
        Some(model) => model.deleted_commitments.contains_key(id),
        None => read(doc)?.deleted_commitments.contains_key(id),
    };
    let hidden = deleted.then(|| hidden_commitment(doc, id)).flatten();
    hidden.ok_or_else(|| ScopeError::NoSuchItem {
        what: "deleted commitment",
        id: id.to_string(),
    })
}

/// The references of deleted commitments, still held by their hidden objects.
fn deleted_references(
    doc: &Automerge,
    known: &Option<ScopeDoc>,
) -> Result<Vec<String>, ScopeError> {
    let read_model;
    let model = match known {
        Some(model) => model,
        None => {
            read_model = read(doc)?;
            &read_model
        }
    };
    let mut references = vec![];
    for id in model.deleted_commitments.keys() {
        references.extend(hidden_commitment(doc, id).map(|c| c.reference));
    }
    Ok(references)
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

/// The action name recorded in the change message, for history.
fn edit_action(edit: &Edit) -> &'static str {
    match edit {
        Edit::UpdateHeader { .. } => "update_header",
        Edit::AddCommitment { .. } => "add_commitment",
        Edit::UpdateCommitment { .. } => "update_commitment",
        Edit::MoveCommitment { .. } => "move_commitment",
        Edit::DeleteCommitment { .. } => "delete_commitment",
        Edit::ValidateCommitment { .. } => "validate_commitment",
        Edit::AddAmbiguity { .. } => "add_ambiguity",
        Edit::UpdateAmbiguity { .. } => "update_ambiguity",
        Edit::ResolveAmbiguity { .. } => "resolve_ambiguity",
        Edit::TransferAmbiguity { .. } => "transfer_ambiguity",
        Edit::ReopenAmbiguity { .. } => "reopen_ambiguity",
        Edit::DeleteAmbiguity { .. } => "delete_ambiguity",
        Edit::AddAgreement { .. } => "add_agreement",
        Edit::UpdateAgreement { .. } => "update_agreement",
        Edit::Agree { .. } => "agree",
        Edit::DeleteAgreement { .. } => "delete_agreement",
        Edit::Override { .. } => "override",
        Edit::RevokeOverride { .. } => "revoke_override",
        Edit::StartAmendment { .. } => "start_amendment",
        Edit::ScheduleMeeting { .. } => "schedule_meeting",
        Edit::SetAttendee { .. } => "set_attendee",
        Edit::RemoveAttendee { .. } => "remove_attendee",
        Edit::UpdateMeetingNotes { .. } => "update_meeting_notes",
        Edit::AddDecision { .. } => "add_decision",
        Edit::AddActionItem { .. } => "add_action_item",
        Edit::SetActionDone { .. } => "set_action_done",
        Edit::RemoveMeetingItem { .. } => "remove_meeting_item",
        Edit::RecordMeetingHeld { .. } => "record_meeting_held",
        Edit::AddRework { .. } => "add_rework",
        Edit::RemoveRework { .. } => "remove_rework",
        Edit::RecordSatisfaction { .. } => "record_satisfaction",
        Edit::RestoreCommitment { .. } => "restore_commitment",
        Edit::ConfirmDeletion { .. } => "confirm_deletion",
        Edit::ResolveConflict { .. } => "resolve_conflict",
    }
}

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
    if signature::sealed(&current) {
        return Err(ScopeError::Refused(Refusal::Sealed));
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
        d.title = file.title.clone();
        d.customer = convert::customer_in(&file.customer);
        d.deal = convert::deal_in(&file.deal);
        d.people = convert::people_in(&file.people);

        let mut previous: Option<String> = None;
        for c in &file.commitments {
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
                        position: position_at(d, &order, index),
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
        for a in &file.ambiguities {
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
        merge_agreements(&mut d.assumptions, &file.assumptions);
        merge_agreements(&mut d.exclusions, &file.exclusions);
        for o in &file.overrides {
            let o = convert::override_in(o);
            let known = d
                .overrides
                .values()
                .any(|e| e.gate == o.gate && e.reference == o.reference && e.reason == o.reason);
            if !known {
                d.overrides.insert(m::new_item_id(), o);
            }
        }
        Ok(())
    })?;
    doc.merge(&mut fork)?;
    record_import_base(doc, by, fork.get_heads())?;
    Ok(report)
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

/// Hydrates the model, lets `change` modify it, reconciles the difference as one change made by
/// `by`. The change records its author's actor and, in its message, the fields it touched.
fn commit(
    doc: &mut Automerge,
    by: &Actor,
    action: &str,
    change: impl FnOnce(&mut ScopeDoc) -> Result<(), ScopeError>,
) -> Result<(), ScopeError> {
    commit_known(doc, &mut None, by, action, change)
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
    change: impl FnOnce(&mut ScopeDoc) -> Result<(), ScopeError>,
) -> Result<(), ScopeError> {
    let before: ScopeDoc = match known.take() {
        Some(model) => model,
        None if doc.get(&ROOT, "model_version")?.is_some() => read(doc)?,
        None => ScopeDoc::default(),
    };
    let mut model = before.clone();
    change(&mut model)?;
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
    convert::check_edit_limits(&before, &model, &items)?;
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

/// The position that puts an item at `index` of `order` (ids in display order, without it).
fn position_at(d: &ScopeDoc, order: &[String], index: usize) -> String {
    let pos = |i: usize| {
        order
            .get(i)
            .and_then(|id| d.commitments.get(id))
            .map(|c| c.position.as_str())
    };
    let before = if index == 0 { None } else { pos(index - 1) };
    position::between(before, pos(index))
}

fn required_text(field: &str, value: &str) -> Result<String, ScopeError> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(ScopeError::InvalidValue {
            field: field.into(),
            message: "must not be empty".into(),
        });
    }
    Ok(trimmed.to_string())
}

fn amount(field: &str, value: Option<f64>) -> Result<Option<f64>, ScopeError> {
    match value {
        Some(v) if !v.is_finite() || v < 0.0 => Err(ScopeError::InvalidValue {
            field: field.into(),
            message: format!("must be zero or more, not {v}"),
        }),
        _ => Ok(value),
    }
}

fn date(field: &str, value: &Option<String>) -> Result<Option<String>, ScopeError> {
    let value = value
        .as_ref()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty());
    if let Some(v) = &value {
        if chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").is_err() {
            return Err(ScopeError::InvalidValue {
                field: field.into(),
                message: format!("\"{v}\" is not a date of the form YYYY-MM-DD"),
            });
        }
    }
    Ok(value)
}

fn apply_header(d: &mut ScopeDoc, change: &HeaderField) -> Result<(), ScopeError> {
    match change {
        HeaderField::Title(t) => d.title = required_text("title", t)?,
        HeaderField::CustomerName(v) => d.customer.name = v.trim().to_string(),
        HeaderField::CustomerSite(v) => d.customer.site = v.trim().to_string(),
        HeaderField::CustomerContact(p) => d.customer.contact = person_in(p),
        HeaderField::CrmRef(v) => d.deal.crm_ref = v.trim().to_string(),
        HeaderField::Value(v) => d.deal.value = amount("value", *v)?,
        HeaderField::Currency(c) => {
            let c = c.trim().to_uppercase();
            if !(c.is_empty() || c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase())) {
                return Err(ScopeError::InvalidValue {
                    field: "currency".into(),
                    message: format!("\"{c}\" is not a three-letter ISO 4217 code such as EUR"),
                });
            }
            d.deal.currency = c;
        }
        HeaderField::TargetClose(v) => d.deal.target_close = date("target_close", v)?,
        HeaderField::Significant(v) => d.deal.significant = *v,
        HeaderField::MarginThresholdPct(v) => {
            if let Some(p) = v {
                if !p.is_finite() || !(-100.0..=100.0).contains(p) {
                    return Err(ScopeError::InvalidValue {
                        field: "margin_threshold_pct".into(),
                        message: "must be between -100 and 100".into(),
                    });
                }
            }
            d.deal.margin_threshold_pct = *v;
        }
        HeaderField::CommercialLead(p) => d.people.commercial_lead = person_in(p),
        HeaderField::OperationalLead(p) => d.people.operational_lead = person_in(p),
        HeaderField::CustomerSignatory(p) => d.people.customer_signatory = person_in(p),
        HeaderField::Executive(p) => d.people.executive = person_in(p),
        HeaderField::Language(l) => d.language = l.as_str().to_string(),
    }
    Ok(())
}

fn apply_commitment(
    item: &mut m::Commitment,
    change: &CommitmentField,
    other_refs: &[String],
) -> Result<(), ScopeError> {
    match change {
        CommitmentField::Reference(r) => {
            let r = required_text("ref", r)?;
            if other_refs.contains(&r) {
                return Err(ScopeError::InvalidValue {
                    field: "ref".into(),
                    message: format!("another commitment already has ref \"{r}\""),
                });
            }
            item.reference = r;
        }
        CommitmentField::Kind(k) => item.kind = convert::kind_in(*k),
        CommitmentField::Title(t) => item.title = required_text("title", t)?,
        CommitmentField::Description(text) => {
            // Written with Automerge's own text diff (see `fieldwise`).
            if item.description.as_str() != text {
                item.description = Text::with_value(text);
            }
        }
        CommitmentField::Quantity(q) => item.quantity = amount("quantity", *q)?,
        CommitmentField::Unit(u) => item.unit = u.trim().to_string(),
        CommitmentField::Parameters(ps) => {
            if ps.iter().any(|p| p.name.trim().is_empty()) {
                return Err(ScopeError::InvalidValue {
                    field: "parameters".into(),
                    message: "every technical parameter needs a name".into(),
                });
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
            item.delivery.lead_time_weeks = amount("lead_time_weeks", *w)?
        }
        CommitmentField::DeliveryDate(v) => item.delivery.date = date("delivery_date", v)?,
        CommitmentField::Acceptance(a) => item.acceptance = a.clone(),
        CommitmentField::Price(p) => item.price = amount("price", *p)?,
        CommitmentField::CostEstimate(c) => item.cost_estimate = amount("cost_estimate", *c)?,
        CommitmentField::Author(r) => item.author = convert::role_in(*r),
    }
    Ok(())
}

fn person_in(p: &crate::view::Person) -> m::Person {
    m::Person {
        name: p.name.trim().to_string(),
        email: p.email.trim().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interchange::CommitmentKind;

    // The tests below act as one commercial profile; role rules have their own tests.
    fn ana() -> Actor {
        Actor {
            name: "Ana Ruiz".into(),
            email: "ana.ruiz@pressworks.example".into(),
            role: Some(crate::interchange::Role::Commercial),
            device: "laptop-ana".into(),
            automerge_actor: String::new(),
            certificate: None,
        }
    }
    fn apply(doc: &mut Automerge, edit: &Edit) -> Result<EditOutcome, ScopeError> {
        super::apply(doc, edit, &ana())
    }
    fn from_file(file: &x::Document) -> Result<Automerge, ScopeError> {
        super::from_file(file, &ana())
    }
    fn import_into(doc: &mut Automerge, file: &x::Document) -> Result<ImportReport, ScopeError> {
        super::import_into(doc, file, &ana())
    }
    fn new_document(title: &str) -> Result<Automerge, ScopeError> {
        super::new_document(title, &ana())
    }

    const SAMPLE: &str = include_str!("../../../tests/fixtures/press-line-retrofit.json");

    fn sample_file() -> x::Document {
        x::Document::parse(SAMPLE).unwrap()
    }

    fn json(doc: &Automerge) -> serde_json::Value {
        serde_json::to_value(to_file(doc).unwrap()).unwrap()
    }

    #[test]
    fn sample_round_trips_through_automerge_and_bytes() {
        let doc = from_file(&sample_file()).unwrap();
        let reloaded = Automerge::load(&doc.save()).unwrap();
        let original: serde_json::Value = serde_json::from_str(SAMPLE).unwrap();
        assert_eq!(json(&reloaded), original);
    }

    fn id_of(doc: &Automerge, reference: &str) -> String {
        read(doc)
            .unwrap()
            .commitments
            .iter()
            .find(|(_, c)| c.reference == reference)
            .unwrap()
            .0
            .clone()
    }

    fn refs(doc: &Automerge) -> Vec<String> {
        read(doc)
            .unwrap()
            .commitments_in_order()
            .iter()
            .map(|(_, c)| c.reference.clone())
            .collect()
    }

    #[test]
    fn add_move_delete_commitments() {
        let mut doc = from_file(&sample_file()).unwrap();
        let after = id_of(&doc, "C-02");
        let created = apply(
            &mut doc,
            &Edit::AddCommitment {
                title: "Größe Ñandú ±0.02 mm".into(),
                kind: CommitmentKind::Specification,
                after: Some(after),
            },
        )
        .unwrap()
        .created_id
        .unwrap();
        assert_eq!(
            refs(&doc),
            ["C-01", "C-02", "C-08", "C-03", "C-04", "C-05", "C-06", "C-07"]
        );
        apply(
            &mut doc,
            &Edit::MoveCommitment {
                id: created.clone(),
                to_index: 0,
            },
        )
        .unwrap();
        assert_eq!(refs(&doc)[0], "C-08");
        apply(
            &mut doc,
            &Edit::MoveCommitment {
                id: created.clone(),
                to_index: 99,
            },
        )
        .unwrap();
        assert_eq!(refs(&doc).last().unwrap(), "C-08");
        apply(
            &mut doc,
            &Edit::DeleteCommitment {
                id: created.clone(),
            },
        )
        .unwrap();
        assert_eq!(refs(&doc).len(), 7);
        let err = apply(&mut doc, &Edit::DeleteCommitment { id: created }).unwrap_err();
        assert!(matches!(err, ScopeError::NoSuchItem { .. }));
    }

    #[test]
    fn invalid_edits_are_refused_and_change_nothing() {
        let mut doc = from_file(&sample_file()).unwrap();
        let heads = doc.get_heads();
        let id = id_of(&doc, "C-01");
        let bad = [
            CommitmentField::Title("  ".into()),
            CommitmentField::Price(Some(-1.0)),
            CommitmentField::DeliveryDate(Some("next week".into())),
            CommitmentField::Reference("C-02".into()),
        ];
        for change in bad {
            let edit = Edit::UpdateCommitment {
                id: id.clone(),
                changes: vec![CommitmentField::Unit("x".into()), change],
            };
            assert!(matches!(
                apply(&mut doc, &edit),
                Err(ScopeError::InvalidValue { .. })
            ));
        }
        let header = Edit::UpdateHeader {
            changes: vec![HeaderField::Currency("euros".into())],
        };
        assert!(apply(&mut doc, &header).is_err());
        assert_eq!(doc.get_heads(), heads);
    }

    #[test]
    fn description_edits_made_concurrently_both_survive() {
        let mut a = from_file(&sample_file()).unwrap();
        let mut b = a.fork();
        let id = id_of(&a, "C-02");
        let base = "Hydraulic die clamps and roller bolsters for dies up to 18 t.";
        let edit = |text: String| Edit::UpdateCommitment {
            id: id.clone(),
            changes: vec![CommitmentField::Description(text)],
        };
        apply(&mut a, &edit(format!("Two-sided {base}"))).unwrap();
        apply(&mut b, &edit(format!("{base} Includes spare seals."))).unwrap();
        a.merge(&mut b).unwrap();
        let merged = read(&a).unwrap().commitments[&id]
            .description
            .as_str()
            .to_string();
        assert_eq!(merged, format!("Two-sided {base} Includes spare seals."));
    }

    #[test]
    fn import_into_applies_file_changes_and_keeps_local_edits() {
        let mut doc = from_file(&sample_file()).unwrap();
        // Meanwhile, in the app: an untouched-by-the-file field is edited.
        let c3 = id_of(&doc, "C-03");
        apply(
            &mut doc,
            &Edit::UpdateCommitment {
                id: c3.clone(),
                changes: vec![CommitmentField::Acceptance("Edited in the app".into())],
            },
        )
        .unwrap();

        // The CRM exports a newer version: C-01 price changed, a new C-09 after C-02.
        let mut newer = sample_file();
        newer.commitments[0].price = Some(x::Number(915000.0));
        let mut added = newer.commitments[1].clone();
        added.reference = "C-09".into();
        added.title = "Spare parts package".into();
        newer.commitments.insert(2, added);

        let report = import_into(&mut doc, &newer).unwrap();
        assert_eq!(
            (report.commitments_added, report.commitments_updated),
            (1, 7)
        );
        let model = read(&doc).unwrap();
        assert_eq!(
            model.commitments[&id_of(&doc, "C-01")].price,
            Some(915000.0)
        );
        assert_eq!(model.commitments[&c3].acceptance, "Edited in the app");
        assert_eq!(
            refs(&doc),
            ["C-01", "C-02", "C-09", "C-03", "C-04", "C-05", "C-06", "C-07"]
        );

        // Importing the very same file again changes nothing and duplicates nothing.
        let before = json(&doc);
        import_into(&mut doc, &newer).unwrap();
        assert_eq!(json(&doc), before);
    }

    #[test]
    fn new_document_starts_as_draft() {
        let doc = new_document("  Línea 4  ").unwrap();
        let model = read(&doc).unwrap();
        assert_eq!(model.title, "Línea 4");
        assert_eq!(
            crate::lifecycle::status(&model),
            crate::status::Status::Draft
        );
        assert!(new_document(" ").is_err());
    }
}
