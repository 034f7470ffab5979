//! automerge-repo's wire messages, written and read by hand: CBOR maps of text keys. Light
//! clients built on these cost the load generator a fraction of a samod `Repo` each, so that
//! thousands fit in the bench's process beside the server.
#![allow(dead_code)] // each bench uses its own part of it

fn head(major: u8, len: usize, out: &mut Vec<u8>) {
    match len {
        0..=23 => out.push(major << 5 | len as u8),
        24..=255 => out.extend([major << 5 | 24, len as u8]),
        256..=65_535 => {
            out.push(major << 5 | 25);
            out.extend((len as u16).to_be_bytes());
        }
        _ => {
            out.push(major << 5 | 26);
            out.extend((len as u32).to_be_bytes());
        }
    }
}

fn text(value: &str, out: &mut Vec<u8>) {
    head(3, value.len(), out);
    out.extend(value.as_bytes());
}

/// `join`: the first message of a connection.
pub fn join(sender: &str) -> Vec<u8> {
    let mut out = vec![];
    head(5, 4, &mut out);
    text("type", &mut out);
    text("join", &mut out);
    text("senderId", &mut out);
    text(sender, &mut out);
    text("peerMetadata", &mut out);
    head(5, 1, &mut out);
    text("isEphemeral", &mut out);
    out.push(0xf4); // false
    text("supportedProtocolVersions", &mut out);
    head(4, 1, &mut out);
    text("1", &mut out);
    out
}

/// A document's `request` (asking for it) or `sync` (sending what we have) message.
pub fn document_message(
    kind: &str,
    sender: &str,
    target: &str,
    document: &str,
    data: &[u8],
) -> Vec<u8> {
    let mut out = vec![];
    head(5, 5, &mut out);
    for (key, value) in [
        ("type", kind),
        ("documentId", document),
        ("senderId", sender),
        ("targetId", target),
    ] {
        text(key, &mut out);
        text(value, &mut out);
    }
    text("data", &mut out);
    head(2, data.len(), &mut out);
    out.extend(data);
    out
}

/// The fields of a received message the light clients use.
#[derive(Debug, Default)]
pub struct Received {
    pub kind: String,
    pub sender: String,
    pub document: String,
    pub data: Vec<u8>,
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        let end = self.at.checked_add(n)?;
        let slice = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(slice)
    }

    /// The next item's major type and argument (definite lengths only).
    fn head(&mut self) -> Option<(u8, u64)> {
        let first = *self.take(1)?.first()?;
        let (major, info) = (first >> 5, first & 0x1f);
        let argument = match info {
            0..=23 => u64::from(info),
            24 => u64::from(self.take(1)?[0]),
            25 => u64::from(u16::from_be_bytes(self.take(2)?.try_into().ok()?)),
            26 => u64::from(u32::from_be_bytes(self.take(4)?.try_into().ok()?)),
            27 => u64::from_be_bytes(self.take(8)?.try_into().ok()?),
            _ => return None,
        };
        Some((major, argument))
    }

    fn skip(&mut self, depth: usize) -> Option<()> {
        if depth > 16 {
            return None;
        }
        let (major, argument) = self.head()?;
        match major {
            2 | 3 => {
                self.take(usize::try_from(argument).ok()?)?;
            }
            4 => {
                for _ in 0..argument {
                    self.skip(depth + 1)?;
                }
            }
            5 => {
                for _ in 0..argument {
                    self.skip(depth + 1)?;
                    self.skip(depth + 1)?;
                }
            }
            6 => self.skip(depth + 1)?,
            _ => {}
        }
        Some(())
    }

    /// A text or byte string (a tag before it is passed over).
    fn string(&mut self) -> Option<Vec<u8>> {
        let (mut major, mut argument) = self.head()?;
        while major == 6 {
            (major, argument) = self.head()?;
        }
        if major != 2 && major != 3 {
            return None;
        }
        Some(self.take(usize::try_from(argument).ok()?)?.to_vec())
    }
}

/// Reads a message; `None` when it is not a CBOR map of text keys.
pub fn read(bytes: &[u8]) -> Option<Received> {
    let mut reader = Reader { bytes, at: 0 };
    let (major, entries) = reader.head()?;
    if major != 5 {
        return None;
    }
    let mut received = Received::default();
    for _ in 0..entries {
        let key = reader.string()?;
        let text = |value: Vec<u8>| String::from_utf8(value).ok();
        match key.as_slice() {
            b"type" => received.kind = text(reader.string()?)?,
            b"senderId" => received.sender = text(reader.string()?)?,
            b"documentId" => received.document = text(reader.string()?)?,
            b"data" => received.data = reader.string()?,
            _ => reader.skip(0)?,
        }
    }
    Some(received)
}
