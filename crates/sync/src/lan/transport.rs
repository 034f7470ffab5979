//! samod's transport over a secured meeting connection: sync messages sealed both ways. The
//! host can also end the connection with a word (the session ended, or this joiner was
//! removed); the joiner is told which, so it stops rather than redials.

use futures::channel::mpsc as fmpsc;
use futures::{SinkExt, StreamExt};
use samod::Transport;
use tokio::sync::{mpsc, watch};

use super::channel::{self, Kind};
use super::handshake::Secured;

/// Frames queued each way before the sender waits.
const QUEUE: usize = 64;

/// The connection's transport, and a task that ends with the connection; `last_word` sends
/// Ended or Removed then closes (host side); `heard` is told when the other side said one of
/// those (joiner side).
pub(crate) fn transport(
    secured: Secured,
    mut last_word: mpsc::Receiver<Kind>,
    heard: impl FnOnce(Kind) + Send + 'static,
) -> (Transport, tokio::task::JoinHandle<()>) {
    let Secured {
        mut reader,
        mut writer,
        mut sealer,
        mut opener,
    } = secured;
    let (mut to_samod, from_peer) = fmpsc::channel::<Result<Vec<u8>, std::io::Error>>(QUEUE);
    let (to_peer, mut from_samod) = fmpsc::channel::<Vec<u8>>(QUEUE);
    let (closed_tx, mut closed) = watch::channel(false);
    let reading = tokio::spawn(async move {
        loop {
            let frame = match channel::receive(&mut reader).await {
                Ok(Some(frame)) => frame,
                Ok(None) => break,
                Err(e) => {
                    tracing::warn!(%e, "meeting session connection failed");
                    break;
                }
            };
            match opener.open(&frame) {
                Some((Kind::Sync, message)) => {
                    if to_samod.send(Ok(message)).await.is_err() {
                        break;
                    }
                }
                Some((kind @ (Kind::Ended | Kind::Removed), _)) => {
                    heard(kind);
                    break;
                }
                Some((other, _)) => {
                    tracing::warn!(?other, "unexpected frame in a meeting session: closing");
                    break;
                }
                None => {
                    tracing::warn!("a frame that does not open: closing the meeting connection");
                    break;
                }
            }
        }
        let _ = closed_tx.send(true);
    });
    let writing = tokio::spawn(async move {
        loop {
            tokio::select! {
                // The last word first: it must not be lost to samod closing at the same time.
                biased;
                Some(word) = last_word.recv() => {
                    let frame = sealer.seal(word, &[]);
                    let _ = channel::send(&mut writer, frame).await;
                    // Whatever the peer sends after is not read: samod sees the end now.
                    reading.abort();
                    break;
                }
                message = from_samod.next() => {
                    let Some(message) = message else { break };
                    let frame = sealer.seal(Kind::Sync, &message);
                    if channel::send(&mut writer, frame).await.is_err() {
                        break;
                    }
                }
                _ = closed.changed() => break,
            }
        }
        // Dropping the writer closes our half; the peer then closes theirs.
        let _ = SinkExt::<bytes::Bytes>::close(&mut writer).await;
    });
    (Transport::new(from_peer, to_peer), writing)
}
