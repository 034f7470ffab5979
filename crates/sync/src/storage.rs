//! samod's `Storage` over the store's `chunks` table: the same rows the store writes, so a
//! document edited in the app and one received by sync are one and the same. samod is designed
//! for storage shared with other writers ("no assumption of exclusive access").

use std::collections::HashMap;
use std::path::Path;
use std::sync::{mpsc, Arc, Mutex};

use rusqlite::Connection;
use samod::storage::{Storage, StorageKey};
use scopepact_store::chunks;

use crate::SyncError;

#[derive(Clone)]
pub struct SqliteStorage {
    conn: Arc<Mutex<Connection>>,
    /// Where writes go; `None` for a live session's view: samod reads the store's chunks but
    /// never writes them; what it receives reaches the store through
    /// [`scopepact_store::Store::absorb`], the store's own transaction, so the store stays the
    /// only writer of a document while the app runs.
    writer: Option<mpsc::Sender<Write>>,
    /// A meeting session's view: only this document (automerge-repo id) exists; every other
    /// key reads as absent, so a peer of the session cannot be served anything else.
    only: Option<Arc<str>>,
}

/// One write samod asked for, answered once it is committed.
struct Write {
    op: WriteOp,
    done: tokio::sync::oneshot::Sender<()>,
}

enum WriteOp {
    Put(chunks::StorageKey, Vec<u8>),
    Delete(chunks::StorageKey),
}

/// Writes waiting when the writer wakes are committed together, at most this many at once.
const WRITES_PER_COMMIT: usize = 512;

/// The writer: its own connection (WAL lets it run beside the readers) on its own thread,
/// committing whatever writes queued up while the last commit ran in one transaction. A
/// server under load receives a change every few hundred microseconds; a commit and a
/// blocking-pool hand-off each was a sixth of its CPU.
fn spawn_writer(path: &Path) -> Result<mpsc::Sender<Write>, SyncError> {
    let mut conn = scopepact_store::connect(path)?;
    let (sender, queue) = mpsc::channel::<Write>();
    std::thread::Builder::new()
        .name("sync-storage-writer".into())
        .spawn(move || {
            // Ends when every handle of the storage is gone.
            while let Ok(first) = queue.recv() {
                let mut batch = vec![first];
                while batch.len() < WRITES_PER_COMMIT {
                    match queue.try_recv() {
                        Ok(next) => batch.push(next),
                        Err(_) => break,
                    }
                }
                if let Err(reason) = commit(&mut conn, &batch) {
                    // samod's trait has no error channel: log loudly; samod keeps the data in
                    // memory and writes it again, so a failed write is retried, not lost.
                    tracing::error!(%reason, writes = batch.len(), "storage write failed");
                }
                for write in batch {
                    let _ = write.done.send(());
                }
            }
        })
        .map_err(|e| SyncError::Server(format!("cannot start the storage writer: {e}")))?;
    Ok(sender)
}

/// The writes in order, in one transaction.
fn commit(conn: &mut Connection, batch: &[Write]) -> Result<(), scopepact_store::StoreError> {
    let tx = conn.transaction()?;
    for write in batch {
        match &write.op {
            WriteOp::Put(key, data) => chunks::put(&tx, key, data)?,
            WriteOp::Delete(key) => chunks::delete(&tx, key)?,
        }
    }
    tx.commit()?;
    Ok(())
}

impl SqliteStorage {
    /// Opens its own connection to the database file (WAL: it runs beside the store's).
    pub fn open(path: &Path) -> Result<SqliteStorage, SyncError> {
        Ok(SqliteStorage {
            conn: Arc::new(Mutex::new(scopepact_store::connect(path)?)),
            writer: Some(spawn_writer(path)?),
            only: None,
        })
    }

    /// The same database, read but never written (see `writer`).
    pub fn open_read_only(path: &Path) -> Result<SqliteStorage, SyncError> {
        Ok(SqliteStorage {
            conn: Arc::new(Mutex::new(scopepact_store::connect(path)?)),
            writer: None,
            only: None,
        })
    }

    /// The same database, read but never written, holding only the document `storage_id`.
    pub fn open_one_document(path: &Path, storage_id: &str) -> Result<SqliteStorage, SyncError> {
        Ok(SqliteStorage {
            only: Some(Arc::from(storage_id)),
            ..SqliteStorage::open_read_only(path)?
        })
    }

    /// Whether a key (its first part names the document) may be read in this view.
    fn shows(&self, key: &chunks::StorageKey) -> bool {
        match &self.only {
            None => true,
            Some(only) => key.0.first().is_some_and(|doc| **doc == **only),
        }
    }

    /// Queues a write and waits until it is committed.
    async fn write(&self, op: WriteOp) {
        let Some(writer) = &self.writer else {
            return;
        };
        let (done, committed) = tokio::sync::oneshot::channel();
        if writer.send(Write { op, done }).is_err() {
            tracing::error!("storage writer stopped: write dropped");
            return;
        }
        let _ = committed.await;
    }

    /// Each document's id and heads as the store last wrote them.
    pub async fn document_heads(&self) -> Vec<(String, Vec<automerge::ChangeHash>)> {
        let mut heads = self
            .with_conn("document_heads", scopepact_store::document_heads)
            .await
            .unwrap_or_default();
        if let Some(only) = &self.only {
            heads.retain(|(id, _)| **id == **only);
        }
        heads
    }

    /// Every chunk of one document (by automerge-repo id), with its key.
    pub async fn document_chunks(&self, storage_id: &str) -> Vec<(Vec<String>, Vec<u8>)> {
        let prefix = chunks::StorageKey::document_prefix(storage_id);
        if !self.shows(&prefix) {
            return vec![];
        }
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
        if !self.shows(&key) {
            return None;
        }
        self.with_conn("load", move |c| chunks::load(c, &key))
            .await
            .flatten()
    }

    async fn load_range(&self, prefix: StorageKey) -> HashMap<StorageKey, Vec<u8>> {
        let prefix = ours(&prefix);
        let prefix = match &self.only {
            // An empty prefix (everything) means only the one document.
            Some(only) if prefix.0.is_empty() => chunks::StorageKey::document_prefix(only),
            _ => prefix,
        };
        if !self.shows(&prefix) {
            return HashMap::new();
        }
        self.with_conn("load_range", move |c| chunks::load_range(c, &prefix))
            .await
            .unwrap_or_default()
            .into_iter()
            .filter_map(|(key, data)| Some((theirs(&key)?, data)))
            .collect()
    }

    async fn put(&self, key: StorageKey, data: Vec<u8>) {
        self.write(WriteOp::Put(ours(&key), data)).await;
    }

    async fn delete(&self, key: StorageKey) {
        self.write(WriteOp::Delete(ours(&key))).await;
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn key(doc: &str, part: usize) -> StorageKey {
        StorageKey::from_parts([doc, "incremental", &format!("{part:04}")]).unwrap()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_writes_are_all_committed_in_the_order_each_writer_made_them() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("store.sqlite3");
        // The store's schema, as the server finds it.
        drop(scopepact_store::Store::open_dir(dir.path()).unwrap());
        let storage = SqliteStorage::open(&path).unwrap();
        let writers: Vec<_> = (0..8)
            .map(|w| {
                let storage = storage.clone();
                tokio::spawn(async move {
                    let doc = format!("doc{w}");
                    for part in 0..50 {
                        storage.put(key(&doc, part), vec![w, 1]).await;
                    }
                    // Overwritten then deleted after: the last write wins.
                    storage.put(key(&doc, 0), vec![w, 2]).await;
                    storage.delete(key(&doc, 1)).await;
                })
            })
            .collect();
        for writer in writers {
            writer.await.unwrap();
        }
        // Read through another handle: what `put` answered is on disk.
        let reader = SqliteStorage::open_read_only(&path).unwrap();
        for w in 0..8u8 {
            let doc = format!("doc{w}");
            let prefix = StorageKey::from_parts([doc.as_str()]).unwrap();
            let chunks = reader.load_range(prefix).await;
            assert_eq!(chunks.len(), 49, "{doc}");
            assert_eq!(reader.load(key(&doc, 0)).await, Some(vec![w, 2]));
            assert_eq!(reader.load(key(&doc, 1)).await, None);
            assert_eq!(reader.load(key(&doc, 49)).await, Some(vec![w, 1]));
        }
    }

    #[tokio::test]
    async fn a_one_document_view_shows_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("store.sqlite3");
        drop(scopepact_store::Store::open_dir(dir.path()).unwrap());
        let storage = SqliteStorage::open(&path).unwrap();
        storage.put(key("shared", 0), vec![1]).await;
        storage.put(key("private", 0), vec![2]).await;
        let view = SqliteStorage::open_one_document(&path, "shared").unwrap();
        assert_eq!(view.load(key("shared", 0)).await, Some(vec![1]));
        assert_eq!(view.load(key("private", 0)).await, None);
        let private = StorageKey::from_parts(["private"]).unwrap();
        assert!(view.load_range(private).await.is_empty());
        let everything = view
            .load_range(StorageKey::from_parts(Vec::<String>::new()).unwrap())
            .await;
        assert_eq!(everything.len(), 1, "{everything:?}");
        assert!(view.document_chunks("private").await.is_empty());
        assert_eq!(view.document_chunks("shared").await.len(), 1);
    }

    #[tokio::test]
    async fn a_read_only_view_never_writes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("store.sqlite3");
        drop(scopepact_store::Store::open_dir(dir.path()).unwrap());
        let view = SqliteStorage::open_read_only(&path).unwrap();
        view.put(key("doc", 0), vec![1]).await;
        assert_eq!(
            SqliteStorage::open(&path)
                .unwrap()
                .load(key("doc", 0))
                .await,
            None
        );
    }
}
