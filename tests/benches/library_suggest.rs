//! Library suggestions, keystroke to paint: in the real window, the new commitment's title is
//! typed and the time is taken until the suggestion list shows the matching entry, painted
//! (the first animation frame after it holds it). Both ends read the window's clock. The
//! library holds the signed sample's validated commitments. Needs a display and the debug
//! builds of the app and the CLI:
//!
//! ```sh
//! cargo build --workspace && xvfb-run -a cargo bench -p scopepact-e2e --bench library_suggest
//! ```
#![allow(clippy::unwrap_used)] // bench code: a failed unwrap is a failed run

use scopepact_e2e::{report, sample_ready_to_sign, scopepact_in, App, ANA, JORG};

const RUNS: usize = 60;

/// Types `typed` as the last keystroke of a word (the value, then its `input` event) and
/// resolves with the time from that keystroke to the first frame painted with `expected` in the
/// suggestion list.
const KEYSTROKE: &str = r#"
const [typed, expected, done] = arguments;
const input = document.querySelector('[data-testid=new-commitment-title]');
input.value = typed;
const at = performance.now();
input.dispatchEvent(new Event('input', { bubbles: true }));
(function check() {
  const list = document.querySelector('[data-testid=library-suggestions]');
  if (list && list.textContent.includes(expected)) {
    requestAnimationFrame(() => done(performance.now() - at));
  } else {
    setTimeout(check, 1);
  }
})();
"#;

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("laptop");
    std::fs::create_dir_all(&data).unwrap();
    let signed = sample_ready_to_sign(&data, false);
    scopepact_in(&data, &["--as", ANA, "sign", &signed]);
    scopepact_in(&data, &["--as", JORG, "sign", &signed]);
    scopepact_in(&data, &["--as", ANA, "new", "--title", "Prensa 9"]);
    let app = App::launch(&data, "library-suggest").await.unwrap();
    app.click("[data-testid=open-document]").await.unwrap();
    app.wait_for("[data-testid=new-commitment-title]")
        .await
        .unwrap();

    // Alternating queries, so each keystroke has to change what the list shows.
    let queries = [
        ("quick di", "Quick die change system"),
        ("light cu", "Safety: light curtains"),
        ("factory acc", "Factory acceptance test"),
    ];
    let mut samples = Vec::with_capacity(RUNS);
    for run in 0..RUNS {
        let (typed, expected) = queries[run % queries.len()];
        let took = app
            .client
            .execute_async(KEYSTROKE, vec![typed.into(), expected.into()])
            .await
            .unwrap_or_else(|e| panic!("run {run}: {typed:?} never showed {expected:?}: {e}"));
        samples.push(took.as_f64().unwrap());
    }
    report("library suggestion painted after a keystroke", samples);
    app.quit().await;
}
