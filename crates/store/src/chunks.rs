//! Automerge chunks in a key -> bytes table with the shape of samod's `Storage` trait (load,
//! load_range, put, delete) and samod's key layout, so the sync layer can hand this table to
//! samod as it is.

use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};

use crate::StoreError;

/// A storage key: path parts, as samod's `StorageKey`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StorageKey(pub Vec<String>);

impl StorageKey {
    pub fn document_prefix(storage_id: &str) -> StorageKey {
        StorageKey(vec![storage_id.to_string()])
    }
    pub fn incremental(storage_id: &str, change_hash: &automerge::ChangeHash) -> StorageKey {
        StorageKey(vec![
            storage_id.to_string(),
            "incremental".into(),
            change_hash.to_string(),
        ])
    }
    /// The chunk of the changes that led to `heads`. One head names it by that change, as
    /// before; several heads (a merge brought concurrent changes) by the SHA-256 of them all,
    /// because the newest head alone may already name an earlier chunk, which would be
    /// overwritten.
    pub fn incremental_to(storage_id: &str, heads: &[automerge::ChangeHash]) -> StorageKey {
        match heads {
            [only] => StorageKey::incremental(storage_id, only),
            _ => StorageKey(vec![
                storage_id.to_string(),
                "incremental".into(),
                heads_digest(heads),
            ]),
        }
    }
    /// samod names a snapshot by the SHA-256 of the heads it covers.
    pub fn snapshot(storage_id: &str, heads: &[automerge::ChangeHash]) -> StorageKey {
        StorageKey(vec![
            storage_id.to_string(),
            "snapshot".into(),
            heads_digest(heads),
        ])
    }
    fn encoded(&self) -> String {
        self.0.join("/")
    }
    fn decode(text: &str) -> StorageKey {
        StorageKey(text.split('/').map(str::to_string).collect())
    }
}

fn heads_digest(heads: &[automerge::ChangeHash]) -> String {
    let mut hasher = Sha256::new();
    for head in heads {
        hasher.update(head.as_ref());
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub fn load(conn: &Connection, key: &StorageKey) -> Result<Option<Vec<u8>>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT data FROM chunks WHERE key = ?1",
            params![key.encoded()],
            |r| r.get(0),
        )
        .optional()?)
}

/// Every chunk whose key starts with all the parts of `prefix`.
pub fn load_range(
    conn: &Connection,
    prefix: &StorageKey,
) -> Result<Vec<(StorageKey, Vec<u8>)>, StoreError> {
    if prefix.0.is_empty() {
        let mut stmt = conn.prepare_cached("SELECT key, data FROM chunks ORDER BY key")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get(1)?)))?;
        return rows
            .map(|row| {
                row.map(|(k, data)| (StorageKey::decode(&k), data))
                    .map_err(StoreError::from)
            })
            .collect();
    }
    let exact = prefix.encoded();
    // Keys under the prefix sort between "prefix/" and "prefix0" ('0' follows '/').
    let low = format!("{exact}/");
    let high = format!("{exact}0");
    let mut stmt = conn.prepare_cached(
        "SELECT key, data FROM chunks WHERE key = ?1 OR (key >= ?2 AND key < ?3) ORDER BY key",
    )?;
    let rows = stmt.query_map(params![exact, low, high], |r| {
        Ok((r.get::<_, String>(0)?, r.get(1)?))
    })?;
    rows.map(|row| {
        row.map(|(k, data)| (StorageKey::decode(&k), data))
            .map_err(StoreError::from)
    })
    .collect()
}

pub fn put(conn: &Connection, key: &StorageKey, data: &[u8]) -> Result<(), StoreError> {
    conn.prepare_cached("INSERT INTO chunks (key, data) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET data = excluded.data")?
        .execute(params![key.encoded(), data])?;
    Ok(())
}

pub fn delete(conn: &Connection, key: &StorageKey) -> Result<(), StoreError> {
    conn.prepare_cached("DELETE FROM chunks WHERE key = ?1")?
        .execute(params![key.encoded()])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_covers_exactly_the_prefix() {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::migrations::migrate(&mut conn).unwrap();
        let k = |parts: &[&str]| StorageKey(parts.iter().map(|p| p.to_string()).collect());
        for key in [
            k(&["abc", "incremental", "1"]),
            k(&["abc", "snapshot", "2"]),
            k(&["abcd", "incremental", "3"]),
            k(&["ab"]),
        ] {
            put(&conn, &key, b"x").unwrap();
        }
        let got: Vec<StorageKey> = load_range(&conn, &k(&["abc"]))
            .unwrap()
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        assert_eq!(
            got,
            [
                k(&["abc", "incremental", "1"]),
                k(&["abc", "snapshot", "2"])
            ]
        );
        put(&conn, &k(&["abc", "snapshot", "2"]), b"y").unwrap();
        assert_eq!(
            load(&conn, &k(&["abc", "snapshot", "2"])).unwrap().unwrap(),
            b"y"
        );
        delete(&conn, &k(&["abc", "snapshot", "2"])).unwrap();
        assert_eq!(load(&conn, &k(&["abc", "snapshot", "2"])).unwrap(), None);
    }
}
