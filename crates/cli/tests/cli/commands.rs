use serde_json::Value;

use crate::support::{Cli, output, text, without_keyring};

#[tokio::test]
async fn sync_exits_2_and_lists_the_held_orders_when_some_are_held() {
    let cli = Cli::start(40).await;
    let out = cli.run(&["sync"]).await;
    let stdout = text(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(2),
        "held orders give exit code 2: {stdout}{}",
        text(&out.stderr)
    );
    assert!(
        stdout.contains("needs attention"),
        "the held orders are listed: {stdout}"
    );
    assert!(
        stdout.contains("Q-MAL-NO-SHIPTO"),
        "with their numbers: {stdout}"
    );
    assert!(
        stdout.contains("the order has no shipping address: add it in Quipt"),
        "and their reasons: {stdout}"
    );
}

#[tokio::test]
async fn sync_exits_0_when_every_order_flows_and_json_gives_the_summary() {
    let cli = Cli::start(0).await;
    let out = cli.run(&["sync", "--json"]).await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let summary: Value = serde_json::from_slice(&out.stdout).expect("--json prints JSON");
    assert_eq!(summary["outcome"], "ok");
    assert!(
        summary["shipstation_calls"].as_u64().unwrap() > 0,
        "the summary counts API calls"
    );
}

#[tokio::test]
async fn sync_dry_run_prints_the_counts_of_what_it_would_do_and_how_many_it_did_not_list() {
    let cli = Cli::start(200).await;
    let out = cli.run(&["sync", "--dry-run", "--json"]).await;
    let summary: Value = serde_json::from_slice(&out.stdout).expect("--json prints JSON");
    let created = summary["created"].as_u64().unwrap();
    let held = summary["held"].as_u64().unwrap();
    let listed = summary["preview"].as_array().unwrap().len() as u64;
    let more = summary["preview_more"].as_u64().unwrap();
    assert!(
        created > 0,
        "the orders that would be created are counted: {summary}"
    );
    assert_eq!(
        listed + more,
        created + held,
        "each counted order is listed or among the more"
    );

    let out = cli.run(&["sync", "--dry-run"]).await;
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains(&format!("{created} created")) && stdout.contains(&format!("{held} held")),
        "the text says the same counts: {stdout}"
    );
    assert!(
        stdout.contains(&format!("…and {more} more orders")),
        "and how many it did not list: {stdout}"
    );
}

#[tokio::test]
async fn sync_exits_1_with_the_reason_when_shipstation_refuses_the_keys() {
    let cli = Cli::start(0).await;
    let mut cmd = cli.command(&["sync"]);
    cmd.env("SHIPSTATION_API_SECRET", "not-the-secret");
    let out = tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap();
    let stdout = text(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a refused key fails the run: {stdout}"
    );
    assert!(
        stdout.to_lowercase().contains("401") || stdout.to_lowercase().contains("unauthorized"),
        "the reason is shown: {stdout}"
    );
    assert!(
        !stdout.contains("not-the-secret") && !text(&out.stderr).contains("not-the-secret"),
        "the secret is never printed"
    );
}

#[tokio::test]
async fn invalid_settings_exit_1_and_say_what_to_fix() {
    let cli = Cli::start(0).await;
    cli.write_settings(
        &crate::support::default_settings()
            .replace("preferred = \"ups\"", "preferred = \"usps\"")
            .replace("usps_supported = true", "usps_supported = false"),
    );
    let out = cli.run(&["sync"]).await;
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("usps_supported is false"),
        "the message names the rule: {stderr}"
    );
    cli.write_settings(&format!(
        "{}\n[extra]\ntypo = 1\n",
        crate::support::default_settings()
    ));
    let out = cli.run(&["check"]).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("extra"),
        "an unknown key is named: {}",
        text(&out.stderr)
    );
}

#[tokio::test]
async fn check_walks_the_wizard_steps_against_the_live_apis() {
    let cli = Cli::start(5).await;
    let out = cli.run(&["check"]).await;
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    for step in [
        "quipt_api_user",
        "shipstation_keys",
        "stores",
        "carrier",
        "warehouses",
    ] {
        assert!(stdout.contains(step), "step {step} is checked: {stdout}");
    }
    assert!(
        stdout.contains("55555") && stdout.contains("unmatched"),
        "the unmatched Quipt warehouse is shown: {stdout}"
    );
}

#[tokio::test]
async fn history_status_retry_and_reconcile_tell_the_same_story() {
    let cli = Cli::start(40).await;
    cli.run(&["sync"]).await;

    let csv = cli.run(&["history", "--held", "--csv"]).await;
    let csv = text(&csv.stdout);
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert!(rows.len() >= 5, "the held orders are exported: {csv}");
    assert!(
        rows.iter().all(|r| r.contains(",held,")),
        "only held orders: {csv}"
    );

    let status = cli.run(&["status", "--json"]).await;
    assert_eq!(status.status.code(), Some(2), "amber health exits 2");
    let status: Value = serde_json::from_slice(&status.stdout).unwrap();
    assert_eq!(status["health"], "warning");
    assert_eq!(
        status["attention"].as_array().unwrap().len(),
        rows.len(),
        "the dashboard and the export agree"
    );

    let timeline = text(
        &cli.run(&["history", "--order", "Q-MAL-NO-SHIPTO"])
            .await
            .stdout,
    );
    assert!(
        timeline.contains("held"),
        "the timeline explains the order: {timeline}"
    );

    let reconcile = cli.run(&["reconcile", "--json"]).await;
    assert_eq!(
        reconcile.status.code(),
        Some(2),
        "held orders need the operator, even when the sides agree"
    );
    let report: Value = serde_json::from_slice(&reconcile.stdout).unwrap();
    assert_eq!(report["held"].as_array().unwrap().len(), rows.len());
    assert!(
        report["missing_in_shipstation"]
            .as_array()
            .unwrap()
            .is_empty(),
        "every ready order not held is in ShipStation: {report}"
    );

    let status = text(&cli.run(&["status"]).await.stdout);
    assert!(
        status.contains("last reconciliation: clean at")
            && status.contains(&format!("(on_demand); {} held or failed", rows.len())),
        "status shows the reconciliation just recorded, clean, with the held orders apart: {status}"
    );

    let unknown = cli.run(&["retry", "Q-NO-SUCH-ORDER"]).await;
    assert_eq!(
        unknown.status.code(),
        Some(1),
        "retrying an order the history does not hold exits 1: {}",
        text(&unknown.stdout)
    );
    assert!(
        text(&unknown.stderr).contains("no order with this number"),
        "and says so: {}",
        text(&unknown.stderr)
    );
    let one = cli.run(&["retry", "Q-MAL-NO-SHIPTO"]).await;
    assert!(
        one.status.success() && text(&one.stdout).contains("1 order(s) queued"),
        "one held order is queued by its number: {}",
        text(&one.stdout)
    );

    let all = text(&cli.run(&["history", "--csv"]).await.stdout);
    let pushed = all
        .lines()
        .find(|r| r.contains(",pushed,"))
        .and_then(|r| r.split(',').next())
        .expect("an order went to ShipStation")
        .to_string();
    let calm = cli.run(&["retry", &pushed]).await;
    assert!(
        calm.status.success()
            && text(&calm.stdout).contains(&format!(
                "order {pushed} is pushed: nothing failed to redo; the next run reads it again"
            )),
        "an order that needs nothing is not said to be queued for a fix: {}",
        text(&calm.stdout)
    );

    let retry = cli.run(&["retry", "--all"]).await;
    assert!(
        text(&retry.stdout).contains(&format!("{} order(s) queued", rows.len())),
        "{}",
        text(&retry.stdout)
    );
}

#[tokio::test]
async fn settle_closes_a_conflict_with_exit_0_and_refuses_anything_else_with_exit_1() {
    let cli = Cli::start(40).await;
    cli.run(&["sync"]).await;
    // Shipped in ShipStation, then cancelled in Quipt: settle it with the buyer.
    let order = cli
        .sandbox
        .shipstation
        .all_orders()
        .into_iter()
        .find(|o| o.active && o.order_status == "awaiting_shipment")
        .expect("the sync pushed orders");
    cli.print_label(order.order_id, "SETTLE-1");
    let quipt_id = order.order_key.trim_start_matches("quipt-").to_string();
    cli.sandbox
        .quipt
        .cancel_order(&quipt_id, "buyer cancelled too late")
        .expect("Quipt cancels the open order");
    cli.run(&["sync"]).await;
    let number = order.order_number.as_str();
    let in_attention = |status: &Value| {
        status["attention"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["order_number"] == number)
    };
    let status: Value =
        serde_json::from_slice(&cli.run(&["status", "--json"]).await.stdout).unwrap();
    assert!(
        in_attention(&status),
        "the conflict needs attention: {status}"
    );

    // A local command: no credential and no keyring needed.
    let mut settle = cli.command(&["settle", number, "--note", "buyer keeps it, refunded"]);
    without_keyring(&mut settle, cli.dir.path());
    let settled = output(settle).await;
    assert_eq!(
        settled.status.code(),
        Some(0),
        "settling a conflict exits 0: {}{}",
        text(&settled.stdout),
        text(&settled.stderr)
    );
    assert!(
        text(&settled.stdout).contains("settled"),
        "the operator is told: {}",
        text(&settled.stdout)
    );
    let status: Value =
        serde_json::from_slice(&cli.run(&["status", "--json"]).await.stdout).unwrap();
    assert!(
        !in_attention(&status),
        "the settled order needs no attention any more: {status}"
    );
    let timeline = text(&cli.run(&["history", "--order", number]).await.stdout);
    assert!(
        timeline.contains("buyer keeps it, refunded"),
        "the timeline keeps the operator's note: {timeline}"
    );

    for (args, why) in [
        (vec!["settle", number], "settled, not in conflict"),
        (vec!["settle", "Q-MAL-NO-SHIPTO"], "held, not in conflict"),
        (vec!["settle", "Q-NO-SUCH-ORDER"], "no order"),
        (vec!["retry", number], "is settled: nothing to retry"),
    ] {
        let refused = cli.run(&args).await;
        assert_eq!(
            refused.status.code(),
            Some(1),
            "{args:?} is refused with exit 1: {}",
            text(&refused.stderr)
        );
        assert!(
            text(&refused.stderr).contains(why),
            "{args:?}: the refusal says why ({why}): {}",
            text(&refused.stderr)
        );
    }
}

#[tokio::test]
async fn authorize_completes_quipts_oauth_flow_through_the_loopback_callback() {
    let cli = Cli::start(0).await;
    let mut cmd = cli.command(&["authorize"]);
    cmd.env_remove("QUIPT_ACCESS_TOKEN")
        .env_remove("QUIPT_ACCESS_TOKEN_SECRET");
    cmd.stdout(std::process::Stdio::piped())
        .stdin(std::process::Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    // Read everything the command prints (a closed pipe would kill it), handing over the URL.
    let (url_tx, url_rx) = tokio::sync::oneshot::channel();
    let output = tokio::task::spawn_blocking(move || {
        use std::io::BufRead;
        let mut url_tx = Some(url_tx);
        let mut lines = Vec::new();
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if line.starts_with("http")
                && let Some(tx) = url_tx.take()
            {
                let _ = tx.send(line.clone());
            }
            lines.push(line);
        }
        lines
    });
    let url = url_rx.await.expect("the authorization URL is printed");
    let token = url
        .split("oauth_token=")
        .nth(1)
        .expect("the URL carries the request token")
        .to_string();
    // The user logs in as the API user and approves; Quipt redirects the browser to our callback.
    let form = reqwest::Client::new()
        .post(format!("{}/oauth/authorize", cli.sandbox.quipt_url()))
        .form(&[
            ("oauth_token", token.as_str()),
            ("email", sandbox::demo_data::QUIPT_API_USER_EMAIL),
            ("password", sandbox::demo_data::QUIPT_API_USER_PASSWORD),
        ])
        .send()
        .await
        .expect("the approval reaches the loopback callback");
    assert!(
        form.status().is_success(),
        "the callback page answers: {}",
        form.status()
    );
    let status = tokio::task::spawn_blocking(move || child.wait().unwrap())
        .await
        .unwrap();
    let printed = output.await.unwrap().join("\n");
    assert!(
        status.success(),
        "authorize stores the access token: {printed}"
    );
    assert!(
        printed.contains("authorized"),
        "the user is told: {printed}"
    );
    let stored =
        connector::credentials::read(connector::credentials::CredentialName::QuiptAccessToken)
            .expect("the keyring is readable")
            .expect("the access token is in the keyring");
    assert!(!stored.expose_secret().is_empty());
}

#[tokio::test]
async fn two_syncs_started_together_run_one_after_the_other_without_duplicates() {
    let cli = Cli::start(60).await;
    cli.sandbox
        .quipt
        .set_latency(std::time::Duration::from_millis(5));
    let (a, b) = tokio::join!(cli.run(&["sync", "--json"]), cli.run(&["sync", "--json"]));
    for out in [&a, &b] {
        assert!(
            matches!(out.status.code(), Some(0 | 2)),
            "both complete: {}",
            text(&out.stderr)
        );
    }
    let a: Value = serde_json::from_slice(&a.stdout).unwrap();
    let b: Value = serde_json::from_slice(&b.stdout).unwrap();
    let created = a["created"].as_u64().unwrap() + b["created"].as_u64().unwrap();
    let first = a["created"]
        .as_u64()
        .unwrap()
        .max(b["created"].as_u64().unwrap());
    assert_eq!(
        created, first,
        "the second run waited and found nothing left to create"
    );
    let orders = cli.sandbox.shipstation.all_orders();
    let keys: std::collections::HashSet<_> = orders.iter().map(|o| &o.order_key).collect();
    assert_eq!(keys.len(), orders.len(), "no order is duplicated");
    let db = connector::store::open(&cli.data_dir().join("history.sqlite3")).unwrap();
    let runs = connector::store::runs::recent(&db, 2).unwrap();
    assert_eq!(runs.len(), 2);
    let (later, earlier) = (&runs[0], &runs[1]);
    assert!(
        later.started_at >= *earlier.finished_at.as_ref().unwrap(),
        "the second run started after the first finished: {earlier:?} {later:?}"
    );
}

#[tokio::test]
async fn a_reader_that_stops_early_ends_nothing_and_the_exit_code_stays_the_command_s() {
    let cli = Cli::start(40).await;
    cli.run(&["sync"]).await;
    for args in [vec!["history"], vec!["status", "--json"], vec!["reconcile"]] {
        let own = cli.run(&args).await.status.code();
        let mut cmd = cli.command(&args);
        cmd.stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let done = tokio::task::spawn_blocking(move || {
            let mut child = cmd.spawn().expect("the binary runs");
            // The reader is gone before the first line is written, as `| head -0` would be.
            drop(child.stdout.take());
            child.wait_with_output().expect("the binary ends")
        })
        .await
        .unwrap();
        assert_eq!(
            done.status.code(),
            own,
            "{args:?} piped into a reader that stopped ends as it would have: {}",
            text(&done.stderr)
        );
        assert!(
            !text(&done.stderr).contains("internal error")
                && !text(&done.stderr).contains("Broken pipe"),
            "{args:?}: not reported as a bug, nor as a failure: {}",
            text(&done.stderr)
        );
    }
}

#[tokio::test]
async fn completions_for_each_shell_and_the_manual_pages_name_every_command() {
    let run = |args: &[&str]| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_quipt-shipstation"));
        cmd.args(args);
        output(cmd)
    };
    let commands = ["sync", "status", "history", "retry", "credentials"];
    for shell in ["bash", "zsh", "fish"] {
        let out = run(&["completions", shell]).await;
        let script = text(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{shell}: {}", text(&out.stderr));
        for command in commands {
            assert!(
                script.contains(command),
                "the {shell} completions offer `{command}`"
            );
        }
    }

    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("man1");
    let out = run(&["manual", "--out-dir", pages.to_str().unwrap()]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let main = std::fs::read_to_string(pages.join("quipt-shipstation.1")).unwrap();
    assert!(
        main.starts_with(".ie") || main.contains(".TH quipt-shipstation"),
        "a man page: {main}"
    );
    for command in commands {
        let page = pages.join(format!("quipt-shipstation-{command}.1"));
        assert!(page.is_file(), "a page for `{command}`: {}", page.display());
    }
}
