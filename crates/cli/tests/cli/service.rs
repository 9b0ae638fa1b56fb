//! The daemon as a service manager runs it (issue 14): SIGTERM ends it cleanly with exit 0 after
//! the run in progress, as Ctrl-C does; a run that panics is a failed run whose message reaches
//! the log redacted; started at login before the keyring opens, it waits and then syncs.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use sandbox::demo_data;

use crate::support::{Cli, assert_nothing_duplicated, default_settings, text};

/// How long a test waits for the daemon to say something or to exit.
const DEADLINE: Duration = Duration::from_secs(60);

/// A running daemon and its stdout, line by line.
struct Daemon {
    child: Child,
    lines: mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl Daemon {
    fn start(cli: &Cli) -> Self {
        Self::spawn(cli.command(&["daemon"]))
    }

    fn spawn(mut command: Command) -> Self {
        Self::read(command.stdout(Stdio::piped()).stderr(Stdio::null()))
    }

    /// As [`Self::spawn`], with what it writes to stderr among its lines too.
    fn spawn_with_stderr(mut command: Command) -> Self {
        Self::read(command.stdout(Stdio::piped()).stderr(Stdio::piped()))
    }

    fn read(command: &mut Command) -> Self {
        let mut child = command.spawn().expect("the daemon starts");
        let (tx, lines) = mpsc::channel();
        let outputs: Vec<Box<dyn std::io::Read + Send>> = [
            child
                .stdout
                .take()
                .map(|o| Box::new(o) as Box<dyn std::io::Read + Send>),
            child
                .stderr
                .take()
                .map(|e| Box::new(e) as Box<dyn std::io::Read + Send>),
        ]
        .into_iter()
        .flatten()
        .collect();
        for output in outputs {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(output).lines().map_while(Result::ok) {
                    let _ = tx.send(line);
                }
            });
        }
        Self {
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// Waits (off the async runtime) for a line starting with `prefix`.
    async fn line(&mut self, prefix: &'static str) -> String {
        loop {
            let lines = std::mem::replace(&mut self.lines, mpsc::channel().1);
            let (lines, line) = tokio::task::spawn_blocking(move || {
                let line = lines.recv_timeout(DEADLINE);
                (lines, line)
            })
            .await
            .unwrap();
            self.lines = lines;
            let line = line.unwrap_or_else(|_| {
                panic!(
                    "the daemon said no '{prefix}…' line; it said {:?}",
                    self.seen
                )
            });
            self.seen.push(line.clone());
            if line.starts_with(prefix) {
                return line;
            }
        }
    }

    fn signal(&self, name: &str) {
        let status = Command::new("bash")
            .args(["-c", &format!("kill -{name} {}", self.child.id())])
            .status()
            .unwrap();
        assert!(status.success(), "kill -{name} was delivered");
    }

    /// Waits for the exit and returns its code and everything it printed after what was read.
    async fn exit(mut self) -> (Option<i32>, Vec<String>) {
        let mut child = self.child;
        let status = tokio::task::spawn_blocking(move || {
            let deadline = std::time::Instant::now() + DEADLINE;
            loop {
                if let Some(status) = child.try_wait().unwrap() {
                    return Some(status);
                }
                if std::time::Instant::now() > deadline {
                    let _ = child.kill();
                    return None;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        })
        .await
        .unwrap()
        .expect("the daemon exits after SIGTERM");
        // Everything it wrote: the outputs close with it, which ends the channel.
        let lines = self.lines;
        let rest = tokio::task::spawn_blocking(move || {
            std::iter::from_fn(|| lines.recv_timeout(DEADLINE).ok()).collect::<Vec<_>>()
        })
        .await
        .unwrap();
        self.seen.extend(rest);
        (status.code(), self.seen)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_lets_the_run_in_progress_finish_and_ends_the_daemon_with_exit_0() {
    let cli = Cli::start(200).await;
    // Slow enough that the first run is still going when the service manager stops the daemon.
    cli.sandbox.quipt.set_latency(Duration::from_millis(20));
    let mut daemon = Daemon::start(&cli);
    daemon.line("syncing every").await;
    daemon.signal("TERM");
    let (code, said) = daemon.exit().await;
    assert_eq!(
        code,
        Some(0),
        "a stop is not a failure for systemd's Restart=on-failure: {said:?}"
    );
    let at = |prefix: &str| said.iter().position(|l| l.starts_with(prefix));
    let (stopping, run) = (at("terminated: stopping"), at("run 1:"));
    assert!(
        stopping.is_some() && run.is_some() && stopping < run,
        "the signal came while run 1 was going, and the run finished after it: {said:?}"
    );
    assert!(
        said.last().is_some_and(|l| l == "stopped"),
        "then the daemon stopped: {said:?}"
    );
    let status = cli.run(&["status", "--json"]).await;
    let status: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
    assert_ne!(
        status["last_run"]["outcome"], "running",
        "no run is left half-recorded: {status}"
    );

    // Ctrl-C between runs does the same.
    let mut daemon = Daemon::start(&cli);
    daemon.line("run ").await;
    daemon.signal("INT");
    let (code, said) = daemon.exit().await;
    assert_eq!(code, Some(0), "Ctrl-C ends it cleanly too: {said:?}");
    assert!(
        said.iter().any(|l| l.starts_with("interrupted: stopping")),
        "{said:?}"
    );
    assert_nothing_duplicated(&cli.sandbox, &HashMap::new());
}

#[tokio::test]
async fn a_run_that_panics_is_a_failed_run_and_its_message_reaches_the_log_redacted() {
    let cli = Cli::start(0).await;
    let secret = "s3cret-value-of-the-panic-test";
    std::fs::create_dir_all(cli.data_dir()).unwrap();
    std::fs::write(
        cli.data_dir().join("test-seam-panic"),
        format!("a bug while holding {secret}"),
    )
    .unwrap();
    let mut cmd = cli.command(&["sync"]);
    cmd.env("SHIPSTATION_API_SECRET", secret);
    let out = crate::support::output(cmd).await;
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "a failed run exits 1: {stderr}");
    assert!(
        stderr.contains("internal error") && stderr.contains("<redacted>"),
        "the operator sees the run stopped on a bug: {stderr}"
    );
    let logs = std::fs::read_dir(cli.data_dir().join("logs"))
        .unwrap()
        .map(|f| std::fs::read_to_string(f.unwrap().path()).unwrap())
        .collect::<String>();
    assert!(
        logs.contains("internal error (a bug") && logs.contains("a bug while holding <redacted>"),
        "the panic hook wrote the message to the log: {logs}"
    );
    assert!(
        !logs.contains(secret) && !stderr.contains(secret),
        "the credential in the panic's message never reaches the log or the screen"
    );

    std::fs::remove_file(cli.data_dir().join("test-seam-panic")).unwrap();
    let out = cli.run(&["sync"]).await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "the next run goes ahead: {}",
        text(&out.stderr)
    );
}

/// A D-Bus session of the test's own with an unlocked gnome-keyring (its files in `dir`), started
/// at `bus` as a desktop session starts one at login; both stopped when dropped.
struct LoginSession {
    bus: Child,
    keyring: Child,
}

impl LoginSession {
    fn start(dir: &std::path::Path, bus: &str) -> Self {
        let mut bus_daemon = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address", "--address", bus])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon runs (scripts/setup.sh installs dbus)");
        let mut address = String::new();
        BufReader::new(bus_daemon.stdout.take().unwrap())
            .read_line(&mut address)
            .unwrap();
        assert!(address.starts_with("unix:"), "the bus listens: {address}");
        let mut keyring = Command::new("gnome-keyring-daemon")
            .args(["--foreground", "--unlock", "--components=secrets"])
            .env("DBUS_SESSION_BUS_ADDRESS", bus)
            .env("XDG_DATA_HOME", dir.join("xdg-data"))
            .env("XDG_RUNTIME_DIR", dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("gnome-keyring-daemon runs");
        // An empty password line: a new, unlocked login keyring.
        keyring.stdin.take().unwrap().write_all(b"\n").unwrap();
        let session = Self {
            bus: bus_daemon,
            keyring,
        };
        let deadline = std::time::Instant::now() + DEADLINE;
        while !Command::new("dbus-send")
            .args([
                "--session",
                "--print-reply",
                "--dest=org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus.NameHasOwner",
                "string:org.freedesktop.secrets",
            ])
            .env("DBUS_SESSION_BUS_ADDRESS", bus)
            .output()
            .is_ok_and(|o| text(&o.stdout).contains("boolean true"))
        {
            assert!(
                std::time::Instant::now() < deadline,
                "the keyring joins the session bus"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        session
    }
}

impl Drop for LoginSession {
    fn drop(&mut self) {
        for child in [&mut self.keyring, &mut self.bus] {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_daemon_started_before_the_keyring_opens_waits_for_it_and_then_syncs() {
    let cli = Cli::start(0).await;
    let bus = format!("unix:path={}", cli.dir.path().join("login-bus").display());
    let with_session = |cmd: &mut Command| {
        // The ShipStation key lives in the keyring only; the session bus is not there yet.
        cmd.env_remove("SHIPSTATION_API_KEY")
            .env_remove("SHIPSTATION_API_SECRET")
            .env("DBUS_SESSION_BUS_ADDRESS", &bus);
    };
    let mut daemon = cli.command(&["daemon"]);
    with_session(&mut daemon);
    let mut daemon = Daemon::spawn(daemon);
    let waiting = daemon.line("keyring locked").await;
    assert!(
        waiting.starts_with("keyring locked — waiting"),
        "the operator is told why nothing syncs yet: {waiting}"
    );

    // The desktop session unlocks the keyring, which holds the ShipStation key.
    let session = LoginSession::start(cli.dir.path(), &bus);
    let mut store = cli.command(&[
        "credentials",
        "--shipstation-key",
        demo_data::SHIPSTATION_API_KEY,
    ]);
    with_session(&mut store);
    store
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut child = store.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(demo_data::SHIPSTATION_API_SECRET.as_bytes())
        .unwrap();
    let stored = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap())
        .await
        .unwrap();
    assert!(stored.status.success(), "{}", text(&stored.stderr));

    let run = daemon.line("run ").await;
    assert!(
        run.starts_with("run 1: ok"),
        "once the keyring opens the daemon syncs, without a restart: {run}"
    );
    daemon.signal("TERM");
    let (code, said) = daemon.exit().await;
    assert_eq!(code, Some(0), "{said:?}");
    drop(session);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_service_without_a_session_bus_missing_a_credential_exits_1_naming_the_keyring_not_waiting()
 {
    // The template unit: credentials from its EnvironmentFile, no login session, so no keyring
    // will ever open. One variable left out of the file is an error to fix, not a wait.
    let cli = Cli::start(0).await;
    let mut daemon = cli.command(&["daemon"]);
    daemon
        .env_remove("SHIPSTATION_API_SECRET")
        .env_remove("DBUS_SESSION_BUS_ADDRESS");
    let daemon = Daemon::spawn_with_stderr(daemon);
    let (code, said) = daemon.exit().await;
    assert_eq!(
        code,
        Some(1),
        "the service manager sees a failure (and restarts it): {said:?}"
    );
    assert!(
        !said.iter().any(|l| l.contains("keyring locked")),
        "nothing says it is waiting for a keyring: {said:?}"
    );
    assert!(
        said.iter()
            .any(|l| l.contains("no keyring available") && l.contains("environment variables")),
        "the operator is told to set the credential in the environment: {said:?}"
    );
}

#[tokio::test]
async fn an_edit_of_the_schedule_in_the_settings_file_reaches_the_running_daemon() {
    let cli = Cli::start(0).await;
    let mut daemon = Daemon::start(&cli);
    daemon.line("run 1:").await;

    let settings = default_settings();
    let with_schedule = |lines: &str| settings.replace("interval_minutes = 15", lines);
    cli.write_settings(&with_schedule("interval_minutes = 15\npaused = true"));
    daemon.line("settings file: paused").await;

    cli.write_settings(&with_schedule("interval_minutes = 30"));
    let interval = daemon.line("settings file: syncing every").await;
    assert_eq!(interval, "settings file: syncing every 30 minutes from now");
    daemon.line("settings file: resumed").await;
    daemon.line("run 2:").await;

    daemon.signal("TERM");
    let (code, said) = daemon.exit().await;
    assert_eq!(code, Some(0), "{said:?}");
}

#[tokio::test]
async fn a_sync_stopped_by_the_service_manager_is_marked_interrupted_at_once() {
    let cli = Cli::start(200).await;
    // Slow enough that the run is still going when it is stopped.
    cli.sandbox.quipt.set_latency(Duration::from_millis(20));
    let mut sync = cli
        .command(&["sync"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sync starts");
    let deadline = std::time::Instant::now() + DEADLINE;
    loop {
        let status = cli.run(&["status", "--json"]).await;
        let status: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
        if status["last_run"]["outcome"] == "running" {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the run never showed as running: {status}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let term = Command::new("kill")
        .args(["-TERM", &sync.id().to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    let out = tokio::task::spawn_blocking(move || {
        let mut stderr = String::new();
        std::io::Read::read_to_string(sync.stderr.as_mut().unwrap(), &mut stderr).unwrap();
        (sync.wait().unwrap(), stderr)
    })
    .await
    .unwrap();
    assert_eq!(
        out.0.code(),
        Some(1),
        "a stopped run is not a success: {}",
        out.1
    );
    assert!(
        out.1.contains("terminated: the run was stopped"),
        "it says so: {}",
        out.1
    );
    let status = cli.run(&["status", "--json"]).await;
    let status: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
    assert_eq!(
        status["last_run"]["outcome"], "interrupted",
        "status does not show the stopped run running: {status}"
    );
}
