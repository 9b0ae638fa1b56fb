//! `GET /fulfillments` (shipstation.md, "Shipments and fulfillments").

use futures::Stream;

use crate::client::Client;
use crate::error::Result;
use crate::models::fulfillment::{Fulfillment, FulfillmentQuery};
use crate::models::page::{Page, WirePage};

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
        let wire: WirePage<Fulfillment> = self.client.get("/fulfillments", &q.to_params()).await?;
        Ok(wire.into())
    }

    /// Every fulfillment matching `q`, page after page.
    pub fn list_all(&self, q: FulfillmentQuery) -> impl Stream<Item = Result<Fulfillment>> + '_ {
        let api = *self;
        async_stream::try_stream! {
            let mut q = q;
            let mut page = q.page.unwrap_or(1);
            loop {
                q.page = Some(page);
                let result = api.list(&q).await?;
                let last = page >= result.pages || (result.items.is_empty() && result.null_rows_skipped == 0);
                for fulfillment in result.items {
                    yield fulfillment;
                }
                if last {
                    break;
                }
                page += 1;
            }
        }
    }
}
