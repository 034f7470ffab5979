//! What a live session is connected through: the company server (a dialer with a device token),
//! a meeting session's host (a dialer with the join code), or, for the host itself, the
//! joiners it accepts. The session reacts to the same few events whichever it is.

use std::future::Future;
use std::sync::Arc;

use futures::StreamExt;
use samod::{ConnectionId, DialerEvent, DialerFailed, DialerHandle};
use tokio::sync::{mpsc, watch};

use crate::SyncError;

pub(crate) enum LinkEvent {
    /// Connected: catch up.
    Up,
    /// Not connected; retried with backoff.
    Down { reason: String },
    /// Never again: the session ends with this reason.
    Ended(SyncError),
}

pub(crate) trait Link: Send + Sync + 'static {
    /// The one connection whose shared heads mean "the other side holds all we have" (the
    /// server's, or the meeting host's); none for a host with its joiners.
    fn connection_id(&self) -> Option<ConnectionId>;
    fn is_connected(&self) -> bool;
    fn next_event(&mut self) -> impl Future<Output = LinkEvent> + Send + '_;
    fn close(&self);
}

type Explain<E> = Box<dyn Fn(Option<&DialerFailed<E>>) -> SyncError + Send + Sync>;
type Refusal = Box<dyn Fn() -> Option<String> + Send + Sync>;

/// A samod dialer: reconnects with backoff; `explain` says why it gave up (`None`: it ended
/// without failing), `last_refusal` why the last attempt failed, when known.
pub(crate) struct DialerLink<E: std::error::Error + Send + Sync + 'static> {
    dialer: DialerHandle<E>,
    events: mpsc::UnboundedReceiver<DialerEvent>,
    offline: bool,
    explain: Explain<E>,
    last_refusal: Refusal,
}

impl<E: std::error::Error + Send + Sync + 'static> DialerLink<E> {
    pub(crate) fn new(
        dialer: DialerHandle<E>,
        explain: impl Fn(Option<&DialerFailed<E>>) -> SyncError + Send + Sync + 'static,
        last_refusal: impl Fn() -> Option<String> + Send + Sync + 'static,
    ) -> DialerLink<E> {
        // samod's event stream borrows the handle: a task of its own forwards it.
        let (forward, events) = mpsc::unbounded_channel();
        let source = dialer.clone();
        tokio::spawn(async move {
            let mut source_events = source.events();
            while let Some(event) = source_events.next().await {
                if forward.send(event).is_err() {
                    break;
                }
            }
        });
        DialerLink {
            events,
            dialer,
            offline: false,
            explain: Box::new(explain),
            last_refusal: Box::new(last_refusal),
        }
    }
}

impl<E: std::error::Error + Send + Sync + 'static> Link for DialerLink<E> {
    fn connection_id(&self) -> Option<ConnectionId> {
        self.dialer.connection_id()
    }

    fn is_connected(&self) -> bool {
        self.dialer.is_connected()
    }

    async fn next_event(&mut self) -> LinkEvent {
        loop {
            match self.events.recv().await {
                Some(DialerEvent::Connected { .. }) => {
                    self.offline = false;
                    return LinkEvent::Up;
                }
                Some(DialerEvent::Disconnected { reason }) => {
                    self.offline = true;
                    return LinkEvent::Down { reason };
                }
                // Each attempt after a failed one: offline until one succeeds (not
                // "connecting" again and again while the other side is away).
                Some(DialerEvent::Reconnecting { .. }) => {
                    if !self.offline {
                        self.offline = true;
                        let reason = (self.last_refusal)()
                            .unwrap_or_else(|| "the other side does not answer".into());
                        return LinkEvent::Down { reason };
                    }
                }
                Some(DialerEvent::MaxRetriesReached | DialerEvent::PermanentFailure) | None => {
                    let failed = self.dialer.established().await.err();
                    return LinkEvent::Ended((self.explain)(failed.as_ref()));
                }
            }
        }
    }

    fn close(&self) {
        self.dialer.close();
    }
}

/// A meeting session's host: its document is served to whoever joins, so it is "connected"
/// from the start until the session ends (`ended` turns true).
pub(crate) struct HostLink {
    started: bool,
    ended: watch::Receiver<bool>,
    on_close: Arc<dyn Fn() + Send + Sync>,
}

impl HostLink {
    pub(crate) fn new(
        ended: watch::Receiver<bool>,
        on_close: impl Fn() + Send + Sync + 'static,
    ) -> HostLink {
        HostLink {
            started: false,
            ended,
            on_close: Arc::new(on_close),
        }
    }
}

impl Link for HostLink {
    fn connection_id(&self) -> Option<ConnectionId> {
        None
    }

    fn is_connected(&self) -> bool {
        !*self.ended.borrow()
    }

    async fn next_event(&mut self) -> LinkEvent {
        if !self.started {
            self.started = true;
            return LinkEvent::Up;
        }
        while !*self.ended.borrow_and_update() {
            if self.ended.changed().await.is_err() {
                break;
            }
        }
        LinkEvent::Ended(SyncError::SessionEnded)
    }

    fn close(&self) {
        (self.on_close)();
    }
}
