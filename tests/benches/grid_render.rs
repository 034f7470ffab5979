//! How long the UI takes to show the commitments grid of a 300-commitment document, measured
//! inside the real WebView (performance.now) of the real app. Needs a display and the debug
//! builds of the app and the CLI:
//!
//! ```sh
//! cargo build --workspace && xvfb-run -a cargo bench -p scopepact-e2e --bench grid_render
//! ```
#![allow(clippy::unwrap_used)] // bench code: a failed unwrap is a failed run

use std::time::Duration;

use scopepact_e2e::{add_profile, repo_root, report, scopepact_in, App};

const COMMITMENTS: usize = 300;
const RUNS: usize = 15;

/// The sample with its first commitment repeated 300 times, half of them validated.
fn generated_file(dir: &std::path::Path) -> std::path::PathBuf {
    let sample = repo_root().join("tests/fixtures/press-line-retrofit.json");
    let mut file: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(sample).unwrap()).unwrap();
    let template = file["commitments"][0].clone();
    file["ambiguities"] = serde_json::json!([]);
    file["commitments"] = (1..=COMMITMENTS)
        .map(|n| {
            let mut c = template.clone();
            c["ref"] = format!("C-{n:03}").into();
            c["title"] = format!("Servo drive retrofit — Größe lot {n}").into();
            if n % 2 == 0 {
                c["validation"] = serde_json::json!({"status": "feasible", "by": "Jörg Müller", "at": "2026-11-20T10:00:00Z"});
            }
            c
        })
        .collect();
    let path = dir.join("generated.json");
    std::fs::write(&path, serde_json::to_string(&file).unwrap()).unwrap();
    path
}

/// Clicks `click` and resolves when `rows` commitment rows are painted (the next animation
/// frame after they are in the DOM).
const MEASURE: &str = r#"
const [click, rows, done] = arguments;
const start = performance.now();
document.querySelector(click).click();
(function check() {
  if (document.querySelectorAll('[data-testid=commitment-row]').length === rows) {
    requestAnimationFrame(() => done(performance.now() - start));
  } else {
    setTimeout(check, 0);
  }
})();
"#;

async fn measure(app: &App, click: &str, rows: usize) -> f64 {
    app.client
        .execute_async(MEASURE, vec![click.into(), rows.into()])
        .await
        .unwrap()
        .as_f64()
        .unwrap()
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    add_profile(&data, "Ana Ruiz", "ana@example.com", "commercial");
    scopepact_in(
        &data,
        &["import", generated_file(dir.path()).to_str().unwrap()],
    );

    let app = App::launch(&data, "grid-bench").await.unwrap();
    app.wait_for("[data-testid=open-document]").await.unwrap();
    let (mut open, mut filter, mut all) = (vec![], vec![], vec![]);
    for _ in 0..RUNS {
        open.push(measure(&app, "[data-testid=open-document]", COMMITMENTS).await);
        // Filters re-render from the view already in the page: the UI's own cost.
        filter.push(measure(&app, "[data-testid=filter-pending]", COMMITMENTS / 2).await);
        all.push(measure(&app, "[data-testid=filter-all]", COMMITMENTS).await);
        app.wait_for("[data-testid=back]")
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        app.wait_for("[data-testid=open-document]").await.unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    println!("document: {COMMITMENTS} commitments, half validated; app: debug build");
    report("open document -> grid painted (IPC + view + render)", open);
    report("filter pending -> 150 rows painted", filter);
    report("filter all -> 300 rows painted", all);
    app.quit().await;
}
