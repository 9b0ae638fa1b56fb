//! Opening a [`Connector`]: on settings as given (a wizard's draft, a test's), on a test's clock,
//! or on the settings file, which each run then reads again.

use std::sync::Arc;

use crate::clock::Clock;
use crate::credentials::Credentials;
use crate::{Connector, Endpoints, Paths, Result, Settings, run_gate, sync};

impl Connector {
    /// Opens the history and builds both clients, with `settings` as given (a wizard's draft, a
    /// test's): the settings file is not read again.
    ///
    /// # Errors
    /// When the database cannot be opened or an address is unusable.
    pub fn open(paths: Paths, settings: Settings, credentials: &Credentials) -> Result<Self> {
        Self::open_with(paths, settings, credentials, None)
    }

    /// As [`open`](Self::open), with the engine and both clients on `clock` (tests move a
    /// [`ManualClock`](crate::clock::ManualClock) by hours or days; see [`clock`](crate::clock) for how the simulators follow).
    ///
    /// # Errors
    /// As [`open`](Self::open).
    pub fn open_on(
        paths: Paths,
        settings: Settings,
        credentials: &Credentials,
        clock: Arc<dyn Clock>,
    ) -> Result<Self> {
        Self::open_with(paths, settings, credentials, Some(clock))
    }

    fn open_with(
        paths: Paths,
        settings: Settings,
        credentials: &Credentials,
        clock: Option<Arc<dyn Clock>>,
    ) -> Result<Self> {
        let endpoints = Endpoints::resolve(Some(&settings));
        let ctx = sync::Context::open(settings, &endpoints, credentials, &paths.database(), clock)?;
        let gate = run_gate::RunGate::default();
        Ok(Self { paths, ctx, gate })
    }

    /// Opens with the settings file of `paths` and the credentials of the environment or keyring.
    ///
    /// # Errors
    /// Bad settings, missing credentials, or an unusable database.
    pub fn from_paths(paths: Paths) -> Result<Self> {
        Self::from_settings_file(paths, &Credentials::load()?)
    }

    /// Opens with the settings file of `paths`, read again before each run (an edit takes effect
    /// on the next one), and these credentials.
    ///
    /// # Errors
    /// Bad settings, or an unusable database.
    pub fn from_settings_file(paths: Paths, credentials: &Credentials) -> Result<Self> {
        let settings = Settings::load(&paths.config_file)?;
        let mut connector = Self::open(paths, settings, credentials)?;
        connector.gate.settings_file = Some(connector.paths.config_file.clone());
        Ok(connector)
    }
}
