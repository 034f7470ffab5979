//! The meeting session's wire: length-prefixed frames over TCP (bounded: a few kilobytes
//! while joining, a sync message's limit after), each one sealed with ChaCha20-Poly1305 under
//! a key only holders of the join code can derive (SPAKE2, [`super::handshake`]). Each
//! direction has its own key and counts its frames: a frame replayed, dropped, reordered or
//! altered does not open, and the connection ends.

use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use futures::{SinkExt, StreamExt};
use hkdf::Hkdf;
use sha2::Sha256;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::TcpStream;
use tokio_util::codec::{FramedRead, FramedWrite, LengthDelimitedCodec};

/// Largest frame before the code is proven: the hello, the joiner's introduction and the
/// host's welcome, whose fields are at most 120 characters each (the worst case, five fields
/// of control characters JSON writes as 6 bytes each, is 3.7 KB).
pub(crate) const JOINING_FRAME: usize = 4 * 1024;
/// Largest frame after: a sync message as large as the company server takes, sealed.
pub(crate) const SYNC_FRAME: usize = 16 * 1024 * 1024 + 64;

/// What a sealed frame carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// An automerge-repo message for samod.
    Sync = 0,
    /// The joiner introduces itself (name, role, device).
    Join = 1,
    /// The host answers: which document, whose session.
    Welcome = 2,
    /// The host ended the session.
    Ended = 3,
    /// The host removed this joiner.
    Removed = 4,
}

impl Kind {
    fn from_byte(b: u8) -> Option<Kind> {
        Some(match b {
            0 => Kind::Sync,
            1 => Kind::Join,
            2 => Kind::Welcome,
            3 => Kind::Ended,
            4 => Kind::Removed,
            _ => return None,
        })
    }
}

/// One direction's key and frame count.
pub(crate) struct Sealer {
    cipher: ChaCha20Poly1305,
    next: u64,
}

pub(crate) struct Opener {
    cipher: ChaCha20Poly1305,
    next: u64,
}

/// The frame number is the nonce: never reused under one key, since each key seals one
/// direction of one connection.
fn nonce(n: u64) -> Nonce {
    let mut bytes = [0u8; 12];
    bytes[4..].copy_from_slice(&n.to_be_bytes());
    Nonce::from(bytes)
}

impl Sealer {
    pub(crate) fn seal(&mut self, kind: Kind, payload: &[u8]) -> Vec<u8> {
        let mut plain = Vec::with_capacity(payload.len() + 1);
        plain.push(kind as u8);
        plain.extend_from_slice(payload);
        let n = self.next;
        self.next += 1;
        // Encrypting a buffer in memory only fails past ChaCha20's 256 GiB message limit.
        self.cipher
            .encrypt(&nonce(n), plain.as_slice())
            .unwrap_or_default()
    }
}

impl Opener {
    /// The frame's kind and payload; `None` when it was not sealed by the other holder of
    /// the key, in order.
    pub(crate) fn open(&mut self, frame: &[u8]) -> Option<(Kind, Vec<u8>)> {
        let mut plain = self.cipher.decrypt(&nonce(self.next), frame).ok()?;
        self.next += 1;
        if plain.is_empty() {
            return None;
        }
        let kind = Kind::from_byte(plain.remove(0))?;
        Some((kind, plain))
    }
}

/// Each direction's key, from the key SPAKE2 agreed on.
pub(crate) fn keys(agreed: &[u8]) -> (Sealer, Opener, Sealer, Opener) {
    let hkdf = Hkdf::<Sha256>::new(None, agreed);
    let key = |info: &[u8]| {
        let mut okm = [0u8; 32];
        // 32 bytes is far below HKDF-SHA256's limit of 8,160.
        let _ = hkdf.expand(info, &mut okm);
        ChaCha20Poly1305::new(Key::from_slice(&okm))
    };
    let to_host = key(b"scopepact-session/1 joiner to host");
    let to_joiner = key(b"scopepact-session/1 host to joiner");
    (
        Sealer {
            cipher: to_host.clone(),
            next: 0,
        },
        Opener {
            cipher: to_host,
            next: 0,
        },
        Sealer {
            cipher: to_joiner.clone(),
            next: 0,
        },
        Opener {
            cipher: to_joiner,
            next: 0,
        },
    )
}

pub(crate) type FrameReader = FramedRead<OwnedReadHalf, LengthDelimitedCodec>;
pub(crate) type FrameWriter = FramedWrite<OwnedWriteHalf, LengthDelimitedCodec>;

/// Frames over a TCP connection, bounded to [`JOINING_FRAME`] until [`raise_limit`].
pub(crate) fn frames(stream: TcpStream) -> (FrameReader, FrameWriter) {
    let _ = stream.set_nodelay(true);
    let (read, write) = stream.into_split();
    let codec = || {
        LengthDelimitedCodec::builder()
            .max_frame_length(JOINING_FRAME)
            .new_codec()
    };
    (
        FramedRead::new(read, codec()),
        FramedWrite::new(write, {
            let mut c = codec();
            c.set_max_frame_length(SYNC_FRAME);
            c
        }),
    )
}

/// The code is proven: sync messages may be large.
pub(crate) fn raise_limit(reader: &mut FrameReader) {
    reader.decoder_mut().set_max_frame_length(SYNC_FRAME);
}

pub(crate) async fn send(writer: &mut FrameWriter, frame: Vec<u8>) -> std::io::Result<()> {
    writer.send(bytes::Bytes::from(frame)).await
}

/// The next frame; `None` at the end of the connection.
pub(crate) async fn receive(reader: &mut FrameReader) -> std::io::Result<Option<Vec<u8>>> {
    match reader.next().await {
        Some(Ok(frame)) => Ok(Some(frame.to_vec())),
        Some(Err(e)) => Err(e),
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn frames_open_only_once_in_order_and_unaltered() {
        let (mut seal, mut open, _, _) = keys(b"agreed key");
        let one = seal.seal(Kind::Sync, b"first");
        let two = seal.seal(Kind::Sync, b"second");
        assert!(!one.windows(5).any(|w| w == b"first"), "sealed in clear");
        // Out of order: refused.
        let (_, mut fresh, _, _) = keys(b"agreed key");
        assert!(fresh.open(&two).is_none());
        assert_eq!(open.open(&one).unwrap(), (Kind::Sync, b"first".to_vec()));
        // Replayed: refused.
        assert!(open.clone_for_test().open(&one).is_none());
        let mut altered = two.clone();
        altered[0] ^= 1;
        assert!(open.clone_for_test().open(&altered).is_none());
        assert_eq!(open.open(&two).unwrap(), (Kind::Sync, b"second".to_vec()));
    }

    #[test]
    fn each_direction_and_each_key_is_its_own() {
        let (mut to_host, _, _, mut from_host) = keys(b"agreed key");
        let frame = to_host.seal(Kind::Join, b"hello");
        assert!(
            from_host.open(&frame).is_none(),
            "a frame came back as the host's"
        );
        let (_, mut other, _, _) = keys(b"another key");
        assert!(other.open(&frame).is_none());
    }

    impl Opener {
        fn clone_for_test(&self) -> Opener {
            Opener {
                cipher: self.cipher.clone(),
                next: self.next,
            }
        }
    }
}
