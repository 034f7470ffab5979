//! Start of the app to an interactive document list, and the memory of its whole process tree
//! (the app and WebKit's web and network processes) when idle. Runs the debug build by default;
//! for the installed package:
//!
//! ```sh
//! SCOPEPACT_APP_BINARY=/usr/bin/scopepact-app xvfb-run -a cargo bench -p scopepact-e2e --bench startup
//! ```
//!
//! The time runs from the WebDriver session request (WebKitWebDriver then starts the app) to
//! the list of documents in the page, so it is an upper bound of what a person waits.
#![allow(clippy::unwrap_used)] // bench code: a failed unwrap is a failed run

use std::collections::HashMap;
use std::time::{Duration, Instant};

use scopepact_e2e::{add_profile, app_binary, repo_root, report, scopepact_in, App, ANA};

const RUNS: usize = 7;

/// Every process below `root`, with its parent.
fn descendants(root: u32) -> Vec<u32> {
    let mut parent_of = HashMap::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // "pid (comm) state ppid …": comm may hold spaces, so read after the last ')'.
        let after = &stat[stat.rfind(')').unwrap_or(0) + 1..];
        if let Some(ppid) = after.split_whitespace().nth(1).and_then(|p| p.parse().ok()) {
            parent_of.insert(pid, ppid);
        }
    }
    let mut found = vec![root];
    let mut grew = true;
    while grew {
        grew = false;
        for (&pid, &ppid) in &parent_of {
            if found.contains(&ppid) && !found.contains(&pid) {
                found.push(pid);
                grew = true;
            }
        }
    }
    found
}

fn name_of(pid: u32) -> String {
    std::fs::read_to_string(format!("/proc/{pid}/comm"))
        .unwrap_or_default()
        .trim()
        .to_string()
}

/// (RSS, PSS) in KiB of one process, from smaps_rollup.
fn memory_of(pid: u32) -> (u64, u64) {
    let text = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap_or_default();
    let field = |name: &str| {
        text.lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("Rss:"), field("Pss:"))
}

#[tokio::main]
async fn main() {
    println!("app binary: {}", app_binary().display());
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    add_profile(&data, "Ana Ruiz", ANA, "commercial");
    let sample = repo_root().join("tests/fixtures/press-line-retrofit.json");
    for _ in 0..3 {
        scopepact_in(&data, &["import", sample.to_str().unwrap()]);
    }

    let mut starts = Vec::new();
    let mut last = None;
    for run in 0..RUNS {
        let started = Instant::now();
        let app = App::launch(&data, "startup").await.unwrap();
        app.wait_for("[data-testid=document-row]").await.unwrap();
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        println!("run {}: {ms:.0} ms to the document list", run + 1);
        starts.push(ms);
        if run + 1 == RUNS {
            last = Some(app);
        } else {
            app.quit().await;
        }
    }
    report("start to an interactive list (3 documents)", starts);

    let app = last.unwrap();
    tokio::time::sleep(Duration::from_secs(10)).await;
    let tree = descendants(app.driver_pid());
    let mut total = (0, 0);
    for pid in tree {
        let name = name_of(pid);
        // The WebDriver pieces are the test's, not the app's.
        if name.starts_with("tauri-driver") || name.starts_with("WebKitWebDriver") {
            continue;
        }
        let (rss, pss) = memory_of(pid);
        println!(
            "  {name:<24} pid {pid:<7} RSS {:>7.1} MiB  PSS {:>7.1} MiB",
            rss as f64 / 1024.0,
            pss as f64 / 1024.0
        );
        total.0 += rss;
        total.1 += pss;
    }
    println!(
        "idle process tree after 10 s: RSS {:.1} MiB (sum), PSS {:.1} MiB (shared pages counted once)",
        total.0 as f64 / 1024.0,
        total.1 as f64 / 1024.0
    );
    app.quit().await;
}
