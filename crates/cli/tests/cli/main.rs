//! The real `quipt-shipstation` binary against the sandbox: commands, exit codes, the sandbox command
//! as a plain HTTP client sees it, OAuth from a terminal, a kill -9 crash loop, the history file
//! (newer, damaged, lost), security (secrets, permissions, exports, no keyring) and the daemon as a
//! service (SIGTERM, a panicking run).

mod commands;
mod crash_loop;
mod diagnostics;
mod history_file;
mod sandbox_command;
mod security;
mod service;
mod support;
