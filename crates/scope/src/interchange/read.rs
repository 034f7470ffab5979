//! Reading a `scopepact/v1` file: parsed strictly (JSON path, line and column in every error),
//! bounded by the format's limits, then checked against the format's rules.

use std::collections::HashSet;

use super::*;
use scopepact_messages::{message, Message};

use crate::error::ScopeError;

impl Document {
    /// Parses and checks a file's text. Errors name the JSON path and, for syntax and type
    /// errors, the line and column.
    pub fn parse(text: &str) -> Result<Document, ScopeError> {
        if text.len() as u64 > crate::rules::MAX_FILE_BYTES {
            return fail(
                "$".into(),
                message!(
                    "file-too-big",
                    mib = text.len() / (1024 * 1024),
                    max = crate::rules::MAX_FILE_BYTES / (1024 * 1024)
                ),
            );
        }
        let de = &mut serde_json::Deserializer::from_str(text);
        let positioned = |path: String, inner: serde_json::Error| ScopeError::InvalidFile {
            path,
            problem: message!("file-json", detail = strip_position(&inner.to_string())),
            line: Some(inner.line()),
            column: Some(inner.column()),
        };
        let document: Document = serde_path_to_error::deserialize(&mut *de)
            .map_err(|err| positioned(json_path(&err.path().to_string()), err.into_inner()))?;
        // One document, and nothing after it (`{...}GARBAGE`, two documents back to back).
        de.end().map_err(|err| positioned("$".into(), err))?;
        document.check_limits()?;
        document.check()?;
        Ok(document)
    }

    /// The format's limits ([`crate::rules`]): no text over 100,000 bytes, no list over 10,000
    /// items. Checked on the parsed file before anything is built from it.
    pub fn check_limits(&self) -> Result<(), ScopeError> {
        fn walk(value: &serde_json::Value, path: &mut String) -> Result<(), ScopeError> {
            match value {
                serde_json::Value::String(s) if !crate::rules::is_text(s) => fail(
                    path.clone(),
                    message!(
                        "value-text-too-long",
                        bytes = s.len(),
                        max = crate::rules::MAX_TEXT_BYTES
                    ),
                ),
                serde_json::Value::Array(items) => {
                    if items.len() > crate::rules::MAX_ITEMS {
                        return fail(
                            path.clone(),
                            message!(
                                "file-list-too-long",
                                items = items.len(),
                                max = crate::rules::MAX_ITEMS
                            ),
                        );
                    }
                    for (i, item) in items.iter().enumerate() {
                        let len = path.len();
                        path.push_str(&format!("[{i}]"));
                        walk(item, path)?;
                        path.truncate(len);
                    }
                    Ok(())
                }
                serde_json::Value::Object(map) => {
                    for (key, item) in map {
                        let len = path.len();
                        path.push('.');
                        path.push_str(key);
                        walk(item, path)?;
                        path.truncate(len);
                    }
                    Ok(())
                }
                _ => Ok(()),
            }
        }
        let value = serde_json::to_value(self)
            .map_err(|e| ScopeError::in_file("$", message!("file-json", detail = e.to_string())))?;
        walk(&value, &mut "$".to_string())?;
        let shared = self
            .commitments
            .iter()
            .map(|c| c.description.len())
            .sum::<usize>()
            + self.meeting.as_ref().map_or(0, |m| m.minutes.len());
        if shared > crate::rules::MAX_SHARED_TEXT_BYTES {
            return fail(
                "$.commitments".into(),
                message!(
                    "value-shared-text-too-long",
                    bytes = shared,
                    max = crate::rules::MAX_SHARED_TEXT_BYTES
                ),
            );
        }
        Ok(())
    }

    /// Rules a schema cannot express well: format tag, dates, non-negative amounts, unique refs,
    /// links to existing commitments, required companions of a status.
    pub fn check(&self) -> Result<(), ScopeError> {
        self.check_header()?;
        let refs = self.check_commitments()?;
        let ambiguity_refs = self.check_ambiguities(&refs)?;
        self.check_overrides(&ambiguity_refs)?;
        self.check_handoff(&refs, &ambiguity_refs)?;
        self.check_agreements()
    }

    fn check_header(&self) -> Result<(), ScopeError> {
        if self.format != FORMAT {
            return fail(
                "$.format".into(),
                message!("file-format", expected = FORMAT, found = &self.format),
            );
        }
        if self.title.trim().is_empty() {
            return fail("$.title".into(), message!("file-title-empty"));
        }
        if let Some(template) = &self.template {
            if template.name.trim().is_empty() {
                return fail(
                    "$.template.name".into(),
                    message!("file-template-name-empty"),
                );
            }
        }
        if !self.deal.currency.is_empty() && !is_currency_code(&self.deal.currency) {
            return fail(
                "$.deal.currency".into(),
                message!("value-not-a-currency", value = &self.deal.currency),
            );
        }
        check_date("$.deal.target_close", self.deal.target_close.as_deref())?;
        check_amount("$.deal.value", self.deal.value)?;
        check_amount("$.deal.significant_value", self.deal.significant_value)?;
        check_percent(
            "$.deal.margin_threshold_pct",
            self.deal.margin_threshold_pct,
        )?;
        if let Some(company) = self.deal.company_thresholds {
            check_amount(
                "$.deal.company_thresholds.significant_value",
                company.significant_value,
            )?;
            check_percent(
                "$.deal.company_thresholds.min_margin_pct",
                company.min_margin_pct,
            )?;
        }
        Ok(())
    }

    /// Each commitment's ref, title, figures and verdict; returns the refs.
    fn check_commitments(&self) -> Result<HashSet<&str>, ScopeError> {
        let mut refs = HashSet::new();
        for (i, c) in self.commitments.iter().enumerate() {
            let at = format!("$.commitments[{i}]");
            if c.reference.trim().is_empty() {
                return fail(format!("{at}.ref"), message!("file-ref-empty"));
            }
            if !refs.insert(c.reference.as_str()) {
                return fail(
                    format!("{at}.ref"),
                    message!("file-ref-duplicate", reference = &c.reference),
                );
            }
            if c.title.trim().is_empty() {
                return fail(format!("{at}.title"), message!("file-title-empty"));
            }
            check_amount(&format!("{at}.quantity"), c.quantity)?;
            check_amount(&format!("{at}.price"), c.price)?;
            check_amount(&format!("{at}.cost_estimate"), c.cost_estimate)?;
            check_amount(
                &format!("{at}.delivery.lead_time_weeks"),
                c.delivery.lead_time_weeks,
            )?;
            check_date(&format!("{at}.delivery.date"), c.delivery.date.as_deref())?;
            check_timestamp(&format!("{at}.validation.at"), c.validation.at.as_deref())?;
            let v = &c.validation;
            if v.status == ValidationStatus::Conditional && is_blank(&v.condition) {
                return fail(
                    format!("{at}.validation.condition"),
                    message!("value-condition-needed"),
                );
            }
            if v.status == ValidationStatus::Infeasible && is_blank(&v.reason) {
                return fail(
                    format!("{at}.validation.reason"),
                    message!("value-reason-needed"),
                );
            }
        }
        Ok(refs)
    }

    /// Each ambiguity's ref, links and status; returns the refs.
    fn check_ambiguities(&self, refs: &HashSet<&str>) -> Result<HashSet<&str>, ScopeError> {
        let mut ambiguity_refs = HashSet::new();
        for (i, a) in self.ambiguities.iter().enumerate() {
            let at = format!("$.ambiguities[{i}]");
            if a.reference.trim().is_empty() {
                return fail(format!("{at}.ref"), message!("file-ref-empty"));
            }
            if !ambiguity_refs.insert(a.reference.as_str()) {
                return fail(
                    format!("{at}.ref"),
                    message!("file-ref-duplicate", reference = &a.reference),
                );
            }
            check_date(&format!("{at}.due"), a.due.as_deref())?;
            for (j, linked) in a.commitments.iter().enumerate() {
                if !refs.contains(linked.as_str()) {
                    return fail(
                        format!("{at}.commitments[{j}]"),
                        message!("value-no-commitment-ref", reference = linked),
                    );
                }
            }
            if a.status == AmbiguityStatus::Resolved && is_blank(&a.answer) {
                return fail(format!("{at}.answer"), message!("value-answer-needed"));
            }
            if a.status == AmbiguityStatus::Transferred
                && (a.owner.trim().is_empty() || a.due.is_none())
            {
                return fail(
                    at.to_string(),
                    message!("file-transfer-needs-owner-and-due"),
                );
            }
            if a.status == AmbiguityStatus::Transferred && a.severity == Severity::Blocking {
                return fail(
                    format!("{at}.status"),
                    message!("file-blocking-transferred"),
                );
            }
        }
        Ok(ambiguity_refs)
    }

    fn check_overrides(&self, ambiguity_refs: &HashSet<&str>) -> Result<(), ScopeError> {
        for (i, o) in self.overrides.iter().enumerate() {
            let at = format!("$.overrides[{i}]");
            if o.reason.trim().is_empty() {
                return fail(format!("{at}.reason"), message!("value-override-reason"));
            }
            match (o.gate, &o.reference) {
                (OverrideGate::Ambiguity, Some(r)) if ambiguity_refs.contains(r.as_str()) => {}
                (OverrideGate::Ambiguity, Some(r)) => {
                    return fail(
                        format!("{at}.ref"),
                        message!("value-no-ambiguity-ref", reference = r),
                    )
                }
                (OverrideGate::Ambiguity, None) => {
                    return fail(
                        format!("{at}.ref"),
                        message!("file-override-names-ambiguity"),
                    )
                }
                (OverrideGate::Economics, _) => {}
            }
        }
        Ok(())
    }

    fn check_agreements(&self) -> Result<(), ScopeError> {
        for (list, items) in [
            ("assumptions", &self.assumptions),
            ("exclusions", &self.exclusions),
        ] {
            for (i, item) in items.iter().enumerate() {
                if item.text.trim().is_empty() {
                    return fail(format!("$.{list}[{i}].text"), message!("file-text-empty"));
                }
            }
        }
        Ok(())
    }
}

impl Document {
    /// The meeting, rework and satisfaction records: dates, links and ranges.
    fn check_handoff(
        &self,
        commitment_refs: &std::collections::HashSet<&str>,
        ambiguity_refs: &std::collections::HashSet<&str>,
    ) -> Result<(), ScopeError> {
        if let Some(meeting) = &self.meeting {
            check_moment("$.meeting.scheduled_at", meeting.scheduled_at.as_deref())?;
            check_moment("$.meeting.held_at", meeting.held_at.as_deref())?;
            for (i, a) in meeting.attendees.iter().enumerate() {
                if a.name.trim().is_empty() {
                    return fail(
                        format!("$.meeting.attendees[{i}].name"),
                        message!("value-attendee-name"),
                    );
                }
            }
            for (i, a) in meeting.action_items.iter().enumerate() {
                let at = format!("$.meeting.action_items[{i}]");
                if a.text.trim().is_empty() || a.owner.trim().is_empty() {
                    return fail(at, message!("file-action-needs-text-and-owner"));
                }
                check_date(&format!("{at}.due"), a.due.as_deref())?;
            }
        }
        for (i, r) in self.rework.iter().enumerate() {
            let at = format!("$.rework[{i}]");
            check_date(&format!("{at}.date"), Some(&r.date))?;
            check_amount(&format!("{at}.cost"), r.cost)?;
            check_amount(&format!("{at}.hours"), r.hours)?;
            for (j, linked) in r.commitments.iter().enumerate() {
                if !commitment_refs.contains(linked.as_str()) {
                    return fail(
                        format!("{at}.commitments[{j}]"),
                        message!("value-no-commitment-ref", reference = linked),
                    );
                }
            }
            match (r.cause, r.ambiguity.as_deref()) {
                (ReworkCause::Ambiguity, Some(a)) if ambiguity_refs.contains(a) => {}
                (ReworkCause::Ambiguity, Some(a)) => {
                    return fail(
                        format!("{at}.ambiguity"),
                        message!("value-no-ambiguity-ref", reference = a),
                    )
                }
                (ReworkCause::Ambiguity, None) => {
                    return fail(
                        format!("{at}.ambiguity"),
                        message!("value-rework-names-ambiguity"),
                    )
                }
                (_, Some(_)) => {
                    return fail(
                        format!("{at}.ambiguity"),
                        message!("file-rework-ambiguity-without-cause"),
                    )
                }
                (_, None) => {}
            }
            if r.description.trim().is_empty() {
                return fail(
                    format!("{at}.description"),
                    message!("value-rework-description"),
                );
            }
        }
        if let Some(s) = &self.satisfaction {
            if s.score > 10 {
                return fail(
                    "$.satisfaction.score".into(),
                    message!("file-score-range", score = s.score),
                );
            }
            check_date("$.satisfaction.date", Some(&s.date))?;
        }
        Ok(())
    }
}

/// A date, a date and time without zone, or RFC 3339.
fn check_moment(path: &str, value: Option<&str>) -> Result<(), ScopeError> {
    match value {
        Some(v) if crate::rules::moment_seconds(v).is_none() => {
            fail(path.into(), message!("value-not-a-moment", value = v))
        }
        _ => Ok(()),
    }
}

/// A rule of the format broken at `path` (a JSON path such as `$.rework[0].date`).
fn fail<T>(path: String, problem: Message) -> Result<T, ScopeError> {
    Err(ScopeError::in_file(path, problem))
}

fn is_blank(value: &Option<String>) -> bool {
    value.as_deref().is_none_or(|s| s.trim().is_empty())
}

fn is_currency_code(code: &str) -> bool {
    crate::rules::is_currency(code)
}

fn check_amount(path: &str, value: Option<Number>) -> Result<(), ScopeError> {
    match value {
        Some(Number(n)) if !n.is_finite() || n < 0.0 => Err(ScopeError::in_file(
            path,
            message!("file-not-a-positive-number", value = n.to_string()),
        )),
        _ => Ok(()),
    }
}

fn check_percent(path: &str, value: Option<Number>) -> Result<(), ScopeError> {
    match value {
        Some(Number(pct)) if !(-100.0..=100.0).contains(&pct) => {
            fail(path.into(), message!("value-percent-range"))
        }
        _ => Ok(()),
    }
}

pub(crate) fn check_date(path: &str, value: Option<&str>) -> Result<(), ScopeError> {
    match value {
        Some(date) if !crate::rules::is_date(date) => Err(ScopeError::in_file(
            path,
            message!("value-not-a-date", value = date),
        )),
        _ => Ok(()),
    }
}

fn check_timestamp(path: &str, value: Option<&str>) -> Result<(), ScopeError> {
    match value {
        Some(time) if !crate::rules::is_timestamp(time) => Err(ScopeError::in_file(
            path,
            message!("file-not-a-timestamp", value = time),
        )),
        _ => Ok(()),
    }
}

/// `commitments[2].title` -> `$.commitments[2].title`; the root is `$`.
fn json_path(serde_path: &str) -> String {
    if serde_path.is_empty() || serde_path == "." {
        "$".into()
    } else {
        format!("$.{serde_path}")
    }
}

/// serde_json appends " at line L column C"; we report those separately.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}
