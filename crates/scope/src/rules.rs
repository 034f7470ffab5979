//! The rules a value must follow, wherever it comes from: a `scopepact/v1` file being imported
//! or a synced peer's change being read. One set of rules, so whatever a document holds exports
//! to a file that imports again.

use scopepact_messages::{message, Message};

use crate::error::ScopeError;

/// Largest text of any one field, in bytes (a long specification pasted into a description is
/// a few tens of kilobytes).
pub const MAX_TEXT_BYTES: usize = 100_000;
/// Most items in one list of a document: commitments, ambiguities, assumptions, exclusions,
/// parameters of a commitment, attendees, rework entries…
pub const MAX_ITEMS: usize = 10_000;
/// Largest `scopepact/v1` file read, in bytes.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;
/// Most bytes of collaborative text (commitment descriptions and meeting minutes together) in
/// one document: every character of it is an Automerge operation of its own, about 300 bytes
/// of memory while it is written.
pub const MAX_SHARED_TEXT_BYTES: usize = 1_000_000;
/// Most points in one drawn signature.
pub const MAX_DRAWING_POINTS: usize = 20_000;

/// `YYYY-MM-DD`, exactly: four-digit year, two-digit month and day, a real calendar date.
pub fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && [0, 1, 2, 3, 5, 6, 8, 9]
            .iter()
            .all(|&i| b[i].is_ascii_digit())
        && chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok()
}

/// An RFC 3339 time with a four-digit year, e.g. `2026-11-20T10:14:00Z`.
pub fn is_timestamp(text: &str) -> bool {
    text.get(..10).is_some_and(is_date) && chrono::DateTime::parse_from_rfc3339(text).is_ok()
}

/// A three-letter ISO 4217 code such as `EUR`.
pub fn is_currency(code: &str) -> bool {
    code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase())
}

/// An amount or a quantity: a finite number of zero or more.
pub fn is_amount(value: f64) -> bool {
    value.is_finite() && value >= 0.0
}

/// A margin threshold, in percent.
pub fn is_percent(value: f64) -> bool {
    (-100.0..=100.0).contains(&value)
}

pub fn is_text(text: &str) -> bool {
    text.len() <= MAX_TEXT_BYTES
}

/// The instant a meeting or milestone time names, in seconds since the epoch: RFC 3339, or a
/// date and time (`YYYY-MM-DDTHH:MM`) or a date (midnight) read as UTC. `None` for anything else.
pub fn moment_seconds(value: &str) -> Option<i64> {
    // Always a four-digit year first, whatever follows (chrono alone takes `27-01-01`).
    if !value.get(..10).is_some_and(is_date) {
        return None;
    }
    chrono::DateTime::parse_from_rfc3339(value)
        .map(|t| t.timestamp())
        .ok()
        .or_else(|| {
            chrono::NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M")
                .ok()
                .map(|t| t.and_utc().timestamp())
        })
        .or_else(|| {
            chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|t| t.and_utc().timestamp())
        })
}

/// The checks of typed values every stage uses, with the one wording of each refusal.
pub(crate) fn required_text(field: Message, value: &str) -> Result<String, ScopeError> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(ScopeError::invalid(field, message!("value-empty")));
    }
    Ok(trimmed.to_string())
}

pub(crate) fn amount(field: Message, value: Option<f64>) -> Result<Option<f64>, ScopeError> {
    match value {
        Some(v) if !v.is_finite() || v < 0.0 => Err(ScopeError::invalid(
            field,
            message!("value-negative", value = v.to_string()),
        )),
        _ => Ok(value),
    }
}

pub(crate) fn optional_date(
    field: Message,
    value: &Option<String>,
) -> Result<Option<String>, ScopeError> {
    let value = value
        .as_ref()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty());
    if let Some(v) = &value {
        if chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").is_err() {
            return Err(ScopeError::invalid(
                field,
                message!("value-not-a-date", value = v),
            ));
        }
    }
    Ok(value)
}

pub(crate) fn date(field: Message, value: &str) -> Result<String, ScopeError> {
    let value = value.trim();
    chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .map_err(|_| ScopeError::invalid(field, message!("value-not-a-date", value = value)))?;
    Ok(value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_exactly_yyyy_mm_dd() {
        assert!(is_date("2027-02-03"));
        for bad in [
            "2027-2-3",
            "27-01-01",
            "+99999-01-01",
            "-2027-01-01",
            "2027-02-30",
            "2027-02-03 ",
            "２０２７-02-03",
        ] {
            assert!(!is_date(bad), "{bad}");
        }
        assert!(is_timestamp("2026-11-20T10:14:00Z"));
        assert!(is_timestamp("2026-11-20T10:14:00+01:00"));
        assert!(!is_timestamp("+2026-11-20T10:14:00Z"));
        assert!(!is_timestamp("yesterday"));
    }
}
