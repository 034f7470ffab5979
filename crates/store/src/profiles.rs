//! The people who use this device. Each profile writes with its own Automerge actor, so every
//! change in a document is attributed to one person on one device, and two profiles sharing a
//! laptop never write as each other.

use rusqlite::{params, Connection, OptionalExtension};
use scopepact_messages::{message, Message};
use scopepact_scope::interchange::Role;
use serde::Serialize;
use uuid::Uuid;

use crate::StoreError;

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct Profile {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: Role,
    #[serde(skip)]
    pub automerge_actor: String,
    /// The profile's ed25519 public key (hex) and its short fingerprint; filled in by whoever
    /// holds the key files (the workspace), empty here.
    pub public_key: String,
    pub fingerprint: String,
}

pub fn role_name(role: Role) -> &'static str {
    match role {
        Role::Commercial => "commercial",
        Role::Operational => "operational",
        Role::Executive => "executive",
    }
}

pub fn parse_role(text: &str) -> Option<Role> {
    match text {
        "commercial" => Some(Role::Commercial),
        "operational" => Some(Role::Operational),
        "executive" => Some(Role::Executive),
        _ => None,
    }
}

fn invalid(message: Message) -> StoreError {
    StoreError::InvalidProfile(message)
}

pub(crate) fn add(
    conn: &Connection,
    name: &str,
    email: &str,
    role: Role,
) -> Result<Profile, StoreError> {
    let name = name.trim();
    let email = email.trim();
    if name.is_empty() {
        return Err(invalid(message!("profile-needs-name")));
    }
    let (local, domain) = email.split_once('@').unwrap_or_default();
    if local.is_empty() || !domain.contains('.') || email.contains(char::is_whitespace) {
        return Err(invalid(message!("profile-bad-email", value = email)));
    }
    let existing: Option<String> = conn
        .query_row("SELECT name FROM profiles WHERE email = ?1", [email], |r| {
            r.get(0)
        })
        .optional()?;
    if let Some(other) = existing {
        return Err(invalid(message!(
            "profile-taken",
            other = other,
            email = email
        )));
    }
    let profile = Profile {
        id: Uuid::now_v7().to_string(),
        name: name.to_string(),
        email: email.to_string(),
        role,
        automerge_actor: Uuid::new_v4().simple().to_string(),
        public_key: String::new(),
        fingerprint: String::new(),
    };
    conn.execute(
        "INSERT INTO profiles (id, name, email, role, automerge_actor, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            profile.id,
            profile.name,
            profile.email,
            role_name(role),
            profile.automerge_actor,
            crate::now()
        ],
    )?;
    Ok(profile)
}

pub(crate) fn list(conn: &Connection) -> Result<Vec<Profile>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT id, name, email, role, automerge_actor FROM profiles ORDER BY created_at, id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
        ))
    })?;
    rows.map(|row| {
        let (id, name, email, role, automerge_actor) = row?;
        let role = parse_role(&role)
            .ok_or_else(|| invalid(message!("profile-unknown-role", value = &role)))?;
        Ok(Profile {
            id,
            name,
            email,
            role,
            automerge_actor,
            public_key: String::new(),
            fingerprint: String::new(),
        })
    })
    .collect()
}

pub fn setting(conn: &Connection, key: &str) -> Result<Option<String>, StoreError> {
    Ok(conn
        .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()?)
}

pub fn set_setting(conn: &Connection, key: &str, value: &str) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, value],
    )?;
    Ok(())
}
