//! The commands the webview may call, listed once in `list.rs` (which also gives each its
//! permission, through `build.rs`). Each body is one delegation to `connector`; failures become
//! [`crate::error::CommandError`]. Questions to the history go through `Connector::read`, on a
//! blocking thread and the history's read-only connection, so the dashboard answers while a large
//! sync runs.

mod folder;
mod history;
mod save_dialog;
mod settings;
mod support;
mod sync;
mod updates;
mod webview;
mod wizard;

include!("list.rs");

/// The invoke handler with every command of `list.rs`.
pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
    macro_rules! handler_of {
        ($($module:ident :: $command:ident),* $(,)?) => {
            tauri::generate_handler![$($module::$command),*]
        };
    }
    app_commands!(handler_of)
}

/// Work that reads the keyring (a D-Bus round trip, or a wait while it is locked) or files, off the
/// async runtime's threads, which the window's other commands and a run need (issue 14).
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> connector::Result<T> + Send + 'static,
) -> crate::error::CommandResult<T> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|e| crate::error::CommandError::app(format!("the task stopped: {e}")))?
        .map_err(Into::into)
}

/// A step that reads the keyring and opens the history before its requests (the wizard's checks),
/// driven on a blocking thread for the same reason; its requests still run on the runtime.
async fn blocking_step<T, F>(
    step: impl FnOnce() -> F + Send + 'static,
) -> crate::error::CommandResult<T>
where
    F: Future<Output = connector::Result<T>>,
    T: Send + 'static,
{
    let runtime = tokio::runtime::Handle::current();
    blocking(move || runtime.block_on(step())).await
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    /// Every command's name, as the webview invokes it.
    const NAMES: &[&str] = app_commands!(command_names);

    /// The names `ui/src/api/commands.ts` invokes: the first string argument of each `invoke`.
    fn invoked_by_the_ui() -> BTreeSet<String> {
        let source = include_str!("../../../ui/src/api/commands.ts");
        source
            .split("invoke<")
            .skip(1)
            .filter_map(|call| call.split('"').nth(1))
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn the_ui_has_one_wrapper_for_each_command_and_none_for_a_command_that_does_not_exist() {
        let commands: BTreeSet<String> = NAMES.iter().map(|n| n.to_string()).collect();
        let ui = invoked_by_the_ui();
        let missing: Vec<_> = commands.difference(&ui).collect();
        let unknown: Vec<_> = ui.difference(&commands).collect();
        assert!(
            missing.is_empty() && unknown.is_empty(),
            "commands.ts must wrap exactly the commands of src/commands/list.rs: without a wrapper {missing:?}, not a command {unknown:?}"
        );
        assert_eq!(
            NAMES.len(),
            commands.len(),
            "a command is listed twice in list.rs"
        );
    }
}
