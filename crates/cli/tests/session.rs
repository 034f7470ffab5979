//! `session host`, `session join` and `session list` as scripts run them: real processes, real
//! stores, real TCP on loopback (the address passed by hand, as where multicast is blocked),
//! and discovery by mDNS across a real network of two network namespaces.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::{Env, JORG, SAMPLE};
use scopepact_e2e::network::{self, TwoLaptopNetwork, ADDRESSES};

/// A `session host` process and the lines it printed on stdout.
struct Host {
    child: Child,
    stdin: ChildStdin,
    lines: mpsc::Receiver<String>,
    address: String,
    code: String,
}

/// `scopepact --data-dir …` in English, inside network namespace `netns` when there is one.
fn scopepact(env: &Env, netns: Option<&str>) -> Command {
    let mut command = network::command(netns, env!("CARGO_BIN_EXE_scopepact"));
    command
        .arg("--data-dir")
        .arg(env.data())
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C");
    command
}

impl Host {
    /// On loopback, not advertised.
    fn start(env: &Env, id: &str) -> Host {
        let mut command = scopepact(env, None);
        command.args([
            "session",
            "host",
            id,
            "--listen",
            "127.0.0.1:0",
            "--no-advertise",
        ]);
        Host::run(command)
    }

    fn run(mut command: Command) -> Host {
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in stdout.lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut host = Host {
            child,
            stdin,
            lines,
            address: String::new(),
            code: String::new(),
        };
        host.address = host.next_value("address: ");
        host.code = host.next_value("code: ");
        host
    }

    fn next_value(&mut self, prefix: &str) -> String {
        let line = self
            .lines
            .recv_timeout(Duration::from_secs(15))
            .unwrap_or_else(|_| panic!("the host never printed {prefix}"));
        line.strip_prefix(prefix)
            .unwrap_or_else(|| panic!("{line:?} is not {prefix}…"))
            .to_string()
    }

    /// SIGTERM, as a service manager or Ctrl-C would; the exit status.
    fn stop(mut self) -> std::process::ExitStatus {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        wait_for(&mut self.child, "the host")
    }
}

fn wait_for(child: &mut Child, what: &str) -> std::process::ExitStatus {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(Instant::now() < deadline, "{what} did not exit");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Waits for a child started with a piped stderr: how it exited and what it said.
fn exit_and_stderr(child: &mut Child, what: &str) -> (std::process::ExitStatus, String) {
    let status = wait_for(child, what);
    let mut said = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut said).unwrap();
    (status, said)
}

fn joiner(name: &str, email: &str) -> Env {
    let env = Env::new();
    env.ok(&[
        "profile",
        "add",
        "--name",
        name,
        "--email",
        email,
        "--role",
        "operational",
    ]);
    env
}

fn live_join(env: &Env, host: &Host) -> Child {
    scopepact(env, None)
        .args(["session", "join", &host.address, "--code", &host.code])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn a_host_and_three_joiners_editing_at_once_converge_and_keep_everything_at_the_end() {
    let host_env = Env::new().with_sample_team();
    let id = host_env.ok(&["import", SAMPLE]).trim().to_string();
    let host = Host::start(&host_env, &id);

    let joiners: Vec<(Env, &str)> = vec![
        (joiner("Olga One", "olga@example.com"), "C-01"),
        (joiner("Tomás Two", "tomas@example.com"), "C-04"),
        (joiner("Uma Three", "uma@example.com"), "C-06"),
    ];
    for (env, _) in &joiners {
        let out = env.ok(&[
            "session",
            "join",
            &host.address,
            "--code",
            &host.code,
            "--once",
        ]);
        assert_eq!(out.trim(), format!("document: {id}"));
    }
    let mut live: Vec<Child> = joiners
        .iter()
        .map(|(env, _)| live_join(env, &host))
        .collect();

    // Everyone edits at the same moment: each joiner validates a commitment, the host's
    // operations lead another.
    std::thread::scope(|s| {
        for (env, commitment) in &joiners {
            let id = id.as_str();
            s.spawn(move || env.ok(&["validate", id, commitment, "--verdict", "feasible"]));
        }
        s.spawn(|| {
            host_env.ok(&[
                "--as",
                JORG,
                "validate",
                &id,
                "C-07",
                "--verdict",
                "feasible",
            ])
        });
    });

    let export = |env: &Env| env.ok(&["export", &id]);
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let exports: Vec<String> = std::iter::once(export(&host_env))
            .chain(joiners.iter().map(|(env, _)| export(env)))
            .collect();
        let converged = exports.iter().all(|e| *e == exports[0])
            && ["Olga One", "Tomás Two", "Uma Three", "Jörg Müller"]
                .iter()
                .all(|who| exports[0].contains(who));
        if converged {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "not converged after 30 s:\n{}",
            exports
                .iter()
                .map(|e| format!("{} bytes", e.len()))
                .collect::<Vec<_>>()
                .join(", ")
        );
        std::thread::sleep(Duration::from_millis(300));
    }

    // The host ends the session: each joiner is told, exits 0, and keeps every edit.
    assert!(host.stop().success());
    for child in &mut live {
        let (status, said) = exit_and_stderr(child, "a joiner");
        assert!(status.success(), "{said}");
        assert!(said.contains("the host ended the session"), "{said}");
    }
    for (env, _) in &joiners {
        let status = env.ok(&["status", &id]);
        assert!(!status.contains("C-01: waiting"), "{status}");
        assert_eq!(export(env), export(&host_env));
    }
}

#[test]
fn a_wrong_code_fails_with_the_reason_and_a_removed_joiner_is_told() {
    let host_env = Env::new().with_sample_team();
    let id = host_env.ok(&["import", SAMPLE]).trim().to_string();
    let mut host = Host::start(&host_env, &id);
    let olga = joiner("Olga One", "olga@example.com");

    let typo = olga.fails(&[
        "session",
        "join",
        &host.address,
        "--code",
        "1234-5678",
        "--once",
    ]);
    assert!(
        typo.contains("a digit is wrong or two are swapped"),
        "{typo}"
    );
    let wrong = if host.code == "0000-0000" {
        "1111-1110"
    } else {
        "0000-0000"
    };
    let refused = olga.fails(&["session", "join", &host.address, "--code", wrong, "--once"]);
    assert!(refused.contains("not the session's code"), "{refused}");
    let nobody = olga.fails(&[
        "session",
        "join",
        "127.0.0.1:9",
        "--code",
        &host.code,
        "--once",
    ]);
    assert!(
        nobody.contains("no meeting session answers at 127.0.0.1:9"),
        "{nobody}"
    );

    let mut joined = live_join(&olga, &host);
    // The host sees them join, then removes them by number (joiner 1).
    std::thread::sleep(Duration::from_millis(500));
    writeln!(host.stdin, "remove 1").unwrap();
    let (status, said) = exit_and_stderr(&mut joined, "the removed joiner");
    assert!(!status.success());
    assert!(said.contains("removed this laptop"), "{said}");
    // The code changed with the removal: the host printed the new one.
    let new_code = host.next_value("code: ");
    assert_ne!(new_code, host.code);
    let again = olga.fails(&[
        "session",
        "join",
        &host.address,
        "--code",
        &host.code,
        "--once",
    ]);
    assert!(again.contains("not the session's code"), "{again}");
    olga.ok(&[
        "session",
        "join",
        &host.address,
        "--code",
        &new_code,
        "--once",
    ]);
    assert!(host.stop().success());
}

/// The sessions `session list` hears from inside `netns`: (address, host, title), listening
/// again until at least `count` are heard or 20 s have passed.
fn listed(env: &Env, netns: &str, count: usize) -> Vec<(String, String, String)> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let out = scopepact(env, Some(netns))
            .args(["session", "list", "--wait", "3"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let found: Vec<_> = String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|line| {
                let mut fields = line.splitn(3, '\t').map(str::to_string);
                let mut next = || fields.next().unwrap_or_default();
                (next(), next(), next())
            })
            .collect();
        if found.len() >= count || Instant::now() > deadline {
            return found;
        }
    }
}

/// `session join ADDRESS --code CODE --once` from inside `netns`: (succeeded, stdout, stderr).
fn join_once(env: &Env, netns: &str, address: &str, code: &str) -> (bool, String, String) {
    let out = scopepact(env, Some(netns))
        .args(["session", "join", address, "--code", code, "--once"])
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The host on one laptop, a joiner on the other: the joiner finds the session by mDNS and
/// joins it. Then the joiner hosts the same document too: both sessions are listed (the same
/// title, each host's name and address), and each opens only with its own code.
#[test]
fn sessions_are_found_across_a_network_and_two_hosts_of_one_document_are_told_apart() {
    let network = TwoLaptopNetwork::set_up();
    let [room_a, room_b] = &network.namespaces;
    let ana = Env::new().with_sample_team();
    let id = ana.ok(&["import", SAMPLE]).trim().to_string();
    let title = ana.ok(&["export", &id]);
    let title = serde_json::from_str::<serde_json::Value>(&title).unwrap()["title"]
        .as_str()
        .unwrap()
        .to_string();
    let mut host_a = scopepact(&ana, Some(room_a));
    host_a.args(["session", "host", &id]);
    let host_a = Host::run(host_a);
    assert!(
        host_a.address.starts_with(&format!("{}:", ADDRESSES[0])),
        "{}",
        host_a.address
    );

    let olga = joiner("Olga One", "olga@example.com");
    let found = listed(&olga, room_b, 1);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, host_a.address);
    assert_eq!(found[0].2, title);
    let ana_name = found[0].1.clone();
    assert!(!ana_name.is_empty());
    let (joined, said, complaint) = join_once(&olga, room_b, &found[0].0, &host_a.code);
    assert!(joined, "{complaint}");
    assert_eq!(said.trim(), format!("document: {id}"));

    // Olga hosts the same document from the other laptop.
    let mut host_b = scopepact(&olga, Some(room_b));
    host_b.args(["session", "host", &id]);
    let host_b = Host::run(host_b);
    assert!(
        host_b.address.starts_with(&format!("{}:", ADDRESSES[1])),
        "{}",
        host_b.address
    );
    let uma = joiner("Uma Three", "uma@example.com");
    let mut found = listed(&uma, room_b, 2);
    let mut expected = vec![
        (host_a.address.clone(), ana_name, title.clone()),
        (host_b.address.clone(), "Olga One".to_string(), title),
    ];
    expected.sort();
    found.sort();
    assert_eq!(found, expected);
    let (crossed, _, complaint) = join_once(&uma, room_b, &host_b.address, &host_a.code);
    assert!(!crossed);
    assert!(complaint.contains("not the session's code"), "{complaint}");
    let (joined, _, complaint) = join_once(&uma, room_b, &host_b.address, &host_b.code);
    assert!(joined, "{complaint}");
    assert!(host_a.stop().success());
    assert!(host_b.stop().success());
}
