//! What operational validation and the other side's agreement judge: a commitment's content and
//! an agreement's text. Verdicts and agreements record what they were given for, so a later
//! change, local or merged from another replica, makes them lapse visibly instead of silently
//! covering something nobody judged.

use serde_json::{Map, Value};

use crate::model::{Agreement, Commitment, ValidationStatus};

/// The fields of a commitment that make up its content, in display order.
pub const CONTENT_FIELDS: [&str; 11] = [
    "kind",
    "title",
    "description",
    "quantity",
    "unit",
    "parameters",
    "lead_time_weeks",
    "delivery_date",
    "acceptance",
    "price",
    "cost_estimate",
];

pub fn content(c: &Commitment) -> Map<String, Value> {
    let parameters: Vec<Value> = c
        .parameters
        .iter()
        .map(|p| Value::from(vec![p.name.as_str(), &p.value, &p.unit, &p.tolerance]))
        .collect();
    let values = [
        Value::from(format!("{:?}", c.kind)),
        Value::from(c.title.as_str()),
        Value::from(c.description.as_str()),
        Value::from(c.quantity),
        Value::from(c.unit.as_str()),
        Value::from(parameters),
        Value::from(c.delivery.lead_time_weeks),
        Value::from(c.delivery.date.clone()),
        Value::from(c.acceptance.as_str()),
        Value::from(c.price),
        Value::from(c.cost_estimate),
    ];
    CONTENT_FIELDS
        .iter()
        .map(|f| f.to_string())
        .zip(values)
        .collect()
}

/// What a library entry's verdict judged: the technical content, leaving out what each deal
/// sets for itself (quantity, delivery date, price, cost), which the economics and the gate
/// judge on every deal.
pub const TECHNICAL_FIELDS: [&str; 7] = [
    "kind",
    "title",
    "description",
    "unit",
    "parameters",
    "lead_time_weeks",
    "acceptance",
];

/// The technical content's canonical form, recorded when a commitment comes from the library.
pub fn technical(c: &Commitment) -> String {
    let all = content(c);
    let technical: Map<String, Value> = TECHNICAL_FIELDS
        .iter()
        .filter_map(|f| all.get(*f).map(|v| (f.to_string(), v.clone())))
        .collect();
    Value::Object(technical).to_string()
}

/// Technical fields that differ from a library entry's, as inserted.
pub fn technical_changes(c: &Commitment, technical: &str) -> Vec<String> {
    let now = content(c);
    let then: Map<String, Value> = serde_json::from_str(technical).unwrap_or_default();
    TECHNICAL_FIELDS
        .iter()
        .filter(|f| now.get(**f) != then.get(**f))
        .map(|f| f.to_string())
        .collect()
}

/// The canonical form recorded with a verdict.
pub fn basis(c: &Commitment) -> String {
    Value::Object(content(c)).to_string()
}

/// Content fields that differ between the commitment and a recorded basis.
pub fn changed_since(c: &Commitment, basis: &str) -> Vec<String> {
    let now = content(c);
    let then: Map<String, Value> = serde_json::from_str(basis).unwrap_or_default();
    CONTENT_FIELDS
        .iter()
        .filter(|f| now.get(**f) != then.get(**f))
        .map(|f| f.to_string())
        .collect()
}

/// The verdict that holds now, and the fields changed since a verdict that no longer holds.
pub fn effective_verdict(c: &Commitment) -> (ValidationStatus, Vec<String>) {
    let v = &c.validation;
    if v.status == ValidationStatus::Pending {
        return (ValidationStatus::Pending, vec![]);
    }
    match &v.basis {
        Some(basis) => {
            let changed = changed_since(c, basis);
            if changed.is_empty() {
                (v.status, changed)
            } else {
                (ValidationStatus::Pending, changed)
            }
        }
        None => (v.status, vec![]),
    }
}

/// Whether the other side agreed to the text as it reads now.
pub fn agreed(a: &Agreement) -> bool {
    a.agreed_by.is_some_and(|by| by != a.author)
        && a.agreed_text.as_deref().is_none_or(|t| t == a.text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Role, Validation};

    fn validated() -> Commitment {
        let mut c = Commitment {
            title: "Press".into(),
            price: Some(100.0),
            ..Default::default()
        };
        c.validation = Validation {
            status: ValidationStatus::Feasible,
            basis: Some(basis(&c)),
            ..Default::default()
        };
        c
    }

    #[test]
    fn a_verdict_lapses_when_content_changes_and_names_what_changed() {
        let mut c = validated();
        assert_eq!(effective_verdict(&c), (ValidationStatus::Feasible, vec![]));
        c.price = Some(120.0);
        c.description.update("new text");
        assert_eq!(
            effective_verdict(&c),
            (
                ValidationStatus::Pending,
                vec!["description".to_string(), "price".to_string()]
            )
        );
        // Putting the validated content back restores the verdict: it covers that content.
        c.price = Some(100.0);
        c.description.update("");
        assert_eq!(effective_verdict(&c).0, ValidationStatus::Feasible);
    }

    #[test]
    fn position_reference_and_author_are_not_content() {
        let mut c = validated();
        c.position = "zz".into();
        c.reference = "C-99".into();
        c.author = Role::Operational;
        assert_eq!(effective_verdict(&c).0, ValidationStatus::Feasible);
    }

    #[test]
    fn an_agreement_covers_the_text_agreed() {
        let mut a = Agreement {
            text: "Civil works excluded".into(),
            author: Role::Operational,
            agreed_by: Some(Role::Commercial),
            agreed_text: Some("Civil works excluded".into()),
            ..Default::default()
        };
        assert!(agreed(&a));
        a.text.push_str(" and foundations");
        assert!(!agreed(&a));
        a.agreed_by = Some(Role::Operational);
        a.agreed_text = Some(a.text.clone());
        assert!(!agreed(&a), "the author's own side cannot agree");
    }
}
