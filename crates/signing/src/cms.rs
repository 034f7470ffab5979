//! Detached CMS signatures as PDF signatures carry them (PAdES B-B, `ETSI.CAdES.detached`):
//! made with a profile's P-256 key, and checked.

use cms::builder::{SignedDataBuilder, SignerInfoBuilder};
use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::ContentInfo;
use cms::signed_data::{EncapsulatedContentInfo, SignedData, SignerIdentifier};
use der::asn1::SetOfVec;
use der::referenced::OwnedToRef;
use der::{Any, Decode, Encode};
use p256::ecdsa::{DerSignature, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};
use x509_cert::attr::Attribute;
use x509_cert::spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;

use crate::SigningError;

const ID_DATA: der::oid::ObjectIdentifier =
    der::oid::ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
const ID_SIGNED_DATA: der::oid::ObjectIdentifier =
    der::oid::ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
const ID_SHA_256: der::oid::ObjectIdentifier =
    der::oid::ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const ID_MESSAGE_DIGEST: der::oid::ObjectIdentifier =
    der::oid::ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");
const ID_ECDSA_WITH_SHA_256: der::oid::ObjectIdentifier =
    der::oid::ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");
const ID_SIGNING_CERTIFICATE_V2: der::oid::ObjectIdentifier =
    der::oid::ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.47");

fn bad(what: impl std::fmt::Display) -> SigningError {
    SigningError::Certificate(what.to_string())
}

/// The signing-certificate-v2 attribute (RFC 5035) naming `certificate` by its SHA-256:
/// `SEQUENCE { SEQUENCE OF { ESSCertIDv2 { certHash } } }`, the hash algorithm being the
/// default SHA-256.
fn signing_certificate_v2(certificate: &[u8]) -> Result<Attribute, SigningError> {
    let hash = Sha256::digest(certificate);
    let mut cert_id = vec![0x04, 0x20];
    cert_id.extend_from_slice(&hash);
    let wrap = |tag: u8, inner: Vec<u8>| {
        let mut out = vec![tag, u8::try_from(inner.len()).unwrap_or(0)];
        out.extend(inner);
        out
    };
    let value = wrap(0x30, wrap(0x30, wrap(0x30, cert_id)));
    let mut values = SetOfVec::new();
    values
        .insert(Any::from_der(&value).map_err(bad)?)
        .map_err(bad)?;
    Ok(Attribute {
        oid: ID_SIGNING_CERTIFICATE_V2,
        values,
    })
}

/// A detached signature over content whose SHA-256 is `digest`, with `chain` (DER, the signer's
/// certificate first) included. DER of a `ContentInfo`.
pub(crate) fn sign_detached(
    key: &SigningKey,
    chain: &[Vec<u8>],
    digest: &[u8; 32],
) -> Result<Vec<u8>, SigningError> {
    let first = chain
        .first()
        .ok_or_else(|| bad("no certificate to sign with"))?;
    let certificate = Certificate::from_der(first).map_err(bad)?;
    let content = EncapsulatedContentInfo {
        econtent_type: ID_DATA,
        econtent: None,
    };
    let sha256 = AlgorithmIdentifierOwned {
        oid: ID_SHA_256,
        parameters: None,
    };
    let sid = SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
        issuer: certificate.tbs_certificate.issuer.clone(),
        serial_number: certificate.tbs_certificate.serial_number.clone(),
    });
    let mut signer =
        SignerInfoBuilder::new(key, sid, sha256.clone(), &content, Some(digest)).map_err(bad)?;
    signer
        .add_signed_attribute(signing_certificate_v2(first)?)
        .map_err(bad)?;
    let mut builder = SignedDataBuilder::new(&content);
    builder.add_digest_algorithm(sha256).map_err(bad)?;
    // The signer's certificate and any intermediate; a root is not carried: a reader trusts it
    // from its own store (a customer imports the company root), never from the file.
    for (n, der) in chain.iter().enumerate() {
        let c = Certificate::from_der(der).map_err(bad)?;
        if n > 0 && c.tbs_certificate.subject == c.tbs_certificate.issuer {
            continue;
        }
        builder
            .add_certificate(CertificateChoices::Certificate(c))
            .map_err(bad)?;
    }
    builder
        .add_signer_info::<SigningKey, DerSignature>(signer)
        .map_err(bad)?;
    builder.build().map_err(bad)?.to_der().map_err(bad)
}

/// What a verified detached signature says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CmsSignature {
    /// The signer's certificate, DER.
    pub certificate: Vec<u8>,
    /// Every certificate it carries, DER (the signer's among them).
    pub certificates: Vec<Vec<u8>>,
}

/// Checks a detached signature (`ContentInfo` DER) over content whose SHA-256 is `digest`: the
/// message digest, the signing-certificate-v2 hash, and ECDSA P-256 / SHA-256 over the signed
/// attributes with the key of the certificate the signer identifier names.
pub fn verify_detached(signature: &[u8], digest: &[u8; 32]) -> Result<CmsSignature, SigningError> {
    let info =
        ContentInfo::from_der(signature).map_err(|e| bad(format!("not a CMS signature: {e}")))?;
    if info.content_type != ID_SIGNED_DATA {
        return Err(bad("not a CMS SignedData"));
    }
    // The envelope is read in the one form it is written in: DER (one encoding for one value),
    // version 1, SHA-256, detached data, no CRLs, no unsigned attributes. A signature does not
    // cover its own envelope, so nothing in it may vary.
    if info.to_der().map_err(bad)? != signature {
        return Err(bad("the CMS signature is not in DER"));
    }
    let signed: SignedData = info
        .content
        .decode_as()
        .map_err(|e| bad(format!("not a CMS SignedData: {e}")))?;
    if signed.to_der().map_err(bad)? != info.content.to_der().map_err(bad)? {
        return Err(bad("the CMS signature is not in DER"));
    }
    let sha256_only = signed.digest_algorithms.len() == 1
        && signed
            .digest_algorithms
            .iter()
            .all(|a| a.oid == ID_SHA_256 && a.parameters.is_none());
    if signed.version != cms::content_info::CmsVersion::V1
        || !sha256_only
        || signed.encap_content_info.econtent_type != ID_DATA
        || signed.crls.is_some()
    {
        return Err(bad(
            "the CMS signature is not in the form a PDF signature takes",
        ));
    }
    if signed.encap_content_info.econtent.is_some() {
        return Err(bad("the signature is not detached"));
    }
    let certificates: Vec<Certificate> = signed
        .certificates
        .as_ref()
        .map(|set| {
            set.0
                .iter()
                .filter_map(|c| match c {
                    CertificateChoices::Certificate(c) => Some(c.clone()),
                    CertificateChoices::Other(_) => None,
                })
                .collect()
        })
        .unwrap_or_default();
    let mut infos = signed.signer_infos.0.iter();
    let (Some(signer), None) = (infos.next(), infos.next()) else {
        return Err(bad("a PDF signature has exactly one signer"));
    };
    let SignerIdentifier::IssuerAndSerialNumber(sid) = &signer.sid else {
        return Err(bad("the signer is not named by issuer and serial number"));
    };
    let certificate = certificates
        .iter()
        .find(|c| {
            c.tbs_certificate.issuer == sid.issuer
                && c.tbs_certificate.serial_number == sid.serial_number
        })
        .ok_or_else(|| bad("the signer's certificate is not in the signature"))?;
    let certificate_der = certificate.to_der().map_err(bad)?;
    if signer.digest_alg.oid != ID_SHA_256
        || signer.digest_alg.parameters.is_some()
        || signer.version != cms::content_info::CmsVersion::V1
        || signer.signature_algorithm.oid != ID_ECDSA_WITH_SHA_256
        || signer.unsigned_attrs.is_some()
    {
        return Err(bad(
            "the signature is not ECDSA P-256 with SHA-256 as a PDF signature takes",
        ));
    }
    // The certificates it carries: the signer's, then each one's issuer, nothing else.
    if certificates.first().map(|c| c.to_der().ok())
        != Some(Some(certificate.to_der().map_err(bad)?))
    {
        return Err(bad("the signer's certificate does not come first"));
    }
    for pair in certificates.windows(2) {
        let (child, parent) = (
            pair[0].to_der().map_err(bad)?,
            pair[1].to_der().map_err(bad)?,
        );
        crate::certificate::issued_by(&child, &parent, std::time::SystemTime::now())
            .map_err(|_| bad("a certificate it carries did not issue the one before it"))?;
    }
    let attributes = signer
        .signed_attrs
        .as_ref()
        .ok_or_else(|| bad("the signature has no signed attributes"))?;
    let value_of = |oid| {
        attributes
            .iter()
            .find(|a| a.oid == oid)
            .and_then(|a| a.values.iter().next())
    };
    let message_digest = value_of(ID_MESSAGE_DIGEST)
        .and_then(|v| v.decode_as::<der::asn1::OctetString>().ok())
        .ok_or_else(|| bad("the signature names no message digest"))?;
    if message_digest.as_bytes() != digest {
        return Err(bad(
            "Digest Mismatch: the signed bytes are not those of the file",
        ));
    }
    let expected = signing_certificate_v2(&certificate_der)?;
    let named = value_of(ID_SIGNING_CERTIFICATE_V2)
        .ok_or_else(|| bad("the signature lacks the signing-certificate-v2 attribute"))?;
    if Some(named) != expected.values.iter().next() {
        return Err(bad(
            "the signing-certificate-v2 attribute names another certificate",
        ));
    }
    let key = VerifyingKey::try_from(
        certificate
            .tbs_certificate
            .subject_public_key_info
            .owned_to_ref(),
    )
    .map_err(|_| bad("the signer's certificate is not ECDSA P-256"))?;
    let signed_bytes = attributes.to_der().map_err(bad)?;
    let value = DerSignature::from_bytes(signer.signature.as_bytes()).map_err(bad)?;
    signature::Verifier::verify(&key, &signed_bytes, &value)
        .map_err(|_| bad("the ECDSA signature does not verify"))?;
    Ok(CmsSignature {
        certificate: certificate_der,
        certificates: certificates
            .iter()
            .filter_map(|c| c.to_der().ok())
            .collect(),
    })
}
