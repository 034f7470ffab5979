use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

// Also the languages of a person's screens and of the command line; the doc line below is the
// interchange schema's description of a document's `language`.
/// The languages a scope is printed in.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema, specta::Type,
)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    #[default]
    En,
    Es,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::En, Language::Es];

    pub fn as_str(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Es => "es",
        }
    }

    pub fn parse(code: &str) -> Option<Language> {
        match code {
            "en" => Some(Language::En),
            "es" => Some(Language::Es),
            _ => None,
        }
    }

    /// The language of a POSIX locale name (`es_ES.UTF-8`, `es`, `en_GB`); `None` for `C`,
    /// `POSIX` or a language we do not speak.
    pub fn of_locale(locale: &str) -> Option<Language> {
        let language = locale
            .split(['_', '.', '@', '-'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        Language::parse(&language)
    }

    /// The command line's language, as POSIX says to find it: `LC_ALL`, else `LC_MESSAGES`, else
    /// `LANG` (the first one set and not empty decides); English when that names no language
    /// we speak.
    pub fn from_env() -> Language {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Language {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .find_map(|name| var(name).filter(|v| !v.is_empty()))
            .and_then(|locale| Language::of_locale(&locale))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_locale_variable_set_decides() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(Language::from_vars(env(&[])), Language::En);
        assert_eq!(
            Language::from_vars(env(&[("LANG", "es_ES.UTF-8")])),
            Language::Es
        );
        assert_eq!(
            Language::from_vars(env(&[("LANG", "es_ES.UTF-8"), ("LC_MESSAGES", "C")])),
            Language::En
        );
        assert_eq!(
            Language::from_vars(env(&[("LC_ALL", "es"), ("LC_MESSAGES", "en_US")])),
            Language::Es
        );
        assert_eq!(
            Language::from_vars(env(&[("LC_ALL", ""), ("LANG", "es_MX")])),
            Language::Es
        );
        assert_eq!(
            Language::from_vars(env(&[("LANG", "de_DE.UTF-8")])),
            Language::En
        );
    }
}
