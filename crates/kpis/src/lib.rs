//! The joint handoff indicators (DESIGN, "measure"): facts per deal, indicators per group and
//! period, and their CSV form.

pub mod facts;
pub mod indicators;

pub use facts::{facts, DealFacts, ValidationFact};
pub use indicators::{compute, GroupBy, GroupKpis, LibraryFigures, Period};

#[derive(Debug, thiserror::Error)]
pub enum KpiError {
    #[error("\"{0}\" is not a date of the form YYYY-MM-DD")]
    BadDate(String),
    #[error("the period is empty: {from} comes after {to}")]
    EmptyPeriod {
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
    },
    #[error(
        "\"{0}\" is not a period: use a month (2027-02), a quarter (2027-Q1) or a year (2027)"
    )]
    BadPeriod(String),
    #[error("\"{0}\" is not a grouping: use pair, customer or all")]
    BadGrouping(String),
}

/// The indicators as CSV, one row per group, columns named as in the JSON (RFC 4180 quoting).
pub fn to_csv(groups: &[GroupKpis]) -> String {
    let number = |v: Option<f64>| v.map(|n| format!("{}", round(n))).unwrap_or_default();
    let mut header = vec![
        "group",
        "deals",
        "stopped_at_validation",
        "stopped_value",
        "signed_deals",
        "ambiguities_transferred",
        "ambiguities_transferred_per_signed_deal",
        "handed_off_deals",
        "rework_entries",
        "rework_hours",
        "rework_cost",
        "rework_entries_per_handed_off_deal",
        "rework_hours_per_handed_off_deal",
        "rework_cost_per_handed_off_deal",
    ]
    .into_iter()
    .map(String::from)
    .collect::<Vec<_>>();
    for cause in ["ambiguity", "scope_change", "execution", "other"] {
        header.push(format!("rework_cost_{cause}"));
    }
    header.extend(
        [
            "rework_share_from_transferred_ambiguities",
            "satisfaction_responses",
            "avg_customer_satisfaction",
            "median_days_draft_to_ready",
            "median_days_ready_to_signed",
            "median_days_signed_to_handed_off",
            "meetings_held",
            "full_attendance_share",
        ]
        .map(String::from),
    );
    let mut out = header.join(",");
    out.push_str("\r\n");
    for g in groups {
        let mut row = vec![
            quote(&g.group),
            g.deals.to_string(),
            g.stopped_at_validation.to_string(),
            number(g.stopped_value),
            g.signed_deals.to_string(),
            g.ambiguities_transferred.to_string(),
            number(g.ambiguities_transferred_per_signed_deal),
            g.handed_off_deals.to_string(),
            g.rework_entries.to_string(),
            number(Some(g.rework_hours)),
            number(Some(g.rework_cost)),
            number(g.rework_entries_per_handed_off_deal),
            number(g.rework_hours_per_handed_off_deal),
            number(g.rework_cost_per_handed_off_deal),
        ];
        row.extend(g.rework_by_cause.iter().map(|c| number(Some(c.cost))));
        row.extend([
            number(g.rework_share_from_transferred_ambiguities),
            g.satisfaction_responses.to_string(),
            number(g.avg_customer_satisfaction),
            number(g.median_days_draft_to_ready),
            number(g.median_days_ready_to_signed),
            number(g.median_days_signed_to_handed_off),
            g.meetings_held.to_string(),
            number(g.full_attendance_share),
        ]);
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}

/// Four decimals: enough for shares and days, without float noise in the file.
fn round(n: f64) -> f64 {
    (n * 10_000.0).round() / 10_000.0
}

fn quote(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}
