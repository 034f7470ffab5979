use thiserror::Error;

#[derive(Debug, Error)]
pub enum SyncError {
    #[error(transparent)]
    Store(#[from] scopepact_store::StoreError),
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("a device named \"{0}\" already has a token; revoke it first or choose another name")]
    DeviceExists(String),
    #[error("no device named \"{0}\"")]
    NoSuchDevice(String),
    #[error("{0}")]
    InvalidInput(String),
    #[error("cannot listen on {address}: {reason}")]
    Listen { address: String, reason: String },
    #[error("cannot reach the sync server at {url}: {reason}")]
    Unreachable { url: String, reason: String },
    #[error("the sync server at {url} refused this device's token (401): ask for a new one with `scopepact invite`")]
    Unauthorized { url: String },
    #[error("sync did not finish within {seconds} s ({what})")]
    Timeout { seconds: u64, what: String },
    #[error("the sync server stopped: {0}")]
    Server(String),
    #[error("the meeting session ended")]
    SessionEnded,
    #[error("this is not the session's code (mistyped, or changed after 5 wrong tries): ask the host for the code on their screen")]
    WrongCode,
    #[error("the host removed this laptop from the meeting session")]
    RemovedFromSession,
    #[error("no meeting session answers at {address}: {reason}")]
    SessionUnreachable { address: String, reason: String },
    #[error("{address} is not a ScopePact meeting session: {reason}")]
    NotASession { address: String, reason: String },
    #[error("the meeting session at {address} is full: ask the host to remove someone")]
    SessionFull { address: String },
    #[error("too many wrong codes from this laptop: try again in {seconds} s with the code on the host's screen")]
    TooManyWrongCodes { seconds: u64 },
}
