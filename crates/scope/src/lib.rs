//! The ScopePact domain: the committed-scope document on Automerge (through autosurgeon), its
//! interchange format `scopepact/v1`, user edits, and the lifecycle status and gate derived from
//! content. Pure: no IO, no tauri, no tokio.

pub mod conflicts;
pub mod content;
mod convert;
pub mod damage;
pub mod document;
pub mod edit;
mod error;
mod fieldwise;
pub mod handoff;
pub mod history;
pub mod interchange;
pub mod lenient;
pub mod model;
pub mod position;
pub mod refusal;
mod register;
pub mod rules;
pub mod signature;
pub mod status;
pub mod view;

pub use automerge::{Automerge, ChangeHash};
pub use error::ScopeError;
pub use refusal::Refusal;
