//! Thirty simulated days (issue 12, SPEC §2) on one clock for every world, crossing the end of US
//! daylight saving time (2026-11-01, when ShipStation's Pacific wall clock repeats an hour), with
//! a run every simulated hour: 720 runs. Each day new orders arrive (one to three lines), labels
//! are printed (several packages for orders of several lines), a label is voided hours later,
//! an order is cancelled on each side; day 5 ShipStation is down for an hour; a new channel's
//! orders are held until day 10, when it gets its store in the settings; day 20 Shopify's store
//! is deactivated, and cancellations of its orders made in Quipt still reach ShipStation. At every
//! simulated midnight and at the end, from both simulators' own state: every eligible order in
//! ShipStation once, every live label's tracking in Quipt exactly once and every voided one
//! withdrawn, every cancellation applied once, each order accepted once, the reconciliation
//! clean, and nothing held that could flow.

use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

use chrono::{DateTime, Duration, TimeZone, Utc};
use connector::clock::{Clock, ManualClock};
use connector::store::orders::{OrderFilter, OrderState};
use connector::{Connector, RunOutcome, RunSummary, Trigger};
use sandbox::quipt::{NewOrders, SimOrder};
use sandbox::shipstation::StoreRecord;

use crate::support::{self, World};

/// Midnight UTC, 12 days before US daylight saving time ends (2026-11-01 09:00 UTC).
fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 10, 20, 0, 0, 0).unwrap()
}

const DAYS: i64 = 30;
/// The channel that appears on day 3 and gets its store on day 10.
const NEW_CHANNEL: (&str, &str, i64) = ("WMT", "Walmart", 10004);
/// The store deactivated on day 20, and its channel.
const DEACTIVATED: (i64, &str) = (10003, "Shopify");

/// What the test did, to check the worlds against.
#[derive(Default)]
struct Story {
    /// Quipt id → the labels printed for it: (shipmentId, tracking number, voided).
    labels: BTreeMap<String, Vec<(i64, String, bool)>>,
    /// Quipt ids cancelled in ShipStation by a user.
    cancelled_in_shipstation: Vec<String>,
    /// Quipt ids cancelled in Quipt by a user.
    cancelled_in_quipt: Vec<String>,
    /// Quipt id → the day it arrived.
    arrived: BTreeMap<String, i64>,
    /// The tracking number of the label voided last.
    last_void: Option<String>,
    /// Quipt cancellations of orders whose store was deactivated.
    cancelled_past_deactivation: usize,
    /// Order number → ShipStation's updates of the order when it was cancelled in Quipt.
    updates_before_cancel: BTreeMap<String, u32>,
}

struct Soak {
    world: World,
    clock: ManualClock,
    connector: Connector,
    story: Story,
    runs: u32,
    /// Cancellations every run sent to ShipStation, summed.
    cancels_sent: u64,
}

impl Soak {
    async fn run(&mut self) -> RunSummary {
        let summary = support::run(&self.connector, Trigger::Schedule).await;
        self.runs += 1;
        self.cancels_sent += summary.cancelled_in_shipstation;
        summary
    }

    /// Moves every world to `at` (a client's waits may have moved them a little past it already).
    fn advance_to(&self, at: DateTime<Utc>) {
        let by = at - self.clock.now();
        if by > Duration::zero() {
            self.clock.advance(by);
        }
    }

    fn new_orders(&mut self, day: i64, partner: &str, lines: usize) -> SimOrder {
        let order = self
            .world
            .sandbox
            .quipt
            .new_orders(&NewOrders {
                count: 1,
                partner: Some(partner.into()),
                warehouse: Some("98765".into()),
                lines,
                ..NewOrders::default()
            })
            .expect("the channel and warehouse exist")
            .remove(0);
        self.story.arrived.insert(order.id.clone(), day);
        order
    }

    /// The active ShipStation order of a Quipt order, when it was pushed.
    fn shipstation_order(&self, quipt_id: &str) -> Option<sandbox::shipstation::OrderSnapshot> {
        let key = format!("quipt-{quipt_id}");
        self.world
            .sandbox
            .shipstation
            .all_orders()
            .into_iter()
            .find(|o| o.active && o.order_key == key)
    }

    /// Quipt orders that are still open, pushed, unlabelled and not cancelled, oldest first.
    fn waiting(&self, channel: Option<&str>) -> Vec<SimOrder> {
        let awaiting: std::collections::HashSet<String> = self
            .world
            .sandbox
            .shipstation
            .all_orders()
            .into_iter()
            .filter(|o| o.active && o.order_status == "awaiting_shipment")
            .map(|o| o.order_key)
            .collect();
        let quipt = self.world.sandbox.quipt.orders();
        quipt
            .into_iter()
            .filter(|o| o.status == 4 && o.lines.iter().all(|l| l.sub_status != Some(95)))
            .filter(|o| !self.story.labels.contains_key(&o.id))
            .filter(|o| channel.is_none_or(|c| o.partner.as_ref().is_some_and(|p| p.name == c)))
            .filter(|o| awaiting.contains(&format!("quipt-{}", o.id)))
            .collect()
    }

    /// Prints one label per line but the last of each order that arrived the day before (all
    /// lines of a one-line order), or with `all_lines` the rest; orders whose number ends in 0, 3,
    /// 5 or 8 wait unlabelled (some are cancelled), and three-line orders that arrived on an even day never get their
    /// third package (they keep waiting for it, in ShipStation too).
    fn print_labels(&mut self, day: i64, all_lines: bool) {
        let quipt = self.world.sandbox.quipt.orders();
        for order in quipt.iter().filter(|o| {
            self.story.arrived.get(&o.id) == Some(&(day - 1))
                && !o.order_number.ends_with(['0', '3', '5', '8'])
        }) {
            let Some(ss) = self.shipstation_order(&order.id) else {
                continue; // held
            };
            if ss.order_status != "awaiting_shipment" {
                continue;
            }
            let printed = self.story.labels.get(&order.id).map_or(0, Vec::len);
            let lines: Vec<_> = if all_lines {
                if order.lines.len() == 3 && (day - 1) % 2 == 0 {
                    continue;
                }
                order.lines.iter().skip(printed).collect()
            } else if printed > 0 {
                continue;
            } else {
                order
                    .lines
                    .iter()
                    .take(order.lines.len().max(2) - 1)
                    .collect()
            };
            for line in lines {
                let count: usize = self.story.labels.values().map(Vec::len).sum();
                let tracking = format!("1ZSOAK{count:05}");
                let shipment = self
                    .world
                    .sandbox
                    .shipstation
                    .create_label(
                        ss.order_id,
                        support::package(&tracking, &line.id, line.ordered.value as i64),
                    )
                    .expect("ShipStation prints the label");
                self.story
                    .labels
                    .entry(order.id.clone())
                    .or_default()
                    .push((shipment, tracking, false));
            }
        }
    }

    /// The label voided last is withdrawn in Quipt (checked on the run after the void).
    fn assert_last_void_withdrawn(&self, when: &str) {
        let Some(tracking) = &self.story.last_void else {
            return;
        };
        let quipt = self.world.sandbox.quipt.orders();
        let live = quipt
            .iter()
            .flat_map(|o| &o.shipments)
            .any(|s| s.tracking_number.as_ref() == Some(tracking) && !s.voided);
        assert!(
            !live,
            "{when}: label {tracking} voided an hour ago is still live in Quipt"
        );
    }

    /// Voids a label printed the day before, since when newer labels were printed: of an order
    /// that keeps other packages when there is one, so that ShipStation does not modify the
    /// order (it still awaits a package) and only the void date tells.
    fn void_a_label(&mut self, day: i64) {
        let candidates: Vec<(String, usize)> = self
            .story
            .labels
            .iter()
            .filter(|(id, labels)| {
                self.story.arrived.get(*id) == Some(&(day - 2)) && labels.iter().all(|l| !l.2)
            })
            .map(|(id, labels)| (id.clone(), labels.len()))
            .collect();
        let Some((id, _)) = candidates.iter().max_by_key(|(_, n)| *n).cloned() else {
            return;
        };
        let label = &mut self.story.labels.get_mut(&id).unwrap()[0];
        self.world
            .sandbox
            .shipstation
            .void_shipment(label.0)
            .expect("ShipStation voids the label");
        label.2 = true;
        self.story.last_void = Some(label.1.clone());
    }

    fn cancel_one_on_each_side(&mut self, day: i64) {
        // After day 20 the Quipt cancellation is of an order of the deactivated store's channel.
        let channel = (day > 20).then_some(DEACTIVATED.1);
        if let Some(order) = self.waiting(channel).first() {
            let updates = self.shipstation_updates(&order.order_number);
            self.world
                .sandbox
                .quipt
                .cancel_order(&order.id, "buyer cancelled")
                .expect("Quipt cancels the order");
            self.story.cancelled_in_quipt.push(order.id.clone());
            self.story
                .updates_before_cancel
                .insert(order.order_number.clone(), updates);
            self.story.cancelled_past_deactivation += usize::from(channel.is_some());
        }
        if let Some(order) = self
            .waiting(None)
            .into_iter()
            .find(|o| o.partner.as_ref().is_some_and(|p| p.name != DEACTIVATED.1))
        {
            let ss = self.shipstation_order(&order.id).unwrap();
            self.world
                .sandbox
                .shipstation
                .cancel_order(ss.order_id)
                .expect("ShipStation cancels the order");
            self.story.cancelled_in_shipstation.push(order.id.clone());
        }
    }

    /// How many times ShipStation updated the order numbered `order_number` (create calls on an
    /// existing order).
    fn shipstation_updates(&self, order_number: &str) -> u32 {
        let stats = self.world.sandbox.shipstation.stats();
        stats
            .effects
            .updated
            .get(order_number)
            .copied()
            .unwrap_or(0)
    }

    /// Every promise, from the simulators' own state and the history.
    async fn check(&self, when: &str) {
        let quipt = self.world.sandbox.quipt.orders();
        let by_id: HashMap<&str, &SimOrder> = quipt.iter().map(|o| (o.id.as_str(), o)).collect();
        let ss = self.world.sandbox.shipstation.all_orders();

        // Every eligible order in ShipStation, once.
        let mut keys: HashMap<&str, usize> = HashMap::new();
        for order in ss.iter().filter(|o| o.active) {
            *keys.entry(order.order_key.as_str()).or_default() += 1;
        }
        let twice: Vec<_> = keys.iter().filter(|(_, n)| **n > 1).collect();
        assert!(twice.is_empty(), "{when}: orders pushed twice: {twice:?}");
        let held: HashMap<String, String> = self
            .connector
            .orders(&OrderFilter {
                state: Some(OrderState::Held),
                ..OrderFilter::default()
            })
            .unwrap()
            .into_iter()
            .map(|o| (o.quipt_id, o.channel.unwrap_or_default()))
            .collect();
        let settings = self.connector.settings();
        let flows = |channel: &str| {
            settings.stores.channel_store_ids.contains_key(channel)
                && !(channel == DEACTIVATED.1 && when_after_day(when, 20))
        };
        for order in quipt.iter().filter(|o| o.status == 4) {
            if order.lines.iter().all(|l| l.sub_status == Some(95)) {
                continue;
            }
            let channel = order.partner.as_ref().map_or("", |p| p.name.as_str());
            let pushed = keys.contains_key(format!("quipt-{}", order.id).as_str());
            if pushed {
                continue;
            }
            assert!(
                held.contains_key(&order.id) && !flows(channel),
                "{when}: ready order {} of {channel} is neither in ShipStation nor held for a reason that still holds",
                order.order_number
            );
        }
        for (id, channel) in &held {
            assert!(
                !flows(channel),
                "{when}: order {id} of {channel} is held although it could flow"
            );
        }

        // Every live label's tracking in Quipt exactly once; every voided one withdrawn.
        for (id, labels) in &self.story.labels {
            let order = by_id[id.as_str()];
            for (_, tracking, voided) in labels {
                let reported: Vec<_> = order
                    .shipments
                    .iter()
                    .filter(|s| s.tracking_number.as_deref() == Some(tracking))
                    .collect();
                if *voided {
                    assert!(
                        reported.iter().all(|s| s.voided),
                        "{when}: voided label {tracking} of {} is still live in Quipt",
                        order.order_number
                    );
                } else {
                    assert!(
                        reported.len() == 1 && !reported[0].voided,
                        "{when}: live label {tracking} of {} is in Quipt {} times",
                        order.order_number,
                        reported.len()
                    );
                }
            }
        }

        // Every cancellation applied once.
        let effects = self.world.sandbox.quipt.stats().effects;
        for id in &self.story.cancelled_in_shipstation {
            let order = by_id[id.as_str()];
            assert_eq!(
                effects.cancel_shipment.get(id),
                Some(&1),
                "{when}: {} was cancelled in ShipStation and must be soft-cancelled in Quipt once",
                order.order_number
            );
        }
        for id in &self.story.cancelled_in_quipt {
            let ss = ss
                .iter()
                .find(|o| o.active && o.order_key == format!("quipt-{id}"))
                .expect("the order was pushed before it was cancelled");
            let number = &by_id[id.as_str()].order_number;
            assert_eq!(
                ss.order_status, "cancelled",
                "{when}: {number} was cancelled in Quipt and must be cancelled in ShipStation",
            );
            assert_eq!(
                i64::from(self.shipstation_updates(number))
                    - i64::from(self.story.updates_before_cancel[number]),
                1,
                "{when}: {number} was cancelled in Quipt and must be sent to ShipStation once",
            );
        }
        for (kind, counts) in [
            ("accepted", &effects.acknowledge),
            ("shipped", &effects.ship),
            ("voided", &effects.void),
            ("soft-cancelled", &effects.cancel_shipment),
            ("rejected", &effects.reject),
        ] {
            let twice: Vec<_> = counts.iter().filter(|(_, n)| **n > 1).collect();
            if kind == "shipped" || kind == "voided" {
                // Several packages: one effect per package, never more than the labels printed.
                for (id, n) in counts {
                    let labels = self.story.labels.get(id).map_or(0, Vec::len) as u32;
                    assert!(
                        *n <= labels,
                        "{when}: order {id} {kind} {n} times for {labels} labels"
                    );
                }
            } else {
                assert!(twice.is_empty(), "{when}: orders {kind} twice: {twice:?}");
            }
        }
        assert_eq!(
            self.connector.status().unwrap().acknowledging,
            0,
            "{when}: no acknowledgement left behind"
        );

        let report = self
            .connector
            .reconcile()
            .await
            .expect("both sides are read");
        assert!(
            report.is_clean(),
            "{when}: the reconciliation finds {} missing in ShipStation, {} shipped without tracking, {} cancelled on one side",
            report.missing_in_shipstation.len(),
            report.shipped_without_tracking.len(),
            report.cancel_mismatch.len()
        );
    }
}

/// Whether the check named `when` ("day N midnight", "the end") is after day `day`'s events.
fn when_after_day(when: &str, day: i64) -> bool {
    when.strip_prefix("day ")
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse::<i64>().ok())
        .is_none_or(|n| n > day)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn soak_thirty_simulated_days_across_the_end_of_daylight_saving_keep_every_promise() {
    let started = Instant::now();
    let world = World::starting(0, Some(start())).await;
    let clock = world.clock();
    let connector = world.connector_on(&clock);
    let mut soak = Soak {
        world,
        clock,
        connector,
        story: Story::default(),
        runs: 0,
        cancels_sent: 0,
    };
    // Day 5's hour-long ShipStation outage: the run in it, and the first run after it.
    let mut during_outage = None;
    let mut after_outage = None;
    let channels = ["AMZ", "EBAY", "SHOP"];
    let mut n = 0usize;
    for day in 0..DAYS {
        for hour in 0..24 {
            let at = start() + Duration::days(day) + Duration::hours(hour);
            soak.advance_to(at);
            match hour {
                1 => {
                    for _ in 0..7 {
                        n += 1;
                        soak.new_orders(day, channels[n % 3], 1 + n % 3);
                    }
                    if (3..10).contains(&day) {
                        soak.world
                            .sandbox
                            .quipt
                            .add_partner(NEW_CHANNEL.0, NEW_CHANNEL.1);
                        soak.new_orders(day, NEW_CHANNEL.0, 2);
                    }
                }
                4 => soak.print_labels(day, false),
                9 => soak.void_a_label(day),
                11 => soak.cancel_one_on_each_side(day),
                12 if day == 5 => {
                    soak.world
                        .sandbox
                        .shipstation
                        .outage_until(at + Duration::hours(1), Some(503));
                }
                16 => soak.print_labels(day, true),
                _ => {}
            }
            if hour == 6 && day == 10 {
                // The new channel gets its store in ShipStation and in the settings.
                let mut stores: Vec<StoreRecord> = sandbox::demo_data::SHIPSTATION_STORES
                    .iter()
                    .map(|(id, name, active)| store(*id, name, *active))
                    .collect();
                stores.push(store(NEW_CHANNEL.2, "Walmart Store", true));
                soak.world.sandbox.shipstation.set_stores(stores);
                soak.world
                    .settings
                    .stores
                    .channel_store_ids
                    .insert(NEW_CHANNEL.1.into(), NEW_CHANNEL.2);
                soak.connector = soak.world.connector_on(&soak.clock);
            }
            if hour == 6 && day == 20 {
                soak.world
                    .sandbox
                    .shipstation
                    .set_store_active(DEACTIVATED.0, false)
                    .unwrap();
            }
            let summary = soak.run().await;
            match (day, hour) {
                (5, 12) => during_outage = Some(summary),
                (5, 13) => after_outage = Some(summary),
                _ => {}
            }
            if hour == 10 {
                soak.assert_last_void_withdrawn(&format!("day {day} 10:00"));
            }
        }
        soak.check(&format!("day {} midnight", day + 1)).await;
    }
    soak.advance_to(start() + Duration::days(DAYS) + Duration::hours(1));
    soak.run().await;
    soak.check("the end").await;

    assert_eq!(
        soak.runs,
        24 * DAYS as u32 + 1,
        "a run every simulated hour"
    );
    let during = during_outage.expect("a run in the outage");
    assert_eq!(
        during.outcome,
        RunOutcome::Failed,
        "the run while ShipStation was down fails, and says so: {:?}",
        during.error
    );
    assert!(
        during.error.as_deref().is_some_and(|e| e.contains("503")),
        "the failed run names ShipStation's answer: {:?}",
        during.error
    );
    let after = after_outage.expect("a run after the outage");
    assert_ne!(
        after.outcome,
        RunOutcome::Failed,
        "the first run after the outage goes through: {:?}",
        after.error
    );
    assert_eq!(
        soak.cancels_sent,
        soak.story.cancelled_in_quipt.len() as u64,
        "every Quipt cancellation was sent to ShipStation once, over all the runs"
    );
    assert!(
        soak.story.cancelled_past_deactivation > 0
            && soak.story.labels.values().any(|l| l.len() >= 3),
        "the story had Quipt cancellations of the deactivated store's orders and three-package orders"
    );
    println!(
        "soak: {} runs over {DAYS} simulated days in {:.1} s; {} orders, {} labelled, {} + {} cancellations",
        soak.runs,
        started.elapsed().as_secs_f64(),
        soak.story.arrived.len(),
        soak.story.labels.len(),
        soak.story.cancelled_in_shipstation.len(),
        soak.story.cancelled_in_quipt.len()
    );
}

fn store(id: i64, name: &str, active: bool) -> StoreRecord {
    StoreRecord {
        store_id: id,
        store_name: name.into(),
        marketplace_id: 0,
        marketplace_name: "ShipStation".into(),
        active,
    }
}
