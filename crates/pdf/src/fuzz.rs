//! A bounded fuzz run over `verify`: a genuine export, mutated the ways a forger or a broken
//! disk would (bytes flipped, cut, repeated, numbers blown up, the manifest edited, deep
//! nesting). `verify` reads the whole file (PDF parser, manifest) before it judges the
//! signatures, so every mutation reaches the readers. It must refuse each one with an error,
//! never panic, never accept a changed file.
//!
//! `SCOPEPACT_FUZZ_SECONDS` sets the time (CI runs 60 s), `SCOPEPACT_FUZZ_SEED` replays a run.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::fixtures;
use crate::verify;

/// One mutated file.
fn mutate(genuine: &[u8], rng: &mut StdRng) -> (Vec<u8>, &'static str) {
    let mut bytes = genuine.to_vec();
    let what = match rng.random_range(0..7) {
        0 => {
            for _ in 0..rng.random_range(1..8) {
                let at = rng.random_range(0..bytes.len());
                bytes[at] = rng.random();
            }
            "bytes flipped"
        }
        1 => {
            bytes.truncate(rng.random_range(0..bytes.len()));
            "cut short"
        }
        2 => {
            let from = rng.random_range(0..bytes.len());
            let to = (from + rng.random_range(1..4096)).min(bytes.len());
            let chunk = bytes[from..to].to_vec();
            let at = rng.random_range(0..bytes.len());
            bytes.splice(at..at, chunk);
            "a piece repeated"
        }
        3 => {
            // A number somewhere (an offset, a length, an object number) made enormous.
            let digits: Vec<usize> = (0..bytes.len())
                .filter(|&i| bytes[i].is_ascii_digit())
                .collect();
            let at = digits[rng.random_range(0..digits.len())];
            let huge =
                ["18446744073709551615", "9999999999", "-1", "4294967296"][rng.random_range(0..4)];
            bytes.splice(at..at + 1, huge.bytes());
            "a number blown up"
        }
        4 => {
            // The manifest's text edited where it sits.
            let start = bytes
                .windows(10)
                .position(|w| w == b"\"format\": ")
                .unwrap_or(0);
            for _ in 0..rng.random_range(1..6) {
                let at = (start + rng.random_range(0..20_000)).min(bytes.len() - 1);
                bytes[at] = b"{}[]\",:0123456789-aeE "[rng.random_range(0..22)];
            }
            "manifest edited"
        }
        5 => {
            // Nesting: a deep array where an object was.
            let at = rng.random_range(0..bytes.len());
            let depth = rng.random_range(100..100_000);
            let mut deep = vec![b'['; depth];
            deep.extend(std::iter::repeat_n(b']', depth));
            bytes.splice(at..at, deep);
            "deep nesting"
        }
        _ => {
            let at = rng.random_range(0..bytes.len());
            let len = (bytes.len() - at).min(rng.random_range(1..64));
            bytes[at..at + len].fill(0);
            "zeroed"
        }
    };
    (bytes, what)
}

#[test]
fn verify_never_panics_and_never_accepts_a_mutated_file() {
    let seconds: u64 = std::env::var("SCOPEPACT_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let seed: u64 = std::env::var("SCOPEPACT_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(rand::random);
    eprintln!("fuzzing verify for {seconds} s, SCOPEPACT_FUZZ_SEED={seed}");
    let genuine = fixtures::signed_export();
    verify(&genuine).expect("the genuine file verifies");
    let mut rng = StdRng::seed_from_u64(seed);
    let until = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    let mut runs = 0;
    while std::time::Instant::now() < until {
        let (bytes, what) = mutate(&genuine, &mut rng);
        let outcome = std::panic::catch_unwind(|| verify(&bytes));
        match outcome {
            Err(_) => panic!("verify panicked on a file with {what} (seed {seed}, run {runs})"),
            Ok(Ok(_)) if bytes != genuine => {
                let at = bytes.iter().zip(&genuine).position(|(a, b)| a != b);
                let context = at.map(|at| {
                    String::from_utf8_lossy(
                        &genuine[at.saturating_sub(60)..(at + 20).min(genuine.len())],
                    )
                    .into_owned()
                });
                panic!(
                    "verify accepted a file with {what} (seed {seed}, run {runs}): first difference at {at:?} of {}, lengths {} and {}, near {context:?}",
                    genuine.len(),
                    bytes.len(),
                    genuine.len()
                )
            }
            Ok(_) => {}
        }
        // One flipped bit anywhere.
        let mut raw = genuine.clone();
        let at = rng.random_range(0..raw.len());
        raw[at] ^= 1 << rng.random_range(0..8);
        assert!(verify(&raw).is_err(), "a flipped bit at {at} (seed {seed})");
        runs += 1;
    }
    eprintln!("{runs} mutated files, each refused");
}

/// The crafted files kept under `tests/corpus/pdf/`: each must be refused with its reason.
#[test]
fn the_crafted_corpus_is_refused() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus/pdf");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("the corpus folder") {
        let path = entry.expect("a corpus entry").path();
        if path.extension().is_none_or(|e| e != "pdf") {
            continue;
        }
        let bytes = std::fs::read(&path).expect("a corpus file");
        let expected = std::fs::read_to_string(path.with_extension("expected"))
            .expect("each corpus file has its .expected reason");
        let err = verify(&bytes).expect_err(&format!("{} verified", path.display()));
        assert!(
            err.to_string().contains(expected.trim()),
            "{}: {err}",
            path.display()
        );
        seen += 1;
    }
    assert!(seen >= 6, "the corpus has its files ({seen})");
}
