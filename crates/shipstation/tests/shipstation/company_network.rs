//! A company network: ShipStation reached over TLS through an `HTTPS_PROXY` whose certificate comes
//! from the company's own CA, which this computer knows only through its certificate store (here
//! `SSL_CERT_FILE`, a CA made in the test); `NO_PROXY` bypasses the proxy. The HTTP client reads
//! these from the environment, so each case runs this binary's ignored child test in a child
//! process with its own environment.

use shipstation::Client;

use crate::net::{ConnectProxy, RawServer, TestCa, TlsFront, answer, child_passed, run_child_test};

const CHILD: &str = "company_network::child_lists_the_stores_at_child_api_url";

const STORES: &str =
    r#"[{"storeId": 1, "storeName": "Manual", "marketplaceId": 0, "active": true}]"#;

fn shown(output: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[tokio::test]
async fn a_tls_inspecting_company_proxy_works_through_the_os_certificate_store() {
    let server = RawServer::start(|_, _| answer(200, &[], STORES)).await;
    let ca = TestCa::new();
    let front = TlsFront::start(&ca, server.addr).await;
    let proxy = ConnectProxy::start().await;
    let ca_file = ca.pem_file.to_str().unwrap();
    let target = front.url.trim_start_matches("https://").to_string();

    let through = run_child_test(
        CHILD,
        &[
            ("CHILD_API_URL", &front.url),
            ("SSL_CERT_FILE", ca_file),
            ("HTTPS_PROXY", &proxy.url),
        ],
    )
    .await;
    assert!(
        child_passed(&through),
        "with the company CA in the certificate store the call succeeds:\n{}",
        shown(&through)
    );
    assert_eq!(
        proxy.targets(),
        vec![target.clone()],
        "the call went through HTTPS_PROXY"
    );

    let bypass = run_child_test(
        CHILD,
        &[
            ("CHILD_API_URL", &front.url),
            ("SSL_CERT_FILE", ca_file),
            ("HTTPS_PROXY", &proxy.url),
            ("NO_PROXY", "localhost"),
        ],
    )
    .await;
    assert!(
        child_passed(&bypass),
        "NO_PROXY still reaches the server:\n{}",
        shown(&bypass)
    );
    assert_eq!(proxy.targets(), vec![target], "NO_PROXY bypassed the proxy");

    let untrusted = run_child_test(
        CHILD,
        &[("CHILD_API_URL", &front.url), ("CHILD_EXPECT", "untrusted")],
    )
    .await;
    assert!(
        child_passed(&untrusted),
        "without the company CA the call is refused and the message says what to install:\n{}",
        shown(&untrusted)
    );
    assert_eq!(
        server.requests().len(),
        2,
        "only the trusted calls reached the server"
    );
}

#[tokio::test]
#[ignore = "run in a child process by a_tls_inspecting_company_proxy_works_through_the_os_certificate_store"]
async fn child_lists_the_stores_at_child_api_url() {
    let url = std::env::var("CHILD_API_URL").expect("the parent test sets CHILD_API_URL");
    let result = Client::builder(url)
        .credentials("key", "secret")
        .max_retries(0)
        .build()
        .expect("an https address builds")
        .stores()
        .list(false)
        .await;
    if std::env::var("CHILD_EXPECT").as_deref() == Ok("untrusted") {
        let error = result.expect_err("a certificate from an unknown CA is refused");
        assert!(
            error.to_string().contains("install its CA certificate"),
            "the message points at the certificate store: {error}"
        );
    } else {
        let stores = result.expect("the call succeeds over TLS");
        assert_eq!(stores.len(), 1, "the server's answer arrived");
    }
}
