//! Pass 1: ShipStation's reference data, cached in the history and refreshed at most every 15
//! minutes (or on demand), so an idle run costs no reference calls.

use chrono::Utc;

use crate::error::Result;
use crate::reference::{CarrierRef, Reference, ServiceRef, StoreRef, WarehouseRef};
use crate::store;

use super::Context;

/// How long cached reference data is trusted.
pub const MAX_AGE: chrono::Duration = chrono::Duration::minutes(15);

const CACHE_KEY: &str = "shipstation";

/// The reference data: from the cache when fresh, else fetched and cached.
///
/// # Errors
/// When ShipStation cannot be reached and nothing is cached.
pub async fn load(ctx: &Context, force: bool) -> Result<Reference> {
    let cached: Option<(Reference, _)> = store::reference_cache::get(&ctx.db(), CACHE_KEY)?;
    if let Some((reference, fetched_at)) = &cached
        && !force
        && Utc::now() - *fetched_at < MAX_AGE
    {
        return Ok(reference.clone());
    }
    let reference = fetch(&ctx.shipstation).await?;
    store::reference_cache::put(&ctx.db(), CACHE_KEY, &reference, Utc::now())?;
    Ok(reference)
}

/// Fetches stores, warehouses, carriers and each carrier's services.
///
/// # Errors
/// When a call fails after the client's retries.
pub async fn fetch(ss: &shipstation::Client) -> Result<Reference> {
    let stores = ss
        .stores()
        .list(true)
        .await?
        .into_iter()
        .map(|s| StoreRef {
            id: s.store_id.0,
            name: s.store_name,
            active: s.active,
        })
        .collect();
    let warehouses = ss
        .warehouses()
        .list()
        .await?
        .into_iter()
        .map(|w| WarehouseRef {
            id: w.warehouse_id.0,
            name: w.warehouse_name,
        })
        .collect();
    let mut carriers = Vec::new();
    for carrier in ss.carriers().list().await? {
        let services = ss
            .carriers()
            .list_services(&carrier.code)
            .await?
            .into_iter()
            .map(|s| ServiceRef {
                code: s.code,
                name: s.name,
            })
            .collect();
        carriers.push(CarrierRef {
            code: carrier.code,
            name: carrier.name,
            primary: carrier.primary,
            services,
        });
    }
    Ok(Reference {
        stores,
        warehouses,
        carriers,
    })
}
