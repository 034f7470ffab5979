//! Sync for ScopePact: automerge-repo's protocol through `samod`, so stock automerge-repo peers
//! interoperate. Storage, auth and status are ours: samod reads and writes the store's chunk
//! table through [`storage::SqliteStorage`], and the server admits only devices holding a token
//! made by `scopepact invite`.

pub mod authority;
pub mod client;
pub mod config;
mod dialer;
mod error;
mod http;
pub mod lan;
mod link;
pub mod listener;
pub mod live;
pub mod presence;
pub mod server;
pub mod storage;
pub mod tokens;

pub use error::SyncError;
