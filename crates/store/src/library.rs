//! The capability library: every commitment operations validated as feasible or conditional on
//! a scope that was then signed, with its verdict, who gave it, the deal, and whether rework was
//! later logged against it. It is a projection of the documents, rewritten in the transaction of
//! each write (like the list row), and searched through SQLite FTS5: `unicode61` tokens with
//! diacritics removed, so case and accents never matter, and prefix queries, so a word half
//! typed already matches (`hidraul` finds "Unidad hidráulica").

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use scopepact_scope::model::{self as m, ScopeDoc};
use scopepact_scope::status::Status;
use serde::Serialize;

use crate::StoreError;

/// Bumped when what an entry holds changes: the library is then built again from the
/// documents, once, on its next use.
const LIBRARY_VERSION: &str = "1";
const LIBRARY_VERSION_KEY: &str = "library.version";
/// The most entries one search returns.
pub const MAX_RESULTS: usize = 50;
/// Words of a query beyond this many are ignored (a query is typed, not pasted).
const MAX_QUERY_WORDS: usize = 12;

/// How many matches a search ranks at most: the most recently added ones.
pub const RANKED_MATCHES: usize = 2_000;

/// One thing operations already validated.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct LibraryEntry {
    /// `DOCUMENT_ID:COMMITMENT_ID`.
    pub id: String,
    pub title: String,
    pub description: String,
    pub kind: String,
    pub parameters: Vec<LibraryParameter>,
    pub quantity: Option<f64>,
    pub unit: String,
    pub lead_time_weeks: Option<f64>,
    pub acceptance: String,
    pub price: Option<f64>,
    pub cost_estimate: Option<f64>,
    /// `feasible` or `conditional`.
    pub verdict: String,
    pub condition: Option<String>,
    pub validated_by: Option<String>,
    pub validated_at: Option<String>,
    pub document_id: String,
    /// The commitment's ref in its deal (`C-03`).
    #[serde(rename = "ref")]
    pub reference: String,
    pub deal: String,
    pub customer: String,
    /// Rework logged against this commitment after its deal's handoff.
    pub rework: u32,
    /// Retired by operations: not suggested any more.
    pub retired: Option<Retirement>,
}

#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, specta::Type)]
pub struct LibraryParameter {
    pub name: String,
    pub value: String,
    pub unit: String,
    pub tolerance: String,
}

/// Why operations stopped suggesting an entry.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct Retirement {
    pub by: String,
    pub at: String,
    pub reason: String,
}

/// Whether a deal's commitments count as validated for the library: the scope was signed.
fn signed(status: Status) -> bool {
    matches!(status, Status::Signed | Status::HandedOff | Status::Closed)
}

/// Rewrites the entries of one document, inside the caller's transaction (the store calls it
/// with every write of a deal; public for the search benchmark).
pub fn project(
    tx: &Transaction<'_>,
    document_id: &str,
    model: &ScopeDoc,
    status: Status,
) -> Result<(), StoreError> {
    tx.execute(
        "DELETE FROM library_text WHERE rowid IN (SELECT rowid FROM library WHERE document_id = ?1)",
        [document_id],
    )?;
    tx.execute("DELETE FROM library WHERE document_id = ?1", [document_id])?;
    if !signed(status) {
        return Ok(());
    }
    let mut insert = tx.prepare_cached(
        "INSERT INTO library (id, document_id, ref, kind, title, description, parameters, quantity, unit, acceptance, price, cost_estimate, verdict, condition, validated_by, validated_at, deal, customer, rework, lead_time_weeks)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)",
    )?;
    let mut index = tx.prepare_cached(
        "INSERT INTO library_text (rowid, title, description, parameters) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (commitment_id, c) in &model.commitments {
        let verdict = match c.validation.status {
            m::ValidationStatus::Feasible => "feasible",
            m::ValidationStatus::Conditional => "conditional",
            m::ValidationStatus::Pending | m::ValidationStatus::Infeasible => continue,
        };
        let parameters: Vec<LibraryParameter> = c
            .parameters
            .iter()
            .map(|p| LibraryParameter {
                name: p.name.clone(),
                value: p.value.clone(),
                unit: p.unit.clone(),
                tolerance: p.tolerance.clone(),
            })
            .collect();
        let parameters_text: String = parameters
            .iter()
            .map(|p| format!("{} {} {}", p.name, p.value, p.unit))
            .collect::<Vec<_>>()
            .join(" ");
        let rework = model
            .rework
            .values()
            .filter(|r| r.commitments.contains(&c.reference))
            .count();
        let description = c.description.as_str().to_string();
        insert.execute(params![
            format!("{document_id}:{commitment_id}"),
            document_id,
            c.reference,
            kind_name(c.kind),
            c.title,
            description,
            serde_json::to_string(&parameters).unwrap_or_else(|_| "[]".into()),
            c.quantity,
            c.unit,
            c.acceptance,
            c.price,
            c.cost_estimate,
            verdict,
            c.validation.condition,
            c.validation.by,
            c.validation.at,
            model.title,
            model.customer.name,
            i64::try_from(rework).unwrap_or(i64::MAX),
            c.delivery.lead_time_weeks,
        ])?;
        let rowid = tx.last_insert_rowid();
        index.execute(params![rowid, c.title, description, parameters_text])?;
    }
    Ok(())
}

fn kind_name(kind: m::CommitmentKind) -> &'static str {
    match kind {
        m::CommitmentKind::Product => "product",
        m::CommitmentKind::Service => "service",
        m::CommitmentKind::Specification => "specification",
        m::CommitmentKind::Delivery => "delivery",
        m::CommitmentKind::Acceptance => "acceptance",
        m::CommitmentKind::Warranty => "warranty",
        m::CommitmentKind::Training => "training",
        m::CommitmentKind::Other => "other",
    }
}

/// Whether the library was built by this version (else it is built again from the documents).
pub(crate) fn is_current(conn: &Connection) -> Result<bool, StoreError> {
    let version: Option<String> = conn
        .query_row(
            "SELECT value FROM settings WHERE key = ?1",
            [LIBRARY_VERSION_KEY],
            |r| r.get(0),
        )
        .optional()?;
    Ok(version.as_deref() == Some(LIBRARY_VERSION))
}

/// Records that the library was built by this version (the store, and the search benchmark).
pub fn mark_current(tx: &Transaction<'_>) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [LIBRARY_VERSION_KEY, LIBRARY_VERSION],
    )?;
    Ok(())
}

/// Replaces the retirements with `retired` (entry id, who, when, why), inside the caller's
/// transaction: they come from the company document.
pub(crate) fn set_retired(
    tx: &Transaction<'_>,
    retired: &[(String, Retirement)],
) -> Result<(), StoreError> {
    tx.execute("DELETE FROM library_retired", [])?;
    let mut insert = tx.prepare_cached(
        "INSERT OR REPLACE INTO library_retired (id, by, at, reason) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (id, r) in retired {
        insert.execute(params![id, r.by, r.at, r.reason])?;
    }
    Ok(())
}

/// The FTS5 query for what someone typed: every word must match as a prefix, case and accents
/// ignored. Words of one letter are left out: as a prefix one letter matches a large part of
/// any library (ranking them all is what makes a search slow), and as a word ("a", "y") it
/// says nothing. `None` when nothing searchable was typed.
pub fn fts_query(typed: &str) -> Option<String> {
    let words: Vec<String> = typed
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 2)
        .take(MAX_QUERY_WORDS)
        // Quoted, so FTS5 operators typed by someone (AND, NEAR, -) are plain words.
        .map(|w| format!("\"{w}\"*"))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

const ENTRY_COLUMNS: &str = "l.id, l.title, l.description, l.kind, l.parameters, l.quantity, l.unit, l.acceptance, l.price, l.cost_estimate, l.verdict, l.condition, l.validated_by, l.validated_at, l.document_id, l.ref, l.deal, l.customer, l.rework, r.by, r.at, r.reason, l.lead_time_weeks";

fn entry_of(row: &rusqlite::Row<'_>) -> rusqlite::Result<LibraryEntry> {
    let parameters: String = row.get(4)?;
    let retired_by: Option<String> = row.get(19)?;
    Ok(LibraryEntry {
        id: row.get(0)?,
        title: row.get(1)?,
        description: row.get(2)?,
        kind: row.get(3)?,
        parameters: serde_json::from_str(&parameters).unwrap_or_default(),
        quantity: row.get(5)?,
        unit: row.get(6)?,
        lead_time_weeks: row.get(22)?,
        acceptance: row.get(7)?,
        price: row.get(8)?,
        cost_estimate: row.get(9)?,
        verdict: row.get(10)?,
        condition: row.get(11)?,
        validated_by: row.get(12)?,
        validated_at: row.get(13)?,
        document_id: row.get(14)?,
        reference: row.get(15)?,
        deal: row.get(16)?,
        customer: row.get(17)?,
        rework: row.get::<_, i64>(18)?.try_into().unwrap_or(u32::MAX),
        retired: match retired_by {
            Some(by) => Some(Retirement {
                by,
                at: row.get(20)?,
                reason: row.get(21)?,
            }),
            None => None,
        },
    })
}

/// The entries matching what was typed, best first (title words weigh most), at most `limit`
/// (and never more than [`MAX_RESULTS`]); retired entries only when `include_retired`.
///
/// Ranking costs the same for every match, so only the [`RANKED_MATCHES`] most recently
/// added matches are ranked: a query that few entries match is ranked whole, while the first
/// letters of a common word (matching half the library) cost a bounded time, and what they
/// suggest is the best of the company's recent validations.
pub(crate) fn search(
    conn: &Connection,
    typed: &str,
    limit: usize,
    include_retired: bool,
) -> Result<Vec<LibraryEntry>, StoreError> {
    let Some(query) = fts_query(typed) else {
        return Ok(vec![]);
    };
    let limit = i64::try_from(limit.min(MAX_RESULTS)).unwrap_or(50);
    // The newest matches from the index (FTS5 walks its lists backwards and stops at the
    // limit; retired entries, a short list, take no place among them), the best of them, then
    // their rows.
    let sql = format!(
        "SELECT {ENTRY_COLUMNS} FROM (
             SELECT rowid, rank FROM library_text WHERE library_text MATCH ?1
               AND (?2 OR rowid NOT IN (
                 SELECT l.rowid FROM library_retired r JOIN library l ON l.id = r.id))
             ORDER BY rowid DESC LIMIT {RANKED_MATCHES}
         ) t
         JOIN library l ON l.rowid = t.rowid
         LEFT JOIN library_retired r ON r.id = l.id
         ORDER BY t.rank, l.id
         LIMIT ?3"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![query, include_retired, limit], entry_of)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// One entry by id, retired or not.
pub(crate) fn entry(conn: &Connection, id: &str) -> Result<Option<LibraryEntry>, StoreError> {
    let sql = format!(
        "SELECT {ENTRY_COLUMNS} FROM library l LEFT JOIN library_retired r ON r.id = l.id WHERE l.id = ?1"
    );
    Ok(conn.query_row(&sql, [id], entry_of).optional()?)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

    use scopepact_scope::document;
    use scopepact_scope::edit::Actor;
    use scopepact_scope::interchange::{Document, Role};

    use super::*;

    const SAMPLE: &str = include_str!("../../../tests/fixtures/press-line-retrofit.json");

    fn sample_model() -> ScopeDoc {
        let actor = Actor {
            name: "Ana Ruiz".into(),
            email: "ana.ruiz@pressworks.example".into(),
            role: Some(Role::Commercial),
            device: "test".into(),
            automerge_actor: String::new(),
            certificate: None,
        };
        let doc = document::from_file(&Document::parse(SAMPLE).unwrap(), &actor).unwrap();
        document::read(&doc).unwrap()
    }

    fn database() -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::migrations::migrate(&mut conn).unwrap();
        conn
    }

    fn put(conn: &mut Connection, id: &str, model: &ScopeDoc, status: Status) {
        let tx = conn.transaction().unwrap();
        project(&tx, id, model, status).unwrap();
        tx.commit().unwrap();
    }

    fn titles(found: &[LibraryEntry]) -> Vec<&str> {
        found.iter().map(|e| e.title.as_str()).collect()
    }

    /// The sample with one commitment in Spanish, validated feasible.
    fn spanish_model() -> ScopeDoc {
        let mut model = sample_model();
        let c = model.commitments.values_mut().next().unwrap();
        c.title = "Unidad hidráulica de reserva para la prensa".into();
        c.validation.status = m::ValidationStatus::Feasible;
        c.validation.by = Some("Jörg Müller".into());
        model
    }

    #[test]
    fn words_typed_in_part_match_whatever_their_case_and_accents() {
        let mut conn = database();
        put(&mut conn, "deal-a", &spanish_model(), Status::Signed);
        for typed in [
            "hidráu",
            "HIDRAU",
            "hidraulica",
            "Unidad  hidr",
            "prens reser",
        ] {
            let found = search(&conn, typed, 10, false).unwrap();
            assert_eq!(
                titles(&found),
                ["Unidad hidráulica de reserva para la prensa"],
                "{typed}"
            );
        }
        assert!(search(&conn, "neumática", 10, false).unwrap().is_empty());
        let found = search(&conn, "hidraulica", 10, false).unwrap();
        assert_eq!(found[0].verdict, "feasible");
        assert_eq!(found[0].validated_by.as_deref(), Some("Jörg Müller"));
        assert_eq!(found[0].customer, "Metalúrgica del Norte S.A.");
        assert_eq!(found[0].document_id, "deal-a");
    }

    #[test]
    fn only_feasible_or_conditional_commitments_of_signed_deals_are_entries() {
        let mut conn = database();
        // The sample has C-02 feasible, C-03 conditional, C-05 feasible, the rest pending.
        put(
            &mut conn,
            "in-validation",
            &sample_model(),
            Status::InValidation,
        );
        assert!(search(&conn, "die change", 10, false).unwrap().is_empty());
        put(&mut conn, "signed", &sample_model(), Status::Signed);
        let verdicts: Vec<(String, String)> = [
            "quick die",
            "light curtains",
            "factory acceptance",
            "warranty",
        ]
        .iter()
        .flat_map(|typed| search(&conn, typed, 10, false).unwrap())
        .map(|e| (e.reference, e.verdict))
        .collect();
        assert_eq!(
            verdicts,
            [
                ("C-02".to_string(), "feasible".to_string()),
                ("C-03".to_string(), "conditional".to_string()),
                ("C-05".to_string(), "feasible".to_string()),
            ]
        );
        // Projected again once the deal is no longer signed (an amendment): gone.
        put(
            &mut conn,
            "signed",
            &sample_model(),
            Status::AmendedAfterSignature,
        );
        assert!(search(&conn, "die change", 10, false).unwrap().is_empty());
    }

    #[test]
    fn retired_entries_are_not_suggested_and_rework_is_counted() {
        let mut conn = database();
        let mut model = spanish_model();
        let reference = model.commitments.values().next().unwrap().reference.clone();
        model.rework.insert(
            "r1".into(),
            m::ReworkEntry {
                date: "2027-02-01".into(),
                commitments: vec![reference],
                description: "the unit leaked".into(),
                ..Default::default()
            },
        );
        put(&mut conn, "deal-a", &model, Status::HandedOff);
        let found = search(&conn, "hidraulica", 10, false).unwrap();
        assert_eq!(found[0].rework, 1);
        let id = found[0].id.clone();
        let tx = conn.transaction().unwrap();
        let retirement = Retirement {
            by: "Jörg Müller".into(),
            at: "2027-02-02T09:00:00Z".into(),
            reason: "the supplier changed".into(),
        };
        set_retired(&tx, &[(id.clone(), retirement.clone())]).unwrap();
        tx.commit().unwrap();
        assert!(search(&conn, "hidraulica", 10, false).unwrap().is_empty());
        let all = search(&conn, "hidraulica", 10, true).unwrap();
        assert_eq!(all[0].retired, Some(retirement));
        assert_eq!(entry(&conn, &id).unwrap().unwrap().id, id);
    }

    #[test]
    fn a_common_prefix_ranks_the_newest_matches_and_retired_ones_take_no_place() {
        let mut conn = database();
        let mut model = spanish_model();
        let template = model.commitments.values().next().unwrap().clone();
        model.commitments.clear();
        for n in 0..100 {
            let mut c = template.clone();
            c.reference = format!("C-{n:03}");
            c.title = format!("Unidad hidráulica número {n}");
            model.commitments.insert(format!("c{n}"), c);
        }
        // More matching entries than are ranked: the oldest deal's are beyond the window.
        let deals = RANKED_MATCHES / 100 + 2;
        for d in 0..deals {
            model.customer.name = format!("Cliente {d}");
            put(&mut conn, &format!("deal-{d:03}"), &model, Status::Signed);
        }
        let newest = search(&conn, "hi", 50, false).unwrap();
        assert_eq!(newest.len(), 50);
        assert!(
            newest
                .iter()
                .all(|e| e.document_id != "deal-000" && e.document_id != "deal-001"),
            "the two oldest deals are beyond the {RANKED_MATCHES} newest matches"
        );

        // Operations retires everything but the oldest deal: its entries are still suggested.
        let retired: Vec<(String, Retirement)> = search_ids(&conn, "deal-000")
            .into_iter()
            .map(|id| {
                (
                    id,
                    Retirement {
                        by: "Jörg Müller".into(),
                        at: "2027-02-02T09:00:00Z".into(),
                        reason: "the supplier changed".into(),
                    },
                )
            })
            .collect();
        let tx = conn.transaction().unwrap();
        set_retired(&tx, &retired).unwrap();
        tx.commit().unwrap();
        let left = search(&conn, "hi", 5, false).unwrap();
        assert_eq!(left.len(), 5);
        assert!(left.iter().all(|e| e.document_id == "deal-000"), "{left:?}");
    }

    /// The ids of every entry not of `keep`.
    fn search_ids(conn: &Connection, keep: &str) -> Vec<String> {
        let mut stmt = conn
            .prepare("SELECT id FROM library WHERE document_id != ?1")
            .unwrap();
        stmt.query_map([keep], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    #[test]
    fn what_is_typed_is_never_read_as_an_fts_query() {
        let mut conn = database();
        put(&mut conn, "deal-a", &spanish_model(), Status::Signed);
        for hostile in [
            "\"",
            "hidr\" OR \"",
            "NEAR(a b)",
            "-prensa",
            "*",
            "title:x",
            "(((",
        ] {
            assert!(search(&conn, hostile, 10, false).is_ok(), "{hostile}");
        }
        assert_eq!(fts_query("  "), None);
        assert_eq!(fts_query("h"), None);
        assert_eq!(fts_query("ab-c-de"), Some("\"ab\"* \"de\"*".into()));
    }
}
