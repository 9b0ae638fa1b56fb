//! The end-to-end harness: the real desktop app (`quipt-shipstation-app`) driven through
//! tauri-driver and WebKitWebDriver, against the sandbox started in-process on 127.0.0.1:0, with a
//! throw-away settings file and data directory. Journeys run one at a time (the app is single
//! instance); each saves a screenshot of the screen it checked under `target/e2e-screenshots/`.
//!
//! Run: `dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24" cargo test -p end-to-end`
//! (with `tauri-driver` and `WebKitWebDriver` on PATH; `scripts/setup.sh` installs both).

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use sandbox::{RunningSandbox, Sandbox, SandboxConfig, demo_data};

/// How long a UI condition may take before the journey fails.
pub const DEADLINE: Duration = Duration::from_secs(30);

static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// A running app with its sandbox and directories.
pub struct App {
    /// The WebDriver session.
    pub client: Client,
    /// The simulators the app talks to.
    pub sandbox: RunningSandbox,
    /// Settings, data, the CSV export and the diagnostics bundle.
    pub dir: tempfile::TempDir,
    /// When the session was requested (the app's launch).
    pub launched: Instant,
    driver: Child,
    _turn: tokio::sync::MutexGuard<'static, ()>,
}

/// The workspace's target directory.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"))
}

fn app_binary() -> PathBuf {
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--quiet", "-p", "quipt-shipstation-app"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .expect("cargo runs");
    assert!(status.success(), "the desktop app must build");
    target_dir().join("debug/quipt-shipstation-app")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("a free port")
        .local_addr()
        .expect("an address")
        .port()
}

impl App {
    /// Starts the sandbox (`orders` demo orders), tauri-driver and the app, with the sandbox's
    /// addresses and demo credentials in the app's environment.
    pub async fn launch(orders: usize) -> App {
        let turn = ONE_AT_A_TIME.lock().await;
        let binary = app_binary();
        let sandbox = Sandbox::start(SandboxConfig {
            orders,
            rate_window: Duration::from_secs(2),
            ..Default::default()
        })
        .await
        .expect("the sandbox starts");
        let dir = tempfile::tempdir().expect("a temp dir");
        let port = free_port();
        let native_port = free_port();
        let driver = Command::new("tauri-driver")
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            .env("QUIPT_SHIPSTATION_CONFIG", dir.path().join("settings.toml"))
            .env("QUIPT_SHIPSTATION_DATA_DIR", dir.path().join("data"))
            .env(
                "QUIPT_SHIPSTATION_EXPORT_PATH",
                dir.path().join("export.csv"),
            )
            .env(
                "QUIPT_SHIPSTATION_DIAGNOSTICS_PATH",
                dir.path().join("diagnostics.zip"),
            )
            .env("XDG_CONFIG_HOME", dir.path().join("xdg"))
            .env("QUIPT_API_URL", sandbox.quipt_url())
            .env("QUIPT_APP_URL", sandbox.quipt_url())
            .env("SHIPSTATION_API_URL", sandbox.shipstation_url())
            .env("QUIPT_CONSUMER_KEY", demo_data::QUIPT_CONSUMER_KEY)
            .env("QUIPT_CONSUMER_SECRET", demo_data::QUIPT_CONSUMER_SECRET)
            .env("QUIPT_ACCESS_TOKEN", demo_data::QUIPT_ACCESS_TOKEN)
            .env(
                "QUIPT_ACCESS_TOKEN_SECRET",
                demo_data::QUIPT_ACCESS_TOKEN_SECRET,
            )
            .env("SHIPSTATION_API_KEY", demo_data::SHIPSTATION_API_KEY)
            .env("SHIPSTATION_API_SECRET", demo_data::SHIPSTATION_API_SECRET)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            // Its own process group: tauri-driver, WebKitWebDriver and the app end together.
            .process_group(0)
            .spawn()
            .expect("tauri-driver is on PATH (cargo install tauri-driver --locked)");
        let url = format!("http://127.0.0.1:{port}");
        let mut caps = serde_json::Map::new();
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": binary }),
        );
        let deadline = Instant::now() + Duration::from_secs(30);
        let launched = Instant::now();
        let client = loop {
            // Bounded: a session request the driver never answers must fail the journey, not hang it.
            let mut builder = ClientBuilder::native();
            builder.capabilities(caps.clone());
            let connect = builder.connect(&url);
            match tokio::time::timeout(deadline.saturating_duration_since(Instant::now()), connect)
                .await
            {
                Ok(Ok(client)) => break client,
                Ok(Err(_)) if Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                Ok(Err(e)) => panic!("no WebDriver session with the app: {e}"),
                Err(_) => panic!("the WebDriver session with the app was not created within 30 s"),
            }
        };
        App {
            client,
            sandbox,
            dir,
            launched,
            driver,
            _turn: turn,
        }
    }

    /// Waits for an element (polling, with [`DEADLINE`]).
    pub async fn find(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(DEADLINE)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css} never appeared: {e}"))
    }

    /// Clicks an element once it exists.
    pub async fn click(&self, css: &str) {
        self.find(css)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    /// Types into an input (clearing it first).
    pub async fn fill(&self, css: &str, text: &str) {
        let input = self.find(css).await;
        input.clear().await.expect("clear");
        input.send_keys(text).await.expect("type");
    }

    /// Chooses an option of a select by its value.
    pub async fn select(&self, css: &str, value: &str) {
        self.find(css)
            .await
            .select_by_value(value)
            .await
            .unwrap_or_else(|e| panic!("select {value} in {css}: {e}"));
    }

    /// Polls `css`'s text until `accept` holds, and returns it; fails with the last text seen.
    pub async fn text_until(&self, css: &str, what: &str, accept: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + DEADLINE;
        let mut last = String::new();
        while Instant::now() < deadline {
            if let Ok(el) = self.client.find(Locator::Css(css)).await
                && let Ok(text) = el.text().await
            {
                if accept(&text) {
                    return text;
                }
                last = text;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("{css} never showed {what}; last text: {last:?}");
    }

    /// Clicks Sync now and waits for the run's result line ("Last run: …"), which it returns.
    pub async fn sync_now(&self) -> String {
        self.click("#sync-now").await;
        self.text_until("#sync-message", "the run's result", |t| {
            t.starts_with("Last run:")
        })
        .await
    }

    /// Saves a screenshot of the window under `target/e2e-screenshots/<name>.png`.
    pub async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.expect("a screenshot");
        let dir = target_dir().join("e2e-screenshots");
        std::fs::create_dir_all(&dir).expect("screenshot dir");
        std::fs::write(dir.join(format!("{name}.png")), png).expect("screenshot written");
    }

    /// Ends the session, then stops tauri-driver, WebKitWebDriver and the app (their process
    /// group) with SIGTERM, and SIGKILL if they are still there after [`DEADLINE`]. Each step is
    /// bounded: a WebDriver that never answered the session's deletion once hung a CI run.
    pub async fn close(mut self) {
        let _ = tokio::time::timeout(DEADLINE, self.client.clone().close()).await;
        signal_group(&self.driver, "-TERM");
        let deadline = Instant::now() + DEADLINE;
        while matches!(self.driver.try_wait(), Ok(None)) {
            if Instant::now() >= deadline {
                signal_group(&self.driver, "-KILL");
                let _ = self.driver.wait();
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for App {
    /// A journey that failed midway must not leave its app running: the next journey's app would
    /// find it and, being single-instance, hand over to it.
    fn drop(&mut self) {
        if matches!(self.driver.try_wait(), Ok(None)) {
            signal_group(&self.driver, "-KILL");
            let _ = self.driver.wait();
        }
    }
}

/// Sends `signal` (`-TERM`, `-KILL`) to the process group led by `leader`.
fn signal_group(leader: &Child, signal: &str) {
    let _ = Command::new("kill")
        .args([signal, "--", &format!("-{}", leader.id())])
        .status();
}
