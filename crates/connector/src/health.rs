//! Health at a glance, decided in one place ([`assess`], pure) from what the history says, so the
//! tray, the dashboard, `status` and notifications always agree. The rules, first match wins:
//!
//! | the history says | health |
//! |---|---|
//! | no run has ended yet, the first started under 3 intervals ago (or none started) | first sync in progress |
//! | the last run that ended failed | red |
//! | no run succeeded for 12 schedule intervals (since the last success, or the first start) | red (amber while paused) |
//! | no run succeeded for 3 intervals | amber |
//! | orders held, failed or in conflict | amber |
//! | the last successful run raised drift alerts | amber |
//! | the latest reconciliation found disagreements (until a clean one) | amber |
//! | otherwise | green |
//!
//! An interrupted run (killed mid-way) is neither a success nor a failure: time tells.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::outcome::RunOutcome;

/// The connector's health.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum Health {
    /// Grey: the first sync has not ended yet; nothing has failed.
    FirstSync,
    /// Green: syncs succeed and nothing needs attention.
    Ok,
    /// Amber: something needs the operator, or syncs have not succeeded for a while.
    Warning,
    /// Red: the last sync failed, or none has succeeded for long.
    Failing,
}

/// A run that stops being "in progress" and starts to worry: this many schedule intervals without
/// a successful run turn the health amber…
pub const AMBER_AFTER_INTERVALS: i64 = 3;
/// …and this many red.
pub const RED_AFTER_INTERVALS: i64 = 12;

/// What the health is decided from.
#[derive(Debug, Clone, PartialEq)]
pub struct Inputs<'a> {
    /// Now.
    pub now: DateTime<Utc>,
    /// The schedule's interval.
    pub interval: chrono::Duration,
    /// Whether the schedule is paused (the operator stopped it: never red for being idle).
    pub paused: bool,
    /// When the first run of this history started.
    pub first_started: Option<DateTime<Utc>>,
    /// The latest run that ended (completed or failed; not dry, not interrupted) and its error.
    pub last_ended: Option<(RunOutcome, Option<&'a str>)>,
    /// When the latest successful run ended.
    pub last_success: Option<DateTime<Utc>>,
    /// Orders held, failed or in conflict.
    pub attention: u64,
    /// Drift alerts of the latest successful run.
    pub alerts: usize,
    /// Disagreements the latest reconciliation found.
    pub reconciliation_findings: u64,
}

/// The health and why, in words for the operator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessment {
    /// The colour.
    pub health: Health,
    /// Why, e.g. "no successful sync for 2 h".
    pub why: String,
}

/// Decides the health. Pure; see the module's table.
pub fn assess(i: &Inputs<'_>) -> Assessment {
    let verdict = |health, why: String| Assessment { health, why };
    let intervals = |since: DateTime<Utc>| {
        let age = i.now - since;
        let interval = i.interval.max(chrono::Duration::minutes(1));
        (age, age.num_seconds() / interval.num_seconds())
    };
    let Some((outcome, error)) = i.last_ended else {
        return match i.first_started.map(intervals) {
            Some((age, n)) if n >= RED_AFTER_INTERVALS && !i.paused => verdict(
                Health::Failing,
                format!(
                    "no sync has ended since the first one started {} ago",
                    words(age)
                ),
            ),
            Some((age, n)) if n >= AMBER_AFTER_INTERVALS => verdict(
                Health::Warning,
                format!(
                    "no sync has ended since the first one started {} ago",
                    words(age)
                ),
            ),
            Some(_) => verdict(Health::FirstSync, "first sync in progress".into()),
            None => verdict(Health::FirstSync, "waiting for the first sync".into()),
        };
    };
    if outcome == RunOutcome::Failed {
        return verdict(
            Health::Failing,
            match error {
                Some(error) => format!("the last sync failed: {error}"),
                None => "the last sync failed".into(),
            },
        );
    }
    if let Some((age, n)) = i.last_success.or(i.first_started).map(intervals) {
        let paused = if i.paused {
            " (the schedule is paused)"
        } else {
            ""
        };
        if n >= RED_AFTER_INTERVALS && !i.paused {
            return verdict(
                Health::Failing,
                format!("no successful sync for {}", words(age)),
            );
        }
        if n >= AMBER_AFTER_INTERVALS {
            return verdict(
                Health::Warning,
                format!("no successful sync for {}{paused}", words(age)),
            );
        }
    }
    if i.attention > 0 {
        return verdict(
            Health::Warning,
            format!(
                "{} held, failed or in conflict",
                count(i.attention, "order")
            ),
        );
    }
    if i.alerts > 0 {
        return verdict(
            Health::Warning,
            format!(
                "{} with ShipStation's stores, warehouses or carriers",
                count(i.alerts as u64, "problem")
            ),
        );
    }
    if i.reconciliation_findings > 0 {
        return verdict(
            Health::Warning,
            format!(
                "the last reconciliation found {} between Quipt and ShipStation",
                count(i.reconciliation_findings, "disagreement")
            ),
        );
    }
    verdict(Health::Ok, "all good".into())
}

/// "1 order", "3 orders".
fn count(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// "50 min", "3 h", "2 d".
fn words(age: chrono::Duration) -> String {
    match age.num_minutes() {
        m if m < 120 => format!("{m} min"),
        m if m < 48 * 60 => format!("{} h", m / 60),
        m => format!("{} d", m / (24 * 60)),
    }
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    const INTERVAL: i64 = 15;

    fn minutes_ago(m: i64) -> Option<DateTime<Utc>> {
        Some(now() - chrono::Duration::minutes(m))
    }

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap()
    }

    /// A connector that has synced well for days, the last success a minute ago.
    fn healthy() -> Inputs<'static> {
        Inputs {
            now: now(),
            interval: chrono::Duration::minutes(INTERVAL),
            paused: false,
            first_started: minutes_ago(10_000),
            last_ended: Some((RunOutcome::Ok, None)),
            last_success: minutes_ago(1),
            attention: 0,
            alerts: 0,
            reconciliation_findings: 0,
        }
    }

    fn with(change: impl FnOnce(&mut Inputs<'static>)) -> Inputs<'static> {
        let mut inputs = healthy();
        change(&mut inputs);
        inputs
    }

    use Health::{Failing, FirstSync, Ok, Warning};

    #[rstest]
    #[case::nothing_ever_ran(with(|i| { i.first_started = None; i.last_ended = None; i.last_success = None; }), FirstSync, "waiting for the first sync")]
    #[case::the_first_sync_is_running(with(|i| { i.first_started = minutes_ago(2); i.last_ended = None; i.last_success = None; }), FirstSync, "first sync in progress")]
    #[case::a_long_first_sync_is_still_in_progress(with(|i| { i.first_started = minutes_ago(40); i.last_ended = None; i.last_success = None; }), FirstSync, "first sync in progress")]
    #[case::a_first_sync_that_never_ends_turns_amber(with(|i| { i.first_started = minutes_ago(3 * INTERVAL); i.last_ended = None; i.last_success = None; }), Warning, "no sync has ended since the first one started 45 min ago")]
    #[case::and_red_after_twelve_intervals(with(|i| { i.first_started = minutes_ago(12 * INTERVAL); i.last_ended = None; i.last_success = None; }), Failing, "no sync has ended since the first one started 3 h ago")]
    #[case::all_good(healthy(), Ok, "all good")]
    #[case::the_last_sync_failed(with(|i| i.last_ended = Some((RunOutcome::Failed, Some("Quipt: unreachable")))), Failing, "the last sync failed: Quipt: unreachable")]
    #[case::the_first_sync_failed(with(|i| { i.last_ended = Some((RunOutcome::Failed, None)); i.last_success = None; }), Failing, "the last sync failed")]
    #[case::two_intervals_without_success_is_still_fine(with(|i| i.last_success = minutes_ago(2 * INTERVAL)), Ok, "all good")]
    #[case::three_intervals_without_success_turn_amber(with(|i| i.last_success = minutes_ago(3 * INTERVAL)), Warning, "no successful sync for 45 min")]
    #[case::eleven_intervals_are_amber(with(|i| i.last_success = minutes_ago(11 * INTERVAL)), Warning, "no successful sync for 2 h")]
    #[case::twelve_intervals_turn_red(with(|i| i.last_success = minutes_ago(12 * INTERVAL)), Failing, "no successful sync for 3 h")]
    #[case::a_paused_schedule_is_amber_not_red(with(|i| { i.last_success = minutes_ago(3 * 24 * 60); i.paused = true; }), Warning, "no successful sync for 3 d (the schedule is paused)")]
    #[case::held_orders_turn_a_good_run_amber(with(|i| i.attention = 3), Warning, "3 orders held, failed or in conflict")]
    #[case::drift_turns_it_amber(with(|i| i.alerts = 1), Warning, "1 problem with ShipStation's stores, warehouses or carriers")]
    #[case::reconciliation_findings_turn_it_amber(with(|i| i.reconciliation_findings = 2), Warning, "the last reconciliation found 2 disagreements between Quipt and ShipStation")]
    #[case::a_clean_reconciliation_is_green(with(|i| i.reconciliation_findings = 0), Ok, "all good")]
    #[case::a_failure_outranks_held_orders(with(|i| { i.attention = 3; i.last_ended = Some((RunOutcome::Failed, None)); }), Failing, "the last sync failed")]
    #[case::a_run_that_needed_attention_is_green_once_nothing_is_left(with(|i| i.last_ended = Some((RunOutcome::Attention, None))), Ok, "all good")]
    fn rules(#[case] inputs: Inputs<'static>, #[case] health: Health, #[case] why: &str) {
        assert_eq!(
            assess(&inputs),
            Assessment {
                health,
                why: why.into()
            },
            "{inputs:?}"
        );
    }
}
