//! `GET /orders/fulfillment/id/{id}`: any body parses or is an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    let _ = quipt::parse::parse_order(body);
});
