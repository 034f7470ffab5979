//! Amending a signed scope: someone says why it must change; the signatures that held become
//! void and the scope is open to edits and to signing again.

use crate::edit::Actor;
use crate::error::ScopeError;
use crate::model::{self as m, ScopeDoc};
use crate::refusal::Refusal;
use scopepact_messages::message;

pub(super) fn start(
    d: &mut ScopeDoc,
    reason: &str,
    by: &Actor,
    now: &str,
) -> Result<(), ScopeError> {
    if !super::sealed(d) {
        return Err(ScopeError::Refused(Refusal::NotSealed));
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(ScopeError::invalid(
            message!("field-amendment_reason"),
            message!("value-amendment-reason"),
        ));
    }
    let current = super::content_sha256(d);
    let voids = super::lapses(d, &current)
        .into_iter()
        .filter(|(_, lapse)| lapse.is_none())
        .map(|(id, _)| id)
        .collect();
    d.amendments.insert(
        uuid::Uuid::now_v7().to_string(),
        m::Amendment {
            by: by.name.clone(),
            at: now.to_string(),
            reason: reason.to_string(),
            voids,
        },
    );
    Ok(())
}
