//! A profile's key pair and its file: one line of hex (the 32-byte seed) after a header line,
//! written atomically with mode 0600 before anything else reads it.

use std::io::Write;
use std::path::Path;

use ed25519_dalek::{Signer, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

use crate::SigningError;

const HEADER: &str = "scopepact-ed25519-seed/v1";

pub struct KeyPair {
    signing: SigningKey,
}

impl std::fmt::Debug for KeyPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the private half, not even in a debug print.
        write!(f, "KeyPair({})", self.public_key())
    }
}

impl KeyPair {
    pub fn generate() -> KeyPair {
        let seed: [u8; 32] = rand::random();
        KeyPair {
            signing: SigningKey::from_bytes(&seed),
        }
    }

    /// The key in `path`, made there first when there is none.
    pub fn load_or_create(path: &Path) -> Result<KeyPair, SigningError> {
        if path.exists() {
            return KeyPair::load(path);
        }
        let pair = KeyPair::generate();
        pair.save(path)?;
        Ok(pair)
    }

    pub fn load(path: &Path) -> Result<KeyPair, SigningError> {
        let read_error = |e: std::io::Error| SigningError::ReadKey {
            path: path.to_path_buf(),
            reason: e.to_string(),
        };
        check_private(path)?;
        let text = std::fs::read_to_string(path).map_err(read_error)?;
        let not_a_key = || SigningError::NotAKey {
            path: path.to_path_buf(),
        };
        let mut lines = text.lines();
        if lines.next() != Some(HEADER) {
            return Err(not_a_key());
        }
        let seed: [u8; 32] = lines
            .next()
            .and_then(|hex_seed| hex::decode(hex_seed.trim()).ok())
            .and_then(|bytes| bytes.try_into().ok())
            .ok_or_else(not_a_key)?;
        Ok(KeyPair {
            signing: SigningKey::from_bytes(&seed),
        })
    }

    /// Writes the key to `path` (0600, through a temporary file in the same directory, so a
    /// crash leaves either no key or the whole key). Refuses to replace an existing key.
    pub fn save(&self, path: &Path) -> Result<(), SigningError> {
        let text = format!("{HEADER}\n{}\n", hex::encode(self.signing.to_bytes()));
        write_private(path, text.as_bytes())
    }

    /// The public key, hex.
    pub fn public_key(&self) -> String {
        hex::encode(self.signing.verifying_key().to_bytes())
    }

    /// The signature of `message`, hex.
    pub fn sign(&self, message: &[u8]) -> String {
        hex::encode(self.signing.sign(message).to_bytes())
    }
}

/// Refuses a private key file that others can read.
pub(crate) fn check_private(path: &Path) -> Result<(), SigningError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .map_err(|e| SigningError::ReadKey {
                path: path.to_path_buf(),
                reason: e.to_string(),
            })?
            .permissions()
            .mode()
            & 0o777;
        if mode & 0o077 != 0 {
            return Err(SigningError::KeyExposed {
                path: path.to_path_buf(),
                mode,
            });
        }
    }
    Ok(())
}

/// Writes a private key file: 0600, created exclusively with a random name beside it, then moved
/// in place, never over an existing key (even one made meanwhile by another process).
pub(crate) fn write_private(path: &Path, bytes: &[u8]) -> Result<(), SigningError> {
    write_file(path, bytes, 0o600, false)
}

/// Writes a public file (a certificate chain): 0644, replacing what was there.
pub(crate) fn write_public(path: &Path, bytes: &[u8]) -> Result<(), SigningError> {
    write_file(path, bytes, 0o644, true)
}

fn write_file(path: &Path, bytes: &[u8], mode: u32, replace: bool) -> Result<(), SigningError> {
    let write_error = |e: std::io::Error| SigningError::WriteKey {
        path: path.to_path_buf(),
        reason: e.to_string(),
    };
    if !replace && path.exists() {
        return Err(write_error(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            "a key is already there",
        )));
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(write_error)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".key.").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(mode));
    }
    #[cfg(not(unix))]
    let _ = mode;
    let mut file = builder.tempfile_in(dir).map_err(write_error)?;
    file.write_all(bytes).map_err(write_error)?;
    file.as_file().sync_all().map_err(write_error)?;
    if replace {
        file.persist(path).map_err(|e| write_error(e.error))?;
    } else {
        file.persist_noclobber(path)
            .map_err(|e| write_error(e.error))?;
    }
    Ok(())
}

/// A short form of a public key people can compare by reading: the first 8 bytes of its
/// SHA-256, hex in groups of four (`3f2a 9c01 77de 4b10`).
pub fn fingerprint(public_key_hex: &str) -> Result<String, SigningError> {
    let key = verifying_key(public_key_hex)?;
    let digest = Sha256::digest(key.to_bytes());
    let hex = hex::encode(&digest[..8]);
    Ok(hex
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" "))
}

pub(crate) fn verifying_key(public_key_hex: &str) -> Result<VerifyingKey, SigningError> {
    let bytes: [u8; 32] = crate::payload::decode_hex(public_key_hex)
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| SigningError::BadPublicKey(public_key_hex.to_string()))?;
    VerifyingKey::from_bytes(&bytes)
        .map_err(|_| SigningError::BadPublicKey(public_key_hex.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_made_once_kept_private_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys").join("profile.ed25519");
        let made = KeyPair::load_or_create(&path).unwrap();
        let again = KeyPair::load_or_create(&path).unwrap();
        assert_eq!(made.public_key(), again.public_key());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
            let err = KeyPair::load(&path).unwrap_err().to_string();
            assert!(err.contains("chmod 600"), "{err}");
        }
        assert!(!format!("{made:?}").contains(&hex::encode(made.signing.to_bytes())));
        assert!(
            made.save(&path).is_err(),
            "an existing key is never replaced"
        );
    }

    #[test]
    fn a_file_that_is_not_a_key_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k");
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(&path).unwrap();
        writeln!(file, "{HEADER}\nnot hex").unwrap();
        assert!(matches!(
            KeyPair::load(&path),
            Err(SigningError::NotAKey { .. })
        ));
    }

    #[test]
    fn fingerprints_are_short_and_stable() {
        let pair = KeyPair::generate();
        let print = fingerprint(&pair.public_key()).unwrap();
        assert_eq!(print.len(), 19);
        assert_eq!(print, fingerprint(&pair.public_key()).unwrap());
        assert!(fingerprint("zz").is_err());
    }
}
