//! Content: the header, the commitments and their order — what sales and operations write
//! together and what a signature covers.

mod commitments;
mod deletions;
mod header;

pub(crate) use commitments::position_at;
pub use deletions::{deletions_in_question, DeletionInQuestion};

use crate::edit::{Edit, Stage};
use crate::error::not_owned;
use crate::error::ScopeError;
use crate::model::ScopeDoc;
use crate::record::Change;

/// Applies a content edit to the model; returns the id of what it created, if anything.
pub(crate) fn apply(
    d: &mut ScopeDoc,
    edit: &Edit,
    cx: &Change,
) -> Result<Option<String>, ScopeError> {
    match edit {
        Edit::UpdateHeader { changes } => header::update(d, changes).map(|()| None),
        Edit::AddCommitment { title, kind, after } => {
            commitments::add(d, title, *kind, after.as_deref(), cx).map(Some)
        }
        Edit::UpdateCommitment { id, changes } => {
            commitments::update(d, id, changes).map(|()| None)
        }
        Edit::MoveCommitment { id, to_index } => {
            commitments::move_to(d, id, *to_index).map(|()| None)
        }
        Edit::DeleteCommitment { id } => commitments::delete(d, id).map(|()| None),
        Edit::RestoreCommitment { id } => deletions::restore(d, id, cx).map(|()| None),
        Edit::ConfirmDeletion { id } => deletions::confirm(d, id, cx).map(|()| None),
        Edit::AddFromLibrary { entry, after } => {
            commitments::add_from_library(d, entry, after.as_deref(), cx).map(Some)
        }
        other => Err(not_owned(other, Stage::Content)),
    }
}
