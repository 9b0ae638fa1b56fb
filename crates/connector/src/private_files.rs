//! Files readable by their owner only (SPEC §3): on Unix every directory the connector keeps its
//! files in is `0700` and every file it writes — the history, the logs, the settings, a
//! diagnostics bundle — is `0600`. The history holds customers' names and addresses, the logs
//! order numbers and errors: nothing another account on the workstation should read.
//!
//! Where the connector creates a file itself it asks for the mode ([`create_new`], [`write_atomic`]);
//! where a library creates it (SQLite's `-wal` and `-shm` files, the log appender's daily file),
//! SQLite copies the database's mode and the process's file mode mask is set owner-only first
//! ([`owner_only_from_now_on`]). Files and directories an older version left open are closed down
//! when they are next opened ([`restrict`], [`create_dir`]); the settings file and its directory,
//! which an administrator may share on purpose, only when they are this user's own
//! ([`close_down_own`]). On other platforms the user's profile
//! directory already belongs to the user alone, and these are plain file operations.

use std::fs::File;
use std::io::Write;
use std::path::Path;

/// The mode of every directory the connector keeps files in.
pub const DIR_MODE: u32 = 0o700;
/// The mode of every file the connector writes.
pub const FILE_MODE: u32 = 0o600;

/// Makes every file this process creates from now on owner-only (`umask 077`), for the files a
/// library creates without asking us for a mode. Idempotent.
pub fn owner_only_from_now_on() {
    #[cfg(unix)]
    {
        use nix::sys::stat::{Mode, umask};
        umask(Mode::from_bits_truncate(0o077));
    }
}

/// Creates `dir` (and any missing parent, each `0700`) and makes `dir` itself `0700`.
///
/// # Errors
/// When the directory cannot be created or its mode set.
pub fn create_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, DIR_MODE);
    builder.create(dir)?;
    set_mode(dir, DIR_MODE)
}

/// Makes an existing file `0600`; a file that does not exist is left alone.
///
/// # Errors
/// When the mode cannot be set.
pub fn restrict(file: &Path) -> std::io::Result<()> {
    match set_mode(file, FILE_MODE) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

/// Closes down `path` — a directory to `0700`, a file to `0600` — when it is this user's own and
/// not the administrator's system configuration (`is_ours_to_close`); a path that does not exist
/// is left alone.
///
/// # Errors
/// When the path cannot be read or its mode set.
pub fn close_down_own(path: &Path) -> std::io::Result<()> {
    let metadata = match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        other => other?,
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let me = nix::unistd::geteuid().as_raw();
        if !is_ours_to_close(metadata.uid(), me, &path.canonicalize()?) {
            return Ok(());
        }
    }
    set_mode(
        path,
        if metadata.is_dir() {
            DIR_MODE
        } else {
            FILE_MODE
        },
    )
}

/// Where the administrator keeps system-wide configuration.
#[cfg(unix)]
const SYSTEM_CONFIG: &str = "/etc";

/// Whether a path that `owner` owns, at `canonical` (symbolic links resolved), is ours to close
/// down when this process runs as `me`. Someone else's is theirs (and could not be changed
/// anyway); one under `/etc` is the administrator's, even when the administrator runs the CLI as
/// root: a system unit's `/etc/quipt-shipstation/<account>/settings.toml` is root's and readable by
/// the unit's own user on purpose (README, "Run as a service"). Pure.
#[cfg(unix)]
fn is_ours_to_close(owner: u32, me: u32, canonical: &Path) -> bool {
    owner == me && !canonical.starts_with(SYSTEM_CONFIG)
}

/// Creates a new file, `0600`, failing when it exists.
///
/// # Errors
/// When the file exists or cannot be created.
pub fn create_new(file: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, FILE_MODE);
    options.open(file)
}

/// Replaces `file` with what `write` writes, all or nothing, even when two processes (the app and
/// the CLI) save the same file at once: each writes its own uniquely named `0600` temporary file
/// beside it, flushes it to disk, renames it over `file` (the last rename wins, whole), and flushes
/// the directory so that the rename itself survives a power cut. A failed write leaves `file` as
/// it was and removes the temporary file.
///
/// # Errors
/// When the directory cannot be created or written.
pub fn write_atomic(
    file: &Path,
    write: impl FnOnce(&mut File) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = match file.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    if !dir.exists() {
        create_dir(dir)?;
    }
    let name = file.file_name().unwrap_or_default().to_string_lossy();
    // tempfile creates the file with `O_EXCL` and mode 0600 under a random name.
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(dir)?;
    write(tmp.as_file_mut())?;
    tmp.as_file_mut().flush()?;
    tmp.as_file().sync_all()?;
    tmp.persist(file).map_err(|e| e.error)?;
    sync_dir(dir)
}

/// Flushes a directory's entries (a rename, a new file) to disk. Windows has no such call; its
/// renames are durable when `MoveFileEx` returns.
///
/// # Errors
/// When the directory cannot be opened or flushed.
pub fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let current = std::fs::metadata(path)?.permissions();
    if current.mode() & 0o777 == mode {
        return Ok(());
    }
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(path: &Path, _mode: u32) -> std::io::Result<()> {
    std::fs::metadata(path).map(|_| ())
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn a_new_directory_and_its_missing_parents_are_closed_to_others() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("a").join("b");
        create_dir(&dir).unwrap();
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(
            mode(&root.path().join("a")),
            0o700,
            "the parent we created too"
        );
    }

    #[test]
    fn an_existing_open_directory_is_closed_down() {
        let root = tempfile::tempdir().unwrap();
        std::fs::set_permissions(root.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        create_dir(root.path()).unwrap();
        assert_eq!(mode(root.path()), 0o700);
    }

    #[test]
    fn an_atomic_write_leaves_a_0600_file_and_no_temporary_file() {
        let root = tempfile::tempdir().unwrap();
        let file = root.path().join("settings.toml");
        std::fs::write(&file, "old").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        write_atomic(&file, |f| f.write_all(b"new")).unwrap();
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "new");
        assert_eq!(mode(&file), 0o600, "the replaced file is the owner's alone");
        let names: Vec<_> = std::fs::read_dir(root.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["settings.toml"], "no temporary file is left");
    }

    #[test]
    fn a_failed_atomic_write_keeps_the_old_file_and_removes_its_temporary_file() {
        let root = tempfile::tempdir().unwrap();
        let file = root.path().join("settings.toml");
        std::fs::write(&file, "old").unwrap();
        let err = write_atomic(&file, |f| {
            f.write_all(b"half")?;
            Err(std::io::Error::other("disk full"))
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "disk full");
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "old");
        assert_eq!(std::fs::read_dir(root.path()).unwrap().count(), 1);
    }

    #[test]
    fn this_users_open_directory_and_file_are_closed_down() {
        let root = tempfile::tempdir().unwrap();
        let file = root.path().join("settings.toml");
        std::fs::write(&file, "x").unwrap();
        std::fs::set_permissions(root.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        close_down_own(root.path()).unwrap();
        close_down_own(&file).unwrap();
        assert_eq!(
            mode(root.path()),
            0o700,
            "the directory is the owner's alone"
        );
        assert_eq!(mode(&file), 0o600, "the file is the owner's alone");
        close_down_own(&root.path().join("missing")).expect("a missing path is left alone");
    }

    #[rstest::rstest]
    #[case::a_users_own_settings(
        1000,
        1000,
        "/home/ann/.config/quipt-shipstation/settings.toml",
        true
    )]
    #[case::roots_own_settings_in_its_home(0, 0, "/root/.config/quipt-shipstation", true)]
    #[case::another_users_file(
        1001,
        1000,
        "/home/bob/.config/quipt-shipstation/settings.toml",
        false
    )]
    #[case::roots_file_run_by_a_user(0, 1000, "/srv/quipt/settings.toml", false)]
    #[case::a_system_units_settings_run_by_root(
        0,
        0,
        "/etc/quipt-shipstation/acme/settings.toml",
        false
    )]
    #[case::a_system_units_directory_run_by_root(0, 0, "/etc/quipt-shipstation/acme", false)]
    #[case::a_name_that_only_starts_like_etc(0, 0, "/etcetera/settings.toml", true)]
    fn only_this_users_own_files_outside_the_system_configuration_are_closed_down(
        #[case] owner: u32,
        #[case] me: u32,
        #[case] path: &str,
        #[case] ours: bool,
    ) {
        assert_eq!(
            is_ours_to_close(owner, me, Path::new(path)),
            ours,
            "{path} owned by {owner}, run as {me}"
        );
    }

    #[test]
    fn a_new_file_is_0600_and_never_replaces_one() {
        let root = tempfile::tempdir().unwrap();
        let file = root.path().join("x");
        create_new(&file).unwrap();
        assert_eq!(mode(&file), 0o600);
        assert_eq!(
            create_new(&file).unwrap_err().kind(),
            std::io::ErrorKind::AlreadyExists
        );
    }
}
