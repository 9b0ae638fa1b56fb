//! `sync [--dry-run] [--json]`: one run, with a progress bar on a terminal.

use std::io::IsTerminal;
use std::process::ExitCode;

use connector::history::History;
use connector::{Connector, RunOptions, SyncEvent, Trigger};

use crate::output;
use crate::stop_signals::StopSignals;

/// Arguments of `sync`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Compute everything and write nothing to either API.
    #[arg(long)]
    dry_run: bool,
    /// Print the run summary as JSON.
    #[arg(long)]
    json: bool,
    /// Refresh stores, warehouses and carriers even if the cache is fresh.
    #[arg(long)]
    refresh: bool,
}

/// Runs one sync; exit 0 when the run completed and nothing needs the operator, 2 when it completed
/// but something needs the operator (orders held or failed, conflicts, drift alerts: all listed),
/// 1 when the run itself failed ([`super::exit_code`], README "CLI").
pub async fn run(args: Args, paths: connector::Paths) -> anyhow::Result<ExitCode> {
    let database = paths.database();
    let connector = Connector::from_paths(paths)?;
    let mut stop = StopSignals::install()?;
    let mut started = connector.subscribe();
    let bar = (!args.json && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{msg:>14} [{bar:30}] {pos}/{len}")
                .expect("valid template")
                .progress_chars("=> "),
        );
        bar
    });
    let mut events = connector.subscribe();
    let progress = bar.clone().map(|bar| {
        tokio::spawn(async move {
            while let Ok(event) = events.recv().await {
                match event {
                    SyncEvent::Progress { pass, done, total } => {
                        bar.set_message(pass.label());
                        bar.set_length(total);
                        bar.set_position(done);
                    }
                    SyncEvent::RunFinished { .. } => break,
                    _ => {}
                }
            }
        })
    });
    let options = RunOptions {
        dry_run: args.dry_run,
        trigger: Trigger::Cli,
        refresh_reference: args.refresh,
    };
    // Stopped (Ctrl-C, a service manager's SIGTERM): the run is marked interrupted at once, so
    // `status` does not show it running until the next run; the next run redoes what it had not
    // finished (every write is safe to redo).
    let run = connector.sync(options);
    tokio::pin!(run);
    let mut run_id = None;
    let summary = loop {
        // In this order: a run that started is known before a signal is handled.
        tokio::select! {
            biased;
            summary = &mut run => break summary?,
            Ok(SyncEvent::RunStarted { run_id: id, dry_run: false }) = started.recv(),
                if run_id.is_none() => run_id = Some(id),
            signal = stop.next() => {
                if let Some(id) = run_id {
                    History::open(&database)?.interrupt(id)?;
                }
                eprintln!(
                    "{signal}: the run was stopped; the next run redoes what it had not finished"
                );
                return Ok(ExitCode::from(1));
            }
        }
    };
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    if let Some(task) = progress {
        task.abort();
    }
    if args.json {
        output::json(&summary);
    } else {
        print_summary(&summary);
        if summary.needs_attention() {
            let attention = connector.status()?.attention;
            output::say!(
                "needs attention, from this run and earlier ones ({}):",
                summary.attention_total
            );
            for order in attention {
                output::say!(
                    "  {:<20} {:<9} {}",
                    order.order_number,
                    order.state.as_str(),
                    order.reason.as_deref().unwrap_or("")
                );
            }
        }
    }
    Ok(super::exit_code(&summary))
}

fn print_summary(s: &connector::RunSummary) {
    let kind = if s.dry_run { "dry run" } else { "run" };
    output::say!("{kind} {}: {}", s.run_id, s.outcome);
    if let Some(error) = &s.error {
        // An API's answer in the error could echo a credential; shown as the log shows it.
        output::say!(
            "  error: {}",
            connector::redaction::patterns().redact(error).0
        );
    }
    output::say!(
        "  orders this run: {} created, {} updated, {} unchanged, {} held, {} failed, {} acknowledged",
        s.created,
        s.updated,
        s.unchanged,
        s.held,
        s.failed,
        s.acknowledged
    );
    if s.held_in_shipstation > 0 {
        output::say!(
            "  put on hold in ShipStation: {} orders it still had to ship (a line on hold or a cancellation requested in Quipt, or shipped in Quipt another way)",
            s.held_in_shipstation
        );
    }
    if s.acknowledgements_left > 0 {
        output::say!(
            "  acknowledging in Quipt: {} orders left, worked off by the next runs",
            s.acknowledgements_left
        );
    }
    output::say!(
        "  tracking: {} reported, {} withdrawn; cancellations: {} to Quipt, {} to ShipStation; {} orders in conflict",
        s.tracking_reported,
        s.tracking_withdrawn,
        s.cancelled_in_quipt,
        s.cancelled_in_shipstation,
        s.conflicts
    );
    output::say!(
        "  API calls: ShipStation {} (429s: {}, budget {}/{}), Quipt {} (429s: {}); {} ms",
        s.shipstation_calls,
        s.rate_limited,
        s.rate_remaining.map_or("?".into(), |v| v.to_string()),
        s.rate_limit.map_or("?".into(), |v| v.to_string()),
        s.quipt_calls,
        s.quipt_rate_limited,
        s.duration_ms
    );
    for alert in &s.alerts {
        output::say!("  alert: {alert}");
    }
    for warning in &s.warnings {
        output::say!("  warning: {warning}");
    }
    for item in &s.preview {
        output::say!(
            "  would {:<6} {:<20} {}",
            item.action,
            item.order_number,
            item.detail
        );
    }
    if s.preview_more > 0 {
        output::say!("  …and {} more orders, counted above", s.preview_more);
    }
}
