//! What pass 2 does with each Quipt order it read, decided without I/O from the order, what the
//! history knows of it, the settings and the reference data:
//!
//! - closed on our side (shipped, cancelled, conflict) and not flagged for retry → nothing, except
//!   the rest of an order a package of which shipped, cancelled in Quipt → **cancel** (ShipStation's
//!   copy is held, or cancelled, from its state there);
//! - cancelled in Quipt and possibly in ShipStation (pushed, or a push whose answer was lost) →
//!   **cancel** ShipStation's own copy, whatever the mapping says now; never in ShipStation but held
//!   or failed here → **close** it here; never seen → nothing;
//! - shipped in Quipt another way while held or failed here → **shipped there**: it leaves the
//!   orders needing the operator, with a timeline entry that says so, and nothing is sent;
//! - otherwise the mapping ([`mapping::decide`]): a body → **create**, or **update** when it
//!   differs from the last one ShipStation accepted (nothing when the same; **not sent** when
//!   ShipStation split or closed the order); a hold reason → **hold**, unless held for the same
//!   reason already (a line on hold or a cancellation request also holds ShipStation's copy);
//! - an order ShipStation already has that a setting would hold → its **update waits**: it stays
//!   pushed, its reason says for what, said once; a line on hold or a cancellation request still
//!   holds it, ahead of the setting;
//! - an order held for a setting, or whose update waits for one, is planned again when the
//!   settings changed since ([`Known::settings_changed`]): its push says it was **released**, and
//!   one with nothing left to send has its reason cleared; held again for the same setting, nothing
//!   new is recorded.

use std::collections::HashMap;

use shipstation::NewOrder;

use crate::mapping::{self, Decision, HoldReason};
use crate::outcome::{ReasonCode, TimelineKind};
use crate::reference::Reference;
use crate::settings::Settings;
use crate::store::orders::{Change, OrderRow, OrderState};
use crate::sync::retry::{Redo, redo};

/// Whether a push creates the order in ShipStation or updates it there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PushKind {
    /// ShipStation does not have it (as far as the history knows).
    Create,
    /// ShipStation has it; the body changed.
    Update,
}

/// One order to send.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedPush {
    /// Quipt id.
    pub quipt_id: String,
    /// The body.
    pub body: NewOrder,
    /// Its content hash.
    pub hash: String,
    /// Create or update.
    pub kind: PushKind,
    /// Timeline notes (substitutions, assignments).
    pub notes: Vec<String>,
    /// The order was held for a setting, and the settings changed since.
    pub released: bool,
}

/// An order cancelled in Quipt that ShipStation may have.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedCancel {
    /// Quipt id.
    pub quipt_id: String,
    /// Quipt order number (ShipStation's `orderNumber`), to look the order up when its id is
    /// unknown.
    pub order_number: String,
    /// ShipStation's `orderId`, when the history has it.
    pub ss_order_id: Option<i64>,
}

/// One order to hold.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedHold {
    /// Quipt id.
    pub quipt_id: String,
    /// Why.
    pub reason: HoldReason,
}

impl PlannedHold {
    /// The history's record of a change a setting holds back for an order already in ShipStation
    /// (a setting decides only how an order is created there): it stays pushed, its reason says
    /// what the change waits for, and the timeline says it was not sent. The next change of the
    /// settings plans it again ([`crate::store::orders::held_for_a_setting`]).
    pub fn update_held(&self) -> Change {
        let reason = self.reason.reason();
        Change {
            state: OrderState::Pushed,
            timeline: vec![(
                TimelineKind::UpdateNotSent,
                format!(
                    "in ShipStation already; its update is not sent while {}",
                    reason.message
                ),
            )],
            reason: Some(reason),
            pushed: None,
        }
    }

    /// The history's record of the hold: held, why, and the timeline entry that says it.
    pub fn change(&self) -> Change {
        let reason = self.reason.reason();
        Change {
            state: OrderState::Held,
            timeline: vec![(TimelineKind::Held, reason.message.clone())],
            reason: Some(reason),
            pushed: None,
        }
    }
}

/// What the pass will do with a chunk of orders.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plan {
    /// Bodies to send.
    pub push: Vec<PlannedPush>,
    /// Quipt cancellations to carry to ShipStation.
    pub cancel: Vec<PlannedCancel>,
    /// Orders cancelled in Quipt before they reached ShipStation, held or failed here: closed.
    pub close: Vec<String>,
    /// Orders held or failed here that Quipt shipped another way: closed as shipped
    /// ([`shipped_in_quipt`]).
    pub shipped_in_quipt: Vec<String>,
    /// Orders pushed here that Quipt shipped another way, by Quipt id with ShipStation's order id:
    /// ShipStation may still have them to ship (`hold_shipped_elsewhere` in the pass).
    pub shipped_elsewhere: Vec<(String, i64)>,
    /// Orders pushed here that now hold for a reason that stops shipping
    /// ([`HoldReason::stops_shipping`]), by Quipt id with ShipStation's order id: their copy there
    /// is put on hold too.
    pub hold_in_shipstation: Vec<(String, i64)>,
    /// Orders to hold (new holds or changed reasons only).
    pub hold: Vec<PlannedHold>,
    /// Orders seen again with nothing to do.
    pub unchanged: u64,
    /// Orders whose update is not sent because ShipStation split or closed them.
    pub not_sent: Vec<(String, String)>,
    /// Orders already in ShipStation whose change a setting holds back ([`PlannedHold::update_held`]).
    pub update_held: Vec<PlannedHold>,
    /// Orders in ShipStation a setting held a change of, found with nothing to send (ShipStation
    /// has the order as it is in Quipt, or split or closed it): their reason is cleared
    /// ([`update_released`]), with what the timeline says.
    pub update_released: Vec<(String, String)>,
}

impl Plan {
    /// Whether an order of this plan is held for a store, warehouse or carrier the reference data
    /// does not know: the data may be behind the account.
    pub fn meets_unknown_reference(&self) -> bool {
        self.hold
            .iter()
            .any(|h| h.reason.code().meets_unknown_reference())
    }

    /// How many orders held for a setting this plan sends because the settings changed (an order
    /// held again, for its old reason or another one, is not among them).
    pub fn released(&self) -> u64 {
        self.push.iter().filter(|p| p.released).count() as u64
    }
}

/// What the history knows of the orders being planned.
#[derive(Debug, Clone, Default)]
pub struct Known {
    /// The rows of the orders seen before, by Quipt id.
    pub rows: HashMap<String, OrderRow>,
    /// Whether the settings changed since these rows were last decided: orders held for a setting
    /// are then planned again.
    pub settings_changed: bool,
}

/// A fingerprint of what the mapping decides with: the settings it reads (stores, pending orders,
/// carrier, warehouses — not the schedule) and ShipStation's reference data. Each run records it;
/// when the next run's differs, orders held for a setting are planned again.
pub fn mapping_fingerprint(settings: &Settings, reference: &Reference) -> String {
    let inputs = serde_json::json!([
        settings.stores,
        settings.orders,
        settings.carrier,
        settings.warehouses,
        reference
    ]);
    mapping::digest(inputs.to_string().as_bytes())
}

/// The fingerprint a run saves for the next one to compare with ([`mapping_fingerprint`] at the
/// start of pass 2 and at its end): the data every order held so far was decided against. When
/// the reference data was read again during the pass (an id the cache did not know, a refused
/// push) and came back different, the orders held before that read — in earlier runs, or earlier
/// in this one — were decided against the old data and the rest against the new, so neither
/// fingerprint stands for all of them. The one saved then matches no data at all, and the next
/// run plans every order held for a setting again; saving the new one would hide the change from
/// the orders held before it for good (a store reactivated: they would stay held, their reason
/// false, until Quipt edits them). Pure.
pub fn fingerprint_to_save(start: &str, end: &str) -> String {
    if start == end {
        start.to_string()
    } else {
        format!("changed during the run: {start} then {end}")
    }
}

/// Plans a chunk of orders against what the history knows of them. Pure.
pub fn plan(
    orders: &[quipt::Order],
    known: &Known,
    settings: &Settings,
    reference: &Reference,
) -> Plan {
    let mut plan = Plan::default();
    for order in orders {
        let row = known.rows.get(&order.id.0);
        // Shipped here means a package reached Quipt; Quipt cancels only what is not fully
        // shipped, so a cancellation now is of the rest, which ShipStation may still ship.
        let rest_cancelled = order.status == quipt::OrderStatus::Canceled
            && row.is_some_and(|r| r.state == OrderState::Shipped);
        // A retry re-plans a closed order only when re-planning is what redoes it: a tracking
        // report, a withdrawal or a cancellation Quipt refused is the retry pass's to redo, and
        // planning the order here would push it again and spend the operator's retry.
        let replan = row.is_some_and(|r| r.retry && redo(r.reason_code) == Redo::Replan);
        // A package of it reached Quipt while ShipStation still has the rest to ship: a change
        // to the rest in Quipt (the address, a line put on hold) must reach ShipStation as it
        // would for an order not shipped at all.
        let part_shipped = row.is_some_and(|r| {
            r.state == OrderState::Shipped
                && r.ss_order_id.is_some()
                && r.shipstation_status().is_some_and(|s| !s.is_closed())
        });
        if let Some(row) = row
            && row.state.is_closed()
            && !replan
            && !rest_cancelled
            && !part_shipped
        {
            plan.unchanged += 1;
            continue;
        }
        if order.status == quipt::OrderStatus::Canceled {
            match row {
                Some(row) if may_be_in_shipstation(row) => plan.cancel.push(PlannedCancel {
                    quipt_id: order.id.0.clone(),
                    order_number: order.order_number.clone(),
                    ss_order_id: row.ss_order_id,
                }),
                Some(row) if row.state.needs_attention() => plan.close.push(order.id.0.clone()),
                _ => plan.unchanged += 1,
            }
            continue;
        }
        if order.status == quipt::OrderStatus::Shipped {
            match row {
                Some(row) if matches!(row.state, OrderState::Held | OrderState::Failed) => {
                    plan.shipped_in_quipt.push(order.id.0.clone());
                }
                // Shipped with our tracking, Quipt's row would be shipped here too (or, after a
                // lost answer, ShipStation's copy is shipped: looked at before anything is done).
                // A split order is left to its parts' tracking.
                Some(OrderRow {
                    state: OrderState::Pushed,
                    ss_order_id: Some(ss_order_id),
                    split: false,
                    ..
                }) => plan
                    .shipped_elsewhere
                    .push((order.id.0.clone(), *ss_order_id)),
                _ => plan.unchanged += 1,
            }
            continue;
        }
        let released = row.is_some_and(|r| {
            known.settings_changed
                && matches!(r.state, OrderState::Held | OrderState::Pushed)
                && r.reason_code.is_some_and(ReasonCode::is_setting)
        });
        let in_shipstation = part_shipped
            || row.is_some_and(|r| r.state == OrderState::Pushed && r.ss_order_id.is_some());
        // ShipStation split or closed it: no update of it is sent, whatever the settings say.
        let left_intact = if row.is_some_and(|r| r.split) {
            Some("split")
        } else if row
            .and_then(OrderRow::shipstation_status)
            .is_some_and(shipstation::OrderStatus::is_closed)
        {
            Some("closed")
        } else {
            None
        };
        // A setting that held back an update of it: over once the update is not held back, or
        // will never be sent.
        let held_back = row.is_some_and(|r| {
            r.state == OrderState::Pushed && r.reason_code.is_some_and(ReasonCode::is_setting)
        });
        let decision = match mapping::decide(order, settings, reference) {
            // The settings are checked before the lines; for an order ShipStation already has,
            // a line on hold or a cancellation request comes first: its copy there must stop.
            Decision::Hold(reason) if in_shipstation && reason.code().is_setting() => {
                Decision::Hold(mapping::line_hold(order).unwrap_or(reason))
            }
            decision => decision,
        };
        // Nothing of it would be sent to ShipStation, which split or closed it: a setting holds
        // nothing back either.
        let moot = in_shipstation
            && match &decision {
                Decision::Push { .. } => true,
                Decision::Hold(reason) => reason.code().is_setting(),
                Decision::Leave { .. } => false,
            };
        match decision {
            // Split or closed there: nothing is sent; a wait for a setting is over.
            _ if let Some(how) = left_intact.filter(|_| moot) => {
                if held_back {
                    plan.update_released.push((
                        order.id.0.clone(),
                        format!("no longer held back: ShipStation {how} the order, so its updates are not sent"),
                    ));
                } else {
                    plan.not_sent.push((
                        order.id.0.clone(),
                        format!("{how} in ShipStation: the update is not sent"),
                    ));
                }
            }
            Decision::Push { body, notes } => {
                let hash = mapping::content_hash(&body);
                let was_pushed = row.is_some_and(|r| r.ss_order_id.is_some());
                if let Some(row) = row.filter(|r| {
                    matches!(r.state, OrderState::Pushed | OrderState::Shipped)
                        && r.content_hash.as_deref() == Some(hash.as_str())
                }) {
                    if row.reason_code.is_some() {
                        plan.update_released.push((
                            order.id.0.clone(),
                            "no longer held back: ShipStation already has the order as it is in Quipt"
                                .into(),
                        ));
                    } else {
                        plan.unchanged += 1;
                    }
                } else if let Some(how) = left_intact {
                    plan.not_sent.push((
                        order.id.0.clone(),
                        format!("{how} in ShipStation: the update is not sent"),
                    ));
                } else {
                    plan.push.push(PlannedPush {
                        quipt_id: order.id.0.clone(),
                        body: *body,
                        hash,
                        kind: if was_pushed {
                            PushKind::Update
                        } else {
                            PushKind::Create
                        },
                        notes,
                        released,
                    });
                }
            }
            // Already in ShipStation: a setting decides only where and how an order is created
            // there (its store, warehouse, carrier), so it cannot hold this one back; what waits
            // is its update, said once for as long as the reason stays the same.
            Decision::Hold(reason) if reason.code().is_setting() && in_shipstation => {
                if row.is_some_and(|r| r.reason_code == Some(reason.code()) && !r.retry) {
                    plan.unchanged += 1;
                } else {
                    plan.update_held.push(PlannedHold {
                        quipt_id: order.id.0.clone(),
                        reason,
                    });
                }
            }
            Decision::Hold(reason) => {
                // Planned again after a settings change and held for the same reason: nothing
                // new to record.
                let same = row.is_some_and(|r| {
                    r.state == OrderState::Held && r.reason_code == Some(reason.code()) && !r.retry
                });
                if same {
                    plan.unchanged += 1;
                } else {
                    if let Some(OrderRow {
                        ss_order_id: Some(ss_order_id),
                        split: false,
                        ..
                    }) = row
                        && reason.stops_shipping()
                    {
                        plan.hold_in_shipstation
                            .push((order.id.0.clone(), *ss_order_id));
                    }
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

/// The history's record of an order held or failed here that Quipt shipped another way (another
/// warehouse's own route, a manual shipment): shipped, its reason cleared — the operator has
/// nothing left to fix, so it leaves the held and failed orders, the health and the exit code —
/// and a timeline entry saying nothing is sent. A copy ShipStation holds from an earlier push (an
/// update it refused) is left as it is there. Pure.
pub fn shipped_in_quipt() -> Change {
    Change {
        state: OrderState::Shipped,
        reason: None,
        pushed: None,
        timeline: vec![(
            TimelineKind::ShippedInQuipt,
            "shipped in Quipt another way: nothing sent to ShipStation".into(),
        )],
    }
}

/// The history's record of an order in ShipStation whose change a setting held back, planned again
/// with nothing to send (`why`, for the timeline): still pushed, its reason cleared. Pure.
pub fn update_released(why: &str) -> Change {
    Change {
        state: OrderState::Pushed,
        reason: None,
        pushed: None,
        timeline: vec![(TimelineKind::Released, why.to_string())],
    }
}

/// Whether ShipStation may hold the order: pushed, or a push whose answer was lost (killed after
/// the call, the connection dropped on every retry) or that ShipStation failed on (a 5xx, which
/// may come after the write). A cancellation must reach it then too; the
/// cancel looks the order up first.
pub(crate) fn may_be_in_shipstation(row: &OrderRow) -> bool {
    row.ss_order_id.is_some()
        || row.state == OrderState::Pending
        || row.failed_for(&[ReasonCode::Unreachable, ReasonCode::FailsOnOrder])
}

#[cfg(test)]
mod tests {
    use rstest::rstest;
    use serde_json::{Value, json};

    use super::*;
    use crate::reference::{CarrierRef, ServiceRef, StoreRef, WarehouseRef};

    /// What the plan does with the one order of a case.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Action {
        Create,
        Update,
        Release,
        Cancel,
        Close,
        ShippedInQuipt,
        ShippedElsewhere,
        Hold(ReasonCode),
        Unchanged,
        NotSent,
        UpdateHeld(ReasonCode),
        UpdateReleased,
    }

    /// The documented example: one store per channel (Amazon, eBay, Shopify), UPS preferred.
    fn settings() -> Settings {
        let text = include_str!("../../../../../docs/settings.example.toml");
        Settings::parse(text, std::path::Path::new("docs/settings.example.toml"))
            .expect("the documented example parses")
    }

    fn reference() -> Reference {
        Reference {
            stores: vec![StoreRef {
                id: 10001,
                name: "Amazon".into(),
                active: true,
            }],
            warehouses: vec![WarehouseRef {
                id: 98765,
                name: "Reno".into(),
            }],
            carriers: vec![CarrierRef {
                code: "ups".into(),
                name: "UPS".into(),
                primary: true,
                services: vec![ServiceRef {
                    code: "ups_ground".into(),
                    name: "UPS Ground".into(),
                }],
            }],
        }
    }

    /// A well-formed Quipt order with `status`, of `channel`, changed by `edit`.
    fn order(status: u32, channel: &str, edit: &str) -> quipt::Order {
        let mut order = json!({
            "Id": "o-1", "OrderNumber": "Q-1", "Status": status,
            "Partner": {"Id": "p", "Code": channel, "Name": channel},
            "Warehouse": {"Id": "w", "Code": "98765", "DisplayName": "Reno"},
            "ShipTo": {"Attention": "Ada Lovelace", "StreetLine1": "1 Analytical Way", "City": "Reno",
                       "State": "NV", "PostalCode": "89501", "Country": {"ISO": "US"}},
            "Lines": [{"Id": "l-1", "Title": "Mug", "Ordered": {"Units": 0, "Value": 2},
                       "Price": {"Units": 0, "Value": 12.5}}]
        });
        match edit {
            "" => {}
            "no street" => order["ShipTo"]["StreetLine1"] = Value::Null,
            "new city" => order["ShipTo"]["City"] = json!("Sparks"),
            "unmatched warehouse" => order["Warehouse"]["Code"] = json!("11111"),
            "cancellation requested" => order["Lines"][0]["SubStatus"] = json!(105),
            "line on hold" => order["Lines"][0]["SubStatus"] = json!(80),
            other => panic!("unknown edit {other}"),
        }
        serde_json::from_value(order).expect("a valid Quipt order")
    }

    fn pushed_hash() -> String {
        match mapping::decide(&order(4, "Amazon", ""), &settings(), &reference()) {
            Decision::Push { body, .. } => mapping::content_hash(&body),
            other => panic!("the base order is pushed, got {other:?}"),
        }
    }

    /// The history's row: `state`, its reason, whether ShipStation has it, its status there.
    fn row(
        state: OrderState,
        reason: Option<ReasonCode>,
        ss_order_id: Option<i64>,
        ss_status: Option<&str>,
    ) -> OrderRow {
        OrderRow {
            quipt_id: "o-1".into(),
            channel: Some("Amazon".into()),
            warehouse_code: Some("98765".into()),
            reason_code: reason,
            reason: reason.map(|r| r.as_str().to_string()),
            ss_order_id,
            ss_status: ss_status.map(String::from),
            content_hash: ss_order_id.map(|_| pushed_hash()),
            ..OrderRow::sample(state)
        }
    }

    fn action(plan: &Plan) -> Action {
        let actions = [
            plan.push.first().map(|p| match (p.kind, p.released) {
                (_, true) => Action::Release,
                (PushKind::Create, false) => Action::Create,
                (PushKind::Update, false) => Action::Update,
            }),
            plan.cancel.first().map(|_| Action::Cancel),
            plan.close.first().map(|_| Action::Close),
            plan.shipped_in_quipt
                .first()
                .map(|_| Action::ShippedInQuipt),
            plan.shipped_elsewhere
                .first()
                .map(|_| Action::ShippedElsewhere),
            plan.hold.first().map(|h| Action::Hold(h.reason.code())),
            plan.not_sent.first().map(|_| Action::NotSent),
            plan.update_held
                .first()
                .map(|h| Action::UpdateHeld(h.reason.code())),
            plan.update_released.first().map(|_| Action::UpdateReleased),
            (plan.unchanged > 0).then_some(Action::Unchanged),
        ];
        let mut found = actions.into_iter().flatten();
        let first = found
            .next()
            .expect("the plan does something with the order");
        assert_eq!(found.next(), None, "one action per order: {plan:?}");
        first
    }

    use OrderState::{Cancelled, Conflict, Failed, Held, Pending, Pushed, Settled, Shipped};
    use ReasonCode::{
        CancellationRequested, MissingAddress, NoCarrierAssignmentOff, NoStoreForChannel, Rejected,
        UnmatchedWarehouse, Unreachable, WarehouseNotSynced,
    };

    const OPEN: u32 = 4;
    const VALIDATING: u32 = 2;
    const CANCELED: u32 = 16;
    const SHIPPED: u32 = 8;

    #[rstest]
    #[case::a_new_ready_order_is_created(OPEN, "Amazon", "", None, false, Action::Create)]
    #[case::a_validating_order_waits(VALIDATING, "Amazon", "", None, false, Action::Unchanged)]
    #[case::an_order_pushed_unchanged_is_not_resent(
        OPEN,
        "Amazon",
        "",
        Some(row(Pushed, None, Some(7), Some("awaiting_shipment"))),
        false,
        Action::Unchanged
    )]
    #[case::an_order_changed_in_quipt_is_updated(
        OPEN,
        "Amazon",
        "new city",
        Some(row(Pushed, None, Some(7), Some("awaiting_shipment"))),
        false,
        Action::Update
    )]
    #[case::a_change_after_shipstation_shipped_it_is_not_sent(
        OPEN,
        "Amazon",
        "new city",
        Some(row(Pushed, None, Some(7), Some("shipped"))),
        false,
        Action::NotSent
    )]
    #[case::in_shipstation_a_setting_holds_back_only_its_update(
        OPEN,
        "Walmart",
        "",
        Some(row(Pushed, None, Some(7), Some("awaiting_shipment"))),
        false,
        Action::UpdateHeld(NoStoreForChannel)
    )]
    #[case::in_shipstation_a_cancellation_request_goes_before_a_setting(
        OPEN,
        "Walmart",
        "cancellation requested",
        Some(row(Pushed, None, Some(7), Some("awaiting_shipment"))),
        false,
        Action::Hold(CancellationRequested)
    )]
    #[case::in_shipstation_its_update_held_back_for_the_same_setting_is_said_once(
        OPEN,
        "Walmart",
        "",
        Some(row(Pushed, Some(NoStoreForChannel), Some(7), Some("awaiting_shipment"))),
        true,
        Action::Unchanged
    )]
    #[case::in_shipstation_its_update_held_back_is_sent_once_the_setting_allows(
        OPEN,
        "Amazon",
        "new city",
        Some(row(Pushed, Some(NoStoreForChannel), Some(7), Some("awaiting_shipment"))),
        true,
        Action::Release
    )]
    #[case::in_shipstation_with_nothing_held_back_to_send_its_reason_is_cleared(
        OPEN,
        "Amazon",
        "",
        Some(row(Pushed, Some(NoStoreForChannel), Some(7), Some("awaiting_shipment"))),
        true,
        Action::UpdateReleased
    )]
    #[case::a_change_to_the_rest_of_a_partly_shipped_order_is_sent(
        OPEN,
        "Amazon",
        "new city",
        Some(row(Shipped, None, Some(7), Some("awaiting_shipment"))),
        false,
        Action::Update
    )]
    #[case::a_partly_shipped_order_read_again_unchanged_is_left(
        OPEN,
        "Amazon",
        "",
        Some(row(Shipped, None, Some(7), Some("awaiting_shipment"))),
        false,
        Action::Unchanged
    )]
    #[case::a_line_of_the_rest_put_on_hold_holds_the_order(
        OPEN,
        "Amazon",
        "line on hold",
        Some(row(Shipped, None, Some(7), Some("awaiting_shipment"))),
        false,
        Action::Hold(ReasonCode::LineOnHold)
    )]
    #[case::shipped_in_full_there_nothing_is_planned(
        OPEN,
        "Amazon",
        "new city",
        Some(row(Shipped, None, Some(7), Some("shipped"))),
        false,
        Action::Unchanged
    )]
    #[case::split_there_a_wait_for_a_setting_is_over_as_no_update_is_sent(
        OPEN,
        "Amazon",
        "new city",
        Some(OrderRow { split: true, ..row(Pushed, Some(NoStoreForChannel), Some(7), Some("awaiting_shipment")) }),
        false,
        Action::UpdateReleased
    )]
    #[case::split_there_a_setting_holds_back_nothing(
        OPEN,
        "Walmart",
        "new city",
        Some(OrderRow { split: true, ..row(Pushed, None, Some(7), Some("awaiting_shipment")) }),
        true,
        Action::NotSent
    )]
    #[case::closed_there_a_wait_for_a_setting_is_over(
        OPEN,
        "Walmart",
        "new city",
        Some(row(Pushed, Some(NoStoreForChannel), Some(7), Some("shipped"))),
        false,
        Action::UpdateReleased
    )]
    #[case::a_lost_answer_is_pushed_again_as_an_upsert(
        OPEN,
        "Amazon",
        "",
        Some(row(Pending, None, None, None)),
        false,
        Action::Create
    )]
    #[case::a_refused_order_is_tried_again(
        OPEN,
        "Amazon",
        "",
        Some(row(Failed, Some(Rejected), None, None)),
        false,
        Action::Create
    )]
    #[case::a_channel_without_a_store_is_held(
        OPEN,
        "Walmart",
        "",
        None,
        false,
        Action::Hold(NoStoreForChannel)
    )]
    #[case::an_order_held_for_the_same_reason_stays_as_it_is(
        OPEN,
        "Walmart",
        "",
        Some(row(Held, Some(NoStoreForChannel), None, None)),
        false,
        Action::Unchanged
    )]
    #[case::a_bad_address_is_held_for_its_data(
        OPEN,
        "Amazon",
        "no street",
        None,
        false,
        Action::Hold(MissingAddress)
    )]
    #[case::held_for_a_setting_and_the_settings_changed_it_is_released(
        OPEN,
        "Amazon",
        "",
        Some(row(Held, Some(NoStoreForChannel), None, None)),
        true,
        Action::Release
    )]
    #[case::still_held_after_a_settings_change_for_the_same_setting_nothing_new_is_recorded(
        OPEN,
        "Walmart",
        "",
        Some(row(Held, Some(NoStoreForChannel), None, None)),
        true,
        Action::Unchanged
    )]
    #[case::held_for_a_warehouse_now_synced_it_is_released(
        OPEN,
        "Amazon",
        "",
        Some(row(Held, Some(WarehouseNotSynced), None, None)),
        true,
        Action::Release
    )]
    #[case::held_while_default_carrier_assignment_was_off_it_is_released_now_it_is_on(
        OPEN,
        "Amazon",
        "",
        Some(row(Held, Some(NoCarrierAssignmentOff), None, None)),
        true,
        Action::Release
    )]
    #[case::held_for_a_warehouse_shipstation_lacks_no_answer_releases_it(
        OPEN,
        "Amazon",
        "unmatched warehouse",
        Some(row(Held, Some(UnmatchedWarehouse), None, None)),
        true,
        Action::Unchanged
    )]
    #[case::released_from_one_setting_and_held_for_another_it_is_not_sent(
        OPEN,
        "Walmart",
        "",
        Some(row(Held, Some(WarehouseNotSynced), None, None)),
        true,
        Action::Hold(NoStoreForChannel)
    )]
    #[case::held_for_its_data_a_settings_change_changes_nothing(
        OPEN,
        "Amazon",
        "no street",
        Some(row(Held, Some(MissingAddress), None, None)),
        true,
        Action::Unchanged
    )]
    #[case::held_here_and_shipped_in_quipt_another_way_it_is_closed_as_shipped(
        SHIPPED,
        "Amazon",
        "",
        Some(row(Held, Some(WarehouseNotSynced), None, None)),
        false,
        Action::ShippedInQuipt
    )]
    #[case::failed_here_and_shipped_in_quipt_another_way_it_is_closed_as_shipped(
        SHIPPED,
        "Amazon",
        "",
        Some(row(Failed, Some(Rejected), None, None)),
        false,
        Action::ShippedInQuipt
    )]
    #[case::pushed_and_shipped_in_quipt_its_shipstation_copy_is_looked_at(
        SHIPPED,
        "Amazon",
        "",
        Some(row(Pushed, None, Some(7), Some("awaiting_shipment"))),
        false,
        Action::ShippedElsewhere
    )]
    #[case::shipped_here_and_in_quipt_it_is_done(
        SHIPPED,
        "Amazon",
        "",
        Some(row(Shipped, None, Some(7), Some("shipped"))),
        false,
        Action::Unchanged
    )]
    #[case::shipped_in_quipt_and_never_seen_it_is_none_of_ours(
        SHIPPED,
        "Amazon",
        "",
        None,
        false,
        Action::Unchanged
    )]
    #[case::shipped_here_is_never_touched(
        OPEN,
        "Amazon",
        "new city",
        Some(row(Shipped, None, Some(7), Some("shipped"))),
        false,
        Action::Unchanged
    )]
    #[case::a_conflict_waits_for_the_operator(
        CANCELED,
        "Amazon",
        "",
        Some(row(Conflict, None, Some(7), None)),
        false,
        Action::Unchanged
    )]
    #[case::a_settled_conflict_is_not_cancelled_again(
        CANCELED,
        "Amazon",
        "",
        Some(row(Settled, None, Some(7), None)),
        false,
        Action::Unchanged
    )]
    #[case::a_settled_conflict_is_not_pushed_again_when_quipt_changes_it(
        OPEN,
        "Amazon",
        "new city",
        Some(row(Settled, None, Some(7), Some("shipped"))),
        false,
        Action::Unchanged
    )]
    #[case::cancelled_in_quipt_after_the_push_is_cancelled_in_shipstation(
        CANCELED,
        "Amazon",
        "",
        Some(row(Pushed, None, Some(7), Some("awaiting_shipment"))),
        false,
        Action::Cancel
    )]
    #[case::cancelled_whatever_the_mapping_says_now(
        CANCELED,
        "Walmart",
        "no street",
        Some(row(Pushed, None, Some(7), Some("awaiting_shipment"))),
        false,
        Action::Cancel
    )]
    #[case::cancelled_after_a_lost_answer_is_looked_up_and_cancelled(
        CANCELED,
        "Amazon",
        "",
        Some(row(Pending, None, None, None)),
        false,
        Action::Cancel
    )]
    #[case::cancelled_after_unanswered_pushes_too(
        CANCELED,
        "Amazon",
        "",
        Some(row(Failed, Some(Unreachable), None, None)),
        false,
        Action::Cancel
    )]
    #[case::cancelled_while_held_is_closed_here(
        CANCELED,
        "Walmart",
        "",
        Some(row(Held, Some(NoStoreForChannel), None, None)),
        false,
        Action::Close
    )]
    #[case::cancelled_before_it_was_ever_seen_is_left(
        CANCELED,
        "Amazon",
        "",
        None,
        false,
        Action::Unchanged
    )]
    #[case::cancelled_here_already_is_left(
        CANCELED,
        "Amazon",
        "",
        Some(row(Cancelled, None, Some(7), Some("cancelled"))),
        false,
        Action::Unchanged
    )]
    fn plans(
        #[case] status: u32,
        #[case] channel: &str,
        #[case] edit: &str,
        #[case] row: Option<OrderRow>,
        #[case] settings_changed: bool,
        #[case] expected: Action,
    ) {
        let order = order(status, channel, edit);
        let known = Known {
            rows: row
                .iter()
                .map(|r| (r.quipt_id.clone(), r.clone()))
                .collect(),
            settings_changed,
        };
        let plan = plan(&[order], &known, &settings(), &reference());
        assert_eq!(
            action(&plan),
            expected,
            "status {status}, channel {channel}, edit {edit:?}, row {row:?}, settings changed {settings_changed}"
        );
    }

    #[test]
    fn an_order_held_for_a_store_the_cache_lacks_asks_for_fresh_reference_data() {
        let mut reference = reference();
        reference.stores.clear();
        let plan = plan(
            &[order(OPEN, "Amazon", "")],
            &Known::default(),
            &settings(),
            &reference,
        );
        assert!(
            plan.meets_unknown_reference(),
            "store 10001 is unknown to the cache: {plan:?}"
        );
        let plan = plan_of_channel("Walmart");
        assert!(
            !plan.meets_unknown_reference(),
            "a channel without a store in the settings is not the cache's fault"
        );
    }

    #[test]
    fn the_schedule_is_not_part_of_what_the_mapping_decides_with() {
        let before = mapping_fingerprint(&settings(), &reference());
        let mut paused = settings();
        paused.schedule.paused = true;
        paused.schedule.interval_minutes = 60;
        assert_eq!(
            mapping_fingerprint(&paused, &reference()),
            before,
            "pausing releases nothing"
        );
        let mut walmart = settings();
        walmart
            .stores
            .channel_store_ids
            .insert("Walmart".into(), 10001);
        assert_ne!(
            mapping_fingerprint(&walmart, &reference()),
            before,
            "a store for a channel changes what is decided"
        );
        let mut reactivated = reference();
        reactivated.stores[0].active = false;
        assert_ne!(
            mapping_fingerprint(&settings(), &reactivated),
            before,
            "so does a store turned inactive in ShipStation"
        );
    }

    #[test]
    fn a_change_of_the_data_during_a_run_has_the_next_run_plan_every_held_order_again() {
        let before = mapping_fingerprint(&settings(), &reference());
        let mut reactivated = reference();
        reactivated.stores[0].active = false;
        let after = mapping_fingerprint(&settings(), &reactivated);
        assert_eq!(
            fingerprint_to_save(&before, &before),
            before,
            "no change: the data every hold was decided against"
        );
        let saved = fingerprint_to_save(&before, &after);
        assert!(
            saved != before && saved != after,
            "read again and changed: the next run differs whichever data it finds, so the orders \
             held against the old data are planned again: {saved}"
        );
    }

    #[test]
    fn a_hold_is_recorded_as_held_with_its_reason_in_the_timeline() {
        let hold = PlannedHold {
            quipt_id: "1".into(),
            reason: HoldReason::MissingChannel,
        };
        let reason = HoldReason::MissingChannel.reason();
        assert_eq!(
            hold.change(),
            Change {
                state: OrderState::Held,
                reason: Some(reason.clone()),
                pushed: None,
                timeline: vec![(TimelineKind::Held, reason.message)],
            },
            "the operator reads why the order waits, in its row and its timeline"
        );
    }

    fn plan_of_channel(channel: &str) -> Plan {
        plan(
            &[order(OPEN, channel, "")],
            &Known::default(),
            &settings(),
            &reference(),
        )
    }
}
