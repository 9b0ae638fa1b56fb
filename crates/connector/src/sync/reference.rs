//! Pass 1: ShipStation's reference data (stores, warehouses, carriers, services), cached in the
//! history so that an idle run costs no reference calls (SPEC §2.1, §6). It is read again:
//! - when the cache is an hour old ([`MAX_AGE`]);
//! - at once on Sync now (and `sync --refresh`);
//! - when a decision meets an id the cache does not know (an order held for a store, warehouse or
//!   carrier the cache lacks), within the same run;
//! - when ShipStation refuses a push ([`refusal_makes_stale`]), since a store, warehouse or carrier
//!   gone there is the likely cause: within the same run when the data was read before it (the
//!   refused orders are then planned again with it, and one whose store is gone is held for that),
//!   else on the next run, where the refused order is tried again.
//!
//! So drift is seen within an hour at most, and at once where it matters.

use chrono::{DateTime, Utc};

use crate::error::Result;
use crate::outcome::ReasonCode;
use crate::reference::{CarrierRef, Reference, ServiceRef, StoreRef, WarehouseRef};
use crate::store::{self, orders::OrderRow, reference_cache::Cached};

use super::Run;

/// How long cached reference data is trusted.
pub const MAX_AGE: chrono::Duration = chrono::Duration::hours(1);

const CACHE_KEY: &str = "shipstation";

/// The reference data a run works with, and whether this run read it from ShipStation.
#[derive(Debug, Clone)]
pub(crate) struct Loaded {
    pub data: Reference,
    pub fetched_this_run: bool,
    /// Whether this run tried to read it again, and could not ([`Loaded::refresh_once`]).
    pub read_again_failed: bool,
}

/// Whether a cache entry fetched at `fetched_at` is still trusted at `now`. An entry from the
/// future (the clock was set back) is not.
pub fn is_fresh(fetched_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    fetched_at <= now && now - fetched_at < MAX_AGE
}

/// Whether ShipStation refusing a push of an order whose row was `before` calls for reading the
/// reference data again. Not when the same order was refused before: that refusal already had the
/// data read again (in its run, or the next), so a second one is about the order, not about a
/// store, warehouse or carrier, and the data is not read on every run it is refused.
pub fn refusal_makes_stale(before: Option<&OrderRow>) -> bool {
    !before.is_some_and(|row| row.failed_for(&[ReasonCode::Rejected]))
}

/// The reference data: from the cache when fresh, else fetched and cached. When it cannot be read
/// now for a reason that passes (ShipStation down or failing on one of these lists, an answer the
/// client cannot read), the cache is used however old, and the run says so: the orders and their
/// tracking need not wait for a list of stores that barely ever changes, and a push the stale data
/// allows and ShipStation refuses is refused, recorded and tried again.
///
/// # Errors
/// When the data cannot be read and nothing is cached, or ShipStation refused the call (a key
/// it refuses, a 404): the run then fails with that.
pub(crate) async fn load(run: &mut Run<'_>, force: bool) -> Result<Loaded> {
    let cached: Option<Cached<Reference>> = store::reference_cache::get(&run.ctx.db(), CACHE_KEY)?;
    match cached {
        Some(c) if !force && !c.read_again && is_fresh(c.fetched_at, run.now()) => Ok(Loaded {
            data: c.value,
            fetched_this_run: false,
            read_again_failed: false,
        }),
        cached => match (refresh(run).await, cached) {
            (
                Err(e),
                Some(Cached {
                    value: data,
                    fetched_at,
                    ..
                }),
            ) if passes(&e) => {
                let warning = format!(
                    "ShipStation's stores, warehouses and carriers could not be read again ({e}); this run used those read at {}",
                    fetched_at.format("%Y-%m-%d %H:%M UTC")
                );
                tracing::warn!("{warning}");
                run.summary.warnings.push(warning);
                // Tried this run already: not asked again for every chunk and refusal.
                Ok(Loaded {
                    data,
                    fetched_this_run: false,
                    read_again_failed: true,
                })
            }
            (read, _) => read,
        },
    }
}

/// Whether a failed read of the reference data is one that passes, so a cache is worth more than
/// the error: not a refusal of the call (400–499 but 408 and 429), which the run is to report.
fn passes(error: &crate::Error) -> bool {
    match error {
        crate::Error::ShipStation { source } => {
            source.is_retryable()
                || matches!(
                    source,
                    shipstation::Error::Decode { .. }
                        | shipstation::Error::BodyTooLarge { .. }
                        | shipstation::Error::UnreadableRow(_)
                )
        }
        _ => false,
    }
}

async fn refresh(run: &Run<'_>) -> Result<Loaded> {
    let data = fetch(&run.ctx.shipstation).await?;
    let fetched_at = run.now();
    // A dry run writes nothing, not even the cache.
    if !run.dry_run {
        store::reference_cache::put(&run.ctx.db(), CACHE_KEY, &data, fetched_at)?;
    }
    Ok(Loaded {
        data,
        fetched_this_run: true,
        read_again_failed: false,
    })
}

impl Loaded {
    /// Reads the reference data again unless this run already did, or tried and could not;
    /// returns whether it did. One failed try a run: ShipStation failing on these lists is not
    /// asked again for every chunk of orders.
    pub(crate) async fn refresh_once(&mut self, run: &Run<'_>) -> Result<bool> {
        if self.fetched_this_run || self.read_again_failed {
            return Ok(false);
        }
        match refresh(run).await {
            Ok(loaded) => {
                *self = loaded;
                Ok(true)
            }
            Err(e) => {
                self.read_again_failed = true;
                Err(e)
            }
        }
    }
}

/// Makes the next run read the reference data again (a push was refused).
pub(crate) fn mark_stale(run: &Run<'_>) -> Result<()> {
    if run.dry_run {
        return Ok(());
    }
    store::reference_cache::mark_stale(&run.ctx.db(), CACHE_KEY)
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

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;
    use crate::store::orders::OrderState;

    fn at(minutes: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap() + chrono::Duration::minutes(minutes)
    }

    #[rstest]
    #[case::just_fetched(0, 0, true)]
    #[case::one_schedule_interval_later(0, 16, true)]
    #[case::three_intervals_later(0, 45, true)]
    #[case::just_under_an_hour(0, 59, true)]
    #[case::an_hour_later(0, 60, false)]
    #[case::a_day_later(0, 24 * 60, false)]
    #[case::fetched_in_the_future_the_clock_was_set_back(30, 0, false)]
    fn the_cache_is_trusted_for_an_hour(
        #[case] fetched: i64,
        #[case] now: i64,
        #[case] fresh: bool,
    ) {
        assert_eq!(
            is_fresh(at(fetched), at(now)),
            fresh,
            "fetched at minute {fetched}, now minute {now}"
        );
    }

    fn row(state: OrderState, code: Option<ReasonCode>, updated: i64) -> OrderRow {
        OrderRow {
            reason_code: code,
            updated_at: store::ts(at(updated)),
            ..OrderRow::sample(state)
        }
    }

    #[rstest]
    #[case::a_new_order_refused(None, true)]
    #[case::a_pushed_order_refused_on_update(Some(row(OrderState::Pushed, None, 0)), true)]
    #[case::refused_before(Some(row(OrderState::Failed, Some(ReasonCode::Rejected), 10)), false)]
    #[case::unanswered_before_not_refused(
        Some(row(OrderState::Failed, Some(ReasonCode::Unreachable), 10)),
        true
    )]
    fn a_refused_push_makes_the_reference_stale_unless_the_order_was_refused_before(
        #[case] before: Option<OrderRow>,
        #[case] stale: bool,
    ) {
        assert_eq!(
            refusal_makes_stale(before.as_ref()),
            stale,
            "order before: {before:?}"
        );
    }
}
