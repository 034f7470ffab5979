//! Library search as someone types, over 50,000 entries in a real SQLite file: 500 signed deals
//! of 100 validated commitments each, their titles, descriptions and parameters drawn from
//! Spanish and English words; each query is a prefix typed letter by letter. Prints p50/p99;
//! run with `cargo bench -p scopepact-store --bench library_search`.
#![allow(clippy::unwrap_used)] // bench code: a failed unwrap is a failed run

mod common;

use std::time::Instant;

use common::report;
use scopepact_scope::document;
use scopepact_scope::edit::Actor;
use scopepact_scope::interchange::{Document, Role};
use scopepact_scope::model::{self as m, ScopeDoc};
use scopepact_scope::status::Status;
use scopepact_store::{library, Store};

const DEALS: usize = 500;
const PER_DEAL: usize = 100;

const WORDS: &[&str] = &[
    "unidad",
    "hidráulica",
    "prensa",
    "servo",
    "transfer",
    "cambio",
    "rápido",
    "matrices",
    "cortina",
    "seguridad",
    "formación",
    "operarios",
    "garantía",
    "meses",
    "retirada",
    "grupo",
    "antiguo",
    "bomba",
    "válvula",
    "sensor",
    "robot",
    "soldadura",
    "pintura",
    "horno",
    "cinta",
    "quick",
    "die",
    "change",
    "light",
    "curtain",
    "training",
    "warranty",
    "retrofit",
    "drive",
    "controller",
    "bolster",
    "clamp",
    "hydraulic",
    "pump",
    "valve",
    "welding",
    "oven",
    "conveyor",
    "línea",
    "montaje",
    "ensayo",
    "aceptación",
    "fábrica",
    "planta",
    "mantenimiento",
];

/// A deterministic word stream (no randomness: every run measures the same library).
fn word(n: usize) -> &'static str {
    WORDS[(n.wrapping_mul(2_654_435_761) >> 7) % WORDS.len()]
}

fn deal(sample: &ScopeDoc, d: usize) -> ScopeDoc {
    let template = sample.commitments.values().next().unwrap().clone();
    let mut model = sample.clone();
    model.commitments.clear();
    for c in 0..PER_DEAL {
        let n = d * PER_DEAL + c;
        let mut commitment = template.clone();
        commitment.reference = format!("C-{c:03}");
        commitment.title = format!(
            "{} {} {} {}",
            word(n),
            word(n + 1),
            word(n + 7),
            word(n + 13)
        );
        commitment.description = autosurgeon::Text::with_value(format!(
            "{} {} {} {} {}",
            word(n + 3),
            word(n + 5),
            word(n + 11),
            word(n + 17),
            word(n + 19)
        ));
        commitment.validation.status = m::ValidationStatus::Feasible;
        commitment.validation.by = Some("Jörg Müller".into());
        model.commitments.insert(format!("c{c}"), commitment);
    }
    model
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_dir(dir.path()).unwrap();
    let actor = Actor {
        name: "Ana".into(),
        email: "ana@example.com".into(),
        role: Some(Role::Commercial),
        device: "bench".into(),
        automerge_actor: String::new(),
        certificate: None,
    };
    let file = Document::parse(include_str!(
        "../../../tests/fixtures/press-line-retrofit.json"
    ))
    .unwrap();
    let sample = document::read(&document::from_file(&file, &actor).unwrap()).unwrap();

    let started = Instant::now();
    {
        let tx = store.connection().unchecked_transaction().unwrap();
        for d in 0..DEALS {
            library::project(
                &tx,
                &format!("deal-{d:04}"),
                &deal(&sample, d),
                Status::Signed,
            )
            .unwrap();
        }
        library::mark_current(&tx).unwrap();
        tx.commit().unwrap();
    }
    println!(
        "built {} entries in {:.1} s",
        DEALS * PER_DEAL,
        started.elapsed().as_secs_f64()
    );

    let typed = [
        "hidráulica",
        "cambio rápido",
        "cortina seguridad",
        "formacion operarios",
        "quick die",
        "HYDRAULIC pump",
        "garantia meses",
        "linea montaje",
        "válvula sensor",
        "zz",
    ];
    let (mut samples, mut short, mut long) = (vec![], vec![], vec![]);
    let mut slowest = vec![];
    let mut found = 0;
    for _ in 0..5 {
        for text in typed {
            for end in text.char_indices().map(|(i, c)| i + c.len_utf8()) {
                let prefix = &text[..end];
                let at = Instant::now();
                let entries = store.library_search(prefix, 8, false).unwrap();
                let took = at.elapsed();
                samples.push(took);
                slowest.push((took, prefix.to_string(), entries.len()));
                // The last word typed so far: one or two letters match a large part of any
                // library.
                let last = prefix
                    .split_whitespace()
                    .last()
                    .unwrap_or("")
                    .chars()
                    .count();
                if last <= 2 {
                    short.push(took)
                } else {
                    long.push(took)
                }
                found += entries.len();
            }
        }
    }
    report("library search, 8 best, per keystroke (50k)", samples);
    report("  last word of 1-2 letters", short);
    report("  last word of 3+ letters", long);
    println!("{found} suggestions returned in all");
    slowest.sort_by_key(|s| std::cmp::Reverse(s.0));
    for (took, prefix, n) in slowest.iter().take(5) {
        println!(
            "  slowest: {prefix:?} {:.1} ms ({n} found)",
            took.as_secs_f64() * 1e3
        );
    }
}
