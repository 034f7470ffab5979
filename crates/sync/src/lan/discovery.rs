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
const MAX_FIELD_CHARS: usize = 120;

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

fn cut(s: &str) -> String {
    s.chars().take(MAX_FIELD_CHARS).collect()
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
        let properties = [("v", "1"), ("host", &cut(host)), ("title", &cut(title))];
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
    let mut found: BTreeMap<String, Found> = BTreeMap::new();
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        let Ok(event) = events.recv_timeout(left) else {
            break;
        };
        match event {
            ServiceEvent::ServiceResolved(service) => {
                if found.len() >= MAX_FOUND && !found.contains_key(&service.fullname) {
                    continue;
                }
                let v4 = service.get_addresses_v4();
                let Some(ip) = v4
                    .iter()
                    .find(|ip| !ip.is_loopback())
                    .or_else(|| v4.iter().next())
                else {
                    continue;
                };
                let text = |key: &str| {
                    cut(service
                        .txt_properties
                        .get_property_val_str(key)
                        .unwrap_or_default())
                };
                found.insert(
                    service.fullname.clone(),
                    Found {
                        address: format!("{ip}:{}", service.port),
                        host: text("host"),
                        title: text("title"),
                    },
                );
            }
            ServiceEvent::ServiceRemoved(_, fullname) => {
                found.remove(&fullname);
            }
            _ => {}
        }
    }
    let _ = daemon.stop_browse(SERVICE);
    let _ = daemon.shutdown();
    let mut found: Vec<Found> = found.into_values().collect();
    found.sort_by(|a, b| (&a.host, &a.title, &a.address).cmp(&(&b.host, &b.title, &b.address)));
    found.dedup();
    Ok(found)
}
