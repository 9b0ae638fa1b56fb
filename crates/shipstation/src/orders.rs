//! Order endpoints (shipstation.md, "Orders"): upsert by `orderKey` with full replace, prefix
//! search by number, get, delete.

use futures::Stream;
use serde::Deserialize;

use crate::client::{Client, Deleted};
use crate::error::{Error, Result};
use crate::models::ids::OrderId;
use crate::models::order::{BulkResult, NewOrder, Order, OrderQuery};
use crate::models::page::{Page, WirePage};
use crate::paging;

/// Most orders one `POST /orders/createorders` accepts.
pub const MAX_BULK_ORDERS: usize = 100;

/// Orders of the account.
#[derive(Debug, Clone, Copy)]
pub struct OrdersApi<'a> {
    client: &'a Client,
}

#[derive(Deserialize)]
struct DeleteAnswer {
    #[serde(default)]
    success: Option<bool>,
    #[serde(default)]
    message: Option<String>,
}

impl Client {
    /// Orders: create (upsert), list, get, delete.
    pub fn orders(&self) -> OrdersApi<'_> {
        OrdersApi { client: self }
    }
}

impl OrdersApi<'_> {
    /// `POST /orders/createorders`: creates or updates up to 100 orders in one request (one request
    /// against the rate limit). Per-order failures come back in [`BulkResult`] with HTTP 200; an
    /// update of a shipped or cancelled order is such a failure.
    ///
    /// # Errors
    /// [`Error::TooManyOrders`] for more than 100 orders, before anything is sent; otherwise see
    /// [`crate::Error`] (a malformed batch is a 400 for the whole call).
    pub async fn create_many(&self, orders: &[NewOrder]) -> Result<BulkResult> {
        if orders.len() > MAX_BULK_ORDERS {
            return Err(Error::TooManyOrders {
                count: orders.len(),
            });
        }
        if orders.is_empty() {
            return Ok(BulkResult::default());
        }
        self.client.post("/orders/createorders", orders).await
    }

    /// `POST /orders/createorder`: creates or updates (by `orderKey`) one order and returns it.
    ///
    /// # Errors
    /// A refused order is an [`Error::Api`] with status 400 and the API's reason.
    pub async fn create(&self, order: &NewOrder) -> Result<Order> {
        self.client.post("/orders/createorder", order).await
    }

    /// `GET /orders`: one page. `order_number` is a prefix match here; see [`Self::find_by_number`].
    ///
    /// # Errors
    /// See [`crate::Error`].
    pub async fn list(&self, query: &OrderQuery) -> Result<Page<Order>> {
        let wire: WirePage = self.client.get("/orders", &query.to_params()).await?;
        Ok(wire.read())
    }

    /// Every order matching `query`, page after page from `query.page` (default 1); a listing
    /// the server would keep going for ever ends in [`Error::EndlessListing`].
    pub fn list_all(&self, query: OrderQuery) -> impl Stream<Item = Result<Order>> + '_ {
        let api = *self;
        let (first, page_size) = (query.page, query.page_size);
        let fetch = move |page| {
            let query = OrderQuery {
                page: Some(page),
                ..query.clone()
            };
            async move { api.list(&query).await }
        };
        paging::every_row("/orders", first, page_size, fetch, |order| order.order_id.0)
    }

    /// `GET /orders/{orderId}`.
    ///
    /// # Errors
    /// An unknown or deleted order is an [`Error::Api`] with status 404.
    pub async fn get(&self, id: OrderId) -> Result<Order> {
        self.client.get(&format!("/orders/{id}"), &[]).await
    }

    /// Orders whose number is exactly `number` (several after a split). The API matches prefixes,
    /// so `"100"` would also find `"1001"`; this compares exactly.
    ///
    /// # Errors
    /// See [`crate::Error`].
    pub async fn find_by_number(&self, number: &str) -> Result<Vec<Order>> {
        use futures::TryStreamExt;
        let query = OrderQuery {
            order_number: Some(number.to_owned()),
            page_size: Some(500),
            ..OrderQuery::default()
        };
        let all: Vec<Order> = self.list_all(query).try_collect().await?;
        Ok(all
            .into_iter()
            .filter(|order| order.order_number == number)
            .collect())
    }

    /// `DELETE /orders/{orderId}`: the order becomes inactive (hidden from lists and `get`).
    ///
    /// # Errors
    /// 404 for an unknown order; an answer with `success: false` is an [`Error::Api`] carrying
    /// the API's message.
    pub async fn delete(&self, id: OrderId) -> Result<()> {
        let answer: DeleteAnswer = match self.client.delete(&format!("/orders/{id}")).await? {
            Deleted::Now(answer) => answer,
            Deleted::Before => return Ok(()),
        };
        match answer.success {
            Some(false) => Err(Error::Api {
                status: 200,
                message: answer
                    .message
                    .unwrap_or_else(|| "the order was not deleted".to_owned()),
            }),
            _ => Ok(()),
        }
    }
}
