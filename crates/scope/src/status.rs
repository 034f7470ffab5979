//! The lifecycle status and the gate, derived from content every time (DESIGN §4): never a
//! stored flag that could disagree with the document.

use serde::{Deserialize, Serialize};

use crate::content;
use crate::model::{AmbiguityStatus, OverrideGate, ScopeDoc, Severity, ValidationStatus};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    #[default]
    Draft,
    InValidation,
    ReadyToSign,
    Signed,
    HandedOff,
    Closed,
    StoppedAtValidation,
    AmendedAfterSignature,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::InValidation => "in_validation",
            Status::ReadyToSign => "ready_to_sign",
            Status::Signed => "signed",
            Status::HandedOff => "handed_off",
            Status::Closed => "closed",
            Status::StoppedAtValidation => "stopped_at_validation",
            Status::AmendedAfterSignature => "amended_after_signature",
        }
    }
}

/// One unmet condition of the gate, with the item that fixes it.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct GateReason {
    pub code: GateCode,
    /// The ref of the commitment or ambiguity, or the 1-based number of an assumption or
    /// exclusion, or the header field; `None` for document-wide conditions.
    #[serde(rename = "ref")]
    pub reference: Option<String>,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum GateCode {
    MissingHeaderField,
    NoCommitments,
    ValidationPending,
    CommitmentInfeasible,
    BlockingAmbiguityOpen,
    AmbiguityOpen,
    AssumptionNotAgreed,
    ExclusionNotAgreed,
    CostExceedsRevenue,
    MarginBelowThreshold,
    /// A value of the scope does not read: repair the document or enter it again.
    Damaged,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, specta::Type)]
pub struct Economics {
    pub revenue: f64,
    pub cost: f64,
    /// `None` when there is no revenue to compare with.
    pub margin_pct: Option<f64>,
    pub threshold_pct: Option<f64>,
}

pub fn economics(doc: &ScopeDoc) -> Economics {
    let revenue = doc.deal.value.unwrap_or(0.0);
    let cost: f64 = doc
        .commitments
        .values()
        .filter_map(|c| c.cost_estimate)
        .sum();
    let margin_pct = (revenue > 0.0).then(|| (revenue - cost) / revenue * 100.0);
    Economics {
        revenue,
        cost,
        margin_pct,
        threshold_pct: doc.deal.margin_threshold_pct,
    }
}

/// Failing economics, unless an executive override accepted exactly these figures.
fn economics_reasons(doc: &ScopeDoc) -> Vec<GateReason> {
    let e = economics(doc);
    let mut reasons = vec![];
    if e.cost >= e.revenue && (e.revenue > 0.0 || e.cost > 0.0) {
        reasons.push(GateReason {
            code: GateCode::CostExceedsRevenue,
            reference: None,
            message: format!(
                "the cost estimate ({}) is not below the revenue ({})",
                e.cost, e.revenue
            ),
        });
    } else if let (Some(margin), Some(threshold)) = (e.margin_pct, e.threshold_pct) {
        if margin < threshold {
            reasons.push(GateReason {
                code: GateCode::MarginBelowThreshold,
                reference: None,
                message: format!(
                    "the margin of {margin:.1} % is below the deal's {threshold} % threshold"
                ),
            });
        }
    }
    if reasons.is_empty() {
        return reasons;
    }
    let overrides: Vec<_> = doc
        .overrides_in_order()
        .filter(|o| o.gate == OverrideGate::Economics)
        .collect();
    if overrides
        .iter()
        .any(|o| o.revenue == Some(e.revenue) && o.cost == Some(e.cost))
    {
        return vec![];
    }
    if let Some(last) = overrides.last() {
        for reason in &mut reasons {
            reason.message.push_str(&format!(
                "; {}'s override covered revenue {} and cost {}, and the figures changed since: a new override is needed",
                last.by,
                last.revenue.unwrap_or(0.0),
                last.cost.unwrap_or(0.0)
            ));
        }
    }
    reasons
}

/// Whether an executive overrode this blocking ambiguity.
pub fn ambiguity_overridden(doc: &ScopeDoc, reference: &str) -> bool {
    doc.overrides_in_order()
        .any(|o| o.gate == OverrideGate::Ambiguity && o.reference.as_deref() == Some(reference))
}

/// Header fields that must be filled before anything else.
fn missing_header_fields(doc: &ScopeDoc) -> Vec<(&'static str, &'static str)> {
    let mut missing = vec![];
    let blank = |s: &str| s.trim().is_empty();
    if blank(&doc.title) {
        missing.push(("title", "the title is missing"));
    }
    if blank(&doc.customer.name) {
        missing.push(("customer", "the customer is missing"));
    }
    if doc.deal.value.is_none() {
        missing.push(("value", "the deal value is missing"));
    }
    if blank(&doc.deal.currency) {
        missing.push(("currency", "the currency is missing"));
    }
    if blank(&doc.people.commercial_lead.name) {
        missing.push(("commercial_lead", "the commercial lead is missing"));
    }
    if blank(&doc.people.operational_lead.name) {
        missing.push(("operational_lead", "the operational lead is missing"));
    }
    if doc.deal.significant && blank(&doc.people.customer_signatory.name) {
        missing.push((
            "customer_signatory",
            "a significant deal needs the customer's signatory",
        ));
    }
    missing
}

/// Every unmet condition of the gate, in the order the document shows its sections.
pub fn gate(doc: &ScopeDoc) -> Vec<GateReason> {
    let mut reasons: Vec<GateReason> = missing_header_fields(doc)
        .into_iter()
        .map(|(field, message)| GateReason {
            code: GateCode::MissingHeaderField,
            reference: Some(field.into()),
            message: message.into(),
        })
        .collect();
    for found in doc
        .damaged
        .0
        .iter()
        .filter(|f| crate::damage::blocks_gate(f))
    {
        let (item, _, field) = crate::conflicts::locate(doc, &found.path);
        let what = if field.is_empty() {
            item.clone()
        } else {
            format!("{item} {field}")
        };
        reasons.push(GateReason {
            code: GateCode::Damaged,
            reference: Some(item),
            message: format!(
                "{what} does not read ({} found, {} expected): repair the document or enter it \
                 again",
                found.found, found.expected
            ),
        });
    }
    if doc.commitments.is_empty() {
        reasons.push(GateReason {
            code: GateCode::NoCommitments,
            reference: None,
            message: "there is no commitment yet".into(),
        });
    }
    for (_, c) in doc.commitments_in_order() {
        let (verdict, changed) = content::effective_verdict(c);
        let message = match verdict {
            ValidationStatus::Pending if changed.is_empty() => Some((
                GateCode::ValidationPending,
                format!("{} is waiting for operational validation", c.reference),
            )),
            ValidationStatus::Pending => Some((
                GateCode::ValidationPending,
                format!(
                    "{} changed since it was validated ({}): it needs operational validation again",
                    c.reference,
                    changed.join(", ")
                ),
            )),
            ValidationStatus::Infeasible => Some((
                GateCode::CommitmentInfeasible,
                format!("{} was judged infeasible", c.reference),
            )),
            ValidationStatus::Feasible | ValidationStatus::Conditional => None,
        };
        if let Some((code, message)) = message {
            reasons.push(GateReason {
                code,
                reference: Some(c.reference.clone()),
                message,
            });
        }
    }
    for (_, a) in doc.ambiguities_in_order() {
        if a.status != AmbiguityStatus::Open
            || (a.severity == Severity::Blocking && ambiguity_overridden(doc, &a.reference))
        {
            continue;
        }
        let (code, message) = match a.severity {
            Severity::Blocking => (
                GateCode::BlockingAmbiguityOpen,
                format!(
                    "{} is a blocking ambiguity still open: resolve it",
                    a.reference
                ),
            ),
            Severity::NonBlocking => (
                GateCode::AmbiguityOpen,
                format!(
                    "{} is still open: resolve it or transfer it with an owner and a due date",
                    a.reference
                ),
            ),
        };
        reasons.push(GateReason {
            code,
            reference: Some(a.reference.clone()),
            message,
        });
    }
    for (code, list, name) in [
        (
            GateCode::AssumptionNotAgreed,
            doc.assumptions_in_order(),
            "assumption",
        ),
        (
            GateCode::ExclusionNotAgreed,
            doc.exclusions_in_order(),
            "exclusion",
        ),
    ] {
        for (n, (_, item)) in list.iter().enumerate() {
            if !content::agreed(item) {
                reasons.push(GateReason {
                    code,
                    reference: Some((n + 1).to_string()),
                    message: format!("{name} {} is not yet agreed by the other side", n + 1),
                });
            }
        }
    }
    reasons.extend(economics_reasons(doc));
    reasons
}

pub fn status(doc: &ScopeDoc) -> Status {
    if !doc.signatures.is_empty() {
        if crate::signature::sealed(doc) {
            return match (crate::handoff::handed_off(doc), &doc.satisfaction) {
                (true, Some(_)) => Status::Closed,
                (true, None) => Status::HandedOff,
                (false, _) => Status::Signed,
            };
        }
        if crate::signature::last_seal(doc).is_some() {
            return Status::AmendedAfterSignature;
        }
    }
    unsigned_status(doc)
}

/// The status from the content alone, before any signature.
fn unsigned_status(doc: &ScopeDoc) -> Status {
    if !missing_header_fields(doc).is_empty() || doc.commitments.is_empty() {
        return Status::Draft;
    }
    let verdicts: Vec<ValidationStatus> = doc
        .commitments
        .values()
        .map(|c| content::effective_verdict(c).0)
        .collect();
    let infeasible = verdicts.contains(&ValidationStatus::Infeasible);
    let all_judged = !verdicts.contains(&ValidationStatus::Pending);
    if infeasible || (all_judged && !economics_reasons(doc).is_empty()) {
        return Status::StoppedAtValidation;
    }
    if gate(doc).is_empty() {
        Status::ReadyToSign
    } else {
        Status::InValidation
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::model_from_file;
    use crate::interchange::Document;

    fn sample() -> ScopeDoc {
        model_from_file(
            &Document::parse(include_str!(
                "../../../tests/fixtures/press-line-retrofit.json"
            ))
            .unwrap(),
        )
    }

    #[test]
    fn sample_gate_matches_the_samples_readme() {
        let doc = sample();
        assert_eq!(status(&doc), Status::InValidation);
        let reasons = gate(&doc);
        let refs: Vec<(GateCode, Option<String>)> = reasons
            .iter()
            .map(|r| (r.code, r.reference.clone()))
            .collect();
        assert_eq!(
            refs,
            vec![
                (GateCode::ValidationPending, Some("C-01".into())),
                (GateCode::ValidationPending, Some("C-04".into())),
                (GateCode::ValidationPending, Some("C-06".into())),
                (GateCode::ValidationPending, Some("C-07".into())),
                (GateCode::BlockingAmbiguityOpen, Some("A-01".into())),
                (GateCode::AmbiguityOpen, Some("A-02".into())),
                (GateCode::ExclusionNotAgreed, Some("2".into())),
                (GateCode::MarginBelowThreshold, None),
            ]
        );
        let e = economics(&doc);
        assert_eq!((e.revenue, e.cost), (1_240_000.0, 1_100_000.0));
        assert!((e.margin_pct.unwrap() - 11.29).abs() < 0.01);
        assert!(reasons.last().unwrap().message.contains("11.3 %"));
    }

    #[test]
    fn missing_header_is_draft() {
        let mut doc = sample();
        doc.people.operational_lead.name.clear();
        assert_eq!(status(&doc), Status::Draft);
        doc = sample();
        doc.commitments.clear();
        assert_eq!(status(&doc), Status::Draft);
    }

    #[test]
    fn infeasible_commitment_stops_the_deal() {
        let mut doc = sample();
        let c = doc.commitments.values_mut().next().unwrap();
        c.validation.status = ValidationStatus::Infeasible;
        assert_eq!(status(&doc), Status::StoppedAtValidation);
    }

    #[test]
    fn every_condition_met_is_ready_to_sign_and_toxic_yes_is_stopped() {
        let mut doc = sample();
        for c in doc.commitments.values_mut() {
            c.validation.status = ValidationStatus::Feasible;
        }
        for a in doc.ambiguities.values_mut() {
            a.status = AmbiguityStatus::Resolved;
        }
        for e in doc.exclusions.values_mut() {
            e.agreed_by = Some(crate::model::Role::Commercial);
        }
        // Every commitment judged but the margin is below threshold: the toxic yes.
        assert_eq!(status(&doc), Status::StoppedAtValidation);
        doc.deal.margin_threshold_pct = Some(10.0);
        assert_eq!(gate(&doc), vec![]);
        assert_eq!(status(&doc), Status::ReadyToSign);
    }

    #[test]
    fn agreement_by_the_author_side_does_not_count() {
        let mut doc = sample();
        for e in doc.exclusions.values_mut() {
            e.agreed_by = Some(e.author);
        }
        assert!(
            gate(&doc)
                .iter()
                .any(|r| r.code == GateCode::ExclusionNotAgreed
                    && r.reference.as_deref() == Some("1"))
        );
    }
}
