//! Versioned schema migrations, tracked with `PRAGMA user_version`. Append only: a released
//! migration is never edited.

use rusqlite::Connection;

use crate::StoreError;

pub(crate) const MIGRATIONS: &[&str] = &[
    // 1: chunks behind samod's Storage shape, and the documents list projection.
    r#"
    CREATE TABLE chunks (
        key  TEXT PRIMARY KEY,  -- samod StorageKey parts joined by '/'
        data BLOB NOT NULL
    ) WITHOUT ROWID;

    CREATE TABLE documents (
        id         TEXT PRIMARY KEY,        -- uuid v7, shown to people and scripts
        storage_id TEXT NOT NULL UNIQUE,    -- the same uuid as automerge-repo spells it (bs58check)
        rev        INTEGER NOT NULL,        -- bumped by every write: tells a cached copy it is stale
        title      TEXT NOT NULL,
        customer   TEXT NOT NULL,
        value      REAL,
        currency   TEXT NOT NULL,
        status     TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    "#,
    // 2: who uses this device (profiles, each with its own Automerge actor) and settings.
    r#"
    CREATE TABLE profiles (
        id              TEXT PRIMARY KEY,      -- uuid v7
        name            TEXT NOT NULL,
        email           TEXT NOT NULL UNIQUE COLLATE NOCASE,
        role            TEXT NOT NULL CHECK (role IN ('commercial', 'operational', 'executive')),
        automerge_actor TEXT NOT NULL UNIQUE,  -- hex; one writer per profile and device
        created_at      TEXT NOT NULL
    );

    CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) WITHOUT ROWID;
    "#,
    // 3: the sync server's device tokens (only their SHA-256 is kept).
    r#"
    CREATE TABLE device_tokens (
        name         TEXT PRIMARY KEY,
        token_sha256 TEXT NOT NULL UNIQUE,
        created_at   TEXT NOT NULL,
        expires_at   TEXT,               -- RFC 3339; NULL: never
        revoked_at   TEXT                -- RFC 3339; NULL: valid
    );
    "#,
    // 4: what each device has sent: the heads of each document, and the heads the server was
    // known to hold after the last sync (NULL: never synced). Where they differ, changes made
    // here wait to go up.
    r#"
    ALTER TABLE documents ADD COLUMN heads TEXT NOT NULL DEFAULT '';
    ALTER TABLE documents ADD COLUMN synced_heads TEXT;
    "#,
    // 5: each document's facts for the handoff indicators (JSON; NULL: not derived yet, done on
    // the next indicator run).
    r#"
    ALTER TABLE documents ADD COLUMN facts TEXT;
    "#,
    // 6: how many changes each document holds, and how many of them the server was known to
    // hold at the last sync, so the pending count is a sum, not a walk over every document
    // (NULL: not counted yet, done on the next count).
    r#"
    ALTER TABLE documents ADD COLUMN changes INTEGER;
    ALTER TABLE documents ADD COLUMN synced_changes INTEGER;
    "#,
    // 7: on the sync server, the certificates the company root issued, by device; revoking a
    // device's token revokes them.
    r#"
    CREATE TABLE issued_certificates (
        sha256     TEXT PRIMARY KEY,   -- of the certificate's DER
        device     TEXT NOT NULL,
        subject    TEXT NOT NULL,
        issued_at  TEXT NOT NULL,
        revoked_at TEXT
    );
    "#,
    // 8: the capability library: each commitment validated feasible or conditional on a signed
    // scope (a projection of the documents, like the list row), its full-text index (accents
    // and case ignored, prefixes indexed for search as you type), and the entries operations
    // retired (a projection of the company document); each document's kind: a deal's scope, or
    // the company document (settings, templates), which the deals list leaves out.
    r#"
    CREATE TABLE library (
        id            TEXT NOT NULL UNIQUE,   -- DOCUMENT_ID:COMMITMENT_ID
        document_id   TEXT NOT NULL,
        ref           TEXT NOT NULL,
        kind          TEXT NOT NULL,
        title         TEXT NOT NULL,
        description   TEXT NOT NULL,
        parameters    TEXT NOT NULL,          -- JSON array
        quantity      REAL,
        unit          TEXT NOT NULL,
        lead_time_weeks REAL,
        acceptance    TEXT NOT NULL,
        price         REAL,
        cost_estimate REAL,
        verdict       TEXT NOT NULL CHECK (verdict IN ('feasible', 'conditional')),
        condition     TEXT,
        validated_by  TEXT,
        validated_at  TEXT,
        deal          TEXT NOT NULL,
        customer      TEXT NOT NULL,
        rework        INTEGER NOT NULL
    );
    CREATE INDEX library_by_document ON library (document_id);
    CREATE VIRTUAL TABLE library_text USING fts5(
        title, description, parameters,
        tokenize = 'unicode61 remove_diacritics 2',
        prefix = '2 3 4'
    );
    -- Ranked by BM25 with a title word worth five of a description's, two of a parameter's.
    INSERT INTO library_text (library_text, rank) VALUES ('rank', 'bm25(10.0, 2.0, 5.0)');
    ALTER TABLE documents ADD COLUMN kind TEXT NOT NULL DEFAULT 'scope'
        CHECK (kind IN ('scope', 'company'));
    -- The deals' facts now hold their validations and reused commitments: derived again on the
    -- next indicator run.
    UPDATE documents SET facts = NULL;
    CREATE TABLE library_retired (
        id     TEXT PRIMARY KEY,
        by     TEXT NOT NULL,
        at     TEXT NOT NULL,
        reason TEXT NOT NULL
    ) WITHOUT ROWID;
    "#,
];

pub(crate) fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let current: usize = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current > MIGRATIONS.len() {
        return Err(StoreError::Open {
            path: conn.path().unwrap_or_default().into(),
            reason: format!(
                "it was written by a newer ScopePact (schema {current}, this one knows {})",
                MIGRATIONS.len()
            ),
        });
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(current) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index + 1)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tables(conn: &Connection) -> Vec<String> {
        let mut stmt = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    #[test]
    fn each_migration_applies_on_top_of_the_previous_one() {
        let mut conn = Connection::open_in_memory().unwrap();
        for (index, sql) in MIGRATIONS.iter().enumerate() {
            let tx = conn.transaction().unwrap();
            tx.execute_batch(sql).unwrap();
            tx.pragma_update(None, "user_version", index + 1).unwrap();
            tx.commit().unwrap();
        }
        assert_eq!(
            tables(&conn),
            [
                "chunks",
                "device_tokens",
                "documents",
                "issued_certificates",
                "library",
                "library_retired",
                "library_text",
                "library_text_config",
                "library_text_content",
                "library_text_data",
                "library_text_docsize",
                "library_text_idx",
                "profiles",
                "settings"
            ]
        );
    }

    #[test]
    fn a_version_1_database_with_documents_gains_profiles_and_keeps_its_rows() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(MIGRATIONS[0]).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute(
            "INSERT INTO documents VALUES ('d', 's', 1, 'T', 'C', NULL, 'EUR', 'draft', 'now', 'now')",
            [],
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        let count: i64 = conn
            .query_row("SELECT count(*) FROM documents", [], |r| r.get(0))
            .unwrap();
        assert_eq!(count, 1);
        assert!(conn
            .execute(
                "INSERT INTO profiles VALUES ('p', 'N', 'e@x', 'boss', 'aa', 'now')",
                []
            )
            .is_err());
    }

    #[test]
    fn a_version_3_database_gains_heads_columns_and_keeps_its_rows() {
        let mut conn = Connection::open_in_memory().unwrap();
        for sql in &MIGRATIONS[..3] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 3).unwrap();
        conn.execute(
            "INSERT INTO documents VALUES ('d', 's', 1, 'T', 'C', NULL, 'EUR', 'draft', 'now', 'now')",
            [],
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        let (heads, synced): (String, Option<String>) = conn
            .query_row("SELECT heads, synced_heads FROM documents", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!((heads.as_str(), synced), ("", None));
    }

    #[test]
    fn a_version_2_database_gains_device_tokens_and_keeps_its_profiles() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(MIGRATIONS[0]).unwrap();
        conn.execute_batch(MIGRATIONS[1]).unwrap();
        conn.pragma_update(None, "user_version", 2).unwrap();
        conn.execute(
            "INSERT INTO profiles VALUES ('p', 'Ana', 'ana@x.es', 'commercial', 'aa', 'now')",
            [],
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        let name: String = conn
            .query_row("SELECT name FROM profiles", [], |r| r.get(0))
            .unwrap();
        assert_eq!(name, "Ana");
        conn.execute(
            "INSERT INTO device_tokens VALUES ('laptop', 'abc', 'now', NULL, NULL)",
            [],
        )
        .unwrap();
    }

    #[test]
    fn migrate_is_idempotent_and_records_the_version() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        migrate(&mut conn).unwrap();
        let version: usize = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, MIGRATIONS.len());
    }

    #[test]
    fn a_database_from_a_newer_release_is_refused() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
        let err = migrate(&mut conn).unwrap_err().to_string();
        assert!(err.contains("newer ScopePact"), "{err}");
    }
}
