//! Journeys through the real app: the wizard in each store mode, its errors, Sync now, History and
//! the CSV export, the schedule saved from Settings, the Logs view and Export diagnostics; demo
//! mode (`demo.rs`), Settings step by step (`settings.rs`), Quipt's authorization both ways
//! (`authorize.rs`), the accessibility scan and local times of every screen (`glance.rs`), and the
//! installed app's window size and update notice (`installed.rs`). See the crate doc for how to
//! run them.

mod authorize;
mod demo;
mod glance;
mod installed;
mod settings;

use std::time::Duration;

use end_to_end::{App, zip_entries};
use sandbox::demo_data;
use sandbox::shipstation::LabelRequest;

/// Clicks through the eight steps with the sandbox's accounts; `single_store` picks step 3's mode.
async fn finish_wizard(app: &App, single_store: bool) {
    app.click("#start").await;
    app.fill("#quipt-email", "acme-api@example.com").await;
    app.click("#next").await;
    // The environment's key pair is the stored one: Next checks it without retyping.
    app.find("#step-body[data-step=shipstation_keys]").await;
    app.find("#ss-stored-key").await;
    app.click("#next").await;
    finish_from_stores(app, single_store).await;
}

/// Steps 3 to 8 with the sandbox's accounts ([`review_from_stores`]), then Finish.
pub(crate) async fn finish_from_stores(app: &App, single_store: bool) {
    review_from_stores(app, single_store).await;
    app.click("#finish").await;
    app.find("#sync-now").await;
}

/// Steps 3 to 7 with the sandbox's accounts (the store(s), the defaults of steps 4 to 6, both
/// matched warehouses), then step 8's review once its dry run has counted.
pub(crate) async fn review_from_stores(app: &App, single_store: bool) {
    app.find("#step-body[data-step=stores]").await;
    if single_store {
        app.select("#store-select", "10000").await;
    } else {
        app.click("#single-no").await;
        app.select("#channel-store-AMZ", "10001").await;
        app.select("#channel-store-EBAY", "10002").await;
        app.select("#channel-store-SHOP", "10003").await;
    }
    app.click("#next").await;
    app.find("#step-body[data-step=pending_orders]").await;
    app.click("#next").await;
    app.find("#step-body[data-step=carrier]").await;
    app.click("#next").await;
    app.find("#step-body[data-step=cancel_mode]").await;
    app.click("#next").await;
    app.find("#step-body[data-step=warehouses]").await;
    app.click("#wh-98765").await;
    app.click("#wh-98766").await;
    app.click("#next").await;
    app.find("#step-body[data-step=review]").await;
    app.text_until("#preview-counts", "the dry run's counts", |t| {
        t.contains("Would create")
    })
    .await;
}

fn settings_text(app: &App) -> String {
    std::fs::read_to_string(app.dir.path().join("settings.toml"))
        .expect("Finish writes the settings file")
}

#[tokio::test(flavor = "multi_thread")]
async fn the_wizard_finishes_in_single_store_mode_and_sync_now_shows_progress_then_counts() {
    let app = App::launch(60).await;
    app.find("#start").await;
    let interactive = app.launched.elapsed();
    println!("app_interactive_ms={}", interactive.as_millis());
    app.screenshot("wizard-welcome").await;

    finish_wizard(&app, true).await;
    let settings = settings_text(&app);
    assert!(
        settings.contains("single_store = true"),
        "single store saved: {settings}"
    );
    assert!(
        settings.contains("default_store_id = 10000"),
        "the chosen store saved: {settings}"
    );

    app.sandbox
        .shipstation
        .set_latency(Duration::from_millis(40));
    let message = app.sync_now().await;
    let events: u64 = app
        .find("#progress")
        .await
        .attr("data-events")
        .await
        .expect("attribute")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let shown = app.text("#progress-text").await;
    assert!(
        events > 0,
        "progress events must reach the dashboard during the run (progress text {shown:?}, result {message:?})"
    );
    let pushed = app
        .text_until("#pushed-today", "a pushed count", |t| {
            t.parse::<u64>().is_ok_and(|n| n > 0)
        })
        .await;
    println!("sync_message={message:?} pushed_today={pushed} progress_events={events}");
    let in_shipstation = app.sandbox.shipstation.all_orders().len();
    assert_eq!(
        pushed.parse::<usize>().unwrap(),
        in_shipstation,
        "the dashboard's pushed count must equal the orders ShipStation holds"
    );
    app.screenshot("dashboard-after-sync").await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_wizard_finishes_with_one_store_per_channel() {
    let app = App::launch(20).await;
    finish_wizard(&app, false).await;
    let settings = settings_text(&app);
    assert!(
        settings.contains("single_store = false"),
        "per-channel mode saved: {settings}"
    );
    for (channel, store) in [("Amazon", "10001"), ("eBay", "10002"), ("Shopify", "10003")] {
        assert!(
            settings.contains(&format!("{channel} = {store}"))
                || settings.contains(&format!("\"{channel}\" = {store}")),
            "{channel} must go to store {store}: {settings}"
        );
    }
    app.screenshot("dashboard-per-channel").await;

    app.click("#tab-settings").await;
    app.fill("#interval", "30").await;
    app.click("#pause").await;
    app.click("#save-schedule").await;
    app.text_until("#settings-status", "the schedule saved", |t| {
        t.starts_with("Saved")
    })
    .await;
    let settings = settings_text(&app);
    assert!(
        settings.contains("interval_minutes = 30") && settings.contains("paused = true"),
        "Apply keeps the schedule in the settings file, for the next start: {settings}"
    );
    app.click("#tab-dashboard").await;
    app.text_until("#next-run", "the paused schedule", |t| t == "paused")
        .await;
    app.close().await;
}

/// The key pair typed on step 2 is gone from the window once checked: it lives in the keyring only.
async fn assert_typed_keys_forgotten(app: &App, when: &str) {
    for input in ["#ss-key", "#ss-secret"] {
        assert_eq!(
            app.value(input).await,
            "",
            "{when}, {input} no longer holds what was typed: the keys are not kept in the window"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_key_an_unknown_store_and_an_unmatched_warehouse_are_named_with_what_to_fix() {
    let app = App::launch(10).await;
    app.click("#start").await;
    app.click("#next").await;
    app.find("#step-body[data-step=shipstation_keys]").await;
    app.click("#change-credentials").await;
    app.fill("#ss-key", "wrong-key").await;
    app.fill("#ss-secret", "wrong-secret").await;
    app.click("#next").await;
    let error = app
        .text_until("#step-error", "the refused key", |t| t.contains("refused"))
        .await;
    assert!(
        error.contains("API Settings"),
        "the error says where to find the keys: {error}"
    );
    app.screenshot("wizard-wrong-key").await;
    assert!(
        app.client
            .find(fantoccini::Locator::Css(
                "#step-body[data-step=shipstation_keys]"
            ))
            .await
            .is_ok(),
        "a refused key keeps the user on step 2"
    );
    assert_typed_keys_forgotten(&app, "after the check").await;
    app.click("#back").await;
    app.find("#step-body[data-step=quipt_api_user]").await;
    app.click("#next").await;
    app.find("#step-body[data-step=shipstation_keys]").await;
    assert_typed_keys_forgotten(&app, "back on step 2").await;
    app.click("#change-credentials").await;

    app.fill("#ss-key", "demo-key").await;
    app.fill("#ss-secret", "demo-secret").await;
    app.click("#next").await;
    app.find("#step-body[data-step=stores]").await;
    app.fill("#store-id", "424242").await;
    app.click("#next").await;
    let error = app
        .text_until("#step-error", "the unknown store", |t| t.contains("424242"))
        .await;
    assert!(
        error.contains("does not exist in ShipStation"),
        "a typed Store ID the account lacks is named: {error}"
    );
    app.find("#step-body[data-step=stores]").await;
    app.select("#store-select", "10000").await;
    for step in ["pending_orders", "carrier", "cancel_mode", "warehouses"] {
        app.click("#next").await;
        app.find(&format!("#step-body[data-step={step}]")).await;
    }
    app.click("#wh-98765").await;
    app.click("#wh-55555").await;
    app.click("#next").await;
    let error = app
        .text_until("#step-error", "the unmatched warehouse", |t| {
            t.contains("55555")
        })
        .await;
    assert!(
        error.contains("equals no ShipStation warehouse"),
        "the error names the rule: {error}"
    );
    app.screenshot("wizard-unmatched-warehouse").await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_order_is_found_by_its_tracking_number_and_the_csv_export_has_every_row() {
    let app = App::launch(15).await;
    finish_wizard(&app, true).await;
    app.sync_now().await;

    let order = app
        .sandbox
        .shipstation
        .all_orders()
        .into_iter()
        .find(|o| o.order_status == "awaiting_shipment")
        .expect("a pushed order awaiting shipment");
    app.sandbox
        .shipstation
        .create_label(
            order.order_id,
            LabelRequest {
                tracking_number: "1ZE2E0000000001".into(),
                ..Default::default()
            },
        )
        .expect("a label");
    app.sync_now().await;

    app.click("#tab-history").await;
    app.fill("#search", "1ZE2E0000000001").await;
    app.click("#search-go").await;
    let title = app
        .text_until("#order-detail h3", "the order", |t| {
            t.contains(&order.order_number)
        })
        .await;
    assert!(
        title.contains("Shipped"),
        "the found order shows as shipped: {title}"
    );
    app.screenshot("history-tracking-search").await;

    app.click("#export-csv").await;
    let saved = app
        .text_until("#export-result", "the export", |t| t.starts_with("Saved"))
        .await;
    app.find("#show-export").await;
    let csv = std::fs::read_to_string(app.dir.path().join("export.csv")).expect("the CSV file");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "order_number,quipt_id,state,reason,shipstation_order_id,channel,warehouse,updated_at"
    );
    let rows = lines.len() - 1;
    assert!(
        saved.contains(&format!("Saved {rows} orders")),
        "the UI's count matches the file: {saved}"
    );
    assert!(
        rows >= app.sandbox.shipstation.all_orders().len(),
        "every pushed order is exported ({rows} rows)"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with(&format!("{},", order.order_number)) && l.contains(",shipped,")),
        "the shipped order is a row of the CSV"
    );
    app.screenshot("history-after-export").await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_logs_show_the_run_and_the_diagnostics_bundle_carries_them_without_a_secret() {
    let app = App::launch(20).await;
    finish_wizard(&app, true).await;
    app.sync_now().await;

    app.click("#tab-support").await;
    app.text_until("#log-lines", "the run's closing line", |t| {
        t.contains("sync run 1 finished")
    })
    .await;
    app.select("#log-level", "warn").await;
    let warnings = app
        .text_until("#log-lines", "the held orders, and only warnings", |t| {
            t.contains("order held") && !t.contains("sync run started")
        })
        .await;
    let held = sandbox::quipt::MALFORMED_NUMBERS
        .iter()
        .find(|n| warnings.contains(*n))
        .unwrap_or_else(|| {
            panic!("a malformed demo order is named among the warnings: {warnings}")
        });
    app.screenshot("logs-warnings").await;

    app.click("#export-diagnostics").await;
    let saved = app
        .text_until("#diagnostics-result", "the export", |t| {
            t.starts_with("Saved")
        })
        .await;
    app.find("#show-diagnostics").await;
    let entries = zip_entries(&app.dir.path().join("diagnostics.zip"));
    assert!(
        saved.contains(&format!("Saved {} files", entries.len())),
        "the UI counts the archive's files: {saved}"
    );
    let names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
    for expected in ["manifest.json", "settings.toml", "history.json"] {
        assert!(names.contains(&expected), "{expected} in {names:?}");
    }
    let log = entries
        .iter()
        .find(|(n, _)| n.starts_with("logs/quipt-shipstation."))
        .map(|(_, t)| t)
        .unwrap_or_else(|| panic!("the app's log file in {names:?}"));
    assert!(
        log.contains("order held") && log.contains(held),
        "the held order the Logs view showed ({held}) is in the bundled log"
    );
    for (name, text) in &entries {
        for secret in demo_data::CREDENTIALS {
            assert!(!text.contains(secret), "{name} carries a credential");
        }
    }
    app.screenshot("diagnostics-exported").await;
    app.close().await;
}
