#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use scopepact_scope::interchange::{Document, ValidationStatus};

use super::*;

const SAMPLE: &str = include_str!("../../../tests/fixtures/press-line-retrofit.json");

fn person(name: &str, email: &str, role: Role) -> Actor {
    Actor {
        name: name.into(),
        email: email.into(),
        role: Some(role),
        device: "test".into(),
        automerge_actor: String::new(),
        certificate: None,
    }
}

fn carmen() -> Actor {
    person("Carmen Díaz", "c.diaz@pressworks.example", Role::Executive)
}

fn set(doc: &mut Automerge, by: &Actor, key: &str, value: &str) -> Result<(), CompanyError> {
    apply(
        doc,
        &CompanyEdit::Set(Setting::parse(key, value)?),
        by,
        chrono::Utc::now(),
    )
}

#[test]
fn every_device_starts_from_the_same_document() {
    let a = genesis().unwrap();
    let b = genesis().unwrap();
    assert_eq!(a.get_heads(), b.get_heads());
    assert_eq!(a.save(), b.save());
}

#[test]
fn settings_changed_apart_on_two_devices_merge_field_by_field() {
    let mut a = genesis().unwrap();
    let mut b = genesis().unwrap();
    set(&mut a, &carmen(), "company_name", "Pressworks S.L.").unwrap();
    set(&mut a, &carmen(), "min_margin_pct.presses", "18").unwrap();
    set(&mut b, &carmen(), "significant_value", "500000").unwrap();
    set(&mut b, &carmen(), "min_margin_pct.automation", "22.5").unwrap();
    a.merge(&mut b).unwrap();
    let merged = read(&a);
    assert_eq!(merged.name, "Pressworks S.L.");
    assert_eq!(merged.significant_value, Some(500_000.0));
    assert_eq!(merged.min_margin_for("presses"), Some(18.0));
    assert_eq!(merged.min_margin_for("automation"), Some(22.5));
    assert_eq!(merged.min_margin_for("other"), None);
    set(&mut a, &carmen(), "min_margin_pct", "15").unwrap();
    assert_eq!(read(&a).min_margin_for("other"), Some(15.0));
    // Who wrote is recorded, and no change was written with the genesis actor.
    assert!(read(&a).actors.values().all(|w| w.name == "Carmen Díaz"));
    assert!(!read(&a).actors.contains_key(&"00".repeat(16)));
}

#[test]
fn only_an_executive_changes_settings_and_once_named_only_those_named() {
    let mut doc = genesis().unwrap();
    let ana = person("Ana Ruiz", "ana.ruiz@pressworks.example", Role::Commercial);
    let refused = set(&mut doc, &ana, "min_margin_pct", "5").unwrap_err();
    assert!(refused.is_refusal(), "{refused:?}");
    set(
        &mut doc,
        &carmen(),
        "executives",
        "C.Diaz@pressworks.example",
    )
    .unwrap();
    let other = person("Luis Gil", "l.gil@pressworks.example", Role::Executive);
    let before = doc.get_heads();
    let refused = set(&mut doc, &other, "min_margin_pct", "5").unwrap_err();
    assert!(
        matches!(refused, CompanyError::NotAnExecutive { .. }),
        "{refused:?}"
    );
    assert_eq!(doc.get_heads(), before, "nothing written");
    set(&mut doc, &carmen(), "min_margin_pct", "5").unwrap();
    assert_eq!(read(&doc).min_margin_pct, Some(5.0));
}

#[test]
fn a_threshold_that_is_negative_or_not_a_number_is_refused() {
    for (key, value) in [
        ("significant_value", "-1"),
        ("significant_value", "abc"),
        ("significant_value", "NaN"),
        ("significant_value", "inf"),
        ("min_margin_pct", "101"),
        ("min_margin_pct.presses", "-3"),
        ("currency", "euros"),
        ("executives", "carmen"),
        ("company_name", " "),
    ] {
        let err = Setting::parse(key, value).unwrap_err();
        assert!(
            matches!(err, CompanyError::InvalidSetting { .. }),
            "{key}={value}: {err:?}"
        );
    }
    for key in ["margin", "min_margin_pct.", ""] {
        assert!(matches!(
            Setting::parse(key, "1"),
            Err(CompanyError::UnknownSetting { .. })
        ));
    }
    assert_eq!(
        Setting::parse("significant_value", "").unwrap(),
        Setting::SignificantValue(None)
    );
    assert_eq!(
        Setting::parse("currency", "usd").unwrap(),
        Setting::Currency("USD".into())
    );
}

#[test]
fn operations_retires_an_entry_with_a_reason_and_restores_it() {
    let mut doc = genesis().unwrap();
    let jorg = person(
        "Jörg Müller",
        "j.mueller@pressworks.example",
        Role::Operational,
    );
    let retire = |reason: &str| CompanyEdit::Retire {
        entry: "doc:c1".into(),
        reason: reason.into(),
    };
    let refused = apply(&mut doc, &retire("old"), &carmen(), chrono::Utc::now()).unwrap_err();
    assert!(refused.is_refusal());
    assert!(apply(&mut doc, &retire("  "), &jorg, chrono::Utc::now()).is_err());
    apply(
        &mut doc,
        &retire("supplier changed"),
        &jorg,
        chrono::Utc::now(),
    )
    .unwrap();
    assert_eq!(read(&doc).retired["doc:c1"].reason, "supplier changed");
    apply(
        &mut doc,
        &CompanyEdit::Restore {
            entry: "doc:c1".into(),
        },
        &jorg,
        chrono::Utc::now(),
    )
    .unwrap();
    assert!(read(&doc).retired.is_empty());
}

#[test]
fn a_template_from_a_deal_keeps_the_scope_and_leaves_the_deal_out() {
    let deal = Document::parse(SAMPLE).unwrap();
    let made = template::from_deal(deal.clone(), "Press retrofit", "presses");
    let text = template::write(&made);
    let read_back = template::parse(&text).unwrap();
    assert_eq!(read_back.template.as_ref().unwrap().product_line, "presses");
    assert_eq!(read_back.commitments.len(), deal.commitments.len());
    assert!(read_back
        .commitments
        .iter()
        .all(|c| c.validation.status == ValidationStatus::Pending));
    assert_eq!(read_back.customer.name, "");
    assert_eq!(read_back.deal.value, None);
    assert_eq!(read_back.ambiguities.len(), deal.ambiguities.len());
    assert!(read_back.ambiguities.iter().all(|a| a.answer.is_none()));

    let new_deal = template::to_deal(&read_back, "Prensa 9").unwrap();
    assert_eq!(new_deal.title, "Prensa 9");
    assert!(new_deal.template.is_none());

    // A deal's file is not a template, and a template whose verdicts were typed in by hand
    // still starts pending.
    assert!(matches!(
        template::parse(SAMPLE),
        Err(CompanyError::NotATemplate)
    ));
    let forged = SAMPLE.replacen(
        "\"format\": \"scopepact/v1\",",
        "\"format\": \"scopepact/v1\", \"template\": {\"name\": \"Forged\"},",
        1,
    );
    let forged = template::parse(&forged).unwrap();
    assert!(forged
        .commitments
        .iter()
        .all(|c| c.validation.status == ValidationStatus::Pending));
}

#[test]
fn a_change_to_one_setting_leaves_a_concurrent_edit_of_another_unsettled() {
    use automerge::{ReadDoc, ROOT};
    let mut a = genesis().unwrap();
    let mut b = genesis().unwrap();
    set(&mut a, &carmen(), "min_margin_pct", "10").unwrap();
    set(&mut b, &carmen(), "min_margin_pct", "14").unwrap();
    a.merge(&mut b).unwrap();
    assert_eq!(a.get_all(ROOT, "min_margin_pct").unwrap().len(), 2);
    set(&mut a, &carmen(), "company_name", "Pressworks S.L.").unwrap();
    assert_eq!(
        a.get_all(ROOT, "min_margin_pct").unwrap().len(),
        2,
        "both concurrent values are still there for someone to choose"
    );
}

#[test]
fn the_logo_is_kept_as_bytes_and_a_peer_writing_anything_else_there_leaves_none() {
    use automerge::transaction::Transactable;
    let mut doc = genesis().unwrap();
    let logo = b"\x89PNG\r\n\x1a\n...".to_vec();
    apply(
        &mut doc,
        &CompanyEdit::Set(Setting::Logo(Some(logo.clone()))),
        &carmen(),
        chrono::Utc::now(),
    )
    .unwrap();
    assert_eq!(read(&doc).logo.as_deref(), Some(&logo));
    // A peer writes text, a number, then a map where the bytes were: the rest still reads.
    for hostile in [
        automerge::ScalarValue::Str("not bytes".into()),
        automerge::ScalarValue::Int(7),
    ] {
        let mut tx = doc.transaction();
        tx.put(automerge::ROOT, "logo", hostile).unwrap();
        tx.commit();
        let read = read(&doc);
        assert_eq!(read.logo, None);
        assert!(!read.actors.is_empty());
    }
    let mut tx = doc.transaction();
    tx.put_object(automerge::ROOT, "logo", automerge::ObjType::Map)
        .unwrap();
    tx.commit();
    assert_eq!(read(&doc).logo, None);
    // Removed by an executive.
    apply(
        &mut doc,
        &CompanyEdit::Set(Setting::Logo(None)),
        &carmen(),
        chrono::Utc::now(),
    )
    .unwrap();
    assert_eq!(read(&doc).logo, None);
}
