//! Co-signature rules (DESIGN §5): who signs, when, what a signature covers, the seal, the
//! amendment, and changes that arrive after signature by merge.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;

use automerge::transaction::Transactable;
use automerge::ReadDoc;
use common::*;
use scopepact_scope::edit::{Actor, CommitmentField, Edit};
use scopepact_scope::interchange::Role;
use scopepact_scope::refusal::{Refusal, SignerRole};
use scopepact_scope::signing::{self, Lapse, SignRequest};
use scopepact_scope::status::Status;
use scopepact_scope::{document, Automerge, ScopeError};
use scopepact_signing::KeyPair;

const DOC_ID: &str = "0193a5b8-7c1e-7000-8000-000000000001";

/// The operational lead as the header names him.
fn jorg_lead() -> Actor {
    Actor {
        email: "j.mueller@pressworks.example".into(),
        // His profile on the meeting-room laptop: an actor of its own.
        automerge_actor: "c0ffee01".into(),
        certificate: None,
        ..person("Jörg Müller", Role::Operational)
    }
}

fn request(role: SignerRole) -> SignRequest {
    SignRequest {
        role,
        name: None,
        email: None,
        statement: String::new(),
        drawing: vec![vec![0.1, 0.5, 0.2, 0.4, 0.3, 0.6]],
    }
}

fn customer() -> SignRequest {
    SignRequest {
        name: Some("Íñigo Fernández".into()),
        email: Some("ifernandez@metanorte.example".into()),
        ..request(SignerRole::Customer)
    }
}

fn sign(
    doc: &mut Automerge,
    by: &Actor,
    key: &KeyPair,
    request: &SignRequest,
) -> Result<(), ScopeError> {
    let model = document::read(doc)?;
    let payload = signing::prepare(
        DOC_ID,
        doc,
        &model,
        by,
        request,
        &key.public_key(),
        "2026-11-24T10:00:00Z",
    )?;
    let signed = key.sign(&payload.to_bytes());
    let record = signing::record(&payload, request.role, request.drawing.clone(), signed);
    document::add_signature(doc, &mut None, DOC_ID, record, request, by)
}

fn refusal(result: Result<(), ScopeError>) -> Refusal {
    match result {
        Err(ScopeError::Refused(refusal)) => refusal,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

struct Keys {
    ana: KeyPair,
    jorg: KeyPair,
}

/// Both leads and the customer (on Ana's laptop) sign.
fn sign_all(doc: &mut Automerge, keys: &Keys) {
    sign(doc, &ana(), &keys.ana, &request(SignerRole::CommercialLead)).unwrap();
    sign(
        doc,
        &jorg_lead(),
        &keys.jorg,
        &request(SignerRole::OperationalLead),
    )
    .unwrap();
    sign(doc, &ana(), &keys.ana, &customer()).unwrap();
}

fn signed() -> (Automerge, Keys) {
    let mut doc = ready_to_sign();
    let keys = Keys {
        ana: KeyPair::generate(),
        jorg: KeyPair::generate(),
    };
    sign(
        &mut doc,
        &ana(),
        &keys.ana,
        &request(SignerRole::CommercialLead),
    )
    .unwrap();
    assert_eq!(status_of(&doc), Status::ReadyToSign, "one of three");
    sign(
        &mut doc,
        &jorg_lead(),
        &keys.jorg,
        &request(SignerRole::OperationalLead),
    )
    .unwrap();
    // The customer signs on Ana's laptop, witnessed by her key.
    sign(&mut doc, &ana(), &keys.ana, &customer()).unwrap();
    (doc, keys)
}

#[test]
fn both_leads_and_the_customer_of_a_significant_deal_sign_and_the_scope_is_sealed() {
    let (mut doc, _) = signed();
    assert_eq!(status_of(&doc), Status::Signed);
    let model = document::read(&doc).unwrap();
    let customer = model
        .signatures
        .values()
        .find(|s| s.role == scopepact_scope::model::SignerRole::Customer)
        .unwrap();
    assert_eq!(customer.witness.as_deref(), Some("Ana Ruiz"));
    assert_eq!(customer.signer, "Íñigo Fernández");
    // Sealed: content edits are refused with the reason.
    let c01 = commitment(&doc, "C-01");
    let edit = Edit::UpdateCommitment {
        id: c01,
        changes: vec![CommitmentField::Price(Some(1.0))],
    };
    assert_eq!(
        refusal(document::apply(&mut doc, &edit, &ana()).map(|_| ())),
        Refusal::Sealed
    );
    assert!(Refusal::Sealed.to_string().contains("start an amendment"));
    // Nothing more to sign.
    assert!(matches!(
        refusal(sign(
            &mut doc,
            &ana(),
            &KeyPair::generate(),
            &request(SignerRole::CommercialLead)
        )),
        Refusal::NotReadyToSign { .. } | Refusal::SignatureNotNeeded { .. }
    ));
}

#[test]
fn an_amendment_needs_a_reason_reopens_the_scope_and_voids_the_signatures() {
    let (mut doc, keys) = signed();
    let empty = Edit::StartAmendment { reason: " ".into() };
    assert!(document::apply(&mut doc, &empty, &jorg_lead()).is_err());
    document::apply(
        &mut doc,
        &Edit::StartAmendment {
            reason: "Customer asked for 24 spm".into(),
        },
        &jorg_lead(),
    )
    .unwrap();
    assert_eq!(status_of(&doc), Status::AmendedAfterSignature);
    // Editable again; the change makes C-01 pending again, then validated again.
    let c01 = commitment(&doc, "C-01");
    document::apply(
        &mut doc,
        &Edit::UpdateCommitment {
            id: c01,
            changes: vec![CommitmentField::Price(Some(930_000.0))],
        },
        &ana(),
    )
    .unwrap();
    validate(
        &mut doc,
        "C-01",
        scopepact_scope::interchange::ValidationStatus::Feasible,
        None,
        &jorg(),
    )
    .unwrap();
    let changes = signing::post_signature_changes(&doc, &document::read(&doc).unwrap()).unwrap();
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0].item, "C-01");
    assert!(changes[0].what.contains(&"price".to_string()));
    // Signed again by all three: sealed again.
    sign_all(&mut doc, &keys);
    assert_eq!(status_of(&doc), Status::Signed);
    // An amendment is only for a sealed scope.
    let mut ready = ready_to_sign();
    assert_eq!(
        refusal(
            document::apply(
                &mut ready,
                &Edit::StartAmendment { reason: "x".into() },
                &ana()
            )
            .map(|_| ())
        ),
        Refusal::NotSealed
    );
}

#[test]
fn only_the_named_leads_sign_and_only_when_the_gate_holds() {
    let key = KeyPair::generate();
    let mut early = sample();
    assert!(matches!(
        refusal(sign(
            &mut early,
            &ana(),
            &key,
            &request(SignerRole::CommercialLead)
        )),
        Refusal::NotReadyToSign {
            status: Status::InValidation
        }
    ));
    let mut doc = ready_to_sign();
    // Jörg's profile with another email is not the operational lead the header names.
    assert!(matches!(
        refusal(sign(
            &mut doc,
            &jorg(),
            &key,
            &request(SignerRole::OperationalLead)
        )),
        Refusal::NotTheNamedLead { .. }
    ));
    // Ana cannot sign for operations, nor the executive for anyone.
    assert!(matches!(
        refusal(sign(
            &mut doc,
            &ana(),
            &key,
            &request(SignerRole::OperationalLead)
        )),
        Refusal::NotTheNamedLead { .. }
    ));
    assert!(matches!(
        refusal(sign(
            &mut doc,
            &carmen(),
            &key,
            &request(SignerRole::CommercialLead)
        )),
        Refusal::NotTheNamedLead { .. }
    ));
    sign(&mut doc, &ana(), &key, &request(SignerRole::CommercialLead)).unwrap();
    assert!(matches!(
        refusal(sign(
            &mut doc,
            &ana(),
            &key,
            &request(SignerRole::CommercialLead)
        )),
        Refusal::SignatureNotNeeded {
            role: SignerRole::CommercialLead
        }
    ));
    // The customer signs with a typed name and a real email.
    let mut nameless = customer();
    nameless.name = Some("  ".into());
    assert!(sign(&mut doc, &ana(), &key, &nameless).is_err());
    let mut bad_email = customer();
    bad_email.email = Some("not-an-email".into());
    assert!(sign(&mut doc, &ana(), &key, &bad_email).is_err());
    let mut wild = customer();
    wild.drawing = vec![vec![0.5, 7.0]];
    assert!(sign(&mut doc, &ana(), &key, &wild).is_err());
}

#[test]
fn a_signature_lapses_when_the_content_changes_and_a_forged_one_never_counts() {
    let mut doc = ready_to_sign();
    let key = KeyPair::generate();
    sign(&mut doc, &ana(), &key, &request(SignerRole::CommercialLead)).unwrap();
    let c04 = commitment(&doc, "C-04");
    document::apply(
        &mut doc,
        &Edit::UpdateCommitment {
            id: c04,
            changes: vec![CommitmentField::Title("Hydraulic unit, 250 bar".into())],
        },
        &ana(),
    )
    .unwrap();
    let model = document::read(&doc).unwrap();
    let lapses = signing::lapses(&model, &signing::content_sha256(&model));
    assert_eq!(
        lapses.values().next().unwrap(),
        &Some(Lapse::ContentChanged)
    );
    assert!(signing::holding(&model).is_empty());

    // A record altered in the document (another signer's name) does not verify.
    let (mut doc, _) = signed();
    let (_, signatures) = doc.get(automerge::ROOT, "signatures").unwrap().unwrap();
    let first = doc
        .map_range(&signatures, ..)
        .next()
        .unwrap()
        .key
        .to_string();
    let (_, record) = doc.get(&signatures, first.as_str()).unwrap().unwrap();
    let mut tx = doc.transaction();
    tx.put(&record, "signer", "Mallory").unwrap();
    tx.commit();
    let model = document::read(&doc).unwrap();
    let lapses = signing::lapses(&model, &signing::content_sha256(&model));
    assert_eq!(lapses.get(&first).unwrap(), &Some(Lapse::Invalid));
    assert_ne!(status_of(&doc), Status::Signed);
}

#[test]
fn changes_made_offline_before_the_seal_arrive_as_post_signature_changes() {
    let mut doc = ready_to_sign();
    let mut offline = doc.fork();
    // Offline, before the seal reached this laptop, Jörg edits C-06's acceptance.
    let c06 = commitment(&offline, "C-06");
    document::apply(
        &mut offline,
        &Edit::UpdateCommitment {
            id: c06,
            changes: vec![CommitmentField::Acceptance(
                "SAT at the customer's plant, 8 h run".into(),
            )],
        },
        &jorg(),
    )
    .unwrap();
    let keys = Keys {
        ana: KeyPair::generate(),
        jorg: KeyPair::generate(),
    };
    sign_all(&mut doc, &keys);
    assert_eq!(status_of(&doc), Status::Signed);
    doc.merge(&mut offline).unwrap();
    assert_eq!(status_of(&doc), Status::AmendedAfterSignature);
    let changes = signing::post_signature_changes(&doc, &document::read(&doc).unwrap()).unwrap();
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0].item, "C-06");
    assert!(changes[0].what.contains(&"acceptance".to_string()));
    // Nothing was dropped: the edit is in the document, and it can be edited (not sealed).
    let c06 = commitment(&doc, "C-06");
    assert!(document::apply(
        &mut doc,
        &Edit::UpdateCommitment {
            id: c06,
            changes: vec![CommitmentField::CostEstimate(Some(1.0))],
        },
        &jorg(),
    )
    .is_ok());
}
