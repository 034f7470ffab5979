//! Live co-editing, edit to repaint: two real app windows on one real `scopepact serve` on
//! loopback; a field is changed in window A and the time is taken until window B has painted
//! the new value. Both ends read the wall clock (`Date.now()`, one machine, so one clock):
//! the start is A's `change` event, the end the first animation frame after B's input holds
//! the value. Needs a display and the debug builds of the app and the CLI:
//!
//! ```sh
//! cargo build --workspace && xvfb-run -a cargo bench -p scopepact-e2e --bench live_edit
//! ```
#![allow(clippy::unwrap_used)] // bench code: a failed unwrap is a failed run

use std::time::Duration;

use scopepact_e2e::{free_port, report, App, SyncServer};

const RUNS: usize = 60;

/// In B: resolves with the wall clock of the first frame painted after the site field holds
/// `value`.
const PAINTED: &str = r#"
const [value, done] = arguments;
(function check() {
  const input = document.querySelector('[data-testid=customer-site]');
  if (input && input.value === value) {
    requestAnimationFrame(() => done(Date.now()));
  } else {
    setTimeout(check, 1);
  }
})();
"#;

/// In A: types `value` into the site field as a person would finish typing (the `change`
/// event commits it) and returns the wall clock at that moment.
const EDIT: &str = r#"
const [value] = arguments;
const input = document.querySelector('[data-testid=customer-site]');
input.value = value;
const at = Date.now();
input.dispatchEvent(new Event('change', { bubbles: true }));
return at;
"#;

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.sqlite3");
    let (token_a, token_b) = (
        SyncServer::invite(&db, "laptop-a"),
        SyncServer::invite(&db, "laptop-b"),
    );
    let server = SyncServer::start(&db, free_port().unwrap()).unwrap();
    let a = App::launch(&dir.path().join("a"), "live-a").await.unwrap();
    let b = App::launch(&dir.path().join("b"), "live-b").await.unwrap();

    a.create_profile("Ana Ruiz", "ana.ruiz@pressworks.example", "Commercial")
        .await
        .unwrap();
    a.connect_sync(&server.url, &token_a).await.unwrap();
    a.fill("[data-testid=new-title]", "Prensa 7").await.unwrap();
    a.click("[data-testid=create]").await.unwrap();
    a.wait_for("[data-testid=customer-site]").await.unwrap();

    b.create_profile("Jörg Müller", "j.mueller@pressworks.example", "Operational")
        .await
        .unwrap();
    b.connect_sync(&server.url, &token_b).await.unwrap();
    b.wait_for_text("[data-testid=documents]", |t| t.contains("Prensa 7"))
        .await
        .unwrap();
    b.click("[data-testid=open-document]").await.unwrap();
    b.wait_for("[data-testid=customer-site]").await.unwrap();

    let mut samples = Vec::with_capacity(RUNS);
    for run in 0..RUNS {
        let value = format!("Planta {run}");
        let painted = b.client.execute_async(PAINTED, vec![value.clone().into()]);
        let edited = async {
            // Let B's watcher start before the edit.
            tokio::time::sleep(Duration::from_millis(20)).await;
            a.client.execute(EDIT, vec![value.clone().into()]).await
        };
        let (painted, edited) = tokio::join!(painted, edited);
        let (painted, edited) = match (painted, edited) {
            (Ok(painted), Ok(edited)) => (painted, edited),
            (painted, edited) => {
                a.screenshot("live-edit").await;
                b.screenshot("live-edit").await;
                // Bounded: a WebDriver that stopped answering must not hang the run.
                let state = tokio::time::timeout(
                    Duration::from_secs(5),
                    b.client.execute(
                        "return [document.querySelector('[data-testid=customer-site]')?.value, document.activeElement?.outerHTML];",
                        vec![],
                    ),
                )
                .await;
                panic!(
                    "run {run}: window B never showed {value:?} (B: {:?}; A's edit: {:?}); B has {state:?}; \
                     the apps' output is in test-output/live-a.log and live-b.log",
                    painted.err(),
                    edited.err()
                );
            }
        };
        let (painted, edited) = (painted.as_f64().unwrap(), edited.as_f64().unwrap());
        samples.push(painted - edited);
        // Edits a person makes are seconds apart; the next one starts from a quiet session.
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    report(
        "live edit in window A painted in window B (loopback server)",
        samples.clone(),
    );
    samples.sort_by(f64::total_cmp);
    #[allow(
        clippy::cast_precision_loss,
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss
    )]
    let p99 = samples[((samples.len() as f64 - 1.0) * 0.99).round() as usize];
    println!("{:<58} p99={p99:>8.1} ms", "");
    a.quit().await;
    b.quit().await;
}
