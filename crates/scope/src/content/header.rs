//! The header: title, customer, deal figures, the people who sign, the print language.

use crate::edit::HeaderField;
use crate::error::ScopeError;
use crate::model::{self as m, ScopeDoc};
use crate::rules::{amount, optional_date, required_text};
use scopepact_messages::message;

/// Applies each change in turn; the first refused one refuses them all.
pub(super) fn update(d: &mut ScopeDoc, changes: &[HeaderField]) -> Result<(), ScopeError> {
    changes.iter().try_for_each(|change| apply(d, change))
}

fn apply(d: &mut ScopeDoc, change: &HeaderField) -> Result<(), ScopeError> {
    match change {
        HeaderField::Title(t) => d.title = required_text(message!("field-title"), t)?,
        HeaderField::CustomerName(v) => d.customer.name = v.trim().to_string(),
        HeaderField::CustomerSite(v) => d.customer.site = v.trim().to_string(),
        HeaderField::CustomerContact(p) => d.customer.contact = person_in(p),
        HeaderField::CrmRef(v) => d.deal.crm_ref = v.trim().to_string(),
        HeaderField::Value(v) => d.deal.value = amount(message!("field-value"), *v)?,
        HeaderField::Currency(c) => {
            let c = c.trim().to_uppercase();
            if !(c.is_empty() || c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase())) {
                return Err(ScopeError::invalid(
                    message!("field-currency"),
                    message!("value-not-a-currency", value = c),
                ));
            }
            d.deal.currency = c;
        }
        HeaderField::TargetClose(v) => {
            d.deal.target_close = optional_date(message!("field-target_close"), v)?
        }
        HeaderField::Significant(v) => d.deal.significant = *v,
        HeaderField::MarginThresholdPct(v) => {
            d.deal.margin_threshold_pct = percent(message!("field-margin_threshold_pct"), *v)?
        }
        HeaderField::SignificantValue(v) => {
            d.deal.significant_value = amount(message!("field-significant_value"), *v)?
        }
        HeaderField::ThresholdsReason(v) => d.deal.thresholds_reason = v.trim().to_string(),
        HeaderField::CompanyThresholds(t) => {
            d.deal.company_significant_value =
                amount(message!("field-significant_value"), t.significant_value)?;
            d.deal.company_min_margin_pct =
                percent(message!("field-margin_threshold_pct"), t.min_margin_pct)?;
        }
        HeaderField::CommercialLead(p) => d.people.commercial_lead = person_in(p),
        HeaderField::OperationalLead(p) => d.people.operational_lead = person_in(p),
        HeaderField::CustomerSignatory(p) => d.people.customer_signatory = person_in(p),
        HeaderField::Executive(p) => d.people.executive = person_in(p),
        HeaderField::Language(l) => d.language = l.as_str().to_string(),
    }
    Ok(())
}

fn percent(field: scopepact_messages::Message, v: Option<f64>) -> Result<Option<f64>, ScopeError> {
    match v {
        Some(p) if !p.is_finite() || !(-100.0..=100.0).contains(&p) => {
            Err(ScopeError::invalid(field, message!("value-percent-range")))
        }
        _ => Ok(v),
    }
}

pub(super) fn person_in(p: &crate::edit::Person) -> m::Person {
    m::Person {
        name: p.name.trim().to_string(),
        email: p.email.trim().to_string(),
    }
}
