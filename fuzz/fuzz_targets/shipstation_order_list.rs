//! `GET /orders`, `/shipments` and `/fulfillments` pages: any body parses or is an error, never a
//! panic; a page never returns more rows than the body sent.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    if let Ok(page) = shipstation::parse::parse_order_list(body) {
        assert!(page.items.len() <= body.len(), "every row comes from the body");
    }
    let _ = shipstation::parse::parse_shipment_list(body);
    let _ = shipstation::parse::parse_fulfillment_list(body);
    let _ = shipstation::parse::parse_error_message(body, 400);
});
