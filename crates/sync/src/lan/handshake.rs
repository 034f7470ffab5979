//! Joining a meeting session: SPAKE2 over the join code, then each side proves it derived the
//! same key by sending a first sealed frame the other can open. Someone who captures the
//! exchange learns nothing to test codes against offline; someone who guesses gets one try per
//! connection, and the host changes its code after 5 wrong ones.
//!
//! ```text
//! joiner → host   "scopepact-session/1\0" ‖ SPAKE2 message A          (clear)
//! host → joiner   SPAKE2 message B        or "!full", "!wait:SECONDS"  (clear)
//! joiner → host   sealed Join { name, email, role, device }
//! host → joiner   sealed Welcome { document, title, host }   or "!wrong-code", "!full" (clear)
//! ```
//!
//! Every field is cut to 120 characters (control characters dropped) by its sender and again
//! by its reader, so the joining frames stay under [`channel::JOINING_FRAME`] whatever the
//! script.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use spake2::{Ed25519Group, Identity, Password, Spake2};
use tokio::net::TcpStream;

use super::channel::{self, FrameReader, FrameWriter, Kind, Opener, Sealer};
use super::code::JoinCode;

const PROTOCOL: &[u8] = b"scopepact-session/1\0";
const JOINER: &[u8] = b"scopepact-session joiner";
const HOST: &[u8] = b"scopepact-session host";
const WRONG_CODE: &[u8] = b"!wrong-code";
const FULL: &[u8] = b"!full";
const WAIT: &[u8] = b"!wait:";
/// Longest wait a host's answer is believed to ask for.
const MAX_WAIT_SECONDS: u64 = 60 * 60;
/// Time a peer has to complete the handshake.
pub(crate) const HANDSHAKE_LIMIT: Duration = Duration::from_secs(10);

/// Someone in the session, as they introduced themselves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    pub name: String,
    pub email: String,
    pub role: String,
    pub device: String,
}

/// What the host tells a joiner once the code is proven.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Welcome {
    /// The session's document (its automerge-repo id).
    pub document: String,
    pub title: String,
    pub host: Participant,
}

fn cut(s: &mut String) {
    *s = super::shown(s);
}

impl Welcome {
    fn bounded(mut self) -> Welcome {
        cut(&mut self.title);
        self.host = self.host.bounded();
        self
    }
}

impl Participant {
    fn bounded(mut self) -> Participant {
        for field in [
            &mut self.name,
            &mut self.email,
            &mut self.role,
            &mut self.device,
        ] {
            cut(field);
        }
        self
    }
}

/// Why the host turns someone away, said in clear: it holds no secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TurnAway {
    /// The introduction did not open: another code (or an older one).
    WrongCode,
    /// The session has as many people as it takes.
    Full,
    /// This address tried too many wrong codes: it may try again after this long.
    Wait(Duration),
}

impl TurnAway {
    fn frame(self) -> Vec<u8> {
        match self {
            TurnAway::WrongCode => WRONG_CODE.to_vec(),
            TurnAway::Full => FULL.to_vec(),
            TurnAway::Wait(wait) => {
                let mut frame = WAIT.to_vec();
                // Rounded up: "try again in 0 s" would be refused once more.
                let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
                frame.extend_from_slice(seconds.max(1).to_string().as_bytes());
                frame
            }
        }
    }

    /// The host's clear answer, if this frame is one.
    fn read(frame: &[u8]) -> Option<TurnAway> {
        if frame == WRONG_CODE {
            return Some(TurnAway::WrongCode);
        }
        if frame == FULL {
            return Some(TurnAway::Full);
        }
        let seconds = frame.strip_prefix(WAIT)?;
        if seconds.is_empty() || seconds.len() > 10 || !seconds.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let seconds: u64 = std::str::from_utf8(seconds).ok()?.parse().ok()?;
        Some(TurnAway::Wait(Duration::from_secs(
            seconds.clamp(1, MAX_WAIT_SECONDS),
        )))
    }
}

#[derive(Debug)]
pub(crate) enum Refusal {
    TurnedAway(TurnAway),
    /// Not our protocol, or a frame that does not open: the reason, for the log and message.
    Garbage(String),
    Io(std::io::Error),
    TimedOut,
}

impl From<std::io::Error> for Refusal {
    fn from(e: std::io::Error) -> Refusal {
        Refusal::Io(e)
    }
}

/// A connection whose peer proved the code: frames both ways, sealed.
pub(crate) struct Secured {
    pub reader: FrameReader,
    pub writer: FrameWriter,
    pub sealer: Sealer,
    pub opener: Opener,
}

async fn next_frame(reader: &mut FrameReader, what: &str) -> Result<Vec<u8>, Refusal> {
    channel::receive(reader)
        .await?
        .ok_or_else(|| Refusal::Garbage(format!("the connection closed before {what}")))
}

/// A joiner that said hello in our protocol; the host decides whether to go on.
pub(crate) struct Hello {
    reader: FrameReader,
    writer: FrameWriter,
    their_message: Vec<u8>,
}

/// The host's first step: the joiner's hello.
pub(crate) async fn hello(stream: TcpStream) -> Result<Hello, Refusal> {
    tokio::time::timeout(HANDSHAKE_LIMIT, async {
        let (mut reader, writer) = channel::frames(stream);
        let hello = next_frame(&mut reader, "saying hello").await?;
        let Some(their_message) = hello.strip_prefix(PROTOCOL) else {
            return Err(Refusal::Garbage(
                "not a ScopePact meeting session client".into(),
            ));
        };
        Ok(Hello {
            reader,
            writer,
            their_message: their_message.to_vec(),
        })
    })
    .await
    .map_err(|_| Refusal::TimedOut)?
}

/// A key agreed with a joiner, not yet known to be the same as ours.
pub(crate) struct Exchanged {
    reader: FrameReader,
    writer: FrameWriter,
    sealer: Sealer,
    opener: Opener,
    introduction: Vec<u8>,
}

async fn say(writer: &mut FrameWriter, why: TurnAway) {
    let _ = tokio::time::timeout(HANDSHAKE_LIMIT, channel::send(writer, why.frame())).await;
}

impl Hello {
    /// Tells the joiner why not, before any code is tried, and closes.
    pub(crate) async fn turn_away(mut self, why: TurnAway) {
        say(&mut self.writer, why).await;
    }

    /// Runs the key exchange over `code`, up to the joiner's sealed introduction: whether
    /// it opens (the joiner has the code) is for the host to check under its count of wrong
    /// attempts.
    pub(crate) async fn exchange(self, code: &JoinCode) -> Result<Exchanged, Refusal> {
        tokio::time::timeout(HANDSHAKE_LIMIT, self.exchange_steps(code))
            .await
            .map_err(|_| Refusal::TimedOut)?
    }

    async fn exchange_steps(self, code: &JoinCode) -> Result<Exchanged, Refusal> {
        let Hello {
            mut reader,
            mut writer,
            their_message,
        } = self;
        let (spake, our_message) = Spake2::<Ed25519Group>::start_b(
            &Password::new(code.secret()),
            &Identity::new(JOINER),
            &Identity::new(HOST),
        );
        channel::send(&mut writer, our_message).await?;
        let agreed = spake
            .finish(&their_message)
            .map_err(|e| Refusal::Garbage(format!("a malformed key exchange: {e}")))?;
        let (_, opener, sealer, _) = channel::keys(&agreed);
        let introduction = next_frame(&mut reader, "introducing itself").await?;
        Ok(Exchanged {
            reader,
            writer,
            sealer,
            opener,
            introduction,
        })
    }
}

/// The host's side in one step, for tests: hello, then the exchange over `code`.
#[cfg(test)]
pub(crate) async fn host(stream: TcpStream, code: &JoinCode) -> Result<Exchanged, Refusal> {
    hello(stream).await?.exchange(code).await
}

impl Exchanged {
    /// Who the joiner says they are, when their introduction opens with our key: they hold
    /// the code. `Err(TurnedAway(WrongCode))` when it does not.
    pub(crate) fn introduction(&mut self) -> Result<Participant, Refusal> {
        let Some((kind, payload)) = self.opener.open(&self.introduction) else {
            return Err(Refusal::TurnedAway(TurnAway::WrongCode));
        };
        match kind {
            Kind::Join => serde_json::from_slice::<Participant>(&payload)
                .map(Participant::bounded)
                .map_err(|e| Refusal::Garbage(format!("an unreadable introduction: {e}"))),
            other => Err(Refusal::Garbage(format!("{other:?} before joining"))),
        }
    }

    /// Tells the joiner why not (a wrong or stale code, a full session), and closes.
    pub(crate) async fn refuse(mut self, why: TurnAway) {
        say(&mut self.writer, why).await;
    }

    /// Welcomes a joiner whose introduction opened.
    pub(crate) async fn admit(mut self, welcome: &Welcome) -> Result<Secured, Refusal> {
        let welcome = serde_json::to_vec(&welcome.clone().bounded()).unwrap_or_default();
        let frame = self.sealer.seal(Kind::Welcome, &welcome);
        tokio::time::timeout(HANDSHAKE_LIMIT, channel::send(&mut self.writer, frame))
            .await
            .map_err(|_| Refusal::TimedOut)??;
        channel::raise_limit(&mut self.reader);
        Ok(Secured {
            reader: self.reader,
            writer: self.writer,
            sealer: self.sealer,
            opener: self.opener,
        })
    }
}

/// The joiner's side.
pub(crate) async fn join(
    stream: TcpStream,
    code: &JoinCode,
    me: &Participant,
) -> Result<(Secured, Welcome), Refusal> {
    tokio::time::timeout(HANDSHAKE_LIMIT, join_steps(stream, code, me))
        .await
        .map_err(|_| Refusal::TimedOut)?
}

async fn join_steps(
    stream: TcpStream,
    code: &JoinCode,
    me: &Participant,
) -> Result<(Secured, Welcome), Refusal> {
    let (mut reader, mut writer) = channel::frames(stream);
    let (spake, our_message) = Spake2::<Ed25519Group>::start_a(
        &Password::new(code.secret()),
        &Identity::new(JOINER),
        &Identity::new(HOST),
    );
    let mut hello = PROTOCOL.to_vec();
    hello.extend_from_slice(&our_message);
    channel::send(&mut writer, hello).await?;
    let their_message = next_frame(&mut reader, "answering hello").await?;
    if let Some(why) = TurnAway::read(&their_message) {
        return Err(Refusal::TurnedAway(why));
    }
    let agreed = spake
        .finish(&their_message)
        .map_err(|e| Refusal::Garbage(format!("a malformed key exchange: {e}")))?;
    let (mut sealer, _, _, mut opener) = channel::keys(&agreed);
    let introduction = serde_json::to_vec(&me.clone().bounded()).unwrap_or_default();
    channel::send(&mut writer, sealer.seal(Kind::Join, &introduction)).await?;
    let answer = next_frame(&mut reader, "welcoming").await?;
    if let Some(why) = TurnAway::read(&answer) {
        return Err(Refusal::TurnedAway(why));
    }
    let welcome: Welcome = match opener.open(&answer) {
        Some((Kind::Welcome, payload)) => serde_json::from_slice(&payload)
            .map_err(|e| Refusal::Garbage(format!("an unreadable welcome: {e}")))?,
        Some((other, _)) => {
            return Err(Refusal::Garbage(format!("{other:?} instead of a welcome")))
        }
        None => return Err(Refusal::Garbage("a welcome that does not open".into())),
    };
    channel::raise_limit(&mut reader);
    Ok((
        Secured {
            reader,
            writer,
            sealer,
            opener,
        },
        welcome.bounded(),
    ))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use tokio::net::TcpListener;

    fn ana() -> Participant {
        Participant {
            name: "Ana Ruiz".into(),
            email: "ana@example.com".into(),
            role: "commercial".into(),
            device: "ana-laptop".into(),
        }
    }

    fn welcome() -> Welcome {
        Welcome {
            document: "2KwPmaQ2sFF8wxbEhG4gPU1YjXSL".into(),
            title: "Press retrofit".into(),
            host: Participant {
                name: "Jorge".into(),
                ..ana()
            },
        }
    }

    type Pair = (
        Result<(Secured, Participant), Refusal>,
        Result<(Secured, Welcome), Refusal>,
    );

    async fn pair(host_code: JoinCode, joiner_code: JoinCode) -> Pair {
        pair_of(host_code, joiner_code, ana(), welcome()).await
    }

    async fn pair_of(
        host_code: JoinCode,
        joiner_code: JoinCode,
        me: Participant,
        welcome: Welcome,
    ) -> Pair {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let host = tokio::spawn(async move {
            let (stream, _) = listener.accept().await.unwrap();
            let mut exchanged = host(stream, &host_code).await?;
            match exchanged.introduction() {
                Ok(who) => Ok((exchanged.admit(&welcome).await?, who)),
                Err(refusal) => {
                    exchanged.refuse(TurnAway::WrongCode).await;
                    Err(refusal)
                }
            }
        });
        let stream = TcpStream::connect(address).await.unwrap();
        let joined = join(stream, &joiner_code, &me).await;
        (host.await.unwrap(), joined)
    }

    /// A name, e-mail, device or title may be long and in any script (4-byte characters, the
    /// longest): joining still works, each side sees every field cut to 120 characters, and
    /// control characters (a terminal escape, a tab, a newline) are dropped.
    #[tokio::test]
    async fn long_fields_in_any_script_join_and_arrive_cut() {
        let long = |c: char| std::iter::repeat_n(c, 5_000).collect::<String>();
        let me = Participant {
            name: format!("Ana\u{1b}[2J\tRuiz\n{}", long('𝔄')),
            email: long('𝔅'),
            role: long('𝔆'),
            device: long('𝔇'),
        };
        let welcome = Welcome {
            title: long('𝔈'),
            host: me.clone(),
            ..welcome()
        };
        let code = JoinCode::random();
        let (hosted, joined) = pair_of(code.clone(), code, me, welcome).await;
        let (_, who) = hosted.unwrap_or_else(|r| panic!("the host refused: {r:?}"));
        let (_, welcome) = joined.unwrap_or_else(|r| panic!("the joiner failed: {r:?}"));
        for field in [&who.name, &who.email, &who.role, &who.device] {
            assert_eq!(field.chars().count(), 120);
        }
        assert!(who.name.starts_with("Ana[2JRuiz𝔄"), "{}", who.name);
        assert_eq!(welcome.title.chars().count(), 120);
        assert_eq!(welcome.host.name, who.name);
    }

    #[tokio::test]
    async fn the_same_code_joins_and_frames_flow_both_ways() {
        let code = JoinCode::random();
        let (hosted, joined) = pair(code.clone(), code).await;
        let (mut host, who) = hosted.unwrap();
        let (mut joiner, welcome) = joined.unwrap();
        assert_eq!(who, ana());
        assert_eq!(welcome.title, "Press retrofit");
        let frame = joiner.sealer.seal(Kind::Sync, b"a change");
        channel::send(&mut joiner.writer, frame).await.unwrap();
        let got = channel::receive(&mut host.reader).await.unwrap().unwrap();
        assert_eq!(
            host.opener.open(&got).unwrap(),
            (Kind::Sync, b"a change".to_vec())
        );
        let frame = host.sealer.seal(Kind::Sync, b"a reply");
        channel::send(&mut host.writer, frame).await.unwrap();
        let got = channel::receive(&mut joiner.reader).await.unwrap().unwrap();
        assert_eq!(
            joiner.opener.open(&got).unwrap(),
            (Kind::Sync, b"a reply".to_vec())
        );
    }

    #[tokio::test]
    async fn a_wrong_code_is_refused_on_both_sides() {
        let (hosted, joined) = pair(JoinCode::random(), JoinCode::random()).await;
        assert!(
            matches!(hosted, Err(Refusal::TurnedAway(TurnAway::WrongCode))),
            "{:?}",
            hosted.err()
        );
        assert!(
            matches!(joined, Err(Refusal::TurnedAway(TurnAway::WrongCode))),
            "{:?}",
            joined.err()
        );
    }

    #[test]
    fn a_hosts_clear_answers_read_back_and_a_hostile_wait_is_bounded() {
        for why in [
            TurnAway::WrongCode,
            TurnAway::Full,
            TurnAway::Wait(Duration::from_secs(8)),
        ] {
            assert_eq!(TurnAway::read(&why.frame()), Some(why));
        }
        // Part of a second is said as a whole one.
        let frame = TurnAway::Wait(Duration::from_millis(300)).frame();
        assert_eq!(frame, b"!wait:1");
        assert_eq!(
            TurnAway::read(b"!wait:99999999"),
            Some(TurnAway::Wait(Duration::from_secs(MAX_WAIT_SECONDS)))
        );
        for hostile in [
            &b"!wait:"[..],
            b"!wait:-1",
            b"!wait:1e9",
            b"!wait:99999999999999999999",
            b"!wait: 5",
            b"!full ",
        ] {
            assert_eq!(TurnAway::read(hostile), None, "{hostile:?}");
        }
    }

    #[tokio::test]
    async fn garbage_and_silence_are_refused_without_waiting_forever() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let code = JoinCode::random();
        let host = tokio::spawn(async move {
            let mut refusals = vec![];
            for _ in 0..2 {
                let (stream, _) = listener.accept().await.unwrap();
                refusals.push(host(stream, &code).await.err());
            }
            refusals
        });
        // An HTTP client, then a frame far past the joining limit.
        use tokio::io::AsyncWriteExt;
        let mut http = TcpStream::connect(address).await.unwrap();
        http.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .unwrap();
        let mut huge = TcpStream::connect(address).await.unwrap();
        huge.write_all(&(64u32 * 1024 * 1024).to_be_bytes())
            .await
            .unwrap();
        let refusals = host.await.unwrap();
        assert!(
            refusals
                .iter()
                .all(|r| matches!(r, Some(Refusal::Garbage(_) | Refusal::Io(_)))),
            "{refusals:?}"
        );
    }
}
