//! After the signature: the transfer meeting hands the scope off only with its mandatory
//! attendance complete; rework and satisfaction come after; none of it touches the signed
//! content.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;

use common::*;
use scopepact_scope::edit::{Actor, AttendeeRole, Edit, ReworkCause};
use scopepact_scope::interchange::Role;
use scopepact_scope::refusal::{Refusal, SignerRole};
use scopepact_scope::signing::{self, SignRequest};
use scopepact_scope::status::Status;
use scopepact_scope::view::DocumentView;
use scopepact_scope::{document, Automerge, ScopeError};
use scopepact_signing::KeyPair;

const DOC_ID: &str = "0193a5b8-7c1e-7000-8000-000000000002";

fn jorg_lead() -> Actor {
    Actor {
        email: "j.mueller@pressworks.example".into(),
        automerge_actor: "c0ffee02".into(),
        certificate: None,
        ..person("Jörg Müller", Role::Operational)
    }
}

fn sign(doc: &mut Automerge, by: &Actor, key: &KeyPair, role: SignerRole, customer: bool) {
    let request = SignRequest {
        role,
        name: customer.then(|| "Íñigo Fernández".to_string()),
        email: customer.then(|| "ifernandez@metanorte.example".to_string()),
        statement: String::new(),
        drawing: vec![],
    };
    let model = document::read(doc).unwrap();
    let payload = signing::prepare(
        DOC_ID,
        doc,
        &model,
        by,
        &request,
        &key.public_key(),
        "2026-11-24T10:00:00Z",
    )
    .unwrap();
    let record = signing::record(&payload, role, vec![], key.sign(&payload.to_bytes()));
    document::add_signature(doc, &mut None, DOC_ID, record, &request, by).unwrap();
}

fn signed() -> Automerge {
    let mut doc = ready_to_sign();
    let (ana_key, jorg_key) = (KeyPair::generate(), KeyPair::generate());
    sign(
        &mut doc,
        &ana(),
        &ana_key,
        SignerRole::CommercialLead,
        false,
    );
    sign(
        &mut doc,
        &jorg_lead(),
        &jorg_key,
        SignerRole::OperationalLead,
        false,
    );
    sign(&mut doc, &ana(), &ana_key, SignerRole::Customer, true);
    assert_eq!(status_of(&doc), Status::Signed);
    doc
}

fn apply(doc: &mut Automerge, edit: Edit) -> Result<Option<String>, ScopeError> {
    document::apply(doc, &edit, &ana()).map(|o| o.created_id)
}

fn attendee(doc: &mut Automerge, name: &str, role: AttendeeRole, present: bool) -> String {
    apply(
        doc,
        Edit::SetAttendee {
            id: None,
            name: name.into(),
            email: String::new(),
            role,
            present,
        },
    )
    .unwrap()
    .unwrap()
}

fn view(doc: &Automerge) -> DocumentView {
    DocumentView::new(DOC_ID, doc, &document::read(doc).unwrap()).unwrap()
}

fn refusal(result: Result<Option<String>, ScopeError>) -> Refusal {
    match result {
        Err(ScopeError::Refused(r)) => r,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn a_meeting_with_the_customer_absent_on_a_significant_deal_does_not_hand_off() {
    let mut doc = signed();
    let content = signing::content_sha256(&document::read(&doc).unwrap());
    apply(
        &mut doc,
        Edit::ScheduleMeeting {
            at: "2026-12-02T09:30".into(),
            place: "Planta Avilés, sala 2".into(),
        },
    )
    .unwrap();
    attendee(&mut doc, "Ana Ruiz", AttendeeRole::CommercialLead, true);
    attendee(&mut doc, "Jörg Müller", AttendeeRole::OperationalLead, true);
    let customer = attendee(&mut doc, "Íñigo Fernández", AttendeeRole::Customer, false);
    apply(
        &mut doc,
        Edit::UpdateMeetingNotes {
            agenda: Some("Scope walk-through; open points; SAT plan".into()),
            minutes: Some("Walked through C-01…C-07. Größe ±0,02 mm confirmed.".into()),
        },
    )
    .unwrap();
    apply(
        &mut doc,
        Edit::AddDecision {
            text: "SAT in week 30".into(),
        },
    )
    .unwrap();
    let action = apply(
        &mut doc,
        Edit::AddActionItem {
            text: "Send die set drawings".into(),
            owner: "Íñigo Fernández".into(),
            due: Some("2026-12-10".into()),
        },
    )
    .unwrap()
    .unwrap();
    apply(
        &mut doc,
        Edit::SetActionDone {
            id: action,
            done: true,
        },
    )
    .unwrap();
    apply(
        &mut doc,
        Edit::RecordMeetingHeld {
            at: "2026-12-02T11:00".into(),
        },
    )
    .unwrap();

    // Held, but the customer was absent: still signed, and the view says who is missing.
    assert_eq!(status_of(&doc), Status::Signed);
    let v = view(&doc);
    assert_eq!(v.meeting.missing, vec![AttendeeRole::Customer]);
    assert_eq!(v.meeting.attendees.len(), 3);
    assert!(v.meeting.actions[0].done);
    assert_eq!(v.meeting.decisions[0].text, "SAT in week 30");

    // Marked present: handed off. The signed content never changed.
    apply(
        &mut doc,
        Edit::SetAttendee {
            id: Some(customer),
            name: "Íñigo Fernández".into(),
            email: "ifernandez@metanorte.example".into(),
            role: AttendeeRole::Customer,
            present: true,
        },
    )
    .unwrap();
    assert_eq!(status_of(&doc), Status::HandedOff);
    let model = document::read(&doc).unwrap();
    assert_eq!(signing::content_sha256(&model), content);
    assert!(signing::sealed(&model));
}

#[test]
fn rework_and_satisfaction_come_after_the_handoff_and_satisfaction_closes() {
    let mut doc = signed();
    let rework_on = |commitment: &str, ambiguity: Option<&str>, cause: ReworkCause, cost: f64| {
        Edit::AddRework {
            date: "2027-02-14".into(),
            commitments: vec![commitment.into()],
            cause,
            ambiguity: ambiguity.map(str::to_string),
            cost: Some(cost),
            hours: Some(36.0),
            description: "Light curtain brackets remade for the new pit".into(),
        }
    };
    let rework =
        |ambiguity: Option<&str>, cause: ReworkCause| rework_on("C-03", ambiguity, cause, 4200.0);
    // Before the handoff: refused with the reason.
    assert!(matches!(
        refusal(apply(
            &mut doc,
            rework(Some("A-02"), ReworkCause::Ambiguity)
        )),
        Refusal::NotHandedOff {
            status: Status::Signed
        }
    ));
    assert!(matches!(
        refusal(apply(
            &mut doc,
            Edit::RecordSatisfaction {
                score: 8,
                comment: String::new(),
                date: "2027-03-01".into()
            }
        )),
        Refusal::NotHandedOff { .. }
    ));
    attendee(&mut doc, "Ana Ruiz", AttendeeRole::CommercialLead, true);
    attendee(&mut doc, "Jörg Müller", AttendeeRole::OperationalLead, true);
    attendee(&mut doc, "Íñigo Fernández", AttendeeRole::Customer, true);
    apply(
        &mut doc,
        Edit::RecordMeetingHeld {
            at: "2026-12-02".into(),
        },
    )
    .unwrap();
    assert_eq!(status_of(&doc), Status::HandedOff);

    // Bad entries are refused with what is wrong.
    for (bad, why) in [
        (rework(None, ReworkCause::Ambiguity), "names it"),
        (rework(Some("A-99"), ReworkCause::Ambiguity), "A-99"),
        (
            rework_on("C-42", None, ReworkCause::Execution, 10.0),
            "C-42",
        ),
        (
            rework_on("C-03", None, ReworkCause::Execution, -1.0),
            "zero or more",
        ),
    ] {
        let err = apply(&mut doc, bad).unwrap_err().to_string();
        assert!(err.contains(why), "{why}: {err}");
    }
    apply(&mut doc, rework(Some("A-02"), ReworkCause::Ambiguity)).unwrap();
    apply(&mut doc, rework(None, ReworkCause::Execution)).unwrap();
    // A wrong entry is taken back.
    let mistaken = apply(&mut doc, rework(None, ReworkCause::Other))
        .unwrap()
        .unwrap();
    apply(&mut doc, Edit::RemoveRework { id: mistaken }).unwrap();
    let v = view(&doc);
    assert_eq!(v.rework.len(), 2);
    assert_eq!(
        v.rework
            .iter()
            .filter(|r| r.ambiguity.as_deref() == Some("A-02"))
            .count(),
        1
    );
    assert!(apply(
        &mut doc,
        Edit::RecordSatisfaction {
            score: 11,
            comment: String::new(),
            date: "2027-03-01".into()
        }
    )
    .is_err());
    apply(
        &mut doc,
        Edit::RecordSatisfaction {
            score: 8,
            comment: "Línea 3 produce a 22 spm.".into(),
            date: "2027-03-01".into(),
        },
    )
    .unwrap();
    assert_eq!(status_of(&doc), Status::Closed);
    assert_eq!(view(&doc).satisfaction.unwrap().score, 8);
}

#[test]
fn the_meeting_is_recorded_on_a_signed_scope_only() {
    let mut doc = ready_to_sign();
    // Scheduling ahead is fine; recording it as held is not, before the signatures.
    apply(
        &mut doc,
        Edit::ScheduleMeeting {
            at: "2026-12-02".into(),
            place: String::new(),
        },
    )
    .unwrap();
    assert!(apply(
        &mut doc,
        Edit::ScheduleMeeting {
            at: "next week".into(),
            place: String::new()
        }
    )
    .is_err());
    assert!(matches!(
        refusal(apply(
            &mut doc,
            Edit::RecordMeetingHeld {
                at: "2026-12-02".into()
            }
        )),
        Refusal::NotSigned {
            status: Status::ReadyToSign
        }
    ));
}

#[test]
fn the_interchange_file_carries_the_meeting_rework_and_satisfaction_outside_the_signed_content() {
    let mut doc = signed();
    let signed_content = signing::content_sha256(&document::read(&doc).unwrap());
    apply(
        &mut doc,
        Edit::ScheduleMeeting {
            at: "2026-12-02T09:30".into(),
            place: "Metalúrgica Norte, sala 2".into(),
        },
    )
    .unwrap();
    attendee(&mut doc, "Ana Ruiz", AttendeeRole::CommercialLead, true);
    attendee(&mut doc, "Jörg Müller", AttendeeRole::OperationalLead, true);
    attendee(&mut doc, "Íñigo Fernández", AttendeeRole::Customer, true);
    apply(
        &mut doc,
        Edit::UpdateMeetingNotes {
            agenda: Some("1. Scope walk-through\n2. Open questions".into()),
            minutes: Some("Light curtain brackets: Jörg confirms the pit depth.".into()),
        },
    )
    .unwrap();
    apply(
        &mut doc,
        Edit::AddDecision {
            text: "FAT moves to week 7".into(),
        },
    )
    .unwrap();
    apply(
        &mut doc,
        Edit::AddActionItem {
            text: "Send the pit drawing".into(),
            owner: "Íñigo Fernández".into(),
            due: Some("2026-12-09".into()),
        },
    )
    .unwrap();
    apply(
        &mut doc,
        Edit::RecordMeetingHeld {
            at: "2026-12-02T11:00".into(),
        },
    )
    .unwrap();
    apply(
        &mut doc,
        Edit::AddRework {
            date: "2027-02-14".into(),
            commitments: vec!["C-03".into()],
            cause: ReworkCause::Ambiguity,
            ambiguity: Some("A-02".into()),
            cost: Some(4200.0),
            hours: Some(36.0),
            description: "Brackets remade".into(),
        },
    )
    .unwrap();
    apply(
        &mut doc,
        Edit::RecordSatisfaction {
            score: 9,
            comment: "Bien.".into(),
            date: "2027-03-01".into(),
        },
    )
    .unwrap();

    // The record is outside the signed content: the signatures still hold.
    let model = document::read(&doc).unwrap();
    assert_eq!(signing::content_sha256(&model), signed_content);
    assert_eq!(status_of(&doc), Status::Closed);

    let file = document::to_file(&doc).unwrap();
    let json = serde_json::to_value(&file).unwrap();
    assert_eq!(json["meeting"]["place"], "Metalúrgica Norte, sala 2");
    assert_eq!(json["meeting"]["held_at"], "2026-12-02T11:00");
    assert_eq!(json["meeting"]["attendees"][2]["role"], "customer");
    assert_eq!(json["meeting"]["attendees"][2]["present"], true);
    assert_eq!(json["meeting"]["decisions"][0], "FAT moves to week 7");
    assert_eq!(json["meeting"]["action_items"][0]["due"], "2026-12-09");
    assert_eq!(json["rework"][0]["ambiguity"], "A-02");
    assert_eq!(json["rework"][0]["cost"], 4200);
    assert_eq!(json["satisfaction"]["score"], 9);

    // It round-trips through the text format and a new document.
    let text = serde_json::to_string_pretty(&file).unwrap();
    let parsed = scopepact_scope::interchange::Document::parse(&text).unwrap();
    let copy = document::from_file(&parsed, &ana()).unwrap();
    assert_eq!(
        serde_json::to_value(document::to_file(&copy).unwrap()).unwrap(),
        json
    );

    // Bad records are refused with their path.
    let mut bad = json.clone();
    bad["rework"][0]["ambiguity"] = "A-77".into();
    let err = scopepact_scope::interchange::Document::parse(&bad.to_string()).unwrap_err();
    assert!(err.to_string().contains("$.rework[0].ambiguity"), "{err}");
    let mut bad = json.clone();
    bad["satisfaction"]["score"] = 11.into();
    let err = scopepact_scope::interchange::Document::parse(&bad.to_string()).unwrap_err();
    assert!(err.to_string().contains("0 to 10"), "{err}");
}

#[test]
fn two_people_taking_minutes_offline_keep_both_and_a_mistaken_item_can_be_taken_back() {
    let mut ana_copy = signed();
    let mut jorg_copy = ana_copy.fork();
    let start = "Attendees: all.\n";
    apply(
        &mut ana_copy,
        Edit::UpdateMeetingNotes {
            agenda: None,
            minutes: Some(start.into()),
        },
    )
    .unwrap();
    jorg_copy.merge(&mut ana_copy.clone()).unwrap();
    apply(
        &mut ana_copy,
        Edit::UpdateMeetingNotes {
            agenda: None,
            minutes: Some(format!("{start}Ana: FAT moves to week 7.\n")),
        },
    )
    .unwrap();
    document::apply(
        &mut jorg_copy,
        &Edit::UpdateMeetingNotes {
            agenda: None,
            minutes: Some(format!("Jörg: pit depth 1.2 m.\n{start}")),
        },
        &jorg_lead(),
    )
    .unwrap();
    ana_copy.merge(&mut jorg_copy).unwrap();
    let minutes = view(&ana_copy).meeting.minutes;
    assert_eq!(
        minutes,
        format!("Jörg: pit depth 1.2 m.\n{start}Ana: FAT moves to week 7.\n")
    );

    let decision = apply(
        &mut ana_copy,
        Edit::AddDecision {
            text: "Wrong deal".into(),
        },
    )
    .unwrap()
    .unwrap();
    apply(
        &mut ana_copy,
        Edit::RemoveMeetingItem {
            id: decision.clone(),
        },
    )
    .unwrap();
    assert!(view(&ana_copy).meeting.decisions.is_empty());
    let err = apply(&mut ana_copy, Edit::RemoveMeetingItem { id: decision })
        .unwrap_err()
        .to_string();
    assert!(err.contains("decision or action item"), "{err}");
}
