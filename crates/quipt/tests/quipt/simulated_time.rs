//! The clock seam: every wait the client makes sleeps on the builder's clock, so a 60-second
//! `Retry-After` costs no real time under a simulated clock; and the OAuth timestamp reads it, so a
//! computer clock an hour off is told as such ("check this computer's clock"), not as refused
//! credentials.

use std::time::{Duration, Instant};

use quipt::{Client, Error};

use crate::support::*;

fn client_on(sb: &sandbox::RunningSandbox, clock: std::sync::Arc<SimulatedClock>) -> Client {
    Client::builder(sb.quipt_url())
        .consumer(consumer())
        .token(demo_token())
        .clock(clock)
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_minute_of_retry_after_passes_on_the_simulated_clock_without_sleeping() {
    let sb = sandbox(0).await;
    sb.quipt.set_rate_limit(1, Duration::from_secs(60));
    let clock = SimulatedClock::off_by(0);
    let client = client_on(&sb, clock.clone());
    client.partners().list().await.unwrap();
    let started = Instant::now();
    let result = client.partners().list().await;
    assert!(
        matches!(result, Err(Error::RateLimited { .. })),
        "the simulator's window does not follow the simulated clock, so the limit stays: {result:?}"
    );
    let slept = clock.slept();
    assert_eq!(slept.len(), 3, "each retry waited on the clock: {slept:?}");
    assert!(
        slept.iter().all(|w| *w > Duration::from_secs(50)),
        "the waits are Retry-After's, close to a minute: {slept:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "three minutes of waits took no real time: {:?}",
        started.elapsed()
    );
    assert_eq!(
        client.metrics().waited,
        slept.iter().sum::<Duration>(),
        "the metrics count the simulated waits"
    );
}

#[tokio::test]
async fn a_computer_clock_an_hour_off_is_told_as_a_wrong_clock() {
    let sb = sandbox(0).await;
    for offset in [3600, -3600] {
        let result = client_on(&sb, SimulatedClock::off_by(offset))
            .warehouses()
            .list()
            .await;
        let Err(error @ Error::ClockSkew { .. }) = result else {
            panic!("a timestamp an hour off is refused and blamed on the clock: {result:?}")
        };
        let message = error.to_string();
        assert!(
            message.contains("check this computer's clock"),
            "the operator is told what to fix: {message}"
        );
        let side = if offset > 0 { "ahead of" } else { "behind" };
        assert!(
            message.contains(&format!("60 minutes {side}")),
            "and which way it is off: {message}"
        );
    }
    let wrong_key = quipt::ConsumerCredentials {
        key: consumer().key.clone(),
        secret: "wrong".into(),
    };
    let result = client_with(&sb, wrong_key, demo_token())
        .warehouses()
        .list()
        .await;
    assert!(
        matches!(result, Err(Error::Unauthorized { .. })),
        "with the right clock a refused signature is the credentials: {result:?}"
    );
}
