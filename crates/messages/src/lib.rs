//! The one message catalogue: every text a person reads — refusals, invalid values, the command
//! line's lines, the PDF's labels, the app's screens — lives in `locales/<language>/*.ftl`
//! (Project Fluent), English and Spanish. Code names a message by its id and gives its
//! arguments ([`Message`]); [`say`] puts it in a language, with that language's plural rules.
//! The app reads the same files (`ui/src/lib/messages.generated.ts`).

mod catalogue;
mod language;
mod message;

#[cfg(test)]
mod checks;

pub use catalogue::{has, ids, say, sources, Source};
pub use language::Language;
pub use message::{Arg, Message};
