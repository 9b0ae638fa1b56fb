//! Durations the end-to-end tests shorten or lengthen through the environment, so that a journey
//! sees in seconds what takes minutes for an operator, or rules out what would happen meanwhile.
//! Read only in a build with the `automation` feature (the harness's); any other build keeps its
//! own durations whatever the environment says.

use std::time::Duration;

/// The milliseconds in `variable`, in an `automation` build when it is set to a number.
#[cfg(feature = "automation")]
pub fn millis(variable: &str) -> Option<Duration> {
    std::env::var(variable)
        .ok()?
        .parse()
        .ok()
        .map(Duration::from_millis)
}

/// Without the `automation` feature: never.
#[cfg(not(feature = "automation"))]
pub fn millis(_variable: &str) -> Option<Duration> {
    None
}
