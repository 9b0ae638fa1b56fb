//! `GET /warehouses` (shipstation.md, "Reference data").

use crate::client::Client;
use crate::error::Result;
use crate::models::warehouse::Warehouse;

/// Ship From Locations of the account.
#[derive(Debug, Clone, Copy)]
pub struct WarehousesApi<'a> {
    client: &'a Client,
}

impl Client {
    /// Warehouses (Ship From Locations).
    pub fn warehouses(&self) -> WarehousesApi<'_> {
        WarehousesApi { client: self }
    }
}

impl WarehousesApi<'_> {
    /// `GET /warehouses`. `null` rows are skipped.
    ///
    /// # Errors
    /// See [`crate::Error`].
    pub async fn list(&self) -> Result<Vec<Warehouse>> {
        let rows: Vec<Option<Warehouse>> = self.client.get("/warehouses", &[]).await?;
        Ok(rows.into_iter().flatten().collect())
    }
}
