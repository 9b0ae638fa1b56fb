//! `POST /orders/createorders`: any body parses or is an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    let _ = shipstation::parse::parse_bulk_result(body);
});
