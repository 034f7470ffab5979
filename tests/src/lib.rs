//! Harness for driving the real ScopePact window: starts `tauri-driver` (which starts
//! `WebKitWebDriver`, which starts the app) in its own process group, opens a WebDriver session
//! with fantoccini, and tears everything down without orphans, even when a test fails.

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;

pub mod network;

pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// Repository root, from this crate's manifest directory.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// The debug app binary built by `cargo build` in this workspace, or the one
/// `SCOPEPACT_APP_BINARY` names (the startup bench measures the installed package).
pub fn app_binary() -> PathBuf {
    if let Some(binary) = std::env::var_os("SCOPEPACT_APP_BINARY") {
        return PathBuf::from(binary);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target"));
    target.join("debug").join("scopepact-app")
}

/// Where what the app (and its drivers) print goes: `test-output/NAME.log`, kept beside the
/// screenshots of a failure; nowhere when that folder cannot be written.
fn app_log(name: &str) -> Stdio {
    let dir = repo_root().join("test-output");
    let _ = std::fs::create_dir_all(&dir);
    std::fs::File::create(dir.join(format!("{name}.log")))
        .map_or_else(|_| Stdio::null(), Stdio::from)
}

/// A port of 127.0.0.1 nothing listens on right now.
pub fn free_port() -> Result<u16, Error> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn tauri_driver() -> PathBuf {
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default();
    let installed = home.join(".cargo/bin/tauri-driver");
    if installed.exists() {
        installed
    } else {
        PathBuf::from("tauri-driver")
    }
}

/// The home folder an app on `data_dir` runs with: inside the data directory, so a relaunch
/// on the same data finds the same one, no two data directories share one, and it goes when
/// the test's folder goes.
pub fn isolated_home(data_dir: &Path) -> Result<PathBuf, Error> {
    let home = data_dir.join(".test-home");
    for sub in [".local/share", ".config", ".cache", ".local/state"] {
        std::fs::create_dir_all(home.join(sub))?;
    }
    Ok(home)
}

/// Script that repaints one corner pixel every 30 ms for 3 s, then removes it (see
/// [`App::screenshot`]).
const REPAINT_FOR_A_SCREENSHOT: &str = "
    const pixel = document.createElement('div');
    pixel.style.cssText = 'position:fixed;right:0;bottom:0;width:1px;height:1px;pointer-events:none';
    document.body.appendChild(pixel);
    let frames = 0;
    const timer = setInterval(() => {
        pixel.style.background = frames++ % 2 ? '#fff' : '#fefefe';
        if (frames > 100) { clearInterval(timer); pixel.remove(); }
    }, 30);
";

/// One running app window with a WebDriver session on it.
pub struct App {
    pub client: Client,
    driver: Child,
    name: String,
}

impl App {
    /// Starts the app on `data_dir`. `name` labels screenshots.
    pub async fn launch(data_dir: &Path, name: &str) -> Result<App, Error> {
        App::launch_in(data_dir, name, None).await
    }

    /// Starts the app on `data_dir`, inside network namespace `netns` when there is one (a
    /// laptop on a network of its own, see [`network`]); the test drives it from outside.
    pub async fn launch_in(data_dir: &Path, name: &str, netns: Option<&str>) -> Result<App, Error> {
        let binary = app_binary();
        if !binary.exists() {
            return Err(format!(
                "{} is missing: run `cargo build -p scopepact-app` first",
                binary.display()
            )
            .into());
        }
        let (port, native_port) = (free_port()?, free_port()?);
        let home = isolated_home(data_dir)?;
        let mut driver = network::command(netns, tauri_driver())
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(app_log(name))
            // Exported PDFs go beside the test's data, not into the Documents folder.
            .env("SCOPEPACT_EXPORT_DIR", data_dir.join("exports"))
            // Nothing of the person running the tests reaches the app: its own home and XDG
            // folders (WebKit's storage lives there), one per data directory, and a neutral
            // locale; the app's language comes from its data directory only.
            .env("HOME", &home)
            .env("XDG_DATA_HOME", home.join(".local/share"))
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("XDG_CACHE_HOME", home.join(".cache"))
            .env("XDG_STATE_HOME", home.join(".local/state"))
            .env("LANG", "C.UTF-8")
            .env_remove("LANGUAGE")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env_remove("SCOPEPACT_DATA_DIR")
            // Its own group: ending the group also ends WebKitWebDriver and the app, so no
            // orphan keeps the test's pipes open.
            .process_group(0)
            .spawn()
            .map_err(|e| format!("cannot start tauri-driver ({e}): run scripts/setup.sh"))?;
        // tauri-driver listens at once but starts WebKitWebDriver behind it; a session asked
        // for before that one listens is refused. Wait for both ports.
        let deadline = Instant::now() + Duration::from_secs(20);
        for listening in [port, native_port] {
            while network::connect(netns, listening).is_err() {
                if Instant::now() > deadline {
                    kill_group(&mut driver);
                    return Err(
                        format!("WebDriver did not listen on {listening} within 20 s").into(),
                    );
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
        let url = format!("http://127.0.0.1:{}", network::reachable_port(netns, port)?);
        let mut caps = serde_json::Map::new();
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({
                "application": binary,
                "args": ["--data-dir", data_dir],
            }),
        );
        let mut attempt = 0;
        let client = loop {
            attempt += 1;
            match ClientBuilder::new(HttpConnector::new())
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(client) => break client,
                // A slow machine may still be starting WebKitWebDriver's backend: retry briefly.
                Err(_) if attempt < 5 => tokio::time::sleep(Duration::from_millis(500)).await,
                Err(e) => {
                    kill_group(&mut driver);
                    return Err(
                        format!("WebDriver session refused after {attempt} attempts: {e}").into(),
                    );
                }
            }
        };
        let app = App {
            client,
            driver,
            name: name.to_string(),
        };
        app.wait_for("[data-testid=home]").await?;
        Ok(app)
    }

    /// Waits up to 15 s for an element matching a CSS selector.
    pub async fn wait_for(&self, css: &str) -> Result<Element, Error> {
        let found = self
            .client
            .wait()
            .at_most(Duration::from_secs(15))
            .for_element(Locator::Css(css))
            .await;
        match found {
            Ok(element) => Ok(element),
            Err(e) => {
                self.screenshot("missing-element").await;
                Err(format!("no element matches {css}: {e}").into())
            }
        }
    }

    /// Waits until `check` holds for the text of `css`, returning that text.
    pub async fn wait_for_text(
        &self,
        css: &str,
        check: impl Fn(&str) -> bool,
    ) -> Result<String, Error> {
        let deadline = Instant::now() + Duration::from_secs(15);
        let mut last = String::new();
        while Instant::now() < deadline {
            if let Ok(element) = self.client.find(Locator::Css(css)).await {
                last = element.text().await.unwrap_or_default();
                if check(&last) {
                    return Ok(last);
                }
            }
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
        self.screenshot("unexpected-text").await;
        Err(format!("text of {css} never matched; last seen: {last:?}").into())
    }

    /// Waits until `check` holds for an attribute or property of `css` (an input's `value`).
    pub async fn wait_for_prop(
        &self,
        css: &str,
        prop: &str,
        check: impl Fn(&str) -> bool,
    ) -> Result<String, Error> {
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut last = String::new();
        while Instant::now() < deadline {
            if let Ok(element) = self.client.find(Locator::Css(css)).await {
                last = element.prop(prop).await.ok().flatten().unwrap_or_default();
                if check(&last) {
                    return Ok(last);
                }
            }
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
        self.screenshot("unexpected-value").await;
        Err(format!("{prop} of {css} never matched; last seen: {last:?}").into())
    }

    /// Types into an input and commits it the way a person does: Tab out of the field.
    pub async fn fill(&self, css: &str, text: &str) -> Result<(), Error> {
        let input = self.wait_for(css).await?;
        input.clear().await?;
        input.send_keys(&format!("{text}\u{E004}")).await?;
        Ok(())
    }

    /// Waits for an element and clicks it.
    pub async fn click(&self, css: &str) -> Result<(), Error> {
        self.wait_for(css).await?.click().await?;
        Ok(())
    }

    /// Picks the option with this visible text in a `<select>`.
    pub async fn choose(&self, css: &str, label: &str) -> Result<(), Error> {
        let select = self.wait_for(css).await?;
        select.select_by_label(label).await?;
        Ok(())
    }

    /// On first run the app asks who you are: answers with this profile.
    pub async fn create_profile(&self, name: &str, email: &str, role: &str) -> Result<(), Error> {
        self.wait_for("[data-testid=profile-form]").await?;
        self.fill("[data-testid=profile-name]", name).await?;
        self.fill("[data-testid=profile-email]", email).await?;
        self.choose("[data-testid=profile-role]", role).await?;
        self.wait_for("[data-testid=profile-create]")
            .await?
            .click()
            .await?;
        self.wait_for_text("[data-testid=profile-switch]", |t| t.contains(name))
            .await?;
        Ok(())
    }

    /// Fills what a document needs to leave draft: customer, value, currency and both leads.
    pub async fn fill_required_header(
        &self,
        customer: &str,
        value: &str,
        commercial_lead: &str,
        operational_lead: &str,
    ) -> Result<(), Error> {
        self.fill("[data-testid=customer-name]", customer).await?;
        self.fill("[data-testid=deal-value]", value).await?;
        self.fill("[data-testid=currency]", "EUR").await?;
        self.fill("[data-testid=commercial_lead-name]", commercial_lead)
            .await?;
        self.fill("[data-testid=operational_lead-name]", operational_lead)
            .await
    }

    /// Points the app at a sync server through the indicator's settings, and waits until it
    /// is in sync with it.
    pub async fn connect_sync(&self, url: &str, token: &str) -> Result<(), Error> {
        self.wait_for("[data-testid=sync-status]")
            .await?
            .click()
            .await?;
        self.fill("[data-testid=sync-server]", url).await?;
        self.fill("[data-testid=sync-token]", token).await?;
        self.wait_for("[data-testid=sync-save]")
            .await?
            .click()
            .await?;
        self.wait_sync_state("synced").await
    }

    /// Waits (30 s at most) until the sync indicator is in `state` (`synced`, `offline`, …).
    pub async fn wait_sync_state(&self, state: &str) -> Result<(), Error> {
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut last = None;
        while Instant::now() < deadline {
            let element = self.wait_for("[data-testid=sync-status]").await?;
            last = element.attr("data-state").await?;
            if last.as_deref() == Some(state) {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        Err(format!("sync state never became {state}; last {last:?}").into())
    }

    /// Saves a screenshot in `test-output/` beside the workspace: its path, or `None` when the
    /// window gave none within 15 s.
    pub async fn screenshot(&self, what: &str) -> Option<PathBuf> {
        let dir = repo_root().join("test-output");
        let _ = std::fs::create_dir_all(&dir);
        // WebKitGTK 2.50 without its DMA-BUF renderer (the app's default) answers a screenshot
        // with the next frame it paints, and a window where nothing changes paints none: the
        // request never returned, and every later one queued behind it. One pixel in a corner
        // repaints for a few seconds, so a frame comes.
        let _ = tokio::time::timeout(
            Duration::from_secs(5),
            self.client.execute(REPAINT_FOR_A_SCREENSHOT, vec![]),
        )
        .await;
        // Bounded all the same: a WebDriver that no longer answers must not hang the test.
        let shot = tokio::time::timeout(Duration::from_secs(10), self.client.screenshot()).await;
        let Ok(Ok(png)) = shot else {
            eprintln!("no screenshot of {} ({what})", self.name);
            return None;
        };
        let path = dir.join(format!("{}-{what}.png", self.name));
        std::fs::write(&path, png).ok()?;
        eprintln!("screenshot saved: {}", path.display());
        Some(path)
    }

    /// The process id of tauri-driver, the root of the app's process tree.
    pub fn driver_pid(&self) -> u32 {
        self.driver.id()
    }

    /// Ends the session (the app quits) and the driver's process group.
    pub async fn quit(mut self) {
        let client = self.client.clone();
        let _ = tokio::time::timeout(Duration::from_secs(10), client.close()).await;
        kill_group(&mut self.driver);
    }
}

impl Drop for App {
    fn drop(&mut self) {
        kill_group(&mut self.driver);
    }
}

/// SIGTERM to the whole process group, then reap the leader.
fn kill_group(child: &mut Child) {
    if let Ok(Some(_)) = child.try_wait() {
        return;
    }
    let _ = Command::new("kill")
        .args(["-TERM", "--", &format!("-{}", child.id())])
        .status();
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{}", child.id())])
        .status();
    let _ = child.wait();
}

/// Runs the workspace's `scopepact` CLI (debug build) and returns its stdout; panics with its
/// stderr when it fails. Tests use it to prepare data the way a script or a second laptop would.
pub fn scopepact(args: &[&str]) -> String {
    let out = Command::new(repo_root().join("target/debug/scopepact"))
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run scopepact ({e}): run `cargo build --workspace` first")
        });
    assert!(
        out.status.success(),
        "scopepact {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A real `scopepact serve` process on 127.0.0.1, killed when dropped.
pub struct SyncServer {
    child: Child,
    pub url: String,
}

impl SyncServer {
    /// `scopepact serve` on `port`, with the database `db`; returns once it accepts connections.
    pub fn start(db: &Path, port: u16) -> Result<SyncServer, Error> {
        SyncServer::start_in(db, None, port)
    }

    /// [`SyncServer::start`] inside a network namespace when there is one, `(namespace,
    /// address)`, listening on every address there; the URL names that address.
    pub fn start_in(db: &Path, on: Option<(&str, &str)>, port: u16) -> Result<SyncServer, Error> {
        let netns = on.map(|(netns, _)| netns);
        let (listen, host) = match on {
            Some((_, address)) => ("0.0.0.0", address),
            None => ("127.0.0.1", "127.0.0.1"),
        };
        let child = network::command(netns, repo_root().join("target/debug/scopepact"))
            .args(["serve", "--listen", &format!("{listen}:{port}"), "--db"])
            .arg(db)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        let server = SyncServer {
            child,
            url: format!("http://{host}:{port}"),
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while network::connect(netns, port).is_err() {
            if Instant::now() > deadline {
                return Err("the sync server did not start within 20 s".into());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(server)
    }

    /// A device token for the server's database `db`, as an administrator hands one out.
    pub fn invite(db: &Path, name: &str) -> String {
        scopepact(&[
            "invite",
            "--db",
            db.to_str().unwrap_or_default(),
            "--name",
            name,
        ])
        .trim()
        .to_string()
    }
}

impl Drop for SyncServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// [`scopepact`] on a data directory.
pub fn scopepact_in(data: &Path, args: &[&str]) -> String {
    let mut all = vec!["--data-dir", data.to_str().unwrap_or_default()];
    all.extend_from_slice(args);
    scopepact(&all)
}

/// Adds a profile on a data directory through the CLI, as a second person on the laptop would.
pub fn add_profile(data: &Path, name: &str, email: &str, role: &str) {
    scopepact_in(
        data,
        &[
            "profile", "add", "--name", name, "--email", email, "--role", role,
        ],
    );
}

pub const ANA: &str = "ana.ruiz@pressworks.example";
pub const JORG: &str = "j.mueller@pressworks.example";
pub const CARMEN: &str = "c.diaz@pressworks.example";

/// The sample deal, significant or not, taken to ready to sign by its team (Ana, Jörg, Carmen,
/// added as profiles) through the CLI.
pub fn sample_ready_to_sign(data: &Path, significant: bool) -> String {
    add_profile(data, "Ana Ruiz", ANA, "commercial");
    add_profile(data, "Jörg Müller", JORG, "operational");
    add_profile(data, "Carmen Díaz", CARMEN, "executive");
    let sample = repo_root().join("tests/fixtures/press-line-retrofit.json");
    let mut file: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(sample).expect("the sample"))
            .expect("sample JSON");
    file["deal"]["significant"] = significant.into();
    let path = data.join("deal.json");
    std::fs::write(&path, file.to_string()).expect("a file in the data dir");
    let id = scopepact_in(data, &["import", path.to_str().unwrap_or_default()])
        .trim()
        .to_string();
    for c in ["C-01", "C-04", "C-06", "C-07"] {
        scopepact_in(
            data,
            &["--as", JORG, "validate", &id, c, "--verdict", "feasible"],
        );
    }
    scopepact_in(
        data,
        &[
            "ambiguity",
            "resolve",
            &id,
            "A-01",
            "--answer",
            "Drawings on 2 Dec.",
        ],
    );
    scopepact_in(
        data,
        &[
            "ambiguity",
            "transfer",
            &id,
            "A-02",
            "--owner",
            "Jörg Müller",
            "--due",
            "2027-01-15",
        ],
    );
    scopepact_in(data, &["--as", ANA, "agree", &id, "exclusion", "2"]);
    scopepact_in(
        data,
        &[
            "--as",
            CARMEN,
            "override",
            &id,
            "--gate",
            "economics",
            "--reason",
            "Strategic account",
        ],
    );
    id
}

/// Prints a benchmark's samples (milliseconds): count, median, 90th percentile and maximum.
pub fn report(name: &str, mut samples: Vec<f64>) {
    samples.sort_by(f64::total_cmp);
    #[allow(
        clippy::cast_precision_loss,
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss
    )]
    let at = |p: f64| samples[((samples.len() as f64 - 1.0) * p).round() as usize];
    println!(
        "{name:<58} n={:<3} p50={:>8.1} ms  p90={:>8.1} ms  max={:>8.1} ms",
        samples.len(),
        at(0.5),
        at(0.9),
        samples.last().copied().unwrap_or_default()
    );
}

/// Runs a scenario in a fresh app on `data_dir`; on failure keeps a screenshot, still shuts the
/// app down, then fails the test with the step's error.
pub async fn scenario<F, Fut>(name: &str, data_dir: &Path, body: F)
where
    F: FnOnce(App) -> Fut,
    Fut: std::future::Future<Output = Result<App, (App, Error)>>,
{
    let app = match App::launch(data_dir, name).await {
        Ok(app) => app,
        Err(err) => panic!("{name}: the app does not start: {err}"),
    };
    match body(app).await {
        Ok(app) => app.quit().await,
        Err((app, err)) => {
            app.screenshot("failure").await;
            app.quit().await;
            panic!("{name}: {err}");
        }
    }
}

/// One step of a scenario: its value, or the app handed back with the error so the scenario
/// can take its screenshot.
#[macro_export]
macro_rules! step {
    ($app:expr, $e:expr) => {
        match $e {
            Ok(v) => v,
            Err(err) => return Err(($app, $crate::Error::from(err))),
        }
    };
}
