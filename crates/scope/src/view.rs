//! What the app shows: plain data, typed for TypeScript through specta.

use serde::{Deserialize, Serialize};

use crate::convert;
use crate::interchange::{CommitmentKind, Role, ValidationStatus};
use crate::model::{self as m, Commitment, ScopeDoc};
use crate::status::{self, Economics, GateReason, Status};

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct DocumentView {
    pub id: String,
    pub title: String,
    pub customer: CustomerView,
    pub deal: DealView,
    pub people: PeopleView,
    pub commitments: Vec<CommitmentView>,
    pub status: Status,
    pub gate: Vec<GateReason>,
    pub economics: Economics,
}

/// A person as the app shows and edits one; both fields always present.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct Person {
    pub name: String,
    pub email: String,
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

/// A technical parameter of a commitment: name, value, unit, tolerance (`±0.02`, `≥`, …).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct Parameter {
    pub name: String,
    pub value: String,
    pub unit: String,
    pub tolerance: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct DealView {
    pub crm_ref: String,
    pub value: Option<f64>,
    pub currency: String,
    pub target_close: Option<String>,
    pub significant: bool,
    pub margin_threshold_pct: Option<f64>,
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
    pub validation: ValidationStatus,
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
    pub fn new(id: &str, doc: &ScopeDoc) -> DocumentView {
        DocumentView {
            id: id.to_string(),
            title: doc.title.clone(),
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
                margin_threshold_pct: doc.deal.margin_threshold_pct,
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
                .map(|(id, c)| commitment_view(id, c))
                .collect(),
            status: status::status(doc),
            gate: status::gate(doc),
            economics: status::economics(doc),
        }
    }
}

fn commitment_view(id: &str, c: &Commitment) -> CommitmentView {
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
        validation: convert::verdict_out(c.validation.status),
    }
}

fn person(p: &m::Person) -> Person {
    Person {
        name: p.name.clone(),
        email: p.email.clone(),
    }
}
