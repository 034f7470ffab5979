//! Executive overrides: accepting the deal's failing economics (for exactly these figures) or
//! signing with a blocking ambiguity open, with a reason; revoked by an executive.

use super::{gate, no_such, require, text};
use crate::edit::{Actor, OverrideGate};
use crate::error::ScopeError;
use crate::interchange::Role;
use crate::model::{self as m, ScopeDoc};
use crate::refusal::{Refusal, RestrictedAction};
use scopepact_messages::message;

pub(super) fn add(
    d: &mut ScopeDoc,
    gate: OverrideGate,
    reference: Option<&str>,
    reason: &str,
    by: &Actor,
    now: &str,
) -> Result<String, ScopeError> {
    require(by, Role::Executive, RestrictedAction::Override)?;
    let reason = text(
        message!("field-override_reason"),
        reason,
        message!("value-override-reason"),
    )?;
    let mut item = m::Override {
        reason,
        by: by.name.clone(),
        at: now.to_string(),
        ..Default::default()
    };
    match gate {
        OverrideGate::Economics => {
            let e = gate::economics(d);
            let failing = gate::gate(d).iter().any(|r| {
                matches!(
                    r.code,
                    gate::GateCode::CostExceedsRevenue | gate::GateCode::MarginBelowThreshold
                )
            });
            if !failing {
                return Err(ScopeError::Refused(Refusal::NothingToOverride));
            }
            item.gate = m::OverrideGate::Economics;
            item.revenue = Some(e.revenue);
            item.cost = Some(e.cost);
        }
        OverrideGate::Ambiguity => {
            let reference = reference.map(str::trim).unwrap_or_default();
            let ambiguity = d
                .ambiguities
                .values()
                .find(|a| a.reference == reference)
                .ok_or_else(|| {
                    ScopeError::invalid(
                        message!("field-ref"),
                        message!("value-no-ambiguity-ref", reference = reference),
                    )
                })?;
            if ambiguity.severity != m::Severity::Blocking
                || ambiguity.status != m::AmbiguityStatus::Open
            {
                return Err(ScopeError::Refused(Refusal::NotOpenBlocking {
                    reference: reference.to_string(),
                }));
            }
            item.gate = m::OverrideGate::Ambiguity;
            item.reference = Some(reference.to_string());
        }
    }
    let id = m::new_item_id();
    d.overrides.insert(id.clone(), item);
    Ok(id)
}

pub(super) fn revoke(d: &mut ScopeDoc, id: &str, by: &Actor) -> Result<(), ScopeError> {
    require(by, Role::Executive, RestrictedAction::RevokeOverride)?;
    d.overrides
        .remove(id)
        .map(|_| ())
        .ok_or_else(|| no_such(message!("item-override"), id))
}
