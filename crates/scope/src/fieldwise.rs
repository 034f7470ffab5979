//! Writes only the fields an edit changed.
//!
//! autosurgeon's `reconcile` puts every scalar again; Automerge skips a put of an unchanged
//! value, except where two replicas wrote the field concurrently: there the put overwrites both
//! values, and the conflict would vanish without anyone choosing (DESIGN §3 forbids that). So an
//! edit compares the model before and after and reconciles field by field, leaving untouched
//! fields, and their conflicts, alone. It also keeps each change as small as the edit.

use std::collections::BTreeMap;

use automerge::transaction::{Transactable, Transaction};
use automerge::{ObjId, ObjType, ReadDoc, Value};
use autosurgeon::{reconcile_prop, Hydrate, Reconcile, ReconcileError, Text};

use crate::model::*;

pub(crate) trait Fieldwise: Reconcile {
    /// Whether any field differs; reading the document is what costs, so unchanged items are
    /// skipped before any lookup.
    fn differs(&self, before: &Self) -> bool;

    /// Writes the fields of `self` that differ from `before` into the map object `obj`.
    fn reconcile_changes(
        &self,
        before: &Self,
        tx: &mut Transaction<'_>,
        obj: &ObjId,
    ) -> Result<(), ReconcileError>;
}

/// A struct-valued field: recurse into its object, or write it whole when it is not there yet.
fn nested<T: Fieldwise>(
    tx: &mut Transaction<'_>,
    obj: &ObjId,
    key: &str,
    after: &T,
    before: &T,
) -> Result<(), ReconcileError> {
    if !after.differs(before) {
        return Ok(());
    }
    match tx.get(obj, key)? {
        Some((Value::Object(_), child)) => after.reconcile_changes(before, tx, &child),
        _ => reconcile_prop(tx, obj, key, after),
    }
}

fn items_differ<T: Fieldwise>(after: &BTreeMap<String, T>, before: &BTreeMap<String, T>) -> bool {
    after.len() != before.len()
        || after
            .iter()
            .any(|(id, item)| before.get(id).is_none_or(|old| item.differs(old)))
}

/// Collaborative text: Automerge diffs the new value against the stored one and splices, in its
/// own index units (autosurgeon's `Text::update` counts bytes, which breaks on "ß" or "±").
fn text(
    tx: &mut Transaction<'_>,
    obj: &ObjId,
    key: &str,
    value: &str,
) -> Result<(), ReconcileError> {
    match tx.get(obj, key)? {
        Some((Value::Object(ObjType::Text), existing)) => Ok(tx.update_text(&existing, value)?),
        _ => reconcile_prop(tx, obj, key, Text::with_value(value)),
    }
}

/// A map of items by id: add, delete, or recurse into the items that exist on both sides.
fn items<T: Fieldwise + Hydrate>(
    tx: &mut Transaction<'_>,
    obj: &ObjId,
    key: &str,
    after: &BTreeMap<String, T>,
    before: &BTreeMap<String, T>,
) -> Result<(), ReconcileError> {
    items_keeping(tx, obj, key, after, before, |_| false)
}

/// [`items`], but an item gone from the model whose id `kept` names stays in the document
/// (hidden: a deleted commitment keeps its object), and an item that comes back is written
/// field by field onto the object still there.
fn items_keeping<T: Fieldwise + Hydrate>(
    tx: &mut Transaction<'_>,
    obj: &ObjId,
    key: &str,
    after: &BTreeMap<String, T>,
    before: &BTreeMap<String, T>,
    kept: impl Fn(&str) -> bool,
) -> Result<(), ReconcileError> {
    if !items_differ(after, before) {
        return Ok(());
    }
    let Some((Value::Object(_), map)) = tx.get(obj, key)? else {
        return reconcile_prop(tx, obj, key, after);
    };
    for id in before.keys().filter(|id| !after.contains_key(*id)) {
        if !kept(id) {
            tx.delete(&map, id.as_str())?;
        }
    }
    for (id, item) in after {
        match before.get(id) {
            Some(old) => nested(tx, &map, id, item, old)?,
            None => match autosurgeon::hydrate_prop::<_, Option<T>, _, _>(tx, &map, id.as_str()) {
                Ok(Some(there)) => nested(tx, &map, id, item, &there)?,
                _ => reconcile_prop(tx, &map, id.as_str(), item)?,
            },
        }
    }
    Ok(())
}

macro_rules! fieldwise {
    ($ty:ty {
        leaves: [$($leaf:ident),* $(,)?]
        $(, texts: [$($text:ident),* $(,)?])?
        $(, nested: [$($nest:ident),* $(,)?])?
        $(, items: [$($map:ident),* $(,)?])?
        $(, kept: [$($kept:ident recorded_in $graves:ident),* $(,)?])?
    }) => {
        impl Fieldwise for $ty {
            fn differs(&self, before: &Self) -> bool {
                false
                $( || self.$leaf != before.$leaf )*
                $($( || self.$text.as_str() != before.$text.as_str() )*)?
                $($( || self.$nest.differs(&before.$nest) )*)?
                $($( || items_differ(&self.$map, &before.$map) )*)?
                $($( || items_differ(&self.$kept, &before.$kept) )*)?
            }

            fn reconcile_changes(
                &self,
                before: &Self,
                tx: &mut Transaction<'_>,
                obj: &ObjId,
            ) -> Result<(), ReconcileError> {
                $(
                    if self.$leaf != before.$leaf {
                        reconcile_prop(tx, obj, stringify!($leaf), &self.$leaf)?;
                    }
                )*
                $($(
                    if self.$text.as_str() != before.$text.as_str() {
                        text(tx, obj, stringify!($text), self.$text.as_str())?;
                    }
                )*)?
                $($(
                    nested(tx, obj, stringify!($nest), &self.$nest, &before.$nest)?;
                )*)?
                $($(
                    items(tx, obj, stringify!($map), &self.$map, &before.$map)?;
                )*)?
                $($(
                    items_keeping(tx, obj, stringify!($kept), &self.$kept, &before.$kept, |id| {
                        self.$graves.contains_key(id)
                    })?;
                )*)?
                Ok(())
            }
        }
    };
}

fieldwise!(ScopeDoc {
    leaves: [model_version, title, language, import_base, satisfaction],
    nested: [customer, deal, people, milestones, meeting],
    items: [
        deleted_commitments,
        ambiguities,
        assumptions,
        exclusions,
        overrides,
        actors,
        signatures,
        amendments,
        rework
    ],
    kept: [commitments recorded_in deleted_commitments]
});
fieldwise!(SignatureRecord {
    leaves: [
        document_id,
        role,
        signer,
        email,
        public_key,
        witness,
        time,
        statement,
        content_sha256,
        heads,
        drawing,
        drawing_sha256,
        signature
    ]
});
fieldwise!(Milestones {
    leaves: [created_at, ready_to_sign_at, stopped_at_validation_at]
});
fieldwise!(Meeting {
    leaves: [scheduled_at, place, held_at, agenda],
    texts: [minutes],
    items: [attendees, decisions, actions]
});
fieldwise!(Attendee {
    leaves: [position, name, email, role, present]
});
fieldwise!(Decision {
    leaves: [position, text]
});
fieldwise!(ActionItem {
    leaves: [position, text, owner, due, done]
});
fieldwise!(ReworkEntry {
    leaves: [
        date,
        commitments,
        cause,
        ambiguity,
        cost,
        hours,
        description,
        by
    ]
});
fieldwise!(Amendment {
    leaves: [by, at, reason, voids]
});
fieldwise!(Deletion {
    leaves: [by, role, at, basis]
});
fieldwise!(Customer {
    leaves: [name, site],
    nested: [contact]
});
fieldwise!(Person {
    leaves: [name, email]
});
fieldwise!(Deal {
    leaves: [
        crm_ref,
        value,
        currency,
        target_close,
        significant,
        margin_threshold_pct,
        significant_value,
        company_significant_value,
        company_min_margin_pct,
        thresholds_reason
    ]
});
fieldwise!(People {
    leaves: [],
    nested: [
        commercial_lead,
        operational_lead,
        customer_signatory,
        executive
    ]
});
fieldwise!(Commitment {
    leaves: [
        position,
        reference,
        kind,
        title,
        quantity,
        unit,
        parameters,
        acceptance,
        price,
        cost_estimate,
        author,
        library,
        added_at
    ],
    texts: [description],
    nested: [delivery, validation]
});
fieldwise!(Delivery {
    leaves: [lead_time_weeks, date]
});
fieldwise!(Validation {
    leaves: [status, by, at, condition, reason, basis, from_library]
});
fieldwise!(Ambiguity {
    leaves: [
        position,
        reference,
        question,
        raised_by,
        commitments,
        severity,
        owner,
        due,
        status,
        answer
    ]
});
fieldwise!(Agreement {
    leaves: [
        position,
        text,
        author,
        agreed_by,
        agreed_by_name,
        agreed_text
    ]
});
fieldwise!(Override {
    leaves: [gate, reference, reason, by, at, revenue, cost]
});
fieldwise!(ActorRecord {
    leaves: [
        name,
        email,
        role,
        device,
        certificate_sha256,
        certificate_binding
    ]
});
