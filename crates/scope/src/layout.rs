//! The crate's shape, checked: modules import only their own layer and the ones below it (later
//! stages read earlier ones, never the reverse), functions stay short, and a long file says why
//! at its top. See docs/architecture.md for the picture.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Each module's layer, lowest first. A new module must be placed here.
const LAYERS: &[(&str, &[&str])] = &[
    (
        "vocabulary",
        &[
            "edit",
            "error",
            "interchange",
            "position",
            "refusal",
            "rules",
            "status",
        ],
    ),
    (
        "record",
        &[
            "basis",
            "conflicts",
            "convert",
            "damage",
            "fieldwise",
            "history",
            "lenient",
            "limits",
            "model",
            "record",
        ],
    ),
    ("content", &["content"]),
    ("validation", &["validation"]),
    ("signing", &["signing"]),
    ("handoff", &["handoff"]),
    ("document", &["document", "lifecycle", "view"]),
];

const MAX_FUNCTION_LINES: usize = 80;
const MAX_FILE_LINES: usize = 700;
/// What a file over [`MAX_FILE_LINES`] says in its first lines.
const LONG_FILE_REASON: &str = "//! Why this file is long:";

fn layer_of(module: &str) -> Option<usize> {
    LAYERS
        .iter()
        .position(|(_, modules)| modules.contains(&module))
}

fn sources() -> Vec<PathBuf> {
    fn walk(dir: &Path, found: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("src is readable") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                walk(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push(path);
            }
        }
    }
    let mut found = vec![];
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut found,
    );
    found.sort();
    found
}

/// The top-level module a source file belongs to (`validation/gate.rs` → `validation`).
fn module_of(path: &Path) -> String {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let relative = path.strip_prefix(&src).expect("under src");
    let first = relative
        .components()
        .next()
        .expect("a file")
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

/// The file's code without its unit tests and comments: what the crate itself uses.
fn code_lines(text: &str) -> Vec<&str> {
    text.lines()
        .take_while(|l| !l.starts_with("#[cfg(test)]"))
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect()
}

fn imported_modules(line: &str) -> Vec<String> {
    line.match_indices("crate::")
        .map(|(at, _)| {
            line[at + "crate::".len()..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect()
        })
        // `crate::ScopeError` and the like are the crate root's re-exports, not modules.
        .filter(|m: &String| m.starts_with(|c: char| c.is_ascii_lowercase()))
        .collect()
}

#[test]
fn stages_import_only_their_own_layer_and_the_ones_below() {
    let mut wrong = vec![];
    for path in sources() {
        let module = module_of(&path);
        if module == "lib" || module == "layout" || path.ends_with("tests.rs") {
            continue;
        }
        let Some(own) = layer_of(&module) else {
            wrong.push(format!("{module} has no layer in layout.rs"));
            continue;
        };
        let text = std::fs::read_to_string(&path).expect("readable");
        for (n, line) in code_lines(&text).iter().enumerate() {
            for used in imported_modules(line) {
                match layer_of(&used) {
                    Some(layer) if layer <= own => {}
                    Some(layer) => wrong.push(format!(
                        "{}:{}: {} ({}) uses {used} ({})",
                        path.display(),
                        n + 1,
                        module,
                        LAYERS[own].0,
                        LAYERS[layer].0
                    )),
                    None => wrong.push(format!("{used} has no layer in layout.rs")),
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Lengths of the functions in `text` outside its unit tests: (name, first line, lines).
fn function_lengths(text: &str) -> Vec<(String, usize, usize)> {
    let lines = code_lines(text);
    let mut found = vec![];
    for (start, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let Some(name) = function_name(trimmed) else {
            continue;
        };
        let Some(open) = (start..lines.len()).find(|&i| {
            let l = lines[i].trim_end();
            l.ends_with('{') || l.ends_with(';')
        }) else {
            continue;
        };
        if lines[open].trim_end().ends_with(';') {
            continue; // a declaration without a body
        }
        let closing = format!("{}}}", " ".repeat(indent));
        if let Some(end) = (open + 1..lines.len()).find(|&i| lines[i].trim_end() == closing) {
            found.push((name, start + 1, end - start + 1));
        }
    }
    found
}

fn function_name(trimmed: &str) -> Option<String> {
    let mut rest = trimmed;
    for prefix in ["pub(crate) ", "pub(super) ", "pub ", "const ", "async "] {
        rest = rest.strip_prefix(prefix).unwrap_or(rest);
    }
    let rest = rest.strip_prefix("fn ")?;
    Some(
        rest.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect(),
    )
}

#[test]
fn functions_are_short_and_long_files_say_why() {
    let mut wrong = vec![];
    let mut longest: BTreeMap<usize, String> = BTreeMap::new();
    for path in sources() {
        let text = std::fs::read_to_string(&path).expect("readable");
        let lines = text.lines().count();
        let says_why = text
            .lines()
            .take(10)
            .any(|l| l.starts_with(LONG_FILE_REASON));
        if lines > MAX_FILE_LINES && !says_why {
            wrong.push(format!(
                "{}: {lines} lines, over {MAX_FILE_LINES} without \"{LONG_FILE_REASON}\"",
                path.display()
            ));
        }
        for (name, line, length) in function_lengths(&text) {
            longest.insert(length, name.clone());
            if length > MAX_FUNCTION_LINES {
                wrong.push(format!(
                    "{}:{line}: fn {name} is {length} lines (at most {MAX_FUNCTION_LINES})",
                    path.display()
                ));
            }
        }
    }
    assert!(!longest.is_empty(), "the check found the crate's functions");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_checks_see_what_they_check() {
    let text = "pub fn short() {\n    one();\n}\n\nfn long() {\n    a();\n    b();\n}\n";
    assert_eq!(
        function_lengths(text),
        vec![("short".into(), 1, 3), ("long".into(), 5, 4)]
    );
    assert_eq!(
        imported_modules("use crate::signing::{self, Lapse}; crate::view::x"),
        vec!["signing".to_string(), "view".to_string()]
    );
    assert_eq!(code_lines("a // crate::view\n#[cfg(test)]\nb"), vec!["a "]);
}
