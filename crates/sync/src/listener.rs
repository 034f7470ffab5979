//! The server's listening socket, plain or TLS. Connections are accepted and (for TLS)
//! handshaken in tasks of their own, so one slow or silent peer never holds up the others.

use std::io;
use std::net::SocketAddr;
use std::path::Path;
use std::pin::Pin;
use std::time::Duration;

use axum::extract::connect_info::Connected;
use axum::serve::IncomingStream;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::SyncError;

/// A peer that has not finished its TLS handshake by then is dropped.
const HANDSHAKE_LIMIT: Duration = Duration::from_secs(10);

pub trait Stream: AsyncRead + AsyncWrite + Send {}
impl<T: AsyncRead + AsyncWrite + Send> Stream for T {}

pub type Io = Pin<Box<dyn Stream>>;

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

/// The address of the peer, as the handlers see it.
#[derive(Debug, Clone, Copy)]
pub struct Peer(pub SocketAddr);

impl std::fmt::Display for Peer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl Connected<IncomingStream<'_, SyncListener>> for Peer {
    fn connect_info(stream: IncomingStream<'_, SyncListener>) -> Peer {
        Peer(*stream.remote_addr())
    }
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
    pub async fn bind(address: &str, tls: Option<&TlsFiles>) -> Result<SyncListener, SyncError> {
        let tls = tls.map(tls_acceptor).transpose()?;
        let listen_error = |e: io::Error| SyncError::Listen {
            address: address.to_string(),
            reason: e.to_string(),
        };
        let tcp = TcpListener::bind(address).await.map_err(listen_error)?;
        let local = tcp.local_addr().map_err(listen_error)?;
        let (sender, incoming) = mpsc::channel(64);
        let accepting = tokio::spawn(accept_loop(tcp, tls, sender));
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
) {
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
        let _ = stream.set_nodelay(true);
        match &tls {
            None => {
                if sender.send((Box::pin(stream), peer)).await.is_err() {
                    return;
                }
            }
            Some(acceptor) => {
                let acceptor = acceptor.clone();
                let sender = sender.clone();
                tokio::spawn(async move {
                    match tokio::time::timeout(HANDSHAKE_LIMIT, acceptor.accept(stream)).await {
                        Ok(Ok(stream)) => {
                            let _ = sender.send((Box::pin(stream), peer)).await;
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
