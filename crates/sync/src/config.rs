//! `scopepact serve --config FILE`: the server's settings in a TOML file, as an installed
//! service reads them (`/etc/scopepact/server.toml`). Read strictly: an unknown key, a value of
//! the wrong type or out of range is refused with the file, the line and the key named, so a typo
//! never silently runs the server with a default.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::listener::TlsFiles;
use crate::server::ServerConfig;
use crate::SyncError;

/// A configuration file is a few lines; anything larger is not one.
const MAX_CONFIG_BYTES: u64 = 64 * 1024;

/// What a configuration file may set; every key is optional and command-line flags win.
#[derive(Debug, Default, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerFile {
    pub listen: Option<String>,
    pub db: Option<PathBuf>,
    pub max_message_bytes: Option<usize>,
    pub max_connections: Option<usize>,
    pub max_connections_per_device: Option<usize>,
    pub max_pending_connections: Option<usize>,
    pub request_timeout: Option<u64>,
    pub shutdown_grace: Option<u64>,
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
}

impl ServerFile {
    /// Reads and checks `path`.
    pub fn load(path: &Path) -> Result<ServerFile, SyncError> {
        use std::io::Read;
        let invalid = |reason: String| {
            SyncError::InvalidInput(format!("configuration {}: {reason}", path.display()))
        };
        let file = std::fs::File::open(path).map_err(|e| invalid(e.to_string()))?;
        let mut text = String::new();
        file.take(MAX_CONFIG_BYTES + 1)
            .read_to_string(&mut text)
            .map_err(|e| invalid(e.to_string()))?;
        if text.len() as u64 > MAX_CONFIG_BYTES {
            return Err(invalid(format!(
                "larger than {} KiB; a configuration file is a few lines",
                MAX_CONFIG_BYTES / 1024
            )));
        }
        ServerFile::parse(&text).map_err(invalid)
    }

    /// Parses TOML text; the error names the key and where it is.
    pub fn parse(text: &str) -> Result<ServerFile, String> {
        let file: ServerFile = toml::from_str(text).map_err(|e| describe(&e, text))?;
        let positive = [
            ("max_message_bytes", file.max_message_bytes),
            ("max_connections", file.max_connections),
            (
                "max_connections_per_device",
                file.max_connections_per_device,
            ),
            ("max_pending_connections", file.max_pending_connections),
        ];
        for (key, value) in positive {
            if value == Some(0) {
                return Err(format!("{key} must be at least 1"));
            }
        }
        if file.request_timeout == Some(0) {
            return Err("request_timeout must be at least 1 (seconds)".into());
        }
        if file.tls_cert.is_some() != file.tls_key.is_some() {
            return Err("tls_cert and tls_key go together: set both or neither".into());
        }
        if file.listen.as_deref().is_some_and(|l| l.trim().is_empty()) {
            return Err("listen is empty: give an address such as 127.0.0.1:8080".into());
        }
        Ok(file)
    }

    /// `other`'s values where it has them (the command line over the file).
    pub fn overlay(&mut self, other: ServerFile) {
        let ServerFile {
            listen,
            db,
            max_message_bytes,
            max_connections,
            max_connections_per_device,
            max_pending_connections,
            request_timeout,
            shutdown_grace,
            tls_cert,
            tls_key,
        } = other;
        self.listen = listen.or(self.listen.take());
        self.db = db.or(self.db.take());
        self.max_message_bytes = max_message_bytes.or(self.max_message_bytes);
        self.max_connections = max_connections.or(self.max_connections);
        self.max_connections_per_device =
            max_connections_per_device.or(self.max_connections_per_device);
        self.max_pending_connections = max_pending_connections.or(self.max_pending_connections);
        self.request_timeout = request_timeout.or(self.request_timeout);
        self.shutdown_grace = shutdown_grace.or(self.shutdown_grace);
        // The certificate and its key come as a pair from one place.
        if tls_cert.is_some() {
            self.tls_cert = tls_cert;
            self.tls_key = tls_key;
        }
    }

    /// The file's values over `config`'s.
    pub fn apply(&self, config: &mut ServerConfig) {
        if let Some(listen) = &self.listen {
            config.listen = listen.clone();
        }
        if let Some(db) = &self.db {
            config.db = db.clone();
        }
        if let Some(v) = self.max_message_bytes {
            config.max_message_bytes = v;
        }
        if let Some(v) = self.max_connections {
            config.max_connections = v;
        }
        if let Some(v) = self.max_connections_per_device {
            config.max_connections_per_device = v;
        }
        if let Some(v) = self.max_pending_connections {
            config.max_unauthenticated = v;
        }
        if let Some(v) = self.request_timeout {
            config.request_time = Duration::from_secs(v);
        }
        if let Some(v) = self.shutdown_grace {
            config.shutdown_grace = Duration::from_secs(v);
        }
        if let (Some(certificate), Some(private_key)) = (&self.tls_cert, &self.tls_key) {
            config.tls = Some(TlsFiles {
                certificate: certificate.clone(),
                private_key: private_key.clone(),
            });
        }
    }
}

/// toml's message with the line it is about (so the key is named), on one line.
fn describe(error: &toml::de::Error, text: &str) -> String {
    let message = error.message().trim().replace('\n', " ");
    let Some(span) = error.span() else {
        return message;
    };
    let start = span.start.min(text.len());
    let line_number = text.as_bytes()[..start]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1;
    let line = text.lines().nth(line_number - 1).unwrap_or_default().trim();
    let shown: String = line.chars().take(80).collect();
    format!("line {line_number} ({shown}): {message}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_complete_file_sets_every_value() {
        let file = ServerFile::parse(
            r#"
listen = "0.0.0.0:8443"
db = "/var/lib/scopepact/server.sqlite3"
max_message_bytes = 1048576
max_connections = 50
max_connections_per_device = 4
max_pending_connections = 64
request_timeout = 5
shutdown_grace = 3
tls_cert = "/etc/scopepact/cert.pem"
tls_key = "/etc/scopepact/key.pem"
"#,
        )
        .unwrap();
        let mut config = ServerConfig::new("127.0.0.1:8080", "x.sqlite3");
        file.apply(&mut config);
        assert_eq!(config.listen, "0.0.0.0:8443");
        assert_eq!(
            config.db,
            PathBuf::from("/var/lib/scopepact/server.sqlite3")
        );
        assert_eq!(config.max_message_bytes, 1_048_576);
        assert_eq!(config.max_connections, 50);
        assert_eq!(config.max_connections_per_device, 4);
        assert_eq!(config.max_unauthenticated, 64);
        assert_eq!(config.request_time, Duration::from_secs(5));
        assert_eq!(config.shutdown_grace, Duration::from_secs(3));
        assert!(config.tls.is_some());
    }

    #[test]
    fn an_empty_file_changes_nothing() {
        let mut config = ServerConfig::new("127.0.0.1:8080", "x.sqlite3");
        ServerFile::parse("# nothing set\n")
            .unwrap()
            .apply(&mut config);
        assert_eq!(config.listen, "127.0.0.1:8080");
        assert_eq!(config.max_connections, 1_000);
    }

    #[test]
    fn bad_files_are_refused_naming_the_key() {
        for (text, expected) in [
            ("lisen = \"0.0.0.0:1\"\n", "lisen"),
            ("max_connections = \"many\"\n", "many"),
            ("max_connections = -1\n", "max_connections"),
            ("max_connections = 0\n", "max_connections"),
            ("request_timeout = 0\n", "request_timeout"),
            ("tls_cert = \"/c.pem\"\n", "tls_key"),
            ("listen = \"\"\n", "listen"),
            ("listen = \n", "listen"),
            ("[server]\nlisten = \"x\"\n", "server"),
        ] {
            let error = ServerFile::parse(text).unwrap_err();
            assert!(
                error.contains(expected),
                "{text:?} → {error:?} does not name {expected}"
            );
            assert!(!error.contains('\n'), "one line: {error:?}");
        }
    }

    #[test]
    fn a_missing_or_huge_file_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let missing = ServerFile::load(&dir.path().join("none.toml")).unwrap_err();
        assert!(missing.to_string().contains("none.toml"));
        let huge = dir.path().join("huge.toml");
        std::fs::write(&huge, "#".repeat(70 * 1024)).unwrap();
        let error = ServerFile::load(&huge).unwrap_err().to_string();
        assert!(error.contains("larger than 64 KiB"), "{error}");
    }
}
