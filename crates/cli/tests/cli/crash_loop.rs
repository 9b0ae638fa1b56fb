//! Kill -9 the CLI at pseudo-random moments of its runs, at least 20 times, while a user keeps
//! working in ShipStation and Quipt; then prove from the simulators' own state that nothing was
//! duplicated or lost.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use crate::support::{Cli, assert_nothing_duplicated, text};

/// A small deterministic generator, so a failing run can be replayed.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, bound: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % bound
    }
}

/// `sync` started in the background, its output discarded, to be killed.
fn spawn_sync(cli: &Cli) -> std::process::Child {
    cli.command(&["sync"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("the binary starts")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_the_sync_at_random_moments_never_duplicates_or_loses_anything() {
    let cli = Cli::start(300).await;
    // Slow both APIs a little so that kills land inside pushes, acknowledgements and reports.
    cli.sandbox.quipt.set_latency(Duration::from_millis(8));
    cli.sandbox
        .shipstation
        .set_latency(Duration::from_millis(5));
    let template = cli
        .sandbox
        .quipt
        .orders()
        .into_iter()
        .find(|o| {
            o.status == 4
                && o.order_number.starts_with("Q1")
                && o.warehouse.as_ref().is_some_and(|w| w.code == "98765")
        })
        .expect("a ready demo order");
    let mut rng = Lcg(0x5eed);
    let mut kills = 0;
    let mut labelled: HashMap<String, String> = HashMap::new(); // order number → tracking
    let mut cancelled_in_ss: HashSet<String> = HashSet::new();
    let mut cancelled_in_quipt: HashSet<String> = HashSet::new();
    let mut round = 0;
    while kills < 20 {
        round += 1;
        assert!(round < 80, "only {kills} kills landed in {round} rounds");
        let mut child = spawn_sync(&cli);
        let deadline = Instant::now() + Duration::from_millis(20 + rng.next(900));
        let killed = tokio::task::spawn_blocking(move || {
            while Instant::now() < deadline {
                if child.try_wait().unwrap().is_some() {
                    return false;
                }
                std::thread::sleep(Duration::from_millis(5));
            }
            let killed = child.kill().is_ok(); // SIGKILL
            child.wait().unwrap();
            killed
        })
        .await
        .unwrap();
        kills += usize::from(killed);

        // Meanwhile new orders arrive and the operator works: labels, a cancellation on each side.
        for n in 0..25 {
            let mut order = template.clone();
            order.id = String::new();
            order.order_number = format!("Q-CRASH-{round:02}-{n:02}");
            // A new order is dated when it arrives, as Quipt dates it (not as the template was).
            (order.ordered_at, order.modified_at) = (cli.sandbox.now(), cli.sandbox.now());
            for line in &mut order.lines {
                line.id = String::new();
                line.acknowledgements.clear();
            }
            cli.sandbox.quipt.insert_order(order);
        }
        let ss_orders: Vec<_> = cli
            .sandbox
            .shipstation
            .all_orders()
            .into_iter()
            .filter(|o| o.active && o.order_status == "awaiting_shipment")
            .collect();
        for order in ss_orders.iter().take(3) {
            if labelled.contains_key(&order.order_number)
                || cancelled_in_quipt.contains(&order.order_number)
            {
                continue;
            }
            let tracking = format!("CRASH-{round}-{}", order.order_id);
            cli.print_label(order.order_id, &tracking);
            labelled.insert(order.order_number.clone(), tracking);
        }
        if let Some(order) = ss_orders.iter().skip(3).find(|o| {
            !labelled.contains_key(&o.order_number) && !cancelled_in_quipt.contains(&o.order_number)
        }) {
            if round % 3 == 0 {
                cli.sandbox
                    .shipstation
                    .cancel_order(order.order_id)
                    .unwrap();
                cancelled_in_ss.insert(order.order_number.clone());
            } else if round % 3 == 1 && !cancelled_in_ss.contains(&order.order_number) {
                let quipt_id = order.order_key.trim_start_matches("quipt-").to_string();
                if cli
                    .sandbox
                    .quipt
                    .cancel_order(&quipt_id, "buyer cancelled")
                    .is_ok()
                {
                    cancelled_in_quipt.insert(order.order_number.clone());
                }
            }
        }
    }

    // Let the connector finish its work.
    for _ in 0..3 {
        let out = cli.run(&["sync"]).await;
        assert!(
            matches!(out.status.code(), Some(0 | 2)),
            "the final run completes: {}{}",
            text(&out.stdout),
            text(&out.stderr)
        );
    }

    let ss = cli.sandbox.shipstation.all_orders();
    let quipt = cli.sandbox.quipt.orders();

    // Nothing duplicated in ShipStation, no line accepted twice, every label's tracking once.
    let keys = assert_nothing_duplicated(&cli.sandbox, &labelled);

    // Nothing lost: every ready Quipt order is in ShipStation or held with a reason.
    let held = text(&cli.run(&["history", "--held", "--csv"]).await.stdout);
    for order in quipt.iter().filter(|o| o.status == 4) {
        let pushed = keys.contains(&format!("quipt-{}", order.id));
        let soft_cancelled = order.lines.iter().all(|l| l.sub_status == Some(95));
        assert!(
            pushed || soft_cancelled || held.contains(&order.id),
            "ready order {} was lost",
            order.order_number
        );
    }

    // Each ShipStation cancellation applied once.
    let by_number: HashMap<&str, &sandbox::quipt::SimOrder> =
        quipt.iter().map(|o| (o.order_number.as_str(), o)).collect();
    for number in &cancelled_in_ss {
        let order = by_number[number.as_str()];
        let cancels = order
            .cancellations
            .iter()
            .filter(|c| c.kind == "Shipment")
            .count();
        assert_eq!(
            cancels, 1,
            "{number} was cancelled in ShipStation; Quipt got {cancels} soft cancels"
        );
    }
    for number in &cancelled_in_quipt {
        let status = ss
            .iter()
            .find(|o| &o.order_number == number && o.active)
            .map(|o| o.order_status.as_str());
        assert_eq!(
            status,
            Some("cancelled"),
            "{number} was cancelled in Quipt and must be cancelled in ShipStation"
        );
    }
    println!(
        "crash loop: {kills} kills in {round} rounds, {} labels, {} + {} cancellations",
        labelled.len(),
        cancelled_in_ss.len(),
        cancelled_in_quipt.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kill_in_the_middle_of_the_acknowledgement_backlog_and_a_rerun_accept_every_order_exactly_once()
 {
    let cli = Cli::start(200).await;
    // Quipt answers slowly enough for the kill to land among the acknowledgements.
    cli.sandbox.quipt.set_latency(Duration::from_millis(15));
    let accepted = |cli: &Cli| cli.sandbox.quipt.stats().effects.acknowledge;
    let mut child = spawn_sync(&cli);
    let deadline = Instant::now() + Duration::from_secs(120);
    while accepted(&cli).len() < 20 {
        assert!(
            Instant::now() < deadline,
            "the run reaches its acknowledgements"
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run ended before 20 acknowledgements"
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    child.kill().expect("SIGKILL");
    child.wait().unwrap();
    let at_kill = accepted(&cli).len();

    let status = text(&cli.run(&["status"]).await.stdout);
    assert!(
        status.contains("acknowledging ") && status.contains(" orders in Quipt"),
        "status names the backlog left by the killed run: {status}"
    );
    cli.sandbox.quipt.set_latency(Duration::ZERO);
    let out = cli.run(&["sync"]).await;
    assert!(
        matches!(out.status.code(), Some(0 | 2)),
        "the rerun completes: {}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let status = text(&cli.run(&["status"]).await.stdout);
    assert!(
        !status.contains("acknowledging "),
        "the rerun worked the backlog off: {status}"
    );

    let accepted = accepted(&cli);
    assert!(
        at_kill < accepted.len(),
        "the kill landed in the middle of the backlog ({at_kill} of {} accepted)",
        accepted.len()
    );
    let twice: Vec<_> = accepted.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "orders accepted twice: {twice:?}");
    let keys = assert_nothing_duplicated(&cli.sandbox, &HashMap::new());
    for order in cli.sandbox.quipt.orders().iter().filter(|o| o.status == 4) {
        if keys.contains(&format!("quipt-{}", order.id)) {
            assert_eq!(
                accepted.get(&order.id),
                Some(&1),
                "order {} is in ShipStation and must be accepted in Quipt exactly once",
                order.order_number
            );
        }
    }
}
