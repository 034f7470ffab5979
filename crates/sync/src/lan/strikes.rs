//! Wrong codes counted per network address: after a second wrong code an address waits
//! before it may try again, twice as long after each further one. Someone who mistypes once
//! retries at once; a laptop sending code after code cannot force the host's code to change
//! every five tries (the session-wide count of [`super::host::WRONG_ATTEMPTS_PER_CODE`] still
//! applies across addresses).

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::{Duration, Instant};

/// Longest wait imposed on an address.
const MAX_WAIT: Duration = Duration::from_secs(10 * 60);
/// Addresses remembered; past this, the one heard from longest ago is forgotten.
const MAX_ADDRESSES: usize = 1024;
/// An address's count is forgotten this long after its last wrong code.
const FORGET_AFTER: Duration = Duration::from_secs(60 * 60);

#[derive(Debug, Clone, Copy)]
struct Strike {
    count: u32,
    last: Instant,
}

impl Strike {
    fn until(&self) -> Instant {
        self.last + wait_after(self.count)
    }
}

/// The wait after an address's `count`-th wrong code: none after the first, then 1 s, 2 s,
/// 4 s … up to [`MAX_WAIT`].
pub(crate) fn wait_after(count: u32) -> Duration {
    if count < 2 {
        return Duration::ZERO;
    }
    let exponent = (count - 2).min(16);
    Duration::from_secs(1u64 << exponent).min(MAX_WAIT)
}

#[derive(Debug, Default)]
pub(crate) struct Strikes {
    by_address: HashMap<IpAddr, Strike>,
}

impl Strikes {
    /// How long `address` must still wait before trying a code; `None` when it may now.
    pub(crate) fn wait_left(&self, address: IpAddr, now: Instant) -> Option<Duration> {
        let until = self.by_address.get(&address)?.until();
        (until > now).then(|| until - now)
    }

    /// A wrong code from `address`.
    pub(crate) fn strike(&mut self, address: IpAddr, now: Instant) {
        if !self.by_address.contains_key(&address) && self.by_address.len() >= MAX_ADDRESSES {
            self.by_address
                .retain(|_, s| now.saturating_duration_since(s.last) < FORGET_AFTER);
            if self.by_address.len() >= MAX_ADDRESSES {
                let oldest = self
                    .by_address
                    .iter()
                    .min_by_key(|(_, s)| s.last)
                    .map(|(a, _)| *a);
                if let Some(oldest) = oldest {
                    self.by_address.remove(&oldest);
                }
            }
        }
        let strike = self.by_address.entry(address).or_insert(Strike {
            count: 0,
            last: now,
        });
        if now.saturating_duration_since(strike.last) >= FORGET_AFTER {
            strike.count = 0;
        }
        strike.count = strike.count.saturating_add(1);
        strike.last = now;
    }

    /// The right code from `address`: its count starts over.
    pub(crate) fn forgive(&mut self, address: IpAddr) {
        self.by_address.remove(&address);
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.by_address.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    fn ip(n: u32) -> IpAddr {
        IpAddr::V4(Ipv4Addr::from(0x0a00_0000 + n))
    }

    #[test]
    fn the_first_wrong_code_costs_nothing_then_the_wait_doubles() {
        let mut strikes = Strikes::default();
        let start = Instant::now();
        strikes.strike(ip(1), start);
        assert_eq!(strikes.wait_left(ip(1), start), None);
        strikes.strike(ip(1), start);
        assert_eq!(
            strikes.wait_left(ip(1), start),
            Some(Duration::from_secs(1))
        );
        strikes.strike(ip(1), start);
        assert_eq!(
            strikes.wait_left(ip(1), start),
            Some(Duration::from_secs(2))
        );
        let later = start + Duration::from_secs(2);
        assert_eq!(strikes.wait_left(ip(1), later), None);
        assert_eq!(strikes.wait_left(ip(2), start), None, "another address");
        let waits: Vec<u64> = (1..=14).map(|n| wait_after(n).as_secs()).collect();
        assert_eq!(
            waits,
            [0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 600, 600, 600]
        );
        assert_eq!(wait_after(u32::MAX), MAX_WAIT);
    }

    #[test]
    fn the_right_code_and_an_hour_of_quiet_start_the_count_over() {
        let mut strikes = Strikes::default();
        let start = Instant::now();
        for _ in 0..4 {
            strikes.strike(ip(1), start);
        }
        strikes.forgive(ip(1));
        assert_eq!(strikes.wait_left(ip(1), start), None);
        for _ in 0..4 {
            strikes.strike(ip(1), start);
        }
        let an_hour_later = start + FORGET_AFTER;
        strikes.strike(ip(1), an_hour_later);
        assert_eq!(strikes.wait_left(ip(1), an_hour_later), None);
    }

    #[test]
    fn a_flood_of_addresses_is_bounded_and_the_latest_are_kept() {
        let mut strikes = Strikes::default();
        let start = Instant::now();
        for n in 0..(MAX_ADDRESSES as u32 * 3) {
            let at = start + Duration::from_millis(u64::from(n));
            strikes.strike(ip(n), at);
            strikes.strike(ip(n), at);
        }
        assert_eq!(strikes.len(), MAX_ADDRESSES);
        let last = MAX_ADDRESSES as u32 * 3 - 1;
        let at = start + Duration::from_millis(u64::from(last));
        assert!(strikes.wait_left(ip(last), at).is_some());
    }
}
