//! Pass 2: Quipt orders out to ShipStation.
//!
//! Orders changed since the cursor (plus those flagged for retry and those that failed) are read in
//! chunks, planned by [`plan`] without I/O, and applied: holds recorded, bodies pushed with
//! `createorders` in batches of up to 100, each result recorded, and accepted orders acknowledged in
//! Quipt once. The cursor moves to the newest `ModifiedAt` read only when the whole pass committed.

use std::collections::HashMap;

use futures::StreamExt;
use shipstation::{NewOrder, OrderStatus as SsStatus};

use crate::error::{Error, Result};
use crate::events::{Pass, SyncEvent};
use crate::mapping::{self, Decision, HoldReason};
use crate::reference::Reference;
use crate::settings::Settings;
use crate::store::{self, orders::OrderRow, orders::OrderState};

use super::Run;
use super::summary::PreviewItem;

/// The most orders in one `createorders` call (shared/api/shipstation.md).
pub const BATCH: usize = 100;
/// Orders planned and applied together; bounds memory on large loads.
const CHUNK: usize = 1_000;
/// Quipt's largest page.
const PAGE_SIZE: u32 = quipt::MAX_PAGE_SIZE;
/// At most this many held/failed orders are re-fetched one by one per run.
const REFETCH_LIMIT: usize = 100;
/// The reason code of a push that got no answer: ShipStation may or may not have the orders.
const UNREACHABLE: &str = "unreachable";

/// One order to send.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedPush {
    /// Quipt id.
    pub quipt_id: String,
    /// The body.
    pub body: NewOrder,
    /// Its content hash.
    pub hash: String,
    /// Whether ShipStation already has it.
    pub is_update: bool,
    /// Timeline notes (substitutions, assignments).
    pub notes: Vec<String>,
}

/// One order to hold.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedHold {
    /// Quipt id.
    pub quipt_id: String,
    /// Why.
    pub reason: HoldReason,
}

/// What the pass will do with a chunk of orders.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plan {
    /// Bodies to send.
    pub push: Vec<PlannedPush>,
    /// Orders to hold (new holds or changed reasons only).
    pub hold: Vec<PlannedHold>,
    /// Orders seen again with nothing to do.
    pub unchanged: u64,
    /// Orders whose update is not sent because ShipStation split or closed them.
    pub not_sent: Vec<(String, &'static str)>,
}

/// Plans a chunk of orders against what the history knows of them. Pure.
pub fn plan(
    orders: &[quipt::Order],
    known: &HashMap<String, OrderRow>,
    settings: &Settings,
    reference: &Reference,
) -> Plan {
    let mut plan = Plan::default();
    for order in orders {
        let row = known.get(&order.id.0);
        let was_pushed = row.is_some_and(|r| r.ss_order_id.is_some());
        // ShipStation may hold the order even though we never recorded its id: a push whose answer
        // was lost (killed after the call, or the connection dropped on every retry). A cancellation
        // must reach it then too; an upsert by orderKey cancels it or, had the push not landed,
        // leaves a cancelled order behind — never an open one.
        let may_be_in_shipstation = was_pushed
            || row.is_some_and(|r| {
                r.state == OrderState::Pending
                    || (r.state == OrderState::Failed
                        && r.reason_code.as_deref() == Some(UNREACHABLE))
            });
        if let Some(row) = row
            && matches!(
                row.state,
                OrderState::Shipped | OrderState::Cancelled | OrderState::Conflict
            )
            && !row.retry
        {
            plan.unchanged += 1;
            continue;
        }
        match mapping::decide(order, settings, reference, may_be_in_shipstation) {
            Decision::Push { body, notes } => {
                let hash = mapping::content_hash(&body);
                let row_state = row.map(|r| r.state);
                if row.is_some_and(|r| r.content_hash.as_deref() == Some(hash.as_str()))
                    && row_state == Some(OrderState::Pushed)
                {
                    plan.unchanged += 1;
                } else if row.is_some_and(|r| r.split) {
                    plan.not_sent.push((
                        order.id.0.clone(),
                        "split in ShipStation: the update is not sent",
                    ));
                } else if row.is_some_and(|r| {
                    matches!(r.ss_status.as_deref(), Some("shipped" | "cancelled"))
                }) && body.order_status != SsStatus::Cancelled
                {
                    plan.not_sent.push((
                        order.id.0.clone(),
                        "closed in ShipStation: the update is not sent",
                    ));
                } else {
                    plan.push.push(PlannedPush {
                        quipt_id: order.id.0.clone(),
                        body: *body,
                        hash,
                        is_update: was_pushed,
                        notes,
                    });
                }
            }
            Decision::Hold(reason) => {
                let same = row.is_some_and(|r| {
                    r.state == OrderState::Held
                        && r.reason_code.as_deref() == Some(reason.code())
                        && !r.retry
                });
                if same {
                    plan.unchanged += 1;
                } else {
                    plan.hold.push(PlannedHold {
                        quipt_id: order.id.0.clone(),
                        reason,
                    });
                }
            }
            Decision::Leave { .. } => plan.unchanged += 1,
        }
    }
    plan
}

/// Runs the pass.
pub(crate) async fn run(run: &mut Run<'_>, reference: &Reference) -> Result<()> {
    let ctx = run.ctx;
    let cursor = store::cursors::get(&ctx.db(), Pass::OrdersOut.as_str())?;
    let mut statuses = vec![quipt::OrderStatus::Open];
    if ctx.settings.orders.push_validating {
        statuses.push(quipt::OrderStatus::Pending);
    }
    if cursor.is_some() {
        // Cancellations in Quipt matter only for orders pushed before; a first run skips history.
        statuses.push(quipt::OrderStatus::Canceled);
    }
    let query = quipt::OrderQuery {
        statuses,
        modified_after: cursor.map(|c| c - super::OVERLAP),
        // Quipt's own record of what was accepted makes the acknowledgement exactly-once, even
        // after a crash between the call and our record of it.
        include: vec![quipt::Include::Acknowledgements],
        ..quipt::OrderQuery::default()
    };

    let mut newest = cursor;
    let mut acks: Vec<(quipt::OrderId, quipt::Acknowledgement)> = Vec::new();
    let mut done = 0u64;
    let mut chunk: Vec<quipt::Order> = Vec::with_capacity(CHUNK);
    let mut seen = std::collections::HashSet::new();

    let refetch = store::orders::to_refetch(&ctx.db(), REFETCH_LIMIT)?;
    for id in refetch {
        match ctx.quipt.orders().get(&quipt::OrderId(id.clone())).await {
            Ok(order) => {
                seen.insert(order.id.0.clone());
                chunk.push(order);
            }
            Err(e) if e.status() == Some(404) => super::record_state(
                run,
                &id,
                OrderState::Conflict,
                Some(("gone_in_quipt", "the order no longer exists in Quipt")),
                "gone_in_quipt",
                "the order no longer exists in Quipt",
            )?,
            Err(e) => return Err(e.into()),
        }
    }

    {
        let api = ctx.quipt.orders();
        let mut stream = std::pin::pin!(api.list_all(query, PAGE_SIZE));
        while let Some(order) = stream.next().await {
            let order = order?;
            if let Some(modified) = order.modified_at {
                newest = Some(newest.map_or(modified, |n| n.max(modified)));
            }
            if !seen.insert(order.id.0.clone()) {
                continue; // re-fetched above, or repeated across pages
            }
            chunk.push(order);
            if chunk.len() >= CHUNK {
                // Orders of a partial last batch move on to the next chunk, so that every
                // `createorders` call but the run's last carries 100 orders.
                chunk = apply_chunk(
                    run,
                    reference,
                    std::mem::take(&mut chunk),
                    &mut acks,
                    &mut done,
                    false,
                )
                .await?;
            }
        }
    }
    apply_chunk(run, reference, chunk, &mut acks, &mut done, true).await?;

    acknowledge(run, acks).await?;

    if !run.dry_run
        && let Some(newest) = newest
    {
        store::cursors::advance(&ctx.db(), Pass::OrdersOut.as_str(), newest)?;
    }
    Ok(())
}

async fn apply_chunk(
    run: &mut Run<'_>,
    reference: &Reference,
    orders: Vec<quipt::Order>,
    acks: &mut Vec<(quipt::OrderId, quipt::Acknowledgement)>,
    done: &mut u64,
    last: bool,
) -> Result<Vec<quipt::Order>> {
    if orders.is_empty() {
        return Ok(Vec::new());
    }
    let ctx = run.ctx;
    let known: HashMap<String, OrderRow> = {
        let db = ctx.db();
        let mut known = HashMap::new();
        for order in &orders {
            if let Some(row) = store::orders::get(&db, &order.id.0)? {
                known.insert(order.id.0.clone(), row);
            }
        }
        known
    };
    let mut plan = plan(&orders, &known, &ctx.settings, reference);
    // Unless this is the last chunk, a partial last batch waits for the next chunk (its orders are
    // planned again there, the same way: `plan` is pure).
    let carried: std::collections::HashSet<String> = if last {
        Default::default()
    } else {
        let full = plan.push.len() / BATCH * BATCH;
        plan.push.drain(full..).map(|p| p.quipt_id).collect()
    };
    let by_id: HashMap<&str, &quipt::Order> = orders.iter().map(|o| (o.id.0.as_str(), o)).collect();
    run.summary.unchanged += plan.unchanged;

    record_holds(run, &plan.hold, &by_id)?;
    for (quipt_id, why) in &plan.not_sent {
        if !run.dry_run {
            store::timeline::append(
                &ctx.db(),
                quipt_id,
                run.id,
                "update_not_sent",
                why,
                run.now(),
            )?;
        }
    }

    let total = *done + plan.push.len() as u64;
    for batch in plan.push.chunks(BATCH) {
        if run.dry_run {
            for p in batch {
                let action = if p.body.order_status == SsStatus::Cancelled {
                    "cancel"
                } else if p.is_update {
                    "update"
                } else {
                    "create"
                };
                let detail = if p.notes.is_empty() {
                    String::new()
                } else {
                    p.notes.join("; ")
                };
                run.summary.preview.push(PreviewItem {
                    order_number: p.body.order_number.clone(),
                    action,
                    detail,
                });
            }
            continue;
        }
        push_batch(run, batch, &by_id).await?;
        *done += batch.len() as u64;
        run.progress(Pass::OrdersOut, *done, total);
    }

    // Orders ShipStation has and Quipt has not been told about yet, oldest promise first.
    let db = ctx.db();
    for order in orders.iter().filter(|o| !carried.contains(&o.id.0)) {
        let Some(row) = store::orders::get(&db, &order.id.0)? else {
            continue;
        };
        if row.ss_order_id.is_some()
            && !row.acknowledged
            && matches!(row.state, OrderState::Pushed)
            && matches!(
                order.status,
                quipt::OrderStatus::Open | quipt::OrderStatus::Pending
            )
        {
            acks.push((order.id.clone(), acceptance(order)));
        }
    }
    drop(db);
    Ok(orders
        .into_iter()
        .filter(|o| carried.contains(&o.id.0))
        .collect())
}

fn seen_of(order: &quipt::Order) -> store::orders::Seen<'_> {
    store::orders::Seen {
        quipt_id: &order.id.0,
        order_number: &order.order_number,
        channel: order.partner.as_ref().map(|p| p.name.as_str()),
        warehouse_code: order.warehouse.as_ref().map(|w| w.code.as_str()),
        quipt_status: status_code(order.status),
    }
}

/// Quipt's numeric status code (shared/api/quipt.md).
fn status_code(status: quipt::OrderStatus) -> i64 {
    match status {
        quipt::OrderStatus::Pending => 2,
        quipt::OrderStatus::Open => 4,
        quipt::OrderStatus::Shipped => 8,
        quipt::OrderStatus::Canceled => 16,
        quipt::OrderStatus::Other(code) => code,
    }
}

fn record_holds(
    run: &mut Run<'_>,
    holds: &[PlannedHold],
    by_id: &HashMap<&str, &quipt::Order>,
) -> Result<()> {
    for hold in holds {
        let order = by_id[hold.quipt_id.as_str()];
        let message = hold.reason.message();
        run.summary.held += 1;
        if run.dry_run {
            run.summary.preview.push(PreviewItem {
                order_number: order.order_number.clone(),
                action: "hold",
                detail: message,
            });
            continue;
        }
        {
            let mut db = run.ctx.db();
            let tx = db.transaction()?;
            store::orders::set_state(
                &tx,
                &seen_of(order),
                OrderState::Held,
                Some((hold.reason.code(), &message)),
                run.now(),
            )?;
            store::timeline::append(&tx, &hold.quipt_id, run.id, "held", &message, run.now())?;
            tx.commit()?;
        }
        run.ctx.events.send(SyncEvent::OrderHeld {
            order_number: order.order_number.clone(),
            reason: message,
        });
    }
    Ok(())
}

async fn push_batch(
    run: &mut Run<'_>,
    batch: &[PlannedPush],
    by_id: &HashMap<&str, &quipt::Order>,
) -> Result<()> {
    let ctx = run.ctx;
    // Record that these orders are being pushed before the call: after a crash the row shows the
    // attempt, and the re-push upserts by orderKey instead of duplicating.
    {
        let mut db = ctx.db();
        let tx = db.transaction()?;
        for p in batch {
            if !p.is_update {
                let order = by_id[p.quipt_id.as_str()];
                store::orders::set_state(
                    &tx,
                    &seen_of(order),
                    OrderState::Pending,
                    None,
                    run.now(),
                )?;
            }
        }
        tx.commit()?;
    }
    let bodies: Vec<NewOrder> = batch.iter().map(|p| p.body.clone()).collect();
    let result = match ctx.shipstation.orders().create_many(&bodies).await {
        Ok(result) => result,
        Err(e) if !e.is_retryable() && e.status() == Some(400) => {
            // The whole call was refused: record it on every order of the batch and go on.
            let message = e.to_string();
            for p in batch {
                run.summary.failed += 1;
                super::record_state(
                    run,
                    &p.quipt_id,
                    OrderState::Failed,
                    Some(("rejected", &message)),
                    "push_failed",
                    &message,
                )?;
            }
            return Ok(());
        }
        Err(e) => {
            let message = format!("not pushed: {e}");
            for p in batch {
                super::record_state(
                    run,
                    &p.quipt_id,
                    OrderState::Failed,
                    Some((UNREACHABLE, &message)),
                    "push_failed",
                    &message,
                )?;
            }
            return Err(Error::from(e));
        }
    };
    let results: HashMap<String, shipstation::BulkOrderResult> = result
        .results
        .into_iter()
        .filter_map(|r| r.order_key.clone().map(|k| (k.0, r)))
        .collect();

    let mut db = ctx.db();
    let tx = db.transaction()?;
    for p in batch {
        let key = p.body.order_key.0.as_str();
        let cancelling = p.body.order_status == SsStatus::Cancelled;
        match results.get(key) {
            Some(r) if r.success && r.order_id.is_some() => {
                let order_id = r.order_id.expect("checked").0;
                let (state, kind) = if cancelling {
                    run.summary.cancelled_in_shipstation += 1;
                    (OrderState::Cancelled, "cancelled_in_shipstation")
                } else if p.is_update {
                    run.summary.updated += 1;
                    (OrderState::Pushed, "updated")
                } else {
                    run.summary.created += 1;
                    (OrderState::Pushed, "pushed")
                };
                let status = serde_json::to_value(p.body.order_status)
                    .ok()
                    .and_then(|v| v.as_str().map(String::from))
                    .unwrap_or_default();
                store::orders::record_pushed(
                    &tx,
                    &p.quipt_id,
                    order_id,
                    &status,
                    &p.hash,
                    state,
                    run.now(),
                )?;
                let message = match kind {
                    "pushed" => format!("created in ShipStation as order {order_id} ({status})"),
                    "updated" => format!("updated in ShipStation order {order_id} ({status})"),
                    _ => {
                        format!("cancelled in Quipt: ShipStation order {order_id} set to cancelled")
                    }
                };
                store::timeline::append(&tx, &p.quipt_id, run.id, kind, &message, run.now())?;
                for note in &p.notes {
                    store::timeline::append(&tx, &p.quipt_id, run.id, "note", note, run.now())?;
                }
            }
            other => {
                let message = other
                    .and_then(|r| r.error_message.clone())
                    .unwrap_or_else(|| "ShipStation returned no result for this order".into());
                let closed = message.to_ascii_lowercase().contains("shipped") && cancelling;
                let (state, code, kind) = if closed {
                    run.summary.conflicts += 1;
                    (OrderState::Conflict, "cancel_after_ship", "conflict")
                } else {
                    run.summary.failed += 1;
                    (OrderState::Failed, "rejected", "push_failed")
                };
                let message = if closed {
                    format!("cancelled in Quipt but already shipped in ShipStation: {message}")
                } else {
                    format!("ShipStation refused the order: {message}")
                };
                store::orders::update_state(
                    &tx,
                    &p.quipt_id,
                    state,
                    Some((code, &message)),
                    run.now(),
                )?;
                store::timeline::append(&tx, &p.quipt_id, run.id, kind, &message, run.now())?;
            }
        }
    }
    tx.commit()?;
    Ok(())
}

/// The acknowledgement that accepts the remaining quantity of every line not accepted yet.
pub fn acceptance(order: &quipt::Order) -> quipt::Acknowledgement {
    quipt::Acknowledgement {
        lines: order
            .lines
            .iter()
            .filter(|l| l.ordered.value - l.canceled.value > 0.0 && !l.is_accepted())
            .map(|l| quipt::AckLine {
                line_id: l.id.clone(),
                status: quipt::AckStatus::Accepted,
                quantity: quipt::Quantity {
                    units: l.ordered.units,
                    value: l.ordered.value - l.canceled.value,
                },
            })
            .collect(),
    }
}

/// Acknowledges (Accepted) in Quipt the orders ShipStation now has, each once. A failure is
/// recorded and the order re-fetched next run; it does not stop the pass.
async fn acknowledge(
    run: &mut Run<'_>,
    acks: Vec<(quipt::OrderId, quipt::Acknowledgement)>,
) -> Result<()> {
    if run.dry_run {
        return Ok(());
    }
    for (id, ack) in acks {
        match run.ctx.quipt.orders().acknowledge(&id, &ack).await {
            Ok(()) => {
                run.summary.acknowledged += 1;
                let db = run.ctx.db();
                store::orders::mark_acknowledged(&db, &id.0)?;
                store::timeline::append(
                    &db,
                    &id.0,
                    run.id,
                    "acknowledged",
                    "accepted in Quipt",
                    run.now(),
                )?;
            }
            Err(e) if e.is_retryable() => return Err(e.into()),
            Err(e) => {
                let db = run.ctx.db();
                store::timeline::append(
                    &db,
                    &id.0,
                    run.id,
                    "acknowledge_failed",
                    &e.to_string(),
                    run.now(),
                )?;
                store::orders::request_retry(&db, Some(&id.0))?;
            }
        }
    }
    Ok(())
}
