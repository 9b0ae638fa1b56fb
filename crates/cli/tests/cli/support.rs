//! Runs the CLI binary as a user would, against an in-process sandbox, with its own config and data
//! directories and the credentials in the environment (headless use).

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::process::{Command, Output};
use std::time::Duration;

use sandbox::{RunningSandbox, Sandbox, SandboxConfig, demo_data};

pub struct Cli {
    pub sandbox: RunningSandbox,
    pub dir: tempfile::TempDir,
}

impl Cli {
    pub async fn start(orders: usize) -> Self {
        let sandbox = Sandbox::start(SandboxConfig {
            orders,
            rate_window: Duration::from_secs(1),
            ..Default::default()
        })
        .await
        .expect("the sandbox starts");
        sandbox
            .quipt
            .set_rate_limit(100_000, Duration::from_secs(60));
        let cli = Self {
            sandbox,
            dir: tempfile::tempdir().unwrap(),
        };
        cli.write_settings(&default_settings());
        cli
    }

    pub fn config(&self) -> PathBuf {
        self.dir.path().join("settings.toml")
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub fn write_settings(&self, toml: &str) {
        std::fs::write(self.config(), toml).unwrap();
    }

    /// The binary with `--config`, `--data-dir`, the sandbox's addresses and the demo credentials.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_quipt-shipstation"));
        cmd.arg("--config")
            .arg(self.config())
            .arg("--data-dir")
            .arg(self.data_dir())
            .args(args);
        cmd.env("QUIPT_API_URL", self.sandbox.quipt_url())
            .env("QUIPT_APP_URL", self.sandbox.quipt_url())
            .env("SHIPSTATION_API_URL", self.sandbox.shipstation_url())
            .envs(demo_data::CREDENTIAL_VARIABLES);
        cmd
    }

    /// A ShipStation user prints a label for the order.
    pub fn print_label(&self, order_id: i64, tracking: &str) {
        self.sandbox
            .shipstation
            .create_label(
                order_id,
                sandbox::shipstation::LabelRequest {
                    tracking_number: tracking.to_string(),
                    ..Default::default()
                },
            )
            .expect("the order takes a label");
    }

    /// Runs to completion (off the async runtime, so the in-process sandbox keeps serving).
    pub async fn run(&self, args: &[&str]) -> Output {
        let mut cmd = self.command(args);
        tokio::task::spawn_blocking(move || cmd.output().expect("the binary runs"))
            .await
            .unwrap()
    }
}

/// The example settings the README documents: the tests run on exactly what a new user copies.
pub fn default_settings() -> String {
    include_str!("../../../../docs/settings.example.toml").to_string()
}

/// The six credential variables of SPEC §3.
pub const CREDENTIAL_VARS: [&str; 6] = {
    let v = demo_data::CREDENTIAL_VARIABLES;
    [v[0].0, v[1].0, v[2].0, v[3].0, v[4].0, v[5].0]
};

/// The command as on a machine with no keyring at all: no credential in the environment and a
/// session bus address where nothing listens (as when no D-Bus session runs).
pub fn without_keyring(cmd: &mut Command, dir: &std::path::Path) -> String {
    for var in CREDENTIAL_VARS {
        cmd.env_remove(var);
    }
    let bus = dir.join("no-session-bus");
    cmd.env(
        "DBUS_SESSION_BUS_ADDRESS",
        format!("unix:path={}", bus.display()),
    );
    bus.display().to_string()
}

/// Runs a prepared command to completion off the async runtime.
pub async fn output(mut cmd: Command) -> Output {
    tokio::task::spawn_blocking(move || cmd.output().expect("the binary runs"))
        .await
        .unwrap()
}

pub fn text(out: &[u8]) -> String {
    String::from_utf8_lossy(out).into_owned()
}

/// Proves from the simulators' own state that nothing was done twice: every active ShipStation
/// order's `orderKey` once, every Quipt line accepted at most once, and the tracking of each
/// labelled order (order number → tracking number) reported to Quipt exactly once. Returns the
/// active order keys.
pub fn assert_nothing_duplicated(
    sandbox: &RunningSandbox,
    labelled: &HashMap<String, String>,
) -> HashSet<String> {
    let mut keys: HashMap<String, usize> = HashMap::new();
    for order in sandbox.shipstation.all_orders().iter().filter(|o| o.active) {
        *keys.entry(order.order_key.clone()).or_insert(0) += 1;
    }
    let duplicated: Vec<_> = keys.iter().filter(|(_, n)| **n > 1).collect();
    assert!(
        duplicated.is_empty(),
        "orders duplicated in ShipStation: {duplicated:?}"
    );
    let quipt = sandbox.quipt.orders();
    for order in &quipt {
        for line in &order.lines {
            let accepted = line
                .acknowledgements
                .iter()
                .filter(|a| a.status == 1)
                .count();
            assert!(
                accepted <= 1,
                "line {} of {} accepted {accepted} times",
                line.id,
                order.order_number
            );
        }
    }
    for (number, tracking) in labelled {
        let order = quipt
            .iter()
            .find(|o| &o.order_number == number)
            .unwrap_or_else(|| panic!("the labelled order {number} is in Quipt"));
        let reported = order
            .shipments
            .iter()
            .filter(|s| s.tracking_number.as_deref() == Some(tracking))
            .count();
        assert_eq!(
            reported, 1,
            "tracking {tracking} of {number} reported {reported} times"
        );
    }
    keys.into_keys().collect()
}
