//! The scope document as it lives in Automerge, mapped with autosurgeon.
//!
//! Item collections (commitments, ambiguities, assumptions, exclusions) are maps keyed by a
//! uuid v7 with a fractional `position`, not Automerge lists: a reorder then changes one
//! scalar, and two people adding or moving items offline never duplicate or drop one.

use std::collections::BTreeMap;

use autosurgeon::{Hydrate, Reconcile, Text};

/// Version of the in-document layout, so later releases can migrate old documents.
pub const MODEL_VERSION: i64 = 1;

#[derive(Debug, Clone, Default, Reconcile, Hydrate)]
pub struct ScopeDoc {
    #[autosurgeon(hydrate = "crate::lenient::integer")]
    pub model_version: i64,
    #[autosurgeon(hydrate = "crate::lenient::required")]
    pub title: String,
    /// `en` or `es`, the language the scope is printed in; empty: English.
    #[autosurgeon(missing = "Default::default", hydrate = "crate::lenient::language")]
    pub language: String,
    #[autosurgeon(hydrate = "crate::lenient::record")]
    pub customer: Customer,
    #[autosurgeon(hydrate = "crate::lenient::record")]
    pub deal: Deal,
    #[autosurgeon(hydrate = "crate::lenient::record")]
    pub people: People,
    /// The commitments in force: those with a record in `deleted_commitments` are left out
    /// here, though their objects stay in the document (see [`Deletion`]).
    #[autosurgeon(hydrate = "live_commitments")]
    pub commitments: BTreeMap<String, Commitment>,
    /// Deleted commitments, by the id of the commitment.
    #[autosurgeon(missing = "Default::default", hydrate = "crate::lenient::items")]
    pub deleted_commitments: BTreeMap<String, Deletion>,
    /// Signatures, by id. A signature stays when it no longer holds (content changed,
    /// amendment): the audit trail keeps it.
    #[autosurgeon(missing = "Default::default", hydrate = "crate::lenient::items")]
    pub signatures: BTreeMap<String, SignatureRecord>,
    /// Amendments started after the scope was sealed, by id.
    #[autosurgeon(missing = "Default::default", hydrate = "crate::lenient::items")]
    pub amendments: BTreeMap<String, Amendment>,
    /// When the deal reached the states the cycle-time indicators measure.
    #[autosurgeon(missing = "Default::default", hydrate = "crate::lenient::record")]
    pub milestones: Milestones,
    /// The transfer meeting: scheduled, then recorded.
    #[autosurgeon(missing = "Default::default", hydrate = "crate::lenient::record")]
    pub meeting: Meeting,
    /// Rework after the handoff, by id.
    #[autosurgeon(missing = "Default::default", hydrate = "crate::lenient::items")]
    pub rework: BTreeMap<String, ReworkEntry>,
    /// The customer's satisfaction once the work is done: it closes the deal.
    #[autosurgeon(
        missing = "Default::default",
        hydrate = "crate::lenient::optional_record"
    )]
    pub satisfaction: Option<Satisfaction>,
    #[autosurgeon(hydrate = "crate::lenient::items")]
    pub ambiguities: BTreeMap<String, Ambiguity>,
    #[autosurgeon(hydrate = "crate::lenient::items")]
    pub assumptions: BTreeMap<String, Agreement>,
    #[autosurgeon(hydrate = "crate::lenient::items")]
    pub exclusions: BTreeMap<String, Agreement>,
    /// Executive overrides of the gate, by id.
    #[autosurgeon(missing = "Default::default", hydrate = "crate::lenient::items")]
    pub overrides: BTreeMap<String, Override>,
    /// Who writes with each Automerge actor (hex): every change is attributed to a person on a
    /// device, and the mapping travels with the document.
    #[autosurgeon(missing = "Default::default", hydrate = "crate::lenient::items")]
    pub actors: BTreeMap<String, ActorRecord>,
    /// Heads (hex) of the last `import --into`, the common ancestor for the next one.
    #[autosurgeon(hydrate = "crate::lenient::strings")]
    pub import_base: Vec<String>,
    /// What did not read (see [`crate::lenient`]); filled by [`crate::document::read`], never
    /// written to the document.
    pub damaged: crate::lenient::Damaged,
}

/// A deleted commitment. Its object stays in the document, hidden, so an edit someone made
/// offline before the deletion reached them still lands somewhere: when the hidden content no
/// longer matches `basis`, the team is asked to restore the commitment or confirm the deletion,
/// instead of the edit vanishing (Automerge drops edits inside a deleted map entry).
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct Deletion {
    /// Who deleted it (name), with which role.
    #[autosurgeon(hydrate = "crate::lenient::string")]
    pub by: String,
    #[autosurgeon(hydrate = "crate::lenient::optional_keyword")]
    pub role: Option<Role>,
    /// RFC 3339 timestamp.
    #[autosurgeon(hydrate = "crate::lenient::string")]
    pub at: String,
    /// The content (canonical JSON, as for verdicts) the deletion was decided on.
    #[autosurgeon(hydrate = "crate::lenient::string")]
    pub basis: String,
}

/// Who a signature is for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Reconcile, Hydrate)]
pub enum SignerRole {
    #[default]
    CommercialLead,
    OperationalLead,
    Customer,
}

/// One signature and everything its payload covered (`scopepact_signing::Payload`), so anyone
/// holding the document can check it again.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct SignatureRecord {
    /// The document signed (its uuid): a signature copied into another document is not its own.
    #[autosurgeon(hydrate = "crate::lenient::string")]
    pub document_id: String,
    #[autosurgeon(hydrate = "crate::lenient::keyword")]
    pub role: SignerRole,
    #[autosurgeon(hydrate = "crate::lenient::string")]
    pub signer: String,
    #[autosurgeon(hydrate = "crate::lenient::string")]
    pub email: String,
    /// The key that signed, hex (the host's for a customer).
    #[autosurgeon(hydrate = "crate::lenient::string")]
    pub public_key: String,
    /// The host whose key witnessed a customer's signature.
    #[autosurgeon(hydrate = "crate::lenient::optional_string")]
    pub witness: Option<String>,
    /// RFC 3339.
    #[autosurgeon(hydrate = "crate::lenient::string")]
    pub time: String,
    #[autosurgeon(hydrate = "crate::lenient::string")]
    pub statement: String,
    #[autosurgeon(hydrate = "crate::lenient::string")]
    pub content_sha256: String,
    /// Automerge heads when signed (sorted hex): the content can be rebuilt at them.
    #[autosurgeon(hydrate = "crate::lenient::strings")]
    pub heads: Vec<String>,
    /// The drawn signature: strokes of x, y pairs (0–1 of the pad's width and height).
    #[autosurgeon(hydrate = "crate::lenient::strokes")]
    pub drawing: Vec<Vec<f64>>,
    #[autosurgeon(hydrate = "crate::lenient::optional_string")]
    pub drawing_sha256: Option<String>,
    /// ed25519 signature over the payload, hex.
    #[autosurgeon(hydrate = "crate::lenient::string")]
    pub signature: String,
}

/// An amendment started on a sealed scope: the signatures it names no longer count.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct Amendment {
    #[autosurgeon(hydrate = "crate::lenient::string")]
    pub by: String,
    /// RFC 3339.
    #[autosurgeon(hydrate = "crate::lenient::string")]
    pub at: String,
    #[autosurgeon(hydrate = "crate::lenient::string")]
    pub reason: String,
    /// Ids of the signatures the amendment voids.
    #[autosurgeon(hydrate = "crate::lenient::strings")]
    pub voids: Vec<String>,
}

/// RFC 3339 times written by the edit that brought the deal into a state; the signature and
/// meeting records hold the later ones. The latest entry into a state wins: a scope that left
/// "ready to sign" and came back measures from its return.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct Milestones {
    #[autosurgeon(hydrate = "crate::lenient::optional_string")]
    pub created_at: Option<String>,
    #[autosurgeon(hydrate = "crate::lenient::optional_string")]
    pub ready_to_sign_at: Option<String>,
    #[autosurgeon(hydrate = "crate::lenient::optional_string")]
    pub stopped_at_validation_at: Option<String>,
}

/// The formal transfer meeting (DESIGN, lever 3).
#[derive(Debug, Clone, Default, Reconcile, Hydrate)]
pub struct Meeting {
    /// RFC 3339 or `YYYY-MM-DDTHH:MM`, as scheduled.
    #[autosurgeon(hydrate = "crate::lenient::moment")]
    pub scheduled_at: Option<String>,
    #[autosurgeon(hydrate = "crate::lenient::string")]
    pub place: String,
    /// When it was held (recorded): `None` until then.
    #[autosurgeon(hydrate = "crate::lenient::moment")]
    pub held_at: Option<String>,
    #[autosurgeon(missing = "Default::default", hydrate = "crate::lenient::items")]
    pub attendees: BTreeMap<String, Attendee>,
    #[autosurgeon(hydrate = "crate::lenient::string")]
    pub agenda: String,
    /// Collaborative text: two people taking minutes at once merge.
    #[autosurgeon(missing = "Default::default", hydrate = "crate::lenient::text")]
    pub minutes: Text,
    #[autosurgeon(missing = "Default::default", hydrate = "crate::lenient::items")]
    pub decisions: BTreeMap<String, Decision>,
    #[autosurgeon(missing = "Default::default", hydrate = "crate::lenient::items")]
    pub actions: BTreeMap<String, ActionItem>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Reconcile, Hydrate)]
pub enum AttendeeRole {
    #[default]
    CommercialLead,
    OperationalLead,
    Customer,
    Other,
}

#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct Attendee {
    #[autosurgeon(hydrate = "crate::lenient::string")]
    pub position: String,
    #[autosurgeon(hydrate = "crate::lenient::string")]
    pub name: String,
    #[autosurgeon(hydrate = "crate::lenient::string")]
    pub email: String,
    #[autosurgeon(hydrate = "crate::lenient::keyword")]
    pub role: AttendeeRole,
    #[autosurgeon(missing = "Default::default", hydrate = "crate::lenient::flag")]
    pub present: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct Decision {
    #[autosurgeon(hydrate = "crate::lenient::string")]
    pub position: String,
    #[autosurgeon(hydrate = "crate::lenient::string")]
    pub text: String,
}

#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct ActionItem {
    #[autosurgeon(hydrate = "crate::lenient::string")]
    pub position: String,
    #[autosurgeon(hydrate = "crate::lenient::string")]
    pub text: String,
    #[autosurgeon(hydrate = "crate::lenient::string")]
    pub owner: String,
    /// `YYYY-MM-DD`.
    #[autosurgeon(hydrate = "crate::lenient::date")]
    pub due: Option<String>,
    #[autosurgeon(missing = "Default::default", hydrate = "crate::lenient::flag")]
    pub done: bool,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Reconcile, Hydrate)]
pub enum ReworkCause {
    /// An ambiguity transferred at handoff came back as work.
    Ambiguity,
    ScopeChange,
    Execution,
    #[default]
    Other,
}

#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct ReworkEntry {
    /// `YYYY-MM-DD`.
    #[autosurgeon(hydrate = "crate::lenient::required_date")]
    pub date: String,
    /// Refs of the commitments concerned.
    #[autosurgeon(missing = "Default::default", hydrate = "crate::lenient::strings")]
    pub commitments: Vec<String>,
    #[autosurgeon(hydrate = "crate::lenient::keyword")]
    pub cause: ReworkCause,
    /// With cause `Ambiguity`: the ambiguity's ref.
    #[autosurgeon(hydrate = "crate::lenient::optional_string")]
    pub ambiguity: Option<String>,
    #[autosurgeon(hydrate = "crate::lenient::amount")]
    pub cost: Option<f64>,
    #[autosurgeon(hydrate = "crate::lenient::amount")]
    pub hours: Option<f64>,
    #[autosurgeon(hydrate = "crate::lenient::string")]
    pub description: String,
    #[autosurgeon(hydrate = "crate::lenient::string")]
    pub by: String,
}

#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct Satisfaction {
    /// 0–10.
    #[autosurgeon(hydrate = "crate::lenient::score")]
    pub score: i64,
    #[autosurgeon(hydrate = "crate::lenient::string")]
    pub comment: String,
    /// `YYYY-MM-DD`.
    #[autosurgeon(hydrate = "crate::lenient::required_date")]
    pub date: String,
    #[autosurgeon(hydrate = "crate::lenient::string")]
    pub by: String,
}

/// The `commitments` map without the deleted ones. A commitment with damage inside reads as
/// pending: its verdict cannot be for content that does not read.
fn live_commitments<D: autosurgeon::ReadDoc>(
    doc: &D,
    obj: &automerge::ObjId,
    prop: autosurgeon::Prop<'_>,
) -> Result<BTreeMap<String, Commitment>, autosurgeon::HydrateError> {
    let deleted: std::collections::BTreeSet<String> = match doc.get(obj, "deleted_commitments") {
        Ok(Some((automerge::Value::Object(_), deleted))) => doc
            .map_range(&deleted, ..)
            .map(|item| item.key.to_string())
            .collect(),
        _ => Default::default(),
    };
    let (mut live, damaged) =
        crate::lenient::items_except::<_, Commitment>(doc, obj, prop, &deleted);
    for id in damaged {
        if let Some(c) = live.get_mut(&id) {
            c.validation = Validation::default();
        }
    }
    Ok(live)
}

#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct ActorRecord {
    #[autosurgeon(hydrate = "crate::lenient::string")]
    pub name: String,
    #[autosurgeon(hydrate = "crate::lenient::string")]
    pub email: String,
    /// `None` for changes made without a profile (a CLI import on a fresh machine).
    #[autosurgeon(hydrate = "crate::lenient::optional_keyword")]
    pub role: Option<Role>,
    #[autosurgeon(hydrate = "crate::lenient::string")]
    pub device: String,
    /// SHA-256 (hex) of the profile's PDF certificate, and its ed25519 key's binding of it.
    #[autosurgeon(
        missing = "Default::default",
        hydrate = "crate::lenient::optional_string"
    )]
    pub certificate_sha256: Option<String>,
    #[autosurgeon(
        missing = "Default::default",
        hydrate = "crate::lenient::optional_string"
    )]
    pub certificate_binding: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Reconcile, Hydrate)]
pub enum OverrideGate {
    #[default]
    Economics,
    Ambiguity,
}

#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct Override {
    #[autosurgeon(hydrate = "crate::lenient::keyword")]
    pub gate: OverrideGate,
    /// The blocking ambiguity's ref, for an ambiguity override.
    #[autosurgeon(hydrate = "crate::lenient::optional_string")]
    pub reference: Option<String>,
    #[autosurgeon(hydrate = "crate::lenient::string")]
    pub reason: String,
    #[autosurgeon(hydrate = "crate::lenient::string")]
    pub by: String,
    /// RFC 3339.
    #[autosurgeon(hydrate = "crate::lenient::string")]
    pub at: String,
    /// The economics the executive accepted: the override covers these figures, not later ones.
    #[autosurgeon(hydrate = "crate::lenient::amount")]
    pub revenue: Option<f64>,
    #[autosurgeon(hydrate = "crate::lenient::amount")]
    pub cost: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct Person {
    #[autosurgeon(hydrate = "crate::lenient::string")]
    pub name: String,
    #[autosurgeon(hydrate = "crate::lenient::string")]
    pub email: String,
}

#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct Customer {
    #[autosurgeon(hydrate = "crate::lenient::string")]
    pub name: String,
    #[autosurgeon(hydrate = "crate::lenient::string")]
    pub site: String,
    #[autosurgeon(hydrate = "crate::lenient::record")]
    pub contact: Person,
}

#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct Deal {
    #[autosurgeon(hydrate = "crate::lenient::string")]
    pub crm_ref: String,
    #[autosurgeon(hydrate = "crate::lenient::amount")]
    pub value: Option<f64>,
    #[autosurgeon(hydrate = "crate::lenient::currency")]
    pub currency: String,
    /// ISO date, `YYYY-MM-DD`.
    #[autosurgeon(hydrate = "crate::lenient::date")]
    pub target_close: Option<String>,
    /// Marked significant by hand, whatever its value.
    #[autosurgeon(hydrate = "crate::lenient::flag")]
    pub significant: bool,
    #[autosurgeon(hydrate = "crate::lenient::percent")]
    pub margin_threshold_pct: Option<f64>,
    /// The deal value from which the deal is significant (customer signature and attendance).
    #[autosurgeon(hydrate = "crate::lenient::amount")]
    pub significant_value: Option<f64>,
    /// The company's thresholds when the deal was made: a threshold set apart from them is an
    /// override, and needs `thresholds_reason`.
    #[autosurgeon(hydrate = "crate::lenient::amount")]
    pub company_significant_value: Option<f64>,
    #[autosurgeon(hydrate = "crate::lenient::percent")]
    pub company_min_margin_pct: Option<f64>,
    /// Why this deal's thresholds differ from the company's.
    #[autosurgeon(hydrate = "crate::lenient::string")]
    pub thresholds_reason: String,
}

impl Deal {
    /// Significant when marked so, or when its value reaches the significant value.
    pub fn is_significant(&self) -> bool {
        self.significant
            || matches!((self.value, self.significant_value), (Some(v), Some(from)) if v >= from)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct People {
    #[autosurgeon(hydrate = "crate::lenient::record")]
    pub commercial_lead: Person,
    #[autosurgeon(hydrate = "crate::lenient::record")]
    pub operational_lead: Person,
    #[autosurgeon(hydrate = "crate::lenient::record")]
    pub customer_signatory: Person,
    #[autosurgeon(hydrate = "crate::lenient::record")]
    pub executive: Person,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Reconcile, Hydrate)]
pub enum Role {
    #[default]
    Commercial,
    Operational,
    Executive,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Reconcile, Hydrate)]
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

#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct Parameter {
    #[autosurgeon(hydrate = "crate::lenient::string")]
    pub name: String,
    #[autosurgeon(hydrate = "crate::lenient::string")]
    pub value: String,
    #[autosurgeon(hydrate = "crate::lenient::string")]
    pub unit: String,
    #[autosurgeon(hydrate = "crate::lenient::string")]
    pub tolerance: String,
}

#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct Delivery {
    #[autosurgeon(hydrate = "crate::lenient::amount")]
    pub lead_time_weeks: Option<f64>,
    /// ISO date, `YYYY-MM-DD`.
    #[autosurgeon(hydrate = "crate::lenient::date")]
    pub date: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Reconcile, Hydrate)]
pub enum ValidationStatus {
    #[default]
    Pending,
    Feasible,
    Conditional,
    Infeasible,
}

#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct Validation {
    #[autosurgeon(hydrate = "crate::lenient::keyword")]
    pub status: ValidationStatus,
    #[autosurgeon(hydrate = "crate::lenient::optional_string")]
    pub by: Option<String>,
    /// RFC 3339 timestamp.
    #[autosurgeon(hydrate = "crate::lenient::timestamp")]
    pub at: Option<String>,
    #[autosurgeon(hydrate = "crate::lenient::optional_string")]
    pub condition: Option<String>,
    #[autosurgeon(hydrate = "crate::lenient::optional_string")]
    pub reason: Option<String>,
    /// The commitment's content (canonical JSON) the verdict was given for. When the content
    /// differs, the verdict no longer holds: the commitment is pending again, whoever changed
    /// it and however the change arrived (a local edit or a merge).
    #[autosurgeon(
        missing = "Default::default",
        hydrate = "crate::lenient::optional_string"
    )]
    pub basis: Option<String>,
    /// The library entry this verdict confirmed in one action (its id), when it did.
    #[autosurgeon(
        missing = "Default::default",
        hydrate = "crate::lenient::optional_string"
    )]
    pub from_library: Option<String>,
}

/// Where a commitment inserted from the capability library came from: what operations had
/// validated, on which deal, and the technical content it was validated for.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct LibraryOrigin {
    #[autosurgeon(hydrate = "crate::lenient::string")]
    pub entry: String,
    /// `Feasible` or `Conditional`.
    #[autosurgeon(hydrate = "crate::lenient::keyword")]
    pub verdict: ValidationStatus,
    #[autosurgeon(hydrate = "crate::lenient::optional_string")]
    pub condition: Option<String>,
    #[autosurgeon(hydrate = "crate::lenient::string")]
    pub validated_by: String,
    #[autosurgeon(hydrate = "crate::lenient::string")]
    pub validated_at: String,
    #[autosurgeon(hydrate = "crate::lenient::string")]
    pub deal: String,
    #[autosurgeon(hydrate = "crate::lenient::string")]
    pub customer: String,
    /// The technical content (see [`crate::basis::technical`]) as inserted.
    #[autosurgeon(hydrate = "crate::lenient::string")]
    pub basis: String,
}

#[derive(Debug, Clone, Default, Reconcile, Hydrate)]
pub struct Commitment {
    #[autosurgeon(hydrate = "crate::lenient::string")]
    pub position: String,
    #[autosurgeon(hydrate = "crate::lenient::required")]
    pub reference: String,
    #[autosurgeon(hydrate = "crate::lenient::keyword")]
    pub kind: CommitmentKind,
    #[autosurgeon(hydrate = "crate::lenient::required")]
    pub title: String,
    /// Collaborative text: concurrent edits merge character by character.
    #[autosurgeon(hydrate = "crate::lenient::text")]
    pub description: Text,
    #[autosurgeon(hydrate = "crate::lenient::amount")]
    pub quantity: Option<f64>,
    #[autosurgeon(hydrate = "crate::lenient::string")]
    pub unit: String,
    #[autosurgeon(hydrate = "crate::lenient::list")]
    pub parameters: Vec<Parameter>,
    #[autosurgeon(hydrate = "crate::lenient::record")]
    pub delivery: Delivery,
    #[autosurgeon(hydrate = "crate::lenient::string")]
    pub acceptance: String,
    #[autosurgeon(hydrate = "crate::lenient::amount")]
    pub price: Option<f64>,
    #[autosurgeon(hydrate = "crate::lenient::amount")]
    pub cost_estimate: Option<f64>,
    #[autosurgeon(hydrate = "crate::lenient::keyword")]
    pub author: Role,
    #[autosurgeon(hydrate = "crate::lenient::record")]
    pub validation: Validation,
    /// Inserted from the capability library: what operations had validated, and where.
    #[autosurgeon(
        missing = "Default::default",
        hydrate = "crate::lenient::optional_record"
    )]
    pub library: Option<LibraryOrigin>,
    /// When it was added (RFC 3339); none on commitments added before it was recorded.
    #[autosurgeon(missing = "Default::default", hydrate = "crate::lenient::timestamp")]
    pub added_at: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Reconcile, Hydrate)]
pub enum Severity {
    Blocking,
    #[default]
    NonBlocking,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Reconcile, Hydrate)]
pub enum AmbiguityStatus {
    #[default]
    Open,
    Resolved,
    Transferred,
}

#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct Ambiguity {
    #[autosurgeon(hydrate = "crate::lenient::string")]
    pub position: String,
    #[autosurgeon(hydrate = "crate::lenient::required")]
    pub reference: String,
    #[autosurgeon(hydrate = "crate::lenient::string")]
    pub question: String,
    #[autosurgeon(hydrate = "crate::lenient::string")]
    pub raised_by: String,
    /// Refs of the linked commitments.
    #[autosurgeon(hydrate = "crate::lenient::strings")]
    pub commitments: Vec<String>,
    #[autosurgeon(hydrate = "crate::lenient::keyword")]
    pub severity: Severity,
    #[autosurgeon(hydrate = "crate::lenient::string")]
    pub owner: String,
    #[autosurgeon(hydrate = "crate::lenient::date")]
    pub due: Option<String>,
    #[autosurgeon(hydrate = "crate::lenient::keyword")]
    pub status: AmbiguityStatus,
    #[autosurgeon(hydrate = "crate::lenient::optional_string")]
    pub answer: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct Agreement {
    #[autosurgeon(hydrate = "crate::lenient::string")]
    pub position: String,
    #[autosurgeon(hydrate = "crate::lenient::required")]
    pub text: String,
    #[autosurgeon(hydrate = "crate::lenient::keyword")]
    pub author: Role,
    #[autosurgeon(hydrate = "crate::lenient::optional_keyword")]
    pub agreed_by: Option<Role>,
    #[autosurgeon(
        missing = "Default::default",
        hydrate = "crate::lenient::optional_string"
    )]
    pub agreed_by_name: Option<String>,
    /// The text that was agreed: an agreement covers that text, not a later edit of it.
    #[autosurgeon(
        missing = "Default::default",
        hydrate = "crate::lenient::optional_string"
    )]
    pub agreed_text: Option<String>,
}

/// Items of a collection in display order: by position, ties broken by id so every
/// replica shows the same order.
pub fn ordered<T>(
    items: &BTreeMap<String, T>,
    position: impl Fn(&T) -> &str,
) -> Vec<(&String, &T)> {
    let mut list: Vec<_> = items.iter().collect();
    list.sort_by(|(ia, a), (ib, b)| position(a).cmp(position(b)).then_with(|| ia.cmp(ib)));
    list
}

impl ScopeDoc {
    pub fn commitments_in_order(&self) -> Vec<(&String, &Commitment)> {
        ordered(&self.commitments, |c| &c.position)
    }
    pub fn ambiguities_in_order(&self) -> Vec<(&String, &Ambiguity)> {
        ordered(&self.ambiguities, |a| &a.position)
    }
    pub fn assumptions_in_order(&self) -> Vec<(&String, &Agreement)> {
        ordered(&self.assumptions, |a| &a.position)
    }
    pub fn exclusions_in_order(&self) -> Vec<(&String, &Agreement)> {
        ordered(&self.exclusions, |a| &a.position)
    }
    /// Overrides in the order they were given (ids are uuid v7, time-ordered).
    pub fn overrides_in_order(&self) -> impl Iterator<Item = &Override> {
        self.overrides.values()
    }
}

/// A new item id: uuid v7, so ids sort by creation time.
pub fn new_item_id() -> String {
    uuid::Uuid::now_v7().to_string()
}
