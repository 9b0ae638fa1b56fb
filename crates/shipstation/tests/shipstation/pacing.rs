use std::time::{Duration, Instant};

use crate::{client, sandbox};

const WINDOW: Duration = Duration::from_secs(2);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_concurrent_calls_through_a_short_window_never_provoke_a_429() {
    let sandbox = sandbox(WINDOW).await;
    let client = client(&sandbox);
    let started = Instant::now();
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                for _ in 0..25 {
                    client
                        .warehouses()
                        .list()
                        .await
                        .expect("every call succeeds");
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let elapsed = started.elapsed();
    // 200 calls need 5 windows of 40: the last window opens 4 windows after the first.
    let theoretical = WINDOW * 4;
    let stats = sandbox.shipstation.stats();
    let metrics = client.metrics();
    println!(
        "200 calls, 8 concurrent clones, 40 per {WINDOW:?}: {elapsed:?} (theoretical minimum {theoretical:?}), \
         429s {}, paced waits {}, requests {}",
        stats.rate_limited, metrics.paced_waits, metrics.requests
    );
    assert_eq!(
        stats.rate_limited, 0,
        "the key's only user must never be answered 429"
    );
    assert_eq!(stats.total, 200, "no request was repeated");
    assert!(
        elapsed < theoretical.mul_f64(1.5),
        "pacing is close to the ceiling: {elapsed:?}"
    );
    assert!(
        metrics.paced_waits > 0,
        "the client did have to wait for resets"
    );
}

#[tokio::test]
async fn the_client_recovers_when_another_application_drains_the_budget() {
    let sandbox = sandbox(WINDOW).await;
    let client = client(&sandbox);
    client.stores().list(false).await.unwrap();
    sandbox.shipstation.drain_budget();
    for _ in 0..3 {
        client
            .stores()
            .list(false)
            .await
            .expect("the call succeeds after the window resets");
    }
    let metrics = client.metrics();
    assert_eq!(
        metrics.rate_limited, 1,
        "one 429 taught the client the budget was gone"
    );
    assert_eq!(
        metrics.retries, 1,
        "and the same call was retried after the reset"
    );
    assert!(
        metrics.waited >= Duration::from_millis(500),
        "the wait is counted: {:?}",
        metrics.waited
    );
    assert_eq!(
        sandbox.shipstation.stats().rate_limited,
        1,
        "the simulator agrees"
    );
}

#[tokio::test]
async fn exhausted_rate_limit_retries_surface_as_rate_limited() {
    let sandbox = sandbox(WINDOW).await;
    let client = crate::builder(&sandbox).max_retries(0).build().unwrap();
    client.stores().list(false).await.unwrap();
    sandbox.shipstation.drain_budget();
    let error = client.stores().list(false).await.unwrap_err();
    match error {
        shipstation::Error::RateLimited { retry_after, .. } => {
            assert!(
                retry_after <= WINDOW && retry_after >= Duration::from_secs(1),
                "Reset in whole seconds: {retry_after:?}"
            )
        }
        other => panic!("expected RateLimited, got {other}"),
    }
}

#[tokio::test]
async fn metrics_report_the_rate_budget() {
    let sandbox = sandbox(Duration::from_secs(60)).await;
    let client = client(&sandbox);
    client.carriers().list().await.unwrap();
    client.warehouses().list().await.unwrap();
    let metrics = client.metrics();
    assert_eq!(metrics.limit, Some(40), "X-Rate-Limit-Limit");
    assert_eq!(metrics.remaining, Some(38), "two of forty used");
    assert_eq!(metrics.requests, 2, "two requests");
}
