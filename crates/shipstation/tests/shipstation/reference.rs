use crate::{client, default_sandbox};
use shipstation::{Error, StoreId, WarehouseId};

#[tokio::test]
async fn active_stores_are_listed_and_the_inactive_one_only_on_request() {
    let sandbox = default_sandbox().await;
    let client = client(&sandbox);
    let active = client.stores().list(false).await.unwrap();
    let all = client.stores().list(true).await.unwrap();
    assert_eq!(active.len(), 4, "the four active demo stores");
    assert!(
        active.iter().all(|s| s.active),
        "no inactive store is offered"
    );
    assert!(
        all.iter()
            .any(|s| s.store_id == StoreId(10009) && !s.active),
        "showInactive adds Old Store"
    );
    assert!(
        active.iter().all(|s| s.marketplace_id == Some(0)),
        "demo stores are manual stores"
    );
}

#[tokio::test]
async fn a_deactivated_store_drops_out_of_the_active_list() {
    let sandbox = default_sandbox().await;
    sandbox.shipstation.set_store_active(10002, false).unwrap();
    let stores = client(&sandbox).stores().list(false).await.unwrap();
    assert!(
        !stores.iter().any(|s| s.store_id == StoreId(10002)),
        "drift: the eBay store was deactivated"
    );
}

#[tokio::test]
async fn warehouses_carry_the_ids_that_quipt_codes_must_equal() {
    let sandbox = default_sandbox().await;
    let client = client(&sandbox);
    let warehouses = client.warehouses().list().await.unwrap();
    let ids: Vec<WarehouseId> = warehouses.iter().map(|w| w.warehouse_id).collect();
    assert_eq!(
        ids,
        vec![WarehouseId(98765), WarehouseId(98766)],
        "the demo Ship From Locations"
    );
    assert!(warehouses[0].is_default, "the first one is the default");
    sandbox.shipstation.remove_warehouse(98766);
    assert_eq!(
        client.warehouses().list().await.unwrap().len(),
        1,
        "a removed warehouse is gone"
    );
}

#[tokio::test]
async fn carriers_and_their_services_are_listed() {
    let sandbox = default_sandbox().await;
    let client = client(&sandbox);
    let carriers = client.carriers().list().await.unwrap();
    let codes: Vec<&str> = carriers.iter().map(|c| c.code.as_str()).collect();
    assert_eq!(
        codes,
        ["ups", "fedex", "stamps_com", "dhl_express_worldwide"],
        "the demo carriers"
    );
    let services = client.carriers().list_services("stamps_com").await.unwrap();
    assert!(
        services
            .iter()
            .any(|s| s.code == "usps_priority_mail" && s.carrier_code == "stamps_com"),
        "USPS services: {services:?}"
    );
}

#[tokio::test]
async fn services_of_a_disconnected_carrier_are_a_404_and_not_retried() {
    let sandbox = default_sandbox().await;
    sandbox.shipstation.remove_carrier("fedex");
    let client = client(&sandbox);
    let error = client.carriers().list_services("fedex").await.unwrap_err();
    assert_eq!(error.status(), Some(404), "unknown carrier: {error}");
    assert!(!error.is_retryable(), "a 404 never heals by retrying");
    assert_eq!(client.metrics().requests, 1, "exactly one request was sent");
    assert!(matches!(error, Error::Api { .. }), "typed as an API error");
}
