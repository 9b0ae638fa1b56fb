//! Properties of reading `Retry-After` and of the retry decision over arbitrary header bytes:
//! never a panic, never a wait beyond the 60-second window (a longer one ends the call).

use std::time::Duration;

use proptest::prelude::*;
use quipt::retry::{
    Attempt, Decision, RATE_WINDOW, Repeat, RetryPolicy, decide, parse_retry_after,
};

proptest! {
    #[test]
    fn any_retry_after_is_read_without_panic_and_waited_only_within_the_window(
        raw in prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..40),
            "[-+]?[0-9]{0,30}(\\.[0-9]{0,5})?".prop_map(String::into_bytes),
            Just(b"NaN".to_vec()),
            Just(b"inf".to_vec()),
            "(Mon|Wed|Xyz), [0-9]{1,2} (Oct|Feb) [0-9]{1,5} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT".prop_map(String::into_bytes),
        ],
        date in proptest::option::of(prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..40),
            Just(b"Wed, 21 Oct 2015 07:28:00 GMT".to_vec()),
        ]),
        retries_done in 0u32..5,
    ) {
        let read = parse_retry_after(Some(&raw), date.as_deref());
        if let Some(note) = &read.doubtful {
            prop_assert!(note.chars().count() < 400, "the note is cut short: {note}");
        }
        let attempt = Attempt::Status { status: 429, retry_after: read.wait };
        let policy = RetryPolicy { max_retries: 5, base_delay: Duration::from_secs(1), max_delay: Duration::from_secs(3600) };
        for repeat in [Repeat::Safe, Repeat::CheckFirst] {
            let beyond = read.wait.is_some_and(|w| w > RATE_WINDOW);
            match decide(&policy, attempt, repeat, retries_done) {
                Decision::Retry { after } => prop_assert!(!beyond && after <= RATE_WINDOW, "waits {after:?} for {:?}", read.wait),
                Decision::Stop => prop_assert!(beyond, "a 429 within the window with retries left is retried ({:?})", read.wait),
                other => prop_assert!(false, "a 429 is never a lost answer, got {other:?}"),
            }
        }
    }
}
