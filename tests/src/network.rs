//! Laptops on a network of their own, for the tests of meeting sessions: two Linux network
//! namespaces (as `ip netns` makes them) joined by a veth pair with multicast on and no route
//! anywhere else, so mDNS is heard only across that pair. The test itself stays outside; it
//! starts programs inside with [`command`] and reaches their loopback ports with
//! [`reachable_port`] and [`connect`]. Each takes `None` for this namespace, so one helper
//! serves tests inside and outside a namespace.
//! Making namespaces takes root (CAP_NET_ADMIN), as CI and the README's test command have.

use std::fs::File;
use std::io;
use std::net::{Shutdown, TcpListener, TcpStream};
use std::os::fd::AsFd;
use std::path::Path;
use std::process::Command;

use rustix::thread::{move_into_link_name_space, LinkNameSpaceType};

/// The two laptops' addresses on their network, in the order of [`TwoLaptopNetwork::namespaces`].
pub const ADDRESSES: [&str; 2] = ["10.77.0.1", "10.77.0.2"];

/// Two network namespaces joined by a veth pair; removed when dropped.
pub struct TwoLaptopNetwork {
    pub namespaces: [String; 2],
}

impl TwoLaptopNetwork {
    /// Makes the network; panics with the reason (most often: not root) when it cannot.
    pub fn set_up() -> TwoLaptopNetwork {
        let tag = format!(
            "{}{}",
            std::process::id() % 100_000,
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|t| t.subsec_micros() % 100)
                .unwrap_or_default()
        );
        let network = TwoLaptopNetwork {
            namespaces: [format!("spa{tag}"), format!("spb{tag}")],
        };
        let [a, b] = &network.namespaces;
        let (veth_a, veth_b) = (format!("spva{tag}"), format!("spvb{tag}"));
        let ip = |args: &[&str]| {
            let out = Command::new("ip").args(args).output();
            let failed = match &out {
                Ok(out) if out.status.success() => return,
                Ok(out) => String::from_utf8_lossy(&out.stderr).into_owned(),
                Err(e) => e.to_string(),
            };
            panic!(
                "ip {}: {failed}\nThis test makes two network namespaces, which takes root \
                 (CAP_NET_ADMIN); CI and the README's test command run as root.",
                args.join(" ")
            );
        };
        ip(&["netns", "add", a]);
        ip(&["netns", "add", b]);
        ip(&[
            "link", "add", &veth_a, "type", "veth", "peer", "name", &veth_b,
        ]);
        for ((netns, veth), address) in [(a, &veth_a), (b, &veth_b)].into_iter().zip(ADDRESSES) {
            ip(&["link", "set", veth, "netns", netns]);
            ip(&[
                "-n",
                netns,
                "addr",
                "add",
                &format!("{address}/24"),
                "dev",
                veth,
            ]);
            ip(&["-n", netns, "link", "set", veth, "multicast", "on", "up"]);
            ip(&["-n", netns, "link", "set", "lo", "up"]);
        }
        network
    }
}

impl Drop for TwoLaptopNetwork {
    fn drop(&mut self) {
        // Deleting a namespace deletes its end of the veth pair, and so the pair.
        for netns in &self.namespaces {
            let _ = Command::new("ip").args(["netns", "del", netns]).status();
        }
    }
}

/// `program` to run inside network namespace `netns` (`ip netns exec`, which then becomes
/// `program`: the same process, so process groups and signals work as outside), or here.
pub fn command(netns: Option<&str>, program: impl AsRef<Path>) -> Command {
    let Some(netns) = netns else {
        return Command::new(program.as_ref());
    };
    let mut command = Command::new("ip");
    command.args(["netns", "exec", netns]).arg(program.as_ref());
    command
}

/// Moves the calling thread (only it) into network namespace `netns`: sockets it makes from
/// then on are inside; sockets made before stay where they were made.
fn enter(netns: &str) -> io::Result<()> {
    let namespace = File::open(Path::new("/run/netns").join(netns))?;
    move_into_link_name_space(namespace.as_fd(), Some(LinkNameSpaceType::Network))
        .map_err(io::Error::from)
}

/// A connection to `port` on the loopback of network namespace `netns`, or of this one.
pub fn connect(netns: Option<&str>, port: u16) -> io::Result<TcpStream> {
    let Some(netns) = netns else {
        return TcpStream::connect(("127.0.0.1", port));
    };
    let netns = netns.to_string();
    std::thread::spawn(move || {
        enter(&netns)?;
        TcpStream::connect(("127.0.0.1", port))
    })
    .join()
    .map_err(|_| io::Error::other("the thread entering the namespace panicked"))?
}

/// A port of this namespace's 127.0.0.1 that reaches `port` on the loopback of network
/// namespace `netns`: `port` itself without one, else a relay of every connection to it, for
/// as long as the test runs (tauri-driver listens on 127.0.0.1 only).
pub fn reachable_port(netns: Option<&str>, port: u16) -> io::Result<u16> {
    let Some(netns) = netns else {
        return Ok(port);
    };
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let local = listener.local_addr()?.port();
    let netns = netns.to_string();
    let (entered, told) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        // The listener was made outside and stays there; what this thread connects to from
        // now on is inside.
        let moved = enter(&netns);
        let ok = moved.is_ok();
        let _ = entered.send(moved);
        if !ok {
            return;
        }
        for outside in listener.incoming().flatten() {
            match TcpStream::connect(("127.0.0.1", port)) {
                Ok(inside) => pipe(outside, inside),
                Err(_) => drop(outside),
            }
        }
    });
    told.recv()
        .map_err(|_| io::Error::other("the relay thread ended"))??;
    Ok(local)
}

/// Copies both ways between two connections until each side has closed.
fn pipe(a: TcpStream, b: TcpStream) {
    for (from, to) in [(a.try_clone(), b.try_clone()), (Ok(b), Ok(a))] {
        let (Ok(mut from), Ok(mut to)) = (from, to) else {
            continue;
        };
        std::thread::spawn(move || {
            let _ = io::copy(&mut from, &mut to);
            let _ = to.shutdown(Shutdown::Write);
        });
    }
}
