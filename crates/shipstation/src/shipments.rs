//! `GET /shipments` (shipstation.md, "Shipments and fulfillments").

use futures::Stream;

use crate::client::Client;
use crate::error::Result;
use crate::models::page::{Page, WirePage};
use crate::models::shipment::{Shipment, ShipmentQuery};
use crate::paging;

/// Labels created in ShipStation.
#[derive(Debug, Clone, Copy)]
pub struct ShipmentsApi<'a> {
    client: &'a Client,
}

impl Client {
    /// Shipments (labels).
    pub fn shipments(&self) -> ShipmentsApi<'_> {
        ShipmentsApi { client: self }
    }
}

impl ShipmentsApi<'_> {
    /// `GET /shipments`: one page; `null` rows skipped and counted.
    ///
    /// # Errors
    /// See [`crate::Error`].
    pub async fn list(&self, q: &ShipmentQuery) -> Result<Page<Shipment>> {
        let wire: WirePage = self.client.get("/shipments", &q.to_params()).await?;
        Ok(wire.read())
    }

    /// Every shipment matching `q`, page after page; a listing the server would keep going for
    /// ever ends in [`crate::Error::EndlessListing`].
    pub fn list_all(&self, q: ShipmentQuery) -> impl Stream<Item = Result<Shipment>> + '_ {
        let api = *self;
        let (first, page_size) = (q.page, q.page_size);
        let fetch = move |page| {
            let q = ShipmentQuery {
                page: Some(page),
                ..q.clone()
            };
            async move { api.list(&q).await }
        };
        paging::every_row("/shipments", first, page_size, fetch, |shipment| {
            shipment.shipment_id.0
        })
    }
}
