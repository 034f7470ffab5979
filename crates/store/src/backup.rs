//! `scopepact backup`: a consistent copy of a live database (a device's or the sync server's)
//! through SQLite's online backup API, while others keep writing to it.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use crate::StoreError;

/// What a backup wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct BackupReport {
    pub path: PathBuf,
    pub bytes: u64,
    /// Automerge chunks (sync server) or documents (device) the copy holds.
    pub documents: u64,
}

/// Copies the database at `source` to `out` as one snapshot, checks the copy with
/// `PRAGMA integrity_check`, then puts it in place in one rename: `out` is either the previous
/// file or a complete, checked copy, never half of one. The source is opened read-only, so a
/// mistyped path is refused instead of backing up a new empty database.
pub fn backup(source: &Path, out: &Path) -> Result<BackupReport, StoreError> {
    let failed = |path: &Path, reason: String| StoreError::Open {
        path: path.to_path_buf(),
        reason,
    };
    if !source.is_file() {
        return Err(failed(source, "no such database file".into()));
    }
    let src = Connection::open_with_flags(
        source,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| failed(source, e.to_string()))?;
    src.busy_timeout(Duration::from_secs(10))?;
    let folder = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if out.is_dir() {
        return Err(failed(
            out,
            "is a folder; give the backup file's name".into(),
        ));
    }
    let staging = tempfile::Builder::new()
        .prefix(".scopepact-backup-")
        .tempfile_in(&folder)
        .map_err(|e| failed(out, e.to_string()))?;
    {
        let mut dst =
            Connection::open(staging.path()).map_err(|e| failed(staging.path(), e.to_string()))?;
        let copy = rusqlite::backup::Backup::new(&src, &mut dst)?;
        // Every page in one step: one read transaction, so the copy is one snapshot even while
        // the server commits (a step-by-step copy restarts on every commit of another writer).
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        loop {
            use rusqlite::backup::StepResult;
            let step = copy.step(-1).map_err(|e| match e {
                rusqlite::Error::SqliteFailure(_, _) => {
                    failed(source, format!("not a database SQLite can copy: {e}"))
                }
                other => StoreError::Sqlite(other),
            })?;
            match step {
                StepResult::Done => break,
                // Another writer holds a lock for a moment: try again, for a while.
                _ if std::time::Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(50))
                }
                _ => return Err(failed(source, "stayed locked for 60 s".into())),
            }
        }
        drop(copy);
        let verdict: String = dst.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if verdict != "ok" {
            return Err(failed(
                staging.path(),
                format!("the copy failed its integrity check: {verdict}"),
            ));
        }
        // One self-contained file: no -wal beside it to forget when it is moved.
        dst.pragma_update(None, "journal_mode", "DELETE")?;
    }
    let documents = count_documents(staging.path())?;
    staging
        .as_file()
        .sync_all()
        .map_err(|e| failed(out, e.to_string()))?;
    let file = staging
        .persist(out)
        .map_err(|e| failed(out, e.error.to_string()))?;
    let bytes = file.metadata().map(|m| m.len()).unwrap_or(0);
    Ok(BackupReport {
        path: out.to_path_buf(),
        bytes,
        documents,
    })
}

/// Documents a database holds: the sync server's distinct chunk owners, or a device's rows.
fn count_documents(path: &Path) -> Result<u64, StoreError> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let has = |table: &str| -> Result<bool, StoreError> {
        Ok(conn.query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
            [table],
            |r| r.get::<_, i64>(0),
        )? > 0)
    };
    let rows = if has("documents")? {
        conn.query_row("SELECT count(*) FROM documents", [], |r| r.get::<_, i64>(0))?
    } else {
        0
    };
    // Chunk keys are `<document>/<kind>/<hash>`: the server has no document rows, only these.
    let owners = if has("chunks")? {
        conn.query_row(
            "SELECT count(DISTINCT substr(key, 1, instr(key, '/') - 1)) FROM chunks
             WHERE instr(key, '/') > 1",
            [],
            |r| r.get::<_, i64>(0),
        )?
    } else {
        0
    };
    Ok(rows.max(owners).max(0) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_holds_the_rows_and_replaces_an_older_backup() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("server.sqlite3");
        let conn = crate::connect(&db).unwrap();
        conn.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1), (2);")
            .unwrap();
        let out = dir.path().join("copy.sqlite3");
        std::fs::write(&out, "an older backup").unwrap();
        let report = backup(&db, &out).unwrap();
        assert!(report.bytes > 0);
        let copy = Connection::open(&out).unwrap();
        let n: i64 = copy
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 2);
        assert!(!dir.path().join("copy.sqlite3-wal").exists());
    }

    #[test]
    fn a_missing_or_foreign_source_is_refused_and_nothing_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("copy.sqlite3");
        let error = backup(&dir.path().join("typo.sqlite3"), &out).unwrap_err();
        assert!(error.to_string().contains("no such database"), "{error}");
        let text = dir.path().join("notes.txt");
        std::fs::write(&text, "not a database at all, just some words to copy").unwrap();
        let error = backup(&text, &out).unwrap_err();
        assert!(error.to_string().contains("notes.txt"), "{error}");
        assert!(!out.exists());
        let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1, "no staging file left behind");
    }
}
