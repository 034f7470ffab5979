//! What a meeting session between laptops needs from the workspace: who this laptop is in it
//! and which document it shares. The session itself is `scopepact_sync::lan`.

use scopepact_scope::edit::{AttendeeRole, Edit};
use scopepact_scope::view::DocumentView;
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

impl Workspace {
    /// Records the people of a meeting session as present at the transfer meeting: someone
    /// already listed (same email) is marked present; anyone else is added, as the lead of
    /// their role (an executive as "other"). Returns the document as it is now.
    pub fn record_participants(
        &mut self,
        id: &str,
        participants: &[Participant],
    ) -> Result<DocumentView> {
        let mut view = self.view(id)?;
        for who in participants {
            let listed = view
                .meeting
                .attendees
                .iter()
                .find(|a| !who.email.is_empty() && a.email.eq_ignore_ascii_case(&who.email));
            let edit = match listed {
                Some(a) if a.present => continue,
                Some(a) => Edit::SetAttendee {
                    id: Some(a.id.clone()),
                    name: a.name.clone(),
                    email: a.email.clone(),
                    role: a.role,
                    present: true,
                },
                None => Edit::SetAttendee {
                    id: None,
                    name: who.name.clone(),
                    email: who.email.clone(),
                    role: attendee_role(&who.role),
                    present: true,
                },
            };
            view = self.edit(id, &edit)?.1;
        }
        Ok(view)
    }
}

/// The transfer meeting's role for someone of this profile role (as a session says it).
fn attendee_role(role: &str) -> AttendeeRole {
    match role {
        "commercial" => AttendeeRole::CommercialLead,
        "operational" => AttendeeRole::OperationalLead,
        _ => AttendeeRole::Other,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use scopepact_scope::interchange::Role;

    #[test]
    fn session_participants_are_marked_present_or_added_once() {
        let dir = tempfile::tempdir().unwrap();
        let mut ws = Workspace::open(Some(dir.path().to_path_buf())).unwrap();
        ws.add_profile("Ana Ruiz", "ana@example.com", Role::Commercial)
            .unwrap();
        let id = ws.create_sample().unwrap().to_string();
        let listed = ws.view(&id).unwrap().meeting.attendees.len();
        let ana = ws.participant().unwrap();
        let olga = Participant {
            name: "Olga".into(),
            email: "olga@example.com".into(),
            role: "operational".into(),
            device: "olga-laptop".into(),
        };
        let view = ws
            .record_participants(&id, &[ana.clone(), olga.clone()])
            .unwrap();
        let present: Vec<_> = view
            .meeting
            .attendees
            .iter()
            .filter(|a| a.present)
            .map(|a| (a.email.as_str(), a.role))
            .collect();
        assert!(present.contains(&("olga@example.com", AttendeeRole::OperationalLead)));
        assert!(present.iter().any(|(email, _)| *email == "ana@example.com"));
        // Again: nobody is added twice.
        let again = ws.record_participants(&id, &[ana, olga]).unwrap();
        assert_eq!(again.meeting.attendees.len(), view.meeting.attendees.len());
        assert!(again.meeting.attendees.len() <= listed + 2);
    }
}
