//! A meeting session between laptops, without any network but the room's: one laptop hosts a
//! document, the others join it with a code read aloud, and edits flow live both ways through
//! the same samod machinery as with the company server ([`crate::live`]). The code is never
//! sent: SPAKE2 turns it into a key that seals everything after ([`handshake`], [`channel`]).

mod channel;
pub mod code;
pub mod discovery;
mod handshake;
pub mod host;
pub mod join;
mod strikes;
mod transport;

pub use code::JoinCode;
pub use handshake::{Participant, Welcome};
pub use host::{HostConfig, HostView, HostedSession, Joiner};
pub use join::{JoinConfig, JoinedSession};

/// Longer text from another laptop is cut: a hostile peer cannot fill a screen.
const MAX_SHOWN_CHARS: usize = 120;

/// Text heard from another laptop (a name, a title), as it may be shown: without control
/// characters (no terminal escapes, no tab or newline to break a line-based listing) and at
/// most 120 characters.
pub(crate) fn shown(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control())
        .take(MAX_SHOWN_CHARS)
        .collect()
}

#[cfg(test)]
mod tests;
