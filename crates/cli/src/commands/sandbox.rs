//! `sandbox`: both simulators with demo data, exactly as SPEC §5 describes.

use crate::output;
use std::process::ExitCode;
use std::time::Duration;

use sandbox::{Sandbox, SandboxConfig};

/// Arguments of `sandbox`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Port of the Quipt simulator (0 = any free port).
    #[arg(long, default_value_t = 0)]
    quipt_port: u16,
    /// Port of the ShipStation simulator (0 = any free port).
    #[arg(long, default_value_t = 0)]
    shipstation_port: u16,
    /// Length of ShipStation's rate window in seconds (40 requests per window).
    #[arg(long, default_value_t = 60)]
    rate_window_secs: u64,
    /// Seed of the demo orders.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// How many demo orders Quipt holds.
    #[arg(long, default_value_t = sandbox::demo_data::DEFAULT_ORDER_COUNT)]
    orders: usize,
}

/// Serves until Ctrl-C or SIGTERM.
pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let running = Sandbox::start(SandboxConfig {
        quipt_port: args.quipt_port,
        shipstation_port: args.shipstation_port,
        rate_window: Duration::from_secs(args.rate_window_secs.max(1)),
        seed: args.seed,
        orders: args.orders,
        ..SandboxConfig::default()
    })
    .await?;
    output::say!("quipt: {}", running.quipt_url());
    output::say!("shipstation: {}", running.shipstation_url());
    use std::io::Write;
    std::io::stdout().flush()?;
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
    Ok(ExitCode::SUCCESS)
}
