//! The seal over the whole file.
//!
//! The file is sealed the way PDF signatures are: an incremental update adds a seal dictionary
//! whose `/ByteRange` covers every byte of the file except the hex string `/Contents`, which
//! holds the exporter's ed25519 signature over those bytes. Changing any byte anywhere breaks
//! the seal. The update is written in one fixed form, and read back in that form only: every
//! number has a fixed width, hex is lower case, nothing else may follow.

use scopepact_signing::KeyPair;

use crate::PdfError;

/// An ed25519 signature is 64 bytes: 128 hex digits.
const CONTENTS_HEX: usize = 128;
/// The bytes the signature leaves out: its hex digits and the `<` `>` around them.
pub(crate) const CONTENTS_SPAN: usize = CONTENTS_HEX + 2;
/// An ed25519 public key is 32 bytes: 64 hex digits.
const KEY_HEX: usize = 64;
/// Width of each `/ByteRange` number, so the numbers can be filled in after the offsets are
/// known without moving a byte (12 digits: up to 999 GB, far beyond any file read here).
const RANGE_DIGITS: usize = 12;
const SEAL_TYPE: &[u8] =
    b"<< /Type /ScopePactSeal /Filter /ScopePact.Seal /SubFilter /ScopePact.ed25519 /Key <";

/// A sealed file, taken apart.
pub(crate) struct Seal<'a> {
    /// The sealing key, hex.
    pub key: &'a str,
    /// The seal's time, as written.
    pub sealed_at: &'a str,
    /// The signature, hex.
    pub signature: &'a str,
    /// Where the `<` of `/Contents` is: the covered bytes are those before it and after its `>`.
    pub contents_at: usize,
}

impl Seal<'_> {
    /// The bytes the signature covers.
    pub fn covered(&self, file: &[u8]) -> Vec<u8> {
        let after = self.contents_at + CONTENTS_HEX + 2;
        let mut covered = Vec::with_capacity(file.len().saturating_sub(CONTENTS_HEX + 2));
        covered.extend_from_slice(&file[..self.contents_at]);
        covered.extend_from_slice(&file[after..]);
        covered
    }
}

/// Appends the seal to a saved PDF, with a blank signature; returns the file and where its
/// `/Contents` hex string starts.
pub(crate) fn unsigned(
    mut bytes: Vec<u8>,
    root: (u32, u16),
    next_id: u32,
    public_key: &str,
    sealed_at: &str,
) -> Result<(Vec<u8>, usize), PdfError> {
    let previous = last_startxref(&bytes)?;
    if !bytes.ends_with(b"\n") {
        bytes.push(b'\n');
    }
    let offset = bytes.len();
    let mut object = format!("{next_id} 0 obj\n").into_bytes();
    object.extend_from_slice(SEAL_TYPE);
    let contents_in_object;
    {
        let p = "0".repeat(RANGE_DIGITS);
        object.extend_from_slice(
            format!("{public_key}> /M ({sealed_at}) /ByteRange [{p} {p} {p} {p}] /Contents ")
                .as_bytes(),
        );
        contents_in_object = object.len();
        object.extend_from_slice(format!("<{}> >>\nendobj\n", "0".repeat(CONTENTS_HEX)).as_bytes());
    }
    bytes.extend_from_slice(&object);
    let xref = bytes.len();
    bytes.extend_from_slice(
        format!(
            "xref\n0 1\n0000000000 65535 f \n{next_id} 1\n{offset:010} 00000 n \ntrailer\n<< /Size {} /Root {} {} R /Prev {previous} /ScopePactSeal {next_id} 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            next_id + 1,
            root.0,
            root.1,
        )
        .as_bytes(),
    );
    let contents = offset + contents_in_object;
    let after = contents + CONTENTS_HEX + 2;
    let ranges = [0, contents, after, bytes.len() - after];
    let range_text = ranges
        .iter()
        .map(|n| format!("{n:0>width$}", width = RANGE_DIGITS))
        .collect::<Vec<_>>()
        .join(" ");
    let range_at = find_last(&bytes[offset..], b"/ByteRange [")
        .ok_or_else(|| PdfError::Pdf("seal lost".into()))?
        + offset
        + b"/ByteRange [".len();
    bytes[range_at..range_at + range_text.len()].copy_from_slice(range_text.as_bytes());
    Ok((bytes, contents))
}

/// Signs the blank seal made by [`unsigned`].
pub(crate) fn sign(mut bytes: Vec<u8>, contents: usize, key: &KeyPair) -> Vec<u8> {
    let after = contents + CONTENTS_HEX + 2;
    let mut covered = bytes[..contents].to_vec();
    covered.extend_from_slice(&bytes[after..]);
    let signature = key.sign(&covered);
    bytes[contents + 1..contents + 1 + CONTENTS_HEX].copy_from_slice(signature.as_bytes());
    bytes
}

/// Finds and reads the seal of a file, in exactly the form [`unsigned`] writes it, and checks
/// its byte range covers the whole file but the signature.
pub(crate) fn parse(file: &[u8]) -> Result<Seal<'_>, PdfError> {
    let tampered = |why: &str| PdfError::Tampered(why.to_string());
    let at = find_last(file, SEAL_TYPE).ok_or_else(|| {
        tampered(
            "it carries no ScopePact seal (not exported by ScopePact, or the seal was removed)",
        )
    })?;
    let mut reader = Reader {
        bytes: file,
        at: at + SEAL_TYPE.len(),
    };
    let malformed = || tampered("the seal is not in the form ScopePact writes");
    let key = reader.hex(KEY_HEX).ok_or_else(malformed)?;
    reader.literal(b"> /M (").ok_or_else(malformed)?;
    let sealed_at = reader
        .until(b')', 40, |b| {
            b.is_ascii_alphanumeric() || b":+-.".contains(&b)
        })
        .ok_or_else(malformed)?;
    reader.literal(b") /ByteRange [").ok_or_else(malformed)?;
    let mut ranges = [0usize; 4];
    for (i, range) in ranges.iter_mut().enumerate() {
        if i > 0 {
            reader.literal(b" ").ok_or_else(malformed)?;
        }
        *range = reader.number(RANGE_DIGITS).ok_or_else(malformed)?;
    }
    reader.literal(b"] /Contents ").ok_or_else(malformed)?;
    let contents_at = reader.at;
    reader.literal(b"<").ok_or_else(malformed)?;
    let signature = reader.hex(CONTENTS_HEX).ok_or_else(malformed)?;
    reader.literal(b"> >>\nendobj\n").ok_or_else(malformed)?;
    let [start, first, second, length] = ranges;
    let covers_all = start == 0
        && first == contents_at
        && Some(second) == contents_at.checked_add(CONTENTS_HEX + 2)
        && second.checked_add(length) == Some(file.len());
    if !covers_all {
        return Err(tampered("the seal does not cover the whole file"));
    }
    Ok(Seal {
        key,
        sealed_at,
        signature,
        contents_at,
    })
}

/// Reads the fixed form of the seal, one piece at a time; every read is bounded.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.at.checked_add(n)?;
        let piece = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(piece)
    }

    fn literal(&mut self, expected: &[u8]) -> Option<()> {
        (self.take(expected.len())? == expected).then_some(())
    }

    /// Exactly `digits` lower-case hex digits.
    fn hex(&mut self, digits: usize) -> Option<&'a str> {
        let piece = self.take(digits)?;
        if !piece
            .iter()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b))
        {
            return None;
        }
        std::str::from_utf8(piece).ok()
    }

    /// Exactly `digits` decimal digits.
    fn number(&mut self, digits: usize) -> Option<usize> {
        let piece = self.take(digits)?;
        if !piece.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(piece).ok()?.parse().ok()
    }

    /// Up to `max` bytes accepted by `allowed`, ending before `end`.
    fn until(&mut self, end: u8, max: usize, allowed: impl Fn(u8) -> bool) -> Option<&'a str> {
        let rest = self.bytes.get(self.at..)?;
        let length = rest.iter().take(max + 1).position(|&b| b == end)?;
        let piece = &rest[..length];
        if piece.is_empty() || !piece.iter().all(|&b| allowed(b)) {
            return None;
        }
        self.at += length;
        std::str::from_utf8(piece).ok()
    }
}

pub(crate) fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    haystack
        .windows(needle.len())
        .rposition(|window| window == needle)
}

fn last_startxref(bytes: &[u8]) -> Result<usize, PdfError> {
    let at = find_last(bytes, b"startxref").ok_or_else(|| PdfError::Pdf("no startxref".into()))?;
    bytes
        .get(at + 9..)
        .and_then(|rest| std::str::from_utf8(rest).ok())
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| PdfError::Pdf("unreadable startxref".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal PDF-like prefix, sealed with a fresh key.
    fn sealed() -> (Vec<u8>, KeyPair) {
        let key = KeyPair::generate();
        let prefix =
            b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\nstartxref\n9\n%%EOF\n".to_vec();
        let (bytes, contents) =
            unsigned(prefix, (1, 0), 2, &key.public_key(), "2026-11-24T10:01:00Z").unwrap();
        (sign(bytes, contents, &key), key)
    }

    fn check(file: &[u8]) -> Result<(), PdfError> {
        let seal = parse(file)?;
        scopepact_signing::verify_bytes(seal.key, &seal.covered(file), seal.signature)
            .map_err(|_| PdfError::Tampered("changed".into()))
    }

    fn replaced(file: &[u8], from: &str, to: &str) -> Vec<u8> {
        let at = find_last(file, from.as_bytes()).unwrap();
        let mut out = file[..at].to_vec();
        out.extend_from_slice(to.as_bytes());
        out.extend_from_slice(&file[at + from.len()..]);
        out
    }

    #[test]
    fn a_sealed_file_reads_back_and_verifies() {
        let (file, key) = sealed();
        let seal = parse(&file).unwrap();
        assert_eq!(seal.key, key.public_key());
        assert_eq!(seal.sealed_at, "2026-11-24T10:01:00Z");
        check(&file).unwrap();
    }

    #[test]
    fn a_crafted_byte_range_is_refused_without_panicking() {
        let (file, _) = sealed();
        let seal = parse(&file).unwrap();
        let range_at = find_last(&file, b"/ByteRange [").unwrap() + 12;
        let range = std::str::from_utf8(&file[range_at..range_at + 51])
            .unwrap()
            .to_string();
        for crafted in [
            "0 1 18446744073709551615 1".to_string(),
            format!("{:012} {:012} {:012} {:012}", 0, 1, u64::MAX / 2, 1),
            format!(
                "{:012} {:012} {:012} {:012}",
                0, 999_999_999_999u64, 999_999_999_999u64, 999_999_999_999u64
            ),
            format!(
                "{:012} {:012} {:012} {:012}",
                0,
                seal.contents_at - 1,
                seal.contents_at + 129,
                file.len() - seal.contents_at - 129
            ),
            "-00000000001 000000000001 000000000002 000000000003".to_string(),
        ] {
            let bytes = replaced(&file, &range, &crafted);
            assert!(
                matches!(check(&bytes), Err(PdfError::Tampered(_))),
                "{crafted} accepted"
            );
        }
    }

    #[test]
    fn the_signature_is_read_in_lower_case_hex_only() {
        let (file, _) = sealed();
        let seal = parse(&file).unwrap();
        let upper = seal.signature.to_uppercase();
        assert_ne!(upper, seal.signature, "the signature has hex letters");
        let bytes = replaced(&file, seal.signature, &upper);
        assert!(matches!(parse(&bytes), Err(PdfError::Tampered(_))));
        let key = seal.key.to_uppercase();
        assert!(matches!(
            parse(&replaced(&file, seal.key, &key)),
            Err(PdfError::Tampered(_))
        ));
    }

    #[test]
    fn anything_after_the_seal_or_a_cut_file_is_refused() {
        let (file, _) = sealed();
        let mut longer = file.clone();
        longer.extend_from_slice(b"% appended\n");
        assert!(check(&longer).is_err());
        for cut in [0, 1, file.len() / 2, file.len() - 1] {
            assert!(check(&file[..cut]).is_err(), "cut at {cut}");
        }
    }
}
