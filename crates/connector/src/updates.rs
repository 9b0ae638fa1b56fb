//! The desktop app's update notice: at most once a day the release feed — a small JSON document
//! `{"version", "notes", "url"}` — is read, and when it names a version newer than this build the
//! app shows "Version X is available" with the notes and a link. Nothing is downloaded or
//! installed here: the `.deb` updates through apt, other packages by the operator.
//!
//! The feed is read through the same transport as Quipt's API ([`quipt::get_public`]: TLS with the
//! OS certificates, the proxy of the environment, no redirects, a size cap), https only (plain
//! http only to this computer). Off when `updates.check = false`, in demo mode, and in a build
//! without a feed ([`DEFAULT_FEED`]) unless `updates.feed_url` names one.
//!
//! What is decided ([`plan`], [`notice`]) is pure and table-tested; [`check`] and [`known`] do the
//! I/O: the settings file, the last check in the data directory (`update-check.json`), the feed.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::Paths;
use crate::settings::UpdateSettings;

/// The release feed of this build, set when it is built (`QUIPT_SHIPSTATION_UPDATE_FEED`); a build
/// made without one checks only a feed the settings file names.
pub const DEFAULT_FEED: Option<&str> = option_env!("QUIPT_SHIPSTATION_UPDATE_FEED");

/// How long after a check the next one is due.
pub const INTERVAL: Duration = Duration::days(1);

/// The largest feed read: three short fields.
pub const MAX_FEED: usize = 64 * 1024;

/// What went wrong with a check (logged by the app; the previous notice, if any, stays).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The feed could not be read (its address, the network, the server's answer).
    #[error("the release feed {feed} could not be read: {}", problem(source))]
    Fetch {
        /// The feed's address.
        feed: String,
        /// The transport's error.
        #[source]
        source: quipt::Error,
    },
    /// The feed was read but is not a release feed.
    #[error("the release feed {feed} is not usable: {reason}")]
    Feed {
        /// The feed's address.
        feed: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The last check could not be recorded in the data directory.
    #[error("the update check could not be recorded in {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
}

/// What went wrong reading the feed, in words about the feed: the transport's own errors name
/// Quipt, whose client it is.
fn problem(error: &quipt::Error) -> String {
    match error {
        quipt::Error::Transport { source } => quipt::transport_problem(source),
        quipt::Error::Redirect { status, location } => format!(
            "it answered {status} redirecting to {}; redirects are not followed: check `updates.feed_url`",
            location.as_deref().unwrap_or("nowhere")
        ),
        quipt::Error::BodyTooLarge { limit } => format!("it is larger than {} KiB", limit / 1024),
        quipt::Error::InvalidUrl { reason, .. } => format!("`updates.feed_url`: {reason}"),
        other => match other.status() {
            Some(status) => format!("it answered {status}"),
            None => other.to_string(),
        },
    }
}

/// The feed's document: the latest release.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Release {
    /// Its version (`1.4.0`, an optional leading `v`, an optional `-pre` part).
    pub version: String,
    /// What it brings, as plain text.
    #[serde(default)]
    pub notes: String,
    /// Where it is downloaded or described (https).
    pub url: String,
}

/// What the app shows: a release newer than this build.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export, rename = "UpdateNotice"))]
pub struct Notice {
    /// The newer version.
    pub version: String,
    /// Its notes.
    pub notes: String,
    /// Its page (https), opened in the browser.
    pub url: String,
}

/// The last check, kept in the data directory so that a restart does not read the feed again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checked {
    /// When the feed was last read (or tried).
    pub at: DateTime<Utc>,
    /// Which feed: another one in the settings is due at once.
    pub feed: String,
    /// The release it named, if it was read.
    pub release: Option<Release>,
}

/// Why no check is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Off {
    /// `updates.check = false`.
    TurnedOff,
    /// The app shows demo data.
    Demo,
    /// Neither the settings nor the build name a feed.
    NoFeed,
}

/// What a check does now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// Nothing, ever, while this holds.
    Off(Off),
    /// Nothing until `until` (a day after the last check of this feed).
    Wait {
        /// When the next check is due.
        until: DateTime<Utc>,
    },
    /// Read this feed.
    Fetch {
        /// Its address.
        feed: String,
    },
}

/// What a check does, from the settings, demo mode, the last check and the time. A last check in
/// the future (the clock was set back) does not hold the next one off.
pub fn plan(
    settings: &UpdateSettings,
    demo: bool,
    last: Option<&Checked>,
    now: DateTime<Utc>,
) -> Plan {
    if !settings.check {
        return Plan::Off(Off::TurnedOff);
    }
    if demo {
        return Plan::Off(Off::Demo);
    }
    let Some(feed) = settings.feed_url.as_deref().or(DEFAULT_FEED) else {
        return Plan::Off(Off::NoFeed);
    };
    match last {
        Some(last) if last.feed == feed && last.at <= now && now < last.at + INTERVAL => {
            Plan::Wait {
                until: last.at + INTERVAL,
            }
        }
        _ => Plan::Fetch {
            feed: feed.to_owned(),
        },
    }
}

/// The notice for `release` when it is newer than `current` (this build's version); none for the
/// same or an older one, or a version that cannot be compared (rather no notice than a wrong one).
pub fn notice(current: &str, release: &Release) -> Option<Notice> {
    let newer = Version::parse(&release.version)? > Version::parse(current)?;
    newer.then(|| Notice {
        version: release.version.trim().trim_start_matches('v').to_owned(),
        notes: release.notes.trim().to_owned(),
        url: release.url.clone(),
    })
}

/// A version as releases are numbered: `MAJOR.MINOR.PATCH`, missing parts 0, and a pre-release
/// (`-rc.1`) before the release itself.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Version {
    numbers: [u64; 3],
    /// `true` for a release, so that it sorts after its pre-releases.
    released: bool,
    pre: String,
}

impl Version {
    fn parse(text: &str) -> Option<Self> {
        let text = text.trim().trim_start_matches('v');
        let (core, pre) = text.split_once('-').unwrap_or((text, ""));
        let mut numbers = [0; 3];
        let mut parts = core.split('.');
        for slot in &mut numbers {
            if let Some(part) = parts.next() {
                *slot = part.parse().ok()?;
            }
        }
        (parts.next().is_none()).then(|| Self {
            numbers,
            released: pre.is_empty(),
            pre: pre.to_owned(),
        })
    }
}

/// Reads and checks the feed's document: a release whose link is https (it is opened in the
/// operator's browser).
fn parse_feed(feed: &str, body: &[u8]) -> Result<Release, Error> {
    let refuse = |reason: String| Error::Feed {
        feed: feed.to_owned(),
        reason,
    };
    let release: Release = serde_json::from_slice(body)
        .map_err(|e| refuse(format!("expected {{\"version\", \"notes\", \"url\"}}: {e}")))?;
    if Version::parse(&release.version).is_none() {
        return Err(refuse(format!("unreadable version {:?}", release.version)));
    }
    if !release.url.starts_with("https://") || release.url.chars().any(char::is_whitespace) {
        return Err(refuse(format!("the link must be https: {:?}", release.url)));
    }
    Ok(release)
}

/// The app's update settings, read from the settings file alone (so that a setup not finished yet,
/// or one the engine refuses, still has them); defaults when the file or the table is missing.
/// A file that cannot be read or whose `[updates]` cannot be understood turns the check off: an
/// operator's `check = "no"` is an opt-out, not a reason to read the feed.
pub fn settings(config_file: &Path) -> UpdateSettings {
    #[derive(Deserialize)]
    struct File {
        #[serde(default)]
        updates: UpdateSettings,
    }
    let off = UpdateSettings {
        check: false,
        feed_url: None,
    };
    match std::fs::read_to_string(config_file) {
        Ok(text) => toml::from_str::<File>(&text).map_or(off, |file| file.updates),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => UpdateSettings::default(),
        Err(_) => off,
    }
}

fn state_file(paths: &Paths) -> PathBuf {
    paths.data_dir.join("update-check.json")
}

/// The last check recorded, if readable.
fn last_check(paths: &Paths) -> Option<Checked> {
    let text = std::fs::read(state_file(paths)).ok()?;
    serde_json::from_slice(&text).ok()
}

/// The notice of the last check, without reading the feed (what a new window shows at once).
pub fn known(paths: &Paths, demo: bool, current: &str) -> Option<Notice> {
    if matches!(
        plan(&settings(&paths.config_file), demo, None, Utc::now()),
        Plan::Off(_)
    ) {
        return None;
    }
    notice(current, last_check(paths)?.release.as_ref()?)
}

/// Reads the feed if a check is due ([`plan`]) and records it; returns the notice of the latest
/// release known (none when it is not newer than `current`, or checks are off).
///
/// # Errors
/// When the feed cannot be read or is not a release feed (recorded as a check all the same, so
/// that a broken feed is tried once a day, not at every launch), or the check cannot be recorded.
pub async fn check(
    paths: &Paths,
    demo: bool,
    current: &str,
    now: DateTime<Utc>,
) -> Result<Option<Notice>, Error> {
    let last = last_check(paths);
    let feed = match plan(&settings(&paths.config_file), demo, last.as_ref(), now) {
        Plan::Off(_) => return Ok(None),
        Plan::Wait { .. } => {
            return Ok(last
                .and_then(|l| l.release)
                .and_then(|r| notice(current, &r)));
        }
        Plan::Fetch { feed } => feed,
    };
    let read = match quipt::get_public(&feed, MAX_FEED).await {
        Ok(body) => parse_feed(&feed, &body),
        Err(source) => Err(Error::Fetch {
            feed: feed.clone(),
            source,
        }),
    };
    let release = match &read {
        Ok(release) => Some(release.clone()),
        // The same feed's last release stays known until the feed answers again.
        Err(_) => last.filter(|l| l.feed == feed).and_then(|l| l.release),
    };
    let checked = Checked {
        at: now,
        feed,
        release,
    };
    let path = state_file(paths);
    crate::private_files::write_atomic(&path, |file| {
        serde_json::to_writer(file, &checked).map_err(std::io::Error::other)
    })
    .map_err(|source| Error::Io { path, source })?;
    read.map(|release| notice(current, &release))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn at(hours: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap() + Duration::hours(hours)
    }

    const FEED: &str = "https://example.com/feed.json";

    fn checked(hours: i64, feed: &str) -> Checked {
        Checked {
            at: at(hours),
            feed: feed.into(),
            release: None,
        }
    }

    fn updates(check: bool, feed: Option<&str>) -> UpdateSettings {
        UpdateSettings {
            check,
            feed_url: feed.map(str::to_owned),
        }
    }

    #[rstest]
    #[case::never_checked(updates(true, Some(FEED)), false, None, 0, Plan::Fetch { feed: FEED.into() })]
    #[case::checked_an_hour_ago(updates(true, Some(FEED)), false, Some(checked(-1, FEED)), 0, Plan::Wait { until: at(23) })]
    #[case::checked_a_day_ago(updates(true, Some(FEED)), false, Some(checked(-24, FEED)), 0, Plan::Fetch { feed: FEED.into() })]
    #[case::another_feed_checked(updates(true, Some(FEED)), false, Some(checked(-1, "https://old.example.com/f.json")), 0, Plan::Fetch { feed: FEED.into() })]
    #[case::clock_set_back(updates(true, Some(FEED)), false, Some(checked(5, FEED)), 0, Plan::Fetch { feed: FEED.into() })]
    #[case::turned_off(updates(false, Some(FEED)), false, None, 0, Plan::Off(Off::TurnedOff))]
    #[case::demo(updates(true, Some(FEED)), true, None, 0, Plan::Off(Off::Demo))]
    fn a_feed_is_read_at_most_once_a_day_and_never_when_off_or_in_the_demo(
        #[case] settings: UpdateSettings,
        #[case] demo: bool,
        #[case] last: Option<Checked>,
        #[case] now: i64,
        #[case] expected: Plan,
    ) {
        assert_eq!(plan(&settings, demo, last.as_ref(), at(now)), expected);
    }

    #[test]
    fn without_a_feed_in_the_settings_only_the_builds_own_is_read() {
        let planned = plan(&updates(true, None), false, None, at(0));
        match DEFAULT_FEED {
            Some(feed) => assert_eq!(planned, Plan::Fetch { feed: feed.into() }),
            None => assert_eq!(planned, Plan::Off(Off::NoFeed), "no feed, no request"),
        }
    }

    #[rstest]
    #[case::newer_patch("0.1.0", "0.1.1", true)]
    #[case::newer_minor_with_v("0.1.9", "v0.2.0", true)]
    #[case::numbers_not_text("0.9.0", "0.10.0", true)]
    #[case::short_form("1.2.0", "1.3", true)]
    #[case::same("0.1.0", "0.1.0", false)]
    #[case::older("0.2.0", "0.1.5", false)]
    #[case::its_own_pre_release("1.0.0", "1.0.0-rc.1", false)]
    #[case::release_of_a_pre_release("1.0.0-rc.1", "1.0.0", true)]
    #[case::unreadable("0.1.0", "latest", false)]
    #[case::too_many_parts("0.1.0", "0.1.0.1", false)]
    fn only_a_newer_release_is_announced(
        #[case] current: &str,
        #[case] feed: &str,
        #[case] shown: bool,
    ) {
        let release = Release {
            version: feed.into(),
            notes: " Faster syncs. ".into(),
            url: "https://example.com/download".into(),
        };
        let shown_notice = notice(current, &release);
        assert_eq!(shown_notice.is_some(), shown, "{current} → {feed}");
        if let Some(n) = shown_notice {
            assert!(!n.version.starts_with('v') && n.notes == "Faster syncs.");
        }
    }

    #[rstest]
    #[case::a_release(
        r#"{"version":"1.2.0","notes":"n","url":"https://example.com/d"}"#,
        true
    )]
    #[case::no_notes(r#"{"version":"1.2.0","url":"https://example.com/d"}"#, true)]
    #[case::plain_http_link(r#"{"version":"1.2.0","url":"http://example.com/d"}"#, false)]
    #[case::another_scheme(r#"{"version":"1.2.0","url":"javascript:alert(1)"}"#, false)]
    #[case::unreadable_version(r#"{"version":"soon","url":"https://example.com/d"}"#, false)]
    #[case::no_version(r#"{"url":"https://example.com/d"}"#, false)]
    #[case::not_json("<html>", false)]
    fn a_feed_names_a_comparable_version_and_an_https_link(#[case] body: &str, #[case] ok: bool) {
        let parsed = parse_feed(FEED, body.as_bytes());
        assert_eq!(parsed.is_ok(), ok, "{body}: {parsed:?}");
    }

    #[test]
    fn the_update_settings_are_read_from_a_file_the_engine_would_refuse() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("settings.toml");
        assert_eq!(settings(&file), UpdateSettings::default(), "no file");
        std::fs::write(
            &file,
            "[quipt]\nunfinished = true\n[updates]\ncheck = false\nfeed_url = \"http://127.0.0.1:9/f.json\"\n",
        )
        .unwrap();
        assert_eq!(
            settings(&file),
            updates(false, Some("http://127.0.0.1:9/f.json"))
        );
    }

    #[rstest]
    #[case::check_not_a_boolean("[updates]\ncheck = \"no\"\n")]
    #[case::an_unknown_key("[updates]\nchek = false\n")]
    #[case::not_toml("[updates\ncheck = false\n")]
    fn an_update_setting_that_cannot_be_understood_turns_the_check_off(#[case] text: &str) {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("settings.toml");
        std::fs::write(&file, text).unwrap();
        assert!(
            !settings(&file).check,
            "the operator meant to change the check; the feed is not read: {text}"
        );
    }
}
