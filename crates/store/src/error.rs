use std::path::PathBuf;

use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("cannot use the data directory {path}: {reason}")]
    DataDir { path: PathBuf, reason: String },
    #[error("cannot open the database {path}: {reason}")]
    Open { path: PathBuf, reason: String },
    #[error("no document with id {0}")]
    NoSuchDocument(String),
    #[error("\"{0}\" is not a document id (expected a UUID such as 0193a5c2-7f3e-7d61-9a4b-2c8e5f1d0a42)")]
    BadDocumentId(String),
    #[error("{}", scopepact_messages::say(scopepact_messages::Language::En, .0))]
    InvalidProfile(scopepact_messages::Message),
    #[error("no profile \"{0}\" on this device (see `scopepact profile list`)")]
    NoSuchProfile(String),
    #[error("the stored data of document {id} is damaged: {reason}")]
    Corrupt { id: String, reason: String },
    #[error(transparent)]
    Scope(#[from] scopepact_scope::ScopeError),
    #[error(transparent)]
    Company(#[from] scopepact_company::CompanyError),
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
}
