//! `GET /stores` (shipstation.md, "Reference data").

use crate::client::Client;
use crate::error::Result;
use crate::models::store::Store;

/// Stores of the account. There is no API to create one.
#[derive(Debug, Clone, Copy)]
pub struct StoresApi<'a> {
    client: &'a Client,
}

impl Client {
    /// Stores.
    pub fn stores(&self) -> StoresApi<'_> {
        StoresApi { client: self }
    }
}

impl StoresApi<'_> {
    /// `GET /stores?showInactive=`: the account's stores; inactive ones only when asked for.
    /// `null` rows are skipped.
    ///
    /// # Errors
    /// See [`crate::Error`].
    pub async fn list(&self, show_inactive: bool) -> Result<Vec<Store>> {
        let rows: Vec<Option<Store>> = self
            .client
            .get("/stores", &[("showInactive", show_inactive.to_string())])
            .await?;
        Ok(rows.into_iter().flatten().collect())
    }
}
