//! Reading the Automerge record and writing as someone: the model read totally, the actor a
//! profile writes with, and the objects a deletion left behind.

use automerge::transaction::Transactable;
use automerge::{Automerge, ReadDoc, ROOT};
use autosurgeon::hydrate;
use scopepact_messages::message;

use crate::convert;
use crate::edit::Actor;
use crate::error::ScopeError;
use crate::model::{self as m, ScopeDoc};

/// What an edit's stage needs beyond the model it changes.
pub(crate) struct Change<'a> {
    /// The document before the change: the objects deleted commitments left behind.
    pub doc: &'a Automerge,
    pub by: &'a Actor,
    /// When the change is made (RFC 3339, to the second).
    pub now: &'a str,
}

/// The model of a document, read totally: a value that does not read is read as empty and
/// listed in `damaged` (see [`crate::lenient`] and [`crate::damage`]).
pub fn read(doc: &Automerge) -> Result<ScopeDoc, ScopeError> {
    let (model, found) = crate::lenient::collecting(|| hydrate::<_, ScopeDoc>(doc));
    let mut model = model?;
    model.damaged = crate::lenient::Damaged(found);
    crate::damage::settle(&mut model);
    Ok(model)
}

/// Writes with the acting profile's Automerge actor, so the change is theirs in the history.
pub(crate) fn use_actor(doc: &mut Automerge, by: &Actor) -> Result<(), ScopeError> {
    if by.automerge_actor.is_empty() {
        return Ok(());
    }
    let actor = automerge::ActorId::try_from(by.automerge_actor.as_str()).map_err(|_| {
        ScopeError::invalid(
            message!("field-actor"),
            message!("value-not-an-actor", value = &by.automerge_actor),
        )
    })?;
    doc.set_actor(actor);
    Ok(())
}

/// What the document keeps of who writes with an Automerge actor.
pub(crate) fn actor_record(by: &Actor) -> m::ActorRecord {
    m::ActorRecord {
        name: by.name.clone(),
        email: by.email.clone(),
        role: by.role.map(convert::role_in),
        device: by.device.clone(),
        certificate_sha256: by.certificate.as_ref().map(|c| c.sha256.clone()),
        certificate_binding: by.certificate.as_ref().map(|c| c.binding.clone()),
    }
}

/// Records who writes with the transaction's actor, for a change made without the model (a
/// repair).
pub(crate) fn register_actor(
    tx: &mut automerge::transaction::Transaction<'_>,
    actor: &str,
    by: &Actor,
) -> Result<(), ScopeError> {
    let actors = match tx.get(&ROOT, "actors")? {
        Some((automerge::Value::Object(automerge::ObjType::Map), actors)) => actors,
        _ => tx.put_object(&ROOT, "actors", automerge::ObjType::Map)?,
    };
    autosurgeon::reconcile_prop(tx, &actors, actor, actor_record(by))?;
    Ok(())
}

/// A deleted commitment's hidden object, read like any commitment; `None` when it is gone or is
/// not a commitment any more.
pub(crate) fn hidden_commitment(doc: &Automerge, id: &str) -> Option<m::Commitment> {
    match doc.get(&ROOT, "commitments").ok()? {
        Some((automerge::Value::Object(automerge::ObjType::Map), commitments)) => {
            match doc.get(&commitments, id).ok()? {
                Some((automerge::Value::Object(automerge::ObjType::Map), _)) => {
                    autosurgeon::hydrate_prop(doc, &commitments, id).ok()
                }
                _ => None,
            }
        }
        _ => None,
    }
}
