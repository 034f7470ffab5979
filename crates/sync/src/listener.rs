//! The server's listening socket, plain or TLS. Connections are accepted and (for TLS)
//! handshaken in tasks of their own, so one slow or silent peer never holds up the others.
//!
//! Until a connection authenticates (a sync upgrade with a valid token) it is on probation: it
//! must send a complete request within the time limit (again after each answered request) or
//! it is closed, and at most `max_unauthenticated` such connections are held: a new one closes
//! the oldest still on probation, so a flood of slow clients without a token keeps replacing
//! itself while a device with a token, which authenticates within milliseconds, gets in.

use std::io;
use std::net::SocketAddr;
use std::path::Path;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::extract::connect_info::Connected;
use axum::serve::IncomingStream;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::SyncError;

pub trait Stream: AsyncRead + AsyncWrite + Send {}
impl<T: AsyncRead + AsyncWrite + Send> Stream for T {}

type Inner = Pin<Box<dyn Stream>>;

/// The connections not yet authenticated, counted, oldest first.
struct Probation {
    count: AtomicUsize,
    max: usize,
    limit: Duration,
    started: tokio::time::Instant,
    queue: std::sync::Mutex<std::collections::VecDeque<std::sync::Weak<Admission>>>,
}

impl Probation {
    /// Makes room for one more: closes the oldest connection still on probation when full.
    /// `false` when even that cannot make room (twice the limit are still closing).
    fn admit(&self, admission: &Arc<Admission>) -> bool {
        let Ok(mut queue) = self.queue.lock() else {
            return false;
        };
        let waiting = |a: &std::sync::Weak<Admission>| {
            a.upgrade()
                .is_some_and(|a| !a.authenticated.load(Ordering::SeqCst))
        };
        if self.count.load(Ordering::SeqCst) > self.max {
            while let Some(oldest) = queue.pop_front() {
                if let Some(oldest) = oldest
                    .upgrade()
                    .filter(|a| !a.authenticated.load(Ordering::SeqCst))
                {
                    oldest.evict();
                    break;
                }
            }
        }
        if queue.len() > 4 * self.max.max(16) {
            queue.retain(waiting);
        }
        queue.push_back(Arc::downgrade(admission));
        self.count.load(Ordering::SeqCst) <= 2 * self.max
    }
}

/// One connection's standing: on probation until [`Admission::authenticated`].
pub struct Admission {
    probation: Arc<Probation>,
    authenticated: AtomicBool,
    /// Milliseconds since `probation.started` by which the next request must be complete.
    deadline: AtomicU64,
    /// The connection's task, woken when it is closed early to make room.
    waker: futures::task::AtomicWaker,
}

impl Admission {
    fn new(probation: Arc<Probation>) -> Admission {
        probation.count.fetch_add(1, Ordering::SeqCst);
        let admission = Admission {
            probation,
            authenticated: AtomicBool::new(false),
            deadline: AtomicU64::new(0),
            waker: futures::task::AtomicWaker::new(),
        };
        admission.answered();
        admission
    }

    /// The connection presented a valid token: no time limit any more.
    pub fn authenticated(&self) {
        if !self.authenticated.swap(true, Ordering::SeqCst) {
            self.probation.count.fetch_sub(1, Ordering::SeqCst);
        }
    }

    /// A request was answered (a health check): the next one has the full time again.
    pub fn answered(&self) {
        let due = self.probation.started.elapsed() + self.probation.limit;
        self.deadline.store(
            u64::try_from(due.as_millis()).unwrap_or(u64::MAX),
            Ordering::SeqCst,
        );
    }

    /// Closes a connection on probation now, to make room for a newer one.
    fn evict(&self) {
        self.deadline.store(0, Ordering::SeqCst);
        self.waker.wake();
    }

    fn due(&self) -> Option<tokio::time::Instant> {
        if self.authenticated.load(Ordering::SeqCst) {
            return None;
        }
        let millis = self.deadline.load(Ordering::SeqCst);
        Some(self.probation.started + Duration::from_millis(millis))
    }
}

impl Drop for Admission {
    fn drop(&mut self) {
        if !self.authenticated.load(Ordering::SeqCst) {
            self.probation.count.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

/// A connection's stream: reads fail once a connection on probation is past its deadline.
pub struct Io {
    inner: Inner,
    admission: Arc<Admission>,
    timer: Pin<Box<tokio::time::Sleep>>,
}

impl Io {
    fn new(inner: Inner, admission: Arc<Admission>) -> Io {
        let due = admission
            .due()
            .unwrap_or_else(|| tokio::time::Instant::now() + Duration::from_secs(3600));
        Io {
            inner,
            admission,
            timer: Box::pin(tokio::time::sleep_until(due)),
        }
    }

    /// `Err` once the connection overstayed its probation; wakes the task at the deadline.
    fn check(&mut self, cx: &mut Context<'_>) -> io::Result<()> {
        let Some(due) = self.admission.due() else {
            return Ok(());
        };
        self.admission.waker.register(cx.waker());
        if self.timer.deadline() != due {
            self.timer.as_mut().reset(due);
        }
        match self.timer.as_mut().poll(cx) {
            Poll::Ready(()) => Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "no complete request in time without a token",
            )),
            Poll::Pending => Ok(()),
        }
    }
}

use std::future::Future;

impl AsyncRead for Io {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        self.check(cx)?;
        self.inner.as_mut().poll_read(cx, buf)
    }
}

impl AsyncWrite for Io {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.check(cx)?;
        self.inner.as_mut().poll_write(cx, buf)
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.inner.as_mut().poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.inner.as_mut().poll_shutdown(cx)
    }
}

/// The certificate chain and private key the server presents, both PEM files.
#[derive(Debug, Clone)]
pub struct TlsFiles {
    pub certificate: std::path::PathBuf,
    pub private_key: std::path::PathBuf,
}

pub struct SyncListener {
    incoming: mpsc::Receiver<(Io, SocketAddr)>,
    local: SocketAddr,
    accepting: JoinHandle<()>,
}

/// The peer's address and its connection's standing, as the handlers see them.
#[derive(Clone)]
pub struct Peer {
    pub address: SocketAddr,
    pub admission: Arc<Admission>,
}

impl std::fmt::Display for Peer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.address.fmt(f)
    }
}

impl Connected<IncomingStream<'_, SyncListener>> for Peer {
    fn connect_info(stream: IncomingStream<'_, SyncListener>) -> Peer {
        Peer {
            address: *stream.remote_addr(),
            admission: Arc::clone(&stream.io().admission),
        }
    }
}

/// Limits on connections that have not authenticated.
#[derive(Debug, Clone, Copy)]
pub struct ProbationLimits {
    /// How many are held at once; more are closed as they arrive.
    pub max_unauthenticated: usize,
    /// Time to send a complete request (and to finish a TLS handshake).
    pub request_time: Duration,
}

fn tls_acceptor(files: &TlsFiles) -> Result<tokio_native_tls::TlsAcceptor, SyncError> {
    let read = |path: &Path, what: &str| {
        std::fs::read(path).map_err(|e| {
            SyncError::InvalidInput(format!(
                "cannot read the TLS {what} {}: {e}",
                path.display()
            ))
        })
    };
    let certificate = read(&files.certificate, "certificate")?;
    let private_key = read(&files.private_key, "private key")?;
    let identity = native_tls::Identity::from_pkcs8(&certificate, &private_key).map_err(|e| {
        SyncError::InvalidInput(format!(
            "the TLS certificate {} and key {} do not make an identity (PEM certificate chain and \
             PKCS#8 PEM key expected, \"BEGIN PRIVATE KEY\"): {e}",
            files.certificate.display(),
            files.private_key.display()
        ))
    })?;
    let acceptor = native_tls::TlsAcceptor::new(identity)
        .map_err(|e| SyncError::InvalidInput(format!("cannot set up TLS: {e}")))?;
    Ok(acceptor.into())
}

impl SyncListener {
    pub async fn bind(
        address: &str,
        tls: Option<&TlsFiles>,
        limits: ProbationLimits,
    ) -> Result<SyncListener, SyncError> {
        let tls = tls.map(tls_acceptor).transpose()?;
        let listen_error = |e: io::Error| SyncError::Listen {
            address: address.to_string(),
            reason: e.to_string(),
        };
        let tcp = TcpListener::bind(address).await.map_err(listen_error)?;
        let local = tcp.local_addr().map_err(listen_error)?;
        let (sender, incoming) = mpsc::channel(64);
        let probation = Arc::new(Probation {
            count: AtomicUsize::new(0),
            max: limits.max_unauthenticated,
            limit: limits.request_time,
            started: tokio::time::Instant::now(),
            queue: Default::default(),
        });
        let accepting = tokio::spawn(accept_loop(tcp, tls, sender, probation));
        Ok(SyncListener {
            incoming,
            local,
            accepting,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.local
    }
}

impl Drop for SyncListener {
    fn drop(&mut self) {
        self.accepting.abort();
    }
}

async fn accept_loop(
    tcp: TcpListener,
    tls: Option<tokio_native_tls::TlsAcceptor>,
    sender: mpsc::Sender<(Io, SocketAddr)>,
    probation: Arc<Probation>,
) {
    let mut refused: u64 = 0;
    loop {
        let (stream, peer) = match tcp.accept().await {
            Ok(accepted) => accepted,
            Err(err) => {
                // Out of file descriptors and the like: wait rather than spin.
                tracing::warn!(%err, "accept failed");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let admission = Arc::new(Admission::new(Arc::clone(&probation)));
        if !probation.admit(&admission) {
            // Closed at once: a flood of clients without a token cannot use up descriptors.
            refused += 1;
            if refused.is_power_of_two() {
                tracing::warn!(%peer, refused, "connection closed: too many connections without a token");
            }
            drop(stream);
            continue;
        }
        let _ = stream.set_nodelay(true);
        match &tls {
            None => {
                let io = Io::new(Box::pin(stream), admission);
                if sender.send((io, peer)).await.is_err() {
                    return;
                }
            }
            Some(acceptor) => {
                let acceptor = acceptor.clone();
                let sender = sender.clone();
                let limit = probation.limit;
                tokio::spawn(async move {
                    match tokio::time::timeout(limit, acceptor.accept(stream)).await {
                        Ok(Ok(stream)) => {
                            let _ = sender
                                .send((Io::new(Box::pin(stream), admission), peer))
                                .await;
                        }
                        Ok(Err(err)) => tracing::info!(%peer, %err, "TLS handshake failed"),
                        Err(_) => tracing::info!(%peer, "TLS handshake timed out"),
                    }
                });
            }
        }
    }
}

impl axum::serve::Listener for SyncListener {
    type Io = Io;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Io, SocketAddr) {
        match self.incoming.recv().await {
            Some(accepted) => accepted,
            // The accept loop only ends when this listener is dropped.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        Ok(self.local)
    }
}
