//! Demo mode apart from real accounts (SPEC §4): the demo clicks through with Next alone, never
//! touches a real setup, and is left for real accounts. A second sandbox — the scene's — stands in
//! for the operator's real accounts; the demo runs its own inside the app.

use std::time::Instant;

use end_to_end::desktop::NotificationServer;
use end_to_end::{
    Accounts, App, DEADLINE, REAL_SHIPSTATION_KEYS, Scene, approve_as_api_user, keyring_entries,
    zip_entries,
};
use fantoccini::Locator;
use sandbox::demo_data;

/// The wizard's steps after the first, in the guide's order.
const STEPS_AFTER_THE_FIRST: [&str; 7] = [
    "shipstation_keys",
    "stores",
    "pending_orders",
    "carrier",
    "cancel_mode",
    "warehouses",
    "review",
];

/// The three counts of "Would create A, update B, hold C; …".
fn preview_counts(text: &str) -> [u64; 3] {
    let number_after = |word: &str| -> u64 {
        text.split(word)
            .nth(1)
            .and_then(|rest| rest.trim_start().split([',', ';']).next())
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or_else(|| panic!("no count after {word:?} in {text:?}"))
    };
    [
        number_after("create"),
        number_after("update"),
        number_after("hold"),
    ]
}

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_clicks_through_with_next_alone() {
    // Quipt answering in 100 ms, as over a network: the first sync's acknowledgements (one call
    // per order) then last seconds, so the dashboard shows the sync in progress before its end.
    let scene = Scene::new(0)
        .await
        .with_env("QUIPT_SHIPSTATION_DEMO_QUIPT_LATENCY_MS", "100");
    let app = App::launch_with(scene, Accounts::Nothing).await;
    app.click("#demo").await;
    app.find("#demo-banner").await;
    app.find("#step-body[data-step=quipt_api_user]").await;
    app.screenshot("demo-step-1").await;
    for step in STEPS_AFTER_THE_FIRST {
        app.click("#next").await;
        app.find(&format!("#step-body[data-step={step}]")).await;
    }
    let counts = app
        .text_until("#preview-counts", "the dry run's counts", |t| {
            t.contains("Would create")
        })
        .await;
    let [create, update, hold] = preview_counts(&counts);
    let more = match app.client.find(Locator::Css("#preview-more")).await {
        Ok(line) => line
            .text()
            .await
            .ok()
            .and_then(|t| t.split_whitespace().find_map(|w| w.parse::<u64>().ok()))
            .expect("a list cut short says how many more"),
        Err(_) => 0,
    };
    let listed = app.count("#preview-list tbody tr").await + more;
    assert!(create > 0, "the demo's first sync creates orders: {counts}");
    assert_eq!(
        create + update + hold,
        listed,
        "the dry run's counts ({counts}) equal the orders it lists ({listed})"
    );
    app.screenshot("demo-review").await;

    app.click("#finish").await;
    app.find("#sync-now").await;
    let progress = app
        .text_until("#dashboard", "the first sync in progress", |t| {
            t.contains("First sync in progress")
        })
        .await;
    app.screenshot("demo-first-sync-in-progress").await;
    let pushed = app
        .text_until("#pushed-today", "the first sync's counts", |t| {
            t.parse::<u64>().is_ok_and(|n| n > 0)
        })
        .await;
    assert!(
        app.is_shown("#demo-banner").await,
        "the dashboard says it shows demo data"
    );
    println!(
        "demo_pushed_today={pushed} ({})",
        progress.lines().next().unwrap_or("")
    );
    app.screenshot("demo-dashboard").await;

    // Support's bundle is of what the window shows: the demo's settings and history, the app's logs.
    app.click("#tab-support").await;
    app.click("#export-diagnostics").await;
    app.text_until("#diagnostics-result", "the export", |t| {
        t.starts_with("Saved")
    })
    .await;
    let entries = zip_entries(&app.dir.path().join("diagnostics.zip"));
    let entry = |name: &str| {
        entries
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, text)| text.as_str())
            .unwrap_or_else(|| panic!("{name} in the bundle"))
    };
    let manifest: serde_json::Value = serde_json::from_str(entry("manifest.json")).unwrap();
    assert!(
        manifest["paths"]["data_dir"]
            .as_str()
            .is_some_and(|d| d.ends_with("/demo")),
        "the bundle is of the demo's data, not the empty real setup: {}",
        manifest["paths"]
    );
    let history: serde_json::Value = serde_json::from_str(entry("history.json")).unwrap();
    assert!(
        history["runs"]
            .as_array()
            .is_some_and(|runs| !runs.is_empty()),
        "the demo's history, with its first run, is in the bundle (the real setup has none)"
    );
    assert!(
        entries
            .iter()
            .any(|(n, t)| n.starts_with("logs/") && t.contains("sync run 1 finished")),
        "the app's log, with the demo's first run, is in the bundle"
    );

    // Quit and started again, the finished demo resumes on a fresh sandbox (the history with it).
    let app = app.restart().await;
    app.find("#demo-banner").await;
    app.text_until("#pushed-today", "the resumed demo's first sync", |t| {
        t.parse::<u64>().is_ok_and(|n| n > 0)
    })
    .await;
    app.close().await;
}

/// What must stay byte for byte: the settings file, the history, the keyring entries.
#[derive(Debug, PartialEq)]
struct RealSetup {
    settings: Vec<u8>,
    history: Vec<u8>,
    keyring: Vec<(&'static str, Option<String>)>,
}

impl RealSetup {
    fn read(scene_dir: &std::path::Path) -> Self {
        Self {
            settings: std::fs::read(scene_dir.join("settings.toml")).expect("the settings file"),
            history: std::fs::read(scene_dir.join("data/history.sqlite3")).expect("the history"),
            keyring: keyring_entries(),
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn demo_mode_never_touches_real_accounts() {
    let scene = Scene::new(20).await;
    scene.seed_real_setup().await;
    // What an older version left behind after a demo, and what a demo finished beside a real
    // setup would have left (its own settings and history).
    std::fs::write(scene.data_dir().join("demo-sandbox"), b"demo\n").expect("the old marker");
    let left = scene.data_dir().join("demo");
    std::fs::create_dir_all(&left).expect("a demo directory");
    std::fs::write(left.join("settings.toml"), b"# a finished demo's\n").expect("its settings");
    let before = RealSetup::read(scene.dir.path());

    let app = App::launch_with(scene, Accounts::Nothing).await;
    app.find("#sync-now").await;
    assert!(
        !app.is_shown("#demo-banner").await,
        "a leftover demo marker does not turn a real setup into a demo"
    );
    app.click("#tab-settings").await;
    app.find("#settings-step #step-body[data-step=quipt_api_user]")
        .await;
    assert!(
        !app.is_shown("#demo").await,
        "Settings offers no demo: it opens at step 1 of the real accounts"
    );
    let refused = app
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             window.__TAURI_INTERNALS__.invoke('start_demo').then(
               () => done('started'), (e) => done(e.code + ': ' + e.message));",
            vec![],
        )
        .await
        .expect("the command answers");
    assert!(
        refused.as_str().is_some_and(|r| r.starts_with("app: ")),
        "the app itself refuses to start the demo over a real setup: {refused}"
    );
    app.screenshot("settings-offers-no-demo").await;
    let dir = app.dir.path().to_path_buf();
    let scene = app.close().await;

    assert!(
        RealSetup::read(&dir) == before,
        "the real settings file, keyring entries and history are byte for byte unchanged"
    );
    assert!(
        !scene.data_dir().join("demo").exists(),
        "no demo is resumed beside the real setup, and what one left is removed"
    );
}

/// The real account's ShipStation key pair, as a real setup has it.
const REAL_KEY: &str = REAL_SHIPSTATION_KEYS.0;
const REAL_SECRET: &str = REAL_SHIPSTATION_KEYS.1;

#[tokio::test(flavor = "multi_thread")]
async fn leaving_demo_sets_up_real_accounts() {
    // Quipt answering the demo in 100 ms, as in `the_demo_clicks_through_with_next_alone`: its
    // first sync lasts seconds, so Leave is pressed while it runs.
    let scene = Scene::new(20)
        .await
        .with_env("QUIPT_SHIPSTATION_DEMO_QUIPT_LATENCY_MS", "100");
    let notifications = NotificationServer::start(&scene).await;
    // The real account's keys are its own: were the demo's to reach it, ShipStation would refuse them.
    scene
        .sandbox
        .shipstation
        .set_api_keys(REAL_KEY, REAL_SECRET);
    let app = App::launch_with(scene, Accounts::Keyring).await;
    let demo_dir = app.dir.path().join("data/demo");
    app.click("#demo").await;
    app.find("#demo-banner").await;
    for step in STEPS_AFTER_THE_FIRST {
        app.click("#next").await;
        app.find(&format!("#step-body[data-step={step}]")).await;
    }
    app.text_until("#preview-counts", "the demo's dry run", |t| {
        t.contains("Would create")
    })
    .await;
    app.click("#finish").await;
    app.text_until("#dashboard", "the demo's first sync in progress", |t| {
        t.contains("First sync in progress")
    })
    .await;
    app.click("#leave-demo").await;
    let left = Instant::now();

    app.find("#step-body[data-step=quipt_api_user]").await;
    assert!(
        !app.is_shown("#demo-banner").await && !app.is_shown("#demo").await,
        "leaving opens the wizard's step 1 for real accounts, with no demo banner or offer"
    );
    assert!(
        !demo_dir.exists(),
        "leaving removed the demo's settings and history"
    );
    app.screenshot("left-demo-step-1").await;
    app.fill("#quipt-email", "acme-api@example.com").await;
    app.click("#quipt-authorize").await;
    let url = app
        .text_until("#authorize-url", "Quipt's authorization page", |t| {
            t.contains("oauth_token=")
        })
        .await;
    approve_as_api_user(&app.sandbox.quipt_url(), &url).await;
    app.text_until("#authorize-status", "the authorization", |t| {
        t.starts_with("Authorized")
    })
    .await;
    app.click("#next").await;
    app.find("#step-body[data-step=shipstation_keys]").await;
    app.fill("#ss-key", REAL_KEY).await;
    app.fill("#ss-secret", REAL_SECRET).await;
    app.click("#next").await;
    crate::review_from_stores(&app, true).await;

    // Had the demo's sync gone on after Leave (against its stopped sandbox), it would have ended by
    // now: at that latency it shows its counts within DEADLINE of Finish
    // (`the_demo_clicks_through_with_next_alone`).
    tokio::time::sleep_until((left + DEADLINE).into()).await;
    assert!(
        !demo_dir.exists(),
        "nothing of the demo wrote into its directory after Leave: it stays gone"
    );
    let notified = notifications.bodies();
    assert!(
        notified
            .iter()
            .all(|n| !n.contains("failing") && !n.contains("held")),
        "the operator setting up real accounts is told nothing of the demo's sync (no failure, no \
         held orders): {notified:?}"
    );
    let ended = app.log_lines("sync run 1 finished");
    assert!(
        ended.is_empty(),
        "the demo's sync in progress was abandoned by Leave, not left to fail against its stopped \
         sandbox: {ended:?}"
    );

    // What a demo that crashed would leave; the real Finish ends demo mode and removes it.
    std::fs::create_dir_all(&demo_dir).expect("the demo's directory");
    std::fs::write(demo_dir.join("settings.toml"), b"# a crashed demo's\n").expect("its settings");
    std::fs::write(demo_dir.join("history.sqlite3"), b"").expect("its history");
    app.click("#finish").await;
    app.find("#sync-now").await;
    assert!(
        !demo_dir.exists(),
        "the real Finish removed what a crashed demo left"
    );
    // The notifications above were looked for where they arrive: the real accounts' first sync
    // ends with one (its health, its held orders).
    let deadline = Instant::now() + DEADLINE;
    while notifications.bodies().len() == notified.len() {
        assert!(
            Instant::now() < deadline,
            "the real accounts' first sync notifies the desktop: {notified:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    println!("notified={:?}", notifications.bodies());

    let app = app.restart().await;
    app.find("#sync-now").await;
    assert!(
        !app.is_shown("#demo-banner").await,
        "after a restart the app shows the real accounts"
    );
    app.sync_now().await;
    let pushed = app
        .text_until("#pushed-today", "the real sync's counts", |t| {
            t.parse::<u64>().is_ok_and(|n| n > 0)
        })
        .await;
    assert_eq!(
        pushed.parse::<usize>().unwrap(),
        app.sandbox.shipstation.all_orders().len(),
        "the real accounts' ShipStation holds exactly what the app pushed, nothing of the demo"
    );
    app.screenshot("real-accounts-after-demo").await;
    let keyring = keyring_entries();
    let with_demo_values: Vec<&str> = keyring
        .iter()
        .filter(|(_, v)| {
            v.as_deref()
                .is_some_and(|v| demo_data::CREDENTIALS.contains(&v))
        })
        .map(|(name, _)| *name)
        .collect();
    assert!(
        with_demo_values.is_empty(),
        "no keyring entry holds a demo credential: {with_demo_values:?}"
    );
    let value = |name: &str| {
        keyring
            .iter()
            .find(|(n, _)| *n == name)
            .and_then(|(_, v)| v.clone())
    };
    assert!(
        value("QUIPT_ACCESS_TOKEN").is_some() && value("QUIPT_ACCESS_TOKEN_SECRET").is_some(),
        "the keyring holds the token Quipt issued for the real API user"
    );
    assert_eq!(
        (
            value("SHIPSTATION_API_KEY").as_deref(),
            value("SHIPSTATION_API_SECRET").as_deref()
        ),
        (Some(REAL_KEY), Some(REAL_SECRET)),
        "the keyring holds the ShipStation pair typed for the real account, not the demo's"
    );
    assert_eq!(
        (value("QUIPT_CONSUMER_KEY"), value("QUIPT_CONSUMER_SECRET")),
        (None, None),
        "the demo's consumer never reached the keyring"
    );
    app.close().await;
}
