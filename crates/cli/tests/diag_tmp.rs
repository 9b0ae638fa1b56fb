#[path = "cli/diagnostics.rs"]
mod diagnostics;
#[path = "cli/support.rs"]
#[allow(dead_code)]
mod support;
