//! Shared by the scope tests: the people of the sample deal, the sample, and the steps that make
//! it ready to sign.
#![allow(dead_code)] // each test file uses its own part of it

use scopepact_scope::edit::{Actor, AgreementList, Edit, OverrideGate};
use scopepact_scope::interchange::{Document, Role, ValidationStatus};
use scopepact_scope::lifecycle;
use scopepact_scope::status::Status;
use scopepact_scope::validation::{self, GateCode};
use scopepact_scope::view::DocumentView;
use scopepact_scope::{document, Automerge, ScopeError};

pub const SAMPLE: &str = include_str!("../../../../tests/fixtures/press-line-retrofit.json");

pub fn person(name: &str, role: Role) -> Actor {
    Actor {
        name: name.into(),
        email: format!(
            "{}@pressworks.example",
            name.to_lowercase().replace(' ', ".")
        ),
        role: Some(role),
        device: format!("laptop of {name}"),
        // One actor per person, as the store gives each profile on each device its own.
        automerge_actor: name.bytes().map(|b| format!("{b:02x}")).collect(),
        certificate: None,
    }
}
pub fn ana() -> Actor {
    person("Ana Ruiz", Role::Commercial)
}
pub fn jorg() -> Actor {
    person("Jörg Müller", Role::Operational)
}
pub fn carmen() -> Actor {
    person("Carmen Díaz", Role::Executive)
}

pub fn sample() -> Automerge {
    document::from_file(&Document::parse(SAMPLE).unwrap(), &ana()).unwrap()
}

pub fn view(doc: &Automerge) -> DocumentView {
    DocumentView::new("doc", doc, &document::read(doc).unwrap()).unwrap()
}

pub fn commitment(doc: &Automerge, reference: &str) -> String {
    view(doc)
        .commitments
        .into_iter()
        .find(|c| c.reference == reference)
        .unwrap()
        .id
}
pub fn ambiguity(doc: &Automerge, reference: &str) -> String {
    view(doc)
        .ambiguities
        .into_iter()
        .find(|a| a.reference == reference)
        .unwrap()
        .id
}
pub fn exclusion(doc: &Automerge, number: u32) -> String {
    view(doc)
        .exclusions
        .into_iter()
        .find(|a| a.number == number)
        .unwrap()
        .id
}

pub fn gate(doc: &Automerge) -> Vec<(GateCode, Option<String>)> {
    validation::gate(&document::read(doc).unwrap())
        .into_iter()
        .map(|r| (r.code, r.reference))
        .collect()
}
pub fn status_of(doc: &Automerge) -> Status {
    lifecycle::status(&document::read(doc).unwrap())
}

pub fn validate(
    doc: &mut Automerge,
    reference: &str,
    verdict: ValidationStatus,
    note: Option<&str>,
    by: &Actor,
) -> Result<(), ScopeError> {
    let id = commitment(doc, reference);
    document::apply(
        doc,
        &Edit::ValidateCommitment {
            id,
            verdict,
            note: note.map(str::to_string),
        },
        by,
    )
    .map(|_| ())
}

pub fn refused(result: Result<impl std::fmt::Debug, ScopeError>) -> String {
    match result {
        Err(ScopeError::Refused(refusal)) => refusal.to_string(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

pub fn ready_to_sign() -> Automerge {
    let mut doc = sample();
    for c in ["C-01", "C-04", "C-06", "C-07"] {
        validate(&mut doc, c, ValidationStatus::Feasible, None, &jorg()).unwrap();
    }
    let a1 = ambiguity(&doc, "A-01");
    let a2 = ambiguity(&doc, "A-02");
    document::apply(
        &mut doc,
        &Edit::ResolveAmbiguity {
            id: a1,
            answer: "Drawings arrive on 2 Dec.".into(),
        },
        &ana(),
    )
    .unwrap();
    document::apply(
        &mut doc,
        &Edit::TransferAmbiguity {
            id: a2,
            owner: "Jörg Müller".into(),
            due: "2027-01-15".into(),
        },
        &jorg(),
    )
    .unwrap();
    let e2 = exclusion(&doc, 2);
    document::apply(
        &mut doc,
        &Edit::Agree {
            list: AgreementList::Exclusion,
            id: e2,
        },
        &ana(),
    )
    .unwrap();
    assert_eq!(gate(&doc), vec![(GateCode::MarginBelowThreshold, None)]);
    // Every verdict is in and the economics fail: the toxic yes stops here…
    assert_eq!(status_of(&doc), Status::StoppedAtValidation);
    // …unless the executive takes it, in writing.
    document::apply(
        &mut doc,
        &Edit::Override {
            gate: OverrideGate::Economics,
            reference: None,
            reason: "Strategic account".into(),
        },
        &carmen(),
    )
    .unwrap();
    doc
}
