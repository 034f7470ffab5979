use super::*;
use crate::edit::{CommitmentField, HeaderField};
use crate::interchange::CommitmentKind;

// The tests below act as one commercial profile; role rules have their own tests.
fn ana() -> Actor {
    Actor {
        name: "Ana Ruiz".into(),
        email: "ana.ruiz@pressworks.example".into(),
        role: Some(crate::interchange::Role::Commercial),
        device: "laptop-ana".into(),
        automerge_actor: String::new(),
        certificate: None,
    }
}
fn apply(doc: &mut Automerge, edit: &Edit) -> Result<EditOutcome, ScopeError> {
    super::apply(doc, edit, &ana())
}
fn from_file(file: &x::Document) -> Result<Automerge, ScopeError> {
    super::from_file(file, &ana())
}
fn import_into(doc: &mut Automerge, file: &x::Document) -> Result<ImportReport, ScopeError> {
    super::import_into(doc, file, &ana())
}
fn new_document(title: &str) -> Result<Automerge, ScopeError> {
    super::new_document(title, &ana())
}

const SAMPLE: &str = include_str!("../../../../tests/fixtures/press-line-retrofit.json");

fn sample_file() -> x::Document {
    x::Document::parse(SAMPLE).unwrap()
}

fn json(doc: &Automerge) -> serde_json::Value {
    serde_json::to_value(to_file(doc).unwrap()).unwrap()
}

#[test]
fn sample_round_trips_through_automerge_and_bytes() {
    let doc = from_file(&sample_file()).unwrap();
    let reloaded = Automerge::load(&doc.save()).unwrap();
    let original: serde_json::Value = serde_json::from_str(SAMPLE).unwrap();
    assert_eq!(json(&reloaded), original);
}

fn id_of(doc: &Automerge, reference: &str) -> String {
    read(doc)
        .unwrap()
        .commitments
        .iter()
        .find(|(_, c)| c.reference == reference)
        .unwrap()
        .0
        .clone()
}

fn refs(doc: &Automerge) -> Vec<String> {
    read(doc)
        .unwrap()
        .commitments_in_order()
        .iter()
        .map(|(_, c)| c.reference.clone())
        .collect()
}

#[test]
fn add_move_delete_commitments() {
    let mut doc = from_file(&sample_file()).unwrap();
    let after = id_of(&doc, "C-02");
    let created = apply(
        &mut doc,
        &Edit::AddCommitment {
            title: "Größe Ñandú ±0.02 mm".into(),
            kind: CommitmentKind::Specification,
            after: Some(after),
        },
    )
    .unwrap()
    .created_id
    .unwrap();
    assert_eq!(
        refs(&doc),
        ["C-01", "C-02", "C-08", "C-03", "C-04", "C-05", "C-06", "C-07"]
    );
    apply(
        &mut doc,
        &Edit::MoveCommitment {
            id: created.clone(),
            to_index: 0,
        },
    )
    .unwrap();
    assert_eq!(refs(&doc)[0], "C-08");
    apply(
        &mut doc,
        &Edit::MoveCommitment {
            id: created.clone(),
            to_index: 99,
        },
    )
    .unwrap();
    assert_eq!(refs(&doc).last().unwrap(), "C-08");
    apply(
        &mut doc,
        &Edit::DeleteCommitment {
            id: created.clone(),
        },
    )
    .unwrap();
    assert_eq!(refs(&doc).len(), 7);
    let err = apply(&mut doc, &Edit::DeleteCommitment { id: created }).unwrap_err();
    assert!(matches!(err, ScopeError::NoSuchItem { .. }));
}

#[test]
fn invalid_edits_are_refused_and_change_nothing() {
    let mut doc = from_file(&sample_file()).unwrap();
    let heads = doc.get_heads();
    let id = id_of(&doc, "C-01");
    let bad = [
        CommitmentField::Title("  ".into()),
        CommitmentField::Price(Some(-1.0)),
        CommitmentField::DeliveryDate(Some("next week".into())),
        CommitmentField::Reference("C-02".into()),
    ];
    for change in bad {
        let edit = Edit::UpdateCommitment {
            id: id.clone(),
            changes: vec![CommitmentField::Unit("x".into()), change],
        };
        assert!(matches!(
            apply(&mut doc, &edit),
            Err(ScopeError::InvalidValue { .. })
        ));
    }
    let header = Edit::UpdateHeader {
        changes: vec![HeaderField::Currency("euros".into())],
    };
    assert!(apply(&mut doc, &header).is_err());
    assert_eq!(doc.get_heads(), heads);
}

#[test]
fn description_edits_made_concurrently_both_survive() {
    let mut a = from_file(&sample_file()).unwrap();
    let mut b = a.fork();
    let id = id_of(&a, "C-02");
    let base = "Hydraulic die clamps and roller bolsters for dies up to 18 t.";
    let edit = |text: String| Edit::UpdateCommitment {
        id: id.clone(),
        changes: vec![CommitmentField::Description(text)],
    };
    apply(&mut a, &edit(format!("Two-sided {base}"))).unwrap();
    apply(&mut b, &edit(format!("{base} Includes spare seals."))).unwrap();
    a.merge(&mut b).unwrap();
    let merged = read(&a).unwrap().commitments[&id]
        .description
        .as_str()
        .to_string();
    assert_eq!(merged, format!("Two-sided {base} Includes spare seals."));
}

#[test]
fn import_into_applies_file_changes_and_keeps_local_edits() {
    let mut doc = from_file(&sample_file()).unwrap();
    // Meanwhile, in the app: an untouched-by-the-file field is edited.
    let c3 = id_of(&doc, "C-03");
    apply(
        &mut doc,
        &Edit::UpdateCommitment {
            id: c3.clone(),
            changes: vec![CommitmentField::Acceptance("Edited in the app".into())],
        },
    )
    .unwrap();

    // The CRM exports a newer version: C-01 price changed, a new C-09 after C-02.
    let mut newer = sample_file();
    newer.commitments[0].price = Some(x::Number(915000.0));
    let mut added = newer.commitments[1].clone();
    added.reference = "C-09".into();
    added.title = "Spare parts package".into();
    newer.commitments.insert(2, added);

    let report = import_into(&mut doc, &newer).unwrap();
    assert_eq!(
        (report.commitments_added, report.commitments_updated),
        (1, 7)
    );
    let model = read(&doc).unwrap();
    assert_eq!(
        model.commitments[&id_of(&doc, "C-01")].price,
        Some(915000.0)
    );
    assert_eq!(model.commitments[&c3].acceptance, "Edited in the app");
    assert_eq!(
        refs(&doc),
        ["C-01", "C-02", "C-09", "C-03", "C-04", "C-05", "C-06", "C-07"]
    );

    // Importing the very same file again changes nothing and duplicates nothing.
    let before = json(&doc);
    import_into(&mut doc, &newer).unwrap();
    assert_eq!(json(&doc), before);
}

#[test]
fn new_document_starts_as_draft() {
    let doc = new_document("  Línea 4  ").unwrap();
    let model = read(&doc).unwrap();
    assert_eq!(model.title, "Línea 4");
    assert_eq!(
        crate::lifecycle::status(&model),
        crate::status::Status::Draft
    );
    assert!(new_document(" ").is_err());
}
