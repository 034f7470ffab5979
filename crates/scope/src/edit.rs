//! User edits: each names only what changed, so a stale screen can never write back values
//! another person changed meanwhile.

use serde::{Deserialize, Serialize};

pub use crate::interchange::{AttendeeRole, ReworkCause};
use crate::interchange::{CommitmentKind, Role, Severity, ValidationStatus};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "field", content = "value", rename_all = "snake_case")]
pub enum HeaderField {
    Title(String),
    CustomerName(String),
    CustomerSite(String),
    CustomerContact(Person),
    CrmRef(String),
    Value(Option<f64>),
    Currency(String),
    TargetClose(Option<String>),
    Significant(bool),
    MarginThresholdPct(Option<f64>),
    /// The deal value from which the deal is significant.
    SignificantValue(Option<f64>),
    /// Why this deal's thresholds differ from the company's.
    ThresholdsReason(String),
    /// The company's thresholds, recorded when the deal is made from its settings (never by
    /// hand: the workspace refuses it from a person).
    CompanyThresholds(CompanyThresholds),
    CommercialLead(Person),
    OperationalLead(Person),
    CustomerSignatory(Person),
    Executive(Person),
    /// The language the scope is printed in.
    Language(crate::interchange::Language),
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct CompanyThresholds {
    pub significant_value: Option<f64>,
    pub min_margin_pct: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "field", content = "value", rename_all = "snake_case")]
pub enum CommitmentField {
    Reference(String),
    Kind(CommitmentKind),
    Title(String),
    /// The whole new text; it is applied as a minimal splice so concurrent typing merges.
    Description(String),
    Quantity(Option<f64>),
    Unit(String),
    Parameters(Vec<Parameter>),
    LeadTimeWeeks(Option<f64>),
    DeliveryDate(Option<String>),
    Acceptance(String),
    Price(Option<f64>),
    CostEstimate(Option<f64>),
    Author(Role),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Edit {
    UpdateHeader {
        changes: Vec<HeaderField>,
    },
    /// Adds a commitment after `after` (an item id), or at the end.
    AddCommitment {
        title: String,
        kind: CommitmentKind,
        after: Option<String>,
    },
    UpdateCommitment {
        id: String,
        changes: Vec<CommitmentField>,
    },
    /// Moves a commitment so that it ends up at `to_index` in display order.
    MoveCommitment {
        id: String,
        to_index: u32,
    },
    DeleteCommitment {
        id: String,
    },
    /// Adds a commitment worded as a capability library entry (after `after`, or at the end):
    /// pending like any other, with where it came from.
    AddFromLibrary {
        entry: Box<LibraryCommitment>,
        after: Option<String>,
    },
    /// Operations confirms, in one action, the verdict a library entry carries, for a
    /// commitment inserted from it whose technical content has not changed since.
    ConfirmFromLibrary {
        id: String,
    },
    /// Operations' verdict on a commitment: only an operational profile may give it. `note` is
    /// the condition of a `conditional` verdict or the reason of an `infeasible` one.
    ValidateCommitment {
        id: String,
        verdict: ValidationStatus,
        note: Option<String>,
    },
    AddAmbiguity {
        question: String,
        severity: Severity,
        /// Refs of the linked commitments.
        commitments: Vec<String>,
    },
    UpdateAmbiguity {
        id: String,
        changes: Vec<AmbiguityField>,
    },
    ResolveAmbiguity {
        id: String,
        answer: String,
    },
    /// Accepts a non-blocking ambiguity as open into execution, with an owner and a due date.
    TransferAmbiguity {
        id: String,
        owner: String,
        due: String,
    },
    ReopenAmbiguity {
        id: String,
    },
    DeleteAmbiguity {
        id: String,
    },
    AddAgreement {
        list: AgreementList,
        text: String,
    },
    UpdateAgreement {
        list: AgreementList,
        id: String,
        text: String,
    },
    /// The other side agrees to an assumption or exclusion as it reads now.
    Agree {
        list: AgreementList,
        id: String,
    },
    DeleteAgreement {
        list: AgreementList,
        id: String,
    },
    /// An executive lets the gate pass despite failing economics or a blocking ambiguity.
    Override {
        gate: OverrideGate,
        #[serde(rename = "ref")]
        reference: Option<String>,
        reason: String,
    },
    RevokeOverride {
        id: String,
    },
    /// Opens a signed (sealed) scope to change: the signatures it had no longer count.
    StartAmendment {
        reason: String,
    },
    /// The transfer meeting's time (`YYYY-MM-DD` or `YYYY-MM-DDTHH:MM`) and place.
    ScheduleMeeting {
        at: String,
        place: String,
    },
    /// Adds an attendee (no id) or changes one.
    SetAttendee {
        id: Option<String>,
        name: String,
        email: String,
        role: AttendeeRole,
        present: bool,
    },
    RemoveAttendee {
        id: String,
    },
    /// The agenda, or the minutes (collaborative text: the whole new text).
    UpdateMeetingNotes {
        agenda: Option<String>,
        minutes: Option<String>,
    },
    AddDecision {
        text: String,
    },
    AddActionItem {
        text: String,
        owner: String,
        due: Option<String>,
    },
    SetActionDone {
        id: String,
        done: bool,
    },
    /// Takes back a decision or an action item recorded by mistake.
    RemoveMeetingItem {
        id: String,
    },
    /// Records the meeting as held (on a signed scope).
    RecordMeetingHeld {
        at: String,
    },
    /// One entry of the rework log (after the handoff).
    AddRework {
        date: String,
        /// Refs of the commitments concerned.
        commitments: Vec<String>,
        cause: ReworkCause,
        /// With cause `ambiguity`: the ambiguity's ref.
        ambiguity: Option<String>,
        cost: Option<f64>,
        hours: Option<f64>,
        description: String,
    },
    /// Takes back a rework entry logged by mistake (a wrong figure is corrected by removing and
    /// logging it again).
    RemoveRework {
        id: String,
    },
    /// The customer's satisfaction, 0–10 (after the handoff): it closes the deal.
    RecordSatisfaction {
        score: u8,
        comment: String,
        date: String,
    },
    /// Brings a deleted commitment back, with any edit made to it since.
    RestoreCommitment {
        id: String,
    },
    /// Keeps a commitment deleted although it was edited after the deletion was decided.
    ConfirmDeletion {
        id: String,
    },
    /// Settles a concurrent edit of one field by keeping one of the values.
    ResolveConflict {
        path: Vec<PathStep>,
        /// The id of the chosen value, as `conflicts` lists it.
        choice: String,
    },
}

/// The stage of the lifecycle that owns an edit: its rules and refusals live in that stage's
/// module (`content`, `validation`, `signing`, `handoff`); `Merge` settles what merging left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Content,
    Validation,
    Signing,
    Handoff,
    Merge,
}

impl Edit {
    pub fn stage(&self) -> Stage {
        match self {
            Edit::UpdateHeader { .. }
            | Edit::AddCommitment { .. }
            | Edit::UpdateCommitment { .. }
            | Edit::MoveCommitment { .. }
            | Edit::DeleteCommitment { .. }
            | Edit::RestoreCommitment { .. }
            | Edit::ConfirmDeletion { .. }
            | Edit::AddFromLibrary { .. } => Stage::Content,
            Edit::ValidateCommitment { .. }
            | Edit::ConfirmFromLibrary { .. }
            | Edit::AddAmbiguity { .. }
            | Edit::UpdateAmbiguity { .. }
            | Edit::ResolveAmbiguity { .. }
            | Edit::TransferAmbiguity { .. }
            | Edit::ReopenAmbiguity { .. }
            | Edit::DeleteAmbiguity { .. }
            | Edit::AddAgreement { .. }
            | Edit::UpdateAgreement { .. }
            | Edit::Agree { .. }
            | Edit::DeleteAgreement { .. }
            | Edit::Override { .. }
            | Edit::RevokeOverride { .. } => Stage::Validation,
            Edit::StartAmendment { .. } => Stage::Signing,
            Edit::ScheduleMeeting { .. }
            | Edit::SetAttendee { .. }
            | Edit::RemoveAttendee { .. }
            | Edit::UpdateMeetingNotes { .. }
            | Edit::AddDecision { .. }
            | Edit::AddActionItem { .. }
            | Edit::SetActionDone { .. }
            | Edit::RemoveMeetingItem { .. }
            | Edit::RecordMeetingHeld { .. }
            | Edit::AddRework { .. }
            | Edit::RemoveRework { .. }
            | Edit::RecordSatisfaction { .. } => Stage::Handoff,
            Edit::ResolveConflict { .. } => Stage::Merge,
        }
    }

    /// The meeting, rework and satisfaction are not scope content, and an amendment is how a
    /// signed scope changes: a sealed scope takes these and nothing else.
    pub fn allowed_on_sealed_scope(&self) -> bool {
        self.stage() == Stage::Handoff || matches!(self, Edit::StartAmendment { .. })
    }

    /// The action name recorded in the change message, for history.
    pub fn action(&self) -> &'static str {
        match self {
            Edit::UpdateHeader { .. } => "update_header",
            Edit::AddCommitment { .. } => "add_commitment",
            Edit::AddFromLibrary { .. } => "add_from_library",
            Edit::ConfirmFromLibrary { .. } => "confirm_from_library",
            Edit::UpdateCommitment { .. } => "update_commitment",
            Edit::MoveCommitment { .. } => "move_commitment",
            Edit::DeleteCommitment { .. } => "delete_commitment",
            Edit::ValidateCommitment { .. } => "validate_commitment",
            Edit::AddAmbiguity { .. } => "add_ambiguity",
            Edit::UpdateAmbiguity { .. } => "update_ambiguity",
            Edit::ResolveAmbiguity { .. } => "resolve_ambiguity",
            Edit::TransferAmbiguity { .. } => "transfer_ambiguity",
            Edit::ReopenAmbiguity { .. } => "reopen_ambiguity",
            Edit::DeleteAmbiguity { .. } => "delete_ambiguity",
            Edit::AddAgreement { .. } => "add_agreement",
            Edit::UpdateAgreement { .. } => "update_agreement",
            Edit::Agree { .. } => "agree",
            Edit::DeleteAgreement { .. } => "delete_agreement",
            Edit::Override { .. } => "override",
            Edit::RevokeOverride { .. } => "revoke_override",
            Edit::StartAmendment { .. } => "start_amendment",
            Edit::ScheduleMeeting { .. } => "schedule_meeting",
            Edit::SetAttendee { .. } => "set_attendee",
            Edit::RemoveAttendee { .. } => "remove_attendee",
            Edit::UpdateMeetingNotes { .. } => "update_meeting_notes",
            Edit::AddDecision { .. } => "add_decision",
            Edit::AddActionItem { .. } => "add_action_item",
            Edit::SetActionDone { .. } => "set_action_done",
            Edit::RemoveMeetingItem { .. } => "remove_meeting_item",
            Edit::RecordMeetingHeld { .. } => "record_meeting_held",
            Edit::AddRework { .. } => "add_rework",
            Edit::RemoveRework { .. } => "remove_rework",
            Edit::RecordSatisfaction { .. } => "record_satisfaction",
            Edit::RestoreCommitment { .. } => "restore_commitment",
            Edit::ConfirmDeletion { .. } => "confirm_deletion",
            Edit::ResolveConflict { .. } => "resolve_conflict",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "field", content = "value", rename_all = "snake_case")]
pub enum AmbiguityField {
    Question(String),
    Severity(Severity),
    Commitments(Vec<String>),
    Owner(String),
    Due(Option<String>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum AgreementList {
    Assumption,
    Exclusion,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum OverrideGate {
    Economics,
    Ambiguity,
}

/// Who makes a change: the acting profile on this device. Recorded in the document with the
/// Automerge actor it writes with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct Actor {
    pub name: String,
    pub email: String,
    /// `None` only for a CLI import made before any profile exists.
    pub role: Option<Role>,
    /// A readable name of the device (host name).
    pub device: String,
    /// The Automerge actor (hex) this profile writes with on this device; empty keeps the
    /// document's current actor. One per profile and device, so no two writers share one.
    pub automerge_actor: String,
    /// The profile's PDF certificate and its ed25519 binding, recorded with the actor so the
    /// document ties the certificate to the person (decision 0008).
    #[serde(default)]
    pub certificate: Option<CertificateBinding>,
}

/// A PDF certificate's SHA-256 (hex) and the ed25519 key's signature over it (hex).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct CertificateBinding {
    pub sha256: String,
    pub binding: String,
}

/// What an edit produced that the caller may need (the id of a new item).
#[derive(Debug, Clone, Default, PartialEq, Serialize, specta::Type)]
pub struct EditOutcome {
    pub created_id: Option<String>,
}

/// A person as the app shows and edits one; both fields always present.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct Person {
    pub name: String,
    pub email: String,
}

/// A technical parameter of a commitment: name, value, unit, tolerance (`±0.02`, `≥`, …).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct Parameter {
    pub name: String,
    pub value: String,
    pub unit: String,
    pub tolerance: String,
}

/// A capability library entry as it is inserted into a deal: the wording operations validated
/// on an earlier, signed deal, that verdict, and where it was given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct LibraryCommitment {
    /// The entry's id (`DOCUMENT_ID:COMMITMENT_ID`).
    pub entry: String,
    pub kind: CommitmentKind,
    pub title: String,
    pub description: String,
    pub quantity: Option<f64>,
    pub unit: String,
    pub parameters: Vec<Parameter>,
    pub lead_time_weeks: Option<f64>,
    pub acceptance: String,
    pub price: Option<f64>,
    pub cost_estimate: Option<f64>,
    /// `feasible` or `conditional`.
    pub verdict: ValidationStatus,
    pub condition: Option<String>,
    pub validated_by: String,
    pub validated_at: String,
    pub deal: String,
    pub customer: String,
}

/// One step from the document root to a field.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum PathStep {
    Key(String),
    Index(u32),
}
