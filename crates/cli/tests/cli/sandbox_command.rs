use std::io::BufRead;
use std::process::{Command, Stdio};

#[tokio::test]
async fn the_sandbox_command_prints_both_addresses_and_enforces_shipstations_rate_window() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_quipt-shipstation"))
        .args(["sandbox", "--orders", "5", "--rate-window-secs", "60"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("the sandbox starts");
    let stdout = child.stdout.take().unwrap();
    let lines = tokio::task::spawn_blocking(move || {
        std::io::BufReader::new(stdout)
            .lines()
            .take(2)
            .map(Result::unwrap)
            .collect::<Vec<_>>()
    })
    .await
    .unwrap();
    assert!(
        lines[0].starts_with("quipt: http://127.0.0.1:"),
        "first line names Quipt: {lines:?}"
    );
    assert!(
        lines[1].starts_with("shipstation: http://127.0.0.1:"),
        "second line names ShipStation: {lines:?}"
    );
    let shipstation = lines[1].trim_start_matches("shipstation: ").to_string();

    let http = reqwest::Client::new();
    let get = || {
        http.get(format!("{shipstation}/stores"))
            .basic_auth("demo-key", Some("demo-secret"))
            .send()
    };
    let first = get().await.unwrap();
    assert_eq!(first.status(), 200);
    assert_eq!(first.headers()["X-Rate-Limit-Limit"], "40");
    assert_eq!(first.headers()["X-Rate-Limit-Remaining"], "39");
    for _ in 2..=40 {
        assert_eq!(get().await.unwrap().status(), 200);
    }
    let limited = get().await.unwrap();
    assert_eq!(
        limited.status(),
        429,
        "the 41st call in one window is refused"
    );
    let reset: u64 = limited.headers()["X-Rate-Limit-Reset"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        (1..=60).contains(&reset),
        "Reset says how many seconds to wait: {reset}"
    );
    let wrong = http
        .get(format!("{shipstation}/stores"))
        .basic_auth("demo-key", Some("nope"))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401, "a wrong secret is refused");
    child.kill().unwrap();
    child.wait().unwrap();
}
