//! The support bundle: what support needs is in it, and no credential is, even when one was planted
//! where it could leak from (a log line written through the logger, an older log file, a settings
//! comment, a message in the history).

use std::collections::BTreeMap;
use std::io::Read;

use chrono::Utc;
use connector::credentials::{self, CredentialName, Secret};
use connector::{diagnostics, logging, store};
use sandbox::demo_data;
use serde_json::{Value, json};

use crate::support::World;

/// Puts demo values in the real keyring for the test and puts back what was there before, even
/// when the test fails. `ShipStationApiSecret` is left alone: the keyring round-trip test uses it.
struct KeyringPlant {
    previous: Vec<(CredentialName, Option<String>)>,
}

impl KeyringPlant {
    fn new(values: &[(CredentialName, &str)]) -> Self {
        let mut previous = Vec::new();
        for (name, value) in values {
            let before = credentials::read(*name)
                .expect("the keyring is readable (CI runs in a D-Bus session with gnome-keyring)")
                .map(|s| s.expose_secret().to_string());
            previous.push((*name, before));
            credentials::store(*name, &Secret::new(*value)).expect("the keyring stores the value");
        }
        Self { previous }
    }
}

impl Drop for KeyringPlant {
    fn drop(&mut self) {
        for (name, before) in &self.previous {
            let _ = match before {
                Some(value) => credentials::store(*name, &Secret::new(value.as_str())),
                None => credentials::delete(*name),
            };
        }
    }
}

/// Every entry of the archive, by name, as text.
fn unzip(path: &std::path::Path) -> BTreeMap<String, String> {
    let file = std::fs::File::open(path).expect("the archive exists");
    let mut zip = zip::ZipArchive::new(file).expect("the archive is a valid zip");
    let mut entries = BTreeMap::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let mut text = String::new();
        entry
            .read_to_string(&mut text)
            .expect("every entry is text");
        let name = entry.name().expect("entry names are UTF-8").into_owned();
        entries.insert(name, text);
    }
    entries
}

#[tokio::test]
async fn the_bundle_holds_history_settings_and_logs_and_not_one_planted_credential() {
    // The credentials this process knows: the shipped demo consumer (no environment variable is
    // set) and three planted in the OS keyring.
    let _plant = KeyringPlant::new(&[
        (
            CredentialName::QuiptAccessToken,
            demo_data::QUIPT_ACCESS_TOKEN,
        ),
        (
            CredentialName::QuiptAccessTokenSecret,
            demo_data::QUIPT_ACCESS_TOKEN_SECRET,
        ),
        (
            CredentialName::ShipStationApiKey,
            demo_data::SHIPSTATION_API_KEY,
        ),
    ]);
    let planted = [
        demo_data::QUIPT_CONSUMER_KEY,
        demo_data::QUIPT_CONSUMER_SECRET,
        demo_data::QUIPT_ACCESS_TOKEN,
        demo_data::QUIPT_ACCESS_TOKEN_SECRET,
        demo_data::SHIPSTATION_API_KEY,
    ];
    let leak = planted.join(" ");

    let world = World::new(0).await;
    let paths = world.paths();
    world.add_order("Q-DIAG-NOADDR", json!({"ShipTo": null}));
    world.add_order("Q-DIAG-GOOD", json!({}));

    // A log line through the logger, and an older file as a careless version could have left it.
    let log_dir = logging::log_dir(&paths);
    let guard = logging::init(&log_dir, "info").expect("file logging starts");
    world.sync().await;
    tracing::warn!("diagnostics-test line: signing with {leak}");
    drop(guard);
    std::fs::write(
        log_dir.join("quipt-shipstation.2020-01-01.log"),
        format!("2020-01-01T00:00:00Z DEBUG old version: Authorization for {leak}\n"),
    )
    .unwrap();

    // A settings comment the operator pasted.
    world.settings.save(&paths.config_file).unwrap();
    let mut settings = std::fs::read_to_string(&paths.config_file).unwrap();
    settings.push_str(&format!("# keys for later: {leak}\n"));
    std::fs::write(&paths.config_file, settings).unwrap();

    // A message in the history, on the held order, as a version that did not redact the history
    // on its way in wrote it.
    let held = world.order("Q-DIAG-NOADDR").order;
    assert_eq!(
        held.state.as_str(),
        "held",
        "the order without an address is held"
    );
    {
        let db = store::open(&paths.database()).unwrap();
        db.execute(
            "INSERT INTO events(quipt_id, run_id, at, kind, message) VALUES (?1, NULL, ?2, 'note', ?3)",
            rusqlite::params![
                held.quipt_id,
                store::ts(Utc::now()),
                format!("operator pasted {leak}")
            ],
        )
        .unwrap();
    }

    let out = world.dir.path().join("support").join("bundle.zip");
    let report = diagnostics::export(&paths, &connector::logging::log_dir(&paths), &out)
        .expect("the bundle is written");
    assert_eq!(report.archive, out);
    let entries = unzip(&out);

    for name in [
        "manifest.json",
        "settings.toml",
        "history.json",
        "logs/quipt-shipstation.2020-01-01.log",
    ] {
        assert!(
            entries
                .get(name)
                .is_some_and(|text| !text.trim().is_empty()),
            "{name} is in the bundle and not empty; entries: {:?}",
            entries.keys()
        );
    }
    let today = format!(
        "logs/quipt-shipstation.{}.log",
        Utc::now().format("%Y-%m-%d")
    );
    let todays_log = entries
        .get(&today)
        .unwrap_or_else(|| panic!("today's log {today} is in the bundle: {:?}", entries.keys()));
    assert!(
        todays_log.contains("diagnostics-test line: signing with <redacted>"),
        "the line written through the logger is there, redacted:\n{todays_log}"
    );

    for (name, text) in &entries {
        for secret in planted {
            assert!(
                !text.contains(secret),
                "{name} leaks the credential {secret}:\n{text}"
            );
        }
    }
    // Replaced while bundling: the older log file's and the history message's. The logger's line
    // was redacted as it was written (the keyring values were known from the moment they were
    // stored), and the settings comment is dropped with every comment.
    assert!(
        report.secrets_replaced >= planted.len() * 2,
        "the planted values were found and replaced ({} replacements)",
        report.secrets_replaced
    );

    let history: Value = serde_json::from_str(&entries["history.json"]).unwrap();
    assert_eq!(
        history["counts_by_state"]["held"], 1,
        "counts by state: {}",
        history["counts_by_state"]
    );
    assert_eq!(
        history["runs"].as_array().map(Vec::len),
        Some(1),
        "the one run is listed"
    );
    assert!(
        history["runs"][0]["summary"].is_object(),
        "the run keeps its summary"
    );
    let attention = &history["attention"][0];
    assert_eq!(attention["order"]["order_number"], "Q-DIAG-NOADDR");
    let timeline = attention["timeline"].to_string();
    assert!(
        timeline.contains("operator pasted <redacted>"),
        "the held order's timeline is there, redacted: {timeline}"
    );

    let manifest: Value = serde_json::from_str(&entries["manifest.json"]).unwrap();
    assert_eq!(manifest["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(manifest["schema_version"]["build"], store::SCHEMA_VERSION);
    assert_eq!(
        manifest["schema_version"]["database"],
        store::SCHEMA_VERSION
    );
    assert_eq!(manifest["os"]["os"], std::env::consts::OS);
    assert!(manifest["created_at"].is_string());
    assert!(
        !entries.keys().any(|n| n.ends_with(".sqlite3")),
        "the raw database is never copied"
    );
}

#[test]
fn a_fresh_installation_still_gets_a_bundle_that_says_what_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let paths = connector::Paths {
        config_file: dir.path().join("settings.toml"),
        data_dir: dir.path().join("data"),
    };
    let out = dir.path().join("bundle.zip");
    let report = diagnostics::export(&paths, &connector::logging::log_dir(&paths), &out)
        .expect("a bundle is written anyway");
    let entries = unzip(&out);
    assert_eq!(
        entries.keys().collect::<Vec<_>>(),
        ["manifest.json"],
        "only the manifest exists"
    );
    let problems = report.problems.join("\n");
    for missing in ["settings file", "no history database", "no log files"] {
        assert!(
            problems.contains(missing),
            "the manifest says `{missing}`:\n{problems}"
        );
    }
    assert!(
        !paths.database().exists(),
        "making a bundle does not create a database"
    );
}
