//! A profile's PDF signing key: ECDSA P-256 with an X.509 certificate, because every PDF reader
//! verifies ECDSA P-256 CMS signatures and none verifies ed25519 ones (decision 0008). The
//! certificate is bound to the profile's ed25519 key: the ed25519 key signs the certificate's
//! SHA-256, so a verifier who trusts the ed25519 key (the signed scope vouches for it) trusts the
//! certificate too, whoever issued it.
//!
//! Files, beside the ed25519 key in `DATA_DIR/keys/`: `<profile>.p256.pem` (PKCS#8, 0600, never
//! synced) and `<profile>.crt.pem` (the certificate, then the chain up to the company root once
//! the company's authority issued one).

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use der::asn1::Ia5String;
use der::referenced::OwnedToRef;
use der::{Decode, Encode, EncodePem};
use p256::ecdsa::{DerSignature, SigningKey, VerifyingKey};
use p256::pkcs8::{DecodePrivateKey, EncodePrivateKey, LineEnding};
use sha2::{Digest, Sha256};
use x509_cert::builder::{Builder, CertificateBuilder, Profile};
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::SubjectAltName;
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::SubjectPublicKeyInfoOwned;
use x509_cert::time::Validity;
use x509_cert::Certificate;

use crate::{KeyPair, SigningError};

/// What the ed25519 key signs to bind a certificate: this tag, then the certificate's SHA-256.
const BINDING_TAG: &[u8] = b"scopepact-certificate-binding/v1\n";
const ID_EXTENSION_REQ: der::oid::ObjectIdentifier =
    der::oid::ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.14");
const ID_SUBJECT_ALT_NAME: der::oid::ObjectIdentifier =
    der::oid::ObjectIdentifier::new_unwrap("2.5.29.17");
/// How long a profile's own certificate is valid.
const SELF_SIGNED_YEARS: u64 = 10;

/// Who a certificate names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    pub name: String,
    pub email: String,
    /// The company; empty when none is known.
    pub organisation: String,
}

impl Subject {
    /// The distinguished name, each value escaped as RFC 4514 says.
    fn name(&self) -> Result<Name, SigningError> {
        let escape = |value: &str| {
            let mut out = String::new();
            for (i, c) in value.chars().enumerate() {
                if ",+\"\\<>;=".contains(c) || (i == 0 && (c == '#' || c == ' ')) {
                    out.push('\\');
                }
                out.push(c);
            }
            out.trim_end().to_string()
        };
        let mut parts = vec![format!("CN={}", escape(&self.name))];
        if !self.organisation.trim().is_empty() {
            parts.push(format!("O={}", escape(self.organisation.trim())));
        }
        Name::from_str(&parts.join(","))
            .map_err(|e| SigningError::Certificate(format!("the name \"{}\": {e}", self.name)))
    }
}

/// A profile's PDF signing key and its certificate chain (its own certificate first).
pub struct SigningCertificate {
    key: SigningKey,
    chain: Vec<Vec<u8>>,
}

impl std::fmt::Debug for SigningCertificate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SigningCertificate({} certificates)", self.chain.len())
    }
}

fn pem_error(path: &Path, e: impl std::fmt::Display) -> SigningError {
    SigningError::ReadKey {
        path: path.to_path_buf(),
        reason: e.to_string(),
    }
}

impl SigningCertificate {
    /// The key and certificate files of a profile whose ed25519 key is at `ed25519_path`.
    pub fn paths(ed25519_path: &Path) -> (PathBuf, PathBuf) {
        let stem = ed25519_path.with_extension("");
        (
            stem.with_extension("p256.pem"),
            stem.with_extension("crt.pem"),
        )
    }

    /// The profile's key and certificate, made now (a self-signed certificate) when missing: a
    /// profile made before PDF certificates existed gets them on first use.
    pub fn load_or_create(ed25519_path: &Path, subject: &Subject) -> Result<Self, SigningError> {
        let (key_path, cert_path) = SigningCertificate::paths(ed25519_path);
        let key = if key_path.exists() {
            crate::key::check_private(&key_path)?;
            let text = std::fs::read_to_string(&key_path).map_err(|e| pem_error(&key_path, e))?;
            SigningKey::from_pkcs8_pem(&text).map_err(|_| SigningError::NotAKey {
                path: key_path.clone(),
            })?
        } else {
            let key = random_key();
            let pem = key
                .to_pkcs8_pem(LineEnding::LF)
                .map_err(|e| SigningError::Certificate(e.to_string()))?;
            crate::key::write_private(&key_path, pem.as_bytes())?;
            key
        };
        let mut chain = match std::fs::read_to_string(&cert_path) {
            Ok(text) => read_chain(&text).map_err(|e| pem_error(&cert_path, e))?,
            Err(_) => vec![],
        };
        let owned_by_key = chain
            .first()
            .is_some_and(|first| public_key_of(first).is_ok_and(|k| k == *key.verifying_key()));
        if !owned_by_key {
            chain = vec![self_signed(&key, subject)?];
            write_chain(&cert_path, &chain)?;
        }
        Ok(SigningCertificate { key, chain })
    }

    /// The certificate, DER.
    pub fn certificate(&self) -> &[u8] {
        &self.chain[0]
    }

    /// The certificate and those that issued it, DER, the certificate first.
    pub fn chain(&self) -> &[Vec<u8>] {
        &self.chain
    }

    /// Keeps a chain an authority issued for this key (its first certificate must be for it).
    pub fn adopt_chain(
        &mut self,
        ed25519_path: &Path,
        chain: Vec<Vec<u8>>,
    ) -> Result<(), SigningError> {
        let ours = chain
            .first()
            .is_some_and(|c| public_key_of(c).is_ok_and(|k| k == *self.key.verifying_key()));
        if !ours {
            return Err(SigningError::Certificate(
                "the issued certificate is not for this profile's key".into(),
            ));
        }
        let (_, cert_path) = SigningCertificate::paths(ed25519_path);
        write_chain(&cert_path, &chain)?;
        self.chain = chain;
        Ok(())
    }

    /// A certificate signing request for this key, PEM (what the company's authority signs).
    pub fn request(&self, subject: &Subject) -> Result<String, SigningError> {
        let mut builder = x509_cert::builder::RequestBuilder::new(subject.name()?, &self.key)
            .map_err(|e| SigningError::Certificate(e.to_string()))?;
        add_email(&mut builder, &subject.email)?;
        let request = builder
            .build::<DerSignature>()
            .map_err(|e| SigningError::Certificate(e.to_string()))?;
        request
            .to_pem(LineEnding::LF)
            .map_err(|e| SigningError::Certificate(e.to_string()))
    }

    /// A detached CMS signature (PAdES B-B: `ETSI.CAdES.detached`) over content whose SHA-256 is
    /// `digest`: content type, message digest and signing-certificate-v2 signed, the chain
    /// included. DER.
    pub fn sign_detached(&self, digest: &[u8; 32]) -> Result<Vec<u8>, SigningError> {
        crate::cms::sign_detached(&self.key, &self.chain, digest)
    }
}

/// Issues a certificate for `request` (PEM) with the authority `issuer` (key and certificate).
pub fn issue(
    issuer_key: &SigningKey,
    issuer_certificate: &[u8],
    request_pem: &str,
    days: u32,
) -> Result<Vec<u8>, SigningError> {
    use der::DecodePem;
    let bad = |e: &dyn std::fmt::Display| SigningError::Certificate(e.to_string());
    let request = x509_cert::request::CertReq::from_pem(request_pem.as_bytes())
        .map_err(|e| bad(&format!("not a certificate request: {e}")))?;
    // The request must be signed by the key it asks a certificate for.
    let key = VerifyingKey::try_from(request.info.public_key.owned_to_ref())
        .map_err(|e| bad(&format!("the request's key is not ECDSA P-256: {e}")))?;
    let info = request.info.to_der().map_err(|e| bad(&e))?;
    let signature = p256::ecdsa::DerSignature::from_bytes(request.signature.raw_bytes())
        .map_err(|e| bad(&e))?;
    signature::Verifier::verify(&key, &info, &signature)
        .map_err(|_| bad(&"the request is not signed by the key it names"))?;
    let issuer = Certificate::from_der(issuer_certificate).map_err(|e| bad(&e))?;
    let mut builder = CertificateBuilder::new(
        Profile::Leaf {
            issuer: issuer.tbs_certificate.subject.clone(),
            enable_key_agreement: false,
            enable_key_encipherment: false,
        },
        random_serial(),
        Validity::from_now(Duration::from_secs(u64::from(days) * 86_400)).map_err(|e| bad(&e))?,
        request.info.subject.clone(),
        request.info.public_key.clone(),
        issuer_key,
    )
    .map_err(|e| bad(&e))?;
    for attribute in request.info.attributes.iter() {
        // The e-mail the request carries (as an extension request) goes on the certificate.
        if attribute.oid == ID_EXTENSION_REQ {
            for value in attribute.values.iter() {
                if let Ok(extensions) = value.decode_as::<x509_cert::ext::Extensions>() {
                    for extension in extensions {
                        if extension.extn_id == ID_SUBJECT_ALT_NAME {
                            let names = SubjectAltName::from_der(extension.extn_value.as_bytes())
                                .map_err(|e| bad(&e))?;
                            builder.add_extension(&names).map_err(|e| bad(&e))?;
                        }
                    }
                }
            }
        }
    }
    let certificate = builder.build::<DerSignature>().map_err(|e| bad(&e))?;
    certificate.to_der().map_err(|e| bad(&e))
}

/// A company root: a CA certificate for `key`, self-signed.
pub fn root_certificate(key: &SigningKey, organisation: &str) -> Result<Vec<u8>, SigningError> {
    let bad = |e: &dyn std::fmt::Display| SigningError::Certificate(e.to_string());
    let subject = Subject {
        name: format!("{organisation} ScopePact root"),
        email: String::new(),
        organisation: organisation.to_string(),
    };
    let spki = SubjectPublicKeyInfoOwned::from_key(*key.verifying_key()).map_err(|e| bad(&e))?;
    let builder = CertificateBuilder::new(
        Profile::Root,
        random_serial(),
        Validity::from_now(Duration::from_secs(20 * 365 * 86_400)).map_err(|e| bad(&e))?,
        subject.name()?,
        spki,
        key,
    )
    .map_err(|e| bad(&e))?;
    let certificate = builder.build::<DerSignature>().map_err(|e| bad(&e))?;
    certificate.to_der().map_err(|e| bad(&e))
}

fn add_email(builder: &mut impl AddExtension, email: &str) -> Result<(), SigningError> {
    let email = email.trim();
    if email.is_empty() {
        return Ok(());
    }
    let address = Ia5String::new(email)
        .map_err(|_| SigningError::Certificate(format!("\"{email}\" is not an e-mail address")))?;
    builder.add(&SubjectAltName(vec![GeneralName::Rfc822Name(address)]))
}

/// Both builders take extensions; one name for both.
trait AddExtension {
    fn add(&mut self, names: &SubjectAltName) -> Result<(), SigningError>;
}

impl<S> AddExtension for CertificateBuilder<'_, S>
where
    S: signature::Keypair + x509_cert::spki::DynSignatureAlgorithmIdentifier,
    S::VerifyingKey: x509_cert::spki::EncodePublicKey,
{
    fn add(&mut self, names: &SubjectAltName) -> Result<(), SigningError> {
        self.add_extension(names)
            .map_err(|e| SigningError::Certificate(e.to_string()))
    }
}

impl<S> AddExtension for x509_cert::builder::RequestBuilder<'_, S>
where
    S: signature::Keypair + x509_cert::spki::DynSignatureAlgorithmIdentifier,
    S::VerifyingKey: x509_cert::spki::EncodePublicKey,
{
    fn add(&mut self, names: &SubjectAltName) -> Result<(), SigningError> {
        self.add_extension(names)
            .map_err(|e| SigningError::Certificate(e.to_string()))
    }
}

fn self_signed(key: &SigningKey, subject: &Subject) -> Result<Vec<u8>, SigningError> {
    let bad = |e: &dyn std::fmt::Display| SigningError::Certificate(e.to_string());
    let name = subject.name()?;
    let spki = SubjectPublicKeyInfoOwned::from_key(*key.verifying_key()).map_err(|e| bad(&e))?;
    let mut builder = CertificateBuilder::new(
        Profile::Leaf {
            issuer: name.clone(),
            enable_key_agreement: false,
            enable_key_encipherment: false,
        },
        random_serial(),
        Validity::from_now(Duration::from_secs(SELF_SIGNED_YEARS * 365 * 86_400))
            .map_err(|e| bad(&e))?,
        name,
        spki,
        key,
    )
    .map_err(|e| bad(&e))?;
    add_email(&mut builder, &subject.email)?;
    let certificate = builder.build::<DerSignature>().map_err(|e| bad(&e))?;
    certificate.to_der().map_err(|e| bad(&e))
}

/// A P-256 key from 32 random bytes (retried in the vanishing case they are no valid scalar).
pub fn random_key() -> SigningKey {
    loop {
        let bytes: [u8; 32] = rand::random();
        if let Ok(key) = SigningKey::from_bytes(&bytes.into()) {
            return key;
        }
    }
}

fn random_serial() -> SerialNumber {
    let mut bytes: [u8; 16] = rand::random();
    bytes[0] &= 0x7f; // positive
    bytes[0] |= 0x01; // and no leading zero byte to drop
    SerialNumber::new(&bytes).unwrap_or_else(|_| SerialNumber::from(1u32))
}

/// The ECDSA P-256 key a certificate (DER) names.
pub fn public_key_of(certificate: &[u8]) -> Result<VerifyingKey, SigningError> {
    let certificate = Certificate::from_der(certificate)
        .map_err(|e| SigningError::Certificate(format!("not an X.509 certificate: {e}")))?;
    VerifyingKey::try_from(
        certificate
            .tbs_certificate
            .subject_public_key_info
            .owned_to_ref(),
    )
    .map_err(|e| SigningError::Certificate(format!("not an ECDSA P-256 certificate: {e}")))
}

/// What the ed25519 key signs to vouch for a certificate (DER).
fn binding_message(certificate: &[u8]) -> Vec<u8> {
    let mut message = BINDING_TAG.to_vec();
    message.extend_from_slice(&Sha256::digest(certificate));
    message
}

/// The ed25519 key's word that `certificate` (DER) is its owner's PDF certificate, hex.
pub fn bind(ed25519: &KeyPair, certificate: &[u8]) -> String {
    ed25519.sign(&binding_message(certificate))
}

/// Checks a binding made by [`bind`] with the ed25519 key `public_key` (hex).
pub fn check_binding(
    public_key: &str,
    certificate: &[u8],
    binding: &str,
) -> Result<(), SigningError> {
    crate::verify_bytes(public_key, &binding_message(certificate), binding)
}

/// SHA-256 of a certificate, hex (as people compare them).
pub fn certificate_fingerprint(certificate: &[u8]) -> String {
    hex::encode(Sha256::digest(certificate))
}

/// Reads PEM certificates, in order.
pub fn read_chain(pem: &str) -> Result<Vec<Vec<u8>>, SigningError> {
    let certificates = Certificate::load_pem_chain(pem.as_bytes())
        .map_err(|e| SigningError::Certificate(format!("not PEM certificates: {e}")))?;
    certificates
        .iter()
        .map(|c| {
            c.to_der()
                .map_err(|e| SigningError::Certificate(e.to_string()))
        })
        .collect()
}

/// Writes DER certificates as PEM, in order.
pub fn pem_chain(chain: &[Vec<u8>]) -> Result<String, SigningError> {
    let mut out = String::new();
    for der in chain {
        let certificate =
            Certificate::from_der(der).map_err(|e| SigningError::Certificate(e.to_string()))?;
        out.push_str(
            &certificate
                .to_pem(LineEnding::LF)
                .map_err(|e| SigningError::Certificate(e.to_string()))?,
        );
    }
    Ok(out)
}

fn write_chain(path: &Path, chain: &[Vec<u8>]) -> Result<(), SigningError> {
    let pem = pem_chain(chain)?;
    crate::key::write_public(path, pem.as_bytes())
}

/// A certificate's subject and issuer, as people read them.
pub fn describe(certificate: &[u8]) -> Result<(String, String), SigningError> {
    let certificate = Certificate::from_der(certificate)
        .map_err(|e| SigningError::Certificate(format!("not an X.509 certificate: {e}")))?;
    Ok((
        certificate.tbs_certificate.subject.to_string(),
        certificate.tbs_certificate.issuer.to_string(),
    ))
}

/// Reads a `PRIVATE KEY` PEM file (0600) as an ECDSA P-256 key.
pub fn load_key(path: &Path) -> Result<SigningKey, SigningError> {
    crate::key::check_private(path)?;
    let text = std::fs::read_to_string(path).map_err(|e| pem_error(path, e))?;
    SigningKey::from_pkcs8_pem(&text).map_err(|_| SigningError::NotAKey {
        path: path.to_path_buf(),
    })
}

/// Writes a new ECDSA P-256 key to `path` (0600), refusing to replace one.
pub fn create_key(path: &Path) -> Result<SigningKey, SigningError> {
    let key = random_key();
    let pem = key
        .to_pkcs8_pem(LineEnding::LF)
        .map_err(|e| SigningError::Certificate(e.to_string()))?;
    crate::key::write_private(path, pem.as_bytes())?;
    Ok(key)
}

/// Whether `issuer` (DER) signed `certificate` (DER): the issuer's name and its ECDSA P-256
/// signature over the certificate's body, and the certificate within its validity at `now`.
pub fn issued_by(
    certificate: &[u8],
    issuer: &[u8],
    now: std::time::SystemTime,
) -> Result<(), SigningError> {
    let bad = |what: &str| SigningError::Certificate(what.to_string());
    let certificate = Certificate::from_der(certificate).map_err(|_| bad("not a certificate"))?;
    let issuer = Certificate::from_der(issuer).map_err(|_| bad("not a certificate"))?;
    if certificate.tbs_certificate.issuer != issuer.tbs_certificate.subject {
        return Err(bad("issued by someone else"));
    }
    let key = VerifyingKey::try_from(
        issuer
            .tbs_certificate
            .subject_public_key_info
            .owned_to_ref(),
    )
    .map_err(|_| bad("the issuer's key is not ECDSA P-256"))?;
    let body = certificate
        .tbs_certificate
        .to_der()
        .map_err(|e| bad(&e.to_string()))?;
    let signature = certificate
        .signature
        .as_bytes()
        .and_then(|b| DerSignature::from_bytes(b).ok())
        .ok_or_else(|| bad("the certificate's signature is not ECDSA"))?;
    signature::Verifier::verify(&key, &body, &signature)
        .map_err(|_| bad("the issuer's signature on the certificate does not verify"))?;
    if let Some(why) = out_of_date(&certificate, now) {
        return Err(bad(&why));
    }
    Ok(())
}

/// Why a certificate (DER) is not valid at `now` (expired, or not valid yet), if it is not.
pub fn not_valid_at(certificate: &[u8], now: std::time::SystemTime) -> Option<String> {
    Certificate::from_der(certificate)
        .ok()
        .and_then(|c| out_of_date(&c, now))
}

fn out_of_date(certificate: &Certificate, now: std::time::SystemTime) -> Option<String> {
    let validity = &certificate.tbs_certificate.validity;
    if now > validity.not_after.to_system_time() {
        return Some(format!("it expired on {}", validity.not_after));
    }
    if now < validity.not_before.to_system_time() {
        return Some(format!("it is not valid before {}", validity.not_before));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ana() -> Subject {
        Subject {
            name: "Ana Ruiz, Ventas".into(),
            email: "ana.ruiz@pressworks.example".into(),
            organisation: "Pressworks S.L.".into(),
        }
    }

    #[test]
    fn a_profile_gets_a_certificate_once_bound_to_its_ed25519_key() {
        let dir = tempfile::tempdir().unwrap();
        let ed_path = dir.path().join("keys/p1.ed25519");
        let ed = KeyPair::load_or_create(&ed_path).unwrap();
        let first = SigningCertificate::load_or_create(&ed_path, &ana()).unwrap();
        let again = SigningCertificate::load_or_create(&ed_path, &ana()).unwrap();
        assert_eq!(first.certificate(), again.certificate(), "made once");
        let (key_path, _) = SigningCertificate::paths(&ed_path);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&key_path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        let (subject, issuer) = describe(first.certificate()).unwrap();
        assert!(
            subject.contains("CN=Ana Ruiz\\, Ventas") && subject.contains("O=Pressworks S.L."),
            "{subject}"
        );
        assert_eq!(subject, issuer, "self-signed");
        issued_by(
            first.certificate(),
            first.certificate(),
            std::time::SystemTime::now(),
        )
        .unwrap();

        let binding = bind(&ed, first.certificate());
        check_binding(&ed.public_key(), first.certificate(), &binding).unwrap();
        let other = KeyPair::generate();
        assert!(check_binding(&other.public_key(), first.certificate(), &binding).is_err());
    }

    #[test]
    fn a_detached_signature_verifies_only_over_its_digest() {
        let dir = tempfile::tempdir().unwrap();
        let ed_path = dir.path().join("p1.ed25519");
        let cert = SigningCertificate::load_or_create(&ed_path, &ana()).unwrap();
        let digest: [u8; 32] = Sha256::digest(b"the PDF's byte range").into();
        let signature = cert.sign_detached(&digest).unwrap();
        let verified = crate::verify_detached(&signature, &digest).unwrap();
        assert_eq!(verified.certificate, cert.certificate());
        let other: [u8; 32] = Sha256::digest(b"other bytes").into();
        let err = crate::verify_detached(&signature, &other)
            .unwrap_err()
            .to_string();
        assert!(err.contains("Digest Mismatch"), "{err}");
        let mut flipped = signature.clone();
        let last = flipped.len() - 3;
        flipped[last] ^= 1;
        assert!(crate::verify_detached(&flipped, &digest).is_err());
    }

    #[test]
    fn a_company_root_issues_a_certificate_for_a_request() {
        let dir = tempfile::tempdir().unwrap();
        let root_key = create_key(&dir.path().join("root.pem")).unwrap();
        let root = root_certificate(&root_key, "Pressworks S.L.").unwrap();
        let ed_path = dir.path().join("p1.ed25519");
        let mut cert = SigningCertificate::load_or_create(&ed_path, &ana()).unwrap();
        let request = cert.request(&ana()).unwrap();
        let issued = issue(&root_key, &root, &request, 365).unwrap();
        issued_by(&issued, &root, std::time::SystemTime::now()).unwrap();
        assert!(issued_by(cert.certificate(), &root, std::time::SystemTime::now()).is_err());
        cert.adopt_chain(&ed_path, vec![issued.clone(), root.clone()])
            .unwrap();
        let reloaded = SigningCertificate::load_or_create(&ed_path, &ana()).unwrap();
        assert_eq!(reloaded.chain(), &[issued, root]);
        // Someone else's key is not adopted.
        let stranger =
            SigningCertificate::load_or_create(&dir.path().join("p2.ed25519"), &ana()).unwrap();
        let mut mine = reloaded;
        assert!(mine
            .adopt_chain(&ed_path, stranger.chain().to_vec())
            .is_err());
    }
}
