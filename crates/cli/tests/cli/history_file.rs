//! The history file through the real binary (SPEC §3): one from a newer version is refused with
//! both versions named, a damaged one is named with the way out (`start-new-history`), and losing
//! the history entirely duplicates nothing on either side.

use std::collections::HashMap;

use serde_json::Value;

use crate::support::{Cli, assert_nothing_duplicated, text};

#[tokio::test]
async fn a_history_from_a_newer_version_is_refused_naming_both_versions_and_left_as_it_was() {
    let cli = Cli::start(0).await;
    let path = cli.data_dir().join("history.sqlite3");
    set_user_version(&path, 999);
    let before = std::fs::read(&path).unwrap();

    for args in [&["status"][..], &["sync"]] {
        let out = cli.run(args).await;
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?} refuses: {stderr}");
        for part in [
            "schema version 999".to_string(),
            format!("up to {}", connector::store::SCHEMA_VERSION),
            path.display().to_string(),
            "start-new-history".to_string(),
        ] {
            assert!(stderr.contains(&part), "{args:?} names {part}: {stderr}");
        }
    }
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "nothing was written to the newer version's history"
    );
}

/// A history as a newer build leaves it: its `user_version` above ours, all in the main file.
fn set_user_version(path: &std::path::Path, version: u32) {
    let conn = connector::store::open(path).unwrap();
    conn.pragma_update(None, "user_version", version).unwrap();
    conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
}

#[tokio::test]
async fn a_damaged_history_is_named_with_the_way_out_and_start_new_history_takes_it() {
    let cli = Cli::start(20).await;
    let out = cli.run(&["start-new-history"]).await;
    assert_eq!(
        out.status.code(),
        Some(1),
        "a history that opens is never moved: {}",
        text(&out.stderr)
    );
    assert!(
        text(&out.stderr).contains("opens fine"),
        "{}",
        text(&out.stderr)
    );

    let path = cli.data_dir().join("history.sqlite3");
    let garbage = b"copied over by a backup tool\n".repeat(200);
    std::fs::write(&path, &garbage).unwrap();
    let status = cli.run(&["status"]).await;
    let stderr = text(&status.stderr);
    assert_eq!(status.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&path.display().to_string()) && stderr.contains("start-new-history"),
        "the file and the way out are named: {stderr}"
    );
    assert!(
        stderr.contains("not a database"),
        "SQLite's reason is kept: {stderr}"
    );

    let out = cli.run(&["start-new-history"]).await;
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    let kept = std::fs::read_dir(cli.data_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains(".set-aside-"))
        .expect("the damaged file is kept beside the new one");
    assert_eq!(std::fs::read(&kept).unwrap(), garbage, "kept as it was");
    assert!(
        stdout.contains(&kept.display().to_string()),
        "the operator is told where it is: {stdout}"
    );

    let sync = cli.run(&["sync"]).await;
    assert!(
        matches!(sync.status.code(), Some(0 | 2)),
        "the new history syncs: {}",
        text(&sync.stderr)
    );
    let status = cli.run(&["status", "--json"]).await;
    let status: Value = serde_json::from_slice(&status.stdout).unwrap();
    assert!(
        status["last_run"].is_object(),
        "the new history has its run"
    );
}

#[tokio::test]
async fn losing_the_history_entirely_duplicates_nothing_on_either_side() {
    let cli = Cli::start(40).await;
    let first = cli.run(&["sync"]).await;
    assert!(
        matches!(first.status.code(), Some(0 | 2)),
        "{}",
        text(&first.stderr)
    );
    // Labels for three orders, reported to Quipt by the next run.
    let mut labelled = HashMap::new();
    for order in cli
        .sandbox
        .shipstation
        .all_orders()
        .into_iter()
        .filter(|o| o.active && o.order_status == "awaiting_shipment")
        .take(3)
    {
        let tracking = format!("LOST-{}", order.order_id);
        cli.print_label(order.order_id, &tracking);
        labelled.insert(order.order_number.clone(), tracking);
    }
    let second = cli.run(&["sync"]).await;
    assert!(
        matches!(second.status.code(), Some(0 | 2)),
        "{}",
        text(&second.stderr)
    );
    let orders_before = cli.sandbox.shipstation.all_orders().len();

    // The history is gone: the database and its WAL.
    for entry in std::fs::read_dir(cli.data_dir()).unwrap() {
        let path = entry.unwrap().path();
        if path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("history.sqlite3")
        {
            std::fs::remove_file(path).unwrap();
        }
    }
    for _ in 0..2 {
        let again = cli.run(&["sync"]).await;
        assert!(
            matches!(again.status.code(), Some(0 | 2)),
            "a sync on a new history completes: {}",
            text(&again.stderr)
        );
    }

    assert_eq!(
        cli.sandbox.shipstation.all_orders().len(),
        orders_before,
        "no order was created again in ShipStation"
    );
    assert_nothing_duplicated(&cli.sandbox, &labelled);
    let accepted = cli
        .sandbox
        .quipt
        .orders()
        .iter()
        .flat_map(|o| &o.lines)
        .filter(|l| l.acknowledgements.iter().any(|a| a.status == 1))
        .count();
    assert!(
        accepted > 0,
        "the first sync acknowledged orders, so a second acknowledgement would show"
    );
}
