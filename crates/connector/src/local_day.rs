//! The operator's days. "Pushed today", "tracking sent today" and the orders-per-day chart count by
//! the day on the operator's own calendar — the computer's time zone — not by UTC: an order pushed
//! at 8 pm in New York is one of that evening's, though UTC is already on the next day.
//!
//! Pure and generic over chrono's [`TimeZone`]: the app and the CLI pass [`chrono::Local`] (the
//! zone of the process, `TZ` or the system's), tests pass any zone of `chrono-tz`. A day is the span
//! of UTC instants the history's timestamps are compared with:
//!
//! | the local day | begins at | lasts |
//! |---|---|---|
//! | an ordinary day | its midnight | 24 h |
//! | the day clocks go forward / back | its midnight | 23 h / 25 h |
//! | a day whose midnight a clock change skips (Chile's DST starts at 24:00) | the first instant after the gap (01:00) | 23 h |
//! | a day the zone skipped entirely (Samoa, 2011-12-30) | where the next day begins | nothing |

use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};

/// One local calendar day as the UTC instants it spans, `start` included, `end` not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Day {
    /// The local date.
    pub date: NaiveDate,
    /// Its first instant.
    pub start: DateTime<Utc>,
    /// The first instant of the next day.
    pub end: DateTime<Utc>,
}

/// The local day that holds `now`.
pub fn today<Tz: TimeZone>(now: DateTime<Utc>, zone: &Tz) -> Day {
    day(now.with_timezone(zone).date_naive(), zone)
}

/// The `count` local days that end with today's, oldest first.
pub fn last_days<Tz: TimeZone>(now: DateTime<Utc>, count: u32, zone: &Tz) -> Vec<Day> {
    let today = now.with_timezone(zone).date_naive();
    (0..count)
        .rev()
        .filter_map(|back| today.checked_sub_days(Days::new(u64::from(back))))
        .map(|date| day(date, zone))
        .collect()
}

/// The local `date` as UTC instants.
pub fn day<Tz: TimeZone>(date: NaiveDate, zone: &Tz) -> Day {
    let next = date.succ_opt().unwrap_or(date);
    Day {
        date,
        start: start_of(date, zone),
        end: start_of(next, zone),
    }
}

/// The first instant whose local date is `date` or later: the day's midnight, or the end of a
/// clock change that skipped it. Found by bisection over the whole seconds around the naive
/// midnight (every zone's offset is a whole number of seconds within ±26 h), so a gap of any length
/// needs no rule of its own.
fn start_of<Tz: TimeZone>(date: NaiveDate, zone: &Tz) -> DateTime<Utc> {
    let at = |seconds: i64| DateTime::from_timestamp(seconds, 0).expect("within chrono's range");
    let reached = |seconds: i64| at(seconds).with_timezone(zone).date_naive() >= date;
    let midnight = date.and_time(chrono::NaiveTime::MIN).and_utc().timestamp();
    let window = 26 * 3600;
    let (mut before, mut after) = (midnight - window, midnight + window);
    // Invariant: `before` is on an earlier local date, `after` on `date` or later.
    while after - before > 1 {
        let middle = before + (after - before) / 2;
        if reached(middle) {
            after = middle;
        } else {
            before = middle;
        }
    }
    at(after)
}

#[cfg(test)]
mod tests {
    use chrono_tz::America::{New_York, Santiago};
    use chrono_tz::Asia::{Kathmandu, Kolkata};
    use chrono_tz::Pacific::Apia;
    use rstest::rstest;

    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[rstest]
    #[case::an_ordinary_new_york_day(
        New_York,
        "2026-11-29",
        "2026-11-29T05:00:00Z",
        "2026-11-30T05:00:00Z"
    )]
    #[case::clocks_forward_in_new_york_23_h(
        New_York,
        "2026-03-08",
        "2026-03-08T05:00:00Z",
        "2026-03-09T04:00:00Z"
    )]
    #[case::clocks_back_in_new_york_25_h(
        New_York,
        "2026-11-01",
        "2026-11-01T04:00:00Z",
        "2026-11-02T05:00:00Z"
    )]
    #[case::half_hour_offset_kolkata(
        Kolkata,
        "2026-11-29",
        "2026-11-28T18:30:00Z",
        "2026-11-29T18:30:00Z"
    )]
    #[case::quarter_hour_offset_kathmandu(
        Kathmandu,
        "2026-11-29",
        "2026-11-28T18:15:00Z",
        "2026-11-29T18:15:00Z"
    )]
    #[case::midnight_skipped_in_santiago_starts_at_one(
        Santiago,
        "2025-09-07",
        "2025-09-07T04:00:00Z",
        "2025-09-08T03:00:00Z"
    )]
    #[case::a_day_samoa_skipped_is_empty(
        Apia,
        "2011-12-30",
        "2011-12-30T10:00:00Z",
        "2011-12-30T10:00:00Z"
    )]
    fn a_local_day_spans_its_own_midnight_to_the_next(
        #[case] zone: chrono_tz::Tz,
        #[case] local: &str,
        #[case] start: &str,
        #[case] end: &str,
    ) {
        let d = day(date(local), &zone);
        assert_eq!(
            (d.start, d.end),
            (utc(start), utc(end)),
            "{local} in {zone} as UTC instants"
        );
    }

    #[test]
    fn today_is_the_local_date_not_the_utc_one() {
        // 8 pm in New York is already the next day in UTC.
        let now = utc("2026-11-30T01:00:00Z");
        assert_eq!(
            today(now, &New_York).date,
            date("2026-11-29"),
            "New York's evening"
        );
        assert_eq!(
            today(now, &Utc).date,
            date("2026-11-30"),
            "UTC's next morning"
        );
        let t = today(now, &New_York);
        assert!(t.start <= now && now < t.end, "today holds now");
    }

    #[test]
    fn the_last_days_end_with_today_oldest_first_and_touch() {
        let now = utc("2026-11-30T01:00:00Z");
        let days = last_days(now, 30, &New_York);
        assert_eq!(
            days.len(),
            30,
            "one entry per day, whether or not anything happened"
        );
        assert_eq!(days[0].date, date("2026-10-31"), "the oldest first");
        assert_eq!(days[29], today(now, &New_York), "today last");
        assert!(
            days.windows(2).all(|w| w[0].end == w[1].start),
            "each day ends where the next begins, across the change back to standard time"
        );
        assert!(last_days(now, 0, &New_York).is_empty());
    }
}
