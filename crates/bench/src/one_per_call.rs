//! The way most connectors push (the WooCommerce, Medusa and workflow-tool connectors do): one
//! `createorder` call per order. Used side by side with the engine's bulk push, against the same
//! simulator, window and orders: the same Quipt orders (the same seed), read page by page with the
//! same query, mapped by the engine's own rules ([`connector::mapping::decide`]) into the same
//! bodies, and sent one call each through the same client with the same pacing. Only the way of
//! sending differs.

use connector::mapping::{self, Decision};
use connector::settings::Settings;
use futures::StreamExt;

use crate::steady::Completion;

/// Reads ready Quipt orders and sends each pushable one with its own `createorder` call until
/// `orders` were sent or Quipt has no more; returns when each call completed, read on `clock` (the
/// clients' clock: the computer's, or the simulated one).
///
/// # Errors
/// When a call fails after the client's retries, or ShipStation refuses an order: the comparison
/// would be meaningless.
pub async fn push(
    quipt: &quipt::Client,
    shipstation: &shipstation::Client,
    settings: &Settings,
    orders: usize,
    clock: &dyn shipstation::Clock,
) -> anyhow::Result<Vec<Completion>> {
    let reference = connector::sync::reference::fetch(shipstation).await?;
    let query = quipt::OrderQuery {
        statuses: vec![quipt::OrderStatus::Open],
        include: vec![quipt::Include::Acknowledgements],
        ..quipt::OrderQuery::default()
    };
    let api = quipt.orders();
    let mut ready = std::pin::pin!(api.list_all(query, quipt::MAX_PAGE_SIZE));
    let mut completions = Vec::with_capacity(orders);
    while completions.len() < orders
        && let Some(order) = ready.next().await
    {
        let Decision::Push { body, .. } = mapping::decide(&order?, settings, &reference) else {
            continue; // held or left alone, as the engine would
        };
        shipstation.orders().create(&body).await?;
        completions.push(Completion {
            at: clock.now(),
            pushed: completions.len() as u64 + 1,
        });
    }
    Ok(completions)
}
