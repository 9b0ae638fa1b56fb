//! The commands the webview may call (each also listed in `build.rs`, which gives it a permission).
//! Each body is one delegation to `connector`; failures become [`crate::error::CommandError`].
//! Questions to the history go through `Connector::read`, on a blocking thread and the history's
//! read-only connection, so the dashboard answers while a large sync runs.

mod history;
mod save_dialog;
mod settings;
mod support;
mod sync;
mod wizard;

/// The invoke handler with every command.
pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        wizard::setup_state,
        wizard::start_demo,
        wizard::quipt_authorize,
        wizard::quipt_paste_verifier,
        wizard::check_quipt,
        wizard::check_shipstation_keys,
        wizard::load_accounts,
        wizard::check_answers,
        wizard::dry_run,
        wizard::finish_wizard,
        sync::dashboard,
        sync::sync_now,
        sync::set_schedule,
        sync::retry,
        history::runs,
        history::orders,
        history::order_detail,
        history::export_csv,
        settings::autostart,
        settings::set_autostart,
        support::logs,
        support::export_diagnostics,
    ]
}
