//! `GET /shipments` (shipstation.md, "Shipments and fulfillments").

use futures::Stream;

use crate::client::Client;
use crate::error::Result;
use crate::models::page::{Page, WirePage};
use crate::models::shipment::{Shipment, ShipmentQuery};

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
        let wire: WirePage<Shipment> = self.client.get("/shipments", &q.to_params()).await?;
        Ok(wire.into())
    }

    /// Every shipment matching `q`, page after page.
    pub fn list_all(&self, q: ShipmentQuery) -> impl Stream<Item = Result<Shipment>> + '_ {
        let api = *self;
        async_stream::try_stream! {
            let mut q = q;
            let mut page = q.page.unwrap_or(1);
            loop {
                q.page = Some(page);
                let result = api.list(&q).await?;
                let last = page >= result.pages || (result.items.is_empty() && result.null_rows_skipped == 0);
                for shipment in result.items {
                    yield shipment;
                }
                if last {
                    break;
                }
                page += 1;
            }
        }
    }
}
