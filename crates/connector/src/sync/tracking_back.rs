//! Pass 3: tracking back. ShipStation shipments (labels) and fulfilments (marked as shipped) created
//! since the cursor are joined to our orders and reported to Quipt once each, keyed by their id
//! (Quipt's `ExternalId`). Labels voided since a cursor of their own (`voidDateStart`) are read
//! too, however long after printing: a label voided days later on an order that keeps another
//! live label (several packages) leaves the order shipped in ShipStation, so nothing else would
//! show it. A voided label is withdrawn in Quipt, or flagged for the operator when Quipt cannot
//! withdraw it. Tracking already reported is never overwritten.

use chrono::{DateTime, NaiveTime, Utc};
use futures::StreamExt;

use crate::error::Result;
use crate::events::Pass;
use crate::mapping;
use crate::outcome::{Reason, ReasonCode, TimelineKind};
use crate::settings::CarrierFamily;
use crate::store::{self, orders::OrderState, tracking::TrackingState};

use super::cursor::Cursor;
use super::{Read, Run};

/// A shipment or a fulfilment, as this pass needs it.
#[derive(Debug, Clone)]
pub(crate) struct Package {
    pub external_id: String,
    pub kind: &'static str,
    pub ss_order_id: i64,
    pub order_key: Option<shipstation::OrderKey>,
    pub order_number: Option<String>,
    pub created: Option<DateTime<Utc>>,
    pub ship_date: Option<chrono::NaiveDate>,
    pub tracking_number: Option<String>,
    pub carrier_code: Option<String>,
    pub service_code: Option<String>,
    pub voided: bool,
    /// (lineItemKey, quantity) when ShipStation says which items are in the package.
    pub items: Vec<(String, i64)>,
}

/// How a log line names a package: ShipStation's kind and id, and the order.
impl std::fmt::Display for Package {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "ShipStation {} {} of order {}",
            self.kind,
            self.external_id,
            self.order_number.as_deref().unwrap_or("(no number)")
        )
    }
}

impl From<shipstation::Shipment> for Package {
    fn from(s: shipstation::Shipment) -> Self {
        Package {
            external_id: format!("ss-shipment-{}", s.shipment_id.0),
            kind: "shipment",
            ss_order_id: s.order_id.0,
            order_key: s.order_key,
            order_number: s.order_number,
            created: s.create_date,
            ship_date: s.ship_date,
            tracking_number: s.tracking_number,
            carrier_code: s.carrier_code,
            service_code: s.service_code,
            voided: s.voided,
            items: s
                .shipment_items
                .into_iter()
                .filter_map(|i| i.line_item_key.map(|k| (k, i.quantity)))
                .collect(),
        }
    }
}

impl From<shipstation::Fulfillment> for Package {
    fn from(f: shipstation::Fulfillment) -> Self {
        Package {
            external_id: format!("ss-fulfillment-{}", f.fulfillment_id.0),
            kind: "fulfillment",
            ss_order_id: f.order_id.0,
            order_key: None,
            order_number: f.order_number,
            created: f.create_date,
            ship_date: f.ship_date,
            tracking_number: f.tracking_number,
            carrier_code: f.carrier_code,
            service_code: None,
            voided: f.voided,
            items: Vec::new(),
        }
    }
}

/// Runs the pass.
pub(crate) async fn run(run: &mut Run<'_>) -> Result<()> {
    let ctx = run.ctx;
    let mut cursor = Cursor::read(run, Pass::TrackingBack.as_str())?;
    let since = Some(super::since(cursor.at(), run));

    let mut packages: Vec<Package> = Vec::new();
    let mut unreadable = Unreadable::default();
    {
        let query = shipstation::ShipmentQuery {
            create_date_start: since,
            include_shipment_items: true,
            page_size: Some(500),
            ..Default::default()
        };
        let api = ctx.shipstation.shipments();
        let mut stream = std::pin::pin!(api.list_all(query));
        while let Some(s) = stream.next().await {
            if let Some(s) = unreadable.set_apart(s, &mut cursor, |row| row.create_date)? {
                packages.push(s.into());
            }
        }
    }
    {
        let query = shipstation::FulfillmentQuery {
            create_date_start: since,
            page_size: Some(500),
            ..Default::default()
        };
        let api = ctx.shipstation.fulfillments();
        let mut stream = std::pin::pin!(api.list_all(query));
        while let Some(f) = stream.next().await {
            if let Some(f) = unreadable.set_apart(f, &mut cursor, |row| row.create_date)? {
                packages.push(f.into());
            }
        }
    }

    let now = run.now();
    for package in &packages {
        if let Some(created) = package.created {
            cursor.saw(created, now, package);
        }
    }
    let (voids, voids_cursor) = voided_since(run, &mut unreadable).await?;
    let created: std::collections::HashSet<String> =
        packages.iter().map(|p| p.external_id.clone()).collect();
    packages.extend(
        voids
            .into_iter()
            .filter(|v| !created.contains(&v.external_id)),
    );
    let total = packages.len() as u64;
    for (done, package) in packages.iter().enumerate() {
        handle(run, package, Asked::No).await?;
        run.progress(Pass::TrackingBack, done as u64 + 1, total);
    }
    // After the packages that read: one of them reported must not settle what these still owe.
    unreadable.record(run)?;

    // Retryable failures returned early above, so the cursors stay put for them; a refusal is a
    // conflict recorded for the operator and is not retried blindly.
    cursor.commit(run)?;
    voids_cursor.commit(run)
}

/// The cursor of the voided-labels listing: void dates, apart from the creation dates.
const VOIDS_CURSOR: &str = "tracking_back_voids";

/// Labels voided since their own cursor (minus the overlap), and that cursor moved to the newest
/// void date read; the rows that do not read go to `unreadable`.
async fn voided_since(
    run: &Run<'_>,
    unreadable: &mut Unreadable,
) -> Result<(Vec<Package>, Cursor)> {
    let mut cursor = Cursor::read(run, VOIDS_CURSOR)?;
    let query = shipstation::ShipmentQuery {
        void_date_start: Some(super::since(cursor.at(), run)),
        include_shipment_items: true,
        page_size: Some(500),
        ..Default::default()
    };
    let api = run.ctx.shipstation.shipments();
    let mut stream = std::pin::pin!(api.list_all(query));
    let mut voids = Vec::new();
    while let Some(s) = stream.next().await {
        let Some(s) = unreadable.set_apart(s, &mut cursor, |row| row.void_date)? else {
            continue;
        };
        let voided_at = s.void_date;
        let package = Package::from(s);
        if let Some(at) = voided_at {
            cursor.saw(at, run.now(), &package);
        }
        voids.push(package);
    }
    Ok((voids, cursor))
}

/// The labels and fulfilments ShipStation listed in a form the connector cannot read
/// ([`shipstation::UnreadableRow`]), set apart while listing so the others go on.
///
/// Each one's cursor stops at it for a day ([`super::cursor::READ_AGAIN_FOR`]), so that it is listed
/// again every run and reported like any other once it reads. One of our orders' is a conflict of
/// that order, said once; Retry reads the order's labels again, at once or after that day. One
/// naming another order is none of ours; one naming no order at all cannot be told apart, and the
/// run's alerts say so every run it is listed.
#[derive(Debug, Default)]
pub(crate) struct Unreadable(Vec<shipstation::UnreadableRow>);

impl Unreadable {
    /// A row of a listing as read: the row when it read; `None` when it did not, set apart and
    /// `cursor` stopped at its date (`date` of it); the listing's error otherwise.
    pub(crate) fn set_apart<T>(
        &mut self,
        row: shipstation::Result<T>,
        cursor: &mut Cursor,
        date: fn(&shipstation::UnreadableRow) -> Option<DateTime<Utc>>,
    ) -> Result<Option<T>> {
        match row {
            Ok(row) => Ok(Some(row)),
            Err(shipstation::Error::UnreadableRow(row)) => {
                cursor.stop_at(date(&row));
                self.keep(*row);
                Ok(None)
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Sets `row` apart, once (a label voided since the cursor is listed twice).
    pub(crate) fn keep(&mut self, row: shipstation::UnreadableRow) {
        let same = |kept: &shipstation::UnreadableRow| {
            (kept.shipment_id, kept.fulfillment_id) == (row.shipment_id, row.fulfillment_id)
                && (row.shipment_id.is_some() || row.fulfillment_id.is_some())
        };
        if !self.0.iter().any(same) {
            self.0.push(row);
        }
    }

    /// Records each row against its order ([`Unreadable`]); a dry run records nothing.
    pub(crate) fn record(self, run: &mut Run<'_>) -> Result<()> {
        for row in self.0 {
            let message = format!(
                "{row}; its tracking is not reported until it reads (read again every run for a day, then on Retry)"
            );
            tracing::warn!("{message}");
            let key = row.order_key.clone().map(shipstation::OrderKey);
            if key.is_none() && row.order_id.is_none() && row.order_number.is_none() {
                run.summary.alerts.push(message);
                continue;
            }
            let Some(order) =
                join_by(run, key.as_ref(), row.order_id, row.order_number.as_deref())?
            else {
                continue;
            };
            let said = order.state == OrderState::Settled
                || (order.state == OrderState::Conflict
                    && order.reason_code == Some(ReasonCode::LabelUnreadable)
                    && order.reason.as_deref() == Some(message.as_str()));
            if said || run.dry_run {
                continue;
            }
            run.count_conflict(&order.quipt_id);
            let mut db = run.ctx.db();
            let tx = db.transaction()?;
            package_conflict(
                &tx,
                run,
                &order.quipt_id,
                ReasonCode::LabelUnreadable,
                &message,
            )?;
            tx.commit()?;
        }
        Ok(())
    }
}

/// Finds our order for a package ([`join_by`]).
pub(crate) fn join(run: &Run<'_>, package: &Package) -> Result<Option<store::orders::OrderRow>> {
    join_by(
        run,
        package.order_key.as_ref(),
        Some(package.ss_order_id),
        package.order_number.as_deref(),
    )
}

/// Finds our order by `orderKey`, else by ShipStation `orderId`, else by the order number (split
/// orders' children keep it).
pub(crate) fn join_by(
    run: &Run<'_>,
    key: Option<&shipstation::OrderKey>,
    ss_order_id: Option<i64>,
    number: Option<&str>,
) -> Result<Option<store::orders::OrderRow>> {
    let db = run.ctx.db();
    if let Some(id) = key.and_then(mapping::quipt_id_of)
        && let Some(row) = store::orders::get(&db, id)?
    {
        return Ok(Some(row));
    }
    if let Some(ss_order_id) = ss_order_id
        && let Some(row) = store::orders::by_shipstation_id(&db, ss_order_id)?
    {
        return Ok(Some(row));
    }
    if let Some(number) = number {
        let mut rows = store::orders::by_number(&db, number)?;
        if rows.len() == 1 {
            return Ok(rows.pop());
        }
    }
    Ok(None)
}

/// Handles one package: report, withdraw, or nothing when already done. `asked` is the
/// operator's Retry of its order being redone: every package Quipt refused before is sent again,
/// although reporting the first one already settles the order's flag.
pub(crate) async fn handle(run: &mut Run<'_>, package: &Package, asked: Asked) -> Result<()> {
    let Some(order) = join(run, package)? else {
        return Ok(());
    };
    let existing = store::tracking::get(&run.ctx.db(), &package.external_id)?.map(|t| t.state);
    match (existing, package.voided) {
        (Some(TrackingState::Reported), false) => Ok(()),
        (Some(TrackingState::Reported), true) => {
            withdraw(run, &order.quipt_id, &package.external_id).await
        }
        // Refused before: sent again when the operator asks (Retry). Seen again in the overlap
        // it is no news: sending it on every run would write on idle runs and count the same
        // conflict again, and after the operator settled it would only re-open the conflict.
        (Some(TrackingState::Refused), false) if asked == Asked::No => Ok(()),
        (None | Some(TrackingState::Refused), false) => report(run, &order, package).await,
        (None, true) if !run.dry_run && reached_quipt(run, &order, package).await? => {
            // A report whose answer was lost reached Quipt after all: withdrawn like any other.
            store::tracking::record(
                &run.ctx.db(),
                &new_tracking(package, &order.quipt_id),
                TrackingState::Reported,
                run.now(),
            )?;
            withdraw(run, &order.quipt_id, &package.external_id).await
        }
        (None | Some(TrackingState::Refused), true) => {
            if !run.dry_run {
                let mut db = run.ctx.db();
                let tx = db.transaction()?;
                store::tracking::record(
                    &tx,
                    &new_tracking(package, &order.quipt_id),
                    TrackingState::VoidedUnreported,
                    run.now(),
                )?;
                if existing.is_some() {
                    // Refused, now voided: nothing is owed for it any more.
                    store::tracking::set_state(
                        &tx,
                        &package.external_id,
                        TrackingState::VoidedUnreported,
                        run.now(),
                    )?;
                    record_standing(&tx, &order.quipt_id, None, run.now())?;
                    read_again_once_nothing_ships(&tx, run, &order)?;
                }
                store::timeline::append(
                    &tx,
                    &order.quipt_id,
                    run.id,
                    TimelineKind::LabelVoided,
                    &format!(
                        "label {} voided before it was reported: nothing sent to Quipt",
                        package.tracking_number.as_deref().unwrap_or("?")
                    ),
                    run.now(),
                )?;
                tx.commit()?;
            }
            Ok(())
        }
        (Some(_), _) => Ok(()),
    }
}

/// Whether Quipt has `package` live on the order although the history never recorded it reported:
/// a report whose answer was lost (the run failed, and the label was voided before the next one).
/// Read from the order as Quipt has it; an order Quipt will not give, or no longer has, has
/// nothing to withdraw here.
async fn reached_quipt(
    run: &Run<'_>,
    order: &store::orders::OrderRow,
    package: &Package,
) -> Result<bool> {
    Ok(match run.read_quipt_order(&order.quipt_id).await? {
        Read::Order(quipt) => quipt
            .shipments
            .iter()
            .any(|s| s.external_id == package.external_id && !s.voided),
        Read::Gone | Read::Refused(_) => false,
    })
}

/// Whether the operator asked for a package's order to be tried again ([`handle`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Asked {
    /// Seen by the tracking pass.
    No,
    /// Redone by the operator's Retry.
    Retry,
}

/// Where an order stands once one of its packages settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Standing {
    /// A package of it is live in Quipt.
    Shipped,
    /// In ShipStation, no package live in Quipt (every one withdrawn or voided before it was
    /// reported).
    Pushed,
    /// A conflict for the operator, for this reason.
    Conflict(ReasonCode),
}

/// Where an order stands once one of its packages settled, decided from every package the
/// history has of it (`packages`) and the conflict the order stood in, if any: no package settles
/// what another one left. A package Quipt refused, or whose void it could not withdraw, keeps the
/// order a conflict until that package itself is settled (retried, or voided), whatever its
/// other packages do; a dispute about the order itself (a cancellation refused, cancelled after
/// it shipped) is no package's to settle either, except "gone from Quipt", which Quipt's answer
/// about a package has just disproved. Pure.
pub(crate) fn standing(conflict: Option<ReasonCode>, packages: &[TrackingState]) -> Standing {
    if packages.contains(&TrackingState::VoidFlagged) {
        return Standing::Conflict(ReasonCode::VoidNotWithdrawn);
    }
    if packages.contains(&TrackingState::Refused) {
        return Standing::Conflict(ReasonCode::TrackingRefused);
    }
    match conflict {
        Some(code)
            if !matches!(
                code,
                ReasonCode::TrackingRefused
                    | ReasonCode::VoidNotWithdrawn
                    | ReasonCode::LabelUnreadable
                    | ReasonCode::GoneInQuipt
            ) =>
        {
            Standing::Conflict(code)
        }
        _ if packages.contains(&TrackingState::Reported) => Standing::Shipped,
        _ => Standing::Pushed,
    }
}

/// Records where the order stands after one of its packages settled ([`standing`]), in the
/// caller's transaction. `failed` is the reason of a package that has just failed: the order's
/// reason then says it, the newest news for the operator (a conflict again, even when the operator
/// had settled the last one). An order the operator settled otherwise moves on only to shipped. A conflict left by another package keeps
/// the reason it was recorded with, or — when the order's reason was about a package now settled —
/// says which package is still unsettled.
fn record_standing(
    tx: &rusqlite::Connection,
    quipt_id: &str,
    failed: Option<Reason>,
    at: DateTime<Utc>,
) -> Result<()> {
    let (state, reason) = match failed {
        Some(reason) => (OrderState::Conflict, Some(reason)),
        None => {
            let row = store::orders::get(tx, quipt_id)?;
            // Settled by the operator: a package live in Quipt ships it; otherwise it stays
            // settled, whatever its packages left unsettled before (the operator settled those).
            if row.as_ref().is_some_and(|r| r.state == OrderState::Settled) {
                let live = store::tracking::for_order(tx, quipt_id)?
                    .iter()
                    .any(|t| t.state == TrackingState::Reported);
                if !live {
                    return Ok(());
                }
                return store::orders::update_state(tx, quipt_id, OrderState::Shipped, None, at);
            }
            let conflict = row
                .as_ref()
                .filter(|r| r.state == OrderState::Conflict)
                .and_then(|r| r.reason_code);
            let packages = store::tracking::for_order(tx, quipt_id)?;
            let states: Vec<TrackingState> = packages.iter().map(|t| t.state).collect();
            match standing(conflict, &states) {
                Standing::Shipped => (OrderState::Shipped, None),
                Standing::Pushed => (OrderState::Pushed, None),
                Standing::Conflict(code) => {
                    let reason = row
                        .as_ref()
                        .and_then(store::orders::OrderRow::reason)
                        .filter(|r| r.code == code)
                        .unwrap_or_else(|| unsettled(code, &packages));
                    (OrderState::Conflict, Some(reason))
                }
            }
        }
    };
    store::orders::update_state(tx, quipt_id, state, reason.as_ref(), at)
}

/// After a void: an order that stood in conflict (`before`) with no package live any more is
/// re-queued, as Retry does, in the caller's transaction. A conflict about a package on its way
/// (cancelled in Quipt after it shipped, the rest held in ShipStation) may be over now that
/// nothing ships: the next run reads the order from Quipt again and plans it, so a cancellation
/// made there goes to ShipStation after all instead of waiting on hold for the operator.
fn read_again_once_nothing_ships(
    tx: &rusqlite::Connection,
    run: &Run<'_>,
    before: &store::orders::OrderRow,
) -> Result<()> {
    let live = store::tracking::for_order(tx, &before.quipt_id)?
        .iter()
        .any(|t| t.state == TrackingState::Reported);
    if before.state != OrderState::Conflict || live {
        return Ok(());
    }
    store::orders::request_retry(tx, Some(&before.quipt_id))?;
    store::timeline::append(
        tx,
        &before.quipt_id,
        run.id,
        TimelineKind::Note,
        "no label of it is live any more: it is read from Quipt again on the next run (a \
         cancellation made there goes to ShipStation)",
        run.now(),
    )
}

/// The reason of a conflict a package still holds, when the order's reason was about another one.
fn unsettled(code: ReasonCode, packages: &[store::tracking::TrackingRow]) -> Reason {
    let left = |state| {
        packages
            .iter()
            .find(|t| t.state == state)
            .map_or("?", |t| t.external_id.as_str())
    };
    let message = match code {
        ReasonCode::VoidNotWithdrawn => format!(
            "label voided in ShipStation but Quipt could not withdraw {}: Retry withdraws it again",
            left(TrackingState::VoidFlagged)
        ),
        ReasonCode::TrackingRefused => format!(
            "shipped in ShipStation but Quipt refused {}: Retry reports it again",
            left(TrackingState::Refused)
        ),
        other => other.as_str().to_string(),
    };
    Reason::new(code, message)
}

fn new_tracking<'a>(package: &'a Package, quipt_id: &'a str) -> store::tracking::NewTracking<'a> {
    store::tracking::NewTracking {
        external_id: &package.external_id,
        kind: package.kind,
        quipt_id,
        ss_order_id: package.ss_order_id,
        tracking_number: package.tracking_number.as_deref(),
        carrier_code: package.carrier_code.as_deref(),
        ship_date: package.ship_date.map(|d| d.to_string()),
    }
}

fn quipt_carrier(carrier_code: Option<&str>) -> Option<String> {
    let family = crate::reference::family_of(carrier_code?)?;
    Some(
        match family {
            CarrierFamily::Ups => "UPS",
            CarrierFamily::Fedex => "FEDEX",
            CarrierFamily::Usps => "USPS",
            CarrierFamily::Dhl => "DHL",
        }
        .to_string(),
    )
}

async fn report(run: &mut Run<'_>, row: &store::orders::OrderRow, package: &Package) -> Result<()> {
    let ctx = run.ctx;
    let quipt_id = row.quipt_id.as_str();
    let tracking = package.tracking_number.clone().unwrap_or_default();
    if run.dry_run {
        run.summary.tracking_reported += 1;
        return Ok(());
    }
    let id = quipt::OrderId(quipt_id.to_string());
    // Shipped before its turn in the acknowledgement lane: the acceptance goes first, decided
    // from the order as Quipt has it now (the read also tells whether an earlier answer was lost).
    // An order Quipt no longer has is recorded as such, and the pass goes on with the others.
    // Quipt refusing to give the order is this package's refusal, as if it refused the tracking.
    let mut read = None;
    if row.owes_acknowledgement() {
        let order = match run.read_quipt_order(quipt_id).await? {
            Read::Order(order) => *order,
            Read::Gone => return Ok(()),
            Read::Refused(e) => return refused(run, quipt_id, package, &e, "give the order for"),
        };
        super::acknowledgements::settle_before_shipping(run, &order).await?;
        read = Some(order);
    }
    let lines = if package.items.is_empty() {
        // No items named: the package ships what is left of every line (an acceptance changes
        // no quantity, so the order read for it will do).
        let order = match read {
            Some(order) => order,
            None => match run.read_quipt_order(quipt_id).await? {
                Read::Order(order) => *order,
                Read::Gone => return Ok(()),
                Read::Refused(e) => {
                    return refused(run, quipt_id, package, &e, "give the order for");
                }
            },
        };
        order
            .lines
            .iter()
            .map(|l| {
                (
                    l.id.clone(),
                    l.ordered.value - l.shipped.value - l.canceled.value,
                )
            })
            .filter(|(_, q)| *q > 0.0)
            .map(|(line_id, value)| quipt::ShipmentLine {
                line_id,
                quantity: quipt::Quantity { units: 0, value },
            })
            .collect()
    } else {
        package
            .items
            .iter()
            .map(|(key, qty)| quipt::ShipmentLine {
                line_id: quipt::LineId(key.clone()),
                quantity: quipt::Quantity {
                    units: 0,
                    value: *qty as f64,
                },
            })
            .collect()
    };
    let ship_at = package
        .ship_date
        .map(|d| d.and_time(NaiveTime::MIN).and_utc())
        .or(package.created)
        .unwrap_or_else(|| run.now());
    let shipment = quipt::NewShipment {
        external_id: package.external_id.clone(),
        ship_at,
        tracking_number: tracking.clone(),
        carrier_method: quipt_carrier(package.carrier_code.as_deref()).map(|carrier| {
            quipt::CarrierMethod {
                code: package.service_code.clone(),
                name: None,
                carrier: Some(quipt::Carrier {
                    code: carrier,
                    name: None,
                }),
            }
        }),
        lines,
    };
    match ctx.quipt.orders().ship(&id, &shipment).await {
        Ok(outcome) => {
            run.summary.tracking_reported += 1;
            let mut db = ctx.db();
            let tx = db.transaction()?;
            store::tracking::record(
                &tx,
                &new_tracking(package, quipt_id),
                TrackingState::Reported,
                run.now(),
            )?;
            // Refused before: reported now.
            store::tracking::set_state(
                &tx,
                &package.external_id,
                TrackingState::Reported,
                run.now(),
            )?;
            record_standing(&tx, quipt_id, None, run.now())?;
            let note = if outcome.already_existed {
                " (Quipt already had it)"
            } else {
                ""
            };
            store::timeline::append(
                &tx,
                quipt_id,
                run.id,
                TimelineKind::TrackingReported,
                &format!(
                    "{} {} reported to Quipt: tracking {tracking}{note}",
                    package.kind, package.external_id
                ),
                run.now(),
            )?;
            tx.commit()?;
            Ok(())
        }
        // Credentials refused, an outage: the run's, not this package's.
        Err(e) if !e.is_refusal() => Err(e.into()),
        Err(e) => refused(run, quipt_id, package, &e, "take"),
    }
}

/// Records that Quipt refused a package (`what` it would not do: "take" the tracking, or "give
/// the order for" it): a conflict of the order, the package kept as refused so the operator's
/// retry sends it again.
fn refused(
    run: &mut Run<'_>,
    quipt_id: &str,
    package: &Package,
    e: &quipt::Error,
    what: &str,
) -> Result<()> {
    let tracking = package.tracking_number.as_deref().unwrap_or_default();
    let message =
        format!("shipped in ShipStation but Quipt would not {what} tracking {tracking}: {e}");
    run.count_conflict(quipt_id);
    let mut db = run.ctx.db();
    let tx = db.transaction()?;
    store::tracking::record(
        &tx,
        &new_tracking(package, quipt_id),
        TrackingState::Refused,
        run.now(),
    )?;
    package_conflict(&tx, run, quipt_id, ReasonCode::TrackingRefused, &message)?;
    tx.commit()?;
    Ok(())
}

/// Records the conflict a package made of its order, in the caller's transaction: where the order
/// stands now ([`record_standing`], with this reason) and the timeline entry that says it.
fn package_conflict(
    tx: &rusqlite::Connection,
    run: &Run<'_>,
    quipt_id: &str,
    code: ReasonCode,
    message: &str,
) -> Result<()> {
    record_standing(tx, quipt_id, Some(Reason::new(code, message)), run.now())?;
    store::timeline::append(
        tx,
        quipt_id,
        run.id,
        TimelineKind::Conflict,
        message,
        run.now(),
    )
}

/// Withdraws a reported package whose label was voided, or flags it when Quipt cannot.
pub(crate) async fn withdraw(run: &mut Run<'_>, quipt_id: &str, external_id: &str) -> Result<()> {
    if run.dry_run {
        return Ok(());
    }
    let ctx = run.ctx;
    match ctx
        .quipt
        .orders()
        .void_shipment(&quipt::OrderId(quipt_id.to_string()), external_id)
        .await
    {
        Ok(()) => {
            run.summary.tracking_withdrawn += 1;
            let mut db = ctx.db();
            let tx = db.transaction()?;
            let before = store::orders::get(&tx, quipt_id)?;
            store::tracking::set_state(&tx, external_id, TrackingState::Withdrawn, run.now())?;
            // Another package of the order still on its way keeps it shipped, one unsettled keeps
            // it a conflict.
            record_standing(&tx, quipt_id, None, run.now())?;
            if let Some(before) = before {
                read_again_once_nothing_ships(&tx, run, &before)?;
            }
            store::timeline::append(
                &tx,
                quipt_id,
                run.id,
                TimelineKind::TrackingWithdrawn,
                &format!("label voided in ShipStation: {external_id} withdrawn in Quipt"),
                run.now(),
            )?;
            tx.commit()?;
        }
        Err(e) if !e.is_refusal() => return Err(e.into()),
        Err(e) => {
            let mut db = ctx.db();
            let tx = db.transaction()?;
            let before = store::orders::get(&tx, quipt_id)?;
            store::tracking::set_state(&tx, external_id, TrackingState::VoidFlagged, run.now())?;
            match before.filter(|b| {
                b.state == OrderState::Conflict
                    && b.reason_code == Some(ReasonCode::CancelAfterShip)
            }) {
                // Cancelled in Quipt after this package shipped: Quipt keeps the shipments of a
                // cancelled order. The order's dispute is still the cancellation, which may now
                // go to ShipStation if nothing of it ships any more.
                Some(before) => {
                    store::timeline::append(
                        &tx,
                        quipt_id,
                        run.id,
                        TimelineKind::Note,
                        &format!(
                            "label voided in ShipStation; Quipt keeps {external_id} on the cancelled order: {e}"
                        ),
                        run.now(),
                    )?;
                    read_again_once_nothing_ships(&tx, run, &before)?;
                }
                None => {
                    run.count_conflict(quipt_id);
                    let message = format!(
                        "label voided in ShipStation but Quipt could not withdraw {external_id}: {e}"
                    );
                    package_conflict(&tx, run, quipt_id, ReasonCode::VoidNotWithdrawn, &message)?;
                }
            }
            tx.commit()?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;
    use ReasonCode::{
        CancelAfterShip, GoneInQuipt, LabelUnreadable, TrackingRefused, VoidNotWithdrawn,
    };
    use TrackingState::{Refused, Reported, VoidFlagged, VoidedUnreported, Withdrawn};

    #[rstest]
    #[case::a_live_package_ships_the_order(None, &[Reported], Standing::Shipped)]
    #[case::another_live_package_keeps_it_shipped(None, &[Withdrawn, Reported], Standing::Shipped)]
    #[case::every_package_withdrawn_it_waits_in_shipstation(None, &[Withdrawn, VoidedUnreported], Standing::Pushed)]
    #[case::a_later_package_does_not_settle_a_void_quipt_kept(Some(VoidNotWithdrawn), &[VoidFlagged, Reported, Reported], Standing::Conflict(VoidNotWithdrawn))]
    #[case::a_later_package_does_not_settle_a_refused_one(Some(TrackingRefused), &[Refused, Reported], Standing::Conflict(TrackingRefused))]
    #[case::the_refused_package_reported_settles_it(Some(TrackingRefused), &[Reported, Reported], Standing::Shipped)]
    #[case::the_void_withdrawn_at_last_settles_it(Some(VoidNotWithdrawn), &[Withdrawn, Reported], Standing::Shipped)]
    #[case::one_settled_the_other_still_unsettled(Some(TrackingRefused), &[VoidFlagged, Reported], Standing::Conflict(VoidNotWithdrawn))]
    #[case::a_dispute_about_the_order_is_no_package_s_to_settle(Some(CancelAfterShip), &[Reported], Standing::Conflict(CancelAfterShip))]
    #[case::a_package_quipt_took_disproves_gone(Some(GoneInQuipt), &[Reported], Standing::Shipped)]
    #[case::an_unreadable_label_that_reads_now_ships_it(Some(LabelUnreadable), &[Reported], Standing::Shipped)]
    fn no_package_settles_what_another_left(
        #[case] conflict: Option<ReasonCode>,
        #[case] packages: &[TrackingState],
        #[case] expected: Standing,
    ) {
        assert_eq!(standing(conflict, packages), expected);
    }
}
