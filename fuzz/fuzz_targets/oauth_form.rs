//! Quipt's form-encoded OAuth answers (`/oauth/initiate`, `/oauth/token`): any body gives a token
//! or an error naming the step, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    let _ = quipt::parse::parse_request_token(body);
    let _ = quipt::parse::parse_access_token(body);
});
