use thiserror::Error;

#[derive(Debug, Error)]
pub enum ScopeError {
    /// A `scopepact/v1` file that does not parse or breaks a rule of the format.
    #[error("{path}: {message}{}", position(*line, *column))]
    InvalidFile {
        path: String,
        message: String,
        line: Option<usize>,
        column: Option<usize>,
    },
    /// An edit with a value the document cannot take (bad date, negative price, …).
    #[error("{field}: {message}")]
    InvalidValue { field: String, message: String },
    /// A role rule forbids the action (only operations validates, only an executive overrides,
    /// agreement comes from the other side…).
    #[error("{0}")]
    Refused(crate::refusal::Refusal),
    #[error("no {what} with id {id} in this document")]
    NoSuchItem { what: &'static str, id: String },
    #[error("the document's data is not a ScopePact scope document: {0}")]
    NotAScopeDocument(Box<autosurgeon::HydrateError>),
    #[error("could not write the change into the document: {0}")]
    Reconcile(Box<autosurgeon::ReconcileError>),
    #[error("automerge: {0}")]
    Automerge(Box<automerge::AutomergeError>),
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

fn position(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(line), Some(column)) => format!(" (line {line}, column {column})"),
        _ => String::new(),
    }
}
