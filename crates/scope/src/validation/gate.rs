//! The gate between validation and signature: every condition the scope must meet before
//! anyone signs, each with the item that fixes it, and the deal's economics.

use serde::Serialize;

use crate::basis;
use crate::model::{AmbiguityStatus, OverrideGate, ScopeDoc, Severity, ValidationStatus};
use crate::status::Status;

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
    damage_reasons(doc, &mut reasons);
    commitment_reasons(doc, &mut reasons);
    ambiguity_reasons(doc, &mut reasons);
    agreement_reasons(doc, &mut reasons);
    reasons.extend(economics_reasons(doc));
    reasons
}

/// A value of the scope that does not read blocks signing until repaired.
fn damage_reasons(doc: &ScopeDoc, reasons: &mut Vec<GateReason>) {
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
}

/// No commitment yet; each commitment waiting for a verdict (again, when it changed since) or
/// judged infeasible.
fn commitment_reasons(doc: &ScopeDoc, reasons: &mut Vec<GateReason>) {
    if doc.commitments.is_empty() {
        reasons.push(GateReason {
            code: GateCode::NoCommitments,
            reference: None,
            message: "there is no commitment yet".into(),
        });
    }
    for (_, c) in doc.commitments_in_order() {
        let (verdict, changed) = basis::effective_verdict(c);
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
}

/// Open ambiguities: a blocking one must be resolved (or overridden), another resolved or
/// transferred.
fn ambiguity_reasons(doc: &ScopeDoc, reasons: &mut Vec<GateReason>) {
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
}

/// Assumptions and exclusions the other side has not agreed to.
fn agreement_reasons(doc: &ScopeDoc, reasons: &mut Vec<GateReason>) {
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
            if !basis::agreed(item) {
                reasons.push(GateReason {
                    code,
                    reference: Some((n + 1).to_string()),
                    message: format!("{name} {} is not yet agreed by the other side", n + 1),
                });
            }
        }
    }
}

/// The status from the content and its validation alone, as before any signature.
pub fn stage(doc: &ScopeDoc) -> Status {
    if !missing_header_fields(doc).is_empty() || doc.commitments.is_empty() {
        return Status::Draft;
    }
    let verdicts: Vec<ValidationStatus> = doc
        .commitments
        .values()
        .map(|c| basis::effective_verdict(c).0)
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
