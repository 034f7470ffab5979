//! The `.ftl` files, built into the binary, and saying a message in a language.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

use crate::{Arg, Language, Message};

/// One file of the catalogue.
pub struct Source {
    pub language: Language,
    pub name: &'static str,
    pub text: &'static str,
}

macro_rules! source {
    ($language:ident, $dir:literal, $file:literal) => {
        Source {
            language: Language::$language,
            name: concat!($dir, "/", $file),
            text: include_str!(concat!("../locales/", $dir, "/", $file)),
        }
    };
}

static SOURCES: &[Source] = &[
    source!(En, "en", "core.ftl"),
    source!(En, "en", "cli.ftl"),
    source!(En, "en", "pdf.ftl"),
    source!(En, "en", "ui.ftl"),
    source!(Es, "es", "core.ftl"),
    source!(Es, "es", "cli.ftl"),
    source!(Es, "es", "pdf.ftl"),
    source!(Es, "es", "ui.ftl"),
];

/// Every file of the catalogue.
pub fn sources() -> &'static [Source] {
    SOURCES
}

type Bundle = FluentBundle<FluentResource>;

fn bundle(language: Language) -> &'static Bundle {
    static BUNDLES: OnceLock<[Bundle; 2]> = OnceLock::new();
    let bundles = BUNDLES.get_or_init(|| Language::ALL.map(build));
    &bundles[language as usize]
}

fn build(language: Language) -> Bundle {
    let id: unic_langid::LanguageIdentifier = language
        .as_str()
        .parse()
        .unwrap_or_else(|_| unic_langid::LanguageIdentifier::default());
    let mut bundle = Bundle::new_concurrent(vec![id]);
    // Plain text out: no Unicode isolation marks around arguments in a terminal or a PDF.
    bundle.set_use_isolating(false);
    for source in SOURCES.iter().filter(|s| s.language == language) {
        // A file that does not parse keeps what did; the catalogue test fails on it.
        let resource = FluentResource::try_new(source.text.to_string()).unwrap_or_else(|(r, _)| r);
        let _ = bundle.add_resource(resource);
    }
    bundle
}

/// The ids of every message in `language`'s files.
pub fn ids(language: Language) -> BTreeSet<String> {
    SOURCES
        .iter()
        .filter(|s| s.language == language)
        .flat_map(|s| {
            let resource = FluentResource::try_new(s.text.to_string()).unwrap_or_else(|(r, _)| r);
            resource
                .entries()
                .filter_map(|entry| match entry {
                    fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
                    _ => None,
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The message in `language`; in English when the language lacks it; its id when neither has
/// it (never a panic: the catalogue test keeps that from happening).
pub fn say(language: Language, message: &Message) -> String {
    [language, Language::En]
        .into_iter()
        .find_map(|l| format(l, message))
        .unwrap_or_else(|| message.id.to_string())
}

/// Whether `language`'s files hold the message `id` (for ids made at run time).
pub fn has(language: Language, id: &str) -> bool {
    bundle(language).has_message(id)
}

fn format(language: Language, message: &Message) -> Option<String> {
    let bundle = bundle(language);
    let pattern = bundle.get_message(&message.id)?.value()?;
    let mut args = FluentArgs::new();
    for (name, arg) in &message.args {
        let value = match arg {
            Arg::Text(text) => FluentValue::from(text.as_str()),
            Arg::Number(n) => FluentValue::from(*n),
            Arg::Message(inner) => FluentValue::from(say(language, inner)),
        };
        args.set(name.as_ref(), value);
    }
    let mut errors = vec![];
    let text = bundle.format_pattern(pattern, Some(&args), &mut errors);
    Some(text.into_owned())
}
