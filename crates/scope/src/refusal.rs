//! Why a rule refuses an action. Structured, so every face can say it in its own language
//! through the message catalogue ([`Refusal::message`]); `Display` is the English.

use serde::Serialize;

use scopepact_messages::{message, say, Language, Message};

use crate::edit::{Actor, AgreementList};
use crate::error::ScopeError;
use crate::interchange::Role;

/// What a role-restricted action is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum RestrictedAction {
    Validate,
    Override,
    RevokeOverride,
    /// The company document's settings (thresholds, executives, name).
    ChangeSettings,
    /// Stop suggesting a library entry (or suggest it again).
    RetireLibraryEntry,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Refusal {
    /// Every change is attributed: no profile, no change.
    NoProfile,
    /// Only `needed` may do `action`; `actor` is `actual`.
    WrongRole {
        needed: Role,
        action: RestrictedAction,
        actor: String,
        actual: Role,
    },
    /// `side` wrote this item; agreement must come from the other side.
    OtherSideMustAgree { side: Role, list: AgreementList },
    /// Executives neither write nor agree assumptions and exclusions.
    ExecutiveNotASide,
    /// A blocking ambiguity is resolved or overridden, never transferred.
    BlockingNotTransferable {
        #[serde(rename = "ref")]
        reference: String,
    },
    /// A transferred ambiguity must be reopened before it becomes blocking.
    TransferredNotBlocking {
        #[serde(rename = "ref")]
        reference: String,
    },
    /// The economics pass: an override would cover nothing.
    NothingToOverride,
    /// Only an open blocking ambiguity is overridden.
    NotOpenBlocking {
        #[serde(rename = "ref")]
        reference: String,
    },
    /// Every required signature holds: content is frozen until someone starts an amendment.
    Sealed,
    /// Signing needs the gate to hold (status ready to sign).
    NotReadyToSign { status: crate::status::Status },
    /// The document does not need (or no longer needs) this signature.
    SignatureNotNeeded { role: SignerRole },
    /// The lead named in the header signs for the role, not another profile.
    NotTheNamedLead {
        role: SignerRole,
        named: String,
        actor: String,
    },
    /// An amendment is for a sealed scope.
    NotSealed,
    /// The transfer meeting is recorded on a signed scope.
    NotSigned { status: crate::status::Status },
    /// Rework and satisfaction come after the handoff.
    NotHandedOff { status: crate::status::Status },
}

/// Whose signature, as the refusals and the app name it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize, specta::Type,
)]
#[serde(rename_all = "snake_case")]
pub enum SignerRole {
    CommercialLead,
    OperationalLead,
    Customer,
}

impl SignerRole {
    /// The role a payload names (`commercial_lead`…), if it is one.
    pub fn parse(name: &str) -> Option<SignerRole> {
        [
            SignerRole::CommercialLead,
            SignerRole::OperationalLead,
            SignerRole::Customer,
        ]
        .into_iter()
        .find(|role| role.as_str() == name)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SignerRole::CommercialLead => "commercial_lead",
            SignerRole::OperationalLead => "operational_lead",
            SignerRole::Customer => "customer",
        }
    }
    /// "the commercial lead", in a sentence.
    pub fn said(self) -> Message {
        match self {
            SignerRole::CommercialLead => message!("signer-commercial_lead"),
            SignerRole::OperationalLead => message!("signer-operational_lead"),
            SignerRole::Customer => message!("signer-customer"),
        }
    }
}

/// "commercial", in a sentence.
pub fn role_said(role: Role) -> Message {
    match role {
        Role::Commercial => message!("role-commercial"),
        Role::Operational => message!("role-operational"),
        Role::Executive => message!("role-executive"),
    }
}

impl RestrictedAction {
    fn doing(self) -> Message {
        match self {
            RestrictedAction::Validate => message!("action-validate"),
            RestrictedAction::Override => message!("action-override"),
            RestrictedAction::RevokeOverride => message!("action-revoke_override"),
            RestrictedAction::ChangeSettings => message!("action-change_settings"),
            RestrictedAction::RetireLibraryEntry => message!("action-retire_library_entry"),
        }
    }
}

impl Refusal {
    /// The refusal as a message of the catalogue, to say in the person's language.
    pub fn message(&self) -> Message {
        match self {
            Refusal::NoProfile => message!("refusal-no_profile"),
            Refusal::WrongRole {
                needed,
                action,
                actor,
                actual,
            } => message!(
                "refusal-wrong_role",
                needed = role_said(*needed),
                action = action.doing(),
                actor = actor,
                actual = role_said(*actual)
            ),
            Refusal::OtherSideMustAgree { side, list } => message!(
                "refusal-other_side_must_agree",
                side = role_said(*side),
                what = match list {
                    AgreementList::Assumption => message!("list-assumption"),
                    AgreementList::Exclusion => message!("list-exclusion"),
                }
            ),
            Refusal::ExecutiveNotASide => message!("refusal-executive_not_a_side"),
            Refusal::BlockingNotTransferable { reference } => {
                message!("refusal-blocking_not_transferable", reference = reference)
            }
            Refusal::TransferredNotBlocking { reference } => {
                message!("refusal-transferred_not_blocking", reference = reference)
            }
            Refusal::NothingToOverride => message!("refusal-nothing_to_override"),
            Refusal::NotOpenBlocking { reference } => {
                message!("refusal-not_open_blocking", reference = reference)
            }
            Refusal::Sealed => message!("refusal-sealed"),
            Refusal::NotReadyToSign { status } => {
                message!("refusal-not_ready_to_sign", status = status.said())
            }
            Refusal::SignatureNotNeeded { role } => {
                message!("refusal-signature_not_needed", role = role.said())
            }
            Refusal::NotTheNamedLead { role, named, actor } => message!(
                "refusal-not_the_named_lead",
                role = role.said(),
                named = named,
                actor = actor
            ),
            Refusal::NotSealed => message!("refusal-not_sealed"),
            Refusal::NotSigned { status } => message!("refusal-not_signed", status = status.said()),
            Refusal::NotHandedOff { status } => {
                message!("refusal-not_handed_off", status = status.said())
            }
        }
    }
}

/// In English, for the command line's default and logs.
impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&say(Language::En, &self.message()))
    }
}

/// The acting role, or a refusal naming what a profile is needed for.
pub(crate) fn acting_role(by: &Actor) -> Result<Role, ScopeError> {
    by.role.ok_or(ScopeError::Refused(Refusal::NoProfile))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_name_the_item_they_are_about() {
        let said = |r: Refusal| r.to_string();
        for (refusal, item) in [
            (
                Refusal::BlockingNotTransferable {
                    reference: "A-01".into(),
                },
                "A-01 is blocking",
            ),
            (
                Refusal::TransferredNotBlocking {
                    reference: "A-02".into(),
                },
                "A-02 was transferred",
            ),
            (
                Refusal::NotOpenBlocking {
                    reference: "A-03".into(),
                },
                "A-03 is not an open",
            ),
        ] {
            assert!(said(refusal.clone()).starts_with(item), "{}", said(refusal));
        }
    }
}
