//! Every gate rule and role rule of DESIGN §4, positive and negative, through the public API:
//! the same calls the app and the CLI make.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use scopepact_scope::edit::{Actor, AgreementList, Edit, OverrideGate};
use scopepact_scope::interchange::{Document, Role, Severity, ValidationStatus};
use scopepact_scope::status::Status;
use scopepact_scope::validation::{self, GateCode};
use scopepact_scope::{conflicts, document, history, Automerge, ScopeError};

mod common;

use common::*;

#[test]
fn only_an_operational_profile_validates() {
    let mut doc = sample();
    let before = doc.get_heads();
    let message = refused(validate(
        &mut doc,
        "C-01",
        ValidationStatus::Feasible,
        None,
        &ana(),
    ));
    assert!(message.contains("only an operational profile"), "{message}");
    refused(validate(
        &mut doc,
        "C-01",
        ValidationStatus::Feasible,
        None,
        &carmen(),
    ));
    assert_eq!(doc.get_heads(), before, "a refused action writes nothing");

    validate(&mut doc, "C-01", ValidationStatus::Feasible, None, &jorg()).unwrap();
    assert!(!gate(&doc).contains(&(GateCode::ValidationPending, Some("C-01".into()))));
    let c1 = view(&doc)
        .commitments
        .into_iter()
        .find(|c| c.reference == "C-01")
        .unwrap();
    assert_eq!(c1.validation.status, ValidationStatus::Feasible);
    assert_eq!(c1.validation.by.as_deref(), Some("Jörg Müller"));
}

#[test]
fn conditional_needs_a_condition_and_infeasible_a_reason() {
    let mut doc = sample();
    assert!(matches!(
        validate(
            &mut doc,
            "C-04",
            ValidationStatus::Conditional,
            Some("  "),
            &jorg()
        ),
        Err(ScopeError::InvalidValue { .. })
    ));
    assert!(matches!(
        validate(
            &mut doc,
            "C-04",
            ValidationStatus::Infeasible,
            None,
            &jorg()
        ),
        Err(ScopeError::InvalidValue { .. })
    ));
    validate(
        &mut doc,
        "C-04",
        ValidationStatus::Conditional,
        Some("Customer supplies the pit drawings by week 2"),
        &jorg(),
    )
    .unwrap();
    assert!(!gate(&doc).contains(&(GateCode::ValidationPending, Some("C-04".into()))));
    validate(
        &mut doc,
        "C-06",
        ValidationStatus::Infeasible,
        Some("No 4 h slot in the SAT plan"),
        &jorg(),
    )
    .unwrap();
    assert!(gate(&doc).contains(&(GateCode::CommitmentInfeasible, Some("C-06".into()))));
    assert_eq!(status_of(&doc), Status::StoppedAtValidation);
}

#[test]
fn changing_a_validated_commitment_makes_it_pending_with_what_changed() {
    let mut doc = sample();
    validate(&mut doc, "C-01", ValidationStatus::Feasible, None, &jorg()).unwrap();
    let id = commitment(&doc, "C-01");
    // Moving it is not a change of content.
    document::apply(
        &mut doc,
        &Edit::MoveCommitment {
            id: id.clone(),
            to_index: 3,
        },
        &ana(),
    )
    .unwrap();
    assert!(!gate(&doc).contains(&(GateCode::ValidationPending, Some("C-01".into()))));

    document::apply(
        &mut doc,
        &Edit::UpdateCommitment {
            id,
            changes: vec![scopepact_scope::edit::CommitmentField::Price(Some(
                950_000.0,
            ))],
        },
        &ana(),
    )
    .unwrap();
    let reasons = validation::gate(&document::read(&doc).unwrap());
    let reason = reasons
        .iter()
        .find(|r| r.reference.as_deref() == Some("C-01"))
        .unwrap();
    assert_eq!(reason.code, GateCode::ValidationPending);
    assert!(
        reason
            .message
            .contains("changed since it was validated (price)"),
        "{}",
        reason.message
    );
    let c1 = view(&doc)
        .commitments
        .into_iter()
        .find(|c| c.reference == "C-01")
        .unwrap();
    assert_eq!(c1.validation.status, ValidationStatus::Pending);
    assert_eq!(c1.validation.lapsed, Some(ValidationStatus::Feasible));
    assert_eq!(c1.validation.changed_since, ["price"]);
    // The export says pending too: the verdict was for other content.
    let file = document::to_file(&doc).unwrap();
    let exported = file
        .commitments
        .iter()
        .find(|c| c.reference == "C-01")
        .unwrap();
    assert_eq!(exported.validation.status, ValidationStatus::Pending);
}

#[test]
fn a_content_change_made_offline_elsewhere_also_voids_the_verdict_after_merge() {
    let mut ops = sample();
    let mut sales = ops.fork();
    validate(&mut ops, "C-02", ValidationStatus::Feasible, None, &jorg()).unwrap();
    let id = commitment(&sales, "C-02");
    document::apply(
        &mut sales,
        &Edit::UpdateCommitment {
            id,
            changes: vec![scopepact_scope::edit::CommitmentField::Title(
                "Light curtains, category 4".into(),
            )],
        },
        &ana(),
    )
    .unwrap();
    ops.merge(&mut sales).unwrap();
    assert!(gate(&ops).contains(&(GateCode::ValidationPending, Some("C-02".into()))));
}

#[test]
fn ambiguities_resolve_with_an_answer_and_only_non_blocking_ones_transfer() {
    let mut doc = sample();
    let a1 = ambiguity(&doc, "A-01");
    let a2 = ambiguity(&doc, "A-02");
    let message = refused(document::apply(
        &mut doc,
        &Edit::TransferAmbiguity {
            id: a1.clone(),
            owner: "Ana Ruiz".into(),
            due: "2026-12-10".into(),
        },
        &ana(),
    ));
    assert!(message.contains("blocking"), "{message}");
    assert!(document::apply(
        &mut doc,
        &Edit::ResolveAmbiguity {
            id: a1.clone(),
            answer: " ".into()
        },
        &ana()
    )
    .is_err());
    document::apply(
        &mut doc,
        &Edit::ResolveAmbiguity {
            id: a1,
            answer: "Drawings arrive on 2 Dec.".into(),
        },
        &ana(),
    )
    .unwrap();
    assert!(!gate(&doc).iter().any(|(_, r)| r.as_deref() == Some("A-01")));

    // A transfer needs an owner and a real due date.
    assert!(document::apply(
        &mut doc,
        &Edit::TransferAmbiguity {
            id: a2.clone(),
            owner: "".into(),
            due: "2027-01-15".into()
        },
        &jorg()
    )
    .is_err());
    assert!(document::apply(
        &mut doc,
        &Edit::TransferAmbiguity {
            id: a2.clone(),
            owner: "Jörg".into(),
            due: "15/01/2027".into()
        },
        &jorg()
    )
    .is_err());
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
    assert!(!gate(&doc).iter().any(|(_, r)| r.as_deref() == Some("A-02")));

    // A new ambiguity must link to existing commitments; it gets the next ref.
    assert!(document::apply(
        &mut doc,
        &Edit::AddAmbiguity {
            question: "Paint colour?".into(),
            severity: Severity::NonBlocking,
            commitments: vec!["C-42".into()]
        },
        &ana()
    )
    .is_err());
    document::apply(
        &mut doc,
        &Edit::AddAmbiguity {
            question: "Paint colour?".into(),
            severity: Severity::Blocking,
            commitments: vec!["C-01".into()],
        },
        &ana(),
    )
    .unwrap();
    assert!(gate(&doc).contains(&(GateCode::BlockingAmbiguityOpen, Some("A-04".into()))));
    let a4 = view(&doc)
        .ambiguities
        .into_iter()
        .find(|a| a.reference == "A-04")
        .unwrap();
    assert_eq!(a4.raised_by, "Ana Ruiz");
}

#[test]
fn agreement_comes_from_the_other_side_and_covers_the_text_agreed() {
    let mut doc = sample();
    let e2 = exclusion(&doc, 2); // written by operations
    let message = refused(document::apply(
        &mut doc,
        &Edit::Agree {
            list: AgreementList::Exclusion,
            id: e2.clone(),
        },
        &jorg(),
    ));
    assert!(message.contains("other side"), "{message}");
    refused(document::apply(
        &mut doc,
        &Edit::Agree {
            list: AgreementList::Exclusion,
            id: e2.clone(),
        },
        &carmen(),
    ));
    document::apply(
        &mut doc,
        &Edit::Agree {
            list: AgreementList::Exclusion,
            id: e2.clone(),
        },
        &ana(),
    )
    .unwrap();
    assert!(!gate(&doc)
        .iter()
        .any(|(code, _)| *code == GateCode::ExclusionNotAgreed));
    let agreed = view(&doc)
        .exclusions
        .into_iter()
        .find(|e| e.number == 2)
        .unwrap();
    assert_eq!(agreed.agreed_by_name.as_deref(), Some("Ana Ruiz"));

    // Rewording makes the writer the author and needs the other side again.
    document::apply(
        &mut doc,
        &Edit::UpdateAgreement {
            list: AgreementList::Exclusion,
            id: e2.clone(),
            text: "Any change to the transfer system.".into(),
        },
        &ana(),
    )
    .unwrap();
    assert!(gate(&doc).contains(&(GateCode::ExclusionNotAgreed, Some("2".into()))));
    refused(document::apply(
        &mut doc,
        &Edit::Agree {
            list: AgreementList::Exclusion,
            id: e2.clone(),
        },
        &ana(),
    ));
    document::apply(
        &mut doc,
        &Edit::Agree {
            list: AgreementList::Exclusion,
            id: e2,
        },
        &jorg(),
    )
    .unwrap();
    assert!(!gate(&doc)
        .iter()
        .any(|(code, _)| *code == GateCode::ExclusionNotAgreed));

    // New assumptions start unagreed; an executive does not write them.
    refused(document::apply(
        &mut doc,
        &Edit::AddAgreement {
            list: AgreementList::Assumption,
            text: "Crane on site".into(),
        },
        &carmen(),
    ));
    document::apply(
        &mut doc,
        &Edit::AddAgreement {
            list: AgreementList::Assumption,
            text: "Crane on site".into(),
        },
        &jorg(),
    )
    .unwrap();
    let n = view(&doc).assumptions.len().to_string();
    assert!(gate(&doc).contains(&(GateCode::AssumptionNotAgreed, Some(n))));
}

#[test]
fn only_an_executive_overrides_and_an_override_covers_the_figures_it_saw() {
    let mut doc = sample();
    let economics = Edit::Override {
        gate: OverrideGate::Economics,
        reference: None,
        reason: "Strategic account: opens the Asturias plant".into(),
    };
    refused(document::apply(&mut doc, &economics, &ana()));
    refused(document::apply(&mut doc, &economics, &jorg()));
    assert!(document::apply(
        &mut doc,
        &Edit::Override {
            gate: OverrideGate::Economics,
            reference: None,
            reason: "  ".into()
        },
        &carmen()
    )
    .is_err());
    document::apply(&mut doc, &economics, &carmen()).unwrap();
    assert!(!gate(&doc)
        .iter()
        .any(|(code, _)| *code == GateCode::MarginBelowThreshold));
    assert_eq!(view(&doc).overrides[0].by, "Carmen Díaz");

    // The cost rises after the override: the override does not cover the new figures.
    let c5 = commitment(&doc, "C-05");
    document::apply(
        &mut doc,
        &Edit::UpdateCommitment {
            id: c5,
            changes: vec![scopepact_scope::edit::CommitmentField::CostEstimate(Some(
                99_000.0,
            ))],
        },
        &jorg(),
    )
    .unwrap();
    let reasons = validation::gate(&document::read(&doc).unwrap());
    let margin = reasons
        .iter()
        .find(|r| r.code == GateCode::MarginBelowThreshold)
        .unwrap();
    assert!(
        margin.message.contains("a new override is needed"),
        "{}",
        margin.message
    );

    // Blocking ambiguities only; the economics must fail to be overridden.
    refused(document::apply(
        &mut doc,
        &Edit::Override {
            gate: OverrideGate::Ambiguity,
            reference: Some("A-02".into()),
            reason: "ok".into(),
        },
        &carmen(),
    ));
    document::apply(
        &mut doc,
        &Edit::Override {
            gate: OverrideGate::Ambiguity,
            reference: Some("A-01".into()),
            reason: "Risk accepted; civil data by SAT-8w".into(),
        },
        &carmen(),
    )
    .unwrap();
    assert!(!gate(&doc).iter().any(|(_, r)| r.as_deref() == Some("A-01")));
    let mut healthy = sample();
    let c1 = commitment(&healthy, "C-01");
    document::apply(
        &mut healthy,
        &Edit::UpdateCommitment {
            id: c1,
            changes: vec![scopepact_scope::edit::CommitmentField::CostEstimate(Some(
                600_000.0,
            ))],
        },
        &jorg(),
    )
    .unwrap();
    refused(document::apply(&mut healthy, &economics, &carmen()));
}

/// The sample, taken through every condition of the gate to ready to sign.

#[test]
fn meeting_every_condition_makes_the_document_ready_to_sign() {
    let doc = ready_to_sign();
    assert_eq!(gate(&doc), vec![]);
    assert_eq!(status_of(&doc), Status::ReadyToSign);
    // Overrides, agreements and verdicts travel in the interchange format.
    let file = document::to_file(&doc).unwrap();
    let again = document::from_file(&file, &ana()).unwrap();
    assert_eq!(status_of(&again), Status::ReadyToSign);
    assert_eq!(document::to_file(&again).unwrap(), file);
}

#[test]
fn without_a_profile_nothing_but_import_is_allowed() {
    let nobody = Actor {
        name: "".into(),
        email: "".into(),
        role: None,
        device: "ci".into(),
        automerge_actor: String::new(),
        certificate: None,
    };
    let mut doc = document::from_file(&Document::parse(SAMPLE).unwrap(), &nobody).unwrap();
    let id = commitment(&doc, "C-01");
    refused(document::apply(
        &mut doc,
        &Edit::DeleteCommitment { id },
        &nobody,
    ));
    assert!(matches!(
        document::new_document("x", &nobody),
        Err(ScopeError::Refused(_))
    ));
}

#[test]
fn concurrent_edits_of_one_field_are_listed_with_their_authors_until_someone_chooses() {
    let mut a = sample();
    let mut b = a.fork();
    let id = commitment(&a, "C-03");
    let title = |t: &str| Edit::UpdateCommitment {
        id: id.clone(),
        changes: vec![scopepact_scope::edit::CommitmentField::Title(t.into())],
    };
    document::apply(&mut a, &title("Die change in 8 min"), &ana()).unwrap();
    document::apply(&mut b, &title("Die change in 10 min"), &jorg()).unwrap();
    a.merge(&mut b).unwrap();
    // Other edits, even of the same commitment, leave the conflict for the team to settle.
    document::apply(
        &mut a,
        &Edit::UpdateCommitment {
            id: id.clone(),
            changes: vec![scopepact_scope::edit::CommitmentField::Unit(
                "changeover".into(),
            )],
        },
        &ana(),
    )
    .unwrap();
    validate(&mut a, "C-05", ValidationStatus::Feasible, None, &jorg()).unwrap();

    let found = conflicts::conflicts(&a, &document::read(&a).unwrap()).unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    let conflict = &found[0];
    assert_eq!(
        (conflict.item.as_str(), conflict.field.as_str()),
        ("C-03", "title")
    );
    let mut values: Vec<(String, String)> = conflict
        .candidates
        .iter()
        .map(|c| (c.value.clone(), c.by.clone()))
        .collect();
    values.sort();
    assert_eq!(
        values,
        [
            (
                "Die change in 10 min".to_string(),
                "Jörg Müller".to_string()
            ),
            ("Die change in 8 min".to_string(), "Ana Ruiz".to_string())
        ]
    );
    assert_eq!(conflict.candidates.iter().filter(|c| c.shown).count(), 1);

    let jorgs = conflict
        .candidates
        .iter()
        .find(|c| c.by == "Jörg Müller")
        .unwrap()
        .id
        .clone();
    document::apply(
        &mut a,
        &Edit::ResolveConflict {
            path: conflict.path.clone(),
            choice: jorgs,
        },
        &ana(),
    )
    .unwrap();
    assert!(conflicts::conflicts(&a, &document::read(&a).unwrap())
        .unwrap()
        .is_empty());
    assert_eq!(
        view(&a)
            .commitments
            .iter()
            .find(|c| c.reference == "C-03")
            .unwrap()
            .title,
        "Die change in 10 min"
    );
    // The other replica takes the choice when it merges back.
    b.merge(&mut a).unwrap();
    assert!(conflicts::conflicts(&b, &document::read(&b).unwrap())
        .unwrap()
        .is_empty());
    assert!(document::apply(
        &mut a,
        &Edit::ResolveConflict {
            path: conflict.path.clone(),
            choice: "1@ab".into()
        },
        &ana()
    )
    .is_err());
}

#[test]
fn history_says_who_changed_what_on_which_device() {
    let mut doc = sample();
    let id = commitment(&doc, "C-01");
    document::apply(
        &mut doc,
        &Edit::UpdateCommitment {
            id: id.clone(),
            changes: vec![scopepact_scope::edit::CommitmentField::Price(Some(
                920_000.0,
            ))],
        },
        &ana(),
    )
    .unwrap();
    validate(&mut doc, "C-01", ValidationStatus::Feasible, None, &jorg()).unwrap();
    // An unrelated edit does not show up in C-01's history.
    let c2 = commitment(&doc, "C-02");
    document::apply(
        &mut doc,
        &Edit::UpdateCommitment {
            id: c2,
            changes: vec![scopepact_scope::edit::CommitmentField::Unit("set".into())],
        },
        &ana(),
    )
    .unwrap();

    let entries = history::item_history(&doc, &document::read(&doc).unwrap(), &id);
    let summary: Vec<(String, String, Vec<String>)> = entries
        .iter()
        .map(|e| (e.action.clone(), e.by.clone(), e.fields.clone()))
        .collect();
    assert_eq!(
        summary,
        vec![
            (
                "import".to_string(),
                "Ana Ruiz".to_string(),
                vec!["created".to_string()]
            ),
            (
                "update_commitment".to_string(),
                "Ana Ruiz".to_string(),
                vec!["price".to_string()]
            ),
            (
                "validate_commitment".to_string(),
                "Jörg Müller".to_string(),
                vec!["validation".to_string()]
            ),
        ]
    );
    assert_eq!(entries[2].device, "laptop of Jörg Müller");
    assert_eq!(entries[2].role, Some(Role::Operational));
}

#[test]
fn the_description_of_a_new_commitment_is_kept() {
    let mut doc = document::new_document("Línea 3", &ana()).unwrap();
    let created = document::apply(
        &mut doc,
        &Edit::AddCommitment {
            title: "Größe Ñandú ±0.02 mm".into(),
            kind: scopepact_scope::interchange::CommitmentKind::Product,
            after: None,
        },
        &ana(),
    )
    .unwrap()
    .created_id
    .unwrap();
    for text in ["", "Spindel mit Übergröße; tolerancia ±0,02 mm"] {
        document::apply(
            &mut doc,
            &Edit::UpdateCommitment {
                id: created.clone(),
                changes: vec![scopepact_scope::edit::CommitmentField::Description(
                    text.into(),
                )],
            },
            &ana(),
        )
        .unwrap();
    }
    document::apply(
        &mut doc,
        &Edit::UpdateCommitment {
            id: created.clone(),
            changes: vec![scopepact_scope::edit::CommitmentField::Price(Some(
                18_500.0,
            ))],
        },
        &ana(),
    )
    .unwrap();
    let reloaded = Automerge::load(&doc.save()).unwrap();
    let c = view(&reloaded).commitments.into_iter().next().unwrap();
    assert_eq!(c.description, "Spindel mit Übergröße; tolerancia ±0,02 mm");
}

#[test]
fn a_deal_departing_from_the_company_thresholds_says_why_and_its_value_can_make_it_significant() {
    use scopepact_scope::edit::{CompanyThresholds, HeaderField};
    let mut doc = ready_to_sign();
    let header = |changes: Vec<HeaderField>| Edit::UpdateHeader { changes };
    let unexplained = |doc: &Automerge| {
        gate(doc)
            .iter()
            .any(|(code, _)| *code == GateCode::ThresholdOverrideUnexplained)
    };
    // The sample's own thresholds: no company record, nothing to depart from.
    assert!(!unexplained(&doc));
    let value = view(&doc).deal.value.unwrap();
    let pct = view(&doc).deal.margin_threshold_pct;
    document::apply(
        &mut doc,
        &header(vec![
            HeaderField::CompanyThresholds(CompanyThresholds {
                significant_value: Some(value * 2.0),
                min_margin_pct: pct,
            }),
            HeaderField::SignificantValue(Some(value * 2.0)),
            HeaderField::Significant(false),
        ]),
        &ana(),
    )
    .unwrap();
    assert!(!unexplained(&doc));
    assert!(!view(&doc).deal.significant_by_value);
    assert_eq!(status_of(&doc), Status::ReadyToSign);

    // Lowered so the deal is significant: an override, unexplained until a reason is given.
    document::apply(
        &mut doc,
        &header(vec![HeaderField::SignificantValue(Some(value))]),
        &ana(),
    )
    .unwrap();
    assert!(view(&doc).deal.significant_by_value);
    assert!(unexplained(&doc));
    assert_ne!(status_of(&doc), Status::ReadyToSign);
    let overrides = view(&doc).deal.threshold_overrides;
    assert_eq!(overrides.len(), 1);
    assert_eq!(
        overrides[0].threshold,
        validation::Threshold::SignificantValue
    );
    assert_eq!(overrides[0].deal, Some(value));
    document::apply(
        &mut doc,
        &header(vec![HeaderField::ThresholdsReason(
            "the customer asked to sign it".into(),
        )]),
        &ana(),
    )
    .unwrap();
    assert!(!unexplained(&doc));
    assert_eq!(status_of(&doc), Status::ReadyToSign);
    // Significant by value: the customer's signature is required like a deal marked so.
    document::apply(
        &mut doc,
        &header(vec![HeaderField::CustomerSignatory(
            scopepact_scope::edit::Person::default(),
        )]),
        &ana(),
    )
    .unwrap();
    assert!(gate(&doc).contains(&(
        GateCode::MissingHeaderField,
        Some("customer_signatory".into())
    )));
    assert!(document::apply(
        &mut doc,
        &header(vec![HeaderField::SignificantValue(Some(-1.0))]),
        &ana()
    )
    .is_err());
}
