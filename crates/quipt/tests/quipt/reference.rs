//! Warehouses and partners.

use crate::support::*;

#[tokio::test]
async fn the_demo_warehouses_and_channels_are_listed() {
    let sb = sandbox(0).await;
    let client = client(&sb);
    let warehouses = client
        .warehouses()
        .list()
        .await
        .expect("warehouses are listed");
    let codes: Vec<&str> = warehouses.iter().map(|w| w.code.as_str()).collect();
    assert_eq!(
        codes,
        ["98765", "98766", "55555"],
        "the demo warehouse codes, in order"
    );
    let partners = client.partners().list().await.expect("partners are listed");
    let names: Vec<&str> = partners.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Amazon", "eBay", "Shopify"], "the demo channels");
    assert_eq!(
        client.metrics().requests,
        2,
        "one request per call when nothing fails"
    );
}
