//! `retry <order> | --all`: re-queue held or failed orders for the next run.

use std::process::ExitCode;

use connector::history::History;
use connector::store::orders::OrderState;

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

/// Queues the orders; exit 1 when the named order is unknown or settled, saying which. Local: the
/// history alone, no credentials.
pub fn run(args: Args, paths: connector::Paths) -> anyhow::Result<ExitCode> {
    let history = History::open(&paths.database())?;
    let n = history.retry(args.order.as_deref())?;
    let Some(search) = args.order.as_deref().filter(|_| n == 0) else {
        // One order that needs nothing redone (pushed, shipped, cancelled) is read again all the
        // same: the operator is told that, not that something was queued to be fixed.
        let calm = match args.order.as_deref() {
            Some(search) => history
                .order(search)?
                .filter(|found| !found.order.state.needs_attention()),
            None => None,
        };
        match calm {
            Some(found) => output::say!(
                "order {} is {}: nothing failed to redo; the next run reads it again from Quipt and ShipStation",
                output::visible(&found.order.order_number),
                found.order.state.as_str()
            ),
            None => output::say!("{n} order(s) queued for the next run"),
        }
        return Ok(ExitCode::SUCCESS);
    };
    let why = match history.order(search)? {
        Some(found) if found.order.state == OrderState::Settled => format!(
            "order {} is settled: nothing to retry (news from either side re-opens it)",
            found.order.order_number
        ),
        _ => "no order with this number or Quipt id in the history".to_string(),
    };
    // The order number comes from Quipt: shown, not obeyed, like every server text.
    eprintln!("error: {}", output::visible(&why));
    Ok(ExitCode::from(1))
}
