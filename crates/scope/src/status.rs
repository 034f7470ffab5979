//! The lifecycle status a document is in. It is derived from content every time (DESIGN §4),
//! never stored: [`crate::lifecycle::status`] works it out from what each stage recorded.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    #[default]
    Draft,
    InValidation,
    ReadyToSign,
    Signed,
    HandedOff,
    Closed,
    StoppedAtValidation,
    AmendedAfterSignature,
}

impl Status {
    pub const ALL: [Status; 8] = [
        Status::Draft,
        Status::InValidation,
        Status::ReadyToSign,
        Status::Signed,
        Status::HandedOff,
        Status::Closed,
        Status::StoppedAtValidation,
        Status::AmendedAfterSignature,
    ];

    /// "in validation", in a sentence.
    pub fn said(self) -> scopepact_messages::Message {
        use scopepact_messages::message;
        match self {
            Status::Draft => message!("status-draft"),
            Status::InValidation => message!("status-in_validation"),
            Status::ReadyToSign => message!("status-ready_to_sign"),
            Status::Signed => message!("status-signed"),
            Status::HandedOff => message!("status-handed_off"),
            Status::Closed => message!("status-closed"),
            Status::StoppedAtValidation => message!("status-stopped_at_validation"),
            Status::AmendedAfterSignature => message!("status-amended_after_signature"),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::InValidation => "in_validation",
            Status::ReadyToSign => "ready_to_sign",
            Status::Signed => "signed",
            Status::HandedOff => "handed_off",
            Status::Closed => "closed",
            Status::StoppedAtValidation => "stopped_at_validation",
            Status::AmendedAfterSignature => "amended_after_signature",
        }
    }
}
