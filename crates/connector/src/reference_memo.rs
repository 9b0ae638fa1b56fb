//! The ShipStation account's reference data (stores, warehouses, carriers and their services) as the
//! wizard last read it. Reading it takes about six calls of ShipStation's 40 a minute, and the
//! wizard's checks of steps 3, 5 and 7 each need it: within [`FRESH_FOR`] of the last read, for the
//! same account and keys, they reuse it. Entering step 3 and "Refresh store list" read it afresh.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use crate::credentials::Credentials;
use crate::reference::Reference;
use crate::{Endpoints, Result};

/// How long a read serves the wizard's checks.
pub const FRESH_FOR: Duration = Duration::from_secs(120);

/// Which account a read belongs to: a digest of the address and the key pair (the keys themselves
/// are never kept here).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account(String);

impl Account {
    /// The account these endpoints and credentials reach.
    pub fn of(endpoints: &Endpoints, credentials: &Credentials) -> Self {
        let mut digest = Sha256::new();
        for part in [
            endpoints.shipstation.as_str(),
            credentials.shipstation_api_key.expose_secret(),
            credentials.shipstation_api_secret.expose_secret(),
        ] {
            digest.update(part.as_bytes());
            digest.update([0]);
        }
        Self(
            digest
                .finalize()
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect(),
        )
    }
}

/// The last read, if any.
#[derive(Debug, Default)]
pub struct ReferenceMemo(Mutex<Option<(Account, Instant, Reference)>>);

impl ReferenceMemo {
    /// Reads the reference afresh and keeps it.
    ///
    /// # Errors
    /// When ShipStation refuses after retries (nothing is kept then).
    pub async fn read(&self, account: Account, ss: &shipstation::Client) -> Result<Reference> {
        let reference = crate::sync::reference::fetch(ss).await?;
        *self.lock() = Some((account, Instant::now(), reference.clone()));
        Ok(reference)
    }

    /// The kept reference when it is the account's and fresh; otherwise reads it afresh.
    ///
    /// # Errors
    /// As [`read`](Self::read).
    pub async fn recent(&self, account: Account, ss: &shipstation::Client) -> Result<Reference> {
        if let Some(kept) = self.kept(&account, Instant::now()) {
            return Ok(kept);
        }
        self.read(account, ss).await
    }

    /// The kept reference if it is `account`'s and younger than [`FRESH_FOR`] at `now`.
    fn kept(&self, account: &Account, now: Instant) -> Option<Reference> {
        match &*self.lock() {
            Some((kept, at, reference))
                if kept == account && now.saturating_duration_since(*at) < FRESH_FOR =>
            {
                Some(reference.clone())
            }
            _ => None,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<(Account, Instant, Reference)>> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(key: &str) -> Account {
        Account(key.to_owned())
    }

    #[test]
    fn a_read_serves_the_same_account_while_fresh_and_no_other() {
        let memo = ReferenceMemo::default();
        let read_at = Instant::now();
        *memo.lock() = Some((account("a"), read_at, Reference::default()));
        assert!(memo.kept(&account("a"), read_at).is_some());
        assert!(
            memo.kept(&account("a"), read_at + FRESH_FOR - Duration::from_secs(1))
                .is_some(),
            "still fresh"
        );
        assert!(
            memo.kept(&account("a"), read_at + FRESH_FOR).is_none(),
            "stale: read afresh"
        );
        assert!(
            memo.kept(&account("b"), read_at).is_none(),
            "other keys or another address: read afresh"
        );
    }
}
