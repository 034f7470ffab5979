//! The company's certificate authority, on the sync server (issue 13): `scopepact ca init` makes
//! a root (key file 0600 beside the server's database, certificate in it); a device that syncs
//! with a valid token sends its profiles' certificate requests and gets certificates the root
//! issued; revoking the device token revokes them. A customer checks the vendor's PDF
//! signatures against the root the vendor publishes (`scopepact ca export`).

use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OptionalExtension};
use scopepact_signing::certificate;

use crate::SyncError;

/// The setting holding the root certificate (PEM).
const ROOT: &str = "ca.root";
/// How long an issued certificate lasts.
const ISSUED_DAYS: u32 = 365;
/// Largest certificate request read.
pub const MAX_REQUEST_BYTES: usize = 16 * 1024;

fn invalid(why: impl std::fmt::Display) -> SyncError {
    SyncError::InvalidInput(why.to_string())
}

/// The root's private key file, beside the database.
pub fn key_path(db: &Path) -> PathBuf {
    let mut name = db.file_name().unwrap_or_default().to_os_string();
    name.push(".ca-key.pem");
    db.with_file_name(name)
}

/// Makes the company root; refused when there is one.
pub fn init(db: &Path, organisation: &str) -> Result<String, SyncError> {
    let conn = scopepact_store::connect(db)?;
    if root_pem(&conn)?.is_some() {
        return Err(invalid(
            "this server already has a company root: `scopepact ca export` prints it",
        ));
    }
    let organisation = organisation.trim();
    if organisation.is_empty() {
        return Err(invalid(
            "the company root needs the company's name (--organisation)",
        ));
    }
    let key = certificate::create_key(&key_path(db)).map_err(invalid)?;
    give_to_database_owner(db, &key_path(db))?;
    let root = certificate::root_certificate(&key, organisation).map_err(invalid)?;
    let pem = certificate::pem_chain(&[root]).map_err(invalid)?;
    scopepact_store::profiles::set_setting(&conn, ROOT, &pem)?;
    Ok(pem)
}

/// An installed server runs as its own (systemd dynamic) user while its operator runs
/// `ca init` as root: the key file goes to whoever owns the database, or the server could not
/// read it.
fn give_to_database_owner(db: &Path, file: &Path) -> Result<(), SyncError> {
    use std::os::unix::fs::MetadataExt;
    let (Ok(database), Ok(made)) = (std::fs::metadata(db), std::fs::metadata(file)) else {
        return Ok(());
    };
    if (database.uid(), database.gid()) == (made.uid(), made.gid()) {
        return Ok(());
    }
    std::os::unix::fs::chown(file, Some(database.uid()), Some(database.gid())).map_err(|e| {
        invalid(format!(
            "cannot give {} to the database's owner (uid {}): {e}",
            file.display(),
            database.uid()
        ))
    })
}

/// The root certificate, PEM, when the server has one.
pub fn root_pem(conn: &Connection) -> Result<Option<String>, SyncError> {
    Ok(scopepact_store::profiles::setting(conn, ROOT)?)
}

/// Issues a certificate for a device's request, records it with the device, and returns the
/// chain (the certificate, then the root), PEM.
pub fn issue(
    conn: &Connection,
    db: &Path,
    device: &str,
    request_pem: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<String, SyncError> {
    let root_pem = root_pem(conn)?
        .ok_or_else(|| invalid("this server has no company root (`scopepact ca init`)"))?;
    let root = certificate::read_chain(&root_pem)
        .map_err(invalid)?
        .into_iter()
        .next()
        .ok_or_else(|| invalid("the company root is unreadable"))?;
    let key = certificate::load_key(&key_path(db)).map_err(invalid)?;
    let issued = certificate::issue(&key, &root, request_pem, ISSUED_DAYS).map_err(invalid)?;
    let (subject, _) = certificate::describe(&issued).map_err(invalid)?;
    conn.execute(
        "INSERT INTO issued_certificates (sha256, device, subject, issued_at, revoked_at)
         VALUES (?1, ?2, ?3, ?4, NULL)",
        params![
            certificate::certificate_fingerprint(&issued),
            device,
            subject,
            now.to_rfc3339()
        ],
    )?;
    certificate::pem_chain(&[issued, root]).map_err(invalid)
}

/// SHA-256 (hex) of every certificate revoked with its device's token.
pub fn revoked(conn: &Connection) -> Result<Vec<String>, SyncError> {
    let mut statement = conn.prepare(
        "SELECT sha256 FROM issued_certificates WHERE revoked_at IS NOT NULL ORDER BY sha256",
    )?;
    let rows = statement.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Revokes the certificates issued to `device` (its token was revoked).
pub(crate) fn revoke_device(
    conn: &Connection,
    device: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), SyncError> {
    conn.execute(
        "UPDATE issued_certificates SET revoked_at = ?2 WHERE device = ?1 AND revoked_at IS NULL",
        params![device, now.to_rfc3339()],
    )?;
    Ok(())
}

/// How many certificates a device was issued (for the operator).
pub fn issued_to(conn: &Connection, device: &str) -> Result<i64, SyncError> {
    Ok(conn
        .query_row(
            "SELECT count(*) FROM issued_certificates WHERE device = ?1",
            [device],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(0))
}
