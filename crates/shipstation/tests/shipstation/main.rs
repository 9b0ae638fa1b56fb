//! The client against the ShipStation simulator over real HTTP on 127.0.0.1, one module per area.

mod company_network;
mod faults;
mod hostile;
mod lost_answers;
/// The network parts shared with the Quipt client's tests (hostile server, answer-dropping
/// proxy, TLS endpoint, CONNECT proxy): the clients depend on nothing of ours, so the file is
/// included by path rather than put in a shared crate.
#[path = "../../../quipt/tests/quipt/net.rs"]
mod net;
mod orders;
mod pacing;
mod properties;
mod reference;
mod simulated_time;
mod tracking;

use std::time::Duration;

use chrono::{TimeZone, Utc};
use sandbox::{RunningSandbox, Sandbox, SandboxConfig, demo_data};
use shipstation::{
    Address, AdvancedOptions, Client, NewOrder, OrderItem, OrderKey, OrderStatus, WarehouseId,
};

/// A sandbox with no Quipt orders and the given ShipStation rate window.
pub async fn sandbox(rate_window: Duration) -> RunningSandbox {
    Sandbox::start(SandboxConfig {
        orders: 0,
        rate_window,
        ..SandboxConfig::default()
    })
    .await
    .expect("the sandbox binds 127.0.0.1:0")
}

/// A sandbox with the real 60 s window (tests that make few calls).
pub async fn default_sandbox() -> RunningSandbox {
    sandbox(Duration::from_secs(60)).await
}

/// A client with the demo credentials and fast backoff, so retry tests take milliseconds.
pub fn client(sandbox: &RunningSandbox) -> Client {
    builder(sandbox).build().expect("valid sandbox URL")
}

/// The builder behind [`client`], for tests that change one setting.
pub fn builder(sandbox: &RunningSandbox) -> shipstation::ClientBuilder {
    Client::builder(sandbox.shipstation_url())
        .credentials(
            demo_data::SHIPSTATION_API_KEY,
            demo_data::SHIPSTATION_API_SECRET,
        )
        .backoff(Duration::from_millis(5), Duration::from_millis(50))
        .timeout(Duration::from_secs(10))
}

/// A clock for the client that starts now and advances only when the client waits on it; it
/// records every wait.
#[derive(Debug)]
pub struct SimulatedClock {
    start: std::time::Instant,
    slept: std::sync::Mutex<Vec<Duration>>,
}

impl SimulatedClock {
    pub fn new() -> std::sync::Arc<Self> {
        std::sync::Arc::new(Self {
            start: std::time::Instant::now(),
            slept: std::sync::Mutex::default(),
        })
    }

    /// Every wait the client made, in order.
    pub fn slept(&self) -> Vec<Duration> {
        self.slept.lock().unwrap().clone()
    }
}

impl shipstation::Clock for SimulatedClock {
    fn now(&self) -> std::time::Instant {
        self.start + self.slept().iter().sum::<Duration>()
    }

    fn sleep(
        &self,
        duration: Duration,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + '_>> {
        self.slept.lock().unwrap().push(duration);
        Box::pin(std::future::ready(()))
    }
}

pub fn address(name: &str) -> Address {
    Address {
        name: Some(name.to_owned()),
        street1: Some("1 Main St".to_owned()),
        city: Some("Reno".to_owned()),
        state: Some("NV".to_owned()),
        postal_code: Some("89501".to_owned()),
        country: Some("US".to_owned()),
        ..Address::default()
    }
}

pub fn item(key: &str, quantity: i64) -> OrderItem {
    OrderItem {
        line_item_key: Some(key.to_owned()),
        sku: Some(format!("SKU-{key}")),
        name: format!("Widget {key}"),
        quantity,
        unit_price: Some(10.0),
        ..OrderItem::default()
    }
}

/// A valid order with two lines (L1 ×2, L2 ×1), keyed `quipt-<number>`.
pub fn new_order(number: &str) -> NewOrder {
    NewOrder {
        order_number: number.to_owned(),
        order_key: OrderKey(format!("quipt-{number}")),
        order_date: Utc.with_ymd_and_hms(2026, 11, 24, 16, 46, 27).unwrap(),
        payment_date: Some(Utc.with_ymd_and_hms(2026, 11, 24, 17, 0, 0).unwrap()),
        order_status: OrderStatus::AwaitingShipment,
        customer_email: Some("buyer@example.com".to_owned()),
        customer_username: None,
        bill_to: address("Bill Buyer"),
        ship_to: address("Sam Shipto"),
        items: vec![item("L1", 2), item("L2", 1)],
        amount_paid: Some(30.0),
        tax_amount: None,
        shipping_amount: None,
        requested_shipping_service: None,
        carrier_code: Some("ups".to_owned()),
        service_code: Some("ups_ground".to_owned()),
        internal_notes: Some("first version".to_owned()),
        advanced_options: AdvancedOptions {
            warehouse_id: Some(WarehouseId(98765)),
            ..AdvancedOptions::default()
        },
        handling: shipstation::Handling::default(),
    }
}
