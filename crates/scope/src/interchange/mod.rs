//! The interchange format `scopepact/v1`: what `import` reads, `export --format json` writes and
//! CRM/ERP integrations exchange. Field order here is the order written out.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

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
    /// Only in a template file (`scopepact template export`): what the template is called and
    /// the product line it is for. A deal's file never has it: `import` refuses a template,
    /// `template import` refuses a deal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<TemplateMarker>,
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

/// What makes a `scopepact/v1` file a template.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TemplateMarker {
    pub name: String,
    /// The product line whose minimum margin a deal made from it starts with; empty: the
    /// company's default.
    #[serde(default)]
    pub product_line: String,
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
    /// The deal value from which the deal is significant (as if `significant` were set).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub significant_value: Option<Number>,
    /// The company's thresholds when the deal was made; a threshold of the deal that differs
    /// from one of these is an override and needs `thresholds_reason`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_thresholds: Option<CompanyThresholds>,
    /// Why this deal's thresholds differ from the company's.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub thresholds_reason: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct CompanyThresholds {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub significant_value: Option<Number>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_margin_pct: Option<Number>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct People {
    pub commercial_lead: Person,
    pub operational_lead: Person,
    pub customer_signatory: Person,
    pub executive: Person,
}

/// The languages a scope is printed in (the catalogue's languages).
pub use scopepact_messages::Language;

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

mod read;
#[cfg(test)]
mod tests;
