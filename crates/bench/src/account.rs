//! The demo account as a user would set it up from the wizard: the sandbox's demo credentials and
//! the settings of one store per channel, UPS preferred, both matched warehouses.

use std::sync::Arc;
use std::time::Duration;

use connector::clock::ManualClock;
use connector::credentials::{Credentials, Secret};
use connector::settings::{
    CancelMode, CancelSettings, CarrierFamily, CarrierSettings, HistorySettings, OrderSettings,
    QuiptSettings, ScheduleSettings, ShipStationSettings, StoreSettings, WarehouseSettings,
};
use connector::{Connector, Paths, RunOptions, RunSummary, Settings, Trigger};
use sandbox::{RunningSandbox, Sandbox, SandboxConfig, demo_data};

use crate::clocks::Simulated;

/// The sandbox's demo credentials.
pub fn credentials() -> Credentials {
    Credentials {
        quipt_consumer_key: Secret::new(demo_data::QUIPT_CONSUMER_KEY),
        quipt_consumer_secret: Secret::new(demo_data::QUIPT_CONSUMER_SECRET),
        quipt_access_token: Secret::new(demo_data::QUIPT_ACCESS_TOKEN),
        quipt_access_token_secret: Secret::new(demo_data::QUIPT_ACCESS_TOKEN_SECRET),
        shipstation_api_key: Secret::new(demo_data::SHIPSTATION_API_KEY),
        shipstation_api_secret: Secret::new(demo_data::SHIPSTATION_API_SECRET),
    }
}

/// The wizard's answers for the demo account, pointing at these simulators.
pub fn settings(quipt_url: &str, shipstation_url: &str) -> Settings {
    Settings {
        quipt: QuiptSettings {
            api_user_email: demo_data::QUIPT_API_USER_EMAIL.into(),
            api_url: Some(quipt_url.into()),
            app_url: Some(quipt_url.into()),
        },
        shipstation: ShipStationSettings {
            api_url: Some(shipstation_url.into()),
        },
        stores: StoreSettings {
            single_store: false,
            default_store_id: None,
            channel_names: Default::default(),
            channel_store_ids: [("Amazon", 10001), ("eBay", 10002), ("Shopify", 10003)]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
        },
        orders: OrderSettings {
            push_validating: false,
        },
        carrier: CarrierSettings {
            preferred: CarrierFamily::Ups,
            default_service: "ups_ground".into(),
            assign_default: true,
            usps_supported: true,
        },
        cancel: CancelSettings {
            mode: CancelMode::Soft,
        },
        warehouses: WarehouseSettings {
            codes: vec!["98765".into(), "98766".into()],
        },
        schedule: ScheduleSettings::default(),
        history: HistorySettings::default(),
        updates: Default::default(),
    }
}

/// Both simulators with `orders` demo orders and ShipStation's window shortened to `window`.
///
/// Quipt's simulator allows 120 calls a minute per token by default and the engine acknowledges
/// each pushed order with one Quipt call; the figures are about ShipStation's ceiling, so Quipt's
/// limit is raised out of the way (BENCHMARKS.md says so).
pub async fn sandbox(orders: usize, window: Duration) -> anyhow::Result<RunningSandbox> {
    let sandbox = Sandbox::start(SandboxConfig {
        orders,
        rate_window: window,
        ..SandboxConfig::default()
    })
    .await?;
    sandbox
        .quipt
        .set_rate_limit(10_000_000, Duration::from_secs(60));
    Ok(sandbox)
}

/// A connector on `dir` for this sandbox, as a fresh process opens it.
pub fn connector(sandbox: &RunningSandbox, dir: &std::path::Path) -> anyhow::Result<Connector> {
    Ok(Connector::open(
        paths(dir),
        settings(&sandbox.quipt_url(), &sandbox.shipstation_url()),
        &credentials(),
    )?)
}

/// One simulated clock for the engine and both simulators: theirs frozen, and a manual clock at
/// their instant that moves them whenever it moves (by the bench, or by a client's wait).
pub fn simulated_clock(sandbox: &RunningSandbox) -> ManualClock {
    sandbox.freeze_clocks();
    let clock = ManualClock::new(sandbox.now());
    let (quipt, shipstation) = (sandbox.quipt.clock(), sandbox.shipstation.clock());
    clock.follow(move |by| {
        let by = by.to_std().unwrap_or_default();
        quipt.advance(by);
        shipstation.advance(by);
    });
    clock
}

/// A connector on `dir` for this sandbox whose engine and clients run on `clock`.
pub fn connector_on(
    sandbox: &RunningSandbox,
    dir: &std::path::Path,
    clock: &ManualClock,
) -> anyhow::Result<Connector> {
    Ok(Connector::open_on(
        paths(dir),
        settings(&sandbox.quipt_url(), &sandbox.shipstation_url()),
        &credentials(),
        Arc::new(clock.clone()),
    )?)
}

/// The settings file and data directory of a connector on `dir`.
fn paths(dir: &std::path::Path) -> Paths {
    Paths {
        config_file: dir.join("settings.toml"),
        data_dir: dir.join("data"),
    }
}

/// Both clients for this sandbox with the demo credentials, as the engine builds them, each on
/// the clock given.
pub fn clients(
    sandbox: &RunningSandbox,
    quipt_clock: Arc<dyn quipt::Clock>,
    shipstation_clock: Arc<dyn shipstation::Clock>,
) -> anyhow::Result<(quipt::Client, shipstation::Client)> {
    let quipt = quipt::Client::builder(sandbox.quipt_url())
        .consumer(quipt::ConsumerCredentials {
            key: demo_data::QUIPT_CONSUMER_KEY.into(),
            secret: demo_data::QUIPT_CONSUMER_SECRET.into(),
        })
        .token(quipt::AccessToken {
            token: demo_data::QUIPT_ACCESS_TOKEN.into(),
            secret: demo_data::QUIPT_ACCESS_TOKEN_SECRET.into(),
        })
        .clock(quipt_clock)
        .build()?;
    let shipstation = shipstation::Client::builder(sandbox.shipstation_url())
        .credentials(
            demo_data::SHIPSTATION_API_KEY,
            demo_data::SHIPSTATION_API_SECRET,
        )
        .clock(shipstation_clock)
        .build()?;
    Ok((quipt, shipstation))
}

/// Both clients on the sandbox's simulated clock.
pub fn simulated_clients(
    sandbox: &RunningSandbox,
    clock: &Simulated,
) -> anyhow::Result<(quipt::Client, shipstation::Client)> {
    clients(sandbox, Arc::new(clock.clone()), Arc::new(clock.clone()))
}

/// The engine's run context on `dir` for this sandbox, opened as [`Connector::open`] opens it,
/// with these clients and engine clock instead of the ones it builds on the computer's clock: for
/// the benchmarks that need the clients on their own clocks. A run goes through
/// [`connector::sync::run_once`], the call [`Connector::sync`] makes (less the run lock).
pub fn context(
    sandbox: &RunningSandbox,
    dir: &std::path::Path,
    (quipt, shipstation): (quipt::Client, shipstation::Client),
    clock: Arc<dyn connector::clock::Clock>,
) -> anyhow::Result<connector::sync::Context> {
    let settings = settings(&sandbox.quipt_url(), &sandbox.shipstation_url());
    let endpoints = connector::Endpoints::resolve(Some(&settings));
    let mut ctx = connector::sync::Context::open(
        settings,
        &endpoints,
        &credentials(),
        &paths(dir).database(),
        Some(clock.clone()),
    )?;
    ctx.quipt = quipt;
    ctx.shipstation = shipstation;
    Ok(ctx)
}

/// One real run, as the CLI's `sync` starts it.
pub async fn sync(connector: &Connector) -> anyhow::Result<RunSummary> {
    Ok(connector.sync(CLI_RUN).await?)
}

/// The options of a run the CLI's `sync` starts.
pub const CLI_RUN: RunOptions = RunOptions {
    dry_run: false,
    trigger: Trigger::Cli,
    refresh_reference: false,
};

/// The demo account (its default orders, ShipStation's window `window`) synced until nothing is
/// left to do: the first run pushes the orders, the second reads back their acknowledgements.
/// What comes after is an idle account's cost.
pub async fn idle_demo(
    window: Duration,
) -> anyhow::Result<(RunningSandbox, tempfile::TempDir, ManualClock, Connector)> {
    let sandbox = self::sandbox(demo_data::DEFAULT_ORDER_COUNT, window).await?;
    let dir = tempfile::tempdir()?;
    let clock = simulated_clock(&sandbox);
    let connector = connector_on(&sandbox, dir.path(), &clock)?;
    sync(&connector).await?;
    sync(&connector).await?;
    Ok((sandbox, dir, clock, connector))
}

/// The calls both simulators answered since their counts were last reset.
pub struct Calls {
    pub shipstation: u64,
    pub quipt: u64,
    /// Calls that are not a GET.
    pub writes: u64,
    /// Each endpoint with its count, the busiest first.
    pub by_endpoint: Vec<(String, u64)>,
}

impl Calls {
    pub fn counted(sandbox: &RunningSandbox) -> Self {
        let (ss, quipt) = (sandbox.shipstation.stats(), sandbox.quipt.stats());
        let mut by_endpoint: Vec<(String, u64)> = ss
            .per_endpoint
            .iter()
            .chain(quipt.by_endpoint.iter())
            .map(|(k, n)| (k.clone(), *n))
            .collect();
        by_endpoint.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Self {
            shipstation: ss.total,
            quipt: quipt.total,
            writes: by_endpoint
                .iter()
                .filter(|(k, _)| !k.starts_with("GET"))
                .map(|(_, n)| n)
                .sum(),
            by_endpoint,
        }
    }

    pub fn total(&self) -> u64 {
        self.shipstation + self.quipt
    }

    /// "GET /orders ×100, …"
    pub fn listed(&self) -> String {
        self.by_endpoint
            .iter()
            .map(|(k, n)| format!("{k} ×{n}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}
