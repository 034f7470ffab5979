//! Device tokens for the sync server: `scopepact invite` makes one and shows it once; the server
//! keeps only its SHA-256, with an optional expiry, and a revoked token stays refused.

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjType, ROOT};
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};

use crate::SyncError;

/// Why a presented token is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Missing,
    Unknown,
    Expired,
    Revoked,
}

impl Refusal {
    pub fn as_str(self) -> &'static str {
        match self {
            Refusal::Missing => "no token",
            Refusal::Unknown => "unknown token",
            Refusal::Expired => "expired token",
            Refusal::Revoked => "revoked token",
        }
    }
}

fn digest(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `30d`, `12h`, `45m`, `90s`: how long a token lives.
pub fn parse_duration(text: &str) -> Result<Duration, SyncError> {
    let text = text.trim();
    let invalid = || {
        SyncError::InvalidInput(format!(
            "\"{text}\" is not a duration such as 30d, 12h, 45m or 90s, of at most ten years"
        ))
    };
    let unit = text.chars().last().ok_or_else(invalid)?;
    let number = &text[..text.len() - unit.len_utf8()];
    if !number.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid());
    }
    let n: i64 = number.parse().map_err(|_| invalid())?;
    let duration = match unit {
        'd' => Duration::try_days(n),
        'h' => Duration::try_hours(n),
        'm' => Duration::try_minutes(n),
        's' => Duration::try_seconds(n),
        _ => None,
    }
    .ok_or_else(invalid)?;
    if n <= 0 || duration > MAX_TOKEN_LIFETIME {
        return Err(invalid());
    }
    Ok(duration)
}

/// The longest a device token can be made to last.
const MAX_TOKEN_LIFETIME: Duration = Duration::days(3650);

/// The setting naming the workspace's index document.
const WORKSPACE_INDEX: &str = "workspace_index";

/// The workspace's index document: automerge-repo has no "list every document" message, so
/// every device of the workspace writes the ids of its documents into one shared document,
/// which the server holds from the start. Its id travels inside each device token, so a new
/// device knows where to look. Made on first use, in the server's database.
pub fn workspace_index(conn: &Connection) -> Result<uuid::Uuid, SyncError> {
    if let Some(id) = scopepact_store::profiles::setting(conn, WORKSPACE_INDEX)? {
        return uuid::Uuid::parse_str(&id)
            .map_err(|_| SyncError::Server(format!("the workspace index id {id} is damaged")));
    }
    let id = uuid::Uuid::new_v4();
    let mut doc = AutoCommit::new();
    doc.put(ROOT, "scopepact", "workspace-index")
        .map_err(|e| SyncError::Server(e.to_string()))?;
    doc.put_object(ROOT, "documents", ObjType::Map)
        .map_err(|e| SyncError::Server(e.to_string()))?;
    let heads = doc.get_heads();
    let storage_id = scopepact_store::storage_id(&id);
    scopepact_store::chunks::put(
        conn,
        &scopepact_store::chunks::StorageKey::snapshot(&storage_id, &heads),
        &doc.save(),
    )?;
    scopepact_store::profiles::set_setting(conn, WORKSPACE_INDEX, &id.to_string())?;
    Ok(id)
}

/// The index document named by a device token (`spd_<index>_<secret>`).
pub fn index_of_token(token: &str) -> Option<String> {
    let (index, secret) = token.trim().strip_prefix("spd_")?.split_once('_')?;
    (!index.is_empty() && secret.len() >= 32).then(|| index.to_string())
}

/// Makes a token for a device and returns it; only its digest is stored.
pub fn invite(
    conn: &Connection,
    name: &str,
    lifetime: Option<Duration>,
    now: DateTime<Utc>,
) -> Result<String, SyncError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(SyncError::InvalidInput("a device needs a name".into()));
    }
    let exists: Option<String> = conn
        .query_row(
            "SELECT name FROM device_tokens WHERE name = ?1 AND revoked_at IS NULL",
            [name],
            |r| r.get(0),
        )
        .optional()?;
    if exists.is_some() {
        return Err(SyncError::DeviceExists(name.to_string()));
    }
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let index = scopepact_store::storage_id(&workspace_index(conn)?);
    let token = format!("spd_{index}_{token}");
    conn.execute(
        "INSERT INTO device_tokens (name, token_sha256, created_at, expires_at, revoked_at)
         VALUES (?1, ?2, ?3, ?4, NULL)
         ON CONFLICT (name) DO UPDATE SET token_sha256 = excluded.token_sha256,
             created_at = excluded.created_at, expires_at = excluded.expires_at, revoked_at = NULL",
        params![
            name,
            digest(&token),
            now.to_rfc3339(),
            lifetime.map(|l| (now + l).to_rfc3339())
        ],
    )?;
    Ok(token)
}

pub fn revoke(conn: &Connection, name: &str, now: DateTime<Utc>) -> Result<(), SyncError> {
    let changed = conn.execute(
        "UPDATE device_tokens SET revoked_at = ?2 WHERE name = ?1 AND revoked_at IS NULL",
        params![name.trim(), now.to_rfc3339()],
    )?;
    if changed == 0 {
        return Err(SyncError::NoSuchDevice(name.trim().to_string()));
    }
    crate::authority::revoke_device(conn, name.trim(), now)?;
    Ok(())
}

/// The device a token belongs to, or why it is refused.
pub fn check(
    conn: &Connection,
    token: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Result<String, Refusal>, SyncError> {
    let Some(token) = token.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(Err(Refusal::Missing));
    };
    let row: Option<(String, Option<String>, Option<String>)> = conn
        .query_row(
            "SELECT name, expires_at, revoked_at FROM device_tokens WHERE token_sha256 = ?1",
            [digest(token)],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    Ok(match row {
        None => Err(Refusal::Unknown),
        Some((_, _, Some(_))) => Err(Refusal::Revoked),
        Some((name, Some(expires), None)) => match DateTime::parse_from_rfc3339(&expires) {
            Ok(at) if at > now => Ok(name),
            _ => Err(Refusal::Expired),
        },
        Some((name, None, None)) => Ok(name),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_bounded_and_never_panic() {
        assert_eq!(parse_duration("30d").unwrap(), Duration::days(30));
        assert_eq!(parse_duration("3650d").unwrap(), Duration::days(3650));
        for bad in [
            "2900000000d",
            "95000000d",
            "3651d",
            "0d",
            "-5d",
            "+5d",
            "30é",
            "é",
            "d",
            "",
            "99999999999999999999s",
        ] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }

    fn db() -> (tempfile::TempDir, Connection) {
        let dir = tempfile::tempdir().unwrap();
        let conn = scopepact_store::connect(&dir.path().join("server.sqlite3")).unwrap();
        (dir, conn)
    }

    #[test]
    fn a_token_is_valid_until_it_expires_or_is_revoked() {
        let (_dir, conn) = db();
        let now = Utc::now();
        let token = invite(&conn, "laptop-ana", Some(Duration::days(30)), now).unwrap();
        assert_eq!(
            check(&conn, Some(&token), now).unwrap(),
            Ok("laptop-ana".into())
        );
        assert_eq!(
            check(&conn, Some(&token), now + Duration::days(31)).unwrap(),
            Err(Refusal::Expired)
        );
        assert_eq!(
            check(&conn, Some("spd_nope"), now).unwrap(),
            Err(Refusal::Unknown)
        );
        assert_eq!(check(&conn, None, now).unwrap(), Err(Refusal::Missing));
        // Only the digest is stored.
        let stored: String = conn
            .query_row("SELECT token_sha256 FROM device_tokens", [], |r| r.get(0))
            .unwrap();
        assert_ne!(stored, token);
        assert!(matches!(
            invite(&conn, "laptop-ana", None, now),
            Err(SyncError::DeviceExists(_))
        ));
        // Every token names the same workspace index.
        let index = scopepact_store::storage_id(&workspace_index(&conn).unwrap());
        assert_eq!(index_of_token(&token).as_deref(), Some(index.as_str()));
        revoke(&conn, "laptop-ana", now).unwrap();
        assert_eq!(
            check(&conn, Some(&token), now).unwrap(),
            Err(Refusal::Revoked)
        );
        assert!(matches!(
            revoke(&conn, "laptop-ana", now),
            Err(SyncError::NoSuchDevice(_))
        ));
        // A revoked name may be invited again; the old token stays refused.
        let again = invite(&conn, "laptop-ana", None, now).unwrap();
        assert_eq!(
            check(&conn, Some(&again), now).unwrap(),
            Ok("laptop-ana".into())
        );
        assert_eq!(
            check(&conn, Some(&token), now).unwrap(),
            Err(Refusal::Unknown)
        );
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("30d").unwrap(), Duration::days(30));
        assert_eq!(parse_duration("12h").unwrap(), Duration::hours(12));
        assert_eq!(parse_duration("2s").unwrap(), Duration::seconds(2));
        for bad in ["", "d", "0d", "-1d", "3w", "1.5d", "thirty"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }
}
