//! `start-new-history`: the way out of a history database that cannot be opened — damaged, or
//! written by a newer version. The file is kept under a new name beside it (for support, or for
//! the newer version) and a new, empty history starts. Safe: a new history pushes and reports
//! nothing twice (ShipStation orders are keyed by `orderKey`, Quipt shipments by `ExternalId`),
//! it only forgets the timeline. A history that opens is never moved.

use crate::output;
use std::process::ExitCode;

use connector::Error;
use connector::run_lock::{RunLock, Wait};
use connector::store;

/// Moves an unusable history aside; exit 1 when the history opens and nothing was moved.
pub async fn run(paths: connector::Paths) -> anyhow::Result<ExitCode> {
    // No sync may be using the directory while its history is renamed.
    let _lock = RunLock::acquire(&paths.data_dir, Wait::No, chrono::Utc::now()).await?;
    let path = paths.database();
    match store::open(&path) {
        Ok(_) => {
            eprintln!(
                "the history {} opens fine: nothing was moved (this command is for a damaged history or one from a newer version)",
                path.display()
            );
            Ok(ExitCode::from(1))
        }
        Err(e @ (Error::DatabaseDamaged { .. } | Error::DatabaseTooNew { .. })) => {
            tracing::warn!("starting a new history: {e}");
            let aside = store::move_aside(&path, chrono::Utc::now())?;
            store::open(&path)?;
            if let Some(aside) = aside {
                output::say!("kept the old history as {}", aside.display());
            }
            output::say!(
                "started a new, empty history at {}; the next sync re-reads both accounts and pushes or reports nothing twice",
                path.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => Err(e.into()),
    }
}
