//! Shared set-up: a sandbox with N demo orders and a client signed with the demo credentials.

use std::time::Duration;

use quipt::{AccessToken, Client, ConsumerCredentials};
use sandbox::demo_data;
use sandbox::{RunningSandbox, Sandbox, SandboxConfig};
use serde_json::json;

pub async fn sandbox(orders: usize) -> RunningSandbox {
    Sandbox::start(SandboxConfig {
        orders,
        ..SandboxConfig::default()
    })
    .await
    .expect("the sandbox binds 127.0.0.1:0")
}

pub fn consumer() -> ConsumerCredentials {
    ConsumerCredentials {
        key: demo_data::QUIPT_CONSUMER_KEY.into(),
        secret: demo_data::QUIPT_CONSUMER_SECRET.into(),
    }
}

pub fn demo_token() -> AccessToken {
    AccessToken {
        token: demo_data::QUIPT_ACCESS_TOKEN.into(),
        secret: demo_data::QUIPT_ACCESS_TOKEN_SECRET.into(),
    }
}

/// A client with the demo credentials and millisecond backoffs, so retry tests stay fast.
pub fn client_with(
    sb: &RunningSandbox,
    consumer: ConsumerCredentials,
    token: AccessToken,
) -> Client {
    Client::builder(sb.quipt_url())
        .consumer(consumer)
        .token(token)
        .max_retries(3)
        .backoff(Duration::from_millis(5), Duration::from_millis(20))
        .timeout(Duration::from_secs(5))
        .build()
        .expect("the client builds")
}

pub fn client(sb: &RunningSandbox) -> Client {
    client_with(sb, consumer(), demo_token())
}

/// An acknowledgement accepting one unit of each of `lines`.
pub fn accept_all(lines: &[String]) -> quipt::Acknowledgement {
    quipt::Acknowledgement {
        lines: lines
            .iter()
            .map(|l| quipt::AckLine {
                line_id: quipt::LineId(l.clone()),
                status: quipt::AckStatus::Accepted,
                quantity: quipt::Quantity::each(1.0),
            })
            .collect(),
    }
}

/// Seeds an Open order in the first demo warehouse with two lines (2 and 1 units); returns the
/// order id and its line ids.
pub fn seed_open_order(sb: &RunningSandbox) -> (String, Vec<String>) {
    let warehouse = &sb.quipt.warehouses()[0];
    let order = sb
        .quipt
        .insert_order_json(json!({
            "OrderNumber": "T-1",
            "Status": 4,
            "Warehouse": warehouse,
            "ShipTo": {"Attention": "Ada Lovelace", "City": "Reno", "Country": {"ISO": "US"}},
            "Lines": [
                {"LineNumber": 1, "Item": {"SKU": "MUG"}, "Ordered": {"Units": 0, "Value": 2}},
                {"LineNumber": 2, "Item": {"SKU": "TEE"}, "Ordered": {"Units": 0, "Value": 1}}
            ]
        }))
        .expect("the seed order has Quipt's shape");
    let lines = order.lines.iter().map(|l| l.id.clone()).collect();
    (order.id, lines)
}

/// A clock for the client whose waits only advance simulated time (and record themselves), and
/// whose wall-clock time is the computer's plus `offset_secs` (negative: behind).
#[derive(Debug, Default)]
pub struct SimulatedClock {
    offset_secs: i64,
    slept: std::sync::Mutex<Vec<Duration>>,
}

impl SimulatedClock {
    /// A clock whose wall-clock time is `offset_secs` away from the computer's.
    pub fn off_by(offset_secs: i64) -> std::sync::Arc<Self> {
        std::sync::Arc::new(Self {
            offset_secs,
            ..Self::default()
        })
    }

    /// Every wait the client made, in order.
    pub fn slept(&self) -> Vec<Duration> {
        self.slept.lock().unwrap().clone()
    }
}

impl quipt::Clock for SimulatedClock {
    fn system_time(&self) -> std::time::SystemTime {
        let now = std::time::SystemTime::now();
        let offset = Duration::from_secs(self.offset_secs.unsigned_abs());
        if self.offset_secs >= 0 {
            now + offset
        } else {
            now - offset
        }
    }

    fn sleep(
        &self,
        duration: Duration,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + '_>> {
        self.slept.lock().unwrap().push(duration);
        Box::pin(std::future::ready(()))
    }
}
