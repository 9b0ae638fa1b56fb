//! `retry <order> | --all`: re-queue held or failed orders for the next run.

use std::process::ExitCode;

use connector::history::History;

use crate::output;

/// Arguments of `retry`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Quipt order number or id.
    #[arg(required_unless_present = "all", conflicts_with = "all")]
    order: Option<String>,
    /// Every held and failed order.
    #[arg(long)]
    all: bool,
}

/// Queues the orders; exit 1 when the order is unknown. Local: the history alone, no credentials.
pub fn run(args: Args, paths: connector::Paths) -> anyhow::Result<ExitCode> {
    let n = History::open(&paths.database())?.retry(args.order.as_deref())?;
    output::say!("{n} order(s) queued for the next run");
    Ok(if n == 0 && args.order.is_some() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
