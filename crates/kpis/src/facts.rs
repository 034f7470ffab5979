//! What the indicators need from one deal, drawn from its scope document once, when it is
//! saved, so computing indicators over thousands of deals reads small rows, not documents.

use scopepact_scope::handoff;
use scopepact_scope::interchange::ReworkCause;
use scopepact_scope::lifecycle;
use scopepact_scope::model::{self as m, ScopeDoc};
use scopepact_scope::signing;
use scopepact_scope::status::Status;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct DealFacts {
    /// The document id; the store fills it in.
    #[serde(default)]
    pub id: String,
    pub title: String,
    pub customer: String,
    pub commercial_lead: String,
    pub operational_lead: String,
    pub value: Option<f64>,
    pub currency: String,
    pub status: Status,
    /// RFC 3339 (or `YYYY-MM-DD…` as recorded) times of the states the indicators count.
    pub created_at: Option<String>,
    pub ready_to_sign_at: Option<String>,
    pub stopped_at: Option<String>,
    pub signed_at: Option<String>,
    pub handed_off_at: Option<String>,
    pub meeting_held_at: Option<String>,
    /// The held meeting had every mandatory attendee present.
    pub full_attendance: bool,
    pub ambiguities_transferred: u32,
    pub rework: Vec<ReworkFact>,
    pub satisfaction: Option<SatisfactionFact>,
    /// When each commitment inserted from the capability library was added (empty: unknown).
    #[serde(default)]
    pub reused: Vec<String>,
    /// Each verdict that holds.
    #[serde(default)]
    pub validations: Vec<ValidationFact>,
}

/// A verdict that holds on a commitment.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct ValidationFact {
    /// When it was given.
    pub at: String,
    /// When the commitment was added, when known.
    pub added_at: Option<String>,
    /// The commitment was inserted from the capability library.
    pub library_match: bool,
    /// The verdict was the library entry's, confirmed in one action.
    pub confirmed_from_library: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct ReworkFact {
    pub date: String,
    pub cause: ReworkCause,
    pub cost: f64,
    pub hours: f64,
    /// Caused by an ambiguity that was transferred at handoff (not resolved before signature).
    pub from_transferred_ambiguity: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct SatisfactionFact {
    pub score: u8,
    pub date: String,
}

/// A person as the indicators group them: by name, or the email when the name is blank.
fn who(person: &m::Person) -> String {
    let name = person.name.trim();
    if name.is_empty() {
        person.email.trim().to_string()
    } else {
        name.to_string()
    }
}

pub fn facts(doc: &ScopeDoc) -> DealFacts {
    let status = lifecycle::status(doc);
    let handed_off = matches!(status, Status::HandedOff | Status::Closed);
    let transferred: Vec<&str> = doc
        .ambiguities
        .values()
        .filter(|a| a.status == m::AmbiguityStatus::Transferred)
        .map(|a| a.reference.as_str())
        .collect();
    let mut rework: Vec<ReworkFact> = doc
        .rework
        .values()
        .map(|r| ReworkFact {
            date: r.date.clone(),
            cause: r.cause.into(),
            cost: r.cost.unwrap_or(0.0),
            hours: r.hours.unwrap_or(0.0),
            from_transferred_ambiguity: r.cause == m::ReworkCause::Ambiguity
                && r.ambiguity
                    .as_deref()
                    .is_some_and(|a| transferred.contains(&a)),
        })
        .collect();
    rework.sort_by(|a, b| a.date.cmp(&b.date));
    DealFacts {
        id: String::new(),
        title: doc.title.clone(),
        customer: doc.customer.name.trim().to_string(),
        commercial_lead: who(&doc.people.commercial_lead),
        operational_lead: who(&doc.people.operational_lead),
        value: doc.deal.value,
        currency: doc.deal.currency.clone(),
        status,
        created_at: doc.milestones.created_at.clone(),
        ready_to_sign_at: doc.milestones.ready_to_sign_at.clone(),
        stopped_at: (status == Status::StoppedAtValidation)
            .then(|| doc.milestones.stopped_at_validation_at.clone())
            .flatten(),
        // Only a sealed scope has a seal time; computing it verifies the signatures again.
        signed_at: matches!(status, Status::Signed | Status::HandedOff | Status::Closed)
            .then(|| signing::sealed_at(doc))
            .flatten(),
        handed_off_at: handed_off.then(|| doc.meeting.held_at.clone()).flatten(),
        meeting_held_at: doc.meeting.held_at.clone(),
        full_attendance: handoff::handed_off(doc),
        ambiguities_transferred: u32::try_from(transferred.len()).unwrap_or(u32::MAX),
        rework,
        satisfaction: doc.satisfaction.as_ref().map(|s| SatisfactionFact {
            score: u8::try_from(s.score.clamp(0, 10)).unwrap_or(0),
            date: s.date.clone(),
        }),
        reused: doc
            .commitments
            .values()
            .filter(|c| c.library.is_some())
            .map(|c| c.added_at.clone().unwrap_or_default())
            .collect(),
        validations: validations(doc),
    }
}

fn validations(doc: &ScopeDoc) -> Vec<ValidationFact> {
    doc.commitments
        .values()
        .filter_map(|c| {
            let (verdict, _) = scopepact_scope::basis::effective_verdict(c);
            if verdict == m::ValidationStatus::Pending {
                return None;
            }
            Some(ValidationFact {
                at: c.validation.at.clone()?,
                added_at: c.added_at.clone(),
                library_match: c.library.is_some(),
                confirmed_from_library: c.validation.from_library.is_some(),
            })
        })
        .collect()
}
