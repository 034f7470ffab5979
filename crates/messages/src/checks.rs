//! The catalogue's checks, run with the workspace's tests (so in `.ci/run`): every file parses;
//! both languages hold the same messages with the same arguments; every id the code names is
//! in the catalogue; the app's generated copy is the catalogue's.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use fluent_syntax::ast;

use crate::{ids, sources, Language};

/// Each message's variables (`$n`), by id, in one language.
fn variables(language: Language) -> BTreeMap<String, BTreeSet<String>> {
    let mut found = BTreeMap::new();
    for source in sources().iter().filter(|s| s.language == language) {
        let resource = fluent_syntax::parser::parse(source.text)
            .unwrap_or_else(|(_, errors)| panic!("{} does not parse: {errors:?}", source.name));
        for entry in resource.body {
            if let ast::Entry::Message(message) = entry {
                let mut names = BTreeSet::new();
                if let Some(value) = &message.value {
                    pattern_variables(value, &mut names);
                }
                for attribute in &message.attributes {
                    pattern_variables(&attribute.value, &mut names);
                }
                found.insert(message.id.name.to_string(), names);
            }
        }
    }
    found
}

fn pattern_variables(pattern: &ast::Pattern<&str>, names: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expression_variables(expression, names);
        }
    }
}

fn expression_variables(expression: &ast::Expression<&str>, names: &mut BTreeSet<String>) {
    match expression {
        ast::Expression::Inline(inline) => inline_variables(inline, names),
        ast::Expression::Select { selector, variants } => {
            inline_variables(selector, names);
            for variant in variants {
                pattern_variables(&variant.value, names);
            }
        }
    }
}

fn inline_variables(inline: &ast::InlineExpression<&str>, names: &mut BTreeSet<String>) {
    match inline {
        ast::InlineExpression::VariableReference { id } => {
            names.insert(id.name.to_string());
        }
        ast::InlineExpression::Placeable { expression } => expression_variables(expression, names),
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            for argument in &arguments.positional {
                inline_variables(argument, names);
            }
        }
        _ => {}
    }
}

#[test]
fn every_file_parses_without_junk() {
    for source in sources() {
        match fluent_syntax::parser::parse(source.text) {
            Ok(resource) => {
                let junk = resource
                    .body
                    .iter()
                    .any(|e| matches!(e, ast::Entry::Junk { .. }));
                assert!(!junk, "{}: unparsed text", source.name);
            }
            Err((_, errors)) => panic!("{}: {errors:?}", source.name),
        }
    }
}

#[test]
fn no_message_is_defined_twice() {
    for language in Language::ALL {
        let mut seen = BTreeMap::new();
        for source in sources().iter().filter(|s| s.language == language) {
            let resource = fluent_syntax::parser::parse(source.text).unwrap_or_else(|(r, _)| r);
            for entry in resource.body {
                if let ast::Entry::Message(message) = entry {
                    if let Some(first) = seen.insert(message.id.name.to_string(), source.name) {
                        panic!("{} is in {first} and {}", message.id.name, source.name);
                    }
                }
            }
        }
    }
}

#[test]
fn both_languages_hold_the_same_messages_with_the_same_arguments() {
    let english = variables(Language::En);
    let spanish = variables(Language::Es);
    let only = |a: &BTreeMap<String, _>, b: &BTreeMap<String, _>| -> Vec<String> {
        a.keys().filter(|k| !b.contains_key(*k)).cloned().collect()
    };
    assert!(
        only(&english, &spanish).is_empty(),
        "in English, not in Spanish: {:?}",
        only(&english, &spanish)
    );
    assert!(
        only(&spanish, &english).is_empty(),
        "in Spanish, not in English: {:?}",
        only(&spanish, &english)
    );
    let differ: Vec<String> = english
        .iter()
        .filter(|(id, vars)| spanish.get(*id) != Some(vars))
        .map(|(id, vars)| format!("{id}: {vars:?} / {:?}", spanish.get(id)))
        .collect();
    assert!(differ.is_empty(), "arguments differ: {differ:#?}");
    assert!(english.len() > 100, "the catalogue was read");
}

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn files_under(dir: &Path, extensions: &[&str], found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            if !matches!(
                name.as_str(),
                "target" | "node_modules" | "dist" | ".git" | "vendor"
            ) {
                files_under(&path, extensions, found);
            }
        } else if extensions.iter().any(|e| name.ends_with(e)) {
            found.push(path);
        }
    }
}

/// The ids the code names literally: `message!("id"`, `Message::new("id"`
/// in Rust; `t("id"`, `tIn(_, "id"` in the app.
fn ids_in_code() -> BTreeMap<String, PathBuf> {
    let mut files = vec![];
    files_under(&repository().join("crates"), &[".rs"], &mut files);
    files_under(&repository().join("src-tauri/src"), &[".rs"], &mut files);
    files_under(
        &repository().join("ui/src"),
        &[".ts", ".svelte"],
        &mut files,
    );
    let patterns = [
        "message!(",
        "Message::new(\"",
        "t(\"",
        "tIn(doc.language, \"",
        "tIn(locale, \"",
    ];
    let mut found = BTreeMap::new();
    for file in files {
        if file.ends_with("messages.generated.ts") || file.ends_with("checks.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        for pattern in patterns {
            for (at, _) in text.match_indices(pattern) {
                let before = text[..at].chars().last();
                if pattern.starts_with('t')
                    && before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.')
                {
                    continue; // `split("` or `obj.t("`, not our `t("`
                }
                let rest = &text[at + pattern.len()..];
                // `message!(` may break its line before the id.
                let rest = if pattern == "message!(" {
                    match rest.trim_start().strip_prefix('"') {
                        Some(rest) => rest,
                        None => continue,
                    }
                } else {
                    rest
                };
                let id: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                    .collect();
                if rest[id.len()..].starts_with('"') && !id.is_empty() {
                    found.insert(id, file.clone());
                }
            }
        }
    }
    found
}

#[test]
fn every_id_the_code_names_is_in_the_catalogue() {
    let known = ids(Language::En);
    let used = ids_in_code();
    let missing: Vec<String> = used
        .iter()
        .filter(|(id, _)| !known.contains(*id))
        .map(|(id, file)| format!("{id} ({})", file.display()))
        .collect();
    assert!(missing.is_empty(), "not in the catalogue: {missing:#?}");
    assert!(
        used.len() > 100,
        "the scan found the code's ids ({})",
        used.len()
    );
}

/// The app's copy: the texts of the files the app reads, and the type of their ids.
fn generated_ui_module() -> String {
    let mut out = String::from(
        "// Generated from crates/messages/locales (core.ftl, ui.ftl) by\n\
         // `SCOPEPACT_WRITE_MESSAGES=1 cargo test -p scopepact-messages`; do not edit.\n\n",
    );
    out.push_str("export const catalogue = {\n");
    for language in Language::ALL {
        let text: String = sources()
            .iter()
            .filter(|s| {
                s.language == language
                    && (s.name.ends_with("/core.ftl") || s.name.ends_with("/ui.ftl"))
            })
            .map(|s| s.text)
            .collect::<Vec<_>>()
            .join("\n");
        out.push_str(&format!(
            "  {}: {},\n",
            language.as_str(),
            serde_json::to_string(&text).unwrap_or_default()
        ));
    }
    out.push_str("} as const;\n\nexport type MessageId =\n");
    let core_and_ui: BTreeSet<String> = sources()
        .iter()
        .filter(|s| s.language == Language::En)
        .filter(|s| s.name.ends_with("/core.ftl") || s.name.ends_with("/ui.ftl"))
        .flat_map(|s| {
            let resource = fluent_syntax::parser::parse(s.text).unwrap_or_else(|(r, _)| r);
            resource
                .body
                .into_iter()
                .filter_map(|entry| match entry {
                    ast::Entry::Message(m) => Some(m.id.name.to_string()),
                    _ => None,
                })
                .collect::<Vec<_>>()
        })
        .collect();
    for id in &core_and_ui {
        out.push_str(&format!(
            "  | {}\n",
            serde_json::to_string(id).unwrap_or_default()
        ));
    }
    out.push_str(";\n");
    out
}

#[test]
fn the_apps_copy_of_the_catalogue_is_current() {
    let path = repository().join("ui/src/lib/messages.generated.ts");
    let fresh = generated_ui_module();
    if std::env::var_os("SCOPEPACT_WRITE_MESSAGES").is_some() {
        std::fs::write(&path, &fresh).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current == fresh,
        "{} is not the catalogue's: run SCOPEPACT_WRITE_MESSAGES=1 cargo test -p scopepact-messages",
        path.display()
    );
}
