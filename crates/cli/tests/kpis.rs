//! `scopepact kpis` over real documents in a data directory: a signed deal whose meeting missed
//! the customer, a deal stopped at validation, then the handoff, rework on a transferred
//! ambiguity and the customer's score. Every figure is worked out by hand below.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;

use common::{Env, ANA, JORG, SAMPLE};
use scopepact_scope::edit::{AttendeeRole, Edit, ReworkCause};
use serde_json::Value;

fn kpis(env: &Env, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["kpis", "--json"];
    all.extend_from_slice(args);
    serde_json::from_str(&env.ok(&all)).unwrap()
}

fn edit(env: &Env, id: &str, edit: Edit) {
    let mut ws = scopepact_workspace::Workspace::open(Some(env.data())).unwrap();
    ws.act_as(Some(ANA.into())).unwrap();
    ws.edit(id, &edit).unwrap();
}

fn attendee(env: &Env, id: &str, name: &str, role: AttendeeRole, present: bool, key: &str) {
    edit(
        env,
        id,
        Edit::SetAttendee {
            id: Some(key.into()),
            name: name.into(),
            email: String::new(),
            role,
            present,
        },
    );
}

#[test]
fn indicators_follow_the_deals_through_validation_signature_handoff_and_closing() {
    let env = Env::new().with_sample_team();
    let today = chrono::Utc::now().date_naive().to_string();

    // A deal stopped at validation: 1,240,000 EUR of toxic yes avoided.
    let stopped = env.ok(&["import", SAMPLE]).trim().to_string();
    env.ok(&[
        "--as",
        JORG,
        "validate",
        &stopped,
        "C-02",
        "--verdict",
        "infeasible",
        "--note",
        "The press frame cannot take 800 t",
    ]);

    // A signed deal (A-02 transferred at signature); its meeting is held without the customer.
    let id = env.sample_signed();
    attendee(
        &env,
        &id,
        "Ana Ruiz",
        AttendeeRole::CommercialLead,
        true,
        "a",
    );
    attendee(
        &env,
        &id,
        "Jörg Müller",
        AttendeeRole::OperationalLead,
        true,
        "j",
    );
    attendee(
        &env,
        &id,
        "Íñigo Fernández",
        AttendeeRole::Customer,
        false,
        "i",
    );
    edit(&env, &id, Edit::RecordMeetingHeld { at: today.clone() });

    let k = &kpis(&env, &[])[0];
    assert_eq!(k["group"], "all");
    assert_eq!(k["deals"], 2);
    assert_eq!(k["stopped_at_validation"], 1);
    assert_eq!(k["stopped_value"], 1_240_000.0);
    assert_eq!(k["signed_deals"], 1);
    // The signed sample transferred one ambiguity.
    assert_eq!(k["ambiguities_transferred_per_signed_deal"], 1.0);
    assert_eq!(k["handed_off_deals"], 0);
    assert_eq!(k["rework_cost_per_handed_off_deal"], Value::Null);
    assert_eq!(k["meetings_held"], 1);
    assert_eq!(k["full_attendance_share"], 0.0);
    assert_eq!(k["avg_customer_satisfaction"], Value::Null);
    assert_eq!(k["behind"]["stopped"][0], stopped.as_str());

    // The customer was there after all: handed off. Rework on the transferred A-02 and on
    // execution, then the customer's 7 closes it.
    attendee(
        &env,
        &id,
        "Íñigo Fernández",
        AttendeeRole::Customer,
        true,
        "i",
    );
    for (cause, ambiguity, cost, hours) in [
        (ReworkCause::Ambiguity, Some("A-02"), 3000.0, 24.0),
        (ReworkCause::Execution, None, 1000.0, 8.0),
    ] {
        edit(
            &env,
            &id,
            Edit::AddRework {
                date: today.clone(),
                commitments: vec!["C-03".into()],
                cause,
                ambiguity: ambiguity.map(String::from),
                cost: Some(cost),
                hours: Some(hours),
                description: "Brackets remade".into(),
            },
        );
    }
    edit(
        &env,
        &id,
        Edit::RecordSatisfaction {
            score: 7,
            comment: String::new(),
            date: today.clone(),
        },
    );
    let status: Value = serde_json::from_str(&env.ok(&["status", &id, "--json"])).unwrap();
    assert_eq!(status["status"], "closed");

    let k = &kpis(&env, &["--from", &today, "--to", &today])[0];
    assert_eq!(k["handed_off_deals"], 1);
    assert_eq!(k["rework_entries"], 2);
    assert_eq!(k["rework_cost_per_handed_off_deal"], 4000.0);
    assert_eq!(k["rework_hours_per_handed_off_deal"], 32.0);
    assert_eq!(k["rework_share_from_transferred_ambiguities"], 0.5);
    assert_eq!(k["avg_customer_satisfaction"], 7.0);
    assert_eq!(k["full_attendance_share"], 1.0);
    assert_eq!(k["behind"]["handed_off"][0], id.as_str());
    // All of it happened today: every cycle time is under a day.
    for span in [
        "median_days_draft_to_ready",
        "median_days_ready_to_signed",
        "median_days_signed_to_handed_off",
    ] {
        let days = k[span].as_f64().unwrap();
        assert!((0.0..1.0).contains(&days), "{span}: {days}");
    }

    // By pair: both deals belong to Ana × Jörg.
    let pairs = kpis(&env, &["--by", "pair"]);
    assert_eq!(pairs.len(), 1);
    assert_eq!(pairs[0]["group"], "Ana Ruiz × Jörg Müller");
    assert_eq!(pairs[0]["deals"], 2);
    let customers = kpis(&env, &["--by", "customer"]);
    assert_eq!(customers[0]["group"], "Metalúrgica del Norte S.A.");

    // An empty period: one overall group with zeros and no ratios; no pairs at all.
    let empty = &kpis(&env, &["--from", "2020-01-01", "--to", "2020-12-31"])[0];
    assert_eq!(empty["deals"], 0);
    assert_eq!(
        empty["ambiguities_transferred_per_signed_deal"],
        Value::Null
    );
    assert!(kpis(&env, &["--by", "pair", "--to", "2020-12-31"]).is_empty());

    // CSV and the report for people.
    let csv = env.ok(&["kpis", "--csv", "--by", "customer"]);
    assert!(csv.starts_with("group,deals,"), "{csv}");
    assert!(
        csv.contains("Metalúrgica del Norte S.A.,2,1,1240000,"),
        "{csv}"
    );
    let report = env.ok(&["kpis"]);
    assert!(report.contains("stopped at validation"), "{report}");
    assert!(report.contains("100 % of 1 held"), "{report}");
}

#[test]
fn bad_periods_and_groupings_are_refused_with_the_reason() {
    let env = Env::new();
    assert!(env
        .fails(&["kpis", "--from", "2027-02-30"])
        .contains("\"2027-02-30\" is not a date"));
    assert!(env
        .fails(&["kpis", "--from", "2027-03-01", "--to", "2027-02-01"])
        .contains("the period is empty"));
    assert!(env
        .fails(&["kpis", "--by", "region"])
        .contains("use pair, customer or all"));
    assert!(env
        .fails(&["kpis", "--period", "2027-Q5"])
        .contains("is not a period"));
    let empty: Vec<serde_json::Value> =
        serde_json::from_str(&env.ok(&["kpis", "--period", "2027-Q1", "--json"])).unwrap();
    assert_eq!(empty[0]["deals"], 0);
}

/// The handoff from the command line alone, as an ERP or a meeting script would drive it.
#[test]
fn a_deal_is_handed_off_reworked_and_closed_from_the_command_line() {
    let env = Env::new().with_sample_team();
    let unsigned = env.ok(&["import", SAMPLE]).trim().to_string();
    let err = env.fails(&["meeting", "held", &unsigned]);
    assert!(err.contains("hands over a signed scope"), "{err}");

    let id = env.sample_signed();
    env.ok(&[
        "meeting",
        "schedule",
        &id,
        "--at",
        "2026-12-03T09:30",
        "--place",
        "Avilés",
    ]);
    for (name, email, role) in [
        ("Ana Ruiz", ANA, "commercial-lead"),
        ("Jörg Müller", JORG, "operational-lead"),
        (
            "Íñigo Fernández",
            "ifernandez@metanorte.example",
            "customer",
        ),
    ] {
        let made: Value = serde_json::from_str(&env.ok(&[
            "meeting", "attend", &id, "--name", name, "--email", email, "--role", role, "--json",
        ]))
        .unwrap();
        assert!(!made["id"].as_str().unwrap().is_empty(), "{made}");
    }
    // Marking the same person again updates them: still three attendees.
    env.ok(&[
        "meeting",
        "attend",
        &id,
        "--name",
        "Jörg Müller",
        "--email",
        JORG,
        "--role",
        "operational-lead",
    ]);
    let decision = env.ok(&["meeting", "decision", &id, "Commissioning in week 7"]);
    assert!(!decision.trim().is_empty());
    env.ok(&[
        "meeting",
        "action",
        &id,
        "Send die drawings",
        "--owner",
        "Ana Ruiz",
        "--due",
        "2026-12-10",
    ]);
    let err = env.fails(&[
        "rework",
        "add",
        &id,
        "--cause",
        "execution",
        "--description",
        "Too early",
    ]);
    assert!(err.contains("after the handoff"), "{err}");

    env.ok(&["meeting", "held", &id, "--at", "2026-12-03T11:00"]);
    let status: Value = serde_json::from_str(&env.ok(&["status", &id, "--json"])).unwrap();
    assert_eq!(status["status"], "handed_off");

    // The same rule as the app: an ambiguity cause names an ambiguity of this scope.
    let err = env.fails(&[
        "rework",
        "add",
        &id,
        "--cause",
        "ambiguity",
        "--ambiguity",
        "A-09",
        "--description",
        "Brackets remade",
    ]);
    assert!(err.contains("no ambiguity A-09"), "{err}");
    let added: Value = serde_json::from_str(&env.ok(&[
        "rework",
        "add",
        &id,
        "--cause",
        "ambiguity",
        "--ambiguity",
        "A-02",
        "--commitment",
        "C-03",
        "--cost",
        "3000",
        "--hours",
        "24",
        "--description",
        "Brackets remade",
        "--json",
    ]))
    .unwrap();
    assert_eq!(added["status"], "handed_off");
    let mistaken = env.ok(&[
        "rework",
        "add",
        &id,
        "--cause",
        "other",
        "--cost",
        "1",
        "--description",
        "Typo",
    ]);
    env.ok(&["rework", "remove", &id, mistaken.trim()]);
    let err = env.fails(&["satisfaction", "set", &id, "11"]);
    assert!(err.contains("score"), "{err}");
    env.ok(&[
        "satisfaction",
        "set",
        &id,
        "8",
        "--comment",
        "Clear handoff",
    ]);

    let view: Value = serde_json::from_str(&env.ok(&["export", &id])).unwrap();
    assert_eq!(view["meeting"]["attendees"].as_array().unwrap().len(), 3);
    assert_eq!(view["meeting"]["place"], "Avilés");
    assert_eq!(view["rework"].as_array().unwrap().len(), 1);
    let k = &kpis(&env, &[])[0];
    assert_eq!(k["handed_off_deals"], 1);
    assert_eq!(k["rework_entries"], 1);
    assert_eq!(k["rework_cost_per_handed_off_deal"], 3000.0);
    assert_eq!(k["avg_customer_satisfaction"], 8.0);
    assert_eq!(k["full_attendance_share"], 1.0);
    let status: Value = serde_json::from_str(&env.ok(&["status", &id, "--json"])).unwrap();
    assert_eq!(status["status"], "closed");
}
