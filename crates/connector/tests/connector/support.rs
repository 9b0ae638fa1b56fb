//! The harness: both simulators on 127.0.0.1:0, a temporary data directory with a real SQLite file,
//! settings pointing at the sandbox, and a `Connector` opened as the app and the CLI open it.

use std::time::Duration;

use connector::credentials::{Credentials, Secret};
use connector::{Connector, Paths, RunOptions, RunSummary, Settings, Trigger};
use sandbox::{RunningSandbox, Sandbox, SandboxConfig, demo_data};
use serde_json::{Value, json};

pub struct World {
    pub sandbox: RunningSandbox,
    pub dir: tempfile::TempDir,
    pub settings: Settings,
}

/// The demo credentials, as the keyring or the environment would give them.
pub fn demo_credentials() -> Credentials {
    Credentials {
        quipt_consumer_key: Secret::new(demo_data::QUIPT_CONSUMER_KEY),
        quipt_consumer_secret: Secret::new(demo_data::QUIPT_CONSUMER_SECRET),
        quipt_access_token: Secret::new(demo_data::QUIPT_ACCESS_TOKEN),
        quipt_access_token_secret: Secret::new(demo_data::QUIPT_ACCESS_TOKEN_SECRET),
        shipstation_api_key: Secret::new(demo_data::SHIPSTATION_API_KEY),
        shipstation_api_secret: Secret::new(demo_data::SHIPSTATION_API_SECRET),
    }
}

/// The settings the README documents (`docs/settings.example.toml`: one store per channel, UPS
/// preferred, both matched warehouses), pointed at the sandbox.
pub fn demo_settings(sandbox: &RunningSandbox) -> Settings {
    let text = include_str!("../../../../docs/settings.example.toml");
    let mut settings = Settings::parse(text, std::path::Path::new("docs/settings.example.toml"))
        .expect("the documented example parses");
    settings.quipt.api_user_email = demo_data::QUIPT_API_USER_EMAIL.into();
    settings.quipt.api_url = Some(sandbox.quipt_url());
    settings.quipt.app_url = Some(sandbox.quipt_url());
    settings.shipstation.api_url = Some(sandbox.shipstation_url());
    settings
}

/// One real run of `connector`, as the schedule (or the CLI, by `trigger`) starts it.
pub async fn run(connector: &Connector, trigger: Trigger) -> RunSummary {
    connector
        .sync(RunOptions {
            dry_run: false,
            trigger,
            refresh_reference: false,
        })
        .await
        .expect("the run is recorded")
}

/// A label of one package: `quantity` of the line `line_item_key`.
pub fn package(
    tracking: &str,
    line_item_key: &str,
    quantity: i64,
) -> sandbox::shipstation::LabelRequest {
    sandbox::shipstation::LabelRequest {
        tracking_number: tracking.into(),
        items: Some(vec![sandbox::shipstation::PackageItem {
            line_item_key: line_item_key.into(),
            quantity,
        }]),
        ..Default::default()
    }
}

impl World {
    /// A sandbox with `orders` demo orders (0 for a clean account) and the demo settings.
    pub async fn new(orders: usize) -> Self {
        Self::starting(orders, None).await
    }

    /// As [`World::new`], with both simulated clocks starting at `clock_start` (`None`: now).
    pub async fn starting(
        orders: usize,
        clock_start: Option<chrono::DateTime<chrono::Utc>>,
    ) -> Self {
        let sandbox = Sandbox::start(SandboxConfig {
            orders,
            rate_window: Duration::from_secs(2),
            clock_start,
            ..SandboxConfig::default()
        })
        .await
        .expect("the sandbox starts");
        // Acknowledgements are one Quipt call per order; the simulator's default 120 a minute would
        // make large scenarios wait out minutes. The 429 path is covered by the quipt client tests.
        sandbox
            .quipt
            .set_rate_limit(100_000, Duration::from_secs(60));
        let settings = demo_settings(&sandbox);
        Self {
            sandbox,
            dir: tempfile::tempdir().expect("a temp dir"),
            settings,
        }
    }

    pub fn paths(&self) -> Paths {
        Paths {
            config_file: self.dir.path().join("settings.toml"),
            data_dir: self.dir.path().join("data"),
        }
    }

    /// A connector over the current settings, as a fresh process would open it.
    pub fn connector(&self) -> Connector {
        Connector::open(self.paths(), self.settings.clone(), &demo_credentials())
            .expect("the connector opens")
    }

    /// One clock for every world: the simulators' clocks frozen, and a manual clock standing at
    /// their instant that moves them whenever it moves (by the test, or by a client's wait).
    pub fn clock(&self) -> connector::clock::ManualClock {
        self.sandbox.freeze_clocks();
        let clock = connector::clock::ManualClock::new(self.sandbox.now());
        let (quipt, shipstation) = (self.sandbox.quipt.clock(), self.sandbox.shipstation.clock());
        clock.follow(move |by| {
            let by = by.to_std().expect("the clock only moves forward");
            quipt.advance(by);
            shipstation.advance(by);
        });
        clock
    }

    /// A connector whose engine and clients run on `clock`.
    pub fn connector_on(&self, clock: &connector::clock::ManualClock) -> Connector {
        Connector::open_on(
            self.paths(),
            self.settings.clone(),
            &demo_credentials(),
            std::sync::Arc::new(clock.clone()),
        )
        .expect("the connector opens")
    }

    /// The wizard's target for this world: its paths, the sandbox, the demo credentials held in
    /// memory (so no keyring is needed).
    pub fn target(&self) -> connector::wizard::Target {
        use connector::credentials::CredentialName as Name;
        let credentials = demo_credentials();
        let held = [
            (Name::QuiptConsumerKey, &credentials.quipt_consumer_key),
            (
                Name::QuiptConsumerSecret,
                &credentials.quipt_consumer_secret,
            ),
            (Name::QuiptAccessToken, &credentials.quipt_access_token),
            (
                Name::QuiptAccessTokenSecret,
                &credentials.quipt_access_token_secret,
            ),
            (Name::ShipStationApiKey, &credentials.shipstation_api_key),
            (
                Name::ShipStationApiSecret,
                &credentials.shipstation_api_secret,
            ),
        ];
        connector::wizard::Target::demo(
            self.paths(),
            connector::Endpoints {
                quipt_api: self.sandbox.quipt_url(),
                quipt_app: self.sandbox.quipt_url(),
                shipstation: self.sandbox.shipstation_url(),
            },
            &held.map(|(name, secret)| (name, secret.expose_secret())),
        )
    }

    pub async fn sync(&self) -> RunSummary {
        run(&self.connector(), Trigger::Cli).await
    }

    pub async fn dry_run(&self) -> RunSummary {
        self.connector()
            .sync(RunOptions {
                dry_run: true,
                trigger: Trigger::Cli,
                refresh_reference: true,
            })
            .await
            .expect("the dry run completes")
    }

    /// Adds a Quipt order; `overrides` replaces top-level fields of a well-formed Open order.
    pub fn add_order(&self, number: &str, overrides: Value) -> String {
        let mut order = json!({
            "OrderNumber": number,
            "Status": 4,
            "Partner": {"Id": "p-amz", "Code": "AMZ", "Name": "Amazon"},
            "PartnerOrderNumber": format!("AMZ-{number}"),
            "Warehouse": {"Id": "w-reno", "Code": "98765", "DisplayName": "Reno DC"},
            "ShipTo": {
                "Attention": "Ada Lovelace", "Company": null, "PhoneNumber": "555-0100",
                "EmailAddress": "ada@example.com", "StreetLine1": "1 Analytical Way",
                "City": "Reno", "State": "NV", "PostalCode": "89501",
                "Country": {"ISO": "US", "ISO3": "USA", "Name": "United States"}
            },
            "RequestedCarrierMethod": {"Code": "UPS_GROUND", "Name": "UPS Ground", "Carrier": {"Code": "UPS", "Name": "UPS"}},
            "Lines": [
                {"Id": format!("{number}-L1"), "LineNumber": 1, "Title": "Ceramic Mug", "Item": {"SKU": "MUG-11OZ", "Title": "Ceramic Mug 11oz"},
                 "Ordered": {"Units": 0, "Value": 2}, "Price": {"Units": 0, "Value": 12.5}},
                {"Id": format!("{number}-L2"), "LineNumber": 2, "Title": "Cap", "Item": {"SKU": "CAP-NAVY", "Title": "Baseball Cap Navy"},
                 "Ordered": {"Units": 0, "Value": 1}, "Price": {"Units": 0, "Value": 15.0}}
            ]
        });
        if let (Some(base), Some(extra)) = (order.as_object_mut(), overrides.as_object()) {
            for (k, v) in extra {
                base.insert(k.clone(), v.clone());
            }
        }
        self.sandbox
            .quipt
            .insert_order_json(order)
            .expect("a well-formed order")
            .id
    }

    /// Ships every line of the Quipt order `id` the way another integration of the account would
    /// (a second Quipt client on `clock`), not through ShipStation.
    pub async fn ship_elsewhere(
        &self,
        clock: &connector::clock::ManualClock,
        id: &str,
        tracking_number: &str,
    ) {
        use connector::clock::Clock;
        let quipt = connector::endpoints::quipt_client_on(
            &connector::Endpoints::resolve(Some(&self.settings)),
            &demo_credentials(),
            Some(&connector::clock::ClientClock::new(std::sync::Arc::new(
                clock.clone(),
            ))),
        )
        .expect("a second Quipt integration");
        let order = quipt
            .orders()
            .get(&quipt::OrderId(id.to_string()))
            .await
            .expect("the order reads");
        let lines = order
            .lines
            .iter()
            .map(|l| quipt::ShipmentLine {
                line_id: l.id.clone(),
                quantity: l.ordered,
            })
            .collect();
        quipt
            .orders()
            .ship(
                &order.id,
                &quipt::NewShipment {
                    external_id: format!("another-route-{tracking_number}"),
                    ship_at: clock.now(),
                    tracking_number: tracking_number.into(),
                    carrier_method: None,
                    lines,
                },
            )
            .await
            .expect("Quipt ships it another way");
    }

    /// Quipt refuses (403) the next read of one order by id, as if the API user lost access to it.
    pub fn refuse_next_read_by_id(&self) {
        let read = "GET /v2/orders/fulfillment/id/{id}";
        self.sandbox.quipt.fail_route(read, 0, 1, Some(403));
    }

    /// A Quipt user changes the city of the order `id`'s ship-to address (the order changes in
    /// Quipt, so the next listing reads it).
    pub fn change_city(&self, id: &str, city: &str) {
        let mut edited = self.sandbox.quipt.order(id).expect("the Quipt order");
        edited.ship_to.as_mut().expect("an address").city = Some(city.into());
        self.sandbox
            .quipt
            .edit_ship_to(id, edited.ship_to)
            .expect("Quipt takes the edit");
    }

    /// How many times a soft cancel (cancel shipment) of the Quipt order `id` took effect.
    pub fn soft_cancels(&self, id: &str) -> Option<u32> {
        self.sandbox
            .quipt
            .stats()
            .effects
            .cancel_shipment
            .get(id)
            .copied()
    }

    /// The user cancels ShipStation's order `number` in ShipStation's UI.
    pub fn cancel_in_shipstation(&self, number: &str) {
        self.sandbox
            .shipstation
            .cancel_order(self.shipstation_order(number).order_id)
            .expect("the user cancels in ShipStation");
    }

    /// ShipStation's orders (active ones) with this order number.
    pub fn shipstation_orders(&self, number: &str) -> Vec<sandbox::shipstation::OrderSnapshot> {
        self.sandbox
            .shipstation
            .all_orders()
            .into_iter()
            .filter(|o| o.order_number == number && o.active)
            .collect()
    }

    /// The one ShipStation order with this number.
    pub fn shipstation_order(&self, number: &str) -> sandbox::shipstation::OrderSnapshot {
        let mut found = self.shipstation_orders(number);
        assert_eq!(
            found.len(),
            1,
            "exactly one ShipStation order {number}, found {}",
            found.len()
        );
        found.remove(0)
    }

    /// A label printed in ShipStation for the order with this number, as a user would; its
    /// shipment id.
    pub fn print_label(&self, number: &str, tracking_number: &str) -> i64 {
        let order_id = self.shipstation_order(number).order_id;
        self.sandbox
            .shipstation
            .create_label(
                order_id,
                sandbox::shipstation::LabelRequest {
                    tracking_number: tracking_number.into(),
                    ..Default::default()
                },
            )
            .expect("ShipStation prints the label")
    }

    /// The connector's view of an order.
    pub fn order(&self, number: &str) -> connector::OrderDetail {
        self.connector()
            .order(number)
            .expect("the history is readable")
            .unwrap_or_else(|| panic!("order {number} is in the history"))
    }
}

/// An order pushed by a run, labelled in ShipStation, then cancelled in Quipt: the next run makes
/// it the conflict "settle it with the buyer" (`cancel_after_ship`). Its Quipt id.
pub async fn shipped_then_cancelled_in_quipt(world: &World, number: &str) -> String {
    let id = world.add_order(number, json!({}));
    world.sync().await;
    world.print_label(number, &format!("{number}-1"));
    world
        .sandbox
        .quipt
        .cancel_order(&id, "too late")
        .expect("Quipt cancels the open order");
    id
}

/// Two orders, `gone` and `other`, pushed by a run of `connector`; then `gone` vanishes from
/// Quipt (archived or purged there: Quipt answers 404 for it). Their Quipt ids, in that order.
pub async fn pushed_then_gone_from_quipt(
    world: &World,
    connector: &Connector,
    gone: &str,
    other: &str,
) -> (String, String) {
    let ids = (
        world.add_order(gone, json!({})),
        world.add_order(other, json!({})),
    );
    run(connector, Trigger::Schedule).await;
    world
        .sandbox
        .quipt
        .remove_order(&ids.0)
        .expect("the order vanishes from Quipt");
    ids
}

/// What an operator checks after a run met an order gone from Quipt: the run completed, asking
/// for the operator, and the order is a conflict that says so, once (not on every run).
pub fn assert_gone_recorded(world: &World, summary: &RunSummary, number: &str) {
    assert_eq!(
        summary.outcome,
        connector::RunOutcome::Attention,
        "one order Quipt no longer has does not fail the run: {:?}",
        summary.error
    );
    let gone = world.order(number);
    assert_eq!(
        (gone.order.state.as_str(), gone.order.reason.as_deref()),
        ("conflict", Some("the order no longer exists in Quipt")),
        "{number}: the order Quipt no longer has is a conflict that says so"
    );
    let noted = gone
        .timeline
        .iter()
        .filter(|e| e.kind == connector::TimelineKind::GoneInQuipt)
        .count();
    assert_eq!(noted, 1, "{number}: said once, not on every run");
}
