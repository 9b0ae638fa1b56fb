//! "Today" and the orders-per-day chart count by the operator's local day (issue 18): a real run
//! on the engine's clock at an evening in New York, then the dashboard's data read at instants on
//! either side of New York's midnight, from the same SQLite file.

use chrono::{DateTime, Utc};
use chrono_tz::America::New_York;
use connector::clock::Clock;
use connector::history::{self, Status};
use connector::settings::ScheduleSettings;
use connector::{RunOptions, Trigger};

use crate::support::World;

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("an RFC 3339 time")
        .with_timezone(&Utc)
}

#[tokio::test]
async fn today_and_the_chart_count_the_operators_local_day_not_utcs() {
    // 8:30 pm on 29 November in New York: 01:30 on the 30th in UTC. Both simulators stand there
    // too (Quipt refuses a request signed an hour away from its own clock).
    let world = World::starting(0, Some(utc("2026-11-30T01:30:00Z"))).await;
    for number in ["Q-EVE-1", "Q-EVE-2", "Q-EVE-3"] {
        world.add_order(number, serde_json::json!({}));
    }
    let clock = world.clock();
    let connector = world.connector_on(&clock);
    let summary = connector
        .sync(RunOptions {
            dry_run: false,
            trigger: Trigger::SyncNow,
            refresh_reference: true,
        })
        .await
        .expect("the run is recorded");
    let pushed = summary.created as u64;
    assert_eq!(pushed, 3, "the evening's run pushes the three orders");

    let db = connector::store::open(&world.paths().database()).expect("the history opens");
    let new_york =
        |now| history::status(&db, now, &New_York, &ScheduleSettings::default()).unwrap();
    let in_utc = |now| history::status(&db, now, &Utc, &ScheduleSettings::default()).unwrap();
    let day =
        |status: &Status, back: usize| status.per_day[status.per_day.len() - 1 - back].clone();

    let evening = new_york(clock.now());
    assert_eq!(
        evening.pushed_today, pushed,
        "in New York the evening's pushes are today's, though UTC is on the next day"
    );
    assert_eq!(
        day(&evening, 0),
        ("2026-11-29".to_string(), pushed),
        "the chart's last bar is New York's 29 November"
    );
    assert_eq!(
        evening.per_day.len(),
        history::CHART_DAYS as usize,
        "the chart has a bar for each of its days, empty ones too"
    );
    assert_eq!(
        day(&evening, 1),
        ("2026-11-28".to_string(), 0),
        "an empty day is 0"
    );

    // 00:30 on the 30th in New York (05:30 UTC): the same UTC day as the run, the next local one.
    let after_midnight = utc("2026-11-30T05:30:00Z");
    let next_day = new_york(after_midnight);
    assert_eq!(
        next_day.pushed_today, 0,
        "after New York's midnight nothing is pushed today yet"
    );
    assert_eq!(
        (day(&next_day, 0), day(&next_day, 1)),
        (
            ("2026-11-30".to_string(), 0),
            ("2026-11-29".to_string(), pushed)
        ),
        "the run's pushes stay on the day they happened in New York"
    );
    let utc_view = in_utc(after_midnight);
    assert_eq!(
        (utc_view.pushed_today, day(&utc_view, 0)),
        (pushed, ("2026-11-30".to_string(), pushed)),
        "counted in UTC the same instant and history give another day: the zone decides"
    );
}
