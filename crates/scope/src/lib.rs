//! The ScopePact domain: the committed-scope document on Automerge (through autosurgeon), its
//! interchange format `scopepact/v1`, user edits, and the lifecycle status and gate derived from
//! content. Pure: no IO, no tauri, no tokio.

// The vocabulary every stage speaks: edits, refusals, the interchange format, values' rules.
pub mod edit;
mod error;
pub mod interchange;
pub mod position;
pub mod refusal;
pub mod rules;
pub mod status;

// The record: the Automerge model, reading it totally, and what merging leaves to look at.
pub mod basis;
pub mod conflicts;
mod convert;
pub mod damage;
mod fieldwise;
pub mod history;
pub mod lenient;
mod limits;
pub mod model;
mod record;

// The stages, in lifecycle order: each may read the ones before it, never the ones after.
pub mod content;
pub mod handoff;
pub mod signing;
pub mod validation;

// The whole document: its status, the app's view of it, and applying edits.
pub mod document;
pub mod lifecycle;
pub mod view;

#[cfg(test)]
mod layout;

pub use automerge::{Automerge, ChangeHash};
pub use error::ScopeError;
pub use refusal::Refusal;
