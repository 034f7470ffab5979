//! Each indicator on constructed deals, with the answers worked out by hand in the comments.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use scopepact_kpis::facts::{ReworkFact, SatisfactionFact};
use scopepact_kpis::{compute, to_csv, DealFacts, GroupBy, GroupKpis, Period};
use scopepact_scope::interchange::ReworkCause;
use scopepact_scope::status::Status;

fn deal(id: &str, commercial: &str, operational: &str, customer: &str) -> DealFacts {
    DealFacts {
        id: id.into(),
        title: format!("Deal {id}"),
        customer: customer.into(),
        commercial_lead: commercial.into(),
        operational_lead: operational.into(),
        currency: "EUR".into(),
        ..Default::default()
    }
}

fn rework(date: &str, cause: ReworkCause, cost: f64, hours: f64, transferred: bool) -> ReworkFact {
    ReworkFact {
        date: date.into(),
        cause,
        cost,
        hours,
        from_transferred_ambiguity: transferred,
    }
}

/// Five deals over January–March 2027:
/// - d1 (Ana × Jörg, Metalúrgica Norte): created 01-05, ready 01-15, signed 01-25, handed off
///   02-04 with full attendance; 2 transferred ambiguities; rework: ambiguity (transferred)
///   1000 € 10 h on 02-20, execution 500 € 4 h on 03-01; satisfaction 8 on 03-10.
/// - d2 (Ana × Jörg, Metalúrgica Norte): created 01-10, ready 01-20, signed 01-30 12:00,
///   meeting held 02-10 with the customer missing (not handed off); 1 transferred ambiguity.
/// - d3 (Ana × Piotr, Fundiciones Sur): created 01-12, stopped at validation 01-22, 300,000 €.
/// - d4 (Ana × Piotr, Fundiciones Sur): created 02-01, ready 02-05, signed 02-11, handed off
///   02-21 with full attendance; 0 transferred; rework scope change 2000 € 20 h; satisfaction 6
///   on 03-15.
/// - d5 (Ana × Jörg, Fundiciones Sur): created 03-20, still a draft.
fn deals() -> Vec<DealFacts> {
    let mut d1 = deal("d1", "Ana Ruiz", "Jörg Müller", "Metalúrgica Norte");
    d1.value = Some(1_240_000.0);
    d1.status = Status::Closed;
    d1.created_at = Some("2027-01-05T09:00:00Z".into());
    d1.ready_to_sign_at = Some("2027-01-15T09:00:00Z".into());
    d1.signed_at = Some("2027-01-25T09:00:00Z".into());
    d1.meeting_held_at = Some("2027-02-04T09:00".into());
    d1.handed_off_at = d1.meeting_held_at.clone();
    d1.full_attendance = true;
    d1.ambiguities_transferred = 2;
    d1.rework = vec![
        rework("2027-02-20", ReworkCause::Ambiguity, 1000.0, 10.0, true),
        rework("2027-03-01", ReworkCause::Execution, 500.0, 4.0, false),
    ];
    d1.satisfaction = Some(SatisfactionFact {
        score: 8,
        date: "2027-03-10".into(),
    });

    let mut d2 = deal("d2", "Ana Ruiz", "Jörg Müller", "Metalúrgica Norte");
    d2.status = Status::Signed;
    d2.created_at = Some("2027-01-10T09:00:00Z".into());
    d2.ready_to_sign_at = Some("2027-01-20T09:00:00Z".into());
    d2.signed_at = Some("2027-01-30T21:00:00Z".into());
    d2.meeting_held_at = Some("2027-02-10".into());
    d2.ambiguities_transferred = 1;

    let mut d3 = deal("d3", "Ana Ruiz", "Piotr Wójcik", "Fundiciones Sur");
    d3.value = Some(300_000.0);
    d3.status = Status::StoppedAtValidation;
    d3.created_at = Some("2027-01-12T09:00:00Z".into());
    d3.stopped_at = Some("2027-01-22T09:00:00Z".into());

    let mut d4 = deal("d4", "Ana Ruiz", "Piotr Wójcik", "Fundiciones Sur");
    d4.status = Status::Closed;
    d4.created_at = Some("2027-02-01T09:00:00Z".into());
    d4.ready_to_sign_at = Some("2027-02-05T09:00:00Z".into());
    d4.signed_at = Some("2027-02-11T09:00:00Z".into());
    d4.meeting_held_at = Some("2027-02-21T09:00:00Z".into());
    d4.handed_off_at = d4.meeting_held_at.clone();
    d4.full_attendance = true;
    d4.rework = vec![rework(
        "2027-03-02",
        ReworkCause::ScopeChange,
        2000.0,
        20.0,
        false,
    )];
    d4.satisfaction = Some(SatisfactionFact {
        score: 6,
        date: "2027-03-15".into(),
    });

    let mut d5 = deal("d5", "Ana Ruiz", "Jörg Müller", "Fundiciones Sur");
    d5.created_at = Some("2027-03-20T09:00:00Z".into());
    vec![d1, d2, d3, d4, d5]
}

fn all(period: Period) -> GroupKpis {
    let groups = compute(&deals(), period, GroupBy::All);
    assert_eq!(groups.len(), 1);
    groups.into_iter().next().unwrap()
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-9)
}

#[test]
fn all_time_overall() {
    let k = all(Period::default());
    assert_eq!(k.group, "all");
    assert_eq!(k.deals, 5);
    assert_eq!(k.stopped_at_validation, 1);
    assert_eq!(k.stopped_value, Some(300_000.0));
    // Signed: d1, d2, d4 → transferred 2 + 1 + 0 = 3 over 3 deals.
    assert_eq!(k.signed_deals, 3);
    assert!(close(k.ambiguities_transferred_per_signed_deal, 1.0));
    // Handed off: d1, d4 (d2's customer was missing). Rework: 3 entries, 34 h, 3500 €.
    assert_eq!(k.handed_off_deals, 2);
    assert_eq!(k.rework_entries, 3);
    assert!(close(Some(k.rework_hours), 34.0));
    assert!(close(k.rework_cost_per_handed_off_deal, 1750.0));
    assert!(close(k.rework_hours_per_handed_off_deal, 17.0));
    assert!(close(k.rework_entries_per_handed_off_deal, 1.5));
    let cost_of = |cause: ReworkCause| {
        k.rework_by_cause
            .iter()
            .find(|c| c.cause == cause)
            .unwrap()
            .cost
    };
    assert_eq!(cost_of(ReworkCause::Ambiguity), 1000.0);
    assert_eq!(cost_of(ReworkCause::ScopeChange), 2000.0);
    assert_eq!(cost_of(ReworkCause::Execution), 500.0);
    assert_eq!(cost_of(ReworkCause::Other), 0.0);
    // One entry of three came from a transferred ambiguity.
    assert!(close(
        k.rework_share_from_transferred_ambiguities,
        1.0 / 3.0
    ));
    // Satisfaction (8 + 6) / 2.
    assert!(close(k.avg_customer_satisfaction, 7.0));
    // Draft → ready: d1 10, d2 10, d4 4 days → median 10.
    assert!(close(k.median_days_draft_to_ready, 10.0));
    // Ready → signed: d1 10, d2 10.5, d4 6 → median 10.
    assert!(close(k.median_days_ready_to_signed, 10.0));
    // Signed → handed off: d1 10, d4 10 → 10.
    assert!(close(k.median_days_signed_to_handed_off, 10.0));
    // Meetings held: d1, d2, d4; full attendance on d1 and d4.
    assert_eq!(k.meetings_held, 3);
    assert!(close(k.full_attendance_share, 2.0 / 3.0));
    assert_eq!(k.behind.stopped, vec!["d3"]);
    assert_eq!(k.behind.handed_off, vec!["d1", "d4"]);
    assert_eq!(k.behind.meetings, vec!["d1", "d2", "d4"]);
}

#[test]
fn a_month_counts_only_what_happened_in_it() {
    // February: created d4; signed d4 only; handed off d1 (02-04) and d4 (02-21); meetings d1,
    // d2, d4; no satisfaction; nothing stopped.
    let k = all(Period::new(Some("2027-02-01"), Some("2027-02-28")).unwrap());
    assert_eq!(k.deals, 1);
    assert_eq!(k.behind.deals, vec!["d4"]);
    assert_eq!(k.stopped_at_validation, 0);
    assert_eq!(k.stopped_value, Some(0.0));
    assert_eq!(k.signed_deals, 1);
    assert!(close(k.ambiguities_transferred_per_signed_deal, 0.0));
    assert_eq!(k.handed_off_deals, 2);
    assert!(close(k.rework_cost_per_handed_off_deal, 1750.0));
    assert_eq!(k.satisfaction_responses, 0);
    assert_eq!(k.avg_customer_satisfaction, None);
    // Draft → ready ends in February for d4 only (4 days); ready → signed: d4 (6 days).
    assert!(close(k.median_days_draft_to_ready, 4.0));
    assert!(close(k.median_days_ready_to_signed, 6.0));
    assert!(close(k.full_attendance_share, 2.0 / 3.0));
    // January: d2 signed on 01-30 at 21:00, counted by its written date.
    let jan = all(Period::new(Some("2027-01-01"), Some("2027-01-31")).unwrap());
    assert_eq!(jan.signed_deals, 2);
    assert!(close(jan.ambiguities_transferred_per_signed_deal, 1.5));
    assert!(close(jan.median_days_ready_to_signed, 10.25));
    assert_eq!(jan.stopped_value, Some(300_000.0));
    assert_eq!(jan.meetings_held, 0);
    assert_eq!(jan.full_attendance_share, None);
}

#[test]
fn an_empty_period_gives_zeros_and_no_ratios() {
    let k = all(Period::new(Some("2026-01-01"), Some("2026-12-31")).unwrap());
    assert_eq!(k.deals, 0);
    assert_eq!(k.signed_deals, 0);
    assert_eq!(k.ambiguities_transferred_per_signed_deal, None);
    assert_eq!(k.rework_cost_per_handed_off_deal, None);
    assert_eq!(k.rework_share_from_transferred_ambiguities, None);
    assert_eq!(k.avg_customer_satisfaction, None);
    assert_eq!(k.median_days_draft_to_ready, None);
    assert_eq!(k.full_attendance_share, None);
    let by_pair = compute(
        &deals(),
        Period::new(Some("2026-01-01"), Some("2026-12-31")).unwrap(),
        GroupBy::Pair,
    );
    assert!(by_pair.is_empty());
}

#[test]
fn grouped_by_pair_and_by_customer() {
    let pairs = compute(&deals(), Period::default(), GroupBy::Pair);
    let names: Vec<&str> = pairs.iter().map(|g| g.group.as_str()).collect();
    assert_eq!(names, ["Ana Ruiz × Jörg Müller", "Ana Ruiz × Piotr Wójcik"]);
    // Ana × Jörg: d1, d2, d5. Signed d1, d2 → 3 transferred / 2. Handed off d1: 1500 €.
    let jorg = &pairs[0];
    assert_eq!(jorg.deals, 3);
    assert!(close(jorg.ambiguities_transferred_per_signed_deal, 1.5));
    assert!(close(jorg.rework_cost_per_handed_off_deal, 1500.0));
    assert!(close(jorg.rework_share_from_transferred_ambiguities, 0.5));
    assert!(close(jorg.full_attendance_share, 0.5));
    // Ana × Piotr: d3 stopped (300,000 €), d4 handed off with 2000 € of scope change.
    let piotr = &pairs[1];
    assert_eq!(piotr.stopped_at_validation, 1);
    assert_eq!(piotr.stopped_value, Some(300_000.0));
    assert!(close(piotr.rework_cost_per_handed_off_deal, 2000.0));
    assert!(close(piotr.rework_share_from_transferred_ambiguities, 0.0));
    assert!(close(piotr.avg_customer_satisfaction, 6.0));

    let customers = compute(&deals(), Period::default(), GroupBy::Customer);
    let names: Vec<&str> = customers.iter().map(|g| g.group.as_str()).collect();
    assert_eq!(names, ["Fundiciones Sur", "Metalúrgica Norte"]);
    assert_eq!(customers[0].deals, 3);
    assert_eq!(customers[1].deals, 2);
}

#[test]
fn stopped_values_in_different_currencies_are_not_added() {
    let mut set = deals();
    let mut d6 = deal("d6", "Ana Ruiz", "Piotr Wójcik", "Fundiciones Sur");
    d6.value = Some(50_000.0);
    d6.currency = "USD".into();
    d6.created_at = Some("2027-01-02".into());
    d6.stopped_at = Some("2027-01-03".into());
    set.push(d6);
    let k = &compute(&set, Period::default(), GroupBy::All)[0];
    assert_eq!(k.stopped_at_validation, 2);
    assert_eq!(k.stopped_value, None);
    assert_eq!(k.stopped_value_by_currency["EUR"], 300_000.0);
    assert_eq!(k.stopped_value_by_currency["USD"], 50_000.0);
}

#[test]
fn bad_periods_and_groupings_are_refused() {
    assert!(Period::new(Some("2027-13-01"), None)
        .unwrap_err()
        .to_string()
        .contains("2027-13-01"));
    assert!(Period::new(Some("2027-03-01"), Some("2027-02-01"))
        .unwrap_err()
        .to_string()
        .contains("empty"));
    assert!("team"
        .parse::<GroupBy>()
        .unwrap_err()
        .to_string()
        .contains("pair, customer or all"));
}

#[test]
fn csv_has_a_header_and_one_row_per_group() {
    let csv = to_csv(&compute(&deals(), Period::default(), GroupBy::Customer));
    let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 3);
    assert!(lines[0].starts_with("group,deals,stopped_at_validation,stopped_value,"));
    let header: Vec<&str> = lines[0].split(',').collect();
    let row: Vec<&str> = lines[2].split(',').collect();
    assert_eq!(header.len(), row.len());
    let column = |name: &str| row[header.iter().position(|h| *h == name).unwrap()];
    assert_eq!(row[0], "Metalúrgica Norte");
    assert_eq!(column("deals"), "2");
    assert_eq!(column("rework_cost_per_handed_off_deal"), "1500");
    assert_eq!(column("ambiguities_transferred_per_signed_deal"), "1.5");
    assert_eq!(column("avg_customer_satisfaction"), "8");
    // A name with a comma is quoted.
    let mut set = deals();
    set[0].customer = "Norte, S.A.".into();
    assert!(
        to_csv(&compute(&set, Period::default(), GroupBy::Customer)).contains("\"Norte, S.A.\"")
    );
}

#[test]
fn a_meeting_recorded_by_date_on_the_signing_day_takes_zero_days() {
    let mut d = deal("d", "Ana Ruiz", "Jörg Müller", "Norte");
    d.signed_at = Some("2027-01-25T15:00:00Z".into());
    d.handed_off_at = Some("2027-01-25".into());
    let k = &compute(&[d], Period::default(), GroupBy::All)[0];
    assert_eq!(k.median_days_signed_to_handed_off, Some(0.0));
}

#[test]
fn named_periods_are_months_quarters_and_years() {
    let dates = |name: &str| {
        let p = Period::named(name).unwrap();
        (p.from.unwrap().to_string(), p.to.unwrap().to_string())
    };
    assert_eq!(dates("2027-02"), ("2027-02-01".into(), "2027-02-28".into()));
    assert_eq!(dates("2028-02"), ("2028-02-01".into(), "2028-02-29".into()));
    assert_eq!(dates("2027-Q1"), ("2027-01-01".into(), "2027-03-31".into()));
    assert_eq!(dates("2027-q4"), ("2027-10-01".into(), "2027-12-31".into()));
    assert_eq!(dates("2027"), ("2027-01-01".into(), "2027-12-31".into()));
    for bad in [
        "2027-13",
        "2027-Q5",
        "2027-2",
        "Q1",
        "last month",
        "0",
        "99999",
        "-2027",
        "+2027",
        "2027-+1",
    ] {
        assert!(
            Period::named(bad)
                .unwrap_err()
                .to_string()
                .contains("not a period"),
            "{bad}"
        );
    }
    // February 2027 counts d4's creation, as the same dates given by hand.
    let k = &compute(&deals(), Period::named("2027-02").unwrap(), GroupBy::All)[0];
    assert_eq!(k.behind.deals, vec!["d4"]);
}
