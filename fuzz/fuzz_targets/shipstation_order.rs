//! `GET /orders/{orderId}`: any body parses or is an error, never a panic (Pacific dates included).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    let _ = shipstation::parse::parse_order(body);
    if let Ok(text) = std::str::from_utf8(body) {
        let _ = shipstation::models::pacific_time::parse_timestamp(text);
    }
});
