//! The company document in the store: a row of `documents` of kind `company` (so sync and the
//! pending count treat it like any document), left out of the deals list and the indicators.
//! Each write also projects the retired library entries, in the same transaction.

use automerge::Automerge;
use rusqlite::{params, OptionalExtension, Transaction, TransactionBehavior};
use scopepact_company::{self as company, CompanyDoc, CompanyEdit, COMPANY_DOCUMENT_ID};
use scopepact_scope::edit::Actor;

use crate::chunks::{self, StorageKey};
use crate::library::{self, Retirement};
use crate::{
    change_count, heads_text, load_document, now, storage_id, Absorbed, Store, StoreError,
};

impl Store {
    /// The company document's model; the empty one before anyone wrote it here.
    pub fn company(&self) -> Result<CompanyDoc, StoreError> {
        Ok(match stored(&self.conn)? {
            Some(doc) => company::read(&doc),
            None => CompanyDoc::default(),
        })
    }

    /// Who changed the company document, when, and what, oldest first.
    pub fn company_history(&self) -> Result<Vec<company::CompanyChange>, StoreError> {
        Ok(match stored(&self.conn)? {
            Some(doc) => company::history(&doc),
            None => vec![],
        })
    }

    /// Applies a change to the company document as `by`, in one transaction; refused changes
    /// write nothing.
    pub fn edit_company(&mut self, edit: &CompanyEdit, by: &Actor) -> Result<(), StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let (mut doc, known) = match stored(&tx)? {
            Some(doc) => (doc, true),
            None => (company::genesis()?, false),
        };
        let before = if known { doc.get_heads() } else { vec![] };
        company::apply(&mut doc, edit, by, chrono::Utc::now())?;
        write(&tx, &doc, &before)?;
        tx.commit()?;
        Ok(())
    }

    /// The company document as a peer holds it, merged into this device's copy.
    pub(crate) fn absorb_company(&mut self, mut theirs: Automerge) -> Result<Absorbed, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let absorbed = match stored(&tx)? {
            Some(mut doc) => {
                let before = doc.get_heads();
                doc.merge(&mut theirs).map_err(|e| corrupt(e.to_string()))?;
                if doc.get_heads() == before {
                    return Ok(Absorbed::Unchanged);
                }
                write(&tx, &doc, &before)?;
                Absorbed::Changed
            }
            None => {
                write(&tx, &theirs, &[])?;
                Absorbed::New
            }
        };
        tx.commit()?;
        Ok(absorbed)
    }

    /// After sync wrote the company document's chunks: its row and projection brought up to
    /// date.
    pub(crate) fn reindex_company(&mut self) -> Result<bool, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let known = row_exists(&tx)?;
        let doc = load_document(&tx, COMPANY_DOCUMENT_ID)?;
        project(&tx, &doc, !known)?;
        tx.commit()?;
        Ok(!known)
    }
}

fn corrupt(reason: String) -> StoreError {
    StoreError::Corrupt {
        id: COMPANY_DOCUMENT_ID.to_string(),
        reason,
    }
}

fn row_exists(conn: &rusqlite::Connection) -> Result<bool, StoreError> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM documents WHERE id = ?1",
            [COMPANY_DOCUMENT_ID.to_string()],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

fn stored(conn: &rusqlite::Connection) -> Result<Option<Automerge>, StoreError> {
    if !row_exists(conn)? {
        return Ok(None);
    }
    load_document(conn, COMPANY_DOCUMENT_ID).map(Some)
}

/// Writes the changes after `before` (all of it when empty) and the row.
fn write(
    tx: &Transaction<'_>,
    doc: &Automerge,
    before: &[automerge::ChangeHash],
) -> Result<(), StoreError> {
    let id = storage_id(&COMPANY_DOCUMENT_ID);
    let heads = doc.get_heads();
    if before.is_empty() {
        chunks::put(tx, &StorageKey::snapshot(&id, &heads), &doc.save())?;
    } else {
        chunks::put(
            tx,
            &StorageKey::incremental_to(&id, &heads),
            &doc.save_after(before),
        )?;
    }
    project(tx, doc, before.is_empty() && !row_exists(tx)?)
}

/// The row (kind `company`, the company's name as title) and the retired entries.
fn project(tx: &Transaction<'_>, doc: &Automerge, new: bool) -> Result<(), StoreError> {
    let model = company::read(doc);
    let now = now();
    if new {
        tx.execute(
            "INSERT INTO documents (id, storage_id, rev, title, customer, value, currency, status, created_at, updated_at, heads, changes, kind)
             VALUES (?1, ?2, 1, ?3, '', NULL, ?4, 'draft', ?5, ?5, ?6, ?7, 'company')",
            params![COMPANY_DOCUMENT_ID.to_string(), storage_id(&COMPANY_DOCUMENT_ID), model.name, model.currency, now, heads_text(&doc.get_heads()), change_count(doc)],
        )?;
    } else {
        tx.execute(
            "UPDATE documents SET rev = rev + 1, title = ?2, currency = ?3, updated_at = ?4, heads = ?5, changes = ?6, kind = 'company' WHERE id = ?1",
            params![COMPANY_DOCUMENT_ID.to_string(), model.name, model.currency, now, heads_text(&doc.get_heads()), change_count(doc)],
        )?;
    }
    let retired: Vec<(String, Retirement)> = model
        .retired
        .into_iter()
        .map(|(id, r)| {
            (
                id,
                Retirement {
                    by: r.by,
                    at: r.at,
                    reason: r.reason,
                },
            )
        })
        .collect();
    library::set_retired(tx, &retired)
}
