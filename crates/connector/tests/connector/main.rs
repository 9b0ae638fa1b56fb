//! The engine's journeys over real HTTP against the sandbox and a real SQLite file: one scenario per
//! setting, tracking and cancellations both ways, faults, bad input, the keyring and secrets.

mod backlog;
mod bad_input;
mod cadence;
mod cancellations;
mod checks;
mod closed_in_quipt;
mod dated_ahead;
mod diagnostics;
mod engine;
mod faults;
mod health;
mod journeys;
mod keyring;
mod local_days;
mod properties;
mod reconciliation;
mod settings_scenarios;
mod settle;
mod soak;
mod support;
mod tracking;
mod unattended;
mod update_feed;
mod wizard_save;
