//! `GET /carriers` and `GET /carriers/listservices` (shipstation.md, "Reference data").

use crate::client::Client;
use crate::error::Result;
use crate::models::carrier::{Carrier, Service};

/// Carriers connected to the account and their services.
#[derive(Debug, Clone, Copy)]
pub struct CarriersApi<'a> {
    client: &'a Client,
}

impl Client {
    /// Carriers and their services.
    pub fn carriers(&self) -> CarriersApi<'_> {
        CarriersApi { client: self }
    }
}

impl CarriersApi<'_> {
    /// `GET /carriers`: read carrier codes from here, they depend on how the account connected
    /// each carrier. `null` rows are skipped.
    ///
    /// # Errors
    /// See [`crate::Error`].
    pub async fn list(&self) -> Result<Vec<Carrier>> {
        let rows: Vec<Option<Carrier>> = self.client.get("/carriers", &[]).await?;
        Ok(rows.into_iter().flatten().collect())
    }

    /// `GET /carriers/listservices?carrierCode=`: the services (`serviceCode`s) of one carrier.
    ///
    /// # Errors
    /// See [`crate::Error`]; an unknown carrier is an API error (404 in the sandbox).
    pub async fn list_services(&self, carrier_code: &str) -> Result<Vec<Service>> {
        let rows: Vec<Option<Service>> = self
            .client
            .get(
                "/carriers/listservices",
                &[("carrierCode", carrier_code.to_owned())],
            )
            .await?;
        Ok(rows.into_iter().flatten().collect())
    }
}
