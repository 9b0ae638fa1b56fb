//! The clock seam: the rate window is measured on the builder's clock and every wait the client
//! makes sleeps on it, so a used-up window costs no real time under a simulated clock. The server
//! here counts its window down per request (40 per window), as ShipStation's headers do.

use std::time::{Duration, Instant};

use shipstation::Client;

use crate::SimulatedClock;
use crate::net::{RawServer, answer};

#[tokio::test]
async fn a_used_up_rate_window_is_waited_out_on_the_simulated_clock_without_sleeping() {
    let server = RawServer::start(|n, _| {
        let remaining = (39 - (n % 41) as i64).max(0).to_string();
        answer(
            200,
            &[
                ("X-Rate-Limit-Limit", "40"),
                ("X-Rate-Limit-Remaining", &remaining),
                ("X-Rate-Limit-Reset", "60"),
            ],
            "[]",
        )
    })
    .await;
    let clock = SimulatedClock::new();
    let client = Client::builder(&server.url)
        .credentials("key", "secret")
        .clock(clock.clone())
        .build()
        .unwrap();
    let started = Instant::now();
    for _ in 0..40 {
        client.stores().list(false).await.unwrap();
    }
    assert!(clock.slept().is_empty(), "40 requests fit the window");
    client
        .stores()
        .list(false)
        .await
        .expect("the 41st request is sent in the next window");
    assert_eq!(
        clock.slept(),
        vec![Duration::from_secs(60)],
        "the 41st request waited for the window's reset, on the clock"
    );
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "a minute of waiting took no real time: {:?}",
        started.elapsed()
    );
    let metrics = client.metrics();
    assert_eq!(metrics.paced_waits, 1, "one paced wait");
    assert_eq!(
        metrics.waited,
        Duration::from_secs(60),
        "counted in simulated time"
    );
    assert_eq!(metrics.rate_limited, 0, "and never a 429");
}
