//! Validation: operations' verdict on each commitment, the ambiguity register, the other side's
//! agreement to assumptions and exclusions, executive overrides, and the gate they all feed.
//! Role rules live here, in the core, so the app and the CLI enforce the same ones.

pub mod gate;
pub(crate) mod register;

pub use gate::{economics, gate, Economics, GateCode, GateReason};
