//! A UI that reads at a glance and works with a keyboard and a screen reader (issue 18): every
//! screen scanned by axe-core in the light and the dark scheme, the keyboard alone, a sync that
//! leaves the focus where it was, the window's errors in the log; and every time shown in the
//! operator's own time zone, "today" by their own day.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use connector::clock::ManualClock;
use end_to_end::{Accounts, App, Scene};

/// What axe-core found on each screen, by `<scheme>-<screen>`.
type Found = Vec<(String, Vec<String>)>;

/// Scans the window (axe-core) and keeps what it found under `screen`; saves the screen too, as
/// `a11y-<scheme>-<screen>.png`.
async fn scan(app: &App, screen: &str, found: &mut Found) {
    let scheme = if app.is_dark().await { "dark" } else { "light" };
    let screen = format!("{scheme}-{screen}");
    app.screenshot(&format!("a11y-{screen}")).await;
    let violations = app.accessibility_violations().await;
    found.push((screen, violations));
}

#[tokio::test(flavor = "multi_thread")]
async fn every_screen_passes_an_accessibility_scan() {
    let mut found = Found::new();
    for dark in [false, true] {
        scan_every_screen(dark, &mut found).await;
    }
    let failing: Vec<_> = found.iter().filter(|(_, v)| !v.is_empty()).collect();
    assert_eq!(found.len(), 32, "every screen was scanned, light and dark");
    assert!(
        failing.is_empty(),
        "no screen may have a serious or critical accessibility violation (a keyboard or \
         screen-reader user would be stuck there, or could not read it): {failing:#?}"
    );
}

/// The welcome screen, each wizard step, the dashboard during and after a sync, History with an
/// order open, Settings and Logs, with the system's dark scheme (GTK's) or its light one.
async fn scan_every_screen(dark: bool, found: &mut Found) {
    let mut scene = Scene::new(30).await;
    if dark {
        scene = scene.with_env("GTK_THEME", "Adwaita:dark");
    }
    let app = App::launch_with(scene, Accounts::Environment).await;
    app.find("#start").await;
    scan(&app, "welcome", found).await;

    app.click("#start").await;
    app.find("#step-body[data-step=quipt_api_user]").await;
    scan(&app, "step-quipt-api-user", found).await;
    app.fill("#quipt-email", "acme-api@example.com").await;
    app.click("#next").await;
    app.find("#ss-stored-key").await;
    scan(&app, "step-shipstation-keys", found).await;
    app.click("#next").await;
    app.find("#step-body[data-step=stores]").await;
    app.select("#store-select", "10000").await;
    scan(&app, "step-stores", found).await;
    for step in ["pending_orders", "carrier", "cancel_mode", "warehouses"] {
        app.click("#next").await;
        app.find(&format!("#step-body[data-step={step}]")).await;
        scan(&app, &format!("step-{step}"), found).await;
    }
    app.click("#wh-98765").await;
    app.click("#wh-98766").await;
    app.click("#next").await;
    app.text_until("#preview-counts", "the dry run's counts", |t| {
        t.contains("Would create")
    })
    .await;
    scan(&app, "step-review", found).await;
    app.click("#finish").await;

    // Slow answers keep the run going while the dashboard is scanned.
    app.sandbox
        .shipstation
        .set_latency(Duration::from_millis(400));
    app.click("#sync-now").await;
    app.text_until("#progress-text", "a run in progress", |t| {
        !t.is_empty() && !t.starts_with("Finished")
    })
    .await;
    scan(&app, "dashboard-during-sync", found).await;
    let still = app.text("#progress-text").await;
    assert!(
        !still.is_empty() && !still.starts_with("Finished"),
        "the scan saw the dashboard of a run in progress: {still:?}"
    );
    app.sandbox.shipstation.set_latency(Duration::ZERO);
    app.text_until("#sync-message", "the run's result", |t| {
        t.starts_with("Last run:")
    })
    .await;
    scan(&app, "dashboard-after-sync", found).await;

    let order = app.sandbox.shipstation.all_orders()[0].order_number.clone();
    app.click("#tab-history").await;
    app.fill("#search", &order).await;
    app.click("#search-go").await;
    app.text_until("#order-detail h3", "the order", |t| t.contains(&order))
        .await;
    scan(&app, "history-order-open", found).await;

    app.click("#tab-settings").await;
    app.find("#settings-step #step-body").await;
    scan(&app, "settings", found).await;
    // Settings' own controls: the stored key masked with Change Credentials, and hard cancel
    // refused until confirmed.
    app.click("#settings-step-shipstation_keys").await;
    app.find("#change-credentials").await;
    scan(&app, "settings-stored-key", found).await;
    app.click("#settings-step-cancel_mode").await;
    app.click("#cancel-hard").await;
    app.click("#save-step").await;
    app.text_until("#step-error", "the hard-cancel confirmation", |t| {
        t.contains("confirmation")
    })
    .await;
    scan(&app, "settings-hard-cancel-refused", found).await;

    // An error in the window nobody handles (a rejected promise) reaches the log files.
    app.client
        .execute(
            "Promise.reject(new Error('e2e probe: a promise nobody handled'))",
            vec![],
        )
        .await
        .expect("the script runs");
    app.click("#tab-support").await;
    app.text_until(
        "#log-lines",
        "the run's closing line and the window's error",
        |t| t.contains("finished") && t.contains("e2e probe: a promise nobody handled"),
    )
    .await;
    scan(&app, "logs", found).await;
    // The notification plugin's page script asks at every load whether the window may notify; a
    // refused question is an error in the log of every launch and leaves the answer "default".
    let permission = app
        .client
        .execute("return window.Notification.permission", vec![])
        .await
        .expect("the script runs");
    assert_ne!(
        permission.as_str(),
        Some("default"),
        "the window learnt whether it may notify"
    );
    let window_errors = app.log_lines("error in the window");
    assert!(
        window_errors.iter().all(|line| line.contains("e2e probe")),
        "the window reports no error of its own while an operator goes through every screen: {window_errors:#?}"
    );
    if !dark {
        keyboard_and_a_sync_in_place(&app, &order).await;
    }
    app.close().await;
    assert_eq!(
        found
            .iter()
            .filter(|(screen, _)| screen.starts_with(if dark { "dark" } else { "light" }))
            .count(),
        16,
        "the window follows the system's scheme on every screen"
    );
}

/// WebDriver's codes for keys that type no character.
const RIGHT: &str = "\u{E014}";
const LEFT: &str = "\u{E012}";
const ESCAPE: &str = "\u{E00C}";
const ENTER: &str = "\u{E007}";
const CONTROL_F: &str = "\u{E009}f\u{E000}";

/// The id of the element holding the focus.
async fn focused(app: &App) -> String {
    app.client
        .execute("return document.activeElement?.id ?? ''", vec![])
        .await
        .ok()
        .and_then(|id| id.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Keys alone, from the Logs view: the arrow keys move along the tablist, `?` opens the shortcuts
/// and Esc closes them, Ctrl+F goes to History's search, where Enter finds `order`; then a run
/// reported by the engine updates History in place: the focused row keeps its focus.
async fn keyboard_and_a_sync_in_place(app: &App, order: &str) {
    let tab = app.find("#tab-support").await;
    tab.send_keys(LEFT).await.expect("a key");
    app.find("#settings-step").await;
    assert_eq!(
        focused(app).await,
        "tab-settings",
        "← moves to the Settings tab and shows it"
    );
    let tab = app.find("#tab-settings").await;
    tab.send_keys(RIGHT).await.expect("a key");
    app.find("#log-lines").await;
    assert_eq!(focused(app).await, "tab-support", "→ moves back to Logs");

    let tab = app.find("#tab-support").await;
    tab.send_keys("?").await.expect("a key");
    app.find("#shortcuts-help[open]").await;
    app.screenshot("keyboard-shortcuts-help").await;
    app.find("#close-help")
        .await
        .send_keys(ESCAPE)
        .await
        .expect("a key");
    assert!(
        !app.is_shown("#shortcuts-help[open]").await,
        "Esc closes the list of shortcuts"
    );

    app.find("#tab-support")
        .await
        .send_keys(CONTROL_F)
        .await
        .expect("a key");
    app.find("#history #search").await;
    assert_eq!(
        focused(app).await,
        "search",
        "Ctrl+F puts the focus in History's search box"
    );
    app.find("#search")
        .await
        .send_keys(&format!("{order}{ENTER}"))
        .await
        .expect("keys");
    app.text_until("#order-detail h3", "the order found with Enter", |t| {
        t.contains(order)
    })
    .await;

    // Focus a row's button, then let the engine report a run (as the schedule would).
    app.client
        .execute(
            "const b = document.querySelector('#orders tbody button'); b.id = 'focused-row'; b.focus();",
            vec![],
        )
        .await
        .expect("a row to focus");
    let runs = app.count("#runs tbody tr").await;
    app.client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             window.__TAURI_INTERNALS__.invoke('sync_now').then(() => done(true), (e) => done(String(e)));",
            vec![],
        )
        .await
        .expect("a run");
    let deadline = std::time::Instant::now() + end_to_end::DEADLINE;
    while app.count("#runs tbody tr").await <= runs && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        app.count("#runs tbody tr").await > runs,
        "History shows the new run"
    );
    assert_eq!(
        focused(app).await,
        "focused-row",
        "the row's button keeps the focus through a sync: the view is updated, not rebuilt"
    );
}

/// Zones whose offsets are not whole hours and never change, so their days and their minutes both
/// differ from UTC's, with the offset as the app writes it: Kathmandu (UTC+5:45, midnight at
/// 18:15 UTC) and Tehran (UTC+3:30, midnight at 20:30 UTC).
const ZONES: [(Tz, &str); 2] = [
    (chrono_tz::Asia::Kathmandu, "GMT+5:45"),
    (chrono_tz::Asia::Tehran, "GMT+3:30"),
];

/// The first of [`ZONES`] whose next midnight is more than an hour away, so that "today" stays
/// the same day while the journey waits for its turn and runs (their midnights are more than two
/// hours apart).
fn zone_for(now: DateTime<Utc>) -> (Tz, &'static str) {
    ZONES
        .into_iter()
        .find(|(zone, _)| {
            let soon = (now + chrono::Duration::minutes(60)).with_timezone(zone);
            soon.date_naive() == now.with_timezone(zone).date_naive()
        })
        .expect("the zones' midnights are hours apart")
}

/// The last local midnight at least two minutes before `now`, in `zone`.
fn local_midnight_before(zone: Tz, now: DateTime<Utc>) -> DateTime<Utc> {
    let date = (now - chrono::Duration::minutes(2))
        .with_timezone(&zone)
        .date_naive();
    zone.from_local_datetime(&date.and_hms_opt(0, 0, 0).expect("midnight"))
        .single()
        .expect("these zones have one midnight a day")
        .with_timezone(&Utc)
}

#[tokio::test(flavor = "multi_thread")]
async fn times_are_local() {
    // A run ten minutes before the zone's last midnight (the day before there), and one a minute
    // after it (today there). Counted by UTC day both runs fall on one day: the dashboard's
    // "today" would be both runs' orders or none. The simulators stand at each run's instant too.
    let (zone, offset) = zone_for(Utc::now());
    let midnight = local_midnight_before(zone, Utc::now());
    let evening = midnight - chrono::Duration::minutes(10);
    let scene = Scene::starting(4, Some(evening))
        .await
        .with_env("TZ", zone.name());
    scene.seed_real_accounts();
    // The orders as Quipt has them before any run accepts them.
    let ready = scene.sandbox.quipt.orders();
    let before = scene
        .sync_as_of(Some(Arc::new(ManualClock::new(evening))))
        .await;
    assert!(before.created > 0, "the evening's run pushes the orders");
    // A copy of an order ShipStation took, as it was before, under a new number.
    let taken = scene.sandbox.shipstation.all_orders()[0]
        .order_number
        .clone();
    let mut late = ready
        .into_iter()
        .find(|o| o.order_number == taken)
        .expect("the pushed order in Quipt");
    late.id = "late-order".into();
    // Changed after the cursor the first run left (the newest `ModifiedAt` it read).
    (late.ordered_at, late.modified_at) = (midnight, midnight);
    late.order_number = "Q-AFTER-MIDNIGHT".into();
    for line in &mut late.lines {
        line.id = format!("late-{}", line.id);
    }
    scene.sandbox.quipt.insert_order(late);
    let pushed_at = midnight + chrono::Duration::minutes(1);
    scene
        .sandbox
        .advance_clock_to(pushed_at)
        .expect("the simulators move forward");
    let after = scene
        .sync_as_of(Some(Arc::new(ManualClock::new(pushed_at))))
        .await;
    assert_eq!(
        after.created, 1,
        "the run after midnight pushes the new order: {after:?}"
    );

    let app = App::launch_with(scene, Accounts::Keyring).await;
    app.text_until("#pushed-today", "one order pushed today in the zone", |t| {
        t == "1"
    })
    .await;
    app.screenshot("times-dashboard").await;

    app.click("#tab-history").await;
    let bars = app
        .text_until("#chart", "the chart's counts", |t| !t.trim().is_empty())
        .await;
    let counts: Vec<String> = {
        let mut counts = Vec::new();
        for el in app
            .client
            .find_all(fantoccini::Locator::Css("#chart .chart-count"))
            .await
            .expect("the chart's bars")
        {
            counts.push(el.text().await.unwrap_or_default());
        }
        counts
    };
    assert_eq!(
        counts[counts.len() - 2..],
        [before.created.to_string(), "1".to_string()],
        "the chart's last two bars are the zone's yesterday and today ({bars:?})"
    );

    app.fill("#search", "Q-AFTER-MIDNIGHT").await;
    app.click("#search-go").await;
    app.text_until("#order-detail h3", "the order", |t| {
        t.contains("Q-AFTER-MIDNIGHT")
    })
    .await;
    let pushed = app
        .find("#order-detail li[data-kind=pushed] time")
        .await
        .attr("title")
        .await
        .expect("an attribute")
        .unwrap_or_default();
    let local = pushed_at.with_timezone(&zone);
    let clock = format!(
        "{}:{:02}:{:02}",
        local.hour12().1,
        local.minute(),
        local.second()
    );
    assert!(
        pushed.contains(&clock) && pushed.contains(offset),
        "the timeline shows the push at {}'s {clock} with its zone, not UTC's: {pushed:?}",
        zone.name()
    );
    app.screenshot("times-timeline").await;

    // The History list and the Runs list say the same time, in the same zone.
    let mut listed = None;
    for row in app
        .client
        .find_all(fantoccini::Locator::Css("#orders tr"))
        .await
        .expect("the order list's rows")
    {
        if row
            .text()
            .await
            .unwrap_or_default()
            .contains("Q-AFTER-MIDNIGHT")
        {
            let time = row
                .find(fantoccini::Locator::Css("time"))
                .await
                .expect("the row's time");
            listed = time.attr("title").await.expect("an attribute");
        }
    }
    let last_run = app
        .find("#runs tbody tr:first-child time")
        .await
        .attr("title")
        .await
        .expect("an attribute")
        .unwrap_or_default();
    for (list, shown) in [
        ("order list", listed.unwrap_or_default()),
        ("runs", last_run),
    ] {
        assert!(
            shown.contains(&clock) && shown.contains(offset),
            "History's {list} shows {}'s {clock} with its zone, not UTC's: {shown:?}",
            zone.name()
        );
    }
    app.close().await;
}
