//! `bench`: measures the figures of SPEC §6 against the sandbox (real HTTP on loopback, a real SQLite
//! file) and prints one line per figure, `figure: <name> <value> <unit> (target <t>)`.
//!
//! What it is: the one command behind `BENCHMARKS.md`. What it is not: a timed test. Nothing here
//! fails a build on a slow machine; CI runs it in a reduced size (`--quick`) to show it still runs,
//! and the full size is run by hand on a quiet machine.
//!
//! Why a binary and not `cargo bench` in `connector`: the peak-memory figure must be measured from
//! outside the process, so the harness re-executes itself as a child (`child-sync`) or runs the real
//! `quipt-shipstation` binary, and the sizes are flags so that CI can shrink them.

mod account;
mod backlog;
mod clocks;
mod figure;
mod first_sync;
mod history;
mod idle;
mod idle_day;
mod one_per_call;
mod peak_memory;
mod push;
mod steady;
mod ui_latency;

use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, Subcommand};

/// Measures the figures of SPEC §6 against the sandbox.
#[derive(Debug, Parser)]
#[command(name = "bench")]
struct Args {
    /// Reduced sizes for CI: checks that every figure can be measured, not how fast.
    #[arg(long)]
    quick: bool,
    /// Demo orders in Quipt for the push figures (about 70 % of them are pushable; 100 pushed
    /// orders make a push call, 40 calls a whole window).
    #[arg(long)]
    push_orders: Option<usize>,
    /// ShipStation's rate window for the push figures, in seconds (the real API: 60).
    #[arg(long, default_value_t = 5)]
    window_secs: u64,
    /// Milliseconds added to every answer of both simulators in the first-sync figure (loopback
    /// answers in about one; the real APIs over the internet do not).
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Demo orders in Quipt for the peak-memory figure.
    #[arg(long)]
    rss_orders: Option<usize>,
    /// Demo orders in Quipt for the dashboard-during-sync figure (about 70 % of them are pushable).
    #[arg(long)]
    ui_orders: Option<usize>,
    /// Timeline events generated for the history figure.
    #[arg(long)]
    events: Option<usize>,
    /// Measure the peak memory of this `quipt-shipstation` binary instead of this harness's own
    /// headless child (the same engine call).
    #[arg(long)]
    cli: Option<PathBuf>,
    /// Ready orders of the first sync for the tracking-latency-during-backlog figure.
    #[arg(long)]
    backlog_orders: Option<usize>,
    /// Only these figures (push, first-sync, idle, idle_day, backlog, ui, rss, history); all when empty.
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    #[command(subcommand)]
    child: Option<Child>,
}

#[derive(Debug, Subcommand)]
enum Child {
    /// One headless run against a running sandbox, as the CLI's `sync` does it (used by the
    /// peak-memory figure; prints the run summary as JSON).
    #[command(hide = true)]
    ChildSync {
        #[arg(long)]
        data_dir: PathBuf,
        #[arg(long)]
        quipt_url: String,
        #[arg(long)]
        shipstation_url: String,
    },
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    if let Some(Child::ChildSync {
        data_dir,
        quipt_url,
        shipstation_url,
    }) = args.child
    {
        return runtime.block_on(peak_memory::child_sync(
            data_dir,
            quipt_url,
            shipstation_url,
        ));
    }
    let wanted = |name: &str| args.only.is_empty() || args.only.iter().any(|o| o == name);
    let quick = args.quick;
    println!(
        "bench: {} size on {}",
        if quick { "quick (CI)" } else { "full" },
        figure::machine()
    );
    runtime.block_on(async {
        if wanted("push") {
            // Both sizes: 6 whole windows after the first (about 28,900 pushed, 290 calls), as
            // the steady state needs at least 5; a debug build pushes at about the 5-second ceiling.
            push::run(push::Load {
                orders: args.push_orders.unwrap_or(40_000),
                window: Duration::from_secs(args.window_secs),
                one_per_call_windows: if quick { 1 } else { 5 },
            })
            .await?;
        }
        if wanted("first-sync") {
            first_sync::run(!quick, Duration::from_millis(args.latency_ms)).await?;
        }
        if wanted("idle") {
            idle::run().await?;
        }
        if wanted("idle_day") {
            idle_day::run().await?;
        }
        if wanted("ui") {
            let orders = args.ui_orders.unwrap_or(if quick { 1_000 } else { 7_000 });
            ui_latency::run(orders, Duration::from_secs(2)).await?;
        }
        if wanted("backlog") {
            backlog::run(args.backlog_orders.unwrap_or(if quick { 1_500 } else { 5_000 })).await?;
        }
        if wanted("rss") {
            let orders = args.rss_orders.unwrap_or(if quick { 3_000 } else { 100_000 });
            peak_memory::run(orders, args.cli.as_deref()).await?;
        }
        if wanted("history") {
            let events = args.events.unwrap_or(if quick { 50_000 } else { 1_000_000 });
            history::run(events)?;
        }
        figure::detail(
            "app_interactive_ms and app_idle_rss_mb are measured by the app's end-to-end journeys, not here (BENCHMARKS.md)",
        );
        anyhow::Ok(())
    })
}
