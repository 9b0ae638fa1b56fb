//! The operator's answers to the setup wizard, as the TOML file of SPEC §5.
//!
//! The file holds no secret: credentials live in the keyring ([`crate::credentials`]). Loading
//! rejects unknown keys and checks the cross-field rules of [`validate`], so that a typo never
//! silently changes what is pushed. Saving is atomic ([`crate::private_files::write_atomic`]: a
//! uniquely named temporary file, fsync, rename, directory fsync), so a crash while saving leaves
//! the previous file intact and the app and the CLI saving at once never mix their files; the file
//! is readable by its owner only. A file or directory an older version (or an editor) left open to
//! others is closed down when the settings are loaded or saved, if it is this user's own and not
//! the administrator's under `/etc` ([`crate::private_files::close_down_own`]).

pub mod validate;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Every setting of the connector (SPEC §5). Field docs name the wizard step they come from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Step 1: the Quipt API user.
    #[serde(default)]
    pub quipt: QuiptSettings,
    /// Step 2: where ShipStation is (the key and secret live in the keyring).
    #[serde(default)]
    pub shipstation: ShipStationSettings,
    /// Step 3: "All orders to a single store?"
    pub stores: StoreSettings,
    /// Step 4: "Pending orders?"
    #[serde(default)]
    pub orders: OrderSettings,
    /// Step 5: preferred carrier, default assignment, USPS support.
    pub carrier: CarrierSettings,
    /// Step 6: what a cancellation in ShipStation does in Quipt.
    #[serde(default)]
    pub cancel: CancelSettings,
    /// Step 7: Quipt warehouse codes that equal ShipStation warehouse IDs.
    pub warehouses: WarehouseSettings,
    /// How often the background sync runs.
    #[serde(default)]
    pub schedule: ScheduleSettings,
    /// How long the history keeps each order's timeline.
    #[serde(default)]
    pub history: HistorySettings,
    /// The desktop app's update notice (not a wizard step: edited in the file). Written only when
    /// it differs from the default, so the file stays as the wizard wrote it.
    #[serde(default, skip_serializing_if = "UpdateSettings::is_default")]
    #[cfg_attr(feature = "ts", ts(skip))]
    pub updates: UpdateSettings,
}

/// Step 1: the Quipt API user and, for the sandbox and tests, where Quipt is.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(deny_unknown_fields)]
pub struct QuiptSettings {
    /// The API user's e-mail, shown in the UI; its access token lives in the keyring.
    #[serde(default)]
    pub api_user_email: String,
    /// The API host (`QUIPT_API_URL` overrides); the real one when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_url: Option<String>,
    /// The app host with the OAuth endpoints (`QUIPT_APP_URL` overrides); the real one when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_url: Option<String>,
}

/// Step 2: where ShipStation is; the key and secret live in the keyring.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(deny_unknown_fields)]
pub struct ShipStationSettings {
    /// The API base URL (`SHIPSTATION_API_URL` overrides); the real one when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_url: Option<String>,
}

/// Step 3: one ShipStation store for everything, or one store per Quipt channel.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(deny_unknown_fields)]
pub struct StoreSettings {
    /// The guide's "All orders to a single store?".
    pub single_store: bool,
    /// The one store when `single_store` is true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_store_id: Option<i64>,
    /// Single store: channel name → store name, sent as `advancedOptions.source`.
    #[serde(default)]
    pub channel_names: BTreeMap<String, String>,
    /// One store per channel: channel name → ShipStation store ID.
    #[serde(default)]
    pub channel_store_ids: BTreeMap<String, i64>,
}

/// Step 4: whether orders still in Quipt's "validating" status are pushed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(deny_unknown_fields)]
pub struct OrderSettings {
    /// Push Pending (validating) orders as `awaiting_payment`.
    #[serde(default)]
    pub push_validating: bool,
}

/// The four carrier families the guide offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "lowercase")]
pub enum CarrierFamily {
    /// UPS.
    Ups,
    /// FedEx.
    Fedex,
    /// USPS (stamps.com, Endicia or USPS direct in ShipStation).
    Usps,
    /// DHL.
    Dhl,
}

impl CarrierFamily {
    /// All families, in the guide's order.
    pub const ALL: [CarrierFamily; 4] = [
        CarrierFamily::Ups,
        CarrierFamily::Fedex,
        CarrierFamily::Usps,
        CarrierFamily::Dhl,
    ];

    /// The name an operator reads.
    pub fn label(self) -> &'static str {
        match self {
            CarrierFamily::Ups => "UPS",
            CarrierFamily::Fedex => "FedEx",
            CarrierFamily::Usps => "USPS",
            CarrierFamily::Dhl => "DHL",
        }
    }
}

/// Step 5: the preferred carrier and what to do with orders that name none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(deny_unknown_fields)]
pub struct CarrierSettings {
    /// The preferred carrier family.
    pub preferred: CarrierFamily,
    /// The ShipStation service code used with the preferred carrier (from `listservices`).
    pub default_service: String,
    /// Assign the preferred carrier to orders without a carrier/service (the guide recommends yes).
    #[serde(default = "yes")]
    pub assign_default: bool,
    /// "Do you support USPS?"; when false, USPS requests get the preferred carrier.
    #[serde(default = "yes")]
    pub usps_supported: bool,
}

fn yes() -> bool {
    true
}

/// Step 6: what a cancellation in ShipStation does to the Quipt order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "lowercase")]
pub enum CancelMode {
    /// Cancel shipment: the order goes to "Cancelled By Warehouse" and can still be filled.
    #[default]
    Soft,
    /// Cancel quantity: every line's remaining quantity is rejected and the buyer refunded.
    Hard,
}

/// Step 6.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(deny_unknown_fields)]
pub struct CancelSettings {
    /// Soft or hard.
    #[serde(default)]
    pub mode: CancelMode,
}

/// Step 7: Quipt warehouse codes, each equal to a ShipStation warehouse ID.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(deny_unknown_fields)]
pub struct WarehouseSettings {
    /// The codes whose orders are synced.
    pub codes: Vec<String>,
}

/// The background schedule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(deny_unknown_fields)]
pub struct ScheduleSettings {
    /// Minutes between runs (default 15).
    #[serde(default = "default_interval")]
    pub interval_minutes: u32,
    /// Whether the schedule is paused (Sync now still works).
    #[serde(default)]
    pub paused: bool,
}

fn default_interval() -> u32 {
    15
}

/// The desktop app's update notice ([`crate::updates`]): whether it reads the release feed, and where.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateSettings {
    /// Whether the app reads the release feed (at most once a day); `false` turns it off.
    #[serde(default = "yes")]
    pub check: bool,
    /// The release feed; the build's own when absent ([`crate::updates::DEFAULT_FEED`], none in a
    /// build made without one). https only, plain http only to this computer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feed_url: Option<String>,
}

impl Default for UpdateSettings {
    fn default() -> Self {
        Self {
            check: true,
            feed_url: None,
        }
    }
}

impl UpdateSettings {
    fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

impl Default for ScheduleSettings {
    fn default() -> Self {
        Self {
            interval_minutes: default_interval(),
            paused: false,
        }
    }
}

/// How long the history keeps its timeline (SPEC §3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(deny_unknown_fields)]
pub struct HistorySettings {
    /// Timeline events older than this many days are pruned once a day (default 400: a year and a
    /// season, so last year's peak can still be looked up); orders, their state and the tracking
    /// reported are kept whatever their age.
    #[serde(default = "default_retention_days")]
    pub retention_days: u32,
}

fn default_retention_days() -> u32 {
    400
}

impl Default for HistorySettings {
    fn default() -> Self {
        Self {
            retention_days: default_retention_days(),
        }
    }
}

impl Settings {
    /// Reads and validates the settings file, and makes it `0600` when it is this user's own (not
    /// under `/etc`) and open to others; one that cannot be changed (a read-only disk) is read all
    /// the same, with a warning logged.
    ///
    /// # Errors
    /// [`Error::Io`] when the file cannot be read; [`Error::Settings`] listing every problem (unknown
    /// keys, wrong types, broken cross-field rules) otherwise.
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io("read", path, e))?;
        if let Err(e) = crate::private_files::close_down_own(path) {
            tracing::warn!(
                "the settings file {} stays readable by others: {e}",
                path.display()
            );
        }
        Self::parse(&text, path)
    }

    /// Parses and validates settings text; `path` only names the file in messages.
    ///
    /// # Errors
    /// [`Error::Settings`] listing every problem.
    pub fn parse(text: &str, path: &Path) -> Result<Self> {
        let settings: Settings = toml::from_str(text).map_err(|e| Error::Settings {
            path: path.display().to_string(),
            problems: vec![e.message().to_string()],
        })?;
        let problems = validate::problems(&settings);
        if problems.is_empty() {
            Ok(settings)
        } else {
            Err(Error::Settings {
                path: path.display().to_string(),
                problems,
            })
        }
    }

    /// Validates and writes the settings atomically: a crash while saving keeps the old file, and of
    /// two saves at once (the app and the CLI) one file wins whole. The file is `0600` and its
    /// directory `0700`: created so, or — when it is the connector's own directory (named
    /// `quipt-shipstation`, as the defaults are) and this user's — closed down first.
    ///
    /// # Errors
    /// [`Error::Settings`] when the settings break a rule (nothing is written), [`Error::Io`] when
    /// the file cannot be written.
    pub fn save(&self, path: &Path) -> Result<()> {
        let problems = validate::problems(self);
        if !problems.is_empty() {
            return Err(Error::Settings {
                path: path.display().to_string(),
                problems,
            });
        }
        if let Some(dir) = path.parent().filter(|dir| is_the_connectors_own(dir)) {
            crate::private_files::close_down_own(dir).map_err(|e| Error::io("restrict", dir, e))?;
        }
        let text = toml::to_string_pretty(self).expect("settings always serialize to TOML");
        crate::private_files::write_atomic(path, |file| file.write_all(text.as_bytes()))
            .map_err(|e| Error::io("write", path, e))
    }

    /// Replaces the schedule in the settings file at `path` and saves it (Settings → Apply): the
    /// rest of the file is kept as it is, so the running engine and the file never disagree about
    /// the other answers.
    ///
    /// # Errors
    /// As [`Settings::load`] and [`Settings::save`].
    pub fn save_schedule(path: &Path, schedule: ScheduleSettings) -> Result<Self> {
        let mut settings = Self::load(path)?;
        settings.schedule = schedule;
        settings.save(path)?;
        Ok(settings)
    }
}

/// Where the connector keeps its files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    /// The settings file (`--config`).
    pub config_file: PathBuf,
    /// The directory of the history database and the run lock (`--data-dir`).
    pub data_dir: PathBuf,
}

/// The name of the connector's own directories on every platform (`~/.config/quipt-shipstation`).
const APP_DIR: &str = "quipt-shipstation";

/// Whether `dir` is a directory the connector owns (named as its defaults are), which saving may
/// close to others. Any other directory holding a `--config` file — a home folder, a shared
/// folder — is the operator's to set: closing it would change far more than our file. Pure.
fn is_the_connectors_own(dir: &Path) -> bool {
    dir.file_name().is_some_and(|name| name == APP_DIR)
}

impl Paths {
    /// The platform defaults (e.g. `~/.config/quipt-shipstation/settings.toml` and
    /// `~/.local/share/quipt-shipstation` on Linux), each replaced by its override when given.
    pub fn resolve(config_file: Option<PathBuf>, data_dir: Option<PathBuf>) -> Self {
        let dirs = directories::ProjectDirs::from("com", "Quipt", APP_DIR);
        let config_file = config_file.unwrap_or_else(|| match &dirs {
            Some(d) => d.config_dir().join("settings.toml"),
            None => PathBuf::from("quipt-shipstation.toml"),
        });
        let data_dir = data_dir.unwrap_or_else(|| match &dirs {
            Some(d) => d.data_dir().to_path_buf(),
            None => PathBuf::from("quipt-shipstation-data"),
        });
        Self {
            config_file,
            data_dir,
        }
    }

    /// The SQLite history.
    pub fn database(&self) -> PathBuf {
        self.data_dir.join("history.sqlite3")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example() -> Settings {
        Settings::parse(
            include_str!("../../../docs/settings.example.toml"),
            Path::new("docs/settings.example.toml"),
        )
        .expect("the documented example parses")
    }

    #[cfg(unix)]
    #[test]
    fn settings_an_older_version_left_open_to_others_are_closed_down_when_loaded_and_saved() {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let open = |p: &Path, m| std::fs::set_permissions(p, std::fs::Permissions::from_mode(m));
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("quipt-shipstation");
        let path = dir.join("settings.toml");
        std::fs::create_dir(&dir).unwrap();
        example().save(&path).unwrap();
        open(&dir, 0o755).unwrap();
        open(&path, 0o644).unwrap();

        Settings::load(&path).expect("the settings load");
        assert_eq!(mode(&path), 0o600, "loading closes the file to others");
        example().save(&path).expect("the settings save");
        assert_eq!(mode(&dir), 0o700, "saving closes the directory to others");
        assert_eq!(mode(&path), 0o600, "the saved file is the owner's alone");

        let home = root.path().join("home");
        let elsewhere = home.join("settings.toml");
        std::fs::create_dir(&home).unwrap();
        open(&home, 0o755).unwrap();
        example().save(&elsewhere).expect("the settings save");
        assert_eq!(
            mode(&home),
            0o755,
            "a --config file in a folder of the operator's leaves that folder as it was"
        );
        assert_eq!(
            mode(&elsewhere),
            0o600,
            "the file itself is the owner's alone"
        );
    }

    #[test]
    fn the_app_and_the_cli_saving_at_once_leave_one_whole_file_and_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config").join("settings.toml");
        let savers = 8;
        let rounds = 25;
        let start = std::sync::Barrier::new(savers);
        std::thread::scope(|scope| {
            for saver in 0..savers {
                let (path, start) = (&path, &start);
                scope.spawn(move || {
                    let mut settings = example();
                    start.wait();
                    for round in 0..rounds {
                        settings.schedule.interval_minutes = (saver * 100 + round + 1) as u32;
                        settings.save(path).expect("every save succeeds");
                    }
                });
            }
        });
        let saved = Settings::load(&path).expect("the file is whole and valid");
        let minutes = saved.schedule.interval_minutes as usize;
        assert!(
            minutes % 100 == rounds && minutes / 100 < savers,
            "the file is one saver's last save, not a mix: {minutes}"
        );
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["settings.toml"], "no temporary file is left behind");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&path), 0o600, "the settings are the owner's alone");
            assert_eq!(
                mode(path.parent().unwrap()),
                0o700,
                "and so is their directory"
            );
        }
    }
}
