//! A company network: Quipt reached over TLS through an `HTTPS_PROXY` whose certificate comes from
//! the company's own CA, which this computer knows only through its certificate store (here
//! `SSL_CERT_FILE`, a CA made in the test); `NO_PROXY` bypasses the proxy. The HTTP client reads
//! these from the environment, so each case runs this binary's ignored child test in a child
//! process with its own environment.

use quipt::Client;

use crate::net::check_company_network;
use crate::support::*;

const CHILD: &str = "company_network::child_lists_the_warehouses_at_child_api_url";

const WAREHOUSES: &str =
    r#"{"Result": [{"Id": "w1", "Code": "98765", "DisplayName": "Main"}], "Success": true}"#;

#[tokio::test]
async fn a_tls_inspecting_company_proxy_works_through_the_os_certificate_store() {
    check_company_network(CHILD, WAREHOUSES).await;
}

#[tokio::test]
#[ignore = "run in a child process by a_tls_inspecting_company_proxy_works_through_the_os_certificate_store"]
async fn child_lists_the_warehouses_at_child_api_url() {
    let url = std::env::var("CHILD_API_URL").expect("the parent test sets CHILD_API_URL");
    let result = Client::builder(url)
        .consumer(consumer())
        .token(demo_token())
        .max_retries(0)
        .build()
        .expect("an https address builds")
        .warehouses()
        .list()
        .await;
    if std::env::var("CHILD_EXPECT").as_deref() == Ok("untrusted") {
        let error = result.expect_err("a certificate from an unknown CA is refused");
        assert!(
            error.to_string().contains("install its CA certificate"),
            "the message points at the certificate store: {error}"
        );
    } else {
        let warehouses = result.expect("the call succeeds over TLS");
        assert_eq!(warehouses.len(), 1, "the server's answer arrived");
    }
}
