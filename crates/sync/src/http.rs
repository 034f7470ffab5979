//! One plain HTTP/1.1 request to the sync server (the certificate exchange), over TCP or TLS as
//! the server's URL says, with the device token; the answer is bounded in size and time.

use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use url::Url;

use crate::SyncError;

/// Largest answer read.
const MAX_ANSWER_BYTES: usize = 256 * 1024;
const LIMIT: Duration = Duration::from_secs(20);

/// Sends `method path` with `body`; returns the status and the body of the answer.
pub(crate) async fn request(
    server: &Url,
    method: &str,
    path: &str,
    token: &str,
    body: &str,
) -> Result<(u16, String), SyncError> {
    let shown = server.to_string();
    let unreachable = |reason: String| SyncError::Unreachable {
        url: shown.clone(),
        reason,
    };
    let host = server
        .host_str()
        .ok_or_else(|| unreachable("no host".into()))?
        .to_string();
    let tls = matches!(server.scheme(), "https" | "wss");
    let port = server.port().unwrap_or(if tls { 443 } else { 80 });
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {}\r\nContent-Type: application/pkcs10\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        token.trim(),
        body.len()
    );
    let exchange = async {
        let tcp = tokio::net::TcpStream::connect((host.as_str(), port))
            .await
            .map_err(|e| unreachable(e.to_string()))?;
        if tls {
            let connector = native_tls::TlsConnector::new()
                .map_err(|e| unreachable(format!("TLS failed: {e}")))?;
            let stream = tokio_native_tls::TlsConnector::from(connector)
                .connect(&host, tcp)
                .await
                .map_err(|e| unreachable(format!("TLS failed: {e}")))?;
            exchange(stream, &request).await
        } else {
            exchange(tcp, &request).await
        }
    };
    let answer =
        tokio::time::timeout(LIMIT, exchange)
            .await
            .map_err(|_| SyncError::Timeout {
                seconds: LIMIT.as_secs(),
                what: format!("{method} {path}"),
            })??;
    let text = String::from_utf8_lossy(&answer).into_owned();
    let (head, body) = text
        .split_once("\r\n\r\n")
        .ok_or_else(|| unreachable("the server's answer is not HTTP".into()))?;
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| unreachable("the server's answer is not HTTP".into()))?;
    Ok((status, body.to_string()))
}

async fn exchange<S: AsyncRead + AsyncWrite + Unpin>(
    mut stream: S,
    request: &str,
) -> Result<Vec<u8>, SyncError> {
    let failed = |e: std::io::Error| SyncError::Server(e.to_string());
    stream.write_all(request.as_bytes()).await.map_err(failed)?;
    stream.flush().await.map_err(failed)?;
    let mut answer = vec![];
    (&mut stream)
        .take(MAX_ANSWER_BYTES as u64)
        .read_to_end(&mut answer)
        .await
        .map_err(failed)?;
    Ok(answer)
}
