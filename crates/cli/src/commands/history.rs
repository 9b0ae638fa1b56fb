//! `history [--order N] [--held] [--failed] [--csv]`: the order list, or one order's timeline.

use std::process::ExitCode;

use connector::Connector;
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
    /// Write CSV to stdout.
    #[arg(long)]
    csv: bool,
    /// Print as JSON.
    #[arg(long)]
    json: bool,
    /// At most this many orders.
    #[arg(long, default_value_t = 500)]
    limit: u32,
}

/// Prints the history.
pub fn run(args: Args, paths: connector::Paths) -> anyhow::Result<ExitCode> {
    let connector = Connector::from_paths(paths)?;
    if let Some(search) = &args.order {
        let Some(detail) = connector.order(search)? else {
            eprintln!("no order matches {search}");
            return Ok(ExitCode::from(1));
        };
        if args.json {
            output::json(&detail);
            return Ok(ExitCode::SUCCESS);
        }
        let o = &detail.order;
        println!(
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
            println!(
                "ShipStation order {id} ({})",
                o.ss_status.as_deref().unwrap_or("?")
            );
        }
        for t in &detail.tracking {
            println!(
                "tracking {} {} ({:?})",
                t.tracking_number.as_deref().unwrap_or("?"),
                t.external_id,
                t.state
            );
        }
        for e in &detail.timeline {
            println!("  {}  {:<20} {}", e.at, e.kind, e.message);
        }
        return Ok(ExitCode::SUCCESS);
    }
    let state = match (args.held, args.failed) {
        (true, false) => Some(OrderState::Held),
        (false, true) => Some(OrderState::Failed),
        _ => None,
    };
    let filter = OrderFilter {
        state,
        attention: args.held && args.failed,
        limit: Some(args.limit),
        ..Default::default()
    };
    let orders = connector.orders(&filter)?;
    if args.json {
        output::json(&orders);
    } else if args.csv {
        println!(
            "order_number,quipt_id,state,reason,shipstation_order_id,channel,warehouse,updated_at"
        );
        for o in &orders {
            let fields = [
                o.order_number.clone(),
                o.quipt_id.clone(),
                o.state.as_str().to_string(),
                o.reason.clone().unwrap_or_default(),
                o.ss_order_id.map(|i| i.to_string()).unwrap_or_default(),
                o.channel.clone().unwrap_or_default(),
                o.warehouse_code.clone().unwrap_or_default(),
                o.updated_at.clone(),
            ];
            println!(
                "{}",
                fields
                    .iter()
                    .map(|f| output::csv_field(f))
                    .collect::<Vec<_>>()
                    .join(",")
            );
        }
    } else {
        for run in connector.runs(5)? {
            println!(
                "run #{} {} {} ({})",
                run.id, run.started_at, run.outcome, run.trigger
            );
        }
        for o in &orders {
            println!(
                "{:<20} {:<9} {}",
                o.order_number,
                o.state.as_str(),
                o.reason.as_deref().unwrap_or("")
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
