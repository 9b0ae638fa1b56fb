//! `quipt-shipstation`: the headless CLI over the connector's engine (SPEC §5), for servers,
//! scripts and support. Parsing, tracing and dispatch only; every rule lives in `connector`.

mod commands;
mod output;
mod secret_input;
mod stop_signals;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::LazyLock;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

/// Moves orders from Quipt to ShipStation and brings tracking and cancellations back.
#[derive(Debug, Parser)]
#[command(name = "quipt-shipstation", version, about)]
struct Cli {
    /// The settings file (default: the platform config directory).
    #[arg(long, global = true, env = "QUIPT_SHIPSTATION_CONFIG")]
    config: Option<PathBuf>,
    /// The directory of the history database (default: the platform data directory).
    #[arg(long, global = true, env = "QUIPT_SHIPSTATION_DATA_DIR")]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Authorize the connector as the Quipt API user (OAuth 1.0a) and keep the token in the keyring.
    Authorize(commands::authorize::Args),
    /// Check the settings and connectivity, step by step as the setup wizard does.
    Check(commands::check::Args),
    /// Run one sync.
    Sync(commands::sync::Args),
    /// Run the schedule in the foreground.
    Daemon(commands::daemon::Args),
    /// Health, last run and orders needing attention.
    Status(commands::status::Args),
    /// Orders of the history, or one order's timeline.
    History(commands::history::Args),
    /// Re-queue one held or failed order, or all of them, for the next run.
    Retry(commands::retry::Args),
    /// Mark an order in conflict settled: dealt with outside the connector, it no longer needs attention.
    Settle(commands::settle::Args),
    /// Compare Quipt, ShipStation and the history.
    Reconcile(commands::reconcile::Args),
    /// Store the ShipStation API key and secret in the keyring.
    Credentials(commands::credentials::Args),
    /// Serve both simulators with demo data.
    Sandbox(commands::sandbox::Args),
    /// Write a support bundle (logs, redacted settings, recent history; no secret) and print its path.
    Diagnostics(commands::diagnostics::Args),
    /// Keep a damaged history (or one from a newer version) aside and start a new, empty one.
    StartNewHistory,
    /// Print the shell completion script for bash, zsh or fish (the .deb installs all three).
    Completions(commands::completions::Args),
    /// Write the manual pages (the .deb installs them).
    #[command(hide = true)]
    Manual(commands::manual::Args),
}

/// `--version`: a build without the real Quipt consumer says it is a demo build.
static VERSION: LazyLock<String> = LazyLock::new(|| {
    let version = env!("CARGO_PKG_VERSION");
    if connector::shipped_consumer::is_demo() {
        format!("{version} (demo build: the sandbox's OAuth consumer, not for real Quipt accounts)")
    } else {
        version.to_string()
    }
});

/// The clap definitions, with the build's version.
fn definitions() -> clap::Command {
    Cli::command().version(VERSION.as_str())
}

fn main() -> ExitCode {
    let matches = definitions().get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    // What the package installs beside the binary: generated, not run, so no log is started.
    match &cli.command {
        Command::Completions(args) => return commands::completions::run(args, definitions()),
        Command::Manual(args) => {
            return commands::manual::run(args, definitions()).unwrap_or_else(|e| {
                eprintln!("error: {e:#}");
                ExitCode::from(1)
            });
        }
        _ => {}
    }
    // Only the subcommand's name is logged: some arguments could be credentials.
    let command = matches.subcommand_name().unwrap_or_default().to_string();
    let paths = connector::Paths::resolve(cli.config, cli.data_dir);
    // The guard flushes the log file at the end of main.
    let _log_guard = connector::logging::init_default(&paths);
    tracing::info!(command, version = VERSION.as_str(), "started");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime starts");
    let result = runtime.block_on(async {
        match cli.command {
            Command::Authorize(args) => commands::authorize::run(args, &paths).await,
            Command::Check(args) => commands::check::run(args, &paths).await,
            Command::Sync(args) => commands::sync::run(args, paths).await,
            Command::Daemon(args) => commands::daemon::run(args, paths).await,
            Command::Status(args) => commands::status::run(args, paths),
            Command::History(args) => commands::history::run(args, paths),
            Command::Retry(args) => commands::retry::run(args, paths),
            Command::Settle(args) => commands::settle::run(args, paths),
            Command::Reconcile(args) => commands::reconcile::run(args, paths).await,
            Command::Credentials(args) => commands::credentials::run(args),
            Command::Sandbox(args) => commands::sandbox::run(args).await,
            Command::Diagnostics(args) => commands::diagnostics::run(args, &paths),
            Command::StartNewHistory => commands::start_new_history::run(paths).await,
            Command::Completions(_) | Command::Manual(_) => unreachable!("answered before the log"),
        }
    });
    match result {
        Ok(code) => {
            tracing::info!(command, "finished");
            code
        }
        Err(e) => {
            // A credential in an error's text (a pasted key in a URL) is redacted as in the log, and
            // control characters in a server's words are shown, not obeyed.
            let (message, _) = connector::redaction::patterns().redact(&output::error_message(&e));
            tracing::error!(target: connector::logging::FILE_ONLY, command, "failed: {message}");
            eprintln!("error: {}", output::visible(&message));
            ExitCode::from(1)
        }
    }
}
