//! A company network: ShipStation reached over TLS through an `HTTPS_PROXY` whose certificate comes
//! from the company's own CA, which this computer knows only through its certificate store (here
//! `SSL_CERT_FILE`, a CA made in the test); `NO_PROXY` bypasses the proxy. The HTTP client reads
//! these from the environment, so each case runs this binary's ignored child test in a child
//! process with its own environment.

use shipstation::Client;

use crate::net::check_company_network;

const CHILD: &str = "company_network::child_lists_the_stores_at_child_api_url";

const STORES: &str =
    r#"[{"storeId": 1, "storeName": "Manual", "marketplaceId": 0, "active": true}]"#;

#[tokio::test]
async fn a_tls_inspecting_company_proxy_works_through_the_os_certificate_store() {
    check_company_network(CHILD, STORES).await;
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
