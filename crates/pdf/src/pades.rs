//! PDF signatures every reader checks (PAdES B-B, decision 0008): revision 1 carries an AcroForm
//! with one invisible signature field for the exporter's seal and one per required signer;
//! each signature fills one field in an incremental update of its own, a `/Sig` dictionary with
//! `/SubFilter /ETSI.CAdES.detached` whose `/Contents` is a detached CMS signature over every
//! byte of the file up to the end of that update but the `/Contents` itself.
//!
//! Updates are written in one fixed form and read back in that form only: `verify` takes each
//! update apart, writes it again from what it read, and compares. Anything else after revision 1
//! (a changed page, an extra object, bytes appended) does not verify.

use lopdf::{Dictionary, Object};
use scopepact_scope::refusal::SignerRole;
use scopepact_signing::certificate::SigningCertificate;
use sha2::{Digest, Sha256};

use crate::PdfError;

/// Room for the CMS signature: the certificate chain (up to a company root) and the signature
/// fit in far less than 8 KiB.
const CONTENTS_BYTES: usize = 8192;
const CONTENTS_HEX: usize = 2 * CONTENTS_BYTES;
/// `<`, the hex digits, `>`.
const CONTENTS_SPAN: usize = CONTENTS_HEX + 2;
/// Width of each `/ByteRange` number, so the numbers are filled in without moving a byte.
const RANGE_DIGITS: usize = 12;
/// An ed25519 signature, hex.
const BINDING_HEX: usize = 128;
/// The longest signer name written, in UTF-16 code units.
const MAX_NAME_UNITS: usize = 200;

/// Whose signature a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldRole {
    /// The exporter's seal, filled on export.
    Seal,
    /// A signer of the scope, filled by that signer's countersignature.
    Signer(SignerRole),
}

impl FieldRole {
    /// The field's name, as readers list it.
    pub fn name(self) -> &'static str {
        match self {
            FieldRole::Seal => "Export seal",
            FieldRole::Signer(SignerRole::CommercialLead) => "Commercial lead",
            FieldRole::Signer(SignerRole::OperationalLead) => "Operational lead",
            FieldRole::Signer(SignerRole::Customer) => "Customer",
        }
    }
}

/// A signature field of revision 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Field {
    pub role: FieldRole,
    pub id: u32,
    pub page: (u32, u16),
}

impl Field {
    /// The field's dictionary as an update writes it again, with its value.
    fn filled(&self, signature_id: u32) -> String {
        format!(
            "<< /FT /Sig /T ({}) /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /F 132 /P {} {} R /V {signature_id} 0 R >>",
            self.role.name(),
            self.page.0,
            self.page.1
        )
    }
}

/// The fields a manifest's document gets: the seal, then the signers its content requires.
pub(crate) fn roles(significant: bool) -> Vec<FieldRole> {
    let mut roles = vec![
        FieldRole::Seal,
        FieldRole::Signer(SignerRole::CommercialLead),
        FieldRole::Signer(SignerRole::OperationalLead),
    ];
    if significant {
        roles.push(FieldRole::Signer(SignerRole::Customer));
    }
    roles
}

/// Adds the AcroForm and its invisible fields (widgets on the last page) to revision 1.
pub(crate) fn add_fields(
    doc: &mut lopdf::Document,
    roles: &[FieldRole],
) -> Result<Vec<Field>, PdfError> {
    let page = *doc
        .get_pages()
        .values()
        .last()
        .ok_or_else(|| PdfError::Pdf("the PDF has no page".into()))?;
    let mut fields = vec![];
    for role in roles {
        let mut dict = Dictionary::new();
        dict.set("FT", "Sig");
        dict.set("T", Object::string_literal(role.name()));
        dict.set("Type", "Annot");
        dict.set("Subtype", "Widget");
        dict.set("Rect", vec![0.into(), 0.into(), 0.into(), 0.into()]);
        dict.set("F", 132);
        dict.set("P", Object::Reference(page));
        let id = doc.add_object(dict);
        fields.push(Field {
            role: *role,
            id: id.0,
            page,
        });
    }
    let refs: Vec<Object> = fields
        .iter()
        .map(|f| Object::Reference((f.id, 0)))
        .collect();
    let page_dict = doc
        .get_object_mut(page)
        .and_then(Object::as_dict_mut)
        .map_err(|e| PdfError::Pdf(e.to_string()))?;
    page_dict.set("Annots", refs.clone());
    let mut form = Dictionary::new();
    form.set("Fields", refs);
    form.set("SigFlags", 3);
    doc.catalog_mut()
        .map_err(|e| PdfError::Pdf(e.to_string()))?
        .set("AcroForm", form);
    Ok(fields)
}

/// What one signature update says.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Update {
    signature_id: u32,
    field_id: u32,
    /// `D:YYYYMMDDHHmmSS+00'00'`.
    time: String,
    /// The signer's name, UTF-16BE with its byte-order mark, hex.
    name_hex: String,
    /// The ed25519 key's binding of the certificate, hex.
    binding: String,
    /// The CMS signature, hex, zero-padded.
    contents: String,
    root: (u32, u16),
    previous_xref: usize,
    /// Where the update starts in the file.
    offset: usize,
}

impl Update {
    /// The update's bytes, and where `/Contents`' `<` is in the file.
    fn write(&self, field: &Field, ranges: [usize; 4]) -> (Vec<u8>, usize) {
        let range_text = ranges
            .iter()
            .map(|n| format!("{n:0>width$}", width = RANGE_DIGITS))
            .collect::<Vec<_>>()
            .join(" ");
        let head = format!(
            "{} 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange [{range_text}] /Contents ",
            self.signature_id
        );
        let contents_at = self.offset + head.len();
        let mut out = head.into_bytes();
        out.push(b'<');
        out.extend_from_slice(self.contents.as_bytes());
        out.push(b'>');
        let field_at;
        {
            let tail = format!(
                " /M ({}) /Name <{}> /Prop_Build << /App << /Name /ScopePact >> >> /ScopePactBinding <{}> >>\nendobj\n",
                self.time, self.name_hex, self.binding
            );
            out.extend_from_slice(tail.as_bytes());
            field_at = self.offset + out.len();
            out.extend_from_slice(
                format!(
                    "{} 0 obj\n{}\nendobj\n",
                    field.id,
                    field.filled(self.signature_id)
                )
                .as_bytes(),
            );
        }
        let xref_at = self.offset + out.len();
        out.extend_from_slice(
            format!(
                "xref\n0 1\n0000000000 65535 f \n{} 1\n{field_at:010} 00000 n \n{} 1\n{:010} 00000 n \ntrailer\n<< /Size {} /Root {} {} R /Prev {} >>\nstartxref\n{xref_at}\n%%EOF\n",
                field.id,
                self.signature_id,
                self.offset,
                self.signature_id + 1,
                self.root.0,
                self.root.1,
                self.previous_xref,
            )
            .as_bytes(),
        );
        (out, contents_at)
    }
}

/// The byte ranges of a signature whose `/Contents` starts at `contents_at`, in an update that
/// ends at `end`.
fn ranges(contents_at: usize, end: usize) -> [usize; 4] {
    let after = contents_at + CONTENTS_SPAN;
    [0, contents_at, after, end.saturating_sub(after)]
}

fn digest_of(file: &[u8], contents_at: usize, end: usize) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(&file[..contents_at]);
    hasher.update(&file[contents_at + CONTENTS_SPAN..end]);
    hasher.finalize().into()
}

/// The signer's name as a PDF text string: UTF-16BE with a byte-order mark, hex.
fn name_hex(name: &str) -> String {
    let mut hex = String::from("feff");
    for unit in name.encode_utf16().take(MAX_NAME_UNITS) {
        hex.push_str(&format!("{unit:04x}"));
    }
    hex
}

fn name_from_hex(hex: &str) -> Option<String> {
    let units: Vec<u16> = hex
        .strip_prefix("feff")?
        .as_bytes()
        .chunks(4)
        .map(|c| u16::from_str_radix(std::str::from_utf8(c).ok()?, 16).ok())
        .collect::<Option<_>>()?;
    String::from_utf16(&units).ok()
}

/// `D:20261124100100+00'00'` from an RFC 3339 time.
pub(crate) fn pdf_time(rfc3339: &str) -> Result<String, PdfError> {
    let time = chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map_err(|_| PdfError::Manifest(format!("\"{rfc3339}\" is not an RFC 3339 time")))?;
    Ok(time
        .with_timezone(&chrono::Utc)
        .format("D:%Y%m%d%H%M%S+00'00'")
        .to_string())
}

/// The trailer values the next update points back to.
fn last_xref(bytes: &[u8]) -> Result<usize, PdfError> {
    let at = crate::find_last(bytes, b"startxref")
        .ok_or_else(|| PdfError::Pdf("no startxref".into()))?;
    bytes
        .get(at + 9..)
        .and_then(|rest| std::str::from_utf8(rest).ok())
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| PdfError::Pdf("unreadable startxref".into()))
}

/// The layout of revision 1 a signature update needs: its catalog, its next object number and
/// its fields.
#[derive(Debug, Clone)]
pub(crate) struct Form {
    pub root: (u32, u16),
    pub next_id: u32,
    pub fields: Vec<Field>,
}

/// Who signs a field: their certificate, its binding by their ed25519 key, the name written,
/// and when (RFC 3339).
pub(crate) struct Signer<'a> {
    pub certificate: &'a SigningCertificate,
    pub binding: &'a str,
    pub name: &'a str,
    pub at: &'a str,
}

/// Fills the `role` field of a file whose signatures so far took the object numbers below
/// `next_id`: appends the update, signed by `signer`, and returns the new file.
pub(crate) fn fill(
    mut file: Vec<u8>,
    form: &Form,
    next_id: u32,
    role: FieldRole,
    signer: &Signer<'_>,
) -> Result<Vec<u8>, PdfError> {
    let Signer {
        certificate,
        binding,
        name: signer,
        at,
    } = *signer;
    let field =
        form.fields.iter().find(|f| f.role == role).ok_or_else(|| {
            PdfError::CannotSeal(format!("the file has no {} field", role.name()))
        })?;
    let update = Update {
        signature_id: next_id,
        field_id: field.id,
        time: pdf_time(at)?,
        name_hex: name_hex(signer),
        binding: binding.to_string(),
        contents: "0".repeat(CONTENTS_HEX),
        root: form.root,
        previous_xref: last_xref(&file)?,
        offset: file.len(),
    };
    // Written once to learn where the contents go, then again with the byte ranges.
    let (blank, contents_at) = update.write(field, [0; 4]);
    let end = update.offset + blank.len();
    let (text, _) = update.write(field, ranges(contents_at, end));
    file.extend_from_slice(&text);
    let digest = digest_of(&file, contents_at, end);
    let cms = certificate
        .sign_detached(&digest)
        .map_err(|e| PdfError::CannotSeal(e.to_string()))?;
    if cms.len() > CONTENTS_BYTES {
        return Err(PdfError::CannotSeal(format!(
            "the signature takes {} bytes, more than the {CONTENTS_BYTES} reserved",
            cms.len()
        )));
    }
    let hex = hex::encode(&cms);
    file[contents_at + 1..contents_at + 1 + hex.len()].copy_from_slice(hex.as_bytes());
    Ok(file)
}

/// A signature update read back and checked against what it covers.
#[derive(Debug, Clone)]
pub(crate) struct Signed {
    pub role: FieldRole,
    /// As written in the file.
    pub signer: String,
    pub time: String,
    pub binding: String,
    pub certificate: Vec<u8>,
}

/// Reads the signature updates that follow revision 1 (`from`), each in its one written form,
/// and checks each CMS signature against the bytes it covers. Certificates are not judged here.
pub(crate) fn read_updates(file: &[u8], from: usize, form: &Form) -> Result<Vec<Signed>, PdfError> {
    let tampered = |why: &str| PdfError::Tampered(why.to_string());
    let mut signed: Vec<Signed> = vec![];
    let mut at = from;
    let mut next_id = form.next_id;
    while at < file.len() {
        let rest = &file[at..];
        let mut reader = crate::reader::Reader::new(rest);
        let malformed = || {
            tampered(
                "something other than a signature was added after the file was exported (a \
                 changed page, an object, bytes appended)",
            )
        };
        let signature_id = reader.number_until(b' ').ok_or_else(malformed)?;
        reader
            .literal(b" 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange [")
            .ok_or_else(malformed)?;
        reader.skip(4 * RANGE_DIGITS + 3).ok_or_else(malformed)?;
        reader.literal(b"] /Contents <").ok_or_else(malformed)?;
        let contents = reader.hex(CONTENTS_HEX).ok_or_else(malformed)?;
        reader.literal(b"> /M (").ok_or_else(malformed)?;
        let time = reader
            .until(b')', 40, |b| {
                b.is_ascii_alphanumeric() || b":+-'".contains(&b)
            })
            .ok_or_else(malformed)?;
        reader.literal(b") /Name <").ok_or_else(malformed)?;
        let name_hex = reader
            .until(b'>', 4 * (MAX_NAME_UNITS + 1), |b| {
                b.is_ascii_digit() || (b'a'..=b'f').contains(&b)
            })
            .ok_or_else(malformed)?;
        reader
            .literal(b"> /Prop_Build << /App << /Name /ScopePact >> >> /ScopePactBinding <")
            .ok_or_else(malformed)?;
        let binding = reader.hex(BINDING_HEX).ok_or_else(malformed)?;
        reader.literal(b"> >>\nendobj\n").ok_or_else(malformed)?;
        let field_id = reader
            .number_until(b' ')
            .and_then(|n| u32::try_from(n).ok())
            .ok_or_else(malformed)?;
        let field = form
            .fields
            .iter()
            .find(|f| f.id == field_id)
            .ok_or_else(|| tampered("a signature fills something that is not a signature field"))?;
        if signed.iter().any(|s| s.role == field.role) {
            return Err(tampered(&format!(
                "the {} field is signed twice",
                field.role.name()
            )));
        }
        if signed.is_empty() && field.role != FieldRole::Seal {
            return Err(tampered(
                "the first signature after the export is not the seal",
            ));
        }
        let update = Update {
            signature_id: u32::try_from(signature_id).map_err(|_| malformed())?,
            field_id,
            time: time.to_string(),
            name_hex: name_hex.to_string(),
            binding: binding.to_string(),
            contents: contents.to_string(),
            root: form.root,
            previous_xref: last_xref(&file[..at])?,
            offset: at,
        };
        if update.signature_id != next_id {
            return Err(malformed());
        }
        // Written again from what was read, it must be the same bytes.
        let (blank, contents_at) = update.write(field, [0; 4]);
        let end = at
            .checked_add(blank.len())
            .filter(|&e| e <= file.len())
            .ok_or_else(malformed)?;
        let (expected, _) = update.write(field, ranges(contents_at, end));
        if file[at..end] != expected[..] {
            return Err(malformed());
        }
        let cms = der_prefix(contents)
            .ok_or_else(|| tampered("the signature's contents are not one CMS signature"))?;
        let digest = digest_of(file, contents_at, end);
        let checked = scopepact_signing::verify_detached(&cms, &digest)
            .map_err(|e| PdfError::Tampered(format!("the {} signature: {e}", field.role.name())))?;
        signed.push(Signed {
            role: field.role,
            signer: name_from_hex(name_hex).ok_or_else(malformed)?,
            time: time.to_string(),
            binding: binding.to_string(),
            certificate: checked.certificate,
        });
        next_id += 1;
        at = end;
    }
    if signed.is_empty() {
        return Err(tampered(
            "it carries no export seal (not exported by ScopePact, or the seal was removed)",
        ));
    }
    Ok(signed)
}

/// The DER value at the start of zero-padded hex: its bytes, the padding all zeros.
fn der_prefix(hex_text: &str) -> Option<Vec<u8>> {
    let bytes = hex::decode(hex_text).ok()?;
    if bytes.len() < 2 || bytes[0] != 0x30 {
        return None;
    }
    let (header, length) = match bytes[1] {
        n if n < 0x80 => (2usize, usize::from(n)),
        0x81 => (3, usize::from(*bytes.get(2)?)),
        0x82 => (
            4,
            usize::from(*bytes.get(2)?) << 8 | usize::from(*bytes.get(3)?),
        ),
        _ => return None,
    };
    let end = header.checked_add(length)?;
    if end > bytes.len() || bytes[end..].iter().any(|&b| b != 0) {
        return None;
    }
    Some(bytes[..end].to_vec())
}
