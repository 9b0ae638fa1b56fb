//! The acknowledgement lane (SPEC §2.2): every order ShipStation accepted is acknowledged
//! (Accepted) in Quipt once, without ever holding back tracking or cancellations.
//!
//! Quipt takes one call per order and limits calls per token (the simulator: 120 a minute), so a
//! first sync of 5,000 orders owes Quipt some 42 minutes of acknowledgements. They are the last
//! work of a run, after tracking and cancellations, and get a time box: half the schedule's
//! interval ([`share`]). What is left when the box closes is the **backlog**, worked off by the
//! next runs; tracking and cancellations run first in each of them, whatever the backlog.
//!
//! The backlog has no state of its own: it is derived from the history (orders pushed and not
//! marked acknowledged, [`store::orders::ack_backlog`]) and from Quipt's own acknowledgements (read
//! with the order): after a crash between Quipt's answer and our record, the order read again
//! shows its lines accepted, and it is marked without a second call. So a kill at any instant
//! loses nothing and accepts nothing twice. `Acknowledgements` owns the acceptances due in one
//! run: offered by the orders-out pass for the orders it read, the rest read from Quipt here.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use futures::StreamExt;

use crate::error::Result;
use crate::events::Pass;
use crate::outcome::TimelineKind;
use crate::settings::Settings;
use crate::store;

use super::Run;

/// The share of a run the lane may take: half the schedule's interval, so that a run with a
/// backlog still ends well before the next one is due and leaves Quipt's budget to the rest.
pub fn share(settings: &Settings) -> chrono::Duration {
    chrono::Duration::minutes(i64::from(settings.schedule.interval_minutes.max(1))) / 2
}

/// The acceptances due in one run, by Quipt order id.
#[derive(Debug, Default)]
pub(crate) struct Acknowledgements {
    due: HashMap<String, quipt::Acknowledgement>,
}

impl Acknowledgements {
    /// Notes what accepting `order` takes (its lines not accepted yet), from the order as just
    /// read with Quipt's acknowledgements; the lane decides whether it is owed.
    pub fn offer(&mut self, order: &quipt::Order) {
        self.due.insert(order.id.0.clone(), acceptance(order));
    }

    /// Works off the backlog, oldest first, until it is empty or the time box closes. A refusal is
    /// recorded and the order re-read next run; an unreachable Quipt ends the run's lane (and
    /// the run fails, as any pass's would).
    pub async fn work_off(mut self, run: &mut Run<'_>) -> Result<()> {
        if run.dry_run {
            return Ok(());
        }
        let deadline = run.now() + share(&run.settings);
        let backlog = store::orders::ack_backlog(&run.ctx.db())?;
        if backlog.is_empty() {
            return Ok(());
        }
        let unknown: HashSet<&str> = backlog
            .iter()
            .map(String::as_str)
            .filter(|id| !self.due.contains_key(*id))
            .collect();
        if !unknown.is_empty() {
            self.read_from_quipt(run, &unknown).await?;
        }
        let total = backlog.len() as u64;
        run.progress(Pass::Acknowledging, 0, total);
        for (done, id) in backlog.iter().enumerate() {
            if run.now() >= deadline {
                break;
            }
            if let Some(ack) = self.due.remove(id) {
                acknowledge(run, id, ack).await?;
            }
            run.progress(Pass::Acknowledging, done as u64 + 1, total);
        }
        Ok(())
    }

    /// Reads the backlog's orders this run did not read (a restart, or a backlog older than this
    /// run) from Quipt's eligible orders, with Quipt's own acknowledgements: one listing, paged.
    async fn read_from_quipt(&mut self, run: &Run<'_>, wanted: &HashSet<&str>) -> Result<()> {
        let mut statuses = vec![quipt::OrderStatus::Open];
        if run.settings.orders.push_validating {
            statuses.push(quipt::OrderStatus::Pending);
        }
        let api = run.ctx.quipt.orders();
        let mut stream = std::pin::pin!(api.list_all(
            quipt::OrderQuery {
                statuses,
                include: vec![quipt::Include::Acknowledgements],
                ..quipt::OrderQuery::default()
            },
            quipt::MAX_PAGE_SIZE
        ));
        while let Some(order) = stream.next().await {
            let order = order?;
            if wanted.contains(order.id.0.as_str()) {
                self.offer(&order);
            }
        }
        Ok(())
    }
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

/// Accepts one order in Quipt, or, when Quipt already has every line accepted (our record of an
/// earlier call was lost), records it without a call.
async fn acknowledge(run: &mut Run<'_>, id: &str, ack: quipt::Acknowledgement) -> Result<()> {
    let at = run.now();
    if ack.lines.is_empty() {
        return record(run, id, "Quipt already had the order accepted", at);
    }
    let order = quipt::OrderId(id.to_string());
    match run.ctx.quipt.orders().acknowledge(&order, &ack).await {
        Ok(()) => {
            run.summary.acknowledged += 1;
            record(run, id, "accepted in Quipt", run.now())
        }
        Err(e) if e.is_retryable() => Err(e.into()),
        Err(e) => {
            let db = run.ctx.db();
            store::timeline::append(
                &db,
                id,
                run.id,
                TimelineKind::AcknowledgeFailed,
                &e.to_string(),
                run.now(),
            )?;
            store::orders::request_retry(&db, Some(id))?;
            Ok(())
        }
    }
}

fn record(run: &Run<'_>, id: &str, message: &str, at: DateTime<Utc>) -> Result<()> {
    let mut db = run.ctx.db();
    let tx = db.transaction()?;
    store::orders::mark_acknowledged(&tx, id)?;
    store::timeline::append(&tx, id, run.id, TimelineKind::Acknowledged, message, at)?;
    tx.commit()?;
    Ok(())
}
