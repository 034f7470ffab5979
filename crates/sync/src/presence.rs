//! Presence: who has a document open and on which commitment, said with automerge-repo's
//! ephemeral messages (relayed by the server, never stored). A message is a small CBOR map
//! (the JavaScript repo only relays valid CBOR); what another device sends is read bounded and
//! strictly: anything else is ignored, never an error.

use minicbor::data::Type;
use minicbor::{Decoder, Encoder};

/// Who someone is, as the others see them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Presence {
    pub name: String,
    pub role: String,
    pub device: String,
    /// The commitment they are on (its id), if any.
    pub commitment: Option<String>,
}

/// One ephemeral message: a device's session says it is here, or that it left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresenceNote {
    pub session: String,
    pub presence: Presence,
    pub leaving: bool,
}

/// Marks our messages among other applications' ephemera on the same document.
const KIND: &str = "scopepact/presence";
/// Longer messages are not ours.
const MAX_BYTES: usize = 2048;
/// Longer fields are cut, so a hostile peer cannot fill the screen.
const MAX_FIELD_CHARS: usize = 120;

pub fn encode(note: &PresenceNote) -> Vec<u8> {
    let mut encoder = Encoder::new(Vec::new());
    let p = &note.presence;
    // Writing to a Vec cannot fail.
    let _ = (|| -> Result<(), minicbor::encode::Error<std::convert::Infallible>> {
        encoder
            .map(7)?
            .str("kind")?
            .str(KIND)?
            .str("session")?
            .str(&note.session)?
            .str("name")?
            .str(&p.name)?
            .str("role")?
            .str(&p.role)?
            .str("device")?
            .str(&p.device)?
            .str("commitment")?;
        match &p.commitment {
            Some(c) => encoder.str(c)?,
            None => encoder.null()?,
        };
        encoder.str("leaving")?.bool(note.leaving)?;
        Ok(())
    })();
    encoder.into_writer()
}

/// Reads a presence message; `None` for anything that is not one.
pub fn decode(bytes: &[u8]) -> Option<PresenceNote> {
    if bytes.len() > MAX_BYTES {
        return None;
    }
    let mut d = Decoder::new(bytes);
    let entries = d.map().ok()??;
    if entries > 16 {
        return None;
    }
    let mut kind = None;
    let mut note = PresenceNote {
        session: String::new(),
        presence: Presence {
            name: String::new(),
            role: String::new(),
            device: String::new(),
            commitment: None,
        },
        leaving: false,
    };
    for _ in 0..entries {
        let key = d.str().ok()?;
        match key {
            "kind" => kind = Some(d.str().ok()?),
            "session" => note.session = field(d.str().ok()?),
            "name" => note.presence.name = field(d.str().ok()?),
            "role" => note.presence.role = field(d.str().ok()?),
            "device" => note.presence.device = field(d.str().ok()?),
            "commitment" => {
                note.presence.commitment = match d.datatype().ok()? {
                    Type::Null => {
                        d.null().ok()?;
                        None
                    }
                    _ => Some(field(d.str().ok()?)),
                }
            }
            "leaving" => note.leaving = d.bool().ok()?,
            _ => d.skip().ok()?,
        }
    }
    // Nothing may follow the map, and a note says who it is.
    if d.position() != bytes.len() || kind != Some(KIND) || note.session.is_empty() {
        return None;
    }
    Some(note)
}

fn field(text: &str) -> String {
    text.chars().take(MAX_FIELD_CHARS).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note() -> PresenceNote {
        PresenceNote {
            session: "s-1".into(),
            presence: Presence {
                name: "Jörg Müller".into(),
                role: "operations".into(),
                device: "plant-laptop".into(),
                commitment: Some("c-9".into()),
            },
            leaving: false,
        }
    }

    #[test]
    fn a_note_reads_back_as_written() {
        assert_eq!(decode(&encode(&note())), Some(note()));
        let mut gone = note();
        gone.leaving = true;
        gone.presence.commitment = None;
        assert_eq!(decode(&encode(&gone)), Some(gone));
    }

    #[test]
    fn what_is_not_a_note_is_ignored() {
        let good = encode(&note());
        // Truncated at every length, or followed by more: never a note, never a panic.
        for cut in 0..good.len() {
            assert_eq!(decode(&good[..cut]), None, "cut at {cut}");
        }
        let mut longer = good.clone();
        longer.push(0);
        assert_eq!(decode(&longer), None);
        // Another application's ephemeral message on the same document.
        let mut other = Encoder::new(Vec::new());
        other.map(1).unwrap().str("cursor").unwrap().u32(4).unwrap();
        assert_eq!(decode(&other.into_writer()), None);
        // Oversized, and a map claiming a huge number of entries.
        assert_eq!(decode(&vec![0xa1; MAX_BYTES + 1]), None);
        assert_eq!(
            decode(&[0xbb, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
            None
        );
        // Not CBOR at all.
        assert_eq!(decode(b"hello"), None);
    }

    #[test]
    fn long_fields_are_cut() {
        let mut long = note();
        long.presence.name = "x".repeat(1000);
        let read = decode(&encode(&long)).unwrap();
        assert_eq!(read.presence.name.chars().count(), MAX_FIELD_CHARS);
    }
}
