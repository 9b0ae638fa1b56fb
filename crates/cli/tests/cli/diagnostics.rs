//! `quipt-shipstation diagnostics`: after a real sync, the bundle holds the logs the CLI wrote, the
//! settings, the history and a manifest, and none of the credentials the process was given, even
//! where they were planted: the environment, a settings comment and an unknown key, an older log
//! file, and a message in the history.

use std::collections::BTreeMap;
use std::io::Read;

use chrono::Utc;
use sandbox::demo_data;
use serde_json::Value;

use crate::support::{Cli, default_settings, text};

/// Every entry of the archive, by name, as text.
fn unzip(path: &std::path::Path) -> BTreeMap<String, String> {
    let file = std::fs::File::open(path).expect("the printed archive exists");
    let mut zip = zip::ZipArchive::new(file).expect("the archive is a valid zip");
    let mut entries = BTreeMap::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let mut body = String::new();
        entry
            .read_to_string(&mut body)
            .expect("every entry is text");
        let name = entry.name().expect("entry names are UTF-8").into_owned();
        entries.insert(name, body);
    }
    entries
}

#[tokio::test]
async fn the_diagnostics_bundle_has_logs_settings_and_history_and_no_credential_of_the_process() {
    let cli = Cli::start(40).await;
    let sync = cli.run(&["sync"]).await;
    assert_eq!(
        sync.status.code(),
        Some(2),
        "the demo account leaves held orders to look at: {}",
        text(&sync.stderr)
    );

    // Every credential the child gets in its environment, and ShipStation's Basic authorization
    // header as an HTTP trace would show it.
    let secrets: Vec<&str> = demo_data::CREDENTIALS
        .into_iter()
        .chain([
            demo_data::QUIPT_API_USER_PASSWORD,
            "ZGVtby1rZXk6ZGVtby1zZWNyZXQ=",
        ])
        .collect();
    let leak = secrets.join(" ");
    let pasted = "pasted-by-hand-7f3a";

    cli.write_settings(&format!(
        "# the keys, in case: {leak}\nshipstation_api_secret = \"{pasted}\"\n{}",
        default_settings()
    ));
    let log_dir = cli.data_dir().join("logs");
    std::fs::write(
        log_dir.join("quipt-shipstation.2020-01-01.log"),
        format!("2020-01-01T00:00:00Z DEBUG an older version traced: Authorization: {leak}\n"),
    )
    .expect("the CLI created its log directory during the sync");
    let held = {
        let db = connector::store::open(&cli.data_dir().join("history.sqlite3")).unwrap();
        let held = connector::store::orders::list(
            &db,
            &connector::store::orders::OrderFilter {
                attention: true,
                ..Default::default()
            },
        )
        .unwrap()
        .into_iter()
        .next()
        .expect("the sync held an order");
        connector::store::timeline::append(
            &db,
            &held.quipt_id,
            None,
            connector::TimelineKind::Note,
            &format!("operator pasted {leak}"),
            Utc::now(),
        )
        .unwrap();
        held
    };

    let out = cli.dir.path().join("support").join("bundle.zip");
    let mut cmd = cli.command(&["diagnostics", "--output", out.to_str().unwrap()]);
    cmd.env(
        "QUIPT_API_USER_PASSWORD",
        demo_data::QUIPT_API_USER_PASSWORD,
    );
    let run = tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(0),
        "diagnostics succeeds: {}",
        text(&run.stderr)
    );
    assert_eq!(
        text(&run.stdout).trim(),
        out.display().to_string(),
        "stdout is the archive's path and nothing else"
    );

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
                .is_some_and(|body| !body.trim().is_empty()),
            "{name} is in the bundle and not empty; entries: {:?}",
            entries.keys()
        );
    }
    let sync_log = entries
        .iter()
        .find(|(name, _)| name.starts_with("logs/") && !name.contains("2020-01-01"))
        .map(|(_, body)| body)
        .unwrap_or_else(|| {
            panic!(
                "the sync's own log file is in the bundle: {:?}",
                entries.keys()
            )
        });
    assert!(!sync_log.trim().is_empty(), "the sync wrote log lines");

    for (name, body) in &entries {
        for secret in secrets.iter().chain([&pasted]) {
            assert!(!body.contains(secret), "{name} leaks {secret}:\n{body}");
        }
    }

    let history: Value = serde_json::from_str(&entries["history.json"]).unwrap();
    assert!(
        history["counts_by_state"]["held"].as_u64().unwrap_or(0) >= 1,
        "counts by state: {}",
        history["counts_by_state"]
    );
    assert_eq!(
        history["runs"][0]["outcome"], "attention",
        "the sync is the latest run"
    );
    let planted = history["attention"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["order"]["quipt_id"] == held.quipt_id.as_str())
        .expect("the held order is among those needing attention");
    assert!(
        planted["timeline"]
            .to_string()
            .contains("operator pasted <redacted>"),
        "its timeline is there, redacted: {}",
        planted["timeline"]
    );

    let manifest: Value = serde_json::from_str(&entries["manifest.json"]).unwrap();
    assert_eq!(manifest["version"], env!("CARGO_PKG_VERSION"));
    assert!(manifest["schema_version"]["database"].as_u64().unwrap() >= 1);
    assert!(
        manifest["problems"].to_string().contains("unknown field"),
        "the manifest says why the settings do not load: {}",
        manifest["problems"]
    );
}

#[tokio::test]
async fn without_output_the_bundle_is_written_to_the_current_directory() {
    let cli = Cli::start(0).await;
    let cwd = cli.dir.path().join("cwd");
    std::fs::create_dir_all(&cwd).unwrap();
    let mut cmd = cli.command(&["diagnostics"]);
    cmd.current_dir(&cwd);
    let run = tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap();
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let printed = text(&run.stdout).trim().to_string();
    assert!(
        printed.starts_with("quipt-shipstation-diagnostics-") && printed.ends_with(".zip"),
        "a dated name is printed: {printed}"
    );
    assert!(
        cwd.join(&printed).is_file(),
        "the archive is in the current directory"
    );
    assert!(
        text(&run.stderr).contains("no history database"),
        "what is missing is said on stderr: {}",
        text(&run.stderr)
    );
}
