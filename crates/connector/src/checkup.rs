//! Every wizard check against the live accounts, in the guide's order: what `quipt-shipstation
//! check` and the wizard's "check my answers" show. The rules of each step are in [`crate::checks`];
//! this module only reads the accounts once and hands them to each.

use crate::checks::{self, CheckResult};
use crate::reference::Reference;
use crate::settings::Settings;

/// Runs the checks that need the APIs with `settings`; stops after the ShipStation keys when
/// ShipStation refuses them (the rest would only repeat that).
pub async fn run(
    settings: &Settings,
    quipt: &quipt::Client,
    shipstation: &shipstation::Client,
) -> Vec<CheckResult> {
    run_on(settings, quipt, crate::sync::reference::fetch(shipstation)).await
}

/// [`run`] with the ShipStation account read by `reference` (the wizard's reuses a recent read:
/// [`crate::reference_memo`]).
pub async fn run_on(
    settings: &Settings,
    quipt: &quipt::Client,
    reference: impl Future<Output = crate::Result<Reference>>,
) -> Vec<CheckResult> {
    let mut results = vec![checks::quipt_api_user(quipt).await];
    let reference = match reference.await {
        Ok(r) => {
            results.push(CheckResult {
                step: "shipstation_keys",
                ok: true,
                message: format!("connected: {} stores", r.stores.len()),
                details: vec![],
            });
            r
        }
        Err(e) => {
            results.push(checks::shipstation_unreadable(&e));
            return results;
        }
    };
    // A single store needs no channel to be checked (Quipt's only show which go there).
    results.push(match quipt.partners().list().await {
        Ok(partners) => checks::stores(settings, &reference, &partners),
        Err(_) if settings.stores.single_store => checks::stores(settings, &reference, &[]),
        Err(e) => checks::quipt_unreadable("stores", "sales channels", &e),
    });
    results.push(checks::carrier(settings, &reference));
    results.push(match quipt.warehouses().list().await {
        Ok(warehouses) => checks::warehouses(settings, &reference, &warehouses).0,
        Err(e) => checks::quipt_unreadable("warehouses", "warehouses", &e),
    });
    results
}
