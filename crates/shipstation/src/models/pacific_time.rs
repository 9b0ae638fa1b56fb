//! ShipStation writes timestamps as US Pacific wall-clock without an offset
//! (`2026-11-24T08:46:27.0000000`) and reads date filters as Pacific `yyyy-MM-dd HH:mm:ss`
//! (shipstation.md, "Dates"). The public API of this crate is all `DateTime<Utc>`; this module is the
//! one place that converts, DST-aware, in `America/Los_Angeles`.
//!
//! Two wall-clock readings are not one-to-one:
//! - In the November fall-back hour (01:00–01:59 happens twice) a wall-clock time is **ambiguous**;
//!   we pick the **earlier** instant (PDT). For a filter start this widens the window, which the
//!   connector's overlapping windows and de-duplication by id make harmless.
//! - In the March spring-forward gap (02:00–02:59 never happens) a wall-clock time does not exist;
//!   we **shift it forward** by the gap (02:30 → 03:30 PDT), the instant the clock would show had it
//!   not jumped.
//!
//! Not every instant has a reading, nor every reading an instant: Pacific time is up to eight hours
//! behind UTC, so chrono's first hours have no wall clock and its last wall-clock hours no instant.
//! Both directions are checked, so a date a server sends or an order carries is refused, never a
//! panic. What the API writes has four-digit years ([`YEARS`]); an instant outside them is not
//! written.

use std::ops::RangeInclusive;

use chrono::{
    DateTime, Datelike, NaiveDate, NaiveDateTime, Offset, TimeDelta, TimeZone, Timelike, Utc,
};
use chrono_tz::America::Los_Angeles;
use serde::{Deserialize, Deserializer, Serializer};

/// The years the API's dates carry: its formats write four digits (`yyyy`), and its .NET
/// `DateTime` holds 0001–9999.
pub const YEARS: RangeInclusive<i32> = 1..=9999;

/// The UTC instant of a Pacific wall-clock time (ambiguous → earlier, nonexistent → shifted
/// forward), or `None` for a reading with no instant (chrono's last hours).
pub fn to_utc(wall_clock: NaiveDateTime) -> Option<DateTime<Utc>> {
    let mut candidate = wall_clock;
    // Gaps in America/Los_Angeles are one hour; a few steps always land on a real time.
    for _ in 0..4 {
        if let Some(at) = Los_Angeles.from_local_datetime(&candidate).earliest() {
            return Some(at.with_timezone(&Utc));
        }
        candidate = candidate.checked_add_signed(TimeDelta::hours(1))?;
    }
    None
}

/// The Pacific wall-clock reading of an instant, or `None` for an instant with none (chrono's
/// first hours).
pub fn to_wall_clock(at: DateTime<Utc>) -> Option<NaiveDateTime> {
    let offset = Los_Angeles.offset_from_utc_datetime(&at.naive_utc()).fix();
    at.naive_utc().checked_add_offset(offset)
}

/// An instant as the API writes it: Pacific wall-clock, 7 fractional digits, no offset; `None`
/// when its reading has no year in [`YEARS`].
pub fn format_timestamp(at: DateTime<Utc>) -> Option<String> {
    let local = to_wall_clock(at).filter(|local| YEARS.contains(&local.year()))?;
    // chrono has no 7-digit fraction specifier; the API's .NET ticks are 100 ns.
    Some(format!(
        "{}.{:07}",
        local.format("%Y-%m-%dT%H:%M:%S"),
        local.nanosecond() % 1_000_000_000 / 100
    ))
}

/// An instant as a date filter (`createDateStart=...`): Pacific `yyyy-MM-dd HH:mm:ss`. Sub-second
/// precision is dropped (truncated), so a start filter never skips the instant itself.
/// An instant of chrono's first hours, which has no reading, filters from the earliest wall clock:
/// nothing lies between the two.
pub fn format_filter(at: DateTime<Utc>) -> String {
    to_wall_clock(at)
        .unwrap_or(NaiveDateTime::MIN)
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

/// A date filter or value (`shipDateStart=...`).
pub fn format_date(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// Reads a timestamp the API wrote: Pacific wall-clock with any number of fractional digits (or
/// none); an explicit offset or `Z`, if the API ever sends one, is honoured instead. `None` for text
/// that is not a timestamp or a reading no instant has.
pub fn parse_timestamp(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some(at.with_timezone(&Utc));
    }
    [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
    ]
    .iter()
    .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
    .or_else(|| {
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .ok()
            .and_then(|d| d.and_hms_opt(0, 0, 0))
    })
    .and_then(to_utc)
}

/// Reads a date the API wrote (`shipDate`): `2026-11-24`, or a timestamp whose date part counts.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim().get(..10)?, "%Y-%m-%d").ok()
}

fn invalid<E: serde::de::Error>(text: &str, what: &str) -> E {
    E::custom(format!("`{text}` is not a ShipStation {what}"))
}

/// [`format_timestamp`] for a serializer: an instant it refuses is an error naming the instant.
fn writable<E: serde::ser::Error>(at: DateTime<Utc>) -> Result<String, E> {
    format_timestamp(at).ok_or_else(|| {
        E::custom(format!(
            "{at} cannot be written as a ShipStation date (Pacific years {}–{})",
            YEARS.start(),
            YEARS.end()
        ))
    })
}

/// Serde for a required timestamp field (`orderDate` when writing).
pub(crate) mod required {
    use super::*;

    pub fn serialize<S: Serializer>(at: &DateTime<Utc>, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&writable(*at)?)
    }
}

/// Serde for an optional timestamp field; `null`, absent and `""` are `None`.
pub(crate) mod optional {
    use super::*;

    pub fn serialize<S: Serializer>(
        at: &Option<DateTime<Utc>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match at {
            Some(at) => serializer.serialize_str(&writable(*at)?),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<DateTime<Utc>>, D::Error> {
        match Option::<String>::deserialize(deserializer)? {
            None => Ok(None),
            Some(text) if text.trim().is_empty() => Ok(None),
            Some(text) => parse_timestamp(&text)
                .map(Some)
                .ok_or_else(|| invalid(&text, "timestamp")),
        }
    }
}

/// Serde for an optional date field (`shipDate`).
pub(crate) mod optional_date {
    use super::*;

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<NaiveDate>, D::Error> {
        match Option::<String>::deserialize(deserializer)? {
            None => Ok(None),
            Some(text) if text.trim().is_empty() => Ok(None),
            Some(text) => parse_date(&text)
                .map(Some)
                .ok_or_else(|| invalid(&text, "date")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[rstest]
    #[case::winter_is_utc_minus_8("2026-11-24T08:46:27.0000000", "2026-11-24T16:46:27Z")]
    #[case::summer_is_utc_minus_7("2026-07-04T12:00:00.0000000", "2026-07-04T19:00:00Z")]
    #[case::last_pst_second_before_spring_forward(
        "2026-03-08T01:59:59.0000000",
        "2026-03-08T09:59:59Z"
    )]
    #[case::skipped_hour_is_shifted_forward("2026-03-08T02:30:00.0000000", "2026-03-08T10:30:00Z")]
    #[case::first_pdt_time_after_spring_forward(
        "2026-03-08T03:00:00.0000000",
        "2026-03-08T10:00:00Z"
    )]
    #[case::repeated_hour_reads_as_the_earlier_pdt_instant(
        "2026-11-01T01:30:00.0000000",
        "2026-11-01T08:30:00Z"
    )]
    #[case::after_fall_back_is_pst("2026-11-01T02:00:00.0000000", "2026-11-01T10:00:00Z")]
    #[case::fractions_of_any_length("2026-11-24T08:46:27.5", "2026-11-24T16:46:27.5Z")]
    #[case::no_fraction("2026-11-24T08:46:27", "2026-11-24T16:46:27Z")]
    #[case::an_explicit_offset_wins("2026-11-24T08:46:27Z", "2026-11-24T08:46:27Z")]
    fn pacific_wall_clock_reads_as_the_right_instant(#[case] wall: &str, #[case] expected: &str) {
        assert_eq!(
            parse_timestamp(wall),
            Some(utc(expected)),
            "{wall} in America/Los_Angeles"
        );
    }

    #[rstest]
    #[case::before_spring_forward("2026-03-08T09:59:59Z", "2026-03-08T01:59:59.0000000")]
    #[case::after_spring_forward("2026-03-08T10:00:00Z", "2026-03-08T03:00:00.0000000")]
    #[case::first_pass_of_the_repeated_hour("2026-11-01T08:30:00Z", "2026-11-01T01:30:00.0000000")]
    #[case::second_pass_of_the_repeated_hour("2026-11-01T09:30:00Z", "2026-11-01T01:30:00.0000000")]
    #[case::seven_digits_of_100ns_ticks(
        "2026-11-24T16:46:27.1234567Z",
        "2026-11-24T08:46:27.1234567"
    )]
    fn instants_are_written_as_pacific_wall_clock(#[case] instant: &str, #[case] expected: &str) {
        assert_eq!(
            format_timestamp(utc(instant)).as_deref(),
            Some(expected),
            "{instant} as the API writes it"
        );
    }

    #[rstest]
    #[case::winter("2026-01-15T20:00:00.999Z", "2026-01-15 12:00:00")]
    #[case::spring_forward_day("2026-03-08T12:00:00Z", "2026-03-08 05:00:00")]
    #[case::fall_back_day("2026-11-01T12:00:00Z", "2026-11-01 04:00:00")]
    fn filters_are_pacific_seconds(#[case] instant: &str, #[case] expected: &str) {
        assert_eq!(
            format_filter(utc(instant)),
            expected,
            "filter text for {instant}"
        );
    }

    #[test]
    fn every_instant_of_both_dst_days_round_trips_except_the_repeated_hour() {
        for day in ["2026-03-08T00:00:00Z", "2026-11-01T00:00:00Z"] {
            let start = utc(day);
            for minutes in (0..48 * 60).step_by(15) {
                let at = start + chrono::Duration::minutes(minutes);
                let back = parse_timestamp(&format_timestamp(at).unwrap()).unwrap();
                let wall = to_wall_clock(at).unwrap();
                let repeated = wall.date() == NaiveDate::from_ymd_opt(2026, 11, 1).unwrap()
                    && wall.hour() == 1;
                if repeated {
                    assert!(
                        back <= at,
                        "the repeated hour reads as the earlier instant ({at})"
                    );
                } else {
                    assert_eq!(
                        back, at,
                        "{at} survives a round trip through Pacific wall-clock"
                    );
                }
            }
        }
    }

    #[test]
    fn a_wall_clock_at_chronos_upper_limit_is_refused_not_a_panic() {
        // Its UTC instant (+8 h) is beyond what chrono holds, and so is the hour after it.
        for text in [
            "+262142-12-31T23:00:00.0000000",
            "+262142-12-31T20:00:00",
            "+262142-12-31T16:00:00",
        ] {
            assert_eq!(
                parse_timestamp(text),
                None,
                "{text} has no instant: a decode error, not a panic"
            );
        }
    }

    #[test]
    fn an_instant_whose_pacific_reading_is_before_chronos_range_is_not_written() {
        let at = DateTime::<Utc>::MIN_UTC;
        let written = required::serialize(&at, serde_json::value::Serializer);
        assert!(
            written.is_err_and(|e| e.to_string().contains("cannot be written")),
            "{at} has no Pacific wall clock: an error, not a panic"
        );
    }

    #[rstest]
    #[case::year_0("0000-06-01T12:00:00Z")]
    #[case::year_10000("+10000-01-01T12:00:00Z")]
    fn an_instant_outside_the_apis_four_digit_years_is_not_written(#[case] instant: &str) {
        let at: DateTime<Utc> = instant.parse().unwrap();
        assert!(
            required::serialize(&at, serde_json::value::Serializer).is_err(),
            "{instant} cannot be written as yyyy-MM-dd: refused rather than sent"
        );
    }

    #[test]
    fn a_filter_at_chronos_lower_limit_is_its_earliest_wall_clock() {
        assert_eq!(
            format_filter(DateTime::<Utc>::MIN_UTC),
            "-262143-01-01 00:00:00",
            "the earliest instant filters from the earliest wall clock, without a panic"
        );
    }

    #[test]
    fn dates_read_from_dates_and_timestamps() {
        let expected = NaiveDate::from_ymd_opt(2026, 11, 24);
        assert_eq!(parse_date("2026-11-24"), expected, "a plain date");
        assert_eq!(
            parse_date("2026-11-24T00:00:00.0000000"),
            expected,
            "a timestamp's date part"
        );
        assert_eq!(
            parse_date("24/11/2026"),
            None,
            "other formats are refused, not guessed"
        );
    }
}
