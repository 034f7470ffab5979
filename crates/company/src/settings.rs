//! The settings an executive changes, by the keys the command line and the README name.

use scopepact_messages::message;
use scopepact_scope::edit::Actor;

use crate::{CompanyDoc, CompanyError, Executive, ProductLine};

/// Every key `settings set` takes; `min_margin_pct.LINE` sets one product line's.
pub const SETTING_KEYS: &[&str] = &[
    "company_name",
    "currency",
    "significant_value",
    "min_margin_pct",
    "min_margin_pct.LINE",
    "executives",
    "logo",
];

/// One setting and its new value; an empty value clears a threshold.
#[derive(Debug, Clone, PartialEq)]
pub enum Setting {
    CompanyName(String),
    Currency(String),
    SignificantValue(Option<f64>),
    MinMarginPct(Option<f64>),
    LineMinMarginPct {
        line: String,
        pct: Option<f64>,
    },
    /// Emails, lowercase; empty: any executive profile.
    Executives(Vec<String>),
    /// The logo file's bytes (checked by the caller, who can decode it); `None` removes it.
    Logo(Option<Vec<u8>>),
}

impl Setting {
    /// Reads `key` = `value` as typed on the command line or in the app; refuses with the
    /// reason and changes nothing when either does not read.
    pub fn parse(key: &str, value: &str) -> Result<Setting, CompanyError> {
        let key = key.trim();
        let value = value.trim();
        let invalid = |problem| CompanyError::InvalidSetting {
            key: key.to_string(),
            problem,
        };
        Ok(match key {
            "company_name" => {
                if value.is_empty() {
                    return Err(invalid(message!("value-empty")));
                }
                Setting::CompanyName(value.to_string())
            }
            "currency" => {
                let code = value.to_uppercase();
                if !(code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase())) {
                    return Err(invalid(message!("value-not-a-currency", value = value)));
                }
                Setting::Currency(code)
            }
            "significant_value" => Setting::SignificantValue(number(value, None).map_err(invalid)?),
            "min_margin_pct" => Setting::MinMarginPct(number(value, Some(100.0)).map_err(invalid)?),
            "executives" => {
                let emails: Vec<String> = value
                    .split([',', ' ', ';'])
                    .map(|e| e.trim().to_lowercase())
                    .filter(|e| !e.is_empty())
                    .collect();
                if let Some(bad) = emails.iter().find(|e| !looks_like_email(e)) {
                    return Err(invalid(message!("value-not-an-email", value = bad)));
                }
                Setting::Executives(emails)
            }
            _ => match key.strip_prefix("min_margin_pct.") {
                Some(line) if !line.trim().is_empty() => Setting::LineMinMarginPct {
                    line: line.trim().to_string(),
                    pct: number(value, Some(100.0)).map_err(invalid)?,
                },
                _ => {
                    return Err(CompanyError::UnknownSetting {
                        key: key.to_string(),
                    })
                }
            },
        })
    }

    /// The key it was set by.
    pub fn key(&self) -> String {
        match self {
            Setting::CompanyName(_) => "company_name".into(),
            Setting::Currency(_) => "currency".into(),
            Setting::SignificantValue(_) => "significant_value".into(),
            Setting::MinMarginPct(_) => "min_margin_pct".into(),
            Setting::LineMinMarginPct { line, .. } => format!("min_margin_pct.{line}"),
            Setting::Executives(_) => "executives".into(),
            Setting::Logo(_) => "logo".into(),
        }
    }

    pub(crate) fn apply_to(&self, model: &mut CompanyDoc, by: &Actor) {
        match self {
            Setting::CompanyName(name) => model.name.clone_from(name),
            Setting::Currency(code) => model.currency.clone_from(code),
            Setting::SignificantValue(v) => model.significant_value = *v,
            Setting::MinMarginPct(v) => model.min_margin_pct = *v,
            Setting::LineMinMarginPct { line, pct } => match pct {
                Some(_) => {
                    model.product_lines.insert(
                        line.clone(),
                        ProductLine {
                            min_margin_pct: *pct,
                        },
                    );
                }
                None => {
                    model.product_lines.remove(line);
                }
            },
            Setting::Logo(bytes) => model.logo = bytes.clone().map(Into::into),
            Setting::Executives(emails) => {
                model.executives.retain(|email, _| emails.contains(email));
                for email in emails {
                    model
                        .executives
                        .entry(email.clone())
                        .or_insert_with(|| Executive {
                            added_by: by.name.clone(),
                        });
                }
            }
        }
    }
}

/// A threshold: empty clears it; otherwise a finite number of zero or more (at most `max`).
fn number(value: &str, max: Option<f64>) -> Result<Option<f64>, scopepact_messages::Message> {
    if value.is_empty() {
        return Ok(None);
    }
    let n: f64 = value
        .parse()
        .ok()
        .filter(|n: &f64| n.is_finite())
        .ok_or_else(|| message!("value-not-a-number", value = value))?;
    if n < 0.0 {
        return Err(message!("value-negative", value = value));
    }
    if max.is_some_and(|max| n > max) {
        return Err(message!("value-at-most-100"));
    }
    Ok(Some(n))
}

fn looks_like_email(text: &str) -> bool {
    match text.split_once('@') {
        Some((user, domain)) => !user.is_empty() && domain.contains('.') && !domain.contains('@'),
        None => false,
    }
}
