//! The end-to-end harness: the real desktop app (`quipt-shipstation-app`) driven through
//! tauri-driver and WebKitWebDriver, against the sandbox started in-process on 127.0.0.1:0, with a
//! throw-away settings file and data directory. Journeys run one at a time (the app is single
//! instance); each saves a screenshot of the screen it checked under `target/e2e-screenshots/`.
//!
//! Run: `dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24" cargo test -p end-to-end`
//! (with `tauri-driver` and `WebKitWebDriver` on PATH; `scripts/setup.sh` installs both).

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};

pub mod desktop;
use sandbox::{RunningSandbox, Sandbox, SandboxConfig, demo_data};

/// How long a UI condition may take before the journey fails.
pub const DEADLINE: Duration = Duration::from_secs(30);

/// How long a journey waits for its WebDriver session with a launching app (see `App::launch`).
const SESSION_DEADLINE: Duration = Duration::from_secs(90);

static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// A journey's turn: held by its scene, then its app, and by every desktop stand-in it started
/// ([`desktop::TrayHost`], …), so that nothing of a journey outlives its turn into the next one's.
type Turn = std::sync::Arc<tokio::sync::MutexGuard<'static, ()>>;

/// Where the app finds its accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Accounts {
    /// The environment gives the sandbox's addresses and its demo credentials (SPEC §3's variables
    /// take precedence over the keyring).
    Environment,
    /// The environment gives only the sandbox's addresses; credentials are the keyring's, as for an
    /// operator.
    Keyring,
    /// The environment gives nothing: a newcomer's machine (demo mode talks to its own sandbox).
    Nothing,
}

/// A running app with its sandbox and directories.
pub struct App {
    /// First, so that a journey failing midway ends the app before its sandbox and directory go.
    driver: Driver,
    /// The WebDriver session.
    pub client: Client,
    /// The simulators the app talks to (the operator's "real" accounts).
    pub sandbox: RunningSandbox,
    /// Settings, data, the CSV export and the diagnostics bundle.
    pub dir: tempfile::TempDir,
    /// When the session was requested (the app's launch).
    pub launched: Instant,
    accounts: Accounts,
    env: Vec<(String, String)>,
    turn: Turn,
}

/// tauri-driver, WebKitWebDriver and the app, one process group.
struct Driver(Child);

impl Drop for Driver {
    /// A journey that failed midway must not leave its app running: the next journey's app would
    /// find it and, being single-instance, hand over to it.
    fn drop(&mut self) {
        // The whole group, even when tauri-driver itself has already ended.
        if !desktop::running_in_group(self.0.id()).is_empty() {
            signal_group(self.0.id(), "-KILL");
        }
        let _ = self.0.wait();
        desktop::group_ended(self.0.id(), DEADLINE);
    }
}

/// The workspace's target directory.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"))
}

/// Builds the app (debug, or release when `QUIPT_E2E_PROFILE=release`: what BENCHMARKS.md's app
/// figures are measured on) and returns its path.
fn app_binary() -> PathBuf {
    let release = app_profile() == "release";
    let mut cargo = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    // `automation`: the save dialogs take their answer from the environment (see below).
    cargo.args([
        "build",
        "--quiet",
        "-p",
        "quipt-shipstation-app",
        "--features",
        "automation",
    ]);
    if release {
        cargo.arg("--release");
    }
    let status = cargo
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .expect("cargo runs");
    assert!(status.success(), "the desktop app must build");
    app_path()
}

fn app_profile() -> String {
    std::env::var("QUIPT_E2E_PROFILE").unwrap_or_else(|_| "debug".into())
}

/// Where [`app_binary`] built the app.
fn app_path() -> PathBuf {
    target_dir()
        .join(app_profile())
        .join("quipt-shipstation-app")
}

/// Two distinct free ports on 127.0.0.1: tauri-driver's and its WebKitWebDriver's.
fn free_ports() -> (u16, u16) {
    // Both listeners held at once: two binds one after the other can be given the same port, and
    // tauri-driver then finds its WebKitWebDriver's port taken (by itself) and never answers.
    let bind = || std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let (first, second) = (bind(), bind());
    let port = |listener: &std::net::TcpListener| listener.local_addr().expect("an address").port();
    (port(&first), port(&second))
}

/// A journey's sandbox and directory, before the app starts: what a test seeds first.
pub struct Scene {
    /// The simulators (the operator's accounts).
    pub sandbox: RunningSandbox,
    /// Settings, data, exports.
    pub dir: tempfile::TempDir,
    /// Variables the app's process gets besides the harness's own (`TZ`, say).
    env: Vec<(String, String)>,
    turn: Turn,
}

impl Scene {
    /// Waits for this journey's turn, empties the keyring, then starts the sandbox with `orders`
    /// demo orders.
    pub async fn new(orders: usize) -> Scene {
        Scene::starting(orders, None).await
    }

    /// As [`Scene::new`], with both simulated clocks starting at `clock_start` (`None`: now), for
    /// a history seeded at chosen instants ([`Scene::sync_as_of`]). The app, on the real clock,
    /// is still answered: the simulators accept a request signed by either clock.
    pub async fn starting(
        orders: usize,
        clock_start: Option<chrono::DateTime<chrono::Utc>>,
    ) -> Scene {
        let turn = Turn::new(ONE_AT_A_TIME.lock().await);
        forget_keyring();
        let sandbox = Sandbox::start(SandboxConfig {
            orders,
            rate_window: Duration::from_secs(2),
            clock_start,
            ..Default::default()
        })
        .await
        .expect("the sandbox starts");
        Scene {
            sandbox,
            dir: tempfile::tempdir().expect("a temp dir"),
            env: Vec::new(),
            turn,
        }
    }

    /// The same scene with `name=value` in the app's environment (`TZ` for another time zone).
    pub fn with_env(mut self, name: &str, value: &str) -> Scene {
        self.env.push((name.into(), value.into()));
        self
    }

    /// The settings file the app uses.
    pub fn settings_file(&self) -> PathBuf {
        self.dir.path().join("settings.toml")
    }

    /// The data directory the app uses.
    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// An operator's setup of the scene's sandbox, as if finished earlier: the settings file
    /// (single store, both matched warehouses, the schedule paused so that nothing runs unasked),
    /// the credentials in the keyring (a token of the API user's own, the ShipStation pair) and
    /// one run's history.
    pub async fn seed_real_setup(&self) {
        self.seed_real_accounts();
        let summary = self.sync_as_of(None).await;
        assert!(summary.created > 0, "the real history holds pushed orders");
    }

    /// The settings file and keyring entries of [`Scene::seed_real_setup`], no history yet.
    pub fn seed_real_accounts(&self) {
        use connector::credentials::{self, CredentialName, Secret};
        forget_keyring();
        self.sandbox
            .quipt
            .add_access_token(REAL_TOKEN.0, REAL_TOKEN.1);
        self.sandbox
            .shipstation
            .set_api_keys(REAL_SHIPSTATION_KEYS.0, REAL_SHIPSTATION_KEYS.1);
        for (name, value) in [
            (CredentialName::QuiptAccessToken, REAL_TOKEN.0),
            (CredentialName::QuiptAccessTokenSecret, REAL_TOKEN.1),
            (CredentialName::ShipStationApiKey, REAL_SHIPSTATION_KEYS.0),
            (
                CredentialName::ShipStationApiSecret,
                REAL_SHIPSTATION_KEYS.1,
            ),
        ] {
            credentials::store(name, &Secret::new(value)).expect("the keyring stores");
        }
        let mut settings = connector::wizard::draft();
        settings.quipt.api_user_email = "acme-api@example.com".into();
        settings.quipt.api_url = Some(self.sandbox.quipt_url());
        settings.quipt.app_url = Some(self.sandbox.quipt_url());
        settings.shipstation.api_url = Some(self.sandbox.shipstation_url());
        settings.stores.default_store_id = Some(10000);
        settings.carrier.default_service = "ups_ground".into();
        settings.warehouses.codes = vec!["98765".into(), "98766".into()];
        settings.schedule.paused = true;
        settings
            .save(&self.settings_file())
            .expect("the settings are saved");
    }

    /// One run of the engine and its clients on the seeded setup, on `clock` (the system's when
    /// `None`; the simulators' clocks must stand near it): the history the app then shows,
    /// written at the instants a journey chose.
    pub async fn sync_as_of(
        &self,
        clock: Option<std::sync::Arc<dyn connector::clock::Clock>>,
    ) -> connector::summary::RunSummary {
        let paths = self.paths();
        let connector = match clock {
            Some(clock) => connector::Connector::open_on(
                paths.clone(),
                connector::Settings::load(&paths.config_file).expect("the settings load"),
                &connector::credentials::Credentials::load().expect("the keyring's credentials"),
                clock,
            ),
            None => connector::Connector::from_paths(paths),
        }
        .expect("the real setup opens");
        connector
            .sync(connector::RunOptions {
                dry_run: false,
                trigger: connector::Trigger::SyncNow,
                refresh_reference: true,
            })
            .await
            .expect("the real setup syncs")
    }

    /// The paths as the engine sees them.
    pub fn paths(&self) -> connector::Paths {
        connector::Paths {
            config_file: self.settings_file(),
            data_dir: self.data_dir(),
        }
    }
}

impl App {
    /// Starts the sandbox (`orders` demo orders), tauri-driver and the app, with the sandbox's
    /// addresses and demo credentials in the app's environment.
    pub async fn launch(orders: usize) -> App {
        App::launch_with(Scene::new(orders).await, Accounts::Environment).await
    }

    /// Starts tauri-driver and the app on a prepared scene.
    pub async fn launch_with(scene: Scene, accounts: Accounts) -> App {
        let Scene {
            sandbox,
            dir,
            env,
            turn,
        } = scene;
        let binary = app_binary();
        let bus = env
            .iter()
            .find(|(name, _)| name == "DBUS_SESSION_BUS_ADDRESS")
            .map(|(_, address)| address.clone());
        // An app left running by an earlier launch would be handed this one (single instance).
        let deadline = Instant::now() + DEADLINE;
        while let Some(pid) = desktop::single_instance_owner(bus.as_deref()).await {
            assert!(
                Instant::now() < deadline,
                "an app launched earlier (pid {pid}) still runs: this launch would hand over to it"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let (port, native_port) = free_ports();
        let mut driver = Command::new("tauri-driver");
        driver
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
            .env("XDG_CONFIG_HOME", dir.path().join("xdg"));
        for name in ADDRESS_VARIABLES
            .into_iter()
            .chain(demo_data::CREDENTIAL_VARIABLES.map(|(name, _)| name))
        {
            driver.env_remove(name);
        }
        driver.envs(env.iter().map(|(name, value)| (name, value)));
        if accounts != Accounts::Nothing {
            driver
                .env("QUIPT_API_URL", sandbox.quipt_url())
                .env("QUIPT_APP_URL", sandbox.quipt_url())
                .env("SHIPSTATION_API_URL", sandbox.shipstation_url());
        }
        if accounts == Accounts::Environment {
            driver.envs(demo_data::CREDENTIAL_VARIABLES);
        }
        // Their output (the app's own stderr among it) kept in a file: a session that never comes
        // is diagnosed from it (`desktop::no_session`). A file, not a pipe, which WebKitWebDriver
        // would hold open after the journey.
        let output = std::fs::File::options()
            .create(true)
            .append(true)
            .open(dir.path().join("driver.log"))
            .expect("the driver's log file opens");
        let driver = driver
            .stdout(output.try_clone().expect("the driver's log file"))
            .stderr(output)
            // Its own process group: tauri-driver, WebKitWebDriver and the app end together.
            .process_group(0)
            .spawn()
            .expect("tauri-driver is on PATH (cargo install tauri-driver --locked)");
        let mut driver = Driver(driver);
        let url = format!("http://127.0.0.1:{port}");
        let mut caps = serde_json::Map::new();
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": binary }),
        );
        // Generous: the first launch on a fresh machine also starts WebKitWebDriver, the session
        // bus's accessibility services and WebKit's caches from cold disk (once over 30 s in CI,
        // where later launches take about one). The launch time itself is measured apart.
        let deadline = Instant::now() + SESSION_DEADLINE;
        let launched = Instant::now();
        let group = driver.0.id();
        let session = async {
            loop {
                // Bounded: a session request the driver never answers must fail the journey, not
                // hang it.
                let mut builder = ClientBuilder::native();
                builder.capabilities(caps.clone());
                let connect = builder.connect(&url);
                let remaining = deadline.saturating_duration_since(Instant::now());
                match tokio::time::timeout(remaining, connect).await {
                    Ok(Ok(client)) => return Ok(client),
                    Ok(Err(e)) if let Ok(Some(status)) = driver.0.try_wait() => {
                        return Err(format!(
                            "tauri-driver ended ({status}) before a WebDriver session: {e}"
                        ));
                    }
                    Ok(Err(_)) if Instant::now() < deadline => {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                    Ok(Err(e)) => return Err(format!("no WebDriver session with the app: {e}")),
                    Err(_) => {
                        return Err(format!(
                            "the WebDriver session with the app was not created within {} s",
                            SESSION_DEADLINE.as_secs()
                        ));
                    }
                }
            }
        };
        // WebKitWebDriver never answers a session whose app ended before its window was up.
        let session = tokio::select! {
            result = session => result,
            () = desktop::app_ended(group) => {
                Err("the app ended before its WebDriver session".to_string())
            }
        };
        let client = match session {
            Ok(client) => client,
            Err(failure) => panic!(
                "{failure}\n{}",
                desktop::no_session(group, bus.as_deref(), dir.path()).await
            ),
        };
        App {
            client,
            sandbox,
            dir,
            launched,
            accounts,
            env,
            driver,
            turn,
        }
    }

    /// Quits the app and starts it again on the same scene (a restart of the workstation's app).
    pub async fn restart(self) -> App {
        let accounts = self.accounts;
        let scene = self.close().await;
        App::launch_with(scene, accounts).await
    }

    /// Waits for an element (polling, with [`DEADLINE`]).
    pub async fn find(&self, css: &str) -> fantoccini::elements::Element {
        match self
            .client
            .wait()
            .at_most(DEADLINE)
            .for_element(Locator::Css(css))
            .await
        {
            Ok(element) => element,
            Err(e) => self.fail(format!("{css} never appeared: {e}")).await,
        }
    }

    /// Fails the journey with `message`, after saving the screen as it is then
    /// (`target/e2e-screenshots/failed.png`): the first place to look.
    async fn fail(&self, message: String) -> ! {
        self.screenshot("failed").await;
        let page = match self.client.find(Locator::Css("body")).await {
            Ok(body) => body.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        panic!("{message}\nthe window showed:\n{page}");
    }

    /// How many elements match `css` now (no waiting).
    pub async fn count(&self, css: &str) -> u64 {
        self.client
            .find_all(Locator::Css(css))
            .await
            .map_or(0, |found| found.len() as u64)
    }

    /// The text of an element once it exists, as it reads now.
    pub async fn text(&self, css: &str) -> String {
        self.find(css).await.text().await.unwrap_or_default()
    }

    /// The value of an input once it exists, as it reads now (what a user would see in it).
    pub async fn value(&self, css: &str) -> String {
        self.find(css)
            .await
            .prop("value")
            .await
            .unwrap_or_else(|e| panic!("the value of {css}: {e}"))
            .unwrap_or_default()
    }

    /// Whether an element matches `css` now (no waiting).
    pub async fn is_shown(&self, css: &str) -> bool {
        self.count(css).await > 0
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
        self.fail(format!("{css} never showed {what}; last text: {last:?}"))
            .await
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
    /// group) with SIGTERM, and SIGKILL if they are still there after [`DEADLINE`]; then waits
    /// until none of the group runs any more (SIGKILLing what is left halfway), so that the next
    /// launch cannot find this app. Each step is bounded: a WebDriver that never answered the
    /// session's deletion once hung a CI run.
    /// Returns the scene, so a journey can look at what the app left.
    pub async fn close(self) -> Scene {
        let App {
            client,
            sandbox,
            dir,
            mut driver,
            env,
            turn,
            ..
        } = self;
        let _ = tokio::time::timeout(DEADLINE, client.close()).await;
        signal_group(driver.0.id(), "-TERM");
        let deadline = Instant::now() + DEADLINE;
        while matches!(driver.0.try_wait(), Ok(None)) {
            if Instant::now() >= deadline {
                signal_group(driver.0.id(), "-KILL");
                let _ = driver.0.wait();
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        // The app and WebKit end with it; the next launch must not find the app still there.
        let left = desktop::group_ended(driver.0.id(), DEADLINE);
        assert!(
            left.is_empty(),
            "the app's processes ended: {left:?} are left"
        );
        Scene {
            sandbox,
            dir,
            env,
            turn,
        }
    }

    /// Whether the window shows the dark scheme (`prefers-color-scheme`, which WebKitGTK takes
    /// from GTK's theme: `GTK_THEME=Adwaita:dark` in the app's environment).
    pub async fn is_dark(&self) -> bool {
        self.client
            .execute(
                "return matchMedia('(prefers-color-scheme: dark)').matches",
                vec![],
            )
            .await
            .is_ok_and(|dark| dark == serde_json::Value::Bool(true))
    }

    /// Runs axe-core (`ui/node_modules/axe-core`, installed by npm from `ui/package.json`) on the
    /// window as it is now and returns its serious and critical violations, each as "rule: what it
    /// says (where)". The script is injected through WebDriver, so the app ships nothing of it.
    pub async fn accessibility_violations(&self) -> Vec<String> {
        let axe = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/node_modules/axe-core/axe.min.js"),
        )
        .expect("axe-core is installed (cd ui && npm ci)");
        if let Err(e) = self.client.execute(&axe, vec![]).await {
            self.fail(format!("axe-core could not be injected: {e}"))
                .await;
        }
        let run = r#"
            const done = arguments[arguments.length - 1];
            axe.run(document, { resultTypes: ["violations"] })
              .then((r) => done({
                passed: r.passes.length,
                violations: r.violations
                  .filter((v) => v.impact === "serious" || v.impact === "critical")
                  .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
              }))
              .catch((e) => done({ passed: 0, violations: [`axe failed: ${e}`] }));
        "#;
        let answer = match self.client.execute_async(run, vec![]).await {
            Ok(answer) => answer,
            Err(e) => self.fail(format!("axe did not run: {e}")).await,
        };
        let passed = answer["passed"].as_u64().unwrap_or(0);
        let violations: Vec<String> = answer["violations"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|v| v.as_str().unwrap_or_default().to_string())
            .collect();
        // A scan that checked nothing proves nothing.
        if passed == 0 && violations.is_empty() {
            self.fail(format!("axe passed no rule: {answer}")).await;
        }
        violations
    }
}

/// The access token (and secret) of the operator's API user in [`Scene::seed_real_setup`].
pub const REAL_TOKEN: (&str, &str) = ("real-token", "real-token-secret");

/// The ShipStation key pair of the operator's account in [`Scene::seed_real_setup`], which the
/// sandbox then takes instead of the demo's: its own, so that the demo's public pair written over
/// it would show (and be refused).
pub const REAL_SHIPSTATION_KEYS: (&str, &str) = ("acme-shipstation-key", "acme-shipstation-secret");

/// SPEC §3's address variables; with the credential variables, a journey's app sees only those the
/// journey gives it.
const ADDRESS_VARIABLES: [&str; 3] = ["QUIPT_API_URL", "QUIPT_APP_URL", "SHIPSTATION_API_URL"];

/// The entries of the zip archive at `path` (a diagnostics bundle), each as its name and text.
pub fn zip_entries(path: &Path) -> Vec<(String, String)> {
    use std::io::Read;
    let file = std::fs::File::open(path).expect("the archive");
    let mut zip = zip::ZipArchive::new(file).expect("a zip archive");
    (0..zip.len())
        .map(|i| {
            let mut entry = zip.by_index(i).expect("an entry");
            let mut text = String::new();
            entry.read_to_string(&mut text).expect("text");
            (entry.name().expect("a UTF-8 entry name").to_string(), text)
        })
        .collect()
}

/// Every keyring entry of the connector, by its variable's name (`None`: no entry).
pub fn keyring_entries() -> Vec<(&'static str, Option<String>)> {
    use connector::credentials::{self, CredentialName};
    CredentialName::ALL
        .iter()
        .map(|name| {
            let value = credentials::read(*name)
                .expect("the keyring is readable (run inside dbus-run-session with gnome-keyring)");
            (name.env_var(), value.map(|v| v.expose_secret().to_string()))
        })
        .collect()
}

/// Removes every keyring entry of the connector, so a journey starts from an empty keyring.
fn forget_keyring() {
    use connector::credentials::{self, CredentialName};
    for name in CredentialName::ALL {
        credentials::delete(name).expect("the keyring is writable");
    }
}

/// Acts as the API user in a browser on the sandbox's authorization page at `url`: logs in and
/// presses Start. Quipt then redirects to the app's loopback callback (followed here, as a
/// browser would) or, for the `oob` flow, shows the verifier, which is returned.
pub async fn approve_as_api_user(quipt_url: &str, url: &str) -> Option<String> {
    let token = url
        .split("oauth_token=")
        .nth(1)
        .unwrap_or_else(|| panic!("an authorization URL with a request token: {url}"))
        .split('&')
        .next()
        .unwrap_or_default()
        .to_string();
    let page = reqwest::Client::new()
        .post(format!("{quipt_url}/oauth/authorize"))
        .form(&[
            ("oauth_token", token.as_str()),
            ("email", demo_data::QUIPT_API_USER_EMAIL),
            ("password", demo_data::QUIPT_API_USER_PASSWORD),
        ])
        .send()
        .await
        .expect("the authorization page answers")
        .error_for_status()
        .expect("the API user is approved")
        .text()
        .await
        .expect("a page");
    page.split("<code id=\"verifier\">")
        .nth(1)
        .and_then(|rest| rest.split("</code>").next())
        .map(str::to_string)
}

/// Sends `signal` (`-TERM`, `-KILL`) to the process group `group`.
fn signal_group(group: u32, signal: &str) {
    let _ = Command::new("kill")
        .args([signal, "--", &format!("-{group}")])
        .status();
}
