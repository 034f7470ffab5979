use scopepact_scope::document;
use scopepact_scope::edit::{Actor, Edit, EditOutcome, HeaderField};
use scopepact_scope::interchange::{CommitmentKind, Document};
use scopepact_scope::ScopeError;

use super::*;

const SAMPLE: &str = include_str!("../../../tests/fixtures/press-line-retrofit.json");

fn ana() -> Actor {
    Actor {
        name: "Ana Ruiz".into(),
        email: "ana.ruiz@pressworks.example".into(),
        role: Some(scopepact_scope::interchange::Role::Commercial),
        device: "test".into(),
        automerge_actor: String::new(),
        certificate: None,
    }
}

fn apply(doc: &mut Automerge, edit: &Edit) -> Result<EditOutcome, ScopeError> {
    document::apply(doc, edit, &ana())
}

fn sample() -> Automerge {
    document::from_file(&Document::parse(SAMPLE).unwrap(), &ana()).unwrap()
}

fn edit(store: &mut Store, id: Uuid, change: &Edit) -> Result<(), StoreError> {
    store.edit(id, |doc| Ok(apply(doc, change).map(|_| ())?))
}

fn title_edit(title: &str) -> Edit {
    Edit::UpdateHeader {
        changes: vec![HeaderField::Title(title.into())],
    }
}

#[test]
fn created_and_edited_documents_survive_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let id = {
        let mut store = Store::open_dir(dir.path()).unwrap();
        let id = store.create(sample()).unwrap();
        edit(&mut store, id, &title_edit("Línea 3 — Größe")).unwrap();
        id
    };
    let mut store = Store::open_dir(dir.path()).unwrap();
    let model = document::read(store.get(id).unwrap()).unwrap();
    assert_eq!(model.title, "Línea 3 — Größe");
    let list = store.list().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].title, "Línea 3 — Größe");
    assert_eq!(list[0].customer, "Metalúrgica del Norte S.A.");
    assert_eq!(list[0].value, Some(1_240_000.0));
    assert_eq!(list[0].status, Status::InValidation);
}

#[test]
fn two_processes_writing_the_same_document_lose_nothing() {
    // The app and the CLI each hold their own connection and cache.
    let dir = tempfile::tempdir().unwrap();
    let mut app = Store::open_dir(dir.path()).unwrap();
    let mut cli = Store::open_dir(dir.path()).unwrap();
    let id = app.create(sample()).unwrap();
    app.get(id).unwrap();
    let add = |title: &str| Edit::AddCommitment {
        title: title.into(),
        kind: CommitmentKind::Other,
        after: None,
    };
    edit(&mut cli, id, &add("From the CLI")).unwrap();
    edit(&mut app, id, &add("From the app")).unwrap();
    for store in [&mut app, &mut cli] {
        let titles: Vec<String> = document::read(store.get(id).unwrap())
            .unwrap()
            .commitments
            .values()
            .map(|c| c.title.clone())
            .collect();
        assert!(
            titles.contains(&"From the CLI".to_string())
                && titles.contains(&"From the app".to_string()),
            "{titles:?}"
        );
    }
}

#[test]
fn a_failed_edit_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_dir(dir.path()).unwrap();
    let id = store.create(sample()).unwrap();
    let rev_before = store.rev(id).unwrap();
    let result: Result<(), StoreError> = store.edit(id, |doc| {
        apply(doc, &title_edit("changed in memory"))?;
        apply(doc, &title_edit(" "))?; // refused
        Ok(())
    });
    assert!(result.is_err());
    assert_eq!(store.rev(id).unwrap(), rev_before);
    assert_eq!(
        document::read(store.get(id).unwrap()).unwrap().title,
        "Servo press line retrofit — Línea 3"
    );
}

#[test]
fn many_edits_are_compacted_and_still_load() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_dir(dir.path()).unwrap();
    let id = store.create(sample()).unwrap();
    for i in 0..150 {
        edit(&mut store, id, &title_edit(&format!("title {i}"))).unwrap();
    }
    let chunk_count: i64 = store
        .connection()
        .query_row("SELECT count(*) FROM chunks", [], |r| r.get(0))
        .unwrap();
    assert!(chunk_count < COMPACT_AFTER_CHUNKS, "{chunk_count} chunks");
    let mut reopened = Store::open_dir(dir.path()).unwrap();
    assert_eq!(
        document::read(reopened.get(id).unwrap()).unwrap().title,
        "title 149"
    );
}

#[test]
fn keys_follow_samods_layout() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_dir(dir.path()).unwrap();
    let id = store.create(sample()).unwrap();
    edit(&mut store, id, &title_edit("x")).unwrap();
    let prefix = StorageKey::document_prefix(&storage_id(&id));
    let kinds: Vec<String> = chunks::load_range(store.connection(), &prefix)
        .unwrap()
        .into_iter()
        .map(|(k, _)| k.0[1].clone())
        .collect();
    assert_eq!(kinds, ["incremental", "snapshot"]);
    // automerge-repo spells document ids as bs58check of the uuid bytes.
    let decoded = bs58::decode(storage_id(&id))
        .with_check(None)
        .into_vec()
        .unwrap();
    assert_eq!(decoded, id.as_bytes());
}

#[test]
fn bad_data_dirs_and_files_get_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plain-file");
    std::fs::write(&file, "hello").unwrap();
    let err = Store::open_dir(&file).err().unwrap().to_string();
    assert!(
        err.contains("cannot use the data directory") && err.contains("plain-file"),
        "{err}"
    );

    let garbage = dir.path().join("garbage");
    std::fs::create_dir(&garbage).unwrap();
    std::fs::write(garbage.join(DATABASE_FILE), vec![7u8; 4096]).unwrap();
    let err = Store::open_dir(&garbage).err().unwrap().to_string();
    assert!(
        err.contains("cannot open the database") && err.contains("not a database"),
        "{err}"
    );
}

#[test]
fn unknown_and_malformed_ids() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_dir(dir.path()).unwrap();
    assert!(matches!(
        store.get(Uuid::now_v7()),
        Err(StoreError::NoSuchDocument(_))
    ));
    assert!(matches!(
        parse_id("not-a-uuid"),
        Err(StoreError::BadDocumentId(_))
    ));
}

#[test]
fn profiles_are_validated_remembered_and_switched() {
    use scopepact_scope::interchange::Role;
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_dir(dir.path()).unwrap();
    assert_eq!(store.acting_profile(None).unwrap(), None);
    let ana = store
        .add_profile(
            " Ana Ruiz ",
            "ana.ruiz@pressworks.example",
            Role::Commercial,
        )
        .unwrap();
    assert_eq!(ana.name, "Ana Ruiz");
    let jorg = store
        .add_profile(
            "Jörg Müller",
            "j.mueller@pressworks.example",
            Role::Operational,
        )
        .unwrap();
    assert_ne!(ana.automerge_actor, jorg.automerge_actor);
    // The first profile is the current one until someone switches.
    assert_eq!(store.acting_profile(None).unwrap(), Some(ana.clone()));
    store.switch_profile(&jorg.id).unwrap();
    assert_eq!(store.acting_profile(None).unwrap(), Some(jorg.clone()));
    assert_eq!(
        store
            .acting_profile(Some("ANA.RUIZ@pressworks.example"))
            .unwrap(),
        Some(ana.clone())
    );
    assert!(matches!(
        store.acting_profile(Some("nobody@example.com")),
        Err(StoreError::NoSuchProfile(_))
    ));
    for (name, email) in [
        ("", "x@example.com"),
        ("X", "not-an-email"),
        ("X", "Ana.Ruiz@pressworks.example"),
    ] {
        let err = store.add_profile(name, email, Role::Executive).unwrap_err();
        assert!(matches!(err, StoreError::InvalidProfile(_)), "{err}");
    }
    // Another process on the same data directory sees the same people and choice.
    let other = Store::open_dir(dir.path()).unwrap();
    assert_eq!(other.profiles().unwrap(), vec![ana, jorg.clone()]);
    assert_eq!(other.acting_profile(None).unwrap(), Some(jorg));
}

/// The model kept beside a document after an edit is the model the document hydrates to: the
/// gate and the list must never be computed from a stale or diverging copy.
#[test]
fn the_cached_model_equals_a_fresh_hydrate_after_edits() {
    use scopepact_scope::edit::{AgreementList, CommitmentField};
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_dir(dir.path()).unwrap();
    let id = store.create(sample()).unwrap();
    let first = store.model(id).unwrap().1.commitments_in_order()[0]
        .0
        .clone();
    let edits = [
        Edit::UpdateCommitment {
            id: first.clone(),
            changes: vec![
                CommitmentField::Description("Größe ±0,02 mm — neu".into()),
                CommitmentField::Price(Some(1.0)),
            ],
        },
        Edit::MoveCommitment {
            id: first.clone(),
            to_index: 4,
        },
        Edit::AddAgreement {
            list: AgreementList::Assumption,
            text: "Kran vor Ort".into(),
        },
        Edit::DeleteCommitment { id: first },
    ];
    for edit in &edits {
        store
            .edit_with_model(id, |doc, model| {
                document::apply_cached(doc, model, edit, &ana())
                    .map(|_| ())
                    .map_err(StoreError::from)
            })
            .unwrap();
        let (doc, cached) = store.model(id).unwrap();
        let fresh = document::read(doc).unwrap();
        let file = |m: &scopepact_scope::model::ScopeDoc| {
            serde_json::to_value(document::model_to_file(m)).unwrap()
        };
        assert_eq!(file(cached), file(&fresh), "after {edit:?}");
        assert_eq!(cached.actors, fresh.actors);
    }
}

#[test]
fn the_pending_count_is_kept_as_changes_are_written_and_synced() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_dir(dir.path()).unwrap();
    let id = store.create(sample()).unwrap();
    // `from_file` makes two changes: the content, then the import base.
    assert_eq!(store.unsynced_changes().unwrap(), 2);
    edit(&mut store, id, &title_edit("Línea 3")).unwrap();
    edit(&mut store, id, &title_edit("Línea 4")).unwrap();
    assert_eq!(store.unsynced_changes().unwrap(), 4);

    // The server got everything but the last edit.
    let doc = store.get(id).unwrap().clone();
    let all = doc.get_changes(&[]);
    let before_last: Vec<ChangeHash> = vec![all[all.len() - 2].hash()];
    let storage = storage_id(&id);
    store
        .mark_synced(&[(storage.clone(), before_last)])
        .unwrap();
    assert_eq!(store.unsynced_changes().unwrap(), 1);
    store.mark_synced(&[(storage, doc.get_heads())]).unwrap();
    assert_eq!(store.unsynced_changes().unwrap(), 0);

    // Rows from before the counts existed are counted from their document, once.
    edit(&mut store, id, &title_edit("Línea 5")).unwrap();
    store
        .connection()
        .execute(
            "UPDATE documents SET changes = NULL, synced_changes = NULL",
            [],
        )
        .unwrap();
    assert_eq!(store.unsynced_changes().unwrap(), 1);
    assert_eq!(store.unsynced_changes().unwrap(), 1);
}

#[test]
fn a_deal_stopped_without_a_recorded_time_counts_when_the_store_last_changed_it() {
    use automerge::transaction::Transactable;
    use automerge::{ReadDoc, ROOT};
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_dir(dir.path()).unwrap();
    let id = store.create(sample()).unwrap();
    let commitment = document::read(store.get(id).unwrap())
        .unwrap()
        .commitments
        .into_keys()
        .next()
        .unwrap();
    let verdict = Edit::ValidateCommitment {
        id: commitment,
        verdict: scopepact_scope::interchange::ValidationStatus::Infeasible,
        note: Some("The frame cannot take it".into()),
    };
    let jorg = Actor {
        name: "Jörg Müller".into(),
        email: "j.mueller@pressworks.example".into(),
        role: Some(scopepact_scope::interchange::Role::Operational),
        device: "test".into(),
        automerge_actor: String::new(),
        certificate: None,
    };
    store
        .edit(id, |doc| {
            document::apply(doc, &verdict, &jorg)
                .map(|_| ())
                .map_err(StoreError::from)
        })
        .unwrap();
    let facts = store.deal_facts().unwrap();
    assert_eq!(facts[0].status, Status::StoppedAtValidation);
    assert!(
        facts[0].stopped_at.is_some(),
        "the verdict's edit records it"
    );

    // As when a merge stopped it: no edit recorded the time.
    store
        .edit(id, |doc| {
            let mut tx = doc.transaction();
            let (_, milestones) = tx.get(&ROOT, "milestones").unwrap().unwrap();
            tx.delete(&milestones, "stopped_at_validation_at").unwrap();
            tx.commit();
            Ok::<(), StoreError>(())
        })
        .unwrap();
    let facts = store.deal_facts().unwrap();
    let updated = &store.list().unwrap()[0].updated_at;
    assert_eq!(facts[0].stopped_at.as_ref(), Some(updated));
}

#[test]
fn a_document_received_live_is_absorbed_new_changed_or_unchanged() {
    let here = tempfile::tempdir().unwrap();
    let there = tempfile::tempdir().unwrap();
    let mut ours = Store::open_dir(here.path()).unwrap();
    let mut theirs = Store::open_dir(there.path()).unwrap();
    let id = theirs.create(sample()).unwrap();

    // New here: stored with its list row; the same document again changes nothing.
    let copy = theirs.get(id).unwrap().clone();
    assert_eq!(ours.absorb(id, copy.clone()).unwrap(), Absorbed::New);
    assert_eq!(
        ours.list().unwrap()[0].customer,
        "Metalúrgica del Norte S.A."
    );
    assert_eq!(ours.absorb(id, copy).unwrap(), Absorbed::Unchanged);

    // Concurrent edits on both sides: absorbing theirs keeps ours too.
    edit(&mut theirs, id, &title_edit("Theirs")).unwrap();
    edit(
        &mut ours,
        id,
        &Edit::UpdateHeader {
            changes: vec![HeaderField::CustomerName("Ours S.L.".into())],
        },
    )
    .unwrap();
    let changed = theirs.get(id).unwrap().clone();
    assert_eq!(ours.absorb(id, changed).unwrap(), Absorbed::Changed);
    let row = &ours.list().unwrap()[0];
    assert_eq!(
        (row.title.as_str(), row.customer.as_str()),
        ("Theirs", "Ours S.L.")
    );
    // And it is durable: another process reads the same.
    let mut reopened = Store::open_dir(here.path()).unwrap();
    let model = document::read(reopened.get(id).unwrap()).unwrap();
    assert_eq!(
        (model.title.as_str(), model.customer.name.as_str()),
        ("Theirs", "Ours S.L.")
    );

    assert_eq!(document_heads(ours.connection()).unwrap().len(), 1);
}
