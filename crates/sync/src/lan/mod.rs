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
mod transport;

pub use code::JoinCode;
pub use handshake::{Participant, Welcome};
pub use host::{HostConfig, HostView, HostedSession, Joiner};
pub use join::{JoinConfig, JoinedSession};

#[cfg(test)]
mod tests;
