//! `scopepact import` of large files, through the workspace into a real SQLite file: time and
//! peak memory for 1,000, 5,000 and 10,000 commitments (the most a list may hold), and for a
//! document with the most collaborative text allowed. Each size runs in a process of its own so
//! its peak memory is its own. Run with `cargo bench -p scopepact-workspace --bench import`.
#![allow(clippy::unwrap_used)] // bench code: a failed unwrap is a failed run

use std::time::Instant;

use scopepact_scope::interchange::{Document, Role};
use scopepact_workspace::Workspace;

fn file(commitments: usize, description_bytes: usize) -> String {
    let mut file = Document::parse(include_str!(
        "../../../tests/fixtures/press-line-retrofit.json"
    ))
    .unwrap();
    let template = file.commitments[0].clone();
    file.ambiguities.clear();
    file.overrides.clear();
    file.commitments = (1..=commitments)
        .map(|n| {
            let mut c = template.clone();
            c.reference = format!("C-{n:05}");
            c.title = format!("{} — lot {n}", template.title);
            c.description = match description_bytes {
                0 => format!("{} check #{n}.", template.description),
                // Short enough for 10,000 to stay within the collaborative text allowed.
                1 => format!("Größe check #{n}."),
                bytes => "Größe/Übermaß ".repeat(bytes / "Größe/Übermaß ".len()),
            };
            c
        })
        .collect();
    serde_json::to_string(&file).unwrap()
}

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn one(commitments: usize, description_bytes: usize) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.json");
    let text = file(commitments, description_bytes);
    std::fs::write(&path, &text).unwrap();
    let mut ws = Workspace::open(Some(dir.path().join("data"))).unwrap();
    ws.add_profile("Ana Ruiz", "ana@example.com", Role::Commercial)
        .unwrap();
    let started = Instant::now();
    let id = ws.import_file(&path).unwrap();
    let elapsed = started.elapsed();
    assert_eq!(
        ws.view(&id.to_string()).unwrap().commitments.len(),
        commitments
    );
    println!(
        "{commitments:>6} commitments, {:>5.1} MiB file{}: import {:>7.1} ms, peak RSS {:>6.1} MiB",
        text.len() as f64 / (1024.0 * 1024.0),
        match description_bytes {
            0 => String::new(),
            1 => ", short descriptions".to_string(),
            bytes => format!(", {bytes} B descriptions"),
        },
        elapsed.as_secs_f64() * 1000.0,
        peak_rss_mib()
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--one") {
        let n = args[at + 1].parse().unwrap();
        let bytes = args[at + 2].parse().unwrap();
        one(n, bytes);
        return;
    }
    for (n, bytes) in [(1_000, 0), (5_000, 0), (10_000, 1), (10, 99_000)] {
        let status = std::process::Command::new(&args[0])
            .args(["--one", &n.to_string(), &bytes.to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }
}
