//! Peak memory of a headless run over a large account, measured from outside the process: the run
//! is a child process (this harness's `child-sync`, the same engine call as the CLI's `sync`, or the
//! real `quipt-shipstation` binary with `--cli`), its `VmHWM` is sampled from `/proc/<pid>/status`
//! every 20 ms while it runs (the kernel keeps the high-water mark, so a sample misses only what
//! the last 20 ms added). `getrusage(RUSAGE_CHILDREN)` is printed beside it but is not the figure:
//! Linux charges a child the resident size of the image it was forked from until its `exec`, here
//! this harness holding the whole sandbox.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use nix::sys::resource::{UsageWho, getrusage};
use tokio::io::AsyncReadExt;

use crate::{account, figure};

/// ShipStation's window for this figure: short, so that 100,000 orders finish in about a minute.
const WINDOW: Duration = Duration::from_secs(1);

pub async fn run(orders: usize, cli: Option<&Path>) -> anyhow::Result<()> {
    let sandbox = account::sandbox(orders, WINDOW).await?;
    let dir = tempfile::tempdir()?;
    let data_dir = dir.path().join("data");
    let config = dir.path().join("settings.toml");
    account::settings(&sandbox.quipt_url(), &sandbox.shipstation_url()).save(&config)?;

    let mut command = match cli {
        Some(binary) => {
            let mut command = tokio::process::Command::new(binary);
            command
                .arg("--config")
                .arg(&config)
                .arg("--data-dir")
                .arg(&data_dir)
                .args(["sync", "--json"]);
            command
        }
        None => {
            let mut command = tokio::process::Command::new(std::env::current_exe()?);
            command
                .arg("child-sync")
                .arg("--data-dir")
                .arg(&data_dir)
                .args(["--quipt-url", &sandbox.quipt_url()])
                .args(["--shipstation-url", &sandbox.shipstation_url()]);
            command
        }
    };
    let credentials = [
        ("QUIPT_CONSUMER_KEY", sandbox::demo_data::QUIPT_CONSUMER_KEY),
        (
            "QUIPT_CONSUMER_SECRET",
            sandbox::demo_data::QUIPT_CONSUMER_SECRET,
        ),
        ("QUIPT_ACCESS_TOKEN", sandbox::demo_data::QUIPT_ACCESS_TOKEN),
        (
            "QUIPT_ACCESS_TOKEN_SECRET",
            sandbox::demo_data::QUIPT_ACCESS_TOKEN_SECRET,
        ),
        (
            "SHIPSTATION_API_KEY",
            sandbox::demo_data::SHIPSTATION_API_KEY,
        ),
        (
            "SHIPSTATION_API_SECRET",
            sandbox::demo_data::SHIPSTATION_API_SECRET,
        ),
    ];
    command
        .envs(credentials)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());

    let started = Instant::now();
    let mut child = command.spawn()?;
    let pid = child.id().unwrap_or(0);
    let mut stdout = child.stdout.take().expect("stdout is piped");
    let reader = tokio::spawn(async move {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text).await;
        text
    });
    let mut sampled_kib = 0u64;
    let mut ticker = tokio::time::interval(Duration::from_millis(20));
    let status = loop {
        tokio::select! {
            status = child.wait() => break status?,
            _ = ticker.tick() => {
                if let Some(kib) = vm_hwm_kib(pid) {
                    sampled_kib = sampled_kib.max(kib);
                }
            }
        }
    };
    let elapsed = started.elapsed();
    let output = reader.await?;
    anyhow::ensure!(
        matches!(status.code(), Some(0 | 2)),
        "the headless run failed ({status}): {output}"
    );
    let rusage_kib = u64::try_from(getrusage(UsageWho::RUSAGE_CHILDREN)?.max_rss()).unwrap_or(0);
    let peak_mib = sampled_kib as f64 / 1024.0;

    let summary: serde_json::Value = serde_json::from_str(output.trim()).unwrap_or_default();
    let count = |key: &str| summary.get(key).and_then(|v| v.as_u64()).unwrap_or(0);
    figure::detail(format!(
        "{} over {orders} Quipt orders: {} pushed, {} held, {} ShipStation + {} Quipt calls in {:.1} s (window {} s); VmHWM {:.1} MiB (ru_maxrss {:.1} MiB includes the forked harness)",
        if cli.is_some() {
            "quipt-shipstation sync"
        } else {
            "headless child run"
        },
        count("created") + count("updated"),
        count("held"),
        count("shipstation_calls"),
        count("quipt_calls"),
        elapsed.as_secs_f64(),
        WINDOW.as_secs(),
        sampled_kib as f64 / 1024.0,
        rusage_kib as f64 / 1024.0,
    ));
    let name = if orders == 100_000 {
        "peak_rss_mb_100k_orders".to_string()
    } else {
        format!("peak_rss_mb_{orders}_orders")
    };
    figure::print(
        &name,
        format!("{peak_mib:.1}"),
        "MiB",
        "<= 150",
        peak_mib <= 150.0,
    );
    Ok(())
}

/// `VmHWM` (peak resident set) of a running process, in KiB.
fn vm_hwm_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// The child: one headless run, as the CLI's `sync` does it; prints the summary as JSON.
pub async fn child_sync(
    data_dir: PathBuf,
    quipt_url: String,
    shipstation_url: String,
) -> anyhow::Result<()> {
    let paths = connector::Paths {
        config_file: data_dir.join("unused-settings.toml"),
        data_dir,
    };
    let connector = connector::Connector::open(
        paths,
        account::settings(&quipt_url, &shipstation_url),
        &account::credentials(),
    )?;
    let summary = account::sync(&connector).await?;
    println!("{}", serde_json::to_string(&summary)?);
    Ok(())
}
