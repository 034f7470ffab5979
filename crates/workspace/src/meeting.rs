//! What a meeting session between laptops needs from the workspace: who this laptop is in it
//! and which document it shares. The session itself is `scopepact_sync::lan`.

use scopepact_scope::ScopeError;
use scopepact_sync::lan::Participant;

use crate::{Result, Workspace};

/// The document a host shares: its automerge-repo id and title.
#[derive(Debug, Clone)]
pub struct SharedDocument {
    pub storage_id: String,
    pub title: String,
}

impl Workspace {
    /// This laptop's person in a session: the acting profile (one is needed: the host shows
    /// who joined, and edits are signed as someone).
    pub fn participant(&self) -> Result<Participant> {
        let profile = self
            .acting_profile()?
            .ok_or(ScopeError::Refused(scopepact_scope::Refusal::NoProfile))?;
        Ok(Participant {
            role: crate::role_word(profile.role).into(),
            name: profile.name,
            email: profile.email,
            device: self.device.clone(),
        })
    }

    /// The document `id` (as the documents list names it), to host a session of.
    pub fn shared_document(&mut self, id: &str) -> Result<SharedDocument> {
        let uuid = scopepact_store::parse_id(id)?;
        let view = self.view(id)?;
        Ok(SharedDocument {
            storage_id: scopepact_store::storage_id(&uuid),
            title: view.title,
        })
    }
}
