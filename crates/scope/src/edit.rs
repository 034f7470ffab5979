//! User edits: each names only what changed, so a stale screen can never write back values
//! another person changed meanwhile.

use serde::{Deserialize, Serialize};

use crate::interchange::{CommitmentKind, Role};
use crate::view::{Parameter, Person};

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
    CommercialLead(Person),
    OperationalLead(Person),
    CustomerSignatory(Person),
    Executive(Person),
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
}

/// What an edit produced that the caller may need (the id of a new item).
#[derive(Debug, Clone, Default, PartialEq, Serialize, specta::Type)]
pub struct EditOutcome {
    pub created_id: Option<String>,
}
