//! Builds the Tauri context and gives each of our commands its own allow-/deny- permission, so that
//! `capabilities/main.json` can list exactly what the window may call. The commands come from the
//! one list in `src/commands/list.rs` (the invoke handler reads the same list); the
//! `allow-app-commands` set (`permissions/app.toml`) is written here from it.

include!("src/commands/list.rs");

/// Every command of `src/commands/list.rs` (the `allow-app-commands` set grants them).
const COMMANDS: &[&str] = app_commands!(command_names);

/// `permissions/app.toml`: the set granting every command of [`COMMANDS`].
fn permission_set() -> String {
    let mut text = String::from(
        "# Written by build.rs from src/commands/list.rs: edit that list, not this file.\n\
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
    println!("cargo:rerun-if-changed=src/commands/list.rs");
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
