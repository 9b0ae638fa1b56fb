//! A pass's cursor during one run, kept from following a record dated in the future.
//!
//! A cursor moves to the newest server timestamp its pass read and never back, and the next run
//! reads from it minus [`OVERLAP`]. A server can date one record years ahead (a .NET `MaxValue`
//! sentinel in a Quipt order's `ModifiedAt`, a ShipStation label created "in 2099"). A cursor that
//! followed it would stay there: every later run would read from 2099, find nothing and say "ok",
//! while new orders and tracking were skipped. So:
//!
//! - A cursor never moves past the moment its pass began reading ([`Cursor::read`]). The next run
//!   reads from there minus the overlap, so whatever changed since is read, even from a server
//!   whose clock is up to [`OVERLAP`] behind this computer's. Any allowance past the pass's start
//!   would come off that margin, so there is none. A record honestly dated a little later (a
//!   server clock ahead of ours, a change made while the pass read) costs nothing: the next run
//!   reads it again, and it is de-duplicated by id.
//! - A record dated more than [`CLOCK_TOLERANCE`] after this computer's clock is handled as usual
//!   and logged as a warning that names it ([`Cursor::saw`]); orders-out also notes it on the
//!   order's timeline.
//! - A cursor stored beyond that moment (by an older version, which did follow such records) is
//!   read as that moment and written back to it, so an installed connector recovers on its own.

use std::fmt;

use chrono::{DateTime, Utc};

use super::{OVERLAP, Run};
use crate::error::Result;
use crate::store;

/// How far after this computer's clock a server's timestamp may be before the record is reported
/// as dated ahead: the clock difference the overlap is there to absorb, and the most Quipt allows
/// (its OAuth window, 5 minutes). It decides only what is reported; the cursor stops at the pass's
/// start whatever the difference.
pub const CLOCK_TOLERANCE: chrono::Duration = OVERLAP;

/// How long a record that did not read keeps its pass's cursor from moving past it
/// ([`Cursor::stop_at`]): a day of runs reading it again.
pub const READ_AGAIN_FOR: chrono::Duration = chrono::Duration::hours(24);

/// Whether a server dates a record `at` further after this computer's clock (`now`) than clocks
/// honestly differ.
fn dated_ahead(at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    at > now + CLOCK_TOLERANCE
}

/// One pass's cursor: where it stood when the pass began, and the newest timestamp read since, up
/// to the pass's start.
#[derive(Debug)]
pub(crate) struct Cursor {
    name: &'static str,
    /// The pass's start: the furthest the cursor may move.
    limit: DateTime<Utc>,
    /// The cursor as the pass reads from it.
    stored: Option<DateTime<Utc>>,
    /// The newest timestamp read, up to `limit`.
    newest: Option<DateTime<Utc>>,
    /// Where a record that must be read again stops the cursor ([`Cursor::stop_at`]).
    stop: Option<DateTime<Utc>>,
}

impl Cursor {
    /// Reads the cursor `name` as the pass begins. One stored beyond this moment (see the module
    /// documentation) is read as this moment and, unless this is a dry run, written back to it.
    ///
    /// # Errors
    /// When SQLite fails.
    pub fn read(run: &Run<'_>, name: &'static str) -> Result<Self> {
        let limit = run.now();
        let db = run.ctx.db();
        let stored = store::cursors::get(&db, name)?;
        if let Some(at) = stored.filter(|at| *at > limit) {
            if dated_ahead(at, limit) {
                tracing::warn!(
                    cursor = name,
                    stored = %at,
                    "the cursor stood ahead of this computer's clock (left by a record dated in the future): reading from now on"
                );
            }
            if !run.dry_run {
                store::cursors::pull_back(&db, name, limit)?;
            }
        }
        Ok(Self::starting(name, limit, stored))
    }

    fn starting(name: &'static str, limit: DateTime<Utc>, stored: Option<DateTime<Utc>>) -> Self {
        Self {
            name,
            limit,
            stored: stored.map(|at| at.min(limit)),
            newest: None,
            stop: None,
        }
    }

    /// Where the cursor stood when the pass began, never after that moment.
    pub fn at(&self) -> Option<DateTime<Utc>> {
        self.stored
    }

    /// Takes in the server timestamp `at` of a record the pass read at `now`: the cursor moves to
    /// it, up to the pass's start. Returns whether the record is dated ahead of this computer's
    /// clock by more than [`CLOCK_TOLERANCE`], which it logs as a warning naming `record`; the
    /// record is handled as usual either way.
    pub fn saw(
        &mut self,
        at: DateTime<Utc>,
        now: DateTime<Utc>,
        record: &dyn fmt::Display,
    ) -> bool {
        self.newest = self.newest.max(Some(at.min(self.limit)));
        let ahead = dated_ahead(at, now);
        if ahead {
            tracing::warn!(
                cursor = self.name,
                "{record} is dated {at}, ahead of this computer's clock ({now}): handled as usual, and the cursor does not follow it"
            );
        }
        ahead
    }

    /// Keeps the cursor from moving past a record dated `at` that the next run must read again (a
    /// row that did not read, which would otherwise never be listed again): the cursor stops at
    /// it, or stays where it stood when the record's date is unknown too. Only for
    /// [`READ_AGAIN_FOR`]: a record older than that is left to the operator, so that one record
    /// that never reads does not make every run read a longer and longer stretch again.
    pub fn stop_at(&mut self, at: Option<DateTime<Utc>>) {
        if let Some(at) = at
            .or(self.stored)
            .filter(|at| *at > self.limit - READ_AGAIN_FOR)
        {
            self.stop = Some(self.stop.map_or(at, |stop| stop.min(at)));
        }
    }

    /// Where the cursor goes: the newest timestamp read, short of any record to read again.
    fn destination(&self) -> Option<DateTime<Utc>> {
        self.newest
            .map(|newest| self.stop.map_or(newest, |stop| newest.min(stop)))
    }

    /// Stores where the cursor goes ([`Cursor::destination`]) as the cursor (never backwards); a
    /// dry run stores nothing. Called once the pass's results are committed.
    ///
    /// # Errors
    /// When SQLite fails.
    pub fn commit(self, run: &Run<'_>) -> Result<()> {
        match self.destination() {
            Some(to) if !run.dry_run => store::cursors::advance(&run.ctx.db(), self.name, to),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn at(rfc3339: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(rfc3339).unwrap().into()
    }

    const START: &str = "2026-11-24T10:00:00Z";

    #[rstest]
    #[case::an_honest_record_moves_it("2026-11-24T09:58:00Z", "2026-11-24T09:58:00Z", false)]
    #[case::a_server_clock_a_minute_ahead_stops_at_the_start("2026-11-24T10:01:00Z", START, false)]
    #[case::a_record_six_minutes_ahead_is_reported("2026-11-24T10:06:00Z", START, true)]
    #[case::a_record_in_2099_is_reported_and_not_followed("2099-12-31T23:59:59Z", START, true)]
    fn the_cursor_never_passes_the_start_of_its_pass(
        #[case] record: &str,
        #[case] cursor: &str,
        #[case] reported: bool,
    ) {
        let mut c = Cursor::starting("orders_out", at(START), Some(at("2026-11-24T09:00:00Z")));
        assert_eq!(
            c.saw(at(record), at(START), &"order Q-1"),
            reported,
            "reported as dated ahead"
        );
        assert_eq!(c.newest, Some(at(cursor)), "where the cursor moves");
    }

    #[test]
    fn the_newest_record_within_the_start_wins_over_one_dated_ahead() {
        let mut c = Cursor::starting("tracking_back", at(START), None);
        c.saw(at("2099-01-01T00:00:00Z"), at(START), &"shipment 1");
        c.saw(at("2026-11-24T09:30:00Z"), at(START), &"shipment 2");
        assert_eq!(c.newest, Some(at(START)));
    }

    #[rstest]
    #[case::nothing_to_read_again(None, Some("2026-11-24T09:50:00Z"))]
    #[case::it_stops_at_a_row_to_read_again(
        Some(Some("2026-11-24T09:20:00Z")),
        Some("2026-11-24T09:20:00Z")
    )]
    #[case::a_row_after_the_newest_stops_nothing(
        Some(Some("2026-11-24T09:55:00Z")),
        Some("2026-11-24T09:50:00Z")
    )]
    #[case::a_row_of_unknown_date_keeps_it_where_it_stood(Some(None), Some("2026-11-24T09:00:00Z"))]
    #[case::a_row_older_than_a_day_is_left_to_the_operator(
        Some(Some("2026-11-23T09:59:00Z")),
        Some("2026-11-24T09:50:00Z")
    )]
    fn a_row_to_read_again_stops_the_cursor(
        #[case] stop: Option<Option<&str>>,
        #[case] destination: Option<&str>,
    ) {
        let mut c = Cursor::starting("tracking_back", at(START), Some(at("2026-11-24T09:00:00Z")));
        c.saw(at("2026-11-24T09:50:00Z"), at(START), &"shipment 1");
        if let Some(stop) = stop {
            c.stop_at(stop.map(at));
        }
        assert_eq!(c.destination(), destination.map(at));
    }

    #[rstest]
    #[case::none_stays_none(None, None)]
    #[case::before_the_start_is_kept(Some("2026-11-24T09:00:00Z"), Some("2026-11-24T09:00:00Z"))]
    #[case::one_left_in_2099_is_read_as_the_start(Some("2099-12-31T23:59:59Z"), Some(START))]
    fn a_stored_cursor_is_read_no_later_than_the_start(
        #[case] stored: Option<&str>,
        #[case] read: Option<&str>,
    ) {
        let c = Cursor::starting("cancellations", at(START), stored.map(at));
        assert_eq!(c.at(), read.map(at));
    }
}
