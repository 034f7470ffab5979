//! The interchange format `scopepact/v1`: what `import` reads, `export --format json` writes and
//! CRM/ERP integrations exchange. Field order here is the order written out.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::ScopeError;

pub const FORMAT: &str = "scopepact/v1";

/// A JSON number that is written back as an integer when it has no fractional part, so
/// `1240000` round-trips as `1240000`, not `1240000.0`.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, JsonSchema)]
#[serde(transparent)]
pub struct Number(pub f64);

impl Serialize for Number {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        const EXACT_INTEGER_LIMIT: f64 = 9_007_199_254_740_992.0; // 2^53
        if self.0.fract() == 0.0 && self.0.abs() < EXACT_INTEGER_LIMIT {
            s.serialize_i64(self.0 as i64)
        } else {
            s.serialize_f64(self.0)
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "ScopePact committed-scope document, format scopepact/v1")]
pub struct Document {
    /// Always `scopepact/v1`.
    pub format: String,
    pub title: String,
    /// The language of the printed scope (its PDF labels, dates and amounts); English when
    /// absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<Language>,
    #[serde(default)]
    pub customer: Customer,
    #[serde(default)]
    pub deal: Deal,
    #[serde(default)]
    pub people: People,
    /// The committed scope, in display order.
    #[serde(default)]
    pub commitments: Vec<Commitment>,
    /// The open-question register, in display order.
    #[serde(default)]
    pub ambiguities: Vec<Ambiguity>,
    #[serde(default)]
    pub assumptions: Vec<Agreement>,
    #[serde(default)]
    pub exclusions: Vec<Agreement>,
    /// Executive overrides of the gate.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<Override>,
    /// The transfer meeting, once scheduled. Not part of the signed scope content.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting: Option<Meeting>,
    /// Rework after the handoff, in date order. Not part of the signed scope content.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rework: Vec<Rework>,
    /// The customer's satisfaction, which closes the deal. Not part of the signed scope content.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub satisfaction: Option<Satisfaction>,
}

/// The formal transfer meeting: scheduled, then recorded.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Meeting {
    /// `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM` or RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduled_at: Option<String>,
    #[serde(default)]
    pub place: String,
    /// When it was held; absent while it has not been.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub held_at: Option<String>,
    #[serde(default)]
    pub attendees: Vec<Attendee>,
    #[serde(default)]
    pub agenda: String,
    #[serde(default)]
    pub minutes: String,
    #[serde(default)]
    pub decisions: Vec<String>,
    #[serde(default)]
    pub action_items: Vec<ActionItem>,
}

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema, specta::Type,
)]
#[serde(rename_all = "snake_case")]
pub enum AttendeeRole {
    #[default]
    CommercialLead,
    OperationalLead,
    Customer,
    Other,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Attendee {
    pub name: String,
    #[serde(default)]
    pub email: String,
    pub role: AttendeeRole,
    #[serde(default)]
    pub present: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionItem {
    pub text: String,
    pub owner: String,
    /// `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<String>,
    #[serde(default)]
    pub done: bool,
}

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema, specta::Type,
)]
#[serde(rename_all = "snake_case")]
pub enum ReworkCause {
    /// A transferred ambiguity came back as work; `ambiguity` names it.
    Ambiguity,
    ScopeChange,
    Execution,
    #[default]
    Other,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rework {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Refs of the commitments concerned.
    #[serde(default)]
    pub commitments: Vec<String>,
    pub cause: ReworkCause,
    /// With cause `ambiguity`: the ambiguity's ref.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ambiguity: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<Number>,
    pub description: String,
    /// Who recorded it.
    #[serde(default)]
    pub by: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Satisfaction {
    /// 0 to 10.
    pub score: u8,
    #[serde(default)]
    pub comment: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    #[serde(default)]
    pub by: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum OverrideGate {
    Economics,
    Ambiguity,
}

/// An executive's written decision to let the gate pass despite failing economics or a blocking
/// ambiguity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Override {
    pub gate: OverrideGate,
    /// The blocking ambiguity's ref, for `gate: ambiguity`.
    #[serde(rename = "ref", default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    pub reason: String,
    /// Name of the executive.
    pub by: String,
    /// RFC 3339 time of the override.
    #[serde(default)]
    pub at: String,
    /// For `gate: economics`: the revenue and cost the override accepted. When the economics
    /// change, the override no longer covers them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revenue: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<Number>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Person {
    pub name: String,
    pub email: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Customer {
    pub name: String,
    pub site: String,
    pub contact: Person,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Deal {
    #[serde(default)]
    pub crm_ref: String,
    /// Deal value (revenue), in `currency`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Number>,
    /// ISO 4217 code, e.g. `EUR`.
    #[serde(default)]
    pub currency: String,
    /// `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_close: Option<String>,
    /// Significant deals need the customer at the transfer meeting and on the signatures.
    #[serde(default)]
    pub significant: bool,
    /// Minimum acceptable margin, in percent of the deal value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub margin_threshold_pct: Option<Number>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct People {
    pub commercial_lead: Person,
    pub operational_lead: Person,
    pub customer_signatory: Person,
    pub executive: Person,
}

/// The languages a scope is printed in.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema, specta::Type,
)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    #[default]
    En,
    Es,
}

impl Language {
    pub fn as_str(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Es => "es",
        }
    }

    pub fn parse(code: &str) -> Option<Language> {
        match code {
            "en" => Some(Language::En),
            "es" => Some(Language::Es),
            _ => None,
        }
    }
}

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema, specta::Type,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    #[default]
    Commercial,
    Operational,
    Executive,
}

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema, specta::Type,
)]
#[serde(rename_all = "snake_case")]
pub enum CommitmentKind {
    Product,
    Service,
    Specification,
    Delivery,
    Acceptance,
    Warranty,
    Training,
    #[default]
    Other,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Parameter {
    pub name: String,
    #[serde(default)]
    pub value: String,
    #[serde(default)]
    pub unit: String,
    /// Free text such as `±0.02`, `≥` or `≤`.
    #[serde(default)]
    pub tolerance: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Delivery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead_time_weeks: Option<Number>,
    /// `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema, specta::Type,
)]
#[serde(rename_all = "snake_case")]
pub enum ValidationStatus {
    #[default]
    Pending,
    Feasible,
    Conditional,
    Infeasible,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Validation {
    pub status: ValidationStatus,
    /// Name of the operational lead who gave the verdict.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// RFC 3339 time of the verdict.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    /// Required when `conditional`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    /// Required when `infeasible`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Commitment {
    /// Stable human-readable identity (`C-01`); `import --into` matches on it.
    #[serde(rename = "ref")]
    pub reference: String,
    #[serde(default)]
    pub kind: CommitmentKind,
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<Number>,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub parameters: Vec<Parameter>,
    #[serde(default)]
    pub delivery: Delivery,
    /// Acceptance criterion.
    #[serde(default)]
    pub acceptance: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<Number>,
    /// Operations' cost estimate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_estimate: Option<Number>,
    /// The side that wrote the commitment.
    #[serde(default)]
    pub author: Role,
    #[serde(default)]
    pub validation: Validation,
}

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema, specta::Type,
)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Blocking,
    #[default]
    NonBlocking,
}

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema, specta::Type,
)]
#[serde(rename_all = "snake_case")]
pub enum AmbiguityStatus {
    #[default]
    Open,
    Resolved,
    Transferred,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ambiguity {
    /// Stable human-readable identity (`A-01`); `import --into` matches on it.
    #[serde(rename = "ref")]
    pub reference: String,
    pub question: String,
    #[serde(default)]
    pub raised_by: String,
    /// Refs of the commitments this question is about.
    #[serde(default)]
    pub commitments: Vec<String>,
    #[serde(default)]
    pub severity: Severity,
    #[serde(default)]
    pub owner: String,
    /// `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<String>,
    #[serde(default)]
    pub status: AmbiguityStatus,
    /// Required when `resolved`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Agreement {
    pub text: String,
    #[serde(default)]
    pub author: Role,
    /// The other side's agreement; `null` while not agreed.
    #[serde(default)]
    pub agreed_by: Option<Role>,
    /// Name of the person who agreed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreed_by_name: Option<String>,
}

/// The JSON Schema of the format, as `scopepact schema` prints it.
pub fn json_schema() -> serde_json::Value {
    let mut schema = schemars::schema_for!(Document);
    schema.insert(
        "$id".into(),
        serde_json::Value::String("https://scopepact.dev/schema/scopepact-v1.json".into()),
    );
    schema.to_value()
}

impl Document {
    /// Parses and checks a file's text. Errors name the JSON path and, for syntax and type
    /// errors, the line and column.
    pub fn parse(text: &str) -> Result<Document, ScopeError> {
        if text.len() as u64 > crate::rules::MAX_FILE_BYTES {
            return fail(
                "$".into(),
                format!(
                    "the file is {} MiB; a scopepact/v1 file is at most {} MiB",
                    text.len() / (1024 * 1024),
                    crate::rules::MAX_FILE_BYTES / (1024 * 1024)
                ),
            );
        }
        let de = &mut serde_json::Deserializer::from_str(text);
        let positioned = |path: String, inner: serde_json::Error| ScopeError::InvalidFile {
            path,
            message: strip_position(&inner.to_string()),
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
                    format!(
                        "{} bytes of text: a field holds at most {} bytes",
                        s.len(),
                        crate::rules::MAX_TEXT_BYTES
                    ),
                ),
                serde_json::Value::Array(items) => {
                    if items.len() > crate::rules::MAX_ITEMS {
                        return fail(
                            path.clone(),
                            format!(
                                "{} items: a list holds at most {}",
                                items.len(),
                                crate::rules::MAX_ITEMS
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
        let value = serde_json::to_value(self).map_err(|e| ScopeError::InvalidFile {
            path: "$".into(),
            message: e.to_string(),
            line: None,
            column: None,
        })?;
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
                format!(
                    "the descriptions and the minutes hold {shared} bytes together; a document \
                     holds at most {} bytes of them",
                    crate::rules::MAX_SHARED_TEXT_BYTES
                ),
            );
        }
        Ok(())
    }

    /// Rules a schema cannot express well: format tag, dates, non-negative amounts, unique refs,
    /// links to existing commitments, required companions of a status.
    pub fn check(&self) -> Result<(), ScopeError> {
        if self.format != FORMAT {
            return fail(
                "$.format".into(),
                format!("expected \"{FORMAT}\", found \"{}\"", self.format),
            );
        }
        if self.title.trim().is_empty() {
            return fail("$.title".into(), "the title must not be empty".into());
        }
        if !self.deal.currency.is_empty() && !is_currency_code(&self.deal.currency) {
            return fail(
                "$.deal.currency".into(),
                format!(
                    "\"{}\" is not a three-letter ISO 4217 code such as EUR",
                    self.deal.currency
                ),
            );
        }
        check_date("$.deal.target_close", self.deal.target_close.as_deref())?;
        check_amount("$.deal.value", self.deal.value)?;
        if let Some(Number(pct)) = self.deal.margin_threshold_pct {
            if !(-100.0..=100.0).contains(&pct) {
                return fail(
                    "$.deal.margin_threshold_pct".into(),
                    "must be between -100 and 100".into(),
                );
            }
        }
        let mut refs = std::collections::HashSet::new();
        for (i, c) in self.commitments.iter().enumerate() {
            let at = format!("$.commitments[{i}]");
            if c.reference.trim().is_empty() {
                return fail(format!("{at}.ref"), "the ref must not be empty".into());
            }
            if !refs.insert(c.reference.as_str()) {
                return fail(
                    format!("{at}.ref"),
                    format!("duplicate ref \"{}\"", c.reference),
                );
            }
            if c.title.trim().is_empty() {
                return fail(format!("{at}.title"), "the title must not be empty".into());
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
                    "a conditional verdict needs its condition".into(),
                );
            }
            if v.status == ValidationStatus::Infeasible && is_blank(&v.reason) {
                return fail(
                    format!("{at}.validation.reason"),
                    "an infeasible verdict needs its reason".into(),
                );
            }
        }
        let mut ambiguity_refs = std::collections::HashSet::new();
        for (i, a) in self.ambiguities.iter().enumerate() {
            let at = format!("$.ambiguities[{i}]");
            if a.reference.trim().is_empty() {
                return fail(format!("{at}.ref"), "the ref must not be empty".into());
            }
            if !ambiguity_refs.insert(a.reference.as_str()) {
                return fail(
                    format!("{at}.ref"),
                    format!("duplicate ref \"{}\"", a.reference),
                );
            }
            check_date(&format!("{at}.due"), a.due.as_deref())?;
            for (j, linked) in a.commitments.iter().enumerate() {
                if !refs.contains(linked.as_str()) {
                    return fail(
                        format!("{at}.commitments[{j}]"),
                        format!("no commitment has ref \"{linked}\""),
                    );
                }
            }
            if a.status == AmbiguityStatus::Resolved && is_blank(&a.answer) {
                return fail(
                    format!("{at}.answer"),
                    "a resolved ambiguity needs its answer".into(),
                );
            }
            if a.status == AmbiguityStatus::Transferred
                && (a.owner.trim().is_empty() || a.due.is_none())
            {
                return fail(
                    at.to_string(),
                    "a transferred ambiguity needs an owner and a due date".into(),
                );
            }
            if a.status == AmbiguityStatus::Transferred && a.severity == Severity::Blocking {
                return fail(
                    format!("{at}.status"),
                    "a blocking ambiguity cannot be transferred: resolve it, or an executive overrides it".into(),
                );
            }
        }
        for (i, o) in self.overrides.iter().enumerate() {
            let at = format!("$.overrides[{i}]");
            if o.reason.trim().is_empty() {
                return fail(
                    format!("{at}.reason"),
                    "an override needs its written reason".into(),
                );
            }
            match (o.gate, &o.reference) {
                (OverrideGate::Ambiguity, Some(r)) if ambiguity_refs.contains(r.as_str()) => {}
                (OverrideGate::Ambiguity, Some(r)) => {
                    return fail(format!("{at}.ref"), format!("no ambiguity has ref \"{r}\""))
                }
                (OverrideGate::Ambiguity, None) => {
                    return fail(
                        format!("{at}.ref"),
                        "an ambiguity override names the ambiguity".into(),
                    )
                }
                (OverrideGate::Economics, _) => {}
            }
        }
        self.check_handoff(&refs, &ambiguity_refs)?;
        for (list, items) in [
            ("assumptions", &self.assumptions),
            ("exclusions", &self.exclusions),
        ] {
            for (i, item) in items.iter().enumerate() {
                if item.text.trim().is_empty() {
                    return fail(
                        format!("$.{list}[{i}].text"),
                        "the text must not be empty".into(),
                    );
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
                        "an attendee needs a name".into(),
                    );
                }
            }
            for (i, a) in meeting.action_items.iter().enumerate() {
                let at = format!("$.meeting.action_items[{i}]");
                if a.text.trim().is_empty() || a.owner.trim().is_empty() {
                    return fail(at, "an action item needs its text and an owner".into());
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
                        format!("no commitment has ref \"{linked}\""),
                    );
                }
            }
            match (r.cause, r.ambiguity.as_deref()) {
                (ReworkCause::Ambiguity, Some(a)) if ambiguity_refs.contains(a) => {}
                (ReworkCause::Ambiguity, Some(a)) => {
                    return fail(
                        format!("{at}.ambiguity"),
                        format!("no ambiguity has ref \"{a}\""),
                    )
                }
                (ReworkCause::Ambiguity, None) => {
                    return fail(
                        format!("{at}.ambiguity"),
                        "rework caused by an ambiguity names it".into(),
                    )
                }
                (_, Some(_)) => {
                    return fail(
                        format!("{at}.ambiguity"),
                        "only rework with cause \"ambiguity\" names an ambiguity".into(),
                    )
                }
                (_, None) => {}
            }
            if r.description.trim().is_empty() {
                return fail(
                    format!("{at}.description"),
                    "say what had to be redone".into(),
                );
            }
        }
        if let Some(s) = &self.satisfaction {
            if s.score > 10 {
                return fail(
                    "$.satisfaction.score".into(),
                    format!("the score goes from 0 to 10, found {}", s.score),
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
        Some(v) if crate::rules::moment_seconds(v).is_none() => fail(
            path.into(),
            format!("\"{v}\" is not a date (YYYY-MM-DD) or a date and time (YYYY-MM-DDTHH:MM)"),
        ),
        _ => Ok(()),
    }
}

/// A rule of the format broken at `path` (a JSON path such as `$.rework[0].date`).
fn fail<T>(path: String, message: String) -> Result<T, ScopeError> {
    Err(ScopeError::InvalidFile {
        path,
        message,
        line: None,
        column: None,
    })
}

fn is_blank(value: &Option<String>) -> bool {
    value.as_deref().is_none_or(|s| s.trim().is_empty())
}

fn is_currency_code(code: &str) -> bool {
    crate::rules::is_currency(code)
}

fn check_amount(path: &str, value: Option<Number>) -> Result<(), ScopeError> {
    match value {
        Some(Number(n)) if !n.is_finite() || n < 0.0 => Err(ScopeError::InvalidFile {
            path: path.into(),
            message: format!("must be a number of zero or more, found {n}"),
            line: None,
            column: None,
        }),
        _ => Ok(()),
    }
}

pub(crate) fn check_date(path: &str, value: Option<&str>) -> Result<(), ScopeError> {
    match value {
        Some(date) if !crate::rules::is_date(date) => Err(ScopeError::InvalidFile {
            path: path.into(),
            message: format!("\"{date}\" is not a date of the form YYYY-MM-DD"),
            line: None,
            column: None,
        }),
        _ => Ok(()),
    }
}

fn check_timestamp(path: &str, value: Option<&str>) -> Result<(), ScopeError> {
    match value {
        Some(time) if !crate::rules::is_timestamp(time) => Err(ScopeError::InvalidFile {
            path: path.into(),
            message: format!("\"{time}\" is not an RFC 3339 time such as 2026-11-20T10:14:00Z"),
            line: None,
            column: None,
        }),
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

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = include_str!("../../../tests/fixtures/press-line-retrofit.json");

    #[test]
    fn sample_parses_and_serialises_to_the_same_json() {
        let doc = Document::parse(SAMPLE).unwrap();
        let original: serde_json::Value = serde_json::from_str(SAMPLE).unwrap();
        assert_eq!(serde_json::to_value(&doc).unwrap(), original);
    }

    #[test]
    fn syntax_error_reports_line_and_column() {
        let err =
            Document::parse("{\n  \"format\": \"scopepact/v1\",\n  \"title\": \n}").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("line 4"), "{text}");
        assert!(text.contains("column"), "{text}");
    }

    #[test]
    fn type_error_names_the_json_path() {
        let text = SAMPLE.replacen("\"price\": 148000", "\"price\": \"a lot\"", 1);
        let err = Document::parse(&text).unwrap_err().to_string();
        assert!(err.contains("$.commitments[1].price"), "{err}");
    }

    #[test]
    fn unknown_field_is_refused() {
        let text = SAMPLE.replacen(
            "\"title\": \"Quick",
            "\"titel\": \"x\", \"title\": \"Quick",
            1,
        );
        let err = Document::parse(&text).unwrap_err().to_string();
        assert!(
            err.contains("$.commitments[1]") && err.contains("titel"),
            "{err}"
        );
    }

    #[test]
    fn semantic_rules_name_the_path() {
        let cases = [
            (
                SAMPLE.replacen("scopepact/v1", "scopepact/v9", 1),
                "$.format",
            ),
            (
                SAMPLE.replacen("2026-12-18", "18/12/2026", 1),
                "$.deal.target_close",
            ),
            (
                SAMPLE.replacen("\"ref\": \"C-02\"", "\"ref\": \"C-01\"", 1),
                "$.commitments[1].ref",
            ),
            (
                SAMPLE.replacen("\"C-01\", \"C-04\"", "\"C-01\", \"C-99\"", 1),
                "$.ambiguities[0].commitments[1]",
            ),
            (
                SAMPLE.replacen("\"price\": 96000", "\"price\": -5", 1),
                "$.commitments[2].price",
            ),
            (SAMPLE.replacen("\"EUR\"", "\"euro\"", 1), "$.deal.currency"),
            (
                SAMPLE.replacen("2026-11-20T10:14:00Z", "yesterday", 1),
                "$.commitments[1].validation.at",
            ),
        ];
        for (text, path) in cases {
            let err = Document::parse(&text).unwrap_err().to_string();
            assert!(err.contains(path), "expected {path} in: {err}");
        }
    }

    #[test]
    fn text_after_the_document_is_refused() {
        for text in [
            format!("{SAMPLE}GARBAGE"),
            format!("{SAMPLE}{SAMPLE}"),
            format!("{} []", SAMPLE.trim_end()),
        ] {
            let err = Document::parse(&text).unwrap_err().to_string();
            assert!(err.contains("trailing characters"), "{err}");
        }
        // Whitespace after it is fine.
        Document::parse(&format!("{SAMPLE}\n\n")).unwrap();
    }

    #[test]
    fn dates_must_be_exactly_yyyy_mm_dd() {
        for bad in ["2027-2-3", "27-01-01", "+99999-01-01", "-2027-01-01"] {
            let text = SAMPLE.replacen("2026-12-18", bad, 1);
            let err = Document::parse(&text).unwrap_err().to_string();
            assert!(err.contains("$.deal.target_close"), "{bad}: {err}");
        }
    }

    #[test]
    fn limits_are_refused_with_where_they_were_passed() {
        let long = "x".repeat(crate::rules::MAX_TEXT_BYTES + 1);
        let text = SAMPLE.replacen("\"title\": \"Quick", &format!("\"title\": \"{long}"), 1);
        let err = Document::parse(&text).unwrap_err().to_string();
        assert!(
            err.contains("$.commitments[1].title") && err.contains("at most 100000"),
            "{err}"
        );
        let many: Vec<String> = (0..=crate::rules::MAX_ITEMS)
            .map(|i| format!(r#"{{"ref":"C-{i}","title":"t"}}"#))
            .collect();
        let text = format!(
            r#"{{"format":"scopepact/v1","title":"Big","commitments":[{}]}}"#,
            many.join(",")
        );
        let err = Document::parse(&text).unwrap_err().to_string();
        assert!(
            err.contains("$.commitments") && err.contains("at most 10000"),
            "{err}"
        );
    }

    #[test]
    fn the_collaborative_text_of_a_document_is_bounded() {
        let description = "d".repeat(99_000);
        let many: Vec<String> = (0..11)
            .map(|i| format!(r#"{{"ref":"C-{i}","title":"t","description":"{description}"}}"#))
            .collect();
        let text = format!(
            r#"{{"format":"scopepact/v1","title":"Big","commitments":[{}]}}"#,
            many.join(",")
        );
        let err = Document::parse(&text).unwrap_err().to_string();
        assert!(err.contains("at most 1000000 bytes"), "{err}");
    }

    #[test]
    fn minimal_document_is_accepted() {
        let doc = Document::parse(r#"{"format":"scopepact/v1","title":"Minimal"}"#).unwrap();
        assert!(doc.commitments.is_empty());
    }
}
