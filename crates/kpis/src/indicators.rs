//! The joint handoff indicators over a period. Each indicator counts the deals whose defining
//! event falls in the period: a deal counts in `deals` the period it was created, in
//! `stopped_at_validation` the period it was stopped, in the signature ratios the period it was
//! signed, in the rework ratios the period it was handed off, in satisfaction the period the
//! score was given, in attendance the period its meeting was held; a cycle time counts in the
//! period its end state was reached.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use scopepact_scope::interchange::ReworkCause;
use scopepact_scope::rules::moment_seconds;
use serde::{Deserialize, Serialize};

use crate::facts::DealFacts;
use crate::KpiError;

/// Inclusive dates; `None` leaves that side open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Period {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl Period {
    pub fn new(from: Option<&str>, to: Option<&str>) -> Result<Period, KpiError> {
        let parse = |value: Option<&str>| {
            value
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(|v| {
                    scopepact_scope::rules::is_date(v)
                        .then(|| NaiveDate::parse_from_str(v, "%Y-%m-%d").ok())
                        .flatten()
                        .ok_or_else(|| KpiError::BadDate(v.to_string()))
                })
                .transpose()
        };
        let period = Period {
            from: parse(from)?,
            to: parse(to)?,
        };
        if let (Some(from), Some(to)) = (period.from, period.to) {
            if from > to {
                return Err(KpiError::EmptyPeriod { from, to });
            }
        }
        Ok(period)
    }

    /// A named period: a month (`2027-02`), a quarter (`2027-Q1`) or a year (`2027`).
    pub fn named(name: &str) -> Result<Period, KpiError> {
        let bad = || KpiError::BadPeriod(name.to_string());
        let name = name.trim();
        let (year, rest) = name.split_once('-').unwrap_or((name, ""));
        // Four digits, as the dates in documents have: 0 and 99999 are no years anyone meant.
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) || year == "0000" {
            return Err(bad());
        }
        let year: i32 = year.parse().map_err(|_| bad())?;
        let (first_month, months) = if rest.is_empty() {
            (1, 12)
        } else if let Some(q) = rest.strip_prefix(['Q', 'q']) {
            match q.parse::<u32>() {
                Ok(q @ 1..=4) => (3 * q - 2, 3),
                _ => return Err(bad()),
            }
        } else {
            match rest.parse::<u32>() {
                Ok(m @ 1..=12) if rest.len() == 2 && rest.bytes().all(|b| b.is_ascii_digit()) => {
                    (m, 1)
                }
                _ => return Err(bad()),
            }
        };
        let from = NaiveDate::from_ymd_opt(year, first_month, 1).ok_or_else(bad)?;
        let to = from
            .checked_add_months(chrono::Months::new(months))
            .and_then(|next| next.pred_opt())
            .ok_or_else(bad)?;
        Ok(Period {
            from: Some(from),
            to: Some(to),
        })
    }

    /// Whether a recorded time (`YYYY-MM-DD…`) falls in the period, by its written date.
    fn holds(&self, at: Option<&str>) -> bool {
        let Some(day) = at.and_then(day_of) else {
            return false;
        };
        self.from.is_none_or(|f| day >= f) && self.to.is_none_or(|t| day <= t)
    }
}

fn day_of(at: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(at.get(..10)?, "%Y-%m-%d").ok()
}

/// Fractional days between two recorded times (dates count as midnight UTC).
fn days_between(from: &str, to: &str) -> Option<f64> {
    let seconds = moment_seconds(to)? - moment_seconds(from)?;
    #[allow(clippy::cast_precision_loss)] // seconds over centuries fit an f64 exactly
    Some(seconds as f64 / 86_400.0)
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    /// Commercial lead × operational lead.
    Pair,
    Customer,
    #[default]
    All,
}

impl std::str::FromStr for GroupBy {
    type Err = KpiError;
    fn from_str(s: &str) -> Result<GroupBy, KpiError> {
        match s {
            "pair" => Ok(GroupBy::Pair),
            "customer" => Ok(GroupBy::Customer),
            "all" => Ok(GroupBy::All),
            other => Err(KpiError::BadGrouping(other.to_string())),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct CauseFigures {
    pub cause: ReworkCause,
    pub entries: u32,
    pub hours: f64,
    pub cost: f64,
}

/// The deals behind each figure, by document id, for the click-through.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct DealsBehind {
    pub deals: Vec<String>,
    pub stopped: Vec<String>,
    pub signed: Vec<String>,
    pub handed_off: Vec<String>,
    pub satisfaction: Vec<String>,
    pub meetings: Vec<String>,
    pub draft_to_ready: Vec<String>,
    pub ready_to_signed: Vec<String>,
    pub signed_to_handed_off: Vec<String>,
}

/// One group's indicators. Ratios are `null` when nothing is there to divide by.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct GroupKpis {
    /// `all`, `Commercial × Operational`, or the customer's name.
    pub group: String,
    pub deals: u32,
    pub stopped_at_validation: u32,
    /// Sum of the stopped deals' values; `null` when they are in different currencies (see
    /// `stopped_value_by_currency`).
    pub stopped_value: Option<f64>,
    pub stopped_value_by_currency: BTreeMap<String, f64>,
    pub signed_deals: u32,
    pub ambiguities_transferred: u32,
    pub ambiguities_transferred_per_signed_deal: Option<f64>,
    pub handed_off_deals: u32,
    pub rework_entries: u32,
    pub rework_hours: f64,
    pub rework_cost: f64,
    pub rework_entries_per_handed_off_deal: Option<f64>,
    pub rework_hours_per_handed_off_deal: Option<f64>,
    pub rework_cost_per_handed_off_deal: Option<f64>,
    /// Every cause, in a fixed order, zeros included.
    pub rework_by_cause: Vec<CauseFigures>,
    /// Share of rework entries caused by ambiguities transferred at handoff.
    pub rework_share_from_transferred_ambiguities: Option<f64>,
    pub satisfaction_responses: u32,
    pub avg_customer_satisfaction: Option<f64>,
    pub median_days_draft_to_ready: Option<f64>,
    pub median_days_ready_to_signed: Option<f64>,
    pub median_days_signed_to_handed_off: Option<f64>,
    pub meetings_held: u32,
    pub full_attendance_share: Option<f64>,
    pub library: LibraryFigures,
    pub behind: DealsBehind,
}

/// What the capability library saved: commitments reused, verdicts confirmed from it, and how
/// long validation took with and without a library match.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct LibraryFigures {
    /// Commitments inserted from the library, added in the period.
    pub commitments_reused: u32,
    /// Verdicts given in the period (that still hold).
    pub validations: u32,
    pub validations_confirmed_from_library: u32,
    pub share_confirmed_from_library: Option<f64>,
    /// Median hours from adding a commitment to its verdict, for commitments inserted from the
    /// library and for the others (those whose adding time is known).
    pub median_validation_hours_with_match: Option<f64>,
    pub median_validation_hours_without_match: Option<f64>,
}

fn library_figures(deals: &[&DealFacts], period: Period) -> LibraryFigures {
    let reused = deals
        .iter()
        .flat_map(|d| d.reused.iter())
        .filter(|at| period.holds(Some(at.as_str())))
        .count();
    let given: Vec<_> = deals
        .iter()
        .flat_map(|d| d.validations.iter())
        .filter(|v| period.holds(Some(&v.at)))
        .collect();
    let confirmed = given.iter().filter(|v| v.confirmed_from_library).count();
    let hours = |library_match: bool| {
        median(
            given
                .iter()
                .filter(|v| v.library_match == library_match)
                .filter_map(|v| days_between(v.added_at.as_deref()?, &v.at))
                .map(|days| days.max(0.0) * 24.0)
                .collect(),
        )
    };
    LibraryFigures {
        commitments_reused: count(reused),
        validations: count(given.len()),
        validations_confirmed_from_library: count(confirmed),
        #[allow(clippy::cast_precision_loss)]
        share_confirmed_from_library: ratio(confirmed as f64, count(given.len())),
        median_validation_hours_with_match: hours(true),
        median_validation_hours_without_match: hours(false),
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn ratio(numerator: f64, denominator: u32) -> Option<f64> {
    (denominator > 0).then(|| numerator / f64::from(denominator))
}

fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) / 2.0
    } else {
        values[mid]
    })
}

fn unnamed(name: &str) -> &str {
    if name.is_empty() {
        "(not named)"
    } else {
        name
    }
}

fn group_of(deal: &DealFacts, by: GroupBy) -> String {
    match by {
        GroupBy::All => "all".to_string(),
        GroupBy::Customer => unnamed(&deal.customer).to_string(),
        GroupBy::Pair => format!(
            "{} × {}",
            unnamed(&deal.commercial_lead),
            unnamed(&deal.operational_lead)
        ),
    }
}

const CAUSES: [ReworkCause; 4] = [
    ReworkCause::Ambiguity,
    ReworkCause::ScopeChange,
    ReworkCause::Execution,
    ReworkCause::Other,
];

/// Picks a cycle's start and end times from a deal.
type Span = dyn Fn(&DealFacts) -> (Option<&str>, Option<&str>);

/// One group's indicators over the period.
pub fn indicators(group: String, deals: &[&DealFacts], period: Period) -> GroupKpis {
    let ids = |pick: &dyn Fn(&DealFacts) -> bool| -> Vec<String> {
        deals
            .iter()
            .filter(|d| pick(d))
            .map(|d| d.id.clone())
            .collect()
    };
    let in_period = |at: &Option<String>| period.holds(at.as_deref());
    let created = ids(&|d| in_period(&d.created_at));
    let stopped: Vec<&DealFacts> = deals
        .iter()
        .copied()
        .filter(|d| in_period(&d.stopped_at))
        .collect();
    let signed: Vec<&DealFacts> = deals
        .iter()
        .copied()
        .filter(|d| in_period(&d.signed_at))
        .collect();
    let handed_off: Vec<&DealFacts> = deals
        .iter()
        .copied()
        .filter(|d| in_period(&d.handed_off_at))
        .collect();
    let satisfied: Vec<&DealFacts> = deals
        .iter()
        .copied()
        .filter(|d| {
            d.satisfaction
                .as_ref()
                .is_some_and(|s| period.holds(Some(&s.date)))
        })
        .collect();
    let meetings: Vec<&DealFacts> = deals
        .iter()
        .copied()
        .filter(|d| in_period(&d.meeting_held_at))
        .collect();

    let mut by_currency: BTreeMap<String, f64> = BTreeMap::new();
    for d in &stopped {
        if let Some(value) = d.value {
            *by_currency.entry(d.currency.clone()).or_default() += value;
        }
    }
    let stopped_value = match by_currency.len() {
        0 => Some(0.0),
        1 => by_currency.values().next().copied(),
        _ => None,
    };

    let transferred: u32 = signed.iter().map(|d| d.ambiguities_transferred).sum();
    let rework: Vec<_> = handed_off.iter().flat_map(|d| d.rework.iter()).collect();
    let rework_hours: f64 = rework.iter().map(|r| r.hours).sum();
    let rework_cost: f64 = rework.iter().map(|r| r.cost).sum();
    let from_transferred = rework
        .iter()
        .filter(|r| r.from_transferred_ambiguity)
        .count();
    let rework_by_cause = CAUSES
        .iter()
        .map(|cause| {
            let of_cause: Vec<_> = rework.iter().filter(|r| r.cause == *cause).collect();
            CauseFigures {
                cause: *cause,
                entries: count(of_cause.len()),
                hours: of_cause.iter().map(|r| r.hours).sum(),
                cost: of_cause.iter().map(|r| r.cost).sum(),
            }
        })
        .collect();
    let scores: Vec<f64> = satisfied
        .iter()
        .filter_map(|d| d.satisfaction.as_ref().map(|s| f64::from(s.score)))
        .collect();
    let full = meetings.iter().filter(|d| d.full_attendance).count();

    let span = |pick: &Span| {
        let mut behind = vec![];
        let mut days = vec![];
        for d in deals {
            if let (Some(start), Some(end)) = pick(d) {
                if period.holds(Some(end)) {
                    if let Some(n) = days_between(start, end) {
                        // A meeting recorded by its date alone, on the day of the signature,
                        // reads as midnight: the states come in order, so that is zero days.
                        days.push(n.max(0.0));
                        behind.push(d.id.clone());
                    }
                }
            }
        }
        (median(days), behind)
    };
    let (draft_to_ready, draft_to_ready_ids) =
        span(&|d| (d.created_at.as_deref(), d.ready_to_sign_at.as_deref()));
    let (ready_to_signed, ready_to_signed_ids) =
        span(&|d| (d.ready_to_sign_at.as_deref(), d.signed_at.as_deref()));
    let (signed_to_handed_off, signed_to_handed_off_ids) =
        span(&|d| (d.signed_at.as_deref(), d.handed_off_at.as_deref()));

    let ids_of = |list: &[&DealFacts]| list.iter().map(|d| d.id.clone()).collect::<Vec<_>>();
    let handed = count(handed_off.len());
    let rework_entries = count(rework.len());
    #[allow(clippy::cast_precision_loss)] // counts of deals, far below 2^52
    GroupKpis {
        group,
        deals: count(created.len()),
        stopped_at_validation: count(stopped.len()),
        stopped_value,
        stopped_value_by_currency: by_currency,
        signed_deals: count(signed.len()),
        ambiguities_transferred: transferred,
        ambiguities_transferred_per_signed_deal: ratio(f64::from(transferred), count(signed.len())),
        handed_off_deals: handed,
        rework_entries,
        rework_hours,
        rework_cost,
        rework_entries_per_handed_off_deal: ratio(f64::from(rework_entries), handed),
        rework_hours_per_handed_off_deal: ratio(rework_hours, handed),
        rework_cost_per_handed_off_deal: ratio(rework_cost, handed),
        rework_by_cause,
        rework_share_from_transferred_ambiguities: ratio(from_transferred as f64, rework_entries),
        satisfaction_responses: count(scores.len()),
        avg_customer_satisfaction: ratio(scores.iter().sum(), count(scores.len())),
        median_days_draft_to_ready: draft_to_ready,
        median_days_ready_to_signed: ready_to_signed,
        median_days_signed_to_handed_off: signed_to_handed_off,
        meetings_held: count(meetings.len()),
        full_attendance_share: ratio(full as f64, count(meetings.len())),
        library: library_figures(deals, period),
        behind: DealsBehind {
            deals: created,
            stopped: ids_of(&stopped),
            signed: ids_of(&signed),
            handed_off: ids_of(&handed_off),
            satisfaction: ids_of(&satisfied),
            meetings: ids_of(&meetings),
            draft_to_ready: draft_to_ready_ids,
            ready_to_signed: ready_to_signed_ids,
            signed_to_handed_off: signed_to_handed_off_ids,
        },
    }
}

/// Whether anything about this deal happened in the period.
fn active(deal: &DealFacts, period: Period) -> bool {
    [
        &deal.created_at,
        &deal.ready_to_sign_at,
        &deal.stopped_at,
        &deal.signed_at,
        &deal.handed_off_at,
        &deal.meeting_held_at,
    ]
    .into_iter()
    .any(|at| period.holds(at.as_deref()))
        || deal
            .satisfaction
            .as_ref()
            .is_some_and(|s| period.holds(Some(&s.date)))
}

/// The indicators per group, groups in name order. `All` always gives one group, even over an
/// empty period; other groupings list the groups with something in the period.
pub fn compute(deals: &[DealFacts], period: Period, by: GroupBy) -> Vec<GroupKpis> {
    let mut groups: BTreeMap<String, Vec<&DealFacts>> = BTreeMap::new();
    if by == GroupBy::All {
        groups.insert("all".into(), vec![]);
    }
    for deal in deals {
        if by == GroupBy::All || active(deal, period) {
            groups.entry(group_of(deal, by)).or_default().push(deal);
        }
    }
    groups
        .into_iter()
        .map(|(group, members)| indicators(group, &members, period))
        .collect()
}
