//! The connector's own Quipt OAuth consumer, shipped with the app. A release is built with the
//! real one in `QUIPT_SHIPPED_CONSUMER_KEY` / `QUIPT_SHIPPED_CONSUMER_SECRET` (`scripts/package.sh`
//! refuses to build without them); any other build ships the sandbox's demo consumer and is a demo
//! build. `QUIPT_CONSUMER_KEY` / `QUIPT_CONSUMER_SECRET` (or keyring entries of those names)
//! override it at run time ([`crate::credentials`]).

/// The consumer key this build ships.
pub const KEY: &str = match option_env!("QUIPT_SHIPPED_CONSUMER_KEY") {
    Some(key) => key,
    None => "demo-consumer",
};

/// The consumer secret this build ships.
pub const SECRET: &str = match option_env!("QUIPT_SHIPPED_CONSUMER_SECRET") {
    Some(secret) => secret,
    None => "demo-consumer-secret",
};

/// Whether this build ships the sandbox's demo consumer because no real one was compiled in
/// (`scripts/package.sh --demo`, or any `cargo build` without the two variables): such a build
/// authorizes only against the sandbox, and says so in `--version`.
pub fn is_demo() -> bool {
    option_env!("QUIPT_SHIPPED_CONSUMER_KEY").is_none()
}

/// The values compiled in from the environment (the sandbox's demo consumer is no secret):
/// [`crate::redaction`] redacts them from the first log line on.
pub(crate) fn compiled_in() -> impl Iterator<Item = &'static str> {
    [
        option_env!("QUIPT_SHIPPED_CONSUMER_KEY"),
        option_env!("QUIPT_SHIPPED_CONSUMER_SECRET"),
    ]
    .into_iter()
    .flatten()
}
