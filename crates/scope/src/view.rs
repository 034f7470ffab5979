//! What the app shows: plain data, typed for TypeScript through specta.

use serde::Serialize;

use automerge::Automerge;

use crate::basis;
use crate::conflicts::{self, Conflict};
use crate::convert;
pub use crate::edit::{Parameter, Person};
use crate::error::ScopeError;
use crate::interchange::{AmbiguityStatus, CommitmentKind, Role, Severity, ValidationStatus};
use crate::lifecycle;
use crate::model::{self as m, Commitment, ScopeDoc};
use crate::refusal::SignerRole;
use crate::status::Status;
use crate::validation::gate::{self, Economics, GateReason};

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct DocumentView {
    pub id: String,
    pub title: String,
    /// The language the scope is printed in.
    pub language: crate::interchange::Language,
    pub customer: CustomerView,
    pub deal: DealView,
    pub people: PeopleView,
    pub commitments: Vec<CommitmentView>,
    pub ambiguities: Vec<AmbiguityView>,
    pub assumptions: Vec<AgreementView>,
    pub exclusions: Vec<AgreementView>,
    pub overrides: Vec<OverrideView>,
    /// Fields edited concurrently that wait for the team's choice.
    pub conflicts: Vec<Conflict>,
    /// Deleted commitments edited after the deletion was decided: restore or confirm each.
    pub deletions: Vec<DeletionView>,
    /// Values that do not read (written by a broken or hostile peer): a repair restores them.
    pub damage: Vec<crate::damage::Damage>,
    /// Every signature given, holding or not, oldest first.
    pub signatures: Vec<SignatureView>,
    /// The signatures this deal needs, and those still missing for the current content.
    pub required_signatures: Vec<SignerRole>,
    pub missing_signatures: Vec<SignerRole>,
    /// Every required signature holds: content edits are refused until an amendment.
    pub sealed: bool,
    /// What changed since the content was last sealed (amendment, or edits merged after it).
    pub post_signature_changes: Vec<crate::signing::PostSignatureChange>,
    pub amendments: Vec<AmendmentView>,
    pub meeting: MeetingView,
    /// The rework log, oldest first.
    pub rework: Vec<ReworkView>,
    pub satisfaction: Option<SatisfactionView>,
    pub status: Status,
    pub gate: Vec<GateReason>,
    pub economics: Economics,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct ValidationView {
    /// The verdict that holds now: `pending` when the content changed since the verdict.
    pub status: ValidationStatus,
    pub by: Option<String>,
    pub at: Option<String>,
    pub condition: Option<String>,
    pub reason: Option<String>,
    /// When a verdict lapsed: the verdict it was, and the fields changed since.
    pub lapsed: Option<ValidationStatus>,
    pub changed_since: Vec<String>,
    /// The library entry this verdict was confirmed from, when it was.
    pub from_library: Option<String>,
}

/// Where a commitment inserted from the capability library came from, and what changed since.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct LibraryOriginView {
    pub entry: String,
    pub verdict: ValidationStatus,
    pub condition: Option<String>,
    pub validated_by: String,
    pub validated_at: String,
    pub deal: String,
    pub customer: String,
    /// Technical fields changed since it was inserted: when empty, operations may confirm the
    /// entry's verdict in one action.
    pub changed: Vec<String>,
    /// This device's library holds the entry, not retired, with this verdict, condition and
    /// validator. When not (a peer wrote the origin, or the entry was retired since), what it
    /// says is only a claim and cannot be confirmed in one action. Set by the workspace.
    pub vouched: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct AmbiguityView {
    pub id: String,
    #[serde(rename = "ref")]
    pub reference: String,
    pub question: String,
    pub raised_by: String,
    pub commitments: Vec<String>,
    pub severity: Severity,
    pub owner: String,
    pub due: Option<String>,
    pub status: AmbiguityStatus,
    pub answer: Option<String>,
    /// An executive overrode this blocking ambiguity.
    pub overridden: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct AgreementView {
    pub id: String,
    /// 1-based, as the app and the CLI number them.
    pub number: u32,
    pub text: String,
    pub author: Role,
    /// Whether the other side agreed to the text as it reads now.
    pub agreed: bool,
    pub agreed_by: Option<Role>,
    pub agreed_by_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct SignatureView {
    pub id: String,
    pub role: SignerRole,
    pub signer: String,
    pub email: String,
    /// The host whose key witnessed a customer's signature.
    pub witness: Option<String>,
    pub time: String,
    pub statement: String,
    /// Fingerprint of the key that signed.
    pub fingerprint: String,
    /// `None` while it holds; otherwise why not.
    pub lapse: Option<crate::signing::Lapse>,
    /// The drawn signature: strokes of x, y pairs (0–1).
    pub drawing: Vec<Vec<f64>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct MeetingView {
    pub scheduled_at: Option<String>,
    pub place: String,
    pub held_at: Option<String>,
    pub attendees: Vec<AttendeeView>,
    pub agenda: String,
    pub minutes: String,
    pub decisions: Vec<DecisionView>,
    pub actions: Vec<ActionItemView>,
    /// Who must attend, and who of those is not marked present.
    pub mandatory: Vec<crate::edit::AttendeeRole>,
    pub missing: Vec<crate::edit::AttendeeRole>,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct AttendeeView {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: crate::edit::AttendeeRole,
    pub present: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct DecisionView {
    pub id: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct ActionItemView {
    pub id: String,
    pub text: String,
    pub owner: String,
    pub due: Option<String>,
    pub done: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct ReworkView {
    pub id: String,
    pub date: String,
    pub commitments: Vec<String>,
    pub cause: crate::edit::ReworkCause,
    pub ambiguity: Option<String>,
    pub cost: Option<f64>,
    pub hours: Option<f64>,
    pub description: String,
    pub by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct SatisfactionView {
    pub score: u8,
    pub comment: String,
    pub date: String,
    pub by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct AmendmentView {
    pub by: String,
    pub at: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct DeletionView {
    /// The deleted commitment's id, for `restore_commitment` / `confirm_deletion`.
    pub id: String,
    #[serde(rename = "ref")]
    pub reference: String,
    pub title: String,
    pub deleted_by: String,
    pub deleted_by_role: Option<Role>,
    pub deleted_at: String,
    /// Content fields changed since the deletion was decided.
    pub changed: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct OverrideView {
    pub id: String,
    pub gate: crate::edit::OverrideGate,
    #[serde(rename = "ref")]
    pub reference: Option<String>,
    pub reason: String,
    pub by: String,
    pub at: String,
    pub revenue: Option<f64>,
    pub cost: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct CustomerView {
    pub name: String,
    pub site: String,
    pub contact: Person,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct PeopleView {
    pub commercial_lead: Person,
    pub operational_lead: Person,
    pub customer_signatory: Person,
    pub executive: Person,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct DealView {
    pub crm_ref: String,
    pub value: Option<f64>,
    pub currency: String,
    pub target_close: Option<String>,
    /// Marked significant by hand.
    pub significant: bool,
    /// Significant by its value reaching `significant_value`.
    pub significant_by_value: bool,
    pub margin_threshold_pct: Option<f64>,
    pub significant_value: Option<f64>,
    pub thresholds_reason: String,
    /// Where the deal's thresholds depart from the company's, with `thresholds_reason`.
    pub threshold_overrides: Vec<gate::ThresholdOverride>,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct CommitmentView {
    pub id: String,
    #[serde(rename = "ref")]
    pub reference: String,
    pub kind: CommitmentKind,
    pub title: String,
    pub description: String,
    pub quantity: Option<f64>,
    pub unit: String,
    pub parameters: Vec<Parameter>,
    pub lead_time_weeks: Option<f64>,
    pub delivery_date: Option<String>,
    pub acceptance: String,
    pub price: Option<f64>,
    pub cost_estimate: Option<f64>,
    pub author: Role,
    pub validation: ValidationView,
    /// Ambiguities linked to this commitment that are still open.
    pub open_ambiguities: Vec<String>,
    /// Inserted from the capability library.
    pub library: Option<LibraryOriginView>,
}

/// One row of the documents list, as the store's projection keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct DocumentSummary {
    pub id: String,
    pub title: String,
    pub customer: String,
    pub value: Option<f64>,
    pub currency: String,
    pub status: Status,
    /// RFC 3339 time of the last change.
    pub updated_at: String,
}

impl DocumentView {
    pub fn new(id: &str, am: &Automerge, doc: &ScopeDoc) -> Result<DocumentView, ScopeError> {
        let mut view = DocumentView::of_model(id, doc);
        view.damage = crate::damage::report(am, doc);
        view.conflicts = conflicts::conflicts(am, doc)?;
        view.post_signature_changes = crate::signing::post_signature_changes(am, doc)?;
        view.deletions = crate::content::deletions_in_question(am, doc)?
            .into_iter()
            .map(|question| DeletionView {
                reference: question.commitment.reference,
                title: question.commitment.title,
                deleted_by: question.deletion.by,
                deleted_by_role: question.deletion.role.map(convert::role_out),
                deleted_at: question.deletion.at,
                changed: question.changed,
                id: question.id,
            })
            .collect();
        Ok(view)
    }

    /// The view of a model alone, without the document's history: no conflicts, deletions in
    /// question or post-signature changes (what a signed PDF's manifest can be turned back into).
    pub fn of_model(id: &str, doc: &ScopeDoc) -> DocumentView {
        let open: Vec<&m::Ambiguity> = doc
            .ambiguities_in_order()
            .into_iter()
            .map(|(_, a)| a)
            .filter(|a| a.status == m::AmbiguityStatus::Open)
            .collect();
        DocumentView {
            id: id.to_string(),
            title: doc.title.clone(),
            language: crate::interchange::Language::parse(&doc.language).unwrap_or_default(),
            customer: CustomerView {
                name: doc.customer.name.clone(),
                site: doc.customer.site.clone(),
                contact: person(&doc.customer.contact),
            },
            deal: DealView {
                crm_ref: doc.deal.crm_ref.clone(),
                value: doc.deal.value,
                currency: doc.deal.currency.clone(),
                target_close: doc.deal.target_close.clone(),
                significant: doc.deal.significant,
                significant_by_value: doc.deal.is_significant() && !doc.deal.significant,
                margin_threshold_pct: doc.deal.margin_threshold_pct,
                significant_value: doc.deal.significant_value,
                thresholds_reason: doc.deal.thresholds_reason.clone(),
                threshold_overrides: gate::threshold_overrides(doc),
            },
            people: PeopleView {
                commercial_lead: person(&doc.people.commercial_lead),
                operational_lead: person(&doc.people.operational_lead),
                customer_signatory: person(&doc.people.customer_signatory),
                executive: person(&doc.people.executive),
            },
            commitments: doc
                .commitments_in_order()
                .into_iter()
                .map(|(id, c)| commitment_view(&open, id, c))
                .collect(),
            ambiguities: ambiguity_views(doc),
            assumptions: agreements(doc.assumptions_in_order()),
            exclusions: agreements(doc.exclusions_in_order()),
            overrides: override_views(doc),
            conflicts: vec![],
            signatures: signature_views(doc),
            required_signatures: crate::signing::required(doc),
            missing_signatures: missing_signatures(doc),
            sealed: crate::signing::sealed(doc),
            post_signature_changes: vec![],
            amendments: doc
                .amendments
                .values()
                .map(|a| AmendmentView {
                    by: a.by.clone(),
                    at: a.at.clone(),
                    reason: a.reason.clone(),
                })
                .collect(),
            meeting: meeting_view(doc),
            rework: rework_views(doc),
            satisfaction: doc.satisfaction.as_ref().map(|s| SatisfactionView {
                score: u8::try_from(s.score.clamp(0, 10)).unwrap_or(0),
                comment: s.comment.clone(),
                date: s.date.clone(),
                by: s.by.clone(),
            }),
            deletions: vec![],
            damage: vec![],
            status: lifecycle::status(doc),
            gate: gate::gate(doc),
            economics: gate::economics(doc),
        }
    }
}

fn agreements(items: Vec<(&String, &m::Agreement)>) -> Vec<AgreementView> {
    items
        .into_iter()
        .zip(1..)
        .map(|((id, a), number)| {
            let agreed = basis::agreed(a);
            AgreementView {
                id: id.clone(),
                number,
                text: a.text.clone(),
                author: convert::role_out(a.author),
                agreed,
                agreed_by: a.agreed_by.filter(|_| agreed).map(convert::role_out),
                agreed_by_name: a.agreed_by_name.clone().filter(|_| agreed),
            }
        })
        .collect()
}

/// `open`: the open ambiguities in display order, computed once for all commitments.
fn commitment_view(open: &[&m::Ambiguity], id: &str, c: &Commitment) -> CommitmentView {
    let (verdict, changed_since) = basis::effective_verdict(c);
    let lapsed = (!changed_since.is_empty()).then(|| convert::verdict_out(c.validation.status));
    let holds = lapsed.is_none() && verdict != m::ValidationStatus::Pending;
    CommitmentView {
        id: id.to_string(),
        reference: c.reference.clone(),
        kind: convert::kind_out(c.kind),
        title: c.title.clone(),
        description: c.description.as_str().to_string(),
        quantity: c.quantity,
        unit: c.unit.clone(),
        parameters: c
            .parameters
            .iter()
            .map(|p| Parameter {
                name: p.name.clone(),
                value: p.value.clone(),
                unit: p.unit.clone(),
                tolerance: p.tolerance.clone(),
            })
            .collect(),
        lead_time_weeks: c.delivery.lead_time_weeks,
        delivery_date: c.delivery.date.clone(),
        acceptance: c.acceptance.clone(),
        price: c.price,
        cost_estimate: c.cost_estimate,
        author: convert::role_out(c.author),
        validation: ValidationView {
            status: convert::verdict_out(verdict),
            by: c
                .validation
                .by
                .clone()
                .filter(|_| holds || lapsed.is_some()),
            at: c
                .validation
                .at
                .clone()
                .filter(|_| holds || lapsed.is_some()),
            condition: c.validation.condition.clone().filter(|_| holds),
            reason: c.validation.reason.clone().filter(|_| holds),
            lapsed,
            changed_since,
            from_library: c.validation.from_library.clone().filter(|_| holds),
        },
        open_ambiguities: open
            .iter()
            .filter(|a| a.commitments.contains(&c.reference))
            .map(|a| a.reference.clone())
            .collect(),
        library: library_origin(c),
    }
}

fn library_origin(c: &Commitment) -> Option<LibraryOriginView> {
    let origin = c.library.as_ref()?;
    Some(LibraryOriginView {
        entry: origin.entry.clone(),
        verdict: convert::verdict_out(origin.verdict),
        condition: origin.condition.clone(),
        validated_by: origin.validated_by.clone(),
        validated_at: origin.validated_at.clone(),
        deal: origin.deal.clone(),
        customer: origin.customer.clone(),
        changed: basis::technical_changes(c, &origin.basis),
        vouched: false,
    })
}

fn person(p: &m::Person) -> Person {
    Person {
        name: p.name.clone(),
        email: p.email.clone(),
    }
}

fn ambiguity_views(doc: &ScopeDoc) -> Vec<AmbiguityView> {
    doc.ambiguities_in_order()
        .into_iter()
        .map(|(id, a)| AmbiguityView {
            id: id.clone(),
            reference: a.reference.clone(),
            question: a.question.clone(),
            raised_by: a.raised_by.clone(),
            commitments: a.commitments.clone(),
            severity: convert::severity_out(a.severity),
            owner: a.owner.clone(),
            due: a.due.clone(),
            status: convert::ambiguity_status_out(a.status),
            answer: a.answer.clone(),
            overridden: a.severity == m::Severity::Blocking
                && gate::ambiguity_overridden(doc, &a.reference),
        })
        .collect()
}

fn override_views(doc: &ScopeDoc) -> Vec<OverrideView> {
    doc.overrides
        .iter()
        .map(|(id, o)| OverrideView {
            id: id.clone(),
            gate: match o.gate {
                m::OverrideGate::Economics => crate::edit::OverrideGate::Economics,
                m::OverrideGate::Ambiguity => crate::edit::OverrideGate::Ambiguity,
            },
            reference: o.reference.clone(),
            reason: o.reason.clone(),
            by: o.by.clone(),
            at: o.at.clone(),
            revenue: o.revenue,
            cost: o.cost,
        })
        .collect()
}

/// The signatures in the order they were made, each with whether it still holds.
fn signature_views(doc: &ScopeDoc) -> Vec<SignatureView> {
    let lapses = if doc.signatures.is_empty() {
        Default::default()
    } else {
        crate::signing::lapses(doc, &crate::signing::content_sha256(doc))
    };
    let mut signatures: Vec<SignatureView> = doc
        .signatures
        .iter()
        .map(|(id, r)| SignatureView {
            id: id.clone(),
            role: crate::signing::role_out(r.role),
            signer: r.signer.clone(),
            email: r.email.clone(),
            witness: r.witness.clone(),
            time: r.time.clone(),
            statement: r.statement.clone(),
            fingerprint: scopepact_signing::fingerprint(&r.public_key).unwrap_or_default(),
            lapse: lapses.get(id).copied().flatten(),
            drawing: r.drawing.clone(),
        })
        .collect();
    signatures.sort_by(|a, b| (&a.time, &a.id).cmp(&(&b.time, &b.id)));
    signatures
}

fn missing_signatures(doc: &ScopeDoc) -> Vec<SignerRole> {
    let holding = crate::signing::holding(doc);
    crate::signing::required(doc)
        .into_iter()
        .filter(|r| !holding.contains(r))
        .collect()
}

/// Rework entries by date.
fn rework_views(doc: &ScopeDoc) -> Vec<ReworkView> {
    let mut entries: Vec<ReworkView> = doc
        .rework
        .iter()
        .map(|(id, r)| ReworkView {
            id: id.clone(),
            date: r.date.clone(),
            commitments: r.commitments.clone(),
            cause: crate::convert::cause_out(r.cause),
            ambiguity: r.ambiguity.clone(),
            cost: r.cost,
            hours: r.hours,
            description: r.description.clone(),
            by: r.by.clone(),
        })
        .collect();
    entries.sort_by(|a, b| (&a.date, &a.id).cmp(&(&b.date, &b.id)));
    entries
}

/// The transfer meeting, its lists in their order.
fn meeting_view(doc: &ScopeDoc) -> MeetingView {
    let meeting = &doc.meeting;
    MeetingView {
        scheduled_at: meeting.scheduled_at.clone(),
        place: meeting.place.clone(),
        held_at: meeting.held_at.clone(),
        attendees: m::ordered(&meeting.attendees, |a| &a.position)
            .into_iter()
            .map(|(id, a)| AttendeeView {
                name: a.name.clone(),
                email: a.email.clone(),
                role: crate::convert::attendee_role_out(a.role),
                present: a.present,
                id: id.clone(),
            })
            .collect(),
        agenda: meeting.agenda.clone(),
        minutes: meeting.minutes.as_str().to_string(),
        decisions: m::ordered(&meeting.decisions, |d| &d.position)
            .into_iter()
            .map(|(id, d)| DecisionView {
                text: d.text.clone(),
                id: id.clone(),
            })
            .collect(),
        actions: m::ordered(&meeting.actions, |a| &a.position)
            .into_iter()
            .map(|(id, a)| ActionItemView {
                text: a.text.clone(),
                owner: a.owner.clone(),
                due: a.due.clone(),
                done: a.done,
                id: id.clone(),
            })
            .collect(),
        mandatory: crate::handoff::mandatory(doc),
        missing: crate::handoff::missing(doc),
    }
}
