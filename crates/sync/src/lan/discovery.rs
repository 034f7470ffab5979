//! Finding meeting sessions on the local network: the host advertises `_scopepact._tcp` by
//! mDNS / DNS-SD with its name and the document's title; a joiner browses for a few seconds.
//! What a browse hears is from anyone on the network: bounded in count and length, and only
//! ever shown (joining still takes the code).

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::time::{Duration, Instant};

use mdns_sd::{ServiceDaemon, ServiceEvent, ServiceInfo};

use crate::SyncError;

pub const SERVICE: &str = "_scopepact._tcp.local.";
/// Sessions kept from one browse; more are not shown.
const MAX_FOUND: usize = 64;

/// A session heard on the network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// `HOST:PORT`, as `session join` takes it.
    pub address: String,
    pub host: String,
    pub title: String,
}

/// The host's advertisement; withdrawn when dropped.
pub struct Advertisement {
    daemon: ServiceDaemon,
    fullname: String,
}

fn mdns_error(e: mdns_sd::Error) -> SyncError {
    SyncError::Server(format!("local network discovery (mDNS): {e}"))
}

impl Advertisement {
    /// Advertises a session listening on `port` (on `ip`, or on every interface's address
    /// when none). `instance` makes the name unique among sessions of the same title.
    pub fn start(
        port: u16,
        ip: Option<IpAddr>,
        host: &str,
        title: &str,
        instance: &str,
    ) -> Result<Advertisement, SyncError> {
        let daemon = ServiceDaemon::new().map_err(mdns_error)?;
        // An instance name is at most 63 bytes (RFC 6763 §4.1.1).
        let mut name: String = format!("{host} — {title}");
        while name.len() > 50 {
            name.pop();
        }
        let name = format!("{name} {}", &instance[..instance.len().min(8)]);
        let hostname = format!("scopepact-{}.local.", &instance[..instance.len().min(8)]);
        let (host, title) = (super::shown(host), super::shown(title));
        let properties = [("v", "1"), ("host", &host), ("title", &title)];
        let addresses = ip.map(|ip| ip.to_string()).unwrap_or_default();
        let mut info = ServiceInfo::new(
            SERVICE,
            &name,
            &hostname,
            addresses.as_str(),
            port,
            &properties[..],
        )
        .map_err(mdns_error)?;
        if ip.is_none() {
            info = info.enable_addr_auto();
        }
        let fullname = info.get_fullname().to_string();
        daemon.register(info).map_err(mdns_error)?;
        Ok(Advertisement { daemon, fullname })
    }
}

impl Drop for Advertisement {
    fn drop(&mut self) {
        // Says goodbye on the network, so browsers drop it at once rather than at the TTL.
        if let Ok(done) = self.daemon.unregister(&self.fullname) {
            let _ = done.recv_timeout(Duration::from_secs(1));
        }
        let _ = self.daemon.shutdown();
    }
}

/// The sessions heard within `wait` (blocking: run it off the async runtime).
pub fn browse(wait: Duration) -> Result<Vec<Found>, SyncError> {
    let daemon = ServiceDaemon::new().map_err(mdns_error)?;
    let events = daemon.browse(SERVICE).map_err(mdns_error)?;
    let deadline = Instant::now() + wait;
    let mut heard = Heard::default();
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        let Ok(event) = events.recv_timeout(left) else {
            break;
        };
        heard.hear(event);
    }
    let _ = daemon.stop_browse(SERVICE);
    let _ = daemon.shutdown();
    Ok(heard.sessions())
}

/// What a browse heard so far, by the service's full name.
#[derive(Default)]
struct Heard {
    found: BTreeMap<String, Found>,
}

impl Heard {
    fn hear(&mut self, event: ServiceEvent) {
        match event {
            ServiceEvent::ServiceResolved(service) => {
                if self.found.len() >= MAX_FOUND && !self.found.contains_key(&service.fullname) {
                    return;
                }
                let mut v4: Vec<_> = service.get_addresses_v4().into_iter().collect();
                v4.sort_by_key(|ip| (ip.is_loopback(), *ip));
                let Some(ip) = v4.first() else {
                    return;
                };
                let text = |key: &str| {
                    super::shown(
                        service
                            .txt_properties
                            .get_property_val_str(key)
                            .unwrap_or_default(),
                    )
                };
                self.found.insert(
                    service.fullname.clone(),
                    Found {
                        address: format!("{ip}:{}", service.port),
                        host: text("host"),
                        title: text("title"),
                    },
                );
            }
            ServiceEvent::ServiceRemoved(_, fullname) => {
                self.found.remove(&fullname);
            }
            _ => {}
        }
    }

    /// The sessions, sorted by host, title and address; one line each.
    fn sessions(self) -> Vec<Found> {
        let mut found: Vec<Found> = self.found.into_values().collect();
        found.sort_by(|a, b| (&a.host, &a.title, &a.address).cmp(&(&b.host, &b.title, &b.address)));
        found.dedup();
        found
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use mdns_sd::TxtProperties;

    fn resolved(name: &str, ip: &str, txt: &[u8]) -> ServiceEvent {
        let mut service = ServiceInfo::new(
            SERVICE,
            name,
            "x.local.",
            ip,
            4000,
            None::<std::collections::HashMap<String, String>>,
        )
        .unwrap()
        .as_resolved_service();
        service.txt_properties = TxtProperties::from(txt);
        ServiceEvent::ServiceResolved(Box::new(service))
    }

    /// A TXT record: each string is its length then its bytes (RFC 6763 §6).
    fn txt(entries: &[&[u8]]) -> Vec<u8> {
        entries
            .iter()
            .flat_map(|e| std::iter::once(e.len() as u8).chain(e.iter().copied()))
            .collect()
    }

    #[test]
    fn hostile_answers_are_bounded_cleaned_and_never_fatal() {
        let mut heard = Heard::default();
        // Far more sessions than are shown.
        for n in 0..200 {
            heard.hear(resolved(
                &format!("s{n}"),
                "10.0.0.7",
                &txt(&[b"host=H", b"title=T"]),
            ));
        }
        assert_eq!(heard.found.len(), MAX_FOUND);
        let mut heard = Heard::default();
        // The longest TXT string, a terminal escape and a tab (which would split the
        // CLI's line), invalid UTF-8, no TXT at all, and no IPv4 address.
        let long = [b"title=".as_slice(), &[b'x'; 249]].concat();
        heard.hear(resolved(
            "long",
            "10.0.0.1",
            &txt(&[b"host=\x1b[2JMal\tlory\n", &long]),
        ));
        heard.hear(resolved(
            "bad-utf8",
            "10.0.0.2",
            &txt(&[b"host=\xff\xfe", b"title"]),
        ));
        heard.hear(resolved("bare", "10.0.0.3", &[]));
        heard.hear(resolved("v6", "fe80::1", &txt(&[b"host=H"])));
        heard.hear(ServiceEvent::ServiceRemoved(
            SERVICE.into(),
            "never-heard".into(),
        ));
        let sessions = heard.sessions();
        assert_eq!(sessions.len(), 3, "{sessions:?}");
        let long = sessions
            .iter()
            .find(|s| s.address == "10.0.0.1:4000")
            .unwrap();
        assert_eq!(long.host, "[2JMallory");
        assert_eq!(long.title.chars().count(), 120);
        for other in ["10.0.0.2:4000", "10.0.0.3:4000"] {
            let found = sessions.iter().find(|s| s.address == other).unwrap();
            assert_eq!((found.host.as_str(), found.title.as_str()), ("", ""));
        }
    }

    #[test]
    fn a_session_said_gone_is_dropped_and_loopback_is_the_last_choice() {
        let mut heard = Heard::default();
        let mut both = ServiceInfo::new(
            SERVICE,
            "both",
            "x.local.",
            "127.0.0.1,10.0.0.9",
            4000,
            None::<std::collections::HashMap<String, String>>,
        )
        .unwrap()
        .as_resolved_service();
        both.txt_properties = TxtProperties::from(txt(&[b"host=H"]).as_slice());
        let fullname = both.fullname.clone();
        heard.hear(ServiceEvent::ServiceResolved(Box::new(both)));
        assert_eq!(heard.found[&fullname].address, "10.0.0.9:4000");
        heard.hear(ServiceEvent::ServiceRemoved(SERVICE.into(), fullname));
        assert!(heard.sessions().is_empty());
    }
}
