//! Properties of reading `Retry-After` and of the retry decision over arbitrary header bytes:
//! never a panic, never a wait beyond the 60-second window.

use std::time::Duration;

use proptest::prelude::*;
use quipt::retry::{
    Attempt, Decision, RATE_WINDOW, Repeat, RetryPolicy, decide, parse_retry_after,
};

proptest! {
    #[test]
    fn any_retry_after_is_read_without_panic_and_waited_at_most_a_window(
        raw in prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..40),
            "[-+]?[0-9]{0,30}(\\.[0-9]{0,5})?".prop_map(String::into_bytes),
            Just(b"NaN".to_vec()),
            Just(b"inf".to_vec()),
        ],
        retries_done in 0u32..5,
    ) {
        let read = parse_retry_after(Some(&raw));
        prop_assert!(read.wait.is_none_or(|w| w <= RATE_WINDOW), "wait {:?} for {:?}", read.wait, raw);
        if let Some(note) = &read.doubtful {
            prop_assert!(note.chars().count() < 400, "the note is cut short: {note}");
        }
        let attempt = Attempt::Status { status: 429, retry_after: read.wait };
        let policy = RetryPolicy { max_retries: 5, base_delay: Duration::from_secs(1), max_delay: Duration::from_secs(3600) };
        for repeat in [Repeat::Safe, Repeat::CheckFirst] {
            match decide(&policy, attempt, repeat, retries_done) {
                Decision::Retry { after } => prop_assert!(after <= RATE_WINDOW, "waits {after:?}"),
                other => prop_assert!(false, "a 429 with retries left is retried, got {other:?}"),
            }
        }
    }
}
