//! What the app shows: plain data, typed for TypeScript through specta.

use serde::Serialize;

use crate::convert;
use crate::interchange::{CommitmentKind, Customer, Parameter, People, Role, ValidationStatus};
use crate::model::{Commitment, ScopeDoc};
use crate::status::{self, Economics, GateReason, Status};

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct DocumentView {
    pub id: String,
    pub title: String,
    pub customer: Customer,
    pub deal: DealView,
    pub people: People,
    pub commitments: Vec<CommitmentView>,
    pub status: Status,
    pub gate: Vec<GateReason>,
    pub economics: Economics,
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
        let file = convert::file_from_model(doc);
        DocumentView {
            id: id.to_string(),
            title: doc.title.clone(),
            customer: file.customer,
            deal: DealView {
                crm_ref: doc.deal.crm_ref.clone(),
                value: doc.deal.value,
                currency: doc.deal.currency.clone(),
                target_close: doc.deal.target_close.clone(),
                significant: doc.deal.significant,
                margin_threshold_pct: doc.deal.margin_threshold_pct,
            },
            people: file.people,
            commitments: doc.commitments_in_order().into_iter().map(|(id, c)| commitment_view(id, c)).collect(),
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
        parameters: c.parameters.iter().map(convert::parameter_out).collect(),
        lead_time_weeks: c.delivery.lead_time_weeks,
        delivery_date: c.delivery.date.clone(),
        acceptance: c.acceptance.clone(),
        price: c.price,
        cost_estimate: c.cost_estimate,
        author: convert::role_out(c.author),
        validation: convert::verdict_out(c.validation.status),
    }
}
