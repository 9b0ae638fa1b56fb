//! The faults both simulators arm alike: an outage until a simulated instant, and writes that take
//! effect and then lose their answer. Each simulator's own `faults.rs` holds them beside its other
//! faults and decides where in its gate they apply.

use chrono::{DateTime, Utc};
use serde::Deserialize;

/// The server is down until a simulated instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct Outage {
    /// The simulated instant it ends.
    pub until: DateTime<Utc>,
    /// What every request gets meanwhile: this status (e.g. 503), or (`None`) its connection
    /// closed without an answer.
    #[serde(default)]
    pub status: Option<u16>,
}

impl Outage {
    /// The outage armed in `slot` if it is still in force at `now`; an ended one is forgotten.
    pub fn in_force(slot: &mut Option<Outage>, now: DateTime<Utc>) -> Option<Outage> {
        *slot = slot.filter(|outage| now < outage.until);
        *slot
    }
}

/// The next writes (of one kind `W`, or any) that take effect and then lose their answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct LostAnswers<W> {
    /// How many writes are left to lose their answer.
    pub count: u32,
    /// Which kind of write; `None`: any.
    #[serde(default = "Option::default")]
    pub write: Option<W>,
}

impl<W: PartialEq + Copy> LostAnswers<W> {
    /// Whether the answer to `write`, which took effect, is to be lost (counting `slot` down).
    pub fn take(slot: &mut Option<Self>, write: W) -> bool {
        let Some(armed) = slot.as_mut() else {
            return false;
        };
        if armed.write.is_some_and(|kind| kind != write) {
            return false;
        }
        armed.count = armed.count.saturating_sub(1);
        if armed.count == 0 {
            *slot = None;
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lost_answer_is_taken_only_by_the_write_it_targets_and_only_as_often_as_armed() {
        let mut slot = Some(LostAnswers {
            count: 1,
            write: Some("reject"),
        });
        assert!(
            !LostAnswers::take(&mut slot, "acknowledge"),
            "an acceptance is not the rejection the test armed it for"
        );
        assert!(
            LostAnswers::take(&mut slot, "reject"),
            "the rejection loses its answer"
        );
        assert!(!LostAnswers::take(&mut slot, "reject"), "only once");
        let mut any = Some(LostAnswers::<&str> {
            count: 2,
            write: None,
        });
        assert!(LostAnswers::take(&mut any, "ship"), "unnamed: any write");
        assert!(LostAnswers::take(&mut any, "void"), "twice");
        assert_eq!(any, None, "and then it is used up");
    }

    #[test]
    fn an_outage_ends_at_its_instant() {
        let until = DateTime::from_timestamp(1_000, 0).unwrap();
        let mut slot = Some(Outage {
            until,
            status: Some(503),
        });
        let before = until - chrono::Duration::seconds(1);
        assert!(Outage::in_force(&mut slot, before).is_some(), "down before");
        assert_eq!(
            Outage::in_force(&mut slot, until),
            None,
            "up again at the instant"
        );
        assert_eq!(slot, None, "and the ended outage is forgotten");
    }
}
