//! The update notice's check over real HTTP on loopback (the sandbox's release feed), over
//! simulated days: the feed is read at most once a day, a newer version becomes the notice (and
//! stays known across restarts without another request), a redirect is not followed, and
//! `updates.check = false` or the demo send nothing.

use chrono::{DateTime, Duration, Utc};
use connector::Paths;
use connector::updates::{self, Notice};
use sandbox::release_feed::{FeedAnswer, ReleaseFeed};

async fn release_feed() -> ReleaseFeed {
    ReleaseFeed::start(FeedAnswer::Release(serde_json::json!({
        "version": "99.1.0",
        "notes": "Faster syncs.",
        "url": "https://example.com/dl",
    })))
    .await
    .expect("the feed starts")
}

fn setup(feed: &str, check: bool) -> (tempfile::TempDir, Paths) {
    let dir = tempfile::tempdir().unwrap();
    let paths = Paths {
        config_file: dir.path().join("settings.toml"),
        data_dir: dir.path().join("data"),
    };
    std::fs::write(
        &paths.config_file,
        format!("[updates]\ncheck = {check}\nfeed_url = \"{feed}\"\n"),
    )
    .unwrap();
    (dir, paths)
}

fn day(hours: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_800_000_000, 0).unwrap() + Duration::hours(hours)
}

#[tokio::test]
async fn a_newer_release_is_announced_and_the_feed_is_read_at_most_once_a_day() {
    let feed = release_feed().await;
    let (_dir, paths) = setup(feed.url(), true);
    let expected = Some(Notice {
        version: "99.1.0".into(),
        notes: "Faster syncs.".into(),
        url: "https://example.com/dl".into(),
    });
    let first = updates::check(&paths, false, "0.1.0", day(0))
        .await
        .unwrap();
    assert_eq!(first, expected, "the feed's newer version is the notice");
    for hours in [1, 12, 23] {
        let later = updates::check(&paths, false, "0.1.0", day(hours)).await;
        assert_eq!(later.unwrap(), expected, "still known {hours} h later");
    }
    assert_eq!(feed.requests(), 1, "within a day the feed is read once");
    assert_eq!(
        updates::known(&paths, false, "0.1.0"),
        expected,
        "a new window shows the last check's notice without a request"
    );
    assert_eq!(
        updates::known(&paths, true, "0.1.0"),
        None,
        "none in the demo"
    );
    updates::check(&paths, false, "0.1.0", day(24))
        .await
        .unwrap();
    assert_eq!(feed.requests(), 2, "a day later it is read again");
    let installed = updates::check(&paths, false, "99.1.0", day(25))
        .await
        .unwrap();
    assert_eq!(installed, None, "no notice once that version runs");
}

#[tokio::test]
async fn a_redirecting_feed_is_not_followed_and_an_unwanted_check_sends_nothing() {
    let moved = ReleaseFeed::start(FeedAnswer::Redirect("http://127.0.0.1:9/elsewhere".into()))
        .await
        .unwrap();
    let (_dir, paths) = setup(moved.url(), true);
    let refused = updates::check(&paths, false, "0.1.0", day(0)).await;
    let message = refused.expect_err("a redirect is an error").to_string();
    assert!(
        message.contains("302") && !message.contains("Quipt"),
        "the operator's log names the feed's redirect: {message}"
    );
    let again = updates::check(&paths, false, "0.1.0", day(2)).await;
    assert_eq!(
        again.unwrap(),
        None,
        "a failed check waits a day like any other"
    );
    assert_eq!(moved.requests(), 1);

    let feed = release_feed().await;
    let (_off_dir, off) = setup(feed.url(), false);
    assert_eq!(
        updates::check(&off, false, "0.1.0", day(0)).await.unwrap(),
        None
    );
    let (_demo_dir, demo) = setup(feed.url(), true);
    assert_eq!(
        updates::check(&demo, true, "0.1.0", day(0)).await.unwrap(),
        None
    );
    assert_eq!(
        feed.requests(),
        0,
        "updates.check = false and the demo read no feed"
    );
}
