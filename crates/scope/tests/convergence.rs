//! Replicas that edited offline converge: random edits on 2–3 forks of one document, merged in
//! random orders, give identical documents, identical status and identical gate reasons.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use proptest::prelude::*;
use scopepact_scope::edit::{Actor, AgreementList, CommitmentField, Edit, OverrideGate};
use scopepact_scope::interchange::{CommitmentKind, Document, Role, ValidationStatus};
use scopepact_scope::view::DocumentView;
use scopepact_scope::{document, lifecycle, validation, Automerge};

const SAMPLE: &str = include_str!("../../../tests/fixtures/press-line-retrofit.json");

fn actor(replica: usize, role: Role) -> Actor {
    Actor {
        name: format!("{role:?} {replica}"),
        email: format!("r{replica}@example.com"),
        role: Some(role),
        device: format!("device {replica}"),
        automerge_actor: format!("{:02x}{:02x}", replica + 1, role as u8 + 1),
        certificate: None,
    }
}

#[derive(Debug, Clone)]
enum Op {
    Price(usize, u32),
    Title(usize, String),
    Describe(usize, usize, String),
    Validate(usize, u8),
    Add(String),
    Move(usize, u32),
    Delete(usize),
    Resolve(usize),
    Transfer(usize),
    Agree(usize),
    Override,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..9usize, 0..2_000_000u32).prop_map(|(i, p)| Op::Price(i, p)),
        (0..9usize, "[a-zñü ]{1,12}").prop_map(|(i, t)| Op::Title(i, t)),
        (0..9usize, 0..40usize, "[a-z±ß ]{1,6}").prop_map(|(i, at, t)| Op::Describe(i, at, t)),
        (0..9usize, 0..3u8).prop_map(|(i, v)| Op::Validate(i, v)),
        "[A-Z][a-z]{1,8}".prop_map(Op::Add),
        (0..9usize, 0..9u32).prop_map(|(i, to)| Op::Move(i, to)),
        (0..9usize).prop_map(Op::Delete),
        (0..3usize).prop_map(Op::Resolve),
        (0..3usize).prop_map(Op::Transfer),
        (0..2usize).prop_map(Op::Agree),
        Just(Op::Override),
    ]
}

/// Applies one op; refusals (a rule, an item deleted meanwhile) are part of the game.
fn run(doc: &mut Automerge, replica: usize, op: &Op) {
    let view = DocumentView::new("d", doc, &document::read(doc).unwrap()).unwrap();
    let commitment = |i: usize| {
        view.commitments
            .get(i % view.commitments.len().max(1))
            .map(|c| c.id.clone())
    };
    let (edit, role) = match op {
        Op::Price(i, p) => match commitment(*i) {
            Some(id) => (
                Edit::UpdateCommitment {
                    id,
                    changes: vec![CommitmentField::Price(Some(f64::from(*p)))],
                },
                Role::Commercial,
            ),
            None => return,
        },
        Op::Title(i, t) => match commitment(*i) {
            Some(id) => (
                Edit::UpdateCommitment {
                    id,
                    changes: vec![CommitmentField::Title(t.clone())],
                },
                Role::Commercial,
            ),
            None => return,
        },
        Op::Describe(i, at, t) => match view.commitments.get(i % view.commitments.len().max(1)) {
            Some(c) => {
                let mut text: Vec<char> = c.description.chars().collect();
                let at = (*at).min(text.len());
                text.splice(at..at, t.chars());
                (
                    Edit::UpdateCommitment {
                        id: c.id.clone(),
                        changes: vec![CommitmentField::Description(text.into_iter().collect())],
                    },
                    Role::Operational,
                )
            }
            None => return,
        },
        Op::Validate(i, v) => match commitment(*i) {
            Some(id) => {
                let (verdict, note) = match v {
                    0 => (ValidationStatus::Feasible, None),
                    1 => (
                        ValidationStatus::Conditional,
                        Some("with a condition".to_string()),
                    ),
                    _ => (
                        ValidationStatus::Infeasible,
                        Some("no capacity".to_string()),
                    ),
                };
                (
                    Edit::ValidateCommitment { id, verdict, note },
                    Role::Operational,
                )
            }
            None => return,
        },
        Op::Add(t) => (
            Edit::AddCommitment {
                title: t.clone(),
                kind: CommitmentKind::Service,
                after: None,
            },
            Role::Commercial,
        ),
        Op::Move(i, to) => match commitment(*i) {
            Some(id) => (Edit::MoveCommitment { id, to_index: *to }, Role::Commercial),
            None => return,
        },
        Op::Delete(i) => match commitment(*i) {
            Some(id) => (Edit::DeleteCommitment { id }, Role::Commercial),
            None => return,
        },
        Op::Resolve(i) => match view.ambiguities.get(*i) {
            Some(a) => (
                Edit::ResolveAmbiguity {
                    id: a.id.clone(),
                    answer: format!("answer from {replica}"),
                },
                Role::Commercial,
            ),
            None => return,
        },
        Op::Transfer(i) => match view.ambiguities.get(*i) {
            Some(a) => (
                Edit::TransferAmbiguity {
                    id: a.id.clone(),
                    owner: format!("owner {replica}"),
                    due: "2027-02-01".into(),
                },
                Role::Operational,
            ),
            None => return,
        },
        Op::Agree(i) => match view.exclusions.get(*i) {
            Some(e) => (
                Edit::Agree {
                    list: AgreementList::Exclusion,
                    id: e.id.clone(),
                },
                Role::Commercial,
            ),
            None => return,
        },
        Op::Override => (
            Edit::Override {
                gate: OverrideGate::Economics,
                reference: None,
                reason: "strategic".into(),
            },
            Role::Executive,
        ),
    };
    let _ = document::apply(doc, &edit, &actor(replica, role));
}

fn fingerprint(doc: &Automerge) -> (serde_json::Value, String, Vec<String>) {
    let model = document::read(doc).unwrap();
    (
        serde_json::to_value(document::to_file(doc).unwrap()).unwrap(),
        lifecycle::status(&model).as_str().to_string(),
        validation::gate(&model)
            .into_iter()
            .map(|r| format!("{:?} {:?} {}", r.code, r.reference, r.message))
            .collect(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn forks_merged_in_any_order_converge(
        replicas in 2..=3usize,
        ops in proptest::collection::vec((0..3usize, op()), 1..24),
        order in Just(()).prop_perturb(|_, mut rng| { let mut o = vec![0usize, 1, 2]; for i in (1..3).rev() { o.swap(i, rng.random_range(0..=i)); } o }),
    ) {
        let base = document::from_file(&Document::parse(SAMPLE).unwrap(), &actor(9, Role::Commercial)).unwrap();
        let mut forks: Vec<Automerge> = (0..replicas).map(|_| base.fork()).collect();
        for (replica, op) in &ops {
            let r = replica % replicas;
            run(&mut forks[r], r, op);
        }
        // Merge every fork into the first one in natural order, and into another in a random order.
        let mut forward = forks[0].clone();
        for f in forks.iter_mut().skip(1) { forward.merge(f).unwrap(); }
        let order: Vec<usize> = order.into_iter().filter(|i| *i < replicas).collect();
        let mut shuffled = forks[order[0]].clone();
        for i in &order[1..] { shuffled.merge(&mut forks[*i].clone()).unwrap(); }
        // And through the bytes, as sync and storage carry them.
        let reloaded = Automerge::load(&shuffled.save()).unwrap();

        let heads = |d: &Automerge| { let mut h = d.get_heads(); h.sort(); h };
        prop_assert_eq!(heads(&forward), heads(&shuffled));
        let a = fingerprint(&forward);
        prop_assert_eq!(&a, &fingerprint(&shuffled));
        prop_assert_eq!(&a, &fingerprint(&reloaded));
    }
}
