//! Quipt's warehouses (`shared/api/quipt.md`, "Reference lists").

use reqwest::Method;

use crate::client::Client;
use crate::error::Error;
use crate::models::Warehouse;
use crate::paths;

/// The warehouse endpoint; from [`Client::warehouses`].
#[derive(Debug, Clone, Copy)]
pub struct WarehousesApi<'a> {
    client: &'a Client,
}

impl Client {
    /// Quipt's warehouses.
    pub fn warehouses(&self) -> WarehousesApi<'_> {
        WarehousesApi { client: self }
    }
}

impl WarehousesApi<'_> {
    /// `GET /warehouses`: every warehouse; their codes are matched against ShipStation's.
    ///
    /// # Errors
    /// See [`Error`].
    pub async fn list(&self) -> Result<Vec<Warehouse>, Error> {
        let envelope = self
            .client
            .call::<Vec<Warehouse>>(Method::GET, paths::WAREHOUSES, &[], None)
            .await?;
        Ok(envelope.result.unwrap_or_default())
    }
}
