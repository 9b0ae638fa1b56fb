//! The real `quipt-shipstation` binary against the sandbox: commands, exit codes, the sandbox command
//! as a plain HTTP client sees it, OAuth from a terminal, and a kill -9 crash loop.

mod commands;
mod crash_loop;
mod diagnostics;
mod sandbox_command;
mod support;
