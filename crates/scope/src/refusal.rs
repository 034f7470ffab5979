//! Why a rule refuses an action. Structured, so every face can say it in its own language; the
//! English text is for the CLI and logs.

use serde::Serialize;

use crate::edit::AgreementList;
use crate::interchange::Role;

/// What a role-restricted action is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum RestrictedAction {
    Validate,
    Override,
    RevokeOverride,
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
    fn said(self) -> &'static str {
        match self {
            SignerRole::CommercialLead => "the commercial lead",
            SignerRole::OperationalLead => "the operational lead",
            SignerRole::Customer => "the customer",
        }
    }
}

fn role_name(role: Role) -> &'static str {
    match role {
        Role::Commercial => "commercial",
        Role::Operational => "operational",
        Role::Executive => "executive",
    }
}

/// `ready_to_sign` → `ready to sign`.
fn said(status: crate::status::Status) -> String {
    status.as_str().replace('_', " ")
}

impl RestrictedAction {
    fn doing(self) -> &'static str {
        match self {
            RestrictedAction::Validate => "give an operational verdict",
            RestrictedAction::Override => "override the gate",
            RestrictedAction::RevokeOverride => "revoke an override",
        }
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::NoProfile => f.write_str("choose or create a profile first: every change is attributed"),
            Refusal::WrongRole {
                needed,
                action,
                actor,
                actual,
            } => write!(
                f,
                "only an {} profile may {}; {actor} is {}",
                role_name(*needed),
                action.doing(),
                role_name(*actual)
            ),
            Refusal::OtherSideMustAgree { side, list } => write!(
                f,
                "the {} side wrote this {}: agreement must come from the other side",
                role_name(*side),
                match list {
                    AgreementList::Assumption => "assumption",
                    AgreementList::Exclusion => "exclusion",
                }
            ),
            Refusal::ExecutiveNotASide => f.write_str("assumptions and exclusions are written and agreed by the commercial and operational sides, not by an executive"),
            Refusal::BlockingNotTransferable { reference } => write!(f, "{reference} is blocking: it can only be resolved, or overridden by an executive"),
            Refusal::TransferredNotBlocking { reference } => write!(f, "{reference} was transferred as non-blocking; reopen it before making it blocking"),
            Refusal::NothingToOverride => f.write_str("the economics pass the gate: there is nothing to override"),
            Refusal::NotOpenBlocking { reference } => write!(f, "{reference} is not an open blocking ambiguity: only those are overridden"),
            Refusal::Sealed => f.write_str("the scope is signed and sealed: start an amendment (with its reason) to change it; the signatures will then have to be given again"),
            Refusal::NotReadyToSign { status } => write!(
                f,
                "the scope cannot be signed while it is {}: the gate must hold (ready to sign)",
                said(*status)
            ),
            Refusal::SignatureNotNeeded { role } => write!(
                f,
                "this scope does not need a signature from {} (already signed, or not required for this deal)",
                role.said()
            ),
            Refusal::NotTheNamedLead { role, named, actor } => write!(
                f,
                "{} named in the header is {named}: {actor} cannot sign in that role",
                role.said()
            ),
            Refusal::NotSealed => f.write_str("an amendment is started on a signed scope; this one is not signed"),
            Refusal::NotSigned { status } => write!(
                f,
                "the transfer meeting hands over a signed scope; this one is {}",
                said(*status)
            ),
            Refusal::NotHandedOff { status } => write!(
                f,
                "rework and customer satisfaction are recorded after the handoff; this scope is {}",
                said(*status)
            ),
        }
    }
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
