//! Quipt's envelope around a page of orders, and the messages of an error answer: any body parses
//! or is an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    let _ = quipt::parse::parse_order_page(body);
    let _ = quipt::parse::parse_error_messages(body);
});
