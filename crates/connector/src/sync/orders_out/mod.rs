//! Pass 2: Quipt orders out to ShipStation.
//!
//! Orders changed since the cursor (plus those flagged for retry and those that failed, once a day
//! some held ones by id, and — on the first run after the settings or the account's reference data
//! changed — every order held for a setting) are read in chunks, planned by [`plan::plan`] without I/O, and applied: holds
//! recorded, bodies pushed with `createorders` in batches of up to 100, Quipt cancellations carried
//! to ShipStation's own copy of the order, each answer turned into an outcome by
//! [`outcome::outcome`] and recorded in one store call. What accepting each order read takes is
//! handed to the acknowledgement lane ([`super::acknowledgements`]), which runs after tracking and
//! cancellations. The cursor moves to the newest `ModifiedAt` read, never past the pass's start
//! (`sync/cursor.rs`), only when the whole pass committed; an order Quipt dates ahead of this
//! computer's clock is pushed as usual, with a note on its timeline.

pub mod outcome;
pub mod plan;

use std::collections::{HashMap, HashSet};

use futures::StreamExt;
use shipstation::NewOrder;

use crate::error::{Error, Result};
use crate::events::{Pass, SyncEvent};
use crate::outcome::{Reason, ReasonCode, TimelineKind};
use crate::store::{self, orders::Change, orders::OrderRow, orders::OrderState};
use crate::summary::{PreviewAction, RunSummary};

use super::acknowledgements::{Acknowledgements, READS_BY_ID, reads_by_id};
use super::cursor::Cursor;
use super::reference::{self, Loaded};
use super::{Read, Run};
use outcome::{Answer, CancelStep, HeldThere, PushOutcome, Sent};
use plan::{Known, Plan, PlannedCancel, PlannedPush, PushKind};

/// The most orders in one `createorders` call (shared/api/shipstation.md).
pub const BATCH: usize = 100;
/// Orders planned and applied together; bounds memory on large loads.
const CHUNK: usize = 1_000;
/// Quipt's largest page.
const PAGE_SIZE: u32 = quipt::MAX_PAGE_SIZE;
/// The cursor that remembers when held orders were last read by id ([`OrdersOut::sweep_held`]).
const HELD_SWEEP_CURSOR: &str = "held_sweep";
/// What the timeline of an order held for a setting says when a change sends it.
const RELEASED: &str =
    "released: the settings or ShipStation's stores, warehouses or carriers changed";
/// How many times a run may split a bulk call ShipStation refused or failed on whole (two calls
/// each).
const HALVINGS: u32 = 10;
/// At most this many retry-flagged and failed orders are re-fetched one by one per run.
const REFETCH_LIMIT: usize = 100;

/// Runs the pass; returns the acceptances due for the orders it read, for the acknowledgement lane
/// at the end of the run.
pub(crate) async fn run(run: &mut Run<'_>, reference: &mut Loaded) -> Result<Acknowledgements> {
    let ctx = run.ctx;
    let mut cursor = Cursor::read(run, Pass::OrdersOut.as_str())?;
    let fingerprint = plan::mapping_fingerprint(&run.settings, &reference.data);
    let previous = store::runs::last_completed(&ctx.db())?
        .and_then(|r| r.summary)
        .and_then(|s| s.mapping_fingerprint);
    let settings_changed = previous.is_some_and(|p| p != fingerprint);
    if settings_changed {
        tracing::info!(
            "the settings or ShipStation's stores, warehouses or carriers changed: orders held for a setting are planned again"
        );
    }
    let mut pass = OrdersOut {
        run,
        reference,
        settings_changed,
        acks: Acknowledgements::default(),
        done: 0,
        seen: HashSet::new(),
        dated_ahead: HashMap::new(),
        chunk: Vec::with_capacity(CHUNK),
        refused: Vec::new(),
        unnamed: Vec::new(),
        halvings_left: HALVINGS,
        splits_learned: false,
        shipstation_answers: None,
        creates_answered: false,
        settled: HashSet::new(),
    };

    let refetch =
        store::orders::to_refetch(&ctx.db(), &super::retry::not_replanned(), REFETCH_LIMIT)?;
    for id in refetch {
        pass.refetch(&id).await?;
    }

    let eligible = eligible(&pass.run.settings);
    let mut statuses = eligible.clone();
    if cursor.at().is_some() {
        // Cancellations in Quipt matter only for orders pushed before, and shipments another way
        // only for orders held or failed here ([`plan::shipped_in_quipt`]): found in the same
        // listing, at no extra call; a first run skips history.
        statuses.push(quipt::OrderStatus::Canceled);
        statuses.push(quipt::OrderStatus::Shipped);
    }
    {
        let api = ctx.quipt.orders();
        let mut stream = std::pin::pin!(api.list_all(
            quipt::OrderQuery {
                statuses,
                modified_after: cursor.at().map(super::overlapped),
                // Quipt's own record of what was accepted makes the acknowledgement exactly-once,
                // even after a crash between the call and our record of it.
                include: vec![quipt::Include::Acknowledgements],
                ..quipt::OrderQuery::default()
            },
            PAGE_SIZE
        ));
        while let Some(order) = stream.next().await {
            let order = match order {
                Ok(order) => order,
                Err(quipt::Error::UnreadableOrder(unreadable)) => {
                    if let Some(modified) = unreadable.modified_at {
                        cursor.saw(modified, pass.run.now(), &"an unreadable Quipt order");
                    }
                    pass.unreadable(&unreadable).await?;
                    continue;
                }
                Err(e) => return Err(e.into()),
            };
            if let Some(modified) = order.modified_at
                && cursor.saw(
                    modified,
                    pass.run.now(),
                    &format_args!("Quipt order {} ({})", order.order_number, order.id.0),
                )
            {
                pass.dated_ahead.insert(order.id.0.clone(), modified);
            }
            pass.add(order).await?;
        }
    }
    if settings_changed {
        pass.release_held(eligible).await?;
    }
    // A first run has just listed every order: its day's reading is done.
    let swept = cursor.at().is_none() || pass.sweep_held().await?;
    pass.apply_chunk(PartialBatch::Push).await?;

    let OrdersOut {
        run, acks, unnamed, ..
    } = pass;
    run.summary.alerts.extend(unnamed);
    let end = plan::mapping_fingerprint(&run.settings, &pass.reference.data);
    run.summary.mapping_fingerprint = Some(plan::fingerprint_to_save(&fingerprint, &end));
    cursor.commit(run)?;
    if swept && !run.dry_run {
        store::cursors::advance(&ctx.db(), HELD_SWEEP_CURSOR, run.now())?;
    }
    Ok(acks)
}

/// The Quipt statuses whose orders are pushed: open, and validating when pending orders are on.
pub(crate) fn eligible(settings: &crate::settings::Settings) -> Vec<quipt::OrderStatus> {
    let mut statuses = vec![quipt::OrderStatus::Open];
    if settings.orders.push_validating {
        statuses.push(quipt::OrderStatus::Pending);
    }
    statuses
}

/// Every Quipt order in `statuses`, whenever it changed, with what it has accepted: the pass's
/// release after a change, and Settings' count of what a save releases
/// ([`crate::wizard::finish`]).
pub(crate) fn eligible_orders<'a>(
    api: &'a quipt::OrdersApi<'a>,
    statuses: Vec<quipt::OrderStatus>,
) -> impl futures::Stream<Item = std::result::Result<quipt::Order, quipt::Error>> + 'a {
    api.list_all(
        quipt::OrderQuery {
            statuses,
            include: vec![quipt::Include::Acknowledgements],
            ..quipt::OrderQuery::default()
        },
        PAGE_SIZE,
    )
}

/// What a chunk does with the orders of its last batch when they are fewer than 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PartialBatch {
    /// They wait for the next chunk (planned again there, the same way: `plan` is pure), so that
    /// every `createorders` call but the run's last carries 100 orders.
    Carry,
    /// They are pushed: the run's last chunk.
    Push,
}

/// The pass's state while it works through the orders it reads.
struct OrdersOut<'r, 'a> {
    run: &'r mut Run<'a>,
    reference: &'r mut Loaded,
    settings_changed: bool,
    /// What accepting the orders read takes, for the acknowledgement lane.
    acks: Acknowledgements,
    /// Orders sent so far (progress).
    done: u64,
    /// Quipt ids read so far, so an order is planned once per run.
    seen: HashSet<String>,
    /// The `ModifiedAt` of orders Quipt dates ahead of this computer's clock, by Quipt id: noted
    /// on the timeline of those pushed.
    dated_ahead: HashMap<String, chrono::DateTime<chrono::Utc>>,
    /// Orders read and not yet applied.
    chunk: Vec<quipt::Order>,
    /// Pushes ShipStation refused on reference data read before this run: decided once the data
    /// is read again ([`OrdersOut::settle_refusals`]).
    refused: Vec<(PushOutcome, Outgoing)>,
    /// Orders Quipt sent that cannot even be named (no readable `Id`): the run's alerts at the
    /// end of the pass (the reference data's drift replaces the alerts on the way).
    unnamed: Vec<String>,
    /// How many more times this run may send the halves of a bulk call ShipStation refused or
    /// failed on whole ([`OrdersOut::search`]): finding the one order that makes a batch of 100
    /// fail takes about 14 calls, and a ShipStation that refuses every body must not cost
    /// hundreds.
    halvings_left: u32,
    /// Whether this run read the orders split in ShipStation ([`OrdersOut::learn_splits`]).
    splits_learned: bool,
    /// Whether ShipStation answered a read after a bulk call failed with a 5xx (asked once per
    /// run, [`OrdersOut::on_the_body`]).
    shipstation_answers: Option<bool>,
    /// Whether ShipStation answered a `createorders` call this run: it takes writes, so one that
    /// fails on an order sent alone fails on that order, and a batch whose halves both fail holds
    /// such orders in both ([`OrdersOut::search`]).
    creates_answered: bool,
    /// The orders of the batch [`OrdersOut::push_batch`] sends that are recorded so far.
    settled: HashSet<String>,
}

/// What one `createorders` call came to ([`OrdersOut::send`]).
enum Call {
    /// ShipStation answered for each order, and each answer is recorded.
    Recorded,
    /// ShipStation refused (400) or failed on (5xx, while it answers otherwise) the whole call:
    /// nothing is recorded yet.
    Whole(shipstation::Error),
}

/// Why an order ShipStation failed on (5xx) is blamed for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Blame {
    /// ShipStation took other orders of this run.
    OthersTaken,
    /// It failed on this order unanswered before too, and took nothing else this run: it may be
    /// the order, or ShipStation failing on every write.
    Again,
}

/// Whether ShipStation failed on the order's last push without a verdict on it: alone, or with no
/// answer at all.
fn failed_unanswered_before(row: Option<&OrderRow>) -> bool {
    row.is_some_and(|r| r.failed_for(&[ReasonCode::FailsOnOrder, ReasonCode::Unreachable]))
}

/// Whether ShipStation refused (or failed on) the order's last push, so that it is sent after the
/// orders new to ShipStation, apart from them.
fn refused_before(row: Option<&OrderRow>) -> bool {
    row.is_some_and(|r| r.failed_for(&[ReasonCode::Rejected, ReasonCode::FailsOnOrder]))
}

impl OrdersOut<'_, '_> {
    /// Adds an order read from Quipt; applies the chunk when it is full.
    async fn add(&mut self, order: quipt::Order) -> Result<()> {
        if !self.seen.insert(order.id.0.clone()) {
            return Ok(()); // re-fetched before, or repeated across pages
        }
        self.chunk.push(order);
        if self.chunk.len() >= CHUNK {
            self.apply_chunk(PartialBatch::Carry).await?;
        }
        Ok(())
    }

    /// Records the orders the warehouse split in ShipStation since the cancellations pass last
    /// looked: that pass notes splits, but runs after this one, and an update sent to an order
    /// split meanwhile would overwrite it, putting the items split off it on two orders to ship.
    /// So would a re-push of an order whose push's answer was lost (`unanswered`): each of those is
    /// looked up by its number. Read once per run, and only when this pass is about to send such a
    /// push; whether a split was found. A dry run records nothing, and so finds none.
    async fn learn_splits(&mut self, unanswered: &[OrderRow]) -> Result<bool> {
        let run = &*self.run;
        let api = run.ctx.shipstation.orders();
        let mut listed = Vec::new();
        let cursor = store::cursors::get(&run.ctx.db(), Pass::Cancellations.as_str())?;
        if let Some(cursor) = cursor {
            let mut stream = std::pin::pin!(api.list_all(shipstation::OrderQuery {
                modify_date_start: Some(super::overlapped(cursor)),
                page_size: Some(500),
                ..Default::default()
            }));
            while let Some(order) = stream.next().await {
                match order {
                    Ok(order) => listed.push(order),
                    // The cancellations pass notes it.
                    Err(shipstation::Error::UnreadableRow(_)) => {}
                    Err(e) => return Err(e.into()),
                }
            }
        }
        for row in unanswered {
            listed.extend(api.find_by_number(&row.order_number).await?);
        }
        let mut found = false;
        for order in listed {
            if !order.advanced_options.merged_or_split || run.dry_run {
                continue;
            }
            let Some(row) = super::cancellations::row_for(run, &order)?.filter(|r| !r.split) else {
                continue;
            };
            found = true;
            let ours = order.order_key
                == Some(crate::mapping::order_key_for(&quipt::OrderId(
                    row.quipt_id.clone(),
                )));
            if ours && row.ss_order_id.is_none() {
                // A push whose answer was lost did reach ShipStation: the order is there.
                run.record(
                    &row.quipt_id,
                    &Change {
                        state: OrderState::Pushed,
                        reason: None,
                        pushed: Some(store::orders::Pushed {
                            ss_order_id: order.order_id.0,
                            ss_status: order.order_status,
                            content_hash: None,
                        }),
                        timeline: vec![(
                            TimelineKind::Pushed,
                            format!(
                                "found in ShipStation as order {} (the push's answer was lost)",
                                order.order_id.0
                            ),
                        )],
                    },
                )?;
            }
            store::orders::record_split(&run.ctx.db(), &row.quipt_id)?;
            super::cancellations::note_split(run, &row, &order)?;
        }
        Ok(found)
    }

    /// Carries the cancellation in Quipt of an order that cannot be read otherwise to
    /// ShipStation's copy ([`cancel_step`]), as a chunk's cancellations are.
    async fn cancel_unreadable(&mut self, row: OrderRow) -> Result<()> {
        let cancel = PlannedCancel {
            quipt_id: row.quipt_id.clone(),
            order_number: row.order_number.clone(),
            ss_order_id: row.ss_order_id,
        };
        if self.run.dry_run {
            self.run.summary.cancelled_in_shipstation += 1;
            let action = PreviewAction::Cancel;
            self.run
                .summary
                .preview(&cancel.order_number, action, String::new());
            return Ok(());
        }
        let known = Known {
            rows: HashMap::from([(row.quipt_id.clone(), row)]),
            settings_changed: self.settings_changed,
        };
        match cancel_step(self.run, &cancel).await? {
            CancelStep::Send(copy) => {
                let outgoing = Outgoing::cancel(&cancel.quipt_id, *copy);
                self.push_batch(&[outgoing], &HashMap::new(), &known).await
            }
            CancelStep::Done(outcome) => {
                self.record_outcome(&cancel.quipt_id, &outcome, None, &known)
            }
        }
    }

    /// Reads one retry-flagged, held or failed order again; an order gone from Quipt is a
    /// conflict ([`Run::read_quipt_order`]). One Quipt will not give stays as it was, with why
    /// on its timeline (said once for as long as Quipt refuses it alike, not every run a failed
    /// order is read again), and the operator's retry is spent: another can be asked.
    async fn refetch(&mut self, id: &str) -> Result<()> {
        match self.run.read_quipt_order(id).await? {
            Read::Order(order) => self.add(*order).await,
            Read::Gone => Ok(()),
            Read::Refused(e) => {
                let message = format!("Quipt would not give the order when read again: {e}");
                self.run.in_transaction(|tx, at| {
                    store::orders::clear_retry(tx, id)?;
                    super::note_refused_read(tx, self.run.id, id, &message, at)
                })
            }
        }
    }

    /// Records an order of a listing Quipt sent in a form the contract does not describe
    /// ([`quipt::UnreadableOrder`]): the listing goes on with the others. One the history never
    /// pushed is held for it (`unreadable`), said once; one ShipStation has, or may have (a push
    /// whose answer was lost), or that is further along, stays as it is with a note on its
    /// timeline. One Quipt shows closed (shipped, cancelled) that the history does not know is no
    /// one's to hold. One without a readable `Id` cannot be named in the history: the run's alerts
    /// say so, and it ends asking for the operator.
    async fn unreadable(&mut self, unreadable: &quipt::UnreadableOrder) -> Result<()> {
        let quipt::UnreadableOrder {
            id,
            order_number,
            status,
            ..
        } = unreadable;
        let message = format!(
            "{unreadable}; ask Quipt's support to correct it (it is read again once it changes)"
        );
        tracing::warn!("{message}");
        let Some(id) = id else {
            self.unnamed.push(message);
            return Ok(());
        };
        let row = store::orders::get(&self.run.ctx.db(), id)?;
        let closed = matches!(
            status,
            Some(quipt::OrderStatus::Shipped | quipt::OrderStatus::Canceled)
        );
        if row.is_none() && closed {
            return Ok(());
        }
        // Cancelled in Quipt, which is readable, while ShipStation may have it: the cancellation
        // goes, as any Quipt cancellation does, whatever else of the order cannot be read.
        if let Some(row) = row.as_ref().filter(|r| {
            *status == Some(quipt::OrderStatus::Canceled)
                && !r.state.is_closed()
                && plan::may_be_in_shipstation(r)
        }) {
            return self.cancel_unreadable(row.clone()).await;
        }
        let holdable = row.as_ref().is_none_or(|r| {
            !plan::may_be_in_shipstation(r)
                && matches!(r.state, OrderState::Held | OrderState::Failed)
        });
        if !holdable {
            return self.run.in_transaction(|tx, at| {
                super::note_refused_read(tx, self.run.id, id, &message, at)
            });
        }
        let same = row.as_ref().is_some_and(|r| {
            r.reason_code == Some(ReasonCode::Unreadable) && r.reason.as_deref() == Some(&message)
        });
        if same {
            self.run.summary.unchanged += 1;
            return Ok(());
        }
        self.run.summary.held += 1;
        let number = order_number.as_deref().unwrap_or(id);
        if self.run.dry_run {
            self.run
                .summary
                .preview(number, PreviewAction::Hold, message);
            return Ok(());
        }
        let seen = store::orders::Seen {
            quipt_id: id,
            order_number: number,
            channel: None,
            warehouse_code: None,
            quipt_status: 0,
        };
        let reason = Reason::new(ReasonCode::Unreadable, message.clone());
        self.run.record_seen(
            &seen,
            &Change {
                state: OrderState::Held,
                reason: Some(reason),
                pushed: None,
                timeline: vec![(TimelineKind::Held, message)],
            },
        )
    }

    /// Once a day ([`super::daily::is_due`]), held and failed orders this run did not read are
    /// read by id, at most [`READS_BY_ID`] of them, each day starting where the one before stopped
    /// (the acknowledgement lane's [`reads_by_id`]), and planned like the others. The listing finds
    /// an order Quipt closed only when it changed since the cursor; one it shipped before this
    /// version listed Shipped orders, or left for good some other way (gone: 404), would
    /// otherwise stay held for ever. Once a day, so an idle run's calls stay as SPEC §6 counts
    /// them. Returns whether it was due.
    async fn sweep_held(&mut self) -> Result<bool> {
        let (last, held) = {
            let db = self.run.ctx.db();
            (
                store::cursors::get(&db, HELD_SWEEP_CURSOR)?,
                store::orders::held_or_failed(&db)?,
            )
        };
        let now = self.run.now();
        if !super::daily::is_due(last, now) {
            return Ok(false);
        }
        let unread: Vec<&str> = held
            .iter()
            .map(String::as_str)
            .filter(|id| !self.seen.contains(*id))
            .collect();
        let day = now
            .timestamp()
            .div_euclid(super::daily::EVERY.num_seconds());
        for id in reads_by_id(&unread, day, READS_BY_ID) {
            self.refetch(id).await?;
        }
        Ok(true)
    }

    /// After the settings (or the account's reference data) changed: every order held for a
    /// setting is planned again, however many, from one listing of Quipt's eligible orders; and so
    /// is every eligible order the history has never seen. Those are the orders that waited as
    /// Pending while pending orders were not pushed: once they are, the listing by `ModifiedAt`
    /// finds only the ones changed since, and those waiting from before would never be pushed.
    async fn release_held(&mut self, statuses: Vec<quipt::OrderStatus>) -> Result<()> {
        let ctx = self.run.ctx;
        let held: HashSet<String> = store::orders::held_for_a_setting(&ctx.db())?
            .into_iter()
            .filter(|id| !self.seen.contains(id))
            .collect();
        let api = ctx.quipt.orders();
        let mut stream = std::pin::pin!(eligible_orders(&api, statuses));
        while let Some(order) = stream.next().await {
            let order = match order {
                Ok(order) => order,
                Err(quipt::Error::UnreadableOrder(unreadable)) => {
                    self.unreadable(&unreadable).await?;
                    continue;
                }
                Err(e) => return Err(e.into()),
            };
            if held.contains(&order.id.0) || store::orders::get(&ctx.db(), &order.id.0)?.is_none() {
                self.add(order).await?;
            }
        }
        Ok(())
    }

    /// Plans and applies the chunk; `partial` says what becomes of the orders of its last,
    /// partial batch.
    async fn apply_chunk(&mut self, partial: PartialBatch) -> Result<()> {
        let orders = std::mem::take(&mut self.chunk);
        if orders.is_empty() {
            return Ok(());
        }
        let mut known = Known {
            rows: {
                let db = self.run.ctx.db();
                let mut rows = HashMap::new();
                for order in &orders {
                    if let Some(row) = store::orders::get(&db, &order.id.0)? {
                        rows.insert(order.id.0.clone(), row);
                    }
                }
                rows
            },
            settings_changed: self.settings_changed,
        };
        let mut plan = self.plan(&orders, &known).await?;
        if !self.splits_learned
            && plan.push.iter().any(|p| {
                p.kind == PushKind::Update
                    || known
                        .rows
                        .get(&p.quipt_id)
                        .is_some_and(plan::may_be_in_shipstation)
            })
        {
            self.splits_learned = true;
            let unanswered: Vec<OrderRow> = plan
                .push
                .iter()
                .filter_map(|p| known.rows.get(&p.quipt_id))
                .filter(|r| r.ss_order_id.is_none() && plan::may_be_in_shipstation(r))
                .cloned()
                .collect();
            if self.learn_splits(&unanswered).await? {
                {
                    let db = self.run.ctx.db();
                    for (id, row) in &mut known.rows {
                        if let Some(now) = store::orders::get(&db, id)? {
                            *row = now;
                        }
                    }
                }
                plan = self.plan(&orders, &known).await?;
            }
        }
        for push in &mut plan.push {
            if let Some(at) = self.dated_ahead.get(&push.quipt_id) {
                push.notes.push(format!(
                    "Quipt dates this order's last change {}, ahead of this computer's clock: sent as usual, and orders changed after it are still read",
                    at.format("%Y-%m-%d %H:%M UTC")
                ));
            }
        }
        let carried: HashSet<String> = match partial {
            PartialBatch::Push => HashSet::new(),
            PartialBatch::Carry => {
                let full = plan.push.len() / BATCH * BATCH;
                plan.push.drain(full..).map(|p| p.quipt_id).collect()
            }
        };
        let by_id: HashMap<&str, &quipt::Order> =
            orders.iter().map(|o| (o.id.0.as_str(), o)).collect();
        self.run.summary.unchanged += plan.unchanged;

        self.record_holds(&plan, &by_id)?;
        for (quipt_id, why) in &plan.not_sent {
            self.run.note(quipt_id, TimelineKind::UpdateNotSent, why)?;
        }
        for held in &plan.update_held {
            self.run.record(&held.quipt_id, &held.update_held())?;
        }
        for (quipt_id, why) in &plan.update_released {
            self.run.record(quipt_id, &plan::update_released(why))?;
        }
        for quipt_id in &plan.close {
            let outcome = PushOutcome::Cancelled {
                order_id: None,
                sent: false,
            };
            self.run.record(quipt_id, &outcome.change(None, &[]))?;
        }
        for quipt_id in &plan.shipped_in_quipt {
            self.run.record(quipt_id, &plan::shipped_in_quipt())?;
        }
        if !self.run.dry_run {
            for (quipt_id, ss_order_id) in &plan.shipped_elsewhere {
                hold_shipped_elsewhere(self.run, quipt_id, *ss_order_id).await?;
            }
            // The hold is recorded above; the next push after Quipt settles it (an update, since
            // ShipStation has the order) sets the copy's status back.
            for (quipt_id, ss_order_id) in &plan.hold_in_shipstation {
                let note = match hold_in_shipstation(self.run, *ss_order_id).await? {
                    HeldThere::NothingOpen => continue,
                    HeldThere::ToHold | HeldThere::OnHold => {
                        self.run.summary.held_in_shipstation += 1;
                        format!(
                            "put on hold in ShipStation (order {ss_order_id}) until Quipt settles it"
                        )
                    }
                    HeldThere::Refused(why) => format!(
                        "ShipStation refused to put order {ss_order_id} on hold ({why}): hold it there yourself until Quipt settles it"
                    ),
                };
                self.run.note(quipt_id, TimelineKind::Note, &note)?;
            }
        }

        let total = self.done + plan.push.len() as u64 + plan.cancel.len() as u64;
        if self.run.dry_run {
            preview(&mut self.run.summary, &plan, &by_id);
        } else {
            // Orders ShipStation refused before go in batches of their own, after the others: one
            // whose body makes ShipStation refuse or fail the whole call then holds back no order
            // that is new to it.
            let (again, first): (Vec<Outgoing>, Vec<Outgoing>) = plan
                .push
                .iter()
                .map(Outgoing::from)
                .partition(|p| refused_before(known.rows.get(&p.quipt_id)));
            for batch in first.chunks(BATCH).chain(again.chunks(BATCH)) {
                if let Err(e) = self.push_batch(batch, &by_id, &known).await {
                    // The run ends here: the refusals held back are recorded as they are.
                    self.record_refusals()?;
                    return Err(e);
                }
                self.progress(batch.len(), total);
            }
            self.settle_refusals(&by_id, &known).await?;
            let mut cancels = Vec::new();
            for cancel in &plan.cancel {
                match cancel_step(self.run, cancel).await? {
                    CancelStep::Send(copy) => {
                        cancels.push(Outgoing::cancel(&cancel.quipt_id, *copy));
                    }
                    CancelStep::Done(outcome) => {
                        self.record_outcome(&cancel.quipt_id, &outcome, None, &known)?;
                        self.progress(1, total);
                    }
                }
            }
            for batch in cancels.chunks(BATCH) {
                self.push_batch(batch, &by_id, &known).await?;
                self.progress(batch.len(), total);
            }
        }

        for order in orders.iter().filter(|o| {
            !carried.contains(&o.id.0)
                && matches!(
                    o.status,
                    quipt::OrderStatus::Open | quipt::OrderStatus::Pending
                )
        }) {
            self.acks.offer(order);
        }
        self.retry_done(&known, &carried)?;
        self.chunk = orders
            .into_iter()
            .filter(|o| carried.contains(&o.id.0))
            .collect();
        Ok(())
    }

    /// Clears the retry flag of the orders of the chunk just planned: their retry was done, whether
    /// the plan changed them or found nothing to do (pushed and unchanged, shipped in Quipt, closed
    /// in ShipStation). Otherwise such an order keeps its flag, is read again on every run for
    /// ever, and the flagged orders that never change take the run's re-read slots
    /// ([`REFETCH_LIMIT`]) from orders that newly failed. Orders carried to the next chunk are
    /// planned there; a retry redone by another pass ([`super::retry::not_replanned`]) keeps its
    /// flag for it.
    fn retry_done(&self, known: &Known, carried: &HashSet<String>) -> Result<()> {
        let elsewhere = super::retry::not_replanned();
        let done: Vec<&str> = known
            .rows
            .values()
            .filter(|r| r.retry && !carried.contains(&r.quipt_id))
            .filter(|r| !r.reason_code.is_some_and(|c| elsewhere.contains(&c)))
            .map(|r| r.quipt_id.as_str())
            .collect();
        self.run.in_transaction(|tx, _| {
            for id in done {
                store::orders::clear_retry(tx, id)?;
            }
            Ok(())
        })
    }

    /// Reads the reference data again unless this run already did (or tried); whether it did. When
    /// it cannot be read now, the run goes on with the data it has, saying why it wanted it (`after`): the
    /// orders that need the fresh data are held or refused, and tried again.
    async fn read_reference_again(&mut self, after: &str) -> bool {
        match self.reference.refresh_once(self.run).await {
            Ok(read_again) => read_again,
            Err(e) => {
                let warning = format!(
                    "ShipStation's stores, warehouses and carriers could not be read again after {after} ({e}): the orders that needed them are held or refused, and tried again on the next run"
                );
                tracing::warn!("{warning}");
                self.run.summary.warnings.push(warning);
                false
            }
        }
    }

    /// Plans the chunk; when an order is held for a store, warehouse or carrier the cached
    /// reference data does not know, reads it again (once a run) and plans the chunk again.
    async fn plan(&mut self, orders: &[quipt::Order], known: &Known) -> Result<Plan> {
        let plan = plan::plan(orders, known, &self.run.settings, &self.reference.data);
        if plan.meets_unknown_reference()
            && self
                .read_reference_again("an order met a store, warehouse or carrier they do not know")
                .await
        {
            self.run.summary.alerts = self.reference.data.drift(&self.run.settings);
            return Ok(plan::plan(
                orders,
                known,
                &self.run.settings,
                &self.reference.data,
            ));
        }
        Ok(plan)
    }

    fn progress(&mut self, sent: usize, total: u64) {
        self.done += sent as u64;
        self.run.progress(Pass::OrdersOut, self.done, total);
    }

    fn record_holds(&mut self, plan: &Plan, by_id: &HashMap<&str, &quipt::Order>) -> Result<()> {
        for hold in &plan.hold {
            let order = by_id[hold.quipt_id.as_str()];
            let reason = hold.reason.message();
            self.run.summary.held += 1;
            if self.run.dry_run {
                self.run
                    .summary
                    .preview(&order.order_number, PreviewAction::Hold, reason);
                continue;
            }
            self.run.record_seen(&seen_of(order), &hold.change())?;
            self.run.ctx.events.send(SyncEvent::OrderHeld {
                order_number: crate::shown::field(&order.order_number).into_owned(),
                reason,
            });
        }
        Ok(())
    }

    /// Sends one batch (one `createorders` call) and records what ShipStation answered. A batch
    /// of several orders it refuses (400) or fails on (5xx) whole is searched for the orders that
    /// bring it about ([`Self::search`]). One order sent alone that it fails on is blamed when this
    /// run's creates were answered, or when it failed unanswered last time too (saying it may be
    /// either); otherwise ShipStation may be failing on every write, and the run fails, saying it
    /// may have the order. When the push stops on an error, every order of the batch not settled
    /// yet is recorded as unconfirmed, so that none stays pending unseen.
    async fn push_batch(
        &mut self,
        batch: &[Outgoing],
        by_id: &HashMap<&str, &quipt::Order>,
        known: &Known,
    ) -> Result<()> {
        self.settled.clear();
        let pushed = match self.send(batch, by_id, known).await {
            Ok(Call::Recorded) => Ok(()),
            Ok(Call::Whole(e)) if batch.len() == 1 => {
                let blame = self.lone_blame(&batch[0], known);
                self.record_whole(batch, e, blame, known)
            }
            Ok(Call::Whole(e)) => self.search(batch, e, true, by_id, known).await,
            Err(e) => Err(e),
        };
        if let Err(stopped) = &pushed {
            let unsettled: Vec<&Outgoing> = batch
                .iter()
                .filter(|p| !self.settled.contains(&p.quipt_id))
                .collect();
            for p in unsettled {
                let outcome = outcome::stopped(p.sent, stopped);
                self.record_outcome(&p.quipt_id, &outcome, Some(p), known)?;
            }
        }
        pushed
    }

    /// After ShipStation refused (400) or failed on (5xx) `batch` whole with `error`: rather than
    /// fail every order of it (again on every run), each half is sent on its own, down to the
    /// orders it refuses or fails on alone. When both halves of the batch as the run made it
    /// (`top`) fail with a 5xx and ShipStation took nothing yet this run, it fails on every write,
    /// or on orders in both halves: one order of the second half sent alone (a different one each
    /// run) tells which. Taken, the search goes on; failed on too, each order sent alone is
    /// blamed as a lone order is ([`Self::lone_blame`]), and the others stay unconfirmed.
    async fn search(
        &mut self,
        batch: &[Outgoing],
        error: shipstation::Error,
        top: bool,
        by_id: &HashMap<&str, &quipt::Order>,
        known: &Known,
    ) -> Result<()> {
        if self.halvings_left == 0 {
            return self.record_whole(batch, error, None, known);
        }
        self.halvings_left -= 1;
        let (first, second) = batch.split_at(batch.len() / 2);
        let a = self.send(first, by_id, known).await?;
        let b = self.send(second, by_id, known).await?;
        let (a, b) = match (a, b) {
            (Call::Whole(a), Call::Whole(b))
                if top
                    && !self.creates_answered
                    && a.status() != Some(400)
                    && b.status() != Some(400) =>
            {
                (a, b)
            }
            (a, b) => {
                self.settle_half(first, a, by_id, known).await?;
                return self.settle_half(second, b, by_id, known).await;
            }
        };
        let at =
            usize::try_from(self.run.id.unwrap_or_default()).unwrap_or_default() % second.len();
        let probe = std::slice::from_ref(&second[at]);
        // A second half of one order was sent alone already.
        let told = if second.len() == 1 {
            Call::Whole(b)
        } else {
            self.send(probe, by_id, known).await?
        };
        match told {
            Call::Whole(e) if e.status() != Some(400) => {
                let mut unconfirmed = false;
                for p in batch {
                    let alone = p.quipt_id == probe[0].quipt_id || first.len() == 1;
                    let blame = if alone {
                        self.lone_blame(p, known)
                    } else {
                        None
                    };
                    unconfirmed |= self.record_failed(p, &e, blame, known)?;
                }
                return if unconfirmed {
                    Err(Error::from(e))
                } else {
                    Ok(())
                };
            }
            Call::Whole(refused) => self.record_whole(probe, refused, None, known)?,
            Call::Recorded => {}
        }
        // The first half failed as it was; the second is sent again without the order sent alone.
        self.settle_half(first, Call::Whole(a), by_id, known)
            .await?;
        let rest: Vec<Outgoing> = second
            .iter()
            .filter(|p| p.quipt_id != probe[0].quipt_id)
            .cloned()
            .collect();
        let call = self.send(&rest, by_id, known).await?;
        self.settle_half(&rest, call, by_id, known).await
    }

    /// What a half of a searched batch came to: answered (recorded already); one order failed on
    /// alone, blamed as a lone order is; several, searched in turn.
    async fn settle_half(
        &mut self,
        half: &[Outgoing],
        call: Call,
        by_id: &HashMap<&str, &quipt::Order>,
        known: &Known,
    ) -> Result<()> {
        match call {
            Call::Recorded => Ok(()),
            Call::Whole(e) if half.len() == 1 => {
                let blame = self.lone_blame(&half[0], known);
                self.record_whole(half, e, blame, known)
            }
            Call::Whole(e) => Box::pin(self.search(half, e, false, by_id, known)).await,
        }
    }

    /// Whether an order ShipStation failed on (5xx) when sent alone is blamed for it: when it took
    /// other orders this run; when it failed on this one unanswered the last time too (it may be
    /// the order or every write, and the run is not failed for ever on it); otherwise not —
    /// ShipStation may be failing on every write, and the run fails.
    fn lone_blame(&self, order: &Outgoing, known: &Known) -> Option<Blame> {
        if self.creates_answered {
            Some(Blame::OthersTaken)
        } else if failed_unanswered_before(known.rows.get(&order.quipt_id)) {
            Some(Blame::Again)
        } else {
            None
        }
    }

    /// One `createorders` call: records that new orders are being pushed, sends the batch, and
    /// records ShipStation's answer for each order. A call ShipStation refused or failed on whole
    /// is returned unrecorded, for [`Self::push_batch`] and [`Self::search`] to decide; one it did
    /// not answer is recorded as unconfirmed, and fails the run.
    async fn send(
        &mut self,
        batch: &[Outgoing],
        by_id: &HashMap<&str, &quipt::Order>,
        known: &Known,
    ) -> Result<Call> {
        let ctx = self.run.ctx;
        // Record that new orders are being pushed before the call: after a crash the row shows the
        // attempt, and the re-push upserts by orderKey instead of duplicating.
        {
            let pending = Change {
                state: OrderState::Pending,
                reason: None,
                pushed: None,
                timeline: Vec::new(),
            };
            let mut db = ctx.db();
            let tx = db.transaction()?;
            for p in batch
                .iter()
                .filter(|p| p.sent == Sent::Push(PushKind::Create))
            {
                let seen = seen_of(by_id[p.quipt_id.as_str()]);
                store::orders::record_seen(&tx, &seen, self.run.id, &pending, self.run.now())?;
            }
            tx.commit()?;
        }
        let bodies: Vec<NewOrder> = batch.iter().map(|p| p.body.clone()).collect();
        let answer = match ctx.shipstation.orders().create_many(&bodies).await {
            Ok(answer) => answer,
            Err(e) if self.on_the_body(&e).await => return Ok(Call::Whole(e)),
            // Recorded as unconfirmed, this is the run's error.
            Err(e) => {
                return self
                    .record_whole(batch, e, None, known)
                    .map(|()| Call::Recorded);
            }
        };
        self.creates_answered = true;
        let results: HashMap<&str, &shipstation::BulkOrderResult> = answer
            .results
            .iter()
            .filter_map(|r| Some((r.order_key.as_ref()?.0.as_str(), r)))
            .collect();
        for p in batch {
            let answer = match results.get(p.body.order_key.0.as_str()) {
                Some(shipstation::BulkOrderResult {
                    success: true,
                    order_id: Some(id),
                    ..
                }) => Answer::Accepted { order_id: id.0 },
                other => Answer::Refused {
                    message: other.and_then(|r| r.error_message.as_deref()),
                },
            };
            self.record_outcome(
                &p.quipt_id,
                &outcome::outcome(p.sent, answer),
                Some(p),
                known,
            )?;
        }
        Ok(Call::Recorded)
    }

    /// Records every order of a call ShipStation refused (400) or failed on (5xx) whole, or did not
    /// answer ([`Self::record_failed`]); the run fails with `error` when any is left unconfirmed.
    fn record_whole(
        &mut self,
        batch: &[Outgoing],
        error: shipstation::Error,
        blame: Option<Blame>,
        known: &Known,
    ) -> Result<()> {
        let mut unconfirmed = false;
        for p in batch {
            unconfirmed |= self.record_failed(p, &error, blame, known)?;
        }
        if unconfirmed {
            return Err(Error::from(error));
        }
        Ok(())
    }

    /// Records one order of a call that failed with `error`: a refusal (400) is ShipStation's
    /// verdict on it; a 5xx with a `blame` is about the order (sent again on the next run, after
    /// the orders new to ShipStation); anything else leaves it unconfirmed (returns true).
    fn record_failed(
        &mut self,
        order: &Outgoing,
        error: &shipstation::Error,
        blame: Option<Blame>,
        known: &Known,
    ) -> Result<bool> {
        let answer = match blame {
            Some(blame) if error.status() != Some(400) => Answer::FailedOn {
                error,
                again: blame == Blame::Again,
            },
            _ => Answer::CallFailed(error),
        };
        let outcome = outcome::outcome(order.sent, answer);
        self.record_outcome(&order.quipt_id, &outcome, Some(order), known)?;
        Ok(matches!(outcome, PushOutcome::Unreachable(_)))
    }

    /// Whether a failed `createorders` call is ShipStation's verdict on its body: a 400, or a 5xx
    /// while ShipStation answers a read (asked once per run). One that does not answer a read is
    /// down, and a search would only multiply the calls to it.
    async fn on_the_body(&mut self, error: &shipstation::Error) -> bool {
        match error.status() {
            Some(400) => true,
            Some(500..=599) => match self.shipstation_answers {
                Some(answers) => answers,
                None => {
                    let read = self.run.ctx.shipstation.warehouses().list().await;
                    *self.shipstation_answers.insert(read.is_ok())
                }
            },
            _ => false,
        }
    }

    /// Counts an outcome in the summary and records it. A refusal may mean the reference data is
    /// behind the account ([`reference::refusal_makes_stale`]): a push refused on data read before
    /// this run waits for [`Self::settle_refusals`], which reads it again at once; otherwise (read
    /// this run already, or a cancellation) the next run reads it again.
    fn record_outcome(
        &mut self,
        quipt_id: &str,
        outcome: &PushOutcome,
        sent: Option<&Outgoing>,
        known: &Known,
    ) -> Result<()> {
        self.settled.insert(quipt_id.to_string());
        // A 5xx on the order is not a refusal of its store, warehouse or carrier.
        if matches!(outcome, PushOutcome::Refused(r) if r.code == ReasonCode::Rejected)
            && reference::refusal_makes_stale(known.rows.get(quipt_id))
        {
            match sent.filter(|p| matches!(p.sent, Sent::Push(_))) {
                Some(push) if !self.reference.fetched_this_run => {
                    self.refused.push((outcome.clone(), push.clone()));
                    return Ok(());
                }
                _ => reference::mark_stale(self.run)?,
            }
        }
        self.record_decided(quipt_id, outcome, sent)
    }

    /// After ShipStation refused pushes the cached reference data allowed: reads the data again
    /// now (SPEC §2.1: at once when a push is refused, since a store, warehouse or carrier gone
    /// there is the likely cause) and plans those orders again with it. One the fresh data holds
    /// (the store gone, say) is held for that, with its drift alert, in this run; one it still
    /// pushes is recorded as refused (the order itself is the problem). When the data cannot be
    /// read now, the refusals are recorded and the next run reads it.
    async fn settle_refusals(
        &mut self,
        by_id: &HashMap<&str, &quipt::Order>,
        known: &Known,
    ) -> Result<()> {
        let refused = std::mem::take(&mut self.refused);
        if refused.is_empty() {
            return Ok(());
        }
        if !self.read_reference_again("a push was refused").await {
            self.refused = refused;
            return self.record_refusals();
        }
        self.run.summary.alerts = self.reference.data.drift(&self.run.settings);
        let orders: Vec<quipt::Order> = refused
            .iter()
            .map(|(_, p)| by_id[p.quipt_id.as_str()].clone())
            .collect();
        let plan = plan::plan(&orders, known, &self.run.settings, &self.reference.data);
        self.record_holds(&plan, by_id)?;
        let held: HashSet<String> = plan.hold.into_iter().map(|h| h.quipt_id).collect();
        for (outcome, push) in refused.iter().filter(|(_, p)| !held.contains(&p.quipt_id)) {
            self.record_decided(&push.quipt_id, outcome, Some(push))?;
        }
        Ok(())
    }

    /// Records the refusals held back as refused, and has the next run read the reference data
    /// again: when it cannot be read now, or the run ends before they were settled.
    fn record_refusals(&mut self) -> Result<()> {
        let refused = std::mem::take(&mut self.refused);
        if refused.is_empty() {
            return Ok(());
        }
        reference::mark_stale(self.run)?;
        for (outcome, push) in &refused {
            self.record_decided(&push.quipt_id, outcome, Some(push))?;
        }
        Ok(())
    }

    /// Counts a decided outcome in the summary and records it.
    fn record_decided(
        &mut self,
        quipt_id: &str,
        outcome: &PushOutcome,
        sent: Option<&Outgoing>,
    ) -> Result<()> {
        count(self.run, quipt_id, outcome);
        let body = sent
            .filter(|p| matches!(p.sent, Sent::Push(_)))
            .and_then(|p| Some((p.body.order_status, p.hash.as_deref()?)));
        let notes = sent.map_or(&[][..], |p| p.notes.as_slice());
        let mut change = outcome.change(body, notes);
        if sent.is_some_and(|p| p.released) {
            change
                .timeline
                .insert(0, (TimelineKind::Released, RELEASED.into()));
        }
        self.run.record(quipt_id, &change)
    }
}

/// One body to send: the mapping's for a push, ShipStation's own copy for a cancellation.
#[derive(Debug, Clone)]
struct Outgoing {
    quipt_id: String,
    body: NewOrder,
    sent: Sent,
    hash: Option<String>,
    notes: Vec<String>,
    released: bool,
}

impl Outgoing {
    /// ShipStation's own copy of the order, set cancelled, to send back ([`CancelStep::Send`]).
    fn cancel(quipt_id: &str, copy: NewOrder) -> Self {
        Outgoing {
            quipt_id: quipt_id.to_string(),
            body: copy,
            sent: Sent::Cancel,
            hash: None,
            notes: Vec::new(),
            released: false,
        }
    }
}

impl From<&PlannedPush> for Outgoing {
    fn from(p: &PlannedPush) -> Self {
        Outgoing {
            quipt_id: p.quipt_id.clone(),
            body: p.body.clone(),
            sent: Sent::Push(p.kind),
            hash: Some(p.hash.clone()),
            notes: p.notes.clone(),
            released: p.released,
        }
    }
}

/// A Quipt cancellation: ShipStation's copy of the order (by its id, or — after a push whose answer
/// was lost — by its number and our key), and what to do about it.
async fn cancel_step(run: &Run<'_>, cancel: &PlannedCancel) -> Result<CancelStep> {
    let orders = run.ctx.shipstation.orders();
    let found = match cancel.ss_order_id {
        Some(id) => match orders.get(shipstation::OrderId(id)).await {
            Ok(order) => Some(order),
            Err(e) if e.status() == Some(404) => None,
            Err(e) => return Err(e.into()),
        },
        None => {
            let key = crate::mapping::order_key_for(&quipt::OrderId(cancel.quipt_id.clone()));
            orders
                .find_by_number(&cancel.order_number)
                .await?
                .into_iter()
                .find(|o| o.order_key.as_ref() == Some(&key))
        }
    };
    if let Some(order) = found
        .as_ref()
        .filter(|o| o.advanced_options.merged_or_split)
        && let Some(done) = cancel_split_parts(run, order).await?
    {
        return Ok(CancelStep::Done(done));
    }
    let part_shipped = match found.as_ref().filter(|o| !o.order_status.is_closed()) {
        Some(order) => has_live_label(run, order.order_id).await?,
        None => false,
    };
    match outcome::cancel_step(found.as_ref(), part_shipped) {
        CancelStep::Done(PushOutcome::CancelAfterPartShipped { order_id, .. }) => {
            let rest = hold_in_shipstation(run, order_id).await?;
            Ok(CancelStep::Done(PushOutcome::CancelAfterPartShipped {
                order_id,
                rest,
            }))
        }
        step => Ok(step),
    }
}

/// Whether a label printed for ShipStation's order `id` is live (not voided): a package of it is
/// on its way although the order is still open there (its other items not shipped yet).
async fn has_live_label(run: &Run<'_>, id: shipstation::OrderId) -> Result<bool> {
    let query = shipstation::ShipmentQuery {
        order_id: Some(id),
        ..Default::default()
    };
    let labels = run.ctx.shipstation.shipments().list(&query).await?;
    Ok(labels.items.iter().any(|label| !label.voided))
}

/// A Quipt cancellation of an order the warehouse split in ShipStation: the parts split off it
/// (same number, their own keys) are cancelled first, so that none of them can still ship
/// ([`outcome::split_cancel`]). `Some` when the order's cancellation ends here: a part has shipped
/// (a conflict, once what was open is cancelled too) or ShipStation refused to cancel a part.
async fn cancel_split_parts(
    run: &Run<'_>,
    order: &shipstation::Order,
) -> Result<Option<PushOutcome>> {
    let orders = run.ctx.shipstation.orders();
    let listed = orders.find_by_number(&order.order_number).await?;
    let split = match outcome::split_cancel(order, &listed) {
        Ok(split) => split,
        Err(refused) => return Ok(Some(refused)),
    };
    if !split.copies.is_empty() {
        let answer = orders.create_many(&split.copies).await?;
        if let Some(r) = answer.results.iter().find(|r| !r.success) {
            return Ok(Some(PushOutcome::Refused(Reason::new(
                ReasonCode::Rejected,
                format!(
                    "ShipStation refused to cancel a part of this split order ({}): {}",
                    r.order_id
                        .map_or_else(|| "no id".to_string(), |id| id.0.to_string()),
                    r.error_message.as_deref().unwrap_or("no reason given")
                ),
            ))));
        }
    }
    Ok(split
        .shipped
        .map(|order_id| PushOutcome::CancelAfterShip { order_id }))
}

/// Puts ShipStation's own copy of an order on hold there (status `on_hold`), so that the warehouse
/// does not ship it; what became of it: nothing to hold when ShipStation shipped or closed it, or
/// it is gone there; a refusal in ShipStation's words. Already on hold is left as it is.
async fn hold_in_shipstation(run: &Run<'_>, ss_order_id: i64) -> Result<HeldThere> {
    let orders = run.ctx.shipstation.orders();
    let order = match orders.get(shipstation::OrderId(ss_order_id)).await {
        Ok(order) => order,
        // Deleted there: nothing left to ship, and the daily check reports the deletion.
        Err(e) if e.status() == Some(404) => return Ok(HeldThere::NothingOpen),
        Err(e) => return Err(e.into()),
    };
    if order.order_status.is_closed() {
        return Ok(HeldThere::NothingOpen);
    }
    if order.order_status == shipstation::OrderStatus::OnHold {
        return Ok(HeldThere::OnHold);
    }
    let Some(copy) = order.resend_with_status(shipstation::OrderStatus::OnHold) else {
        return Ok(HeldThere::Refused(
            "ShipStation's copy has no orderKey to send it back by".to_string(),
        ));
    };
    let answer = match orders.create_many(std::slice::from_ref(&copy)).await {
        Ok(answer) => answer,
        // ShipStation's verdict on the body: a refusal, as a refusal in the answer is.
        Err(e) if e.status() == Some(400) => return Ok(HeldThere::Refused(e.to_string())),
        Err(e) => return Err(e.into()),
    };
    Ok(match answer.results.iter().find(|r| !r.success) {
        Some(refused) => {
            let why = refused
                .error_message
                .as_deref()
                .unwrap_or("no reason given")
                .to_string();
            tracing::warn!("ShipStation refused to put order {ss_order_id} on hold: {why}");
            HeldThere::Refused(why)
        }
        None => HeldThere::OnHold,
    })
}

/// An order pushed here that Quipt shows shipped another way (another warehouse's route, a
/// manual shipment) while ShipStation may still have it to ship: so that it is not shipped twice,
/// ShipStation's copy is put on hold there ([`hold_in_shipstation`]) and the order is a conflict
/// for the operator, who cancels it in ShipStation or ships it and settles. A copy ShipStation
/// shipped (our tracking whose answer was lost: the tracking pass reports it again) or closed is
/// left as it is.
async fn hold_shipped_elsewhere(run: &mut Run<'_>, quipt_id: &str, ss_order_id: i64) -> Result<()> {
    let held = match hold_in_shipstation(run, ss_order_id).await? {
        HeldThere::NothingOpen => return Ok(()),
        HeldThere::ToHold | HeldThere::OnHold => {
            run.summary.held_in_shipstation += 1;
            "put on hold there".to_string()
        }
        HeldThere::Refused(why) => {
            format!("ShipStation refused to put it on hold ({why}): hold it there yourself")
        }
    };
    let message = format!(
        "shipped in Quipt another way while ShipStation still had it to ship: {held} \
         (order {ss_order_id}); cancel it in ShipStation if it is not to ship"
    );
    run.record_state(
        quipt_id,
        OrderState::Conflict,
        Some(Reason::new(ReasonCode::ShippedElsewhere, message.clone())),
        TimelineKind::Conflict,
        message,
    )
}

/// Counts an outcome in the run's summary.
fn count(run: &mut Run<'_>, quipt_id: &str, outcome: &PushOutcome) {
    let summary = &mut run.summary;
    match outcome {
        PushOutcome::Created { .. } => summary.created += 1,
        PushOutcome::Updated { .. } => summary.updated += 1,
        PushOutcome::Cancelled { sent: true, .. } => summary.cancelled_in_shipstation += 1,
        PushOutcome::Cancelled { sent: false, .. } => {}
        PushOutcome::Refused(_) => summary.failed += 1,
        // Not a refusal: the run itself fails, and its error says why.
        PushOutcome::Unreachable(_) => {}
        PushOutcome::CancelAfterShip { .. } | PushOutcome::CancelAfterPartShipped { .. } => {
            run.count_conflict(quipt_id);
        }
    }
}

/// A dry run's counts and preview: what the plan holds, as a real run would count it.
fn preview(summary: &mut RunSummary, plan: &Plan, by_id: &HashMap<&str, &quipt::Order>) {
    for p in &plan.push {
        let action = match p.kind {
            PushKind::Create => {
                summary.created += 1;
                PreviewAction::Create
            }
            PushKind::Update => {
                summary.updated += 1;
                PreviewAction::Update
            }
        };
        summary.preview(&p.body.order_number, action, p.notes.join("; "));
    }
    for c in &plan.cancel {
        summary.cancelled_in_shipstation += 1;
        summary.preview(&c.order_number, PreviewAction::Cancel, String::new());
    }
    const LINE_HELD: &str = "a line is on hold, or its cancellation requested, in Quipt; if ShipStation still has it to ship";
    const SHIPPED_ELSEWHERE: &str =
        "shipped in Quipt another way; if ShipStation still has it to ship";
    let held_there = plan
        .hold_in_shipstation
        .iter()
        .map(|(id, _)| (id, LINE_HELD))
        .chain(
            plan.shipped_elsewhere
                .iter()
                .map(|(id, _)| (id, SHIPPED_ELSEWHERE)),
        );
    for (id, why) in held_there {
        summary.held_in_shipstation += 1;
        summary.preview(
            &by_id[id.as_str()].order_number,
            PreviewAction::HoldInShipstation,
            why.to_string(),
        );
    }
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
