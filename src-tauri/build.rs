//! Builds the Tauri context and gives each of our commands its own allow-/deny- permission, so that
//! `capabilities/main.json` can list exactly what the window may call.

/// Every command of `src/commands/`, in one list (the `allow-app-commands` set grants them).
const COMMANDS: &[&str] = &[
    "setup_state",
    "start_demo",
    "quipt_authorize",
    "quipt_paste_verifier",
    "check_quipt",
    "check_shipstation_keys",
    "load_accounts",
    "check_answers",
    "dry_run",
    "finish_wizard",
    "dashboard",
    "sync_now",
    "set_paused",
    "set_interval",
    "retry",
    "runs",
    "orders",
    "order_detail",
    "export_csv",
    "autostart",
    "set_autostart",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("the Tauri build step failed");
}
