//! The gate between validation and signature: every condition the scope must meet before
//! anyone signs, each with the item that fixes it, and the deal's economics.

use scopepact_messages::{message, say, Language, Message};
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
    /// In English, for scripts (`status --json`).
    pub message: String,
    /// The same, to say in the person's language.
    #[serde(skip)]
    pub said: Message,
}

impl GateReason {
    fn new(code: GateCode, reference: Option<String>, said: Message) -> GateReason {
        GateReason {
            code,
            reference,
            message: say(Language::En, &said),
            said,
        }
    }
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
    /// A threshold of the deal differs from the company's and no reason says why.
    ThresholdOverrideUnexplained,
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
        reasons.push(GateReason::new(
            GateCode::CostExceedsRevenue,
            None,
            message!(
                "unmet-cost-exceeds-revenue",
                cost = e.cost.to_string(),
                revenue = e.revenue.to_string()
            ),
        ));
    } else if let (Some(margin), Some(threshold)) = (e.margin_pct, e.threshold_pct) {
        if margin < threshold {
            reasons.push(GateReason::new(
                GateCode::MarginBelowThreshold,
                None,
                message!(
                    "unmet-margin-below-threshold",
                    margin = format!("{margin:.1}"),
                    threshold = threshold.to_string()
                ),
            ));
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
    match overrides.last() {
        Some(last) => reasons
            .into_iter()
            .map(|r| {
                let said = message!(
                    "unmet-override-stale",
                    reason = r.said,
                    by = &last.by,
                    revenue = last.revenue.unwrap_or(0.0).to_string(),
                    cost = last.cost.unwrap_or(0.0).to_string()
                );
                GateReason::new(r.code, r.reference, said)
            })
            .collect(),
        None => reasons,
    }
}

/// A threshold of this deal set apart from the company's.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct ThresholdOverride {
    pub threshold: Threshold,
    pub company: f64,
    /// `None` when the deal cleared it.
    pub deal: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Threshold {
    SignificantValue,
    MinMarginPct,
}

/// The thresholds where the deal departs from what the company set when it was made. A
/// threshold the company had not set is the deal's own: nothing to depart from.
pub fn threshold_overrides(doc: &ScopeDoc) -> Vec<ThresholdOverride> {
    let deal = &doc.deal;
    [
        (
            Threshold::SignificantValue,
            deal.company_significant_value,
            deal.significant_value,
        ),
        (
            Threshold::MinMarginPct,
            deal.company_min_margin_pct,
            deal.margin_threshold_pct,
        ),
    ]
    .into_iter()
    .filter_map(|(threshold, company, deal)| {
        let company = company?;
        (deal != Some(company)).then_some(ThresholdOverride {
            threshold,
            company,
            deal,
        })
    })
    .collect()
}

fn threshold_reasons(doc: &ScopeDoc) -> Option<GateReason> {
    let overrides = threshold_overrides(doc);
    if overrides.is_empty() || !doc.deal.thresholds_reason.trim().is_empty() {
        return None;
    }
    let named: Vec<&str> = overrides
        .iter()
        .map(|o| match o.threshold {
            Threshold::SignificantValue => "significant_value",
            Threshold::MinMarginPct => "margin_threshold_pct",
        })
        .collect();
    Some(GateReason::new(
        GateCode::ThresholdOverrideUnexplained,
        Some("thresholds_reason".into()),
        message!(
            "unmet-threshold-override-unexplained",
            fields = named.join(", ")
        ),
    ))
}

/// Whether an executive overrode this blocking ambiguity.
pub fn ambiguity_overridden(doc: &ScopeDoc, reference: &str) -> bool {
    doc.overrides_in_order()
        .any(|o| o.gate == OverrideGate::Ambiguity && o.reference.as_deref() == Some(reference))
}

/// Header fields that must be filled before anything else.
fn missing_header_fields(doc: &ScopeDoc) -> Vec<(&'static str, Message)> {
    let mut missing = vec![];
    let blank = |s: &str| s.trim().is_empty();
    if blank(&doc.title) {
        missing.push(("title", message!("unmet-missing-title")));
    }
    if blank(&doc.customer.name) {
        missing.push(("customer", message!("unmet-missing-customer")));
    }
    if doc.deal.value.is_none() {
        missing.push(("value", message!("unmet-missing-value")));
    }
    if blank(&doc.deal.currency) {
        missing.push(("currency", message!("unmet-missing-currency")));
    }
    if blank(&doc.people.commercial_lead.name) {
        missing.push(("commercial_lead", message!("unmet-missing-commercial-lead")));
    }
    if blank(&doc.people.operational_lead.name) {
        missing.push((
            "operational_lead",
            message!("unmet-missing-operational-lead"),
        ));
    }
    if doc.deal.is_significant() && blank(&doc.people.customer_signatory.name) {
        missing.push((
            "customer_signatory",
            message!("unmet-missing-customer-signatory"),
        ));
    }
    missing
}

/// Every unmet condition of the gate, in the order the document shows its sections.
pub fn gate(doc: &ScopeDoc) -> Vec<GateReason> {
    let mut reasons: Vec<GateReason> = missing_header_fields(doc)
        .into_iter()
        .map(|(field, said)| {
            GateReason::new(GateCode::MissingHeaderField, Some(field.into()), said)
        })
        .collect();
    damage_reasons(doc, &mut reasons);
    commitment_reasons(doc, &mut reasons);
    ambiguity_reasons(doc, &mut reasons);
    agreement_reasons(doc, &mut reasons);
    reasons.extend(threshold_reasons(doc));
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
        let said = message!(
            "unmet-damaged",
            what = what,
            found = &found.found,
            expected = found.expected
        );
        reasons.push(GateReason::new(GateCode::Damaged, Some(item), said));
    }
}

/// No commitment yet; each commitment waiting for a verdict (again, when it changed since) or
/// judged infeasible.
fn commitment_reasons(doc: &ScopeDoc, reasons: &mut Vec<GateReason>) {
    if doc.commitments.is_empty() {
        reasons.push(GateReason::new(
            GateCode::NoCommitments,
            None,
            message!("unmet-no-commitments"),
        ));
    }
    for (_, c) in doc.commitments_in_order() {
        let (verdict, changed) = basis::effective_verdict(c);
        let reference = &c.reference;
        let said = match verdict {
            ValidationStatus::Pending if changed.is_empty() => Some((
                GateCode::ValidationPending,
                message!("unmet-validation-pending", reference = reference),
            )),
            ValidationStatus::Pending => Some((
                GateCode::ValidationPending,
                message!(
                    "unmet-validation-lapsed",
                    reference = reference,
                    fields = changed.join(", ")
                ),
            )),
            ValidationStatus::Infeasible => Some((
                GateCode::CommitmentInfeasible,
                message!("unmet-commitment-infeasible", reference = reference),
            )),
            ValidationStatus::Feasible | ValidationStatus::Conditional => None,
        };
        if let Some((code, said)) = said {
            reasons.push(GateReason::new(code, Some(reference.clone()), said));
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
        let (code, said) = match a.severity {
            Severity::Blocking => (
                GateCode::BlockingAmbiguityOpen,
                message!("unmet-blocking-ambiguity-open", reference = &a.reference),
            ),
            Severity::NonBlocking => (
                GateCode::AmbiguityOpen,
                message!("unmet-ambiguity-open", reference = &a.reference),
            ),
        };
        reasons.push(GateReason::new(code, Some(a.reference.clone()), said));
    }
}

/// Assumptions and exclusions the other side has not agreed to.
fn agreement_reasons(doc: &ScopeDoc, reasons: &mut Vec<GateReason>) {
    for (code, list) in [
        (GateCode::AssumptionNotAgreed, doc.assumptions_in_order()),
        (GateCode::ExclusionNotAgreed, doc.exclusions_in_order()),
    ] {
        for (n, (_, item)) in list.iter().enumerate() {
            if !basis::agreed(item) {
                let said = match code {
                    GateCode::AssumptionNotAgreed => {
                        message!("unmet-assumption-not-agreed", number = n + 1)
                    }
                    _ => message!("unmet-exclusion-not-agreed", number = n + 1),
                };
                reasons.push(GateReason::new(code, Some((n + 1).to_string()), said));
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
