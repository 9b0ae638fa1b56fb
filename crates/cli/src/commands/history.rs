//! `history [--order N] [--held] [--failed] [--csv]`: the order list, or one order's timeline.
//! Read from the history alone: no settings, credential or keyring needed.

use std::io::Write;
use std::process::ExitCode;

use connector::export;
use connector::history::History;
use connector::store::orders::{OrderFilter, OrderState};

use crate::output;

/// Arguments of `history`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// One order's timeline: Quipt order number, Quipt id, ShipStation order id or tracking number.
    #[arg(long)]
    order: Option<String>,
    /// Only held orders.
    #[arg(long)]
    held: bool,
    /// Only failed orders.
    #[arg(long)]
    failed: bool,
    /// Write CSV to stdout: every matching order (cells that would start a spreadsheet formula are
    /// written as text).
    #[arg(long)]
    csv: bool,
    /// Print as JSON: every matching order.
    #[arg(long)]
    json: bool,
    /// At most this many orders (default: 500 in the list, every one with --csv or --json).
    #[arg(long)]
    limit: Option<u32>,
}

/// How many orders the text list shows when no --limit is given, as the app's history screen.
const LIST_LIMIT: u32 = 500;

/// Prints the history.
pub fn run(args: Args, paths: connector::Paths) -> anyhow::Result<ExitCode> {
    let history = History::open(&paths.database())?;
    if let Some(search) = &args.order {
        let Some(detail) = history.order(search)? else {
            eprintln!("no order matches {search}");
            return Ok(ExitCode::from(1));
        };
        if args.json {
            output::json(&detail);
            return Ok(ExitCode::SUCCESS);
        }
        let o = &detail.order;
        output::say!(
            "order {} (Quipt {}), {}{}",
            o.order_number,
            o.quipt_id,
            o.state.as_str(),
            o.reason
                .as_ref()
                .map(|r| format!(": {r}"))
                .unwrap_or_default()
        );
        if let Some(id) = o.ss_order_id {
            output::say!(
                "ShipStation order {id} ({})",
                o.ss_status.as_deref().unwrap_or("?")
            );
        }
        for t in &detail.tracking {
            output::say!(
                "tracking {} {} ({:?})",
                t.tracking_number.as_deref().unwrap_or("?"),
                t.external_id,
                t.state
            );
        }
        for e in &detail.timeline {
            output::say!("  {}  {:<20} {}", e.at, e.kind, e.message);
        }
        return Ok(ExitCode::SUCCESS);
    }
    let state = match (args.held, args.failed) {
        (true, false) => Some(OrderState::Held),
        (false, true) => Some(OrderState::Failed),
        _ => None,
    };
    let mut filter = OrderFilter {
        state,
        attention: args.held && args.failed,
        limit: Some(args.limit.unwrap_or(LIST_LIMIT)),
        ..Default::default()
    };
    if (args.csv || args.json) && args.limit.is_none() {
        filter = export::every_match(&filter);
    }
    let orders = history.orders(&filter)?;
    if args.json {
        output::json(&orders);
    } else if args.csv {
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        export::write_orders(&mut out, &orders)?;
        out.flush()?;
    } else {
        for run in history.runs(5)? {
            output::say!(
                "run #{} {} {} ({})",
                run.id,
                run.started_at,
                run.outcome,
                run.trigger
            );
        }
        for o in &orders {
            output::say!(
                "{:<20} {:<9} {}",
                o.order_number,
                o.state.as_str(),
                o.reason.as_deref().unwrap_or("")
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
