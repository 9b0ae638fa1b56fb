// The one list of the app's commands, as `module::function` of `src/commands/`. Included by
// `build.rs` (each command's permission and the `allow-app-commands` set) and by
// `commands/mod.rs` (the invoke handler, and the names a test compares with the UI's wrappers in
// `ui/src/api/commands.ts`). A new command is added here and nowhere else in the shell.
//
// `app_commands!(then)` calls the macro `then!` with the list.
macro_rules! app_commands {
    ($then:ident) => {
        $then! {
            wizard::setup_state,
            wizard::start_demo,
            wizard::leave_demo,
            wizard::quipt_authorize_start,
            wizard::quipt_authorize_finish,
            wizard::check_quipt,
            wizard::stored_shipstation_key,
            wizard::check_shipstation_keys,
            wizard::load_accounts,
            wizard::check_answers,
            wizard::dry_run,
            wizard::finish_wizard,
            sync::dashboard,
            sync::sync_now,
            sync::set_schedule,
            sync::retry,
            sync::settle,
            history::runs,
            history::orders,
            history::order_detail,
            history::export_csv,
            settings::autostart,
            settings::set_autostart,
            support::logs,
            support::export_diagnostics,
            updates::update_notice,
            updates::open_update_page,
            folder::show_in_folder,
            webview::log_webview_error,
        }
    };
}

// The command names alone, as `&[&str]` (for build.rs and the test; the app itself needs only
// the handler).
#[allow(unused_macros)]
macro_rules! command_names {
    ($($module:ident :: $command:ident),* $(,)?) => {
        &[$(stringify!($command)),*]
    };
}
