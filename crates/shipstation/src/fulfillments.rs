//! `GET /fulfillments` (shipstation.md, "Shipments and fulfillments").

use futures::Stream;

use crate::client::Client;
use crate::error::Result;
use crate::models::fulfillment::{Fulfillment, FulfillmentQuery};
use crate::models::page::{Page, WirePage};
use crate::paging;

/// Orders marked as shipped without a label.
#[derive(Debug, Clone, Copy)]
pub struct FulfillmentsApi<'a> {
    client: &'a Client,
}

impl Client {
    /// Fulfillments (marked shipped without a label).
    pub fn fulfillments(&self) -> FulfillmentsApi<'_> {
        FulfillmentsApi { client: self }
    }
}

impl FulfillmentsApi<'_> {
    /// `GET /fulfillments`: one page; `null` rows skipped and counted.
    ///
    /// # Errors
    /// See [`crate::Error`].
    pub async fn list(&self, q: &FulfillmentQuery) -> Result<Page<Fulfillment>> {
        let wire: WirePage = self.client.get("/fulfillments", &q.to_params()).await?;
        Ok(wire.read())
    }

    /// Every fulfillment matching `q`, page after page; a listing the server would keep going for
    /// ever ends in [`crate::Error::EndlessListing`].
    pub fn list_all(&self, q: FulfillmentQuery) -> impl Stream<Item = Result<Fulfillment>> + '_ {
        let api = *self;
        let (first, page_size) = (q.page, q.page_size);
        let fetch = move |page| {
            let q = FulfillmentQuery {
                page: Some(page),
                ..q.clone()
            };
            async move { api.list(&q).await }
        };
        paging::every_row("/fulfillments", first, page_size, fetch, |fulfillment| {
            fulfillment.fulfillment_id.0
        })
    }
}
