//! Quipt's sales channels, which it calls partners (`shared/api/quipt.md`, "Reference lists").

use reqwest::Method;

use crate::client::Client;
use crate::error::Error;
use crate::models::Partner;
use crate::paths;

/// The partner endpoint; from [`Client::partners`].
#[derive(Debug, Clone, Copy)]
pub struct PartnersApi<'a> {
    client: &'a Client,
}

impl Client {
    /// Quipt's sales channels ("partners").
    pub fn partners(&self) -> PartnersApi<'_> {
        PartnersApi { client: self }
    }
}

impl PartnersApi<'_> {
    /// `GET /partners`: every sales channel (Amazon, eBay, …).
    ///
    /// # Errors
    /// See [`Error`].
    pub async fn list(&self) -> Result<Vec<Partner>, Error> {
        let envelope = self
            .client
            .call::<Vec<Partner>>(Method::GET, paths::PARTNERS, &[], None)
            .await?;
        Ok(envelope.result.unwrap_or_default())
    }
}
