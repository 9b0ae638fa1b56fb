//! Properties of the Pacific wall-clock ↔ UTC conversion (`models::pacific_time`) over every
//! instant chrono can hold (years -262143 to +262142), with the years the API writes (1971–2099)
//! and DST transitions drawn as often: the API's dates must come back as the instants they were,
//! except where the wall clock itself is ambiguous, and an instant or a reading with no counterpart
//! is refused, never a panic. And of the pacing over arbitrary rate-header values: never a panic,
//! never a wait beyond the 60-second window.

use chrono::{DateTime, Datelike, Duration, NaiveDateTime, TimeZone, Utc};
use proptest::prelude::*;
use shipstation::models::pacific_time::{
    YEARS, format_filter, format_timestamp, parse_timestamp, to_utc, to_wall_clock,
};

/// Any instant of 1971–2099 at the API's precision (100 ns ticks).
fn recent_instant() -> impl Strategy<Value = DateTime<Utc>> {
    (31_536_000i64..4_102_444_800, 0u32..10_000_000).prop_map(|(secs, ticks)| {
        Utc.timestamp_opt(secs, ticks * 100)
            .single()
            .expect("in range")
    })
}

/// Any instant chrono can hold, its first and last day drawn as often as the rest, at the API's
/// precision.
fn any_instant() -> impl Strategy<Value = DateTime<Utc>> {
    let (min, max) = (
        DateTime::<Utc>::MIN_UTC.timestamp(),
        DateTime::<Utc>::MAX_UTC.timestamp(),
    );
    let day = 86_400;
    (
        prop_oneof![min..=max, min..min + day, max - day..=max],
        0u32..10_000_000,
    )
        .prop_map(|(secs, ticks)| {
            Utc.timestamp_opt(secs, ticks * 100)
                .single()
                .unwrap_or(DateTime::<Utc>::MAX_UTC)
        })
}

/// Any instant, a recent one as often as one from anywhere in chrono's range.
fn instant() -> impl Strategy<Value = DateTime<Utc>> {
    prop_oneof![recent_instant(), any_instant()]
}

/// Instants within a few hours of a DST change, where the bugs live.
fn near_dst_change() -> impl Strategy<Value = DateTime<Utc>> {
    (2000i32..2040, prop::bool::ANY, 0i64..4 * 3600).prop_map(|(year, spring, offset)| {
        // US rules since 2007 move the dates, so probe both old and new Sundays broadly: the
        // second Sunday of March / first of November at 10:00 UTC (02:00 Pacific), ± 2 h.
        let (month, nth) = if spring { (3, 2) } else { (11, 1) };
        let first = chrono::NaiveDate::from_ymd_opt(year, month, 1).expect("a date");
        let sunday = first
            + Duration::days(
                (7 - i64::from(first.weekday_number_from_sunday_zero())) % 7 + 7 * (nth - 1),
            );
        sunday.and_hms_opt(8, 0, 0).expect("a time").and_utc() + Duration::seconds(offset)
    })
}

trait SundayZero {
    fn weekday_number_from_sunday_zero(&self) -> u32;
}
impl SundayZero for chrono::NaiveDate {
    fn weekday_number_from_sunday_zero(&self) -> u32 {
        self.weekday().num_days_from_sunday()
    }
}

fn round_trip_holds(at: DateTime<Utc>) -> Result<(), TestCaseError> {
    let Some(text) = format_timestamp(at) else {
        // Only an instant whose Pacific reading has no four-digit year is refused.
        let year = to_wall_clock(at).map(|wall| wall.year());
        prop_assert!(
            year.is_none_or(|year| !YEARS.contains(&year)),
            "{at} (Pacific year {year:?}) was refused"
        );
        return Ok(());
    };
    let back = parse_timestamp(&text).expect("what we format, we parse");
    // The fall-back hour is written twice on the wall clock; the earlier instant is chosen.
    prop_assert!(
        back == at || back == at - Duration::hours(1),
        "{at} was written as {text} and read back as {back}"
    );
    if back != at {
        prop_assert_eq!(
            to_wall_clock(back),
            to_wall_clock(at),
            "an hour off only when both instants show the same wall clock (fall-back)"
        );
    }
    Ok(())
}

proptest! {
    #[test]
    fn a_written_timestamp_reads_back_as_the_same_instant(at in instant()) {
        round_trip_holds(at)?;
    }

    #[test]
    fn timestamps_around_daylight_saving_changes_read_back(at in near_dst_change()) {
        round_trip_holds(at)?;
    }

    #[test]
    fn a_date_filter_never_starts_after_the_instant_it_was_made_from(at in instant()) {
        prop_assume!(to_wall_clock(at).is_some(), "chrono's first hours have no Pacific reading");
        let start = parse_timestamp(&format_filter(at)).expect("a filter parses");
        prop_assert!(start <= at, "filter {} starts at {start}, after {at}", format_filter(at));
        prop_assert!(at - start < Duration::hours(1) + Duration::seconds(1), "and at most the fall-back hour before");
    }

    #[test]
    fn every_wall_clock_reading_has_an_instant_that_shows_it_or_the_time_after_the_gap(
        at in instant(),
    ) {
        let wall: NaiveDateTime = at.naive_utc();
        let Some(instant) = to_utc(wall) else {
            // Only a reading within hours of chrono's last instant has none (UTC is ahead).
            prop_assert!(DateTime::<Utc>::MAX_UTC - at < Duration::hours(10), "{wall} has no instant");
            return Ok(());
        };
        let shown = to_wall_clock(instant).expect("an instant that shows a reading has one");
        prop_assert!(
            shown == wall || shown == wall + Duration::hours(1),
            "wall clock {wall} maps to an instant showing {shown}"
        );
    }

    #[test]
    fn any_text_is_parsed_or_refused_without_panicking(text in ".{0,40}") {
        let _ = parse_timestamp(&text);
    }
}

/// Header values a hostile or broken server might send: any bytes, numbers of any size and sign,
/// decimals, exponents, and the float words.
fn header_value() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..40),
        "[-+]?[0-9]{0,30}(\\.[0-9]{0,5})?(e[-+]?[0-9]{1,4})?".prop_map(String::into_bytes),
        Just(b"NaN".to_vec()),
        Just(b"-inf".to_vec()),
        Just(b"99999999999999999999".to_vec()),
    ]
}

proptest! {
    #[test]
    fn any_rate_headers_pace_without_panic_and_never_wait_beyond_the_window(
        answers in proptest::collection::vec(
            (proptest::option::of(header_value()), proptest::option::of(header_value()), proptest::option::of(header_value())),
            1..8,
        ),
    ) {
        use shipstation::pacing::{Budget, RATE_WINDOW, RateHeaders, Reservation};
        let start = std::time::Instant::now();
        let mut budget = Budget::new();
        let mut now = start;
        for (limit, remaining, reset) in answers {
            let headers = RateHeaders::parse(limit.as_deref(), remaining.as_deref(), reset.as_deref());
            prop_assert!(headers.reset.is_none_or(|r| r <= RATE_WINDOW), "reset {:?}", headers.reset);
            let ticket = loop {
                match budget.reserve(now) {
                    Reservation::Go(ticket) => break ticket,
                    Reservation::WaitUntil(at) => {
                        prop_assert!(at <= now + RATE_WINDOW, "a wait beyond the window: {:?}", at - now);
                        now = at;
                    }
                    Reservation::WaitForAnswer => prop_assert!(false, "nothing is in flight"),
                }
            };
            budget.record(ticket, Some(headers), now);
        }
        prop_assert!(now - start <= RATE_WINDOW * 8, "bounded in all");
    }
}
