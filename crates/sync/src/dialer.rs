//! A WebSocket dialer that presents the device token in the `Authorization` header, so the
//! token never appears in a URL (samod logs dial URLs), and that stops at once on `401`
//! instead of retrying a token the server refuses.

use std::future::ready;

use futures::future::BoxFuture;
use futures::{SinkExt, StreamExt};
use samod::{DialError, Transport};
use tokio_tungstenite::tungstenite::{self, client::IntoClientRequest, Message};
use url::Url;

#[derive(Debug, thiserror::Error)]
pub enum DialRefused {
    #[error("the server refused this device's token (401)")]
    Unauthorized,
    #[error("{0}")]
    BadRequest(String),
    /// A certificate that is not trusted or does not match: retrying will not change it.
    #[error("TLS failed: {0}")]
    Tls(String),
}

pub struct TokenDialer {
    /// Without the token: this is what logs show.
    url: Url,
    token: String,
    /// Why the last attempt failed, when the server said (a full server answers 503): what
    /// the person is told once the retries run out.
    last_refusal: std::sync::Arc<std::sync::Mutex<Option<String>>>,
}

impl TokenDialer {
    pub fn new(url: Url, token: &str) -> TokenDialer {
        TokenDialer {
            url,
            token: token.trim().to_string(),
            last_refusal: Default::default(),
        }
    }

    /// The server's answer to the last failed attempt, if it gave one.
    pub fn last_refusal(&self) -> Option<String> {
        self.last_refusal.lock().ok().and_then(|r| r.clone())
    }
}

impl samod::Dialer for TokenDialer {
    type Error = DialRefused;

    fn url(&self) -> Url {
        self.url.clone()
    }

    fn connect(&self) -> BoxFuture<'static, Result<Transport, DialError<DialRefused>>> {
        let request = self
            .url
            .as_str()
            .into_client_request()
            .map_err(|e| DialRefused::BadRequest(e.to_string()))
            .and_then(|mut request| {
                let value = format!("Bearer {}", self.token).parse().map_err(|_| {
                    DialRefused::BadRequest("the token has invalid characters".into())
                })?;
                request.headers_mut().insert("Authorization", value);
                Ok(request)
            });
        let last_refusal = std::sync::Arc::clone(&self.last_refusal);
        Box::pin(async move {
            let request = request.map_err(DialError::PermanentFailure)?;
            let socket = match tokio_tungstenite::connect_async(request).await {
                Ok((socket, _)) => socket,
                Err(tungstenite::Error::Http(response)) if response.status() == 401 => {
                    return Err(DialError::PermanentFailure(DialRefused::Unauthorized));
                }
                Err(tungstenite::Error::Tls(e)) => {
                    return Err(DialError::PermanentFailure(DialRefused::Tls(e.to_string())));
                }
                Err(tungstenite::Error::Http(response)) => {
                    // A full server (503) may have room in a moment: retried, but remembered.
                    let status = response.status();
                    let said = if status == 503 {
                        "server full (503): it holds as many connections as it allows; try again later".to_string()
                    } else {
                        format!("the server answered {status}")
                    };
                    if let Ok(mut last) = last_refusal.lock() {
                        *last = Some(said);
                    }
                    return Err(DialError::transient(tungstenite::Error::Http(response)));
                }
                Err(other) => return Err(DialError::transient(other)),
            };
            let (sink, stream) = socket.split();
            // automerge-repo speaks binary frames; the rest is transport chatter.
            let stream = stream
                .filter_map(|message| {
                    ready(match message {
                        Ok(Message::Binary(bytes)) => Some(Ok(bytes.to_vec())),
                        Ok(_) => None,
                        Err(e) => Some(Err(e)),
                    })
                })
                .boxed();
            let sink = Box::pin(sink.with(|bytes: Vec<u8>| {
                ready(Ok::<_, tungstenite::Error>(Message::Binary(bytes.into())))
            }));
            Ok(Transport::new(stream, sink))
        })
    }
}
