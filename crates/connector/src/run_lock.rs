//! One run at a time per data directory, across processes (the app and the CLI together): an OS
//! file lock on `sync.lock`, released when the holder exits, even by `kill -9`.

use std::fs::{File, OpenOptions};
use std::path::Path;

use crate::error::{Error, Result};

/// A held run lock; dropping it releases the lock.
#[derive(Debug)]
pub struct RunLock {
    _file: File,
}

impl RunLock {
    /// Takes the lock of `data_dir`, waiting for another process's run to end when `wait` is true.
    ///
    /// # Errors
    /// [`Error::RunInProgress`] when the lock is held and `wait` is false; [`Error::Io`] when the
    /// lock file cannot be opened.
    pub async fn acquire(data_dir: &Path, wait: bool) -> Result<Self> {
        crate::private_files::create_dir(data_dir).map_err(|e| Error::io("create", data_dir, e))?;
        let path = data_dir.join("sync.lock");
        let mut options = OpenOptions::new();
        options.create(true).truncate(false).write(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, crate::private_files::FILE_MODE);
        let file = options
            .open(&path)
            .map_err(|e| Error::io("open", &path, e))?;
        match file.try_lock() {
            Ok(()) => return Ok(Self { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) if !wait => {
                return Err(Error::RunInProgress {
                    data_dir: data_dir.display().to_string(),
                });
            }
            Err(std::fs::TryLockError::WouldBlock) => {}
            Err(std::fs::TryLockError::Error(e)) => return Err(Error::io("lock", &path, e)),
        }
        let file = tokio::task::spawn_blocking(move || file.lock().map(|()| file))
            .await
            .expect("the lock task does not panic")
            .map_err(|e| Error::io("lock", &path, e))?;
        Ok(Self { _file: file })
    }
}
