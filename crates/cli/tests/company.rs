//! The company document through the command line: settings only an executive changes, synced
//! to another device through a real server; a new deal starting from them; templates made from
//! a signed deal and deals made from templates (all pending); library entries operations
//! retires. Bad input is refused with the reason and writes nothing.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;

use common::server::{invite, Server};
use common::{Env, ANA, CARMEN, JORG, SAMPLE};
use serde_json::Value;

fn settings(env: &Env) -> Value {
    serde_json::from_str(&env.ok(&["settings", "show", "--json"])).unwrap()
}

/// An executive of the company changes a setting.
fn set(env: &Env, key: &str, value: &str) {
    env.ok(&["--as", CARMEN, "settings", "set", key, value]);
}

fn export(env: &Env, id: &str) -> Value {
    serde_json::from_str(&env.ok(&["export", id, "--format", "json"])).unwrap()
}

#[test]
fn only_an_executive_changes_settings_and_bad_values_write_nothing() {
    let env = Env::new().with_sample_team();
    set(&env, "significant_value", "500000");
    set(&env, "min_margin_pct", "12");
    set(&env, "min_margin_pct.presses", "18");
    set(&env, "currency", "eur");
    set(&env, "company_name", "Pressworks S.L.");
    let before = settings(&env);
    assert_eq!(before["significant_value"], 500_000.0);
    assert_eq!(before["min_margin_pct"], 12.0);
    assert_eq!(before["product_lines"]["presses"], 18.0);
    assert_eq!(before["currency"], "EUR");
    assert_eq!(before["company_name"], "Pressworks S.L.");

    let refused = env.fails(&["--as", ANA, "settings", "set", "min_margin_pct", "5"]);
    assert!(
        refused.contains("only an executive profile may change the company settings"),
        "{refused}"
    );
    for (value, why) in [
        ("-5", "must be zero or more"),
        ("abc", "is not a number"),
        ("150", "at most 100"),
    ] {
        let err = env.fails(&["--as", CARMEN, "settings", "set", "min_margin_pct", value]);
        assert!(err.contains(why), "{value}: {err}");
    }
    let err = env.fails(&["--as", CARMEN, "settings", "set", "margin", "5"]);
    assert!(
        err.contains("is not a setting") && err.contains("min_margin_pct.LINE"),
        "{err}"
    );
    // Once the company names its executives, only they change the settings.
    env.ok(&["--as", CARMEN, "settings", "set", "executives", CARMEN]);
    env.ok(&[
        "profile",
        "add",
        "--name",
        "Luis Gil",
        "--email",
        "l.gil@pressworks.example",
        "--role",
        "executive",
    ]);
    let err = env.fails(&[
        "--as",
        "l.gil@pressworks.example",
        "settings",
        "set",
        "min_margin_pct",
        "1",
    ]);
    assert!(
        err.contains("is not one of the company's executives"),
        "{err}"
    );
    let after = settings(&env);
    assert_eq!(
        after["min_margin_pct"], before["min_margin_pct"],
        "nothing written"
    );
    // Settings are not a deal: the list does not show them.
    assert_eq!(env.ok(&["list", "--json"]).trim(), "[]");
}

#[test]
fn a_new_deal_takes_the_company_thresholds() {
    let env = Env::new().with_sample_team();
    set(&env, "min_margin_pct", "12");
    set(&env, "currency", "USD");
    let id = env
        .ok(&["--as", ANA, "new", "--title", "Prensa 8"])
        .trim()
        .to_string();
    let deal = export(&env, &id);
    assert_eq!(deal["deal"]["margin_threshold_pct"], 12);
    assert_eq!(deal["deal"]["currency"], "USD");
}

#[test]
fn settings_reach_another_device_through_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.sqlite3");
    let (token_a, token_b) = (invite(&db, "laptop-a", &[]), invite(&db, "laptop-b", &[]));
    let server = Server::start(&db, &[]);
    let url = format!("http://127.0.0.1:{}", server.port);
    let a = Env::new().with_sample_team();
    let b = Env::new().with_sample_team();
    set(&a, "min_margin_pct.presses", "18");
    set(&b, "significant_value", "250000");
    for (env, token) in [(&a, &token_a), (&b, &token_b), (&a, &token_a)] {
        env.ok(&["sync", "--server", &url, "--token", token]);
    }
    for env in [&a, &b] {
        let s = settings(env);
        assert_eq!(s["product_lines"]["presses"], 18.0, "{s}");
        assert_eq!(s["significant_value"], 250_000.0, "{s}");
    }
}

#[test]
fn a_template_from_a_signed_deal_gives_new_deals_the_same_commitments_all_pending() {
    let env = Env::new().with_sample_team();
    let draft = env.ok(&["import", SAMPLE]).trim().to_string();
    let err = env.fails(&["template", "save", &draft, "--name", "Press retrofit"]);
    assert!(
        err.contains("only a signed scope becomes a template"),
        "{err}"
    );

    let signed = env.sample_signed();
    env.ok(&[
        "template",
        "save",
        &signed,
        "--name",
        "Press retrofit",
        "--product-line",
        "presses",
    ]);
    set(&env, "min_margin_pct.presses", "18");
    let listed: Value = serde_json::from_str(&env.ok(&["template", "list", "--json"])).unwrap();
    assert_eq!(listed[0]["name"], "Press retrofit");
    assert_eq!(listed[0]["commitments"], 7);

    let id = env
        .ok(&["new", "--template", "Press retrofit", "--title", "Prensa 9"])
        .trim()
        .to_string();
    let (original, made) = (export(&env, &signed), export(&env, &id));
    let titles = |doc: &Value| -> Vec<String> {
        doc["commitments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["title"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(titles(&made), titles(&original));
    assert!(made["commitments"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["validation"]["status"] == "pending"));
    assert!(made["ambiguities"]
        .as_array()
        .unwrap()
        .iter()
        .all(|a| a["status"] == "open"));
    assert_eq!(made["title"], "Prensa 9");
    assert_eq!(made["customer"]["name"], "");
    assert_eq!(made["deal"]["margin_threshold_pct"], 18);
    let status: Value = serde_json::from_str(&env.ok(&["status", &id, "--json"])).unwrap();
    assert_ne!(status["status"], "ready_to_sign");

    // Exported, it is a file another company device imports; `import` refuses it as a deal,
    // and `template import` refuses a deal.
    let file = env.dir.path().join("press.template.json");
    env.ok(&[
        "template",
        "export",
        "Press retrofit",
        "-o",
        file.to_str().unwrap(),
    ]);
    let other = Env::new().with_sample_team();
    let err = other.fails(&["import", file.to_str().unwrap()]);
    assert!(err.contains("is the template \"Press retrofit\""), "{err}");
    let err = other.fails(&["template", "import", SAMPLE]);
    assert!(err.contains("not a template"), "{err}");
    other.ok(&["template", "import", file.to_str().unwrap()]);
    assert!(other.ok(&["template", "list"]).contains("Press retrofit"));
    let err = other.fails(&["new", "--template", "Nope", "--title", "X"]);
    assert!(err.contains("no template named \"Nope\""), "{err}");
    let broken = other.file(
        "broken.json",
        "{\"format\": \"scopepact/v1\", \"template\": {\"name\": \"\"}, \"title\": \"T\"}",
    );
    let err = other.fails(&["template", "import", &broken]);
    assert!(err.contains("a template needs a name"), "{err}");
}

#[test]
fn operations_retires_a_library_entry_and_it_is_not_suggested() {
    let env = Env::new().with_sample_team();
    env.sample_signed();
    let found: Value =
        serde_json::from_str(&env.ok(&["library", "search", "quick die", "--json"])).unwrap();
    let entry = found[0]["id"].as_str().unwrap().to_string();
    let err = env.fails(&["--as", ANA, "library", "retire", &entry, "--reason", "old"]);
    assert!(err.contains("only an operational profile"), "{err}");
    let err = env.fails(&["--as", JORG, "library", "retire", &entry, "--reason", " "]);
    assert!(err.contains("say why"), "{err}");
    let err = env.fails(&[
        "--as",
        JORG,
        "library",
        "retire",
        "nope:nope",
        "--reason",
        "x",
    ]);
    assert!(err.contains("no library entry nope:nope"), "{err}");
    env.ok(&[
        "--as",
        JORG,
        "library",
        "retire",
        &entry,
        "--reason",
        "the clamp supplier closed",
    ]);
    assert_eq!(
        env.ok(&["library", "search", "quick die", "--json"]).trim(),
        "[]"
    );
    let all = env.ok(&["library", "search", "quick die", "--all"]);
    assert!(
        all.contains("retired by Jörg Müller: the clamp supplier closed"),
        "{all}"
    );
    env.ok(&["--as", JORG, "library", "restore", &entry]);
    let back: Value =
        serde_json::from_str(&env.ok(&["library", "search", "quick die", "--json"])).unwrap();
    assert_eq!(back[0]["id"], entry.as_str());
}

/// A deal's status as `status --json` prints it.
fn status(env: &Env, id: &str) -> Value {
    serde_json::from_str(&env.ok(&["status", id, "--json"])).unwrap()
}

fn unmet(status: &Value) -> Vec<String> {
    status["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap().to_string())
        .collect()
}

/// Changes the deal's header the way a script does: the exported file, edited, reconciled.
fn edit_deal(env: &Env, id: &str, change: impl FnOnce(&mut Value)) {
    let mut file = export(env, id);
    change(&mut file["deal"]);
    let path = env.dir.path().join("edited.json");
    std::fs::write(&path, file.to_string()).unwrap();
    env.ok(&["--as", ANA, "import", path.to_str().unwrap(), "--into", id]);
}

#[test]
fn the_company_significant_value_makes_a_deal_significant_and_an_override_needs_a_reason() {
    let env = Env::new().with_sample_team();
    set(&env, "significant_value", "100000");
    set(&env, "min_margin_pct", "12");
    let id = env
        .ok(&["--as", ANA, "new", "--title", "Prensa 9"])
        .trim()
        .to_string();
    let made = export(&env, &id);
    assert_eq!(made["deal"]["significant_value"], 100_000);
    assert_eq!(
        made["deal"]["company_thresholds"],
        serde_json::json!({"significant_value": 100000, "min_margin_pct": 12})
    );
    // Under the significant value the customer's signatory is not asked for; at it, it is.
    edit_deal(&env, &id, |d| d["value"] = 90_000.into());
    assert!(!status(&env, &id)["reasons"]
        .to_string()
        .contains("customer_signatory"));
    edit_deal(&env, &id, |d| d["value"] = 150_000.into());
    assert!(status(&env, &id)["reasons"]
        .to_string()
        .contains("customer_signatory"));

    // The deal lowers its margin threshold: the gate asks why, then shows it with the reason.
    edit_deal(&env, &id, |d| d["margin_threshold_pct"] = 8.into());
    let overridden = status(&env, &id);
    assert!(unmet(&overridden).contains(&"threshold_override_unexplained".to_string()));
    assert_eq!(
        overridden["thresholds"]["overrides"],
        serde_json::json!([{"threshold": "min_margin_pct", "company": 12.0, "deal": 8.0}])
    );
    edit_deal(&env, &id, |d| {
        d["thresholds_reason"] = "strategic first order in Brazil".into()
    });
    let explained = status(&env, &id);
    assert!(!unmet(&explained).contains(&"threshold_override_unexplained".to_string()));
    assert_eq!(
        explained["thresholds"]["reason"],
        "strategic first order in Brazil"
    );
    let text = env.ok(&["status", &id]);
    assert!(
        text.contains("min_margin_pct 8 (company: 12) — strategic first order in Brazil"),
        "{text}"
    );

    // Rewriting the company's thresholds recorded in the deal is refused, nothing written.
    let before = export(&env, &id);
    let mut forged = before.clone();
    forged["deal"]["company_thresholds"]["min_margin_pct"] = 8.into();
    let path = env.dir.path().join("forged.json");
    std::fs::write(&path, forged.to_string()).unwrap();
    let refused = env.fails(&["--as", ANA, "import", path.to_str().unwrap(), "--into", &id]);
    assert!(
        refused.contains("$.deal.company_thresholds") && refused.contains("company settings"),
        "{refused}"
    );
    assert_eq!(export(&env, &id)["deal"], before["deal"]);
}

fn fixture(name: &str) -> String {
    format!("{}/../../tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// The images `pdfimages -list` finds (not their transparency masks): (page, width, height).
fn images_in(pdf: &std::path::Path) -> Vec<(u32, u32, u32)> {
    let listed = common::tool("pdfimages", &["-list", pdf.to_str().unwrap()]);
    listed
        .lines()
        .skip(2)
        .filter_map(|line| {
            let cols: Vec<&str> = line.split_whitespace().collect();
            if cols.get(2) != Some(&"image") {
                return None;
            }
            Some((
                cols.first()?.parse().ok()?,
                cols.get(3)?.parse().ok()?,
                cols.get(4)?.parse().ok()?,
            ))
        })
        .collect()
}

#[test]
fn the_logo_prints_on_the_first_page_and_anything_but_a_small_png_or_jpeg_is_refused() {
    let env = Env::new().with_sample_team();
    let png = fixture("logo.png");
    // Not an executive, not an image, too big: refused with the reason, nothing written.
    let refused = env.fails(&["--as", ANA, "settings", "set", "logo", &png]);
    assert!(refused.contains("executive"), "{refused}");
    let gif = env.dir.path().join("logo.gif");
    std::fs::write(&gif, b"GIF89a\x01\x00\x01\x00\x00\x00\x00;").unwrap();
    let refused = env.fails(&[
        "--as",
        CARMEN,
        "settings",
        "set",
        "logo",
        gif.to_str().unwrap(),
    ]);
    assert!(refused.contains("must be a PNG or JPEG"), "{refused}");
    let big = env.dir.path().join("big.png");
    let mut bytes = std::fs::read(&png).unwrap();
    bytes.resize(1024 * 1024 + 1, 0);
    std::fs::write(&big, bytes).unwrap();
    let refused = env.fails(&[
        "--as",
        CARMEN,
        "settings",
        "set",
        "logo",
        big.to_str().unwrap(),
    ]);
    assert!(refused.contains("at most 1 MiB"), "{refused}");
    let cut = env.dir.path().join("cut.jpg");
    let jpeg = std::fs::read(fixture("logo.jpg")).unwrap();
    std::fs::write(&cut, &jpeg[..jpeg.len() / 2]).unwrap();
    let refused = env.fails(&[
        "--as",
        CARMEN,
        "settings",
        "set",
        "logo",
        cut.to_str().unwrap(),
    ]);
    assert!(refused.contains("does not decode"), "{refused}");
    assert_eq!(settings(&env)["logo"], Value::Null);

    let id = env.sample_signed();
    for (file, format) in [(png, "png"), (fixture("logo.jpg"), "jpeg")] {
        set(&env, "logo", &file);
        let logo = &settings(&env)["logo"];
        assert_eq!(logo["format"], format, "{logo}");
        let pdf = env.dir.path().join(format!("scope-{format}.pdf"));
        env.ok(&[
            "--as",
            JORG,
            "export",
            &id,
            "--format",
            "pdf",
            "-o",
            pdf.to_str().unwrap(),
        ]);
        common::tool("qpdf", &["--check", pdf.to_str().unwrap()]);
        let images = images_in(&pdf);
        assert_eq!(
            images,
            vec![(
                1,
                logo["width"].as_u64().unwrap() as u32,
                logo["height"].as_u64().unwrap() as u32
            )],
            "one image, the logo, on page 1"
        );
        // The verifier draws the page again, logo included, and finds it identical.
        env.ok(&["verify", pdf.to_str().unwrap()]);
    }
    // Removed: the next PDF has no image.
    set(&env, "logo", "");
    let pdf = env.dir.path().join("scope-none.pdf");
    env.ok(&[
        "--as",
        JORG,
        "export",
        &id,
        "--format",
        "pdf",
        "-o",
        pdf.to_str().unwrap(),
    ]);
    assert!(images_in(&pdf).is_empty());
}

#[test]
fn each_settings_change_is_in_the_history_with_who_made_it() {
    let env = Env::new().with_sample_team();
    set(&env, "significant_value", "500000");
    set(&env, "min_margin_pct", "12");
    // Refused: not in the history.
    env.fails(&["--as", ANA, "settings", "set", "currency", "USD"]);
    let history: Value = serde_json::from_str(&env.ok(&["settings", "history", "--json"])).unwrap();
    let changes = history.as_array().unwrap();
    let whats: Vec<&str> = changes
        .iter()
        .map(|c| c["what"].as_str().unwrap())
        .collect();
    assert_eq!(
        whats,
        ["set significant_value", "set min_margin_pct"],
        "{history}"
    );
    assert!(
        changes.iter().all(|c| c["by"] == "Carmen Díaz"),
        "{history}"
    );
    assert!(changes
        .iter()
        .all(|c| c["at"].as_str().unwrap().ends_with('Z')));
}
