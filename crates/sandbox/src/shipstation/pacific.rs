//! ShipStation's dates are US Pacific wall-clock without an offset (`2026-11-24T08:46:27.0000000`) and
//! its date filters are Pacific `yyyy-MM-dd HH:mm:ss` (shipstation.md, "Dates"). The simulator keeps
//! every instant in UTC and converts only where JSON is written or a filter is read.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::America::Los_Angeles;

/// Renders an instant the way ShipStation does: Pacific wall-clock, 7 fractional digits, no offset.
pub fn format_timestamp(at: DateTime<Utc>) -> String {
    use chrono::Timelike;
    let local = at.with_timezone(&Los_Angeles);
    // chrono has no 7-digit fraction specifier; ShipStation's .NET ticks are 100 ns.
    format!(
        "{}.{:07}",
        local.format("%Y-%m-%dT%H:%M:%S"),
        local.nanosecond() % 1_000_000_000 / 100
    )
}

/// The Pacific calendar date of an instant (`shipDate` is a date).
pub fn pacific_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&Los_Angeles).date_naive()
}

/// Reads a Pacific wall-clock time. An ambiguous time (the repeated hour in November) is read as the
/// earlier instant; a time that does not exist (the skipped hour in March) is shifted forward by the
/// gap, the same rule the client uses.
pub fn wall_clock_to_utc(naive: NaiveDateTime) -> DateTime<Utc> {
    let mut candidate = naive;
    for _ in 0..4 {
        if let Some(at) = Los_Angeles.from_local_datetime(&candidate).earliest() {
            return at.with_timezone(&Utc);
        }
        match candidate.checked_add_signed(chrono::Duration::hours(1)) {
            Some(next) => candidate = next,
            None => break,
        }
    }
    // Reached at the edge of chrono's range only (Los Angeles' gaps are one hour): read it as UTC.
    naive.and_utc()
}

/// Reads a timestamp sent by a client: Pacific wall-clock with or without fractions, or (tolerated)
/// an RFC 3339 time with an offset.
pub fn parse_timestamp(text: &str) -> Option<DateTime<Utc>> {
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some(at.with_timezone(&Utc));
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(text, format) {
            return Some(wall_clock_to_utc(naive));
        }
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .map(|date| wall_clock_to_utc(date.and_hms_opt(0, 0, 0).unwrap_or_default()))
}

/// Reads a date filter (`yyyy-MM-dd HH:mm:ss` Pacific, the contract's choice); the other forms of
/// [`parse_timestamp`] are tolerated.
pub fn parse_filter(text: &str) -> Option<DateTime<Utc>> {
    parse_timestamp(text.trim())
}

/// Reads a `shipDate` filter or value: a date, or a timestamp whose date part is used.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let head = text.get(..10)?;
    NaiveDate::parse_from_str(head, "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_rendered_as_pacific_wall_clock_with_seven_digits() {
        let at = Utc.with_ymd_and_hms(2026, 11, 24, 16, 46, 27).unwrap();
        assert_eq!(
            format_timestamp(at),
            "2026-11-24T08:46:27.0000000",
            "PST is UTC-8"
        );
    }

    #[test]
    fn the_repeated_november_hour_reads_as_the_earlier_instant() {
        let at = parse_filter("2026-11-01 01:30:00").unwrap();
        assert_eq!(
            at,
            Utc.with_ymd_and_hms(2026, 11, 1, 8, 30, 0).unwrap(),
            "01:30 PDT is 08:30 UTC"
        );
    }

    #[test]
    fn a_wall_clock_time_at_the_end_of_the_calendar_is_read_without_overflowing() {
        let last = NaiveDateTime::MAX - chrono::Duration::minutes(30);
        assert_eq!(wall_clock_to_utc(last), last.and_utc(), "read as UTC");
    }

    #[test]
    fn the_skipped_march_hour_is_shifted_forward() {
        let at = parse_filter("2026-03-08 02:30:00").unwrap();
        assert_eq!(
            at,
            Utc.with_ymd_and_hms(2026, 3, 8, 10, 30, 0).unwrap(),
            "03:30 PDT is 10:30 UTC"
        );
    }
}
