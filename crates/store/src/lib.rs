//! ScopePact's local store. One SQLite file per data directory, in WAL mode so the app and the
//! CLI can use it at the same time. Every write runs in one `BEGIN IMMEDIATE` transaction that
//! is committed before the call returns: an acknowledged edit survives `kill -9`.

pub mod backup;
pub mod chunks;
mod company;
mod error;
pub mod library;
mod migrations;
pub mod profiles;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use automerge::{Automerge, ChangeHash};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use scopepact_kpis::DealFacts;
use scopepact_scope::model::ScopeDoc;
use scopepact_scope::status::Status;
use scopepact_scope::view::DocumentSummary;
use uuid::Uuid;

pub use chunks::StorageKey;
pub use error::StoreError;
pub use profiles::Profile;

/// The setting that remembers the profile the app acts as.
const CURRENT_PROFILE: &str = "current_profile";

/// The database file inside a data directory.
pub const DATABASE_FILE: &str = "scopepact.sqlite3";
/// Incremental chunks of one document kept before they are folded into a snapshot.
const COMPACT_AFTER_CHUNKS: i64 = 64;

/// `explicit` (the `--data-dir` flag) wins, then `SCOPEPACT_DATA_DIR`, then the platform's
/// data directory (`$XDG_DATA_HOME/scopepact` on Linux).
pub fn resolve_data_dir(explicit: Option<PathBuf>) -> Result<PathBuf, StoreError> {
    if let Some(dir) = explicit {
        return Ok(dir);
    }
    if let Some(dir) = std::env::var_os("SCOPEPACT_DATA_DIR").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    dirs::data_dir()
        .map(|d| d.join("scopepact"))
        .ok_or_else(|| StoreError::DataDir {
            path: PathBuf::from("~"),
            reason: "no home data directory is known: set SCOPEPACT_DATA_DIR or pass --data-dir"
                .into(),
        })
}

/// A loaded document, the `rev` it was loaded at, and its hydrated model once someone needed it
/// (hydrating 300 commitments costs tens of milliseconds: do it once per change, not per read).
struct Cached {
    doc: Automerge,
    rev: i64,
    model: Option<ScopeDoc>,
}

impl Cached {
    fn new(doc: Automerge, rev: i64) -> Cached {
        Cached {
            doc,
            rev,
            model: None,
        }
    }
}

pub struct Store {
    conn: Connection,
    /// Documents already loaded, with the `rev` they were loaded at.
    cache: HashMap<Uuid, Cached>,
}

impl Store {
    /// Opens (creating when missing) the store of a data directory.
    pub fn open_dir(dir: &Path) -> Result<Store, StoreError> {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::DataDir {
            path: dir.to_path_buf(),
            reason: e.to_string(),
        })?;
        if !dir.is_dir() {
            return Err(StoreError::DataDir {
                path: dir.to_path_buf(),
                reason: "it is not a directory".into(),
            });
        }
        Store::open(&dir.join(DATABASE_FILE))
    }

    pub fn open(path: &Path) -> Result<Store, StoreError> {
        Ok(Store {
            conn: connect(path)?,
            cache: HashMap::new(),
        })
    }

    /// Adds a profile on this device; the first one becomes the current one.
    pub fn add_profile(
        &mut self,
        name: &str,
        email: &str,
        role: scopepact_scope::interchange::Role,
    ) -> Result<Profile, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let profile = profiles::add(&tx, name, email, role)?;
        if profiles::setting(&tx, CURRENT_PROFILE)?.is_none() {
            profiles::set_setting(&tx, CURRENT_PROFILE, &profile.id)?;
        }
        tx.commit()?;
        Ok(profile)
    }

    pub fn profiles(&self) -> Result<Vec<Profile>, StoreError> {
        profiles::list(&self.conn)
    }

    /// The profile to act as: the one with `email` when given, else the current one, else the
    /// first; `None` when this device has no profile yet.
    pub fn acting_profile(&self, email: Option<&str>) -> Result<Option<Profile>, StoreError> {
        let all = self.profiles()?;
        if let Some(email) = email {
            return all
                .into_iter()
                .find(|p| p.email.eq_ignore_ascii_case(email.trim()))
                .map(Some)
                .ok_or_else(|| StoreError::NoSuchProfile(email.to_string()));
        }
        let current = profiles::setting(&self.conn, CURRENT_PROFILE)?;
        Ok(all
            .iter()
            .find(|p| Some(&p.id) == current.as_ref())
            .or(all.first())
            .cloned())
    }

    /// Makes the profile with this id the current one (switching is one click in the app).
    pub fn switch_profile(&mut self, id: &str) -> Result<Profile, StoreError> {
        let profile = self
            .profiles()?
            .into_iter()
            .find(|p| p.id == id)
            .ok_or_else(|| StoreError::NoSuchProfile(id.to_string()))?;
        profiles::set_setting(&self.conn, CURRENT_PROFILE, &profile.id)?;
        Ok(profile)
    }

    /// Stores a new document and its list row, in one transaction.
    pub fn create(&mut self, doc: Automerge) -> Result<Uuid, StoreError> {
        let model = scopepact_scope::document::read(&doc)?;
        self.create_with_model(doc, model)
    }

    /// [`Store::create`] for a caller that has the document's model already (an import).
    pub fn create_with_model(
        &mut self,
        doc: Automerge,
        model: ScopeDoc,
    ) -> Result<Uuid, StoreError> {
        let id = Uuid::now_v7();
        let row = Projection::of(&model);
        let storage_id = storage_id(&id);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        chunks::put(
            &tx,
            &StorageKey::snapshot(&storage_id, &doc.get_heads()),
            &doc.save(),
        )?;
        let now = now();
        tx.execute(
            "INSERT INTO documents (id, storage_id, rev, title, customer, value, currency, status, created_at, updated_at, heads, facts, changes)
             VALUES (?1, ?2, 1, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9, ?10, ?11)",
            params![id.to_string(), storage_id, row.title, row.customer, row.value, row.currency, row.status.as_str(), now, heads_text(&doc.get_heads()), row.facts, change_count(&doc)],
        )?;
        library::project(&tx, &id.to_string(), &model, row.status)?;
        tx.commit()?;
        self.cache.insert(
            id,
            Cached {
                doc,
                rev: 1,
                model: Some(model),
            },
        );
        Ok(id)
    }

    /// The document as stored now (reloaded when another process wrote to it).
    pub fn get(&mut self, id: Uuid) -> Result<&Automerge, StoreError> {
        let rev = self.rev(id)?;
        self.refresh(id, rev)?;
        Ok(&self.cached(id)?.doc)
    }

    /// The document as stored now and its hydrated model.
    pub fn model(&mut self, id: Uuid) -> Result<(&Automerge, &ScopeDoc), StoreError> {
        let rev = self.rev(id)?;
        self.refresh(id, rev)?;
        let cached = self
            .cache
            .get_mut(&id)
            .ok_or(StoreError::NoSuchDocument(id.to_string()))?;
        if cached.model.is_none() {
            cached.model = Some(scopepact_scope::document::read(&cached.doc)?);
        }
        match &cached.model {
            Some(model) => Ok((&cached.doc, model)),
            None => Err(StoreError::NoSuchDocument(id.to_string())),
        }
    }

    fn cached(&self, id: Uuid) -> Result<&Cached, StoreError> {
        self.cache
            .get(&id)
            .ok_or(StoreError::NoSuchDocument(id.to_string()))
    }

    /// Runs `change` on the document and makes what it changed durable before returning. When
    /// `change` fails, nothing is written and the cached copy is dropped.
    pub fn edit<T, E>(
        &mut self,
        id: Uuid,
        change: impl FnOnce(&mut Automerge) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        self.edit_with_model(id, |doc, model| {
            // `change` does not keep the model up to date: hydrate again when needed.
            *model = None;
            change(doc)
        })
    }

    /// Like [`Store::edit`], for changes that also keep the hydrated model: `change` gets the
    /// model of the document as it is (or `None`) and leaves the model of the result (or
    /// `None` when it does not know it).
    pub fn edit_with_model<T, E>(
        &mut self,
        id: Uuid,
        change: impl FnOnce(&mut Automerge, &mut Option<ScopeDoc>) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let result = self.edit_inner(id, change);
        if result.is_err() {
            self.cache.remove(&id);
        }
        result
    }

    fn edit_inner<T, E>(
        &mut self,
        id: Uuid,
        change: impl FnOnce(&mut Automerge, &mut Option<ScopeDoc>) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        // Immediate: take the write lock first, so a concurrent writer cannot slip a change in
        // between our reading the rev and writing the next one.
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        let rev = read_rev(&tx, id)?;
        let stale = self.cache.get(&id).is_none_or(|cached| cached.rev != rev);
        if stale {
            let doc = load_document(&tx, id)?;
            self.cache.insert(id, Cached::new(doc, rev));
        }
        let Cached {
            doc,
            rev: cached_rev,
            model,
        } = self
            .cache
            .get_mut(&id)
            .ok_or(StoreError::NoSuchDocument(id.to_string()))?;
        let before = doc.get_heads();
        let value = change(doc, model)?;
        let after = doc.get_heads();
        if after != before {
            let storage_id = storage_id(&id);
            let bytes = doc.save_after(&before);
            chunks::put(
                &tx,
                &StorageKey::incremental_to(&storage_id, &after),
                &bytes,
            )?;
            compact_if_due(&tx, &storage_id, doc)?;
            let fresh = match model.take() {
                Some(known) => known,
                None => scopepact_scope::document::read(doc).map_err(StoreError::from)?,
            };
            let row = Projection::of(&fresh);
            *model = Some(fresh);
            tx.execute(
                "UPDATE documents SET rev = rev + 1, title = ?2, customer = ?3, value = ?4, currency = ?5, status = ?6, updated_at = ?7, heads = ?8, facts = ?9, changes = changes + ?10 WHERE id = ?1",
                params![id.to_string(), row.title, row.customer, row.value, row.currency, row.status.as_str(), now(), heads_text(&after), row.facts, i64::try_from(doc.get_changes_meta(&before).len()).unwrap_or(i64::MAX)],
            )
            .map_err(StoreError::from)?;
            if let Some(fresh) = model.as_ref() {
                library::project(&tx, &id.to_string(), fresh, row.status)?;
            }
            tx.commit().map_err(StoreError::from)?;
            *cached_rev = rev + 1;
        }
        Ok(value)
    }

    /// A document as a live sync session holds it after someone else changed it: merges it into
    /// the stored one (or stores it, when it is new here), in one transaction, and says which.
    /// Read as every stored document is (totally: what does not read is listed as damaged).
    pub fn absorb(&mut self, id: Uuid, mut theirs: Automerge) -> Result<Absorbed, StoreError> {
        if id == scopepact_company::COMPANY_DOCUMENT_ID {
            return self.absorb_company(theirs);
        }
        let corrupt = |e: scopepact_scope::ScopeError| StoreError::Corrupt {
            id: id.to_string(),
            reason: e.to_string(),
        };
        let known: Option<i64> = self
            .conn
            .query_row(
                "SELECT rev FROM documents WHERE id = ?1",
                [id.to_string()],
                |r| r.get(0),
            )
            .optional()?;
        if known.is_some() {
            return self.edit_with_model(id, |doc, model| {
                let before = doc.get_heads();
                doc.merge(&mut theirs).map_err(|e| StoreError::Corrupt {
                    id: id.to_string(),
                    reason: e.to_string(),
                })?;
                if doc.get_heads() == before {
                    return Ok(Absorbed::Unchanged);
                }
                *model = Some(scopepact_scope::document::read(doc).map_err(corrupt)?);
                Ok(Absorbed::Changed)
            });
        }
        let model = scopepact_scope::document::read(&theirs).map_err(corrupt)?;
        let row = Projection::of(&model);
        let storage_id = storage_id(&id);
        let heads = theirs.get_heads();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        chunks::put(
            &tx,
            &StorageKey::snapshot(&storage_id, &heads),
            &theirs.save(),
        )?;
        let now = now();
        tx.execute(
            "INSERT INTO documents (id, storage_id, rev, title, customer, value, currency, status, created_at, updated_at, heads, facts, changes)
             VALUES (?1, ?2, 1, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9, ?10, ?11)",
            params![id.to_string(), storage_id, row.title, row.customer, row.value, row.currency, row.status.as_str(), now, heads_text(&heads), row.facts, change_count(&theirs)],
        )?;
        library::project(&tx, &id.to_string(), &model, row.status)?;
        tx.commit()?;
        self.cache.remove(&id);
        Ok(Absorbed::New)
    }

    /// After sync wrote a document's chunks (a new document, or changes to a known one): brings
    /// its list row up to date and bumps its `rev`, so every cached copy, in this process or
    /// another, reloads. Returns whether the document is new here. A chunk set that is not a
    /// ScopePact document (another application's) is left alone and reported.
    pub fn reindex(&mut self, id: Uuid) -> Result<bool, StoreError> {
        if id == scopepact_company::COMPANY_DOCUMENT_ID {
            return self.reindex_company();
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let doc = load_document(&tx, id)?;
        let model = scopepact_scope::document::read(&doc).map_err(|e| StoreError::Corrupt {
            id: id.to_string(),
            reason: e.to_string(),
        })?;
        let row = Projection::of(&model);
        let known: Option<i64> = tx
            .query_row(
                "SELECT rev FROM documents WHERE id = ?1",
                [id.to_string()],
                |r| r.get(0),
            )
            .optional()?;
        let now = now();
        match known {
            Some(_) => {
                tx.execute(
                    "UPDATE documents SET rev = rev + 1, title = ?2, customer = ?3, value = ?4, currency = ?5, status = ?6, updated_at = ?7, heads = ?8, facts = ?9, changes = ?10 WHERE id = ?1",
                    params![id.to_string(), row.title, row.customer, row.value, row.currency, row.status.as_str(), now, heads_text(&doc.get_heads()), row.facts, change_count(&doc)],
                )?;
            }
            None => {
                tx.execute(
                    "INSERT INTO documents (id, storage_id, rev, title, customer, value, currency, status, created_at, updated_at, heads, facts, changes)
                     VALUES (?1, ?2, 1, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9, ?10, ?11)",
                    params![id.to_string(), storage_id(&id), row.title, row.customer, row.value, row.currency, row.status.as_str(), now, heads_text(&doc.get_heads()), row.facts, change_count(&doc)],
                )?;
            }
        }
        library::project(&tx, &id.to_string(), &model, row.status)?;
        tx.commit()?;
        self.cache.remove(&id);
        Ok(known.is_none())
    }

    /// Records what a completed sync left on the server: for each document (by automerge-repo
    /// id), the heads both sides held. Changes made here after those heads still count as
    /// unsynced.
    pub fn mark_synced(&mut self, synced: &[(String, Vec<ChangeHash>)]) -> Result<(), StoreError> {
        let mut updates: Vec<(String, String, i64, i64)> = Vec::with_capacity(synced.len());
        for (storage_id, heads) in synced {
            let row: Option<(String, String, Option<i64>)> = self
                .conn
                .query_row(
                    "SELECT id, heads, changes FROM documents WHERE storage_id = ?1",
                    [storage_id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            let Some((id, current, changes)) = row else {
                continue;
            };
            let heads_text = heads_text(heads);
            let (total, on_server) = match changes {
                // The usual case: the server holds everything this device has.
                Some(total) if current == heads_text => (total, total),
                _ => {
                    let uuid = Uuid::parse_str(&id).map_err(|e| StoreError::Corrupt {
                        id: id.clone(),
                        reason: e.to_string(),
                    })?;
                    let doc = self.get(uuid)?;
                    let total = change_count(doc);
                    let after =
                        i64::try_from(doc.get_changes_meta(heads).len()).unwrap_or(i64::MAX);
                    (total, total - after)
                }
            };
            updates.push((id, heads_text, total, on_server));
        }
        let tx = self.conn.transaction()?;
        {
            let mut update = tx.prepare_cached(
                "UPDATE documents SET synced_heads = ?2, changes = ?3, synced_changes = ?4 WHERE id = ?1",
            )?;
            for (id, heads, total, on_server) in &updates {
                update.execute(params![id, heads, total, on_server])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Changes made on this device (or arrived from elsewhere but not through the server) that
    /// the server was not known to hold at the last sync, over all documents: a sum over the
    /// list rows, which count changes as they are written.
    pub fn unsynced_changes(&mut self) -> Result<u32, StoreError> {
        // Rows from before the counts existed are counted once, from their document.
        let uncounted: Vec<(String, Option<String>)> = {
            let mut stmt = self.conn.prepare_cached(
                "SELECT id, synced_heads FROM documents
                 WHERE changes IS NULL OR (synced_heads IS NOT NULL AND synced_changes IS NULL)",
            )?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<Result<_, _>>()?
        };
        for (id, synced) in uncounted {
            let uuid = Uuid::parse_str(&id).map_err(|e| StoreError::Corrupt {
                id: id.clone(),
                reason: e.to_string(),
            })?;
            let doc = self.get(uuid)?;
            let total = change_count(doc);
            let on_server = synced.as_deref().map(|text| {
                let after = doc.get_changes_meta(&parse_heads(text)).len();
                total - i64::try_from(after).unwrap_or(i64::MAX)
            });
            self.cache.remove(&uuid);
            self.conn.execute(
                "UPDATE documents SET changes = ?2, synced_changes = ?3 WHERE id = ?1",
                params![id, total, on_server],
            )?;
        }
        let pending: i64 = self.conn.query_row(
            "SELECT COALESCE(SUM(MAX(changes - COALESCE(synced_changes, 0), 0)), 0) FROM documents",
            [],
            |r| r.get(0),
        )?;
        Ok(u32::try_from(pending).unwrap_or(u32::MAX))
    }

    /// The automerge-repo ids (bs58check) of every document of this store.
    pub fn storage_ids(&self) -> Result<Vec<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT storage_id FROM documents ORDER BY id")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The documents list, most recently changed first.
    pub fn list(&self) -> Result<Vec<DocumentSummary>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, title, customer, value, currency, status, updated_at FROM documents WHERE kind = 'scope' ORDER BY updated_at DESC, id DESC",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(DocumentSummary {
                id: r.get(0)?,
                title: r.get(1)?,
                customer: r.get(2)?,
                value: r.get(3)?,
                currency: r.get(4)?,
                status: parse_status(&r.get::<_, String>(5)?),
                updated_at: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Every document's facts for the indicators, read from the list rows; rows written before
    /// facts existed (or unreadable ones) are derived again from their document and kept.
    pub fn deal_facts(&mut self) -> Result<Vec<DealFacts>, StoreError> {
        let rows: Vec<(String, String, String, Option<String>)> = {
            let mut stmt = self.conn.prepare_cached(
                "SELECT id, created_at, updated_at, facts FROM documents WHERE kind = 'scope' ORDER BY id",
            )?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
            rows.collect::<Result<_, _>>()?
        };
        let mut all = Vec::with_capacity(rows.len());
        let mut derived: Vec<(String, String)> = vec![];
        for (id, created_at, updated_at, stored) in rows {
            let parsed = stored
                .as_deref()
                .and_then(|json| serde_json::from_str::<DealFacts>(json).ok());
            let mut facts = match parsed {
                Some(facts) => facts,
                None => {
                    let uuid = Uuid::parse_str(&id).map_err(|e| StoreError::Corrupt {
                        id: id.clone(),
                        reason: e.to_string(),
                    })?;
                    let model = scopepact_scope::document::read(self.get(uuid)?)?;
                    // Not kept in the cache: a backfill reads every document once.
                    self.cache.remove(&uuid);
                    let facts = scopepact_kpis::facts(&model);
                    derived.push((
                        id.clone(),
                        serde_json::to_string(&facts).unwrap_or_default(),
                    ));
                    facts
                }
            };
            // Documents from before milestones were recorded: the day this store first had it.
            if facts.created_at.is_none() {
                facts.created_at = Some(created_at);
            }
            // Stopped by a merge (no single edit did it): when this store last took a change.
            if facts.status == Status::StoppedAtValidation && facts.stopped_at.is_none() {
                facts.stopped_at = Some(updated_at);
            }
            facts.id = id;
            all.push(facts);
        }
        if !derived.is_empty() {
            // One transaction for the lot: one commit, not one per document.
            let tx = self.conn.transaction()?;
            {
                let mut update =
                    tx.prepare_cached("UPDATE documents SET facts = ?2 WHERE id = ?1")?;
                for (id, json) in &derived {
                    update.execute(params![id, json])?;
                }
            }
            tx.commit()?;
        }
        Ok(all)
    }

    /// The library entries matching what someone typed (see [`library`]), best first; built
    /// again from the documents first when it was built by an older version (or never).
    pub fn library_search(
        &mut self,
        typed: &str,
        limit: usize,
        include_retired: bool,
    ) -> Result<Vec<library::LibraryEntry>, StoreError> {
        self.library_current()?;
        library::search(&self.conn, typed, limit, include_retired)
    }

    /// One library entry, retired or not.
    pub fn library_entry(&mut self, id: &str) -> Result<Option<library::LibraryEntry>, StoreError> {
        self.library_current()?;
        library::entry(&self.conn, id)
    }

    /// Builds the library from every document when this store's library is not current.
    fn library_current(&mut self) -> Result<(), StoreError> {
        if library::is_current(&self.conn)? {
            return Ok(());
        }
        let ids: Vec<String> = {
            let mut stmt = self
                .conn
                .prepare_cached("SELECT id FROM documents WHERE kind = 'scope' ORDER BY id")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            rows.collect::<Result<_, _>>()?
        };
        let mut models = Vec::with_capacity(ids.len());
        for id in ids {
            let uuid = parse_id(&id)?;
            let model = scopepact_scope::document::read(self.get(uuid)?)?;
            self.cache.remove(&uuid);
            let status = scopepact_kpis::facts(&model).status;
            models.push((id, model, status));
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        for (id, model, status) in &models {
            library::project(&tx, id, model, *status)?;
        }
        library::mark_current(&tx)?;
        tx.commit()?;
        Ok(())
    }

    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    fn rev(&self, id: Uuid) -> Result<i64, StoreError> {
        read_rev(&self.conn, id)
    }

    fn refresh(&mut self, id: Uuid, rev: i64) -> Result<(), StoreError> {
        if self.cache.get(&id).is_none_or(|cached| cached.rev != rev) {
            let doc = load_document(&self.conn, id)?;
            self.cache.insert(id, Cached::new(doc, rev));
        }
        Ok(())
    }
}

/// A connection to a ScopePact database (created when missing), in WAL mode with a busy timeout
/// and foreign keys, migrated to the current schema. The store, the sync storage adapter and the
/// sync server each open their own.
pub fn connect(path: &Path) -> Result<Connection, StoreError> {
    let fail = |e: rusqlite::Error| StoreError::Open {
        path: path.to_path_buf(),
        reason: e.to_string(),
    };
    let mut conn = Connection::open(path).map_err(fail)?;
    conn.busy_timeout(Duration::from_secs(10)).map_err(fail)?;
    // journal_mode answers with a row; it is also the first statement to read the file, so
    // a file that is not a database fails here with a clear message.
    let mode: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
        .map_err(fail)?;
    if mode != "wal" && mode != "memory" {
        return Err(StoreError::Open {
            path: path.to_path_buf(),
            reason: format!("WAL mode refused ({mode})"),
        });
    }
    // NORMAL in WAL mode: a commit is durable once the WAL is written; only a power loss may
    // cost the last transactions, never corrupt the file.
    conn.pragma_update(None, "synchronous", "NORMAL")
        .map_err(fail)?;
    conn.pragma_update(None, "foreign_keys", true)
        .map_err(fail)?;
    migrations::migrate(&mut conn).map_err(|e| match e {
        StoreError::Sqlite(e) => fail(e),
        other => other,
    })?;
    Ok(conn)
}

/// Parses a document id as people and scripts write it.
pub fn parse_id(text: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(text.trim()).map_err(|_| StoreError::BadDocumentId(text.to_string()))
}

/// automerge-repo's spelling of a document id: the uuid bytes in bs58check.
pub fn storage_id(id: &Uuid) -> String {
    bs58::encode(id.as_bytes()).with_check().into_string()
}

/// The document id behind an automerge-repo id.
pub fn id_from_storage_id(storage_id: &str) -> Option<Uuid> {
    let bytes = bs58::decode(storage_id).with_check(None).into_vec().ok()?;
    Uuid::from_slice(&bytes).ok()
}

fn read_rev(conn: &Connection, id: Uuid) -> Result<i64, StoreError> {
    conn.query_row(
        "SELECT rev FROM documents WHERE id = ?1",
        params![id.to_string()],
        |r| r.get(0),
    )
    .optional()?
    .ok_or_else(|| StoreError::NoSuchDocument(id.to_string()))
}

fn load_document(conn: &Connection, id: Uuid) -> Result<Automerge, StoreError> {
    let corrupt = |reason: String| StoreError::Corrupt {
        id: id.to_string(),
        reason,
    };
    let chunks = chunks::load_range(conn, &StorageKey::document_prefix(&storage_id(&id)))?;
    if chunks.is_empty() {
        return Err(corrupt("no stored data".into()));
    }
    let mut doc = Automerge::new();
    for (key, bytes) in chunks {
        doc.load_incremental(&bytes)
            .map_err(|e| corrupt(format!("chunk {}: {e}", key.0.join("/"))))?;
    }
    Ok(doc)
}

/// Folds a document's incremental chunks into one snapshot once there are many of them.
fn compact_if_due(conn: &Connection, storage_id: &str, doc: &Automerge) -> Result<(), StoreError> {
    let count: i64 = conn.query_row(
        "SELECT count(*) FROM chunks WHERE key >= ?1 AND key < ?2",
        params![
            format!("{storage_id}/incremental/"),
            format!("{storage_id}/incremental0")
        ],
        |r| r.get(0),
    )?;
    if count < COMPACT_AFTER_CHUNKS {
        return Ok(());
    }
    let old = chunks::load_range(conn, &StorageKey::document_prefix(storage_id))?;
    for (key, _) in &old {
        chunks::delete(conn, key)?;
    }
    chunks::put(
        conn,
        &StorageKey::snapshot(storage_id, &doc.get_heads()),
        &doc.save(),
    )
}

/// What [`Store::absorb`] did with a document received live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Absorbed {
    /// It was not here before.
    New,
    /// It brought changes this device did not have.
    Changed,
    /// This device held all of it already.
    Unchanged,
}

/// The automerge-repo id and heads (as stored in the list row) of every document: what a live
/// session compares to find the documents edited here since it last looked.
pub fn document_heads(conn: &Connection) -> Result<Vec<(String, Vec<ChangeHash>)>, StoreError> {
    let mut stmt = conn.prepare_cached("SELECT storage_id, heads FROM documents")?;
    let rows = stmt.query_map([], |r| {
        Ok((r.get::<_, String>(0)?, parse_heads(&r.get::<_, String>(1)?)))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The list row of a document, derived from its content.
struct Projection {
    title: String,
    customer: String,
    value: Option<f64>,
    currency: String,
    status: Status,
    /// The indicators' facts, as JSON.
    facts: String,
}

impl Projection {
    fn of(model: &ScopeDoc) -> Projection {
        // The facts derive the status (signatures verified) once for both.
        let facts = scopepact_kpis::facts(model);
        Projection {
            status: facts.status,
            facts: serde_json::to_string(&facts).unwrap_or_default(),
            title: model.title.clone(),
            customer: model.customer.name.clone(),
            value: model.deal.value,
            currency: model.deal.currency.clone(),
        }
    }
}

/// Every change the document holds.
fn change_count(doc: &Automerge) -> i64 {
    i64::try_from(doc.get_changes_meta(&[]).len()).unwrap_or(i64::MAX)
}

fn parse_status(text: &str) -> Status {
    Status::ALL
        .into_iter()
        .find(|s| s.as_str() == text)
        .unwrap_or(Status::Draft)
}

/// Heads as stored in a row: sorted hex hashes joined by commas.
fn heads_text(heads: &[ChangeHash]) -> String {
    let mut hex: Vec<String> = heads.iter().map(|h| h.to_string()).collect();
    hex.sort();
    hex.join(",")
}

/// Heads read back from a row; a malformed entry is skipped (it then counts as not synced).
fn parse_heads(text: &str) -> Vec<ChangeHash> {
    text.split(',').filter_map(|h| h.parse().ok()).collect()
}

pub(crate) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

#[cfg(test)]
mod tests;
