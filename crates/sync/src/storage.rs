//! samod's `Storage` over the store's `chunks` table: the same rows the store writes, so a
//! document edited in the app and one received by sync are one and the same. samod is designed
//! for storage shared with other writers ("no assumption of exclusive access").

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use rusqlite::Connection;
use samod::storage::{Storage, StorageKey};
use scopepact_store::chunks;

use crate::SyncError;

#[derive(Clone)]
pub struct SqliteStorage {
    conn: Arc<Mutex<Connection>>,
    /// A live session's view: samod reads the store's chunks but never writes them; what it
    /// receives reaches the store through [`scopepact_store::Store::absorb`], the store's own
    /// transaction, so the store stays the only writer of a document while the app runs.
    read_only: bool,
}

impl SqliteStorage {
    /// Opens its own connection to the database file (WAL: it runs beside the store's).
    pub fn open(path: &Path) -> Result<SqliteStorage, SyncError> {
        Ok(SqliteStorage {
            conn: Arc::new(Mutex::new(scopepact_store::connect(path)?)),
            read_only: false,
        })
    }

    /// The same database, read but never written (see `read_only`).
    pub fn open_read_only(path: &Path) -> Result<SqliteStorage, SyncError> {
        Ok(SqliteStorage {
            read_only: true,
            ..SqliteStorage::open(path)?
        })
    }

    /// Each document's id and heads as the store last wrote them.
    pub async fn document_heads(&self) -> Vec<(String, Vec<automerge::ChangeHash>)> {
        self.with_conn("document_heads", scopepact_store::document_heads)
            .await
            .unwrap_or_default()
    }

    /// Every chunk of one document (by automerge-repo id), with its key.
    pub async fn document_chunks(&self, storage_id: &str) -> Vec<(Vec<String>, Vec<u8>)> {
        let prefix = chunks::StorageKey::document_prefix(storage_id);
        self.with_conn("document_chunks", move |c| chunks::load_range(c, &prefix))
            .await
            .unwrap_or_default()
            .into_iter()
            .map(|(key, data)| (key.0, data))
            .collect()
    }

    /// Runs `work` on a blocking thread: SQLite must never stall the async runtime.
    async fn with_conn<T: Send + 'static>(
        &self,
        what: &'static str,
        work: impl FnOnce(&Connection) -> Result<T, scopepact_store::StoreError> + Send + 'static,
    ) -> Option<T> {
        let conn = Arc::clone(&self.conn);
        let result = tokio::task::spawn_blocking(move || {
            let guard = conn
                .lock()
                .map_err(|_| "the storage lock is poisoned".to_string())?;
            work(&guard).map_err(|e| e.to_string())
        })
        .await;
        match result {
            Ok(Ok(value)) => Some(value),
            // samod's trait has no error channel: log loudly; samod keeps the data in memory
            // and writes it again, so a failed write is retried rather than lost.
            Ok(Err(reason)) => {
                tracing::error!(what, %reason, "storage operation failed");
                None
            }
            Err(join) => {
                tracing::error!(what, %join, "storage task failed");
                None
            }
        }
    }
}

fn ours(key: &StorageKey) -> chunks::StorageKey {
    chunks::StorageKey(
        key.to_string()
            .split('/')
            .filter(|part| !part.is_empty())
            .map(str::to_string)
            .collect(),
    )
}

fn theirs(key: &chunks::StorageKey) -> Option<StorageKey> {
    StorageKey::from_parts(key.0.iter()).ok()
}

impl Storage for SqliteStorage {
    async fn load(&self, key: StorageKey) -> Option<Vec<u8>> {
        let key = ours(&key);
        self.with_conn("load", move |c| chunks::load(c, &key))
            .await
            .flatten()
    }

    async fn load_range(&self, prefix: StorageKey) -> HashMap<StorageKey, Vec<u8>> {
        let prefix = ours(&prefix);
        self.with_conn("load_range", move |c| chunks::load_range(c, &prefix))
            .await
            .unwrap_or_default()
            .into_iter()
            .filter_map(|(key, data)| Some((theirs(&key)?, data)))
            .collect()
    }

    async fn put(&self, key: StorageKey, data: Vec<u8>) {
        if self.read_only {
            return;
        }
        let key = ours(&key);
        self.with_conn("put", move |c| chunks::put(c, &key, &data))
            .await;
    }

    async fn delete(&self, key: StorageKey) {
        if self.read_only {
            return;
        }
        let key = ours(&key);
        self.with_conn("delete", move |c| chunks::delete(c, &key))
            .await;
    }
}
