//! The deal's figures and thresholds, between the file and the document.

use super::{num, number};
use crate::interchange as x;
use crate::model as m;

pub(crate) fn deal_in(d: &x::Deal) -> m::Deal {
    let company = d.company_thresholds.unwrap_or_default();
    m::Deal {
        crm_ref: d.crm_ref.clone(),
        value: num(d.value),
        currency: d.currency.clone(),
        target_close: d.target_close.clone(),
        significant: d.significant,
        margin_threshold_pct: num(d.margin_threshold_pct),
        significant_value: num(d.significant_value),
        company_significant_value: num(company.significant_value),
        company_min_margin_pct: num(company.min_margin_pct),
        thresholds_reason: d.thresholds_reason.clone(),
    }
}

pub(super) fn deal_out(d: &m::Deal) -> x::Deal {
    let company = x::CompanyThresholds {
        significant_value: number(d.company_significant_value),
        min_margin_pct: number(d.company_min_margin_pct),
    };
    x::Deal {
        crm_ref: d.crm_ref.clone(),
        value: number(d.value),
        currency: d.currency.clone(),
        target_close: d.target_close.clone(),
        significant: d.significant,
        margin_threshold_pct: number(d.margin_threshold_pct),
        significant_value: number(d.significant_value),
        company_thresholds: (company != x::CompanyThresholds::default()).then_some(company),
        thresholds_reason: d.thresholds_reason.clone(),
    }
}
