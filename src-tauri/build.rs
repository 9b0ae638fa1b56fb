//! Builds the Tauri context and gives each of our commands its own allow-/deny- permission, so that
//! `capabilities/main.json` can list exactly what the window may call. The `allow-app-commands` set
//! (`permissions/app.toml`) is written here from the same list, so a new command is named in two
//! places only: this list and the invoke handler.

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
    "set_schedule",
    "retry",
    "runs",
    "orders",
    "order_detail",
    "export_csv",
    "autostart",
    "set_autostart",
    "logs",
    "export_diagnostics",
];

/// `permissions/app.toml`: the set granting every command of [`COMMANDS`].
fn permission_set() -> String {
    let mut text = String::from(
        "# Written by build.rs from its COMMANDS list: edit that list, not this file.\n\
         [[set]]\n\
         identifier = \"allow-app-commands\"\n\
         description = \"Every command of the connector's shell: wizard, dashboard, history, settings and support.\"\n\
         permissions = [\n",
    );
    for command in COMMANDS {
        text.push_str(&format!("  \"allow-{}\",\n", command.replace('_', "-")));
    }
    text.push_str("]\n");
    text
}

fn main() {
    let set = std::path::Path::new("permissions/app.toml");
    let text = permission_set();
    // Written only on a change: rewriting it would make every build rerun this script.
    if std::fs::read_to_string(set).ok().as_deref() != Some(text.as_str()) {
        std::fs::write(set, text).expect("permissions/app.toml is writable");
    }
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("the Tauri build step failed");
}
