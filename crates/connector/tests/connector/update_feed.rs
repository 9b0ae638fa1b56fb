//! The update notice's check over real HTTP on loopback, over simulated days: a release feed is
//! read at most once a day, a newer version becomes the notice (and stays known across restarts
//! without another request), a redirect is not followed, and `updates.check = false` sends nothing.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{DateTime, Duration, Utc};
use connector::Paths;
use connector::updates::{self, Notice};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A feed server on 127.0.0.1 that answers every request with `status`, `headers` and `body`,
/// and counts them.
struct Feed {
    url: String,
    requests: Arc<AtomicUsize>,
}

async fn serve(status: &str, headers: &str, body: &str) -> Feed {
    let answer = format!(
        "HTTP/1.1 {status}\r\n{headers}content-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/feed.json", listener.local_addr().unwrap());
    let requests = Arc::new(AtomicUsize::new(0));
    let counted = requests.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            counted.fetch_add(1, Ordering::SeqCst);
            let mut request = Vec::new();
            let mut buf = [0; 1024];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                match socket.read(&mut buf).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buf[..n]),
                }
            }
            let _ = socket.write_all(answer.as_bytes()).await;
        }
    });
    Feed { url, requests }
}

const RELEASE: &str =
    r#"{"version":"99.1.0","notes":"Faster syncs.","url":"https://example.com/dl"}"#;

async fn release_feed() -> Feed {
    serve("200 OK", "content-type: application/json\r\n", RELEASE).await
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
    let (_dir, paths) = setup(&feed.url, true);
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
    assert_eq!(
        feed.requests.load(Ordering::SeqCst),
        1,
        "within a day the feed is read once"
    );
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
    assert_eq!(
        feed.requests.load(Ordering::SeqCst),
        2,
        "a day later it is read again"
    );
    let installed = updates::check(&paths, false, "99.1.0", day(25))
        .await
        .unwrap();
    assert_eq!(installed, None, "no notice once that version runs");
}

#[tokio::test]
async fn a_redirecting_feed_is_not_followed_and_an_unwanted_check_sends_nothing() {
    let moved = serve(
        "302 Found",
        "location: http://127.0.0.1:9/elsewhere\r\n",
        "",
    )
    .await;
    let (_dir, paths) = setup(&moved.url, true);
    let refused = updates::check(&paths, false, "0.1.0", day(0)).await;
    let message = refused.expect_err("a redirect is an error").to_string();
    assert!(
        message.contains("302"),
        "the operator's log names the redirect: {message}"
    );
    let again = updates::check(&paths, false, "0.1.0", day(2)).await;
    assert_eq!(
        again.unwrap(),
        None,
        "a failed check waits a day like any other"
    );
    assert_eq!(moved.requests.load(Ordering::SeqCst), 1);

    let feed = release_feed().await;
    let (_off_dir, off) = setup(&feed.url, false);
    assert_eq!(
        updates::check(&off, false, "0.1.0", day(0)).await.unwrap(),
        None
    );
    let (_demo_dir, demo) = setup(&feed.url, true);
    assert_eq!(
        updates::check(&demo, true, "0.1.0", day(0)).await.unwrap(),
        None
    );
    assert_eq!(
        feed.requests.load(Ordering::SeqCst),
        0,
        "updates.check = false and the demo read no feed"
    );
}
