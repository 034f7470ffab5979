use scopepact_messages::{message, say, Language, Message};
use thiserror::Error;

use crate::edit::{Edit, Stage};

/// Every error carries what the person reads as a message of the catalogue
/// ([`ScopeError::message`]); `Display` is its English, for the command line's default and logs.
#[derive(Debug, Error)]
pub enum ScopeError {
    /// A `scopepact/v1` file that does not parse or breaks a rule of the format.
    InvalidFile {
        /// Where in the file (a JSON path such as `$.commitments[2].price`).
        path: String,
        problem: Message,
        line: Option<usize>,
        column: Option<usize>,
    },
    /// An edit with a value the document cannot take (bad date, negative price, …).
    InvalidValue {
        field: Message,
        problem: Message,
    },
    /// A role rule forbids the action (only operations validates, only an executive overrides,
    /// agreement comes from the other side…).
    Refused(crate::refusal::Refusal),
    NoSuchItem {
        what: Message,
        id: String,
    },
    NotAScopeDocument(Box<autosurgeon::HydrateError>),
    Reconcile(Box<autosurgeon::ReconcileError>),
    Automerge(Box<automerge::AutomergeError>),
}

impl ScopeError {
    /// A value refused: `field` names it (`field-price`), `problem` says why.
    pub fn invalid(field: Message, problem: Message) -> ScopeError {
        ScopeError::InvalidValue { field, problem }
    }

    pub fn no_such(what: Message, id: impl Into<String>) -> ScopeError {
        ScopeError::NoSuchItem {
            what,
            id: id.into(),
        }
    }

    /// A file refused at `path` (no line and column: a rule of the format, not its syntax).
    pub fn in_file(path: impl Into<String>, problem: Message) -> ScopeError {
        ScopeError::InvalidFile {
            path: path.into(),
            problem,
            line: None,
            column: None,
        }
    }

    /// What the person reads, in any language.
    pub fn message(&self) -> Message {
        match self {
            ScopeError::InvalidFile {
                path,
                problem,
                line: Some(line),
                column: Some(column),
            } => message!(
                "file-invalid-at",
                path = path,
                problem = problem.clone(),
                line = *line,
                column = *column
            ),
            ScopeError::InvalidFile { path, problem, .. } => {
                message!("file-invalid", path = path, problem = problem.clone())
            }
            ScopeError::InvalidValue { field, problem } => {
                message!(
                    "value-invalid",
                    field = field.clone(),
                    problem = problem.clone()
                )
            }
            ScopeError::Refused(refusal) => refusal.message(),
            ScopeError::NoSuchItem { what, id } => {
                message!("item-missing", what = what.clone(), id = id)
            }
            ScopeError::NotAScopeDocument(e) => {
                message!("error-not-a-scope-document", detail = e.to_string())
            }
            ScopeError::Reconcile(e) => message!("error-write-change", detail = e.to_string()),
            ScopeError::Automerge(e) => message!("error-automerge", detail = e.to_string()),
        }
    }
}

impl std::fmt::Display for ScopeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&say(Language::En, &self.message()))
    }
}

// The library errors are boxed so every `Result<_, ScopeError>` stays small.
impl From<autosurgeon::HydrateError> for ScopeError {
    fn from(err: autosurgeon::HydrateError) -> Self {
        ScopeError::NotAScopeDocument(Box::new(err))
    }
}

impl From<autosurgeon::ReconcileError> for ScopeError {
    fn from(err: autosurgeon::ReconcileError) -> Self {
        ScopeError::Reconcile(Box::new(err))
    }
}

impl From<automerge::AutomergeError> for ScopeError {
    fn from(err: automerge::AutomergeError) -> Self {
        ScopeError::Automerge(Box::new(err))
    }
}

/// An edit handed to a stage that does not own it: a bug in the dispatch, never a user's doing.
pub(crate) fn not_owned(edit: &Edit, stage: Stage) -> ScopeError {
    ScopeError::invalid(
        message!("field-edit"),
        message!(
            "value-edit-elsewhere",
            action = edit.action(),
            stage = format!("{stage:?}")
        ),
    )
}
