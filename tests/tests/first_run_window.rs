//! A first run that needs no manual: the app's version, its one-line answer without a display,
//! the sample deal offered on an empty list, the window named after the open document, and the
//! chosen language kept with the data directory (not with whoever ran the app before), and the
//! core's refusals said in it.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

/// Named `window::…`, so the unit-test step skips them and the window step picks them.
mod window {
    use std::process::Command;

    use scopepact_e2e::{app_binary, scenario, step, App, Error};

    const SAMPLE_TITLE: &str = "Servo press line retrofit — Línea 3";

    /// The app run as a person would from a terminal, with `env` changed.
    fn run_app(env: &[(&str, Option<&str>)], args: &[&str]) -> std::process::Output {
        let data = tempfile::tempdir().unwrap();
        let mut command = Command::new(app_binary());
        command.args(args).arg("--data-dir").arg(data.path());
        for (name, value) in env {
            match value {
                Some(v) => command.env(name, v),
                None => command.env_remove(name),
            };
        }
        command.output().unwrap()
    }

    #[test]
    fn the_app_tells_its_version_and_says_in_one_line_when_there_is_no_display() {
        let out = run_app(&[], &["--version"]);
        assert!(out.status.success());
        assert_eq!(
            String::from_utf8_lossy(&out.stdout).trim(),
            format!("scopepact-app {}", env!("CARGO_PKG_VERSION"))
        );
        for (case, env) in [
            ("no DISPLAY", [("DISPLAY", None), ("WAYLAND_DISPLAY", None)]),
            // Named, but nothing listens there: GTK finds out and would panic.
            (
                "a dead DISPLAY",
                [("DISPLAY", Some(":7919")), ("WAYLAND_DISPLAY", None)],
            ),
        ] {
            let out = run_app(&env, &[]);
            let said = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{case}: {said}");
            assert_eq!(
                said.trim_end(),
                "error: no graphical display: run ScopePact from a desktop session, or set DISPLAY",
                "{case}"
            );
        }
    }

    /// Whether a native window of this title is on the X display the tests run on.
    fn x_window_named(title: &str) -> bool {
        Command::new("xdotool")
            .args(["search", "--name", title])
            .output()
            .map(|o| o.status.success() && !o.stdout.is_empty())
            .unwrap_or(false)
    }

    /// The names of the native windows on the display that mention ScopePact, to say what was
    /// there when the expected title was not.
    fn scopepact_window_names() -> Vec<String> {
        let ids = Command::new("xdotool")
            .args(["search", "--name", "ScopePact"])
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .unwrap_or_default();
        ids.split_whitespace()
            .filter_map(|id| {
                Command::new("xdotool")
                    .args(["getwindowname", id])
                    .output()
                    .ok()
                    .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
            })
            .collect()
    }

    /// The title is set through an IPC round trip the window manager then publishes; on a loaded
    /// CI machine that takes as long as any other step, so it gets the same 15 s.
    async fn native_title_becomes(app: &App, title: &str) -> Result<(), Error> {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
        while std::time::Instant::now() < deadline {
            if x_window_named(title) {
                return Ok(());
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        app.screenshot("window-title").await;
        Err(format!(
            "no window titled {title:?} (xdotool search --name); windows named: {:?}",
            scopepact_window_names()
        )
        .into())
    }

    #[tokio::test]
    async fn the_sample_opens_from_the_empty_list_and_the_language_stays_with_its_data() {
        let spanish = tempfile::tempdir().unwrap();
        let english = tempfile::tempdir().unwrap();

        scenario("first-run-es", spanish.path(), |app| async move {
            step!(
                app,
                app.create_profile("Ana Ruiz", "ana.ruiz@pressworks.example", "Commercial")
                    .await
            );
            step!(app, app.choose("[data-testid=language]", "Español").await);
            step!(
                app,
                app.wait_for_text("[data-testid=open-sample]", |t| t
                    == "Abrir un acuerdo de ejemplo")
                    .await
            );
            step!(app, app.click("[data-testid=open-sample]").await);
            step!(
                app,
                app.wait_for_prop("[data-testid=doc-title]", "value", |v| v == SAMPLE_TITLE)
                    .await
            );
            let expected = format!("{SAMPLE_TITLE} — ScopePact");
            step!(app, native_title_becomes(&app, &expected).await);
            let page_title = step!(app, app.client.title().await);
            if page_title != expected {
                return Err((app, format!("page title {page_title:?}").into()));
            }
            // An invalid value is refused in the person's language: the core's message (field
            // and problem) said from the one catalogue, not the English of its logs.
            step!(
                app,
                app.fill(
                    "[data-testid=commitment-row][data-ref=C-01] [data-testid=cell-price]",
                    "-5"
                )
                .await
            );
            step!(
                app,
                app.wait_for_text("[data-testid=notice]", |t| t
                    .starts_with("Precio: debe ser cero o más, no -5."))
                    .await
            );
            // Back on the list, the window is ScopePact again.
            step!(app, app.click("[data-testid=home]").await);
            step!(app, app.wait_for("[data-testid=documents]").await);
            if x_window_named(SAMPLE_TITLE) {
                tokio::time::sleep(std::time::Duration::from_millis(500)).await;
                if x_window_named(SAMPLE_TITLE) {
                    return Err((app, "the window kept the closed document's title".into()));
                }
            }
            Ok(app)
        })
        .await;

        // Another data directory of the same user: untouched by the Spanish choice.
        scenario("first-run-en", english.path(), |app| async move {
            step!(
                app,
                app.create_profile("Jörg Müller", "j.mueller@pressworks.example", "Operational")
                    .await
            );
            step!(
                app,
                app.wait_for_text("[data-testid=open-sample]", |t| t == "Open a sample deal")
                    .await
            );
            Ok(app)
        })
        .await;

        // The Spanish data directory opens in Spanish again, with its sample listed.
        scenario("first-run-es-again", spanish.path(), |app| async move {
            step!(
                app,
                app.wait_for_prop("[data-testid=language]", "value", |v| v == "es")
                    .await
            );
            step!(
                app,
                app.wait_for_text("[data-testid=documents]", |t| t.contains(SAMPLE_TITLE)
                    && t.contains("Título")
                    && t.contains("Cliente"))
                    .await
            );
            Ok(app)
        })
        .await;
    }
}
