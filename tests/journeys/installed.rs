//! The installed app all day (issue 19): the window keeps its size across launches, and a newer
//! release in the feed (the sandbox's, on loopback) shows as a notice with its notes and link.

use std::time::{Duration, Instant};

use end_to_end::{Accounts, App, DEADLINE, Scene, forget_keyring};
use sandbox::release_feed::{FeedAnswer, ReleaseFeed};

#[tokio::test(flavor = "multi_thread")]
async fn window_size_is_remembered() {
    let app = App::launch(1).await;
    app.find("#start").await;
    app.client
        .set_window_size(900, 640)
        .await
        .expect("the window is resized");
    let resized = app.client.get_window_size().await.expect("its size");
    assert_ne!(resized, (1100, 760), "the window left its first size");
    // Saved a moment after the resize, without quitting (a logout or a kill quits no app).
    let saved = app
        .dir
        .path()
        .join("xdg/com.quipt.shipstation-connector/.window-state.json");
    let deadline = Instant::now() + DEADLINE;
    let mut last = String::new();
    while !last.contains(&format!("\"width\": {}", resized.0)) {
        assert!(
            Instant::now() < deadline,
            "the new size was never saved; the window state holds {last:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
        last = std::fs::read_to_string(&saved).unwrap_or_default();
    }
    let app = app.restart().await;
    app.find("#start").await;
    assert_eq!(
        app.client.get_window_size().await.expect("its size"),
        resized,
        "the window opens at the size the operator left it"
    );
    app.screenshot("window-size-remembered").await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_update_notice_appears_from_the_feed() {
    let feed = ReleaseFeed::start(FeedAnswer::Release(serde_json::json!({
        "version": "99.0.0",
        "notes": "Tracking numbers reach Quipt faster.",
        "url": "https://example.com/quipt-shipstation/99.0.0",
    })))
    .await
    .expect("the feed starts");
    let scene = Scene::new(5).await;
    scene.seed_real_setup().await;
    let mut settings = std::fs::read_to_string(scene.settings_file()).expect("the settings");
    settings.push_str(&format!("\n[updates]\nfeed_url = \"{}\"\n", feed.url()));
    std::fs::write(scene.settings_file(), settings).expect("the feed is set");

    let app = App::launch_with(scene, Accounts::Keyring).await;
    app.find("#sync-now").await;
    let notice = app
        .text_until("#update-notice", "the newer version", |t| {
            t.contains("Version 99.0.0 is available")
        })
        .await;
    assert!(
        notice.contains("Tracking numbers reach Quipt faster."),
        "the notice carries the release's notes: {notice}"
    );
    assert!(
        app.is_shown("#update-link").await,
        "the notice links to the release's page"
    );
    assert_eq!(feed.requests(), 1, "the feed is read once at launch");
    app.screenshot("update-notice").await;
    app.close().await;
    forget_keyring();
}
