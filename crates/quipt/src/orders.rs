//! Orders the merchant must fulfil (`shared/api/quipt.md`, "Orders the merchant must fulfil" and
//! "Acknowledging, shipping, cancelling"): one method per endpoint.
//!
//! The writes Quipt does not de-duplicate (acknowledge, soft and hard cancel, void) are sent once;
//! when the answer is lost the order is read back and only what `settle::missing` finds missing is
//! sent. That happens here, inside the write method, rather than as an "outcome unknown" error for
//! the engine to resolve: every caller gets the same guarantee without knowing answers can be lost,
//! and the engine's passes keep treating a write's result as final.

use std::collections::HashSet;
use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};

use chrono::{DateTime, SecondsFormat, Utc};
use futures::Stream;
use reqwest::Method;

use crate::client::{Client, Sent};
use crate::envelope::Page;
use crate::error::{Error, Runaway, UnreadableOrder};
use crate::message::Severity;
use crate::models::{
    AckLine, AckStatus, Acknowledgement, CancelShipment, NewShipment, Order, OrderId, OrderStatus,
    Quantity, ShipOutcome, Shipment, WarehouseId, to_json,
};
use crate::paths;
use crate::retry::Repeat;
use crate::settle::{self, Write};
use crate::text;

/// The orders a listing has brought so far, by a hash of their id (eight bytes an order, however
/// long Quipt's ids are: a listing may hold every order of the account).
#[derive(Debug, Default)]
struct Listed(HashSet<u64>, u64);

impl Listed {
    /// How many distinct orders were listed (an unreadable one counts as one).
    fn len(&self) -> u64 {
        self.0.len() as u64 + self.1
    }

    /// How many of a page's `items` no earlier page brought; an order that could not be read
    /// counts as new (it has no id to compare).
    fn count_new(&mut self, items: &[Result<Order, Error>]) -> usize {
        let hasher = BuildHasherDefault::<DefaultHasher>::default();
        items
            .iter()
            .filter(|item| match item {
                Ok(order) => self.0.insert(hasher.hash_one(&order.id)),
                Err(_) => {
                    self.1 += 1;
                    true
                }
            })
            .count()
    }
}

/// One order of a page as read: an order, or [`Error::UnreadableOrder`] with what could be told
/// of it. Each is read on its own, so that one order Quipt sends in a form the contract does not
/// describe (a quantity as text, a date no calendar has) is that order's problem, not the page's.
fn read_order(value: serde_json::Value) -> Result<Order, Error> {
    let text = |field: &str| value.get(field).and_then(|v| v.as_str()).map(text::bounded);
    let (id, order_number) = (text("Id"), text("OrderNumber"));
    let status = value
        .get("Status")
        .and_then(serde_json::Value::as_i64)
        .map(OrderStatus::from_code);
    let modified_at = value
        .get("ModifiedAt")
        .and_then(|v| v.as_str())
        .and_then(|at| DateTime::parse_from_rfc3339(at).ok())
        .map(|at| at.with_timezone(&Utc));
    serde_path_to_error::deserialize(value).map_err(|e| {
        Error::UnreadableOrder(Box::new(UnreadableOrder {
            id,
            order_number,
            modified_at,
            status,
            path: text::bounded(&e.path().to_string()),
            problem: text::bounded(&e.into_inner().to_string()),
        }))
    })
}

/// The pages a listing may run to when Quipt announces no `Total` (two million orders at the
/// largest page size).
const PAGES_WITHOUT_A_TOTAL: u64 = 10_000;

/// Largest page size Quipt accepts.
pub const MAX_PAGE_SIZE: u32 = 200;

/// Related collections to embed in listed orders (`include`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Include {
    /// `Shipments[]`.
    Shipments,
    /// `Cancellations[]`.
    Cancellations,
    /// Lines' `Acknowledgements[]`.
    Acknowledgements,
    /// Fulfillments.
    Fulfillments,
}

impl Include {
    /// The name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Shipments => "Shipments",
            Self::Cancellations => "Cancellations",
            Self::Acknowledgements => "Acknowledgements",
            Self::Fulfillments => "Fulfillments",
        }
    }

    /// Every include, for "get everything".
    pub const ALL: [Include; 4] = [
        Self::Shipments,
        Self::Cancellations,
        Self::Acknowledgements,
        Self::Fulfillments,
    ];
}

/// Filters of the order list; the default lists every order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OrderQuery {
    /// Only these statuses (`orderStatus`); empty = all.
    pub statuses: Vec<OrderStatus>,
    /// Only these warehouses (`warehouseIds`); empty = all.
    pub warehouse_ids: Vec<WarehouseId>,
    /// Only orders changed strictly after this instant (`modifiedAfter`), for incremental polling.
    pub modified_after: Option<DateTime<Utc>>,
    /// Embedded collections (`include`).
    pub include: Vec<Include>,
}

impl OrderQuery {
    /// The query string pairs, unencoded.
    pub(crate) fn to_pairs(&self) -> Vec<(String, String)> {
        let mut pairs = Vec::new();
        let join = |items: Vec<String>| items.join(",");
        if !self.statuses.is_empty() {
            let codes = self.statuses.iter().map(|s| s.code().to_string()).collect();
            pairs.push((paths::Q_ORDER_STATUS.to_string(), join(codes)));
        }
        if !self.warehouse_ids.is_empty() {
            let ids = self.warehouse_ids.iter().map(|w| w.0.clone()).collect();
            pairs.push((paths::Q_WAREHOUSE_IDS.to_string(), join(ids)));
        }
        if let Some(t) = self.modified_after {
            pairs.push((
                paths::Q_MODIFIED_AFTER.to_string(),
                t.to_rfc3339_opts(SecondsFormat::Millis, true),
            ));
        }
        if !self.include.is_empty() {
            let names = self
                .include
                .iter()
                .map(|i| i.as_str().to_string())
                .collect();
            pairs.push((paths::Q_INCLUDE.to_string(), join(names)));
        }
        pairs
    }
}

/// The orders endpoints; from [`Client::orders`].
#[derive(Debug, Clone, Copy)]
pub struct OrdersApi<'a> {
    client: &'a Client,
}

impl Client {
    /// Orders to fulfil: list, get, acknowledge, ship, void, cancel.
    pub fn orders(&self) -> OrdersApi<'_> {
        OrdersApi { client: self }
    }
}

impl OrdersApi<'_> {
    /// `GET /orders/fulfillment/{pageSize}/{pageNumber}`: one page (pages start at 1;
    /// `page_size` ≤ [`MAX_PAGE_SIZE`], Quipt answers 400 otherwise).
    ///
    /// # Errors
    /// See [`Error`]; a malformed envelope fails the page, a malformed order does not: it is
    /// [`Error::UnreadableOrder`] among the page's items.
    pub async fn list(
        &self,
        query: &OrderQuery,
        page_size: u32,
        page_number: u32,
    ) -> Result<Page<Result<Order, Error>>, Error> {
        let envelope = self
            .client
            .call::<Vec<serde_json::Value>>(
                Method::GET,
                &paths::orders_page(page_size, page_number),
                &query.to_pairs(),
                None,
            )
            .await?;
        let paging = envelope.paging.unwrap_or_default();
        let items = envelope
            .result
            .unwrap_or_default()
            .into_iter()
            .map(read_order)
            .collect();
        Ok(Page {
            page_number: if paging.page_number == 0 {
                page_number
            } else {
                paging.page_number
            },
            total: paging.total,
            has_more_records: paging.has_more_records,
            items,
        })
    }

    /// Every matching order, page after page, until Quipt says there are no more records. A page
    /// that brings only orders of earlier pages while Quipt says more records follow (a caching
    /// proxy answering page 1 to every page, or a bug), or more pages than Quipt's own `Total`
    /// fills, ends the listing in [`Error::EndlessListing`]: orders that move between pages while
    /// listing by modified date make a page with *some* repeats, which goes on, and the last page
    /// ends it whatever it holds.
    ///
    /// An order Quipt sends in a form the contract does not describe is an
    /// [`Error::UnreadableOrder`] item, and the listing goes on past it: the caller records it
    /// against that order. A page with no order although Quipt says more records follow stops it
    /// in [`Error::ListingCutShort`], as does a last page that leaves fewer orders listed than
    /// Quipt's `Total` (orders were skipped). Any other error is the listing's
    /// last item.
    pub fn list_all(
        &self,
        query: OrderQuery,
        page_size: u32,
    ) -> impl Stream<Item = Result<Order, Error>> + '_ {
        let api = *self;
        async_stream::stream! {
            let mut listed = Listed::default();
            let mut page_number = 1;
            loop {
                let page = match api.list(&query, page_size, page_number).await {
                    Ok(page) => page,
                    Err(e) => {
                        yield Err(e);
                        break;
                    }
                };
                let new = listed.count_new(&page.items);
                let more = page.has_more_records;
                let short = if more {
                    page.items.is_empty()
                } else {
                    listed.len() < page.total
                };
                if short {
                    yield Err(Error::ListingCutShort {
                        endpoint: paths::ORDERS,
                        page: page_number,
                        listed: listed.len(),
                        total: page.total,
                    });
                    break;
                }
                let stop = |runaway| Error::EndlessListing {
                    endpoint: paths::ORDERS,
                    page: page_number,
                    runaway,
                };
                if more && new == 0 {
                    yield Err(stop(Runaway::OnlyRepeats));
                    break;
                }
                let total = page.total;
                for item in page.items {
                    yield item;
                }
                if !more {
                    break;
                }
                // One page past those `Total` fills is read (orders added while listing); more is
                // a listing that would not end. Without a `Total`, only a number of pages no
                // account fills ends it.
                let filled = match total {
                    0 => PAGES_WITHOUT_A_TOTAL,
                    total => total.div_ceil(u64::from(page_size.max(1))),
                };
                if u64::from(page_number) > filled {
                    yield Err(stop(Runaway::BeyondTotal { total }));
                    break;
                }
                page_number += 1;
            }
        }
    }

    /// `GET /orders/fulfillment/id/{id}`: one order with everything included.
    ///
    /// # Errors
    /// `Api { status: 404 }` for an unknown id.
    pub async fn get(&self, id: &OrderId) -> Result<Order, Error> {
        let query: Vec<(String, String)> = OrderQuery {
            include: Include::ALL.to_vec(),
            ..OrderQuery::default()
        }
        .to_pairs();
        let path = paths::order(&id.0);
        let envelope = self
            .client
            .call::<Order>(Method::GET, &path, &query, None)
            .await?;
        envelope.result.ok_or(Error::NoResult { endpoint: path })
    }

    /// `POST /orders/fulfillment/{id}/acknowledgements`. A line with [`AckStatus::Rejected`]
    /// cancels that quantity and **cannot be undone**, so with a rejection the order is read first:
    /// that is what tells, should the answer be lost, whether the rejection happened.
    ///
    /// # Errors
    /// `Api { status: 200 }` (`Success: false`) when rejecting on a Shipped or Canceled order;
    /// `OutcomeUnknown` when the answer was lost and the order could not be read back.
    pub async fn acknowledge(&self, id: &OrderId, ack: &Acknowledgement) -> Result<(), Error> {
        let rejects = ack.lines.iter().any(|l| l.status == AckStatus::Rejected);
        let before = if rejects {
            Some(self.get(id).await?)
        } else {
            None
        };
        self.write(id, Write::acknowledge(ack.clone(), before.as_ref()))
            .await
    }

    /// `POST /orders/fulfillment/{id}/shipments`: reports one package. Repeating an `ExternalId`
    /// changes nothing and returns the existing shipment with `already_existed`.
    ///
    /// # Errors
    /// `Api { status: 200 }` (`Success: false`, Severity 2) when the order is Shipped or Canceled;
    /// `Api { status: 400 }` for quantities beyond what is left.
    pub async fn ship(&self, id: &OrderId, shipment: &NewShipment) -> Result<ShipOutcome, Error> {
        let path = paths::shipments(&id.0);
        let envelope = self
            .client
            .call::<Shipment>(Method::POST, &path, &[], Some(to_json(shipment)))
            .await?;
        // The contract's signal for a repeated ExternalId is a Warning on a successful answer.
        let already_existed = envelope
            .messages
            .iter()
            .any(|m| m.severity == Severity::Warning);
        let shipment = envelope.result.ok_or(Error::NoResult { endpoint: path })?;
        Ok(ShipOutcome {
            shipment,
            already_existed,
        })
    }

    /// `POST /orders/fulfillment/{id}/shipments/{externalId}/void`: withdraws a shipment whose
    /// label was voided; its quantities return to unshipped.
    ///
    /// # Errors
    /// `Api { status: 404 }` for an unknown order or shipment; `OutcomeUnknown` when the answer was
    /// lost and the order could not be read back.
    pub async fn void_shipment(&self, id: &OrderId, external_id: &str) -> Result<(), Error> {
        let external_id = external_id.to_string();
        self.write(id, Write::VoidShipment { external_id }).await
    }

    /// `POST /orders/fulfillment/{id}/cancel-shipment`: soft cancel. Lines become "Cancelled By
    /// Warehouse" (SubStatus 95) and the order stays Open, so Quipt can fill it another way.
    ///
    /// # Errors
    /// `Api { status: 200 }` (`Success: false`) when the order is Shipped or Canceled;
    /// `OutcomeUnknown` when the answer was lost and the order could not be read back.
    pub async fn cancel_shipment(
        &self,
        id: &OrderId,
        cancel: &CancelShipment,
    ) -> Result<(), Error> {
        self.write(id, Write::CancelShipment(cancel.clone())).await
    }

    /// Hard cancel: rejects every line's remaining quantity, so the order becomes Canceled and
    /// the buyer is refunded. Irreversible. The acknowledgement body has no reason field in the
    /// contract, so `reason` is only logged. `order` is the order as just read: should the answer
    /// be lost, what has been canceled since is measured from it.
    ///
    /// # Errors
    /// As [`acknowledge`](Self::acknowledge).
    pub async fn cancel_quantity(&self, order: &Order, reason: &str) -> Result<(), Error> {
        tracing::info!(order = %order.id, reason, "hard-cancelling a Quipt order");
        let remaining: Vec<AckLine> = order
            .lines
            .iter()
            .filter(|l| l.remaining() > 0.0)
            .map(|l| AckLine {
                line_id: l.id.clone(),
                status: AckStatus::Rejected,
                quantity: Quantity {
                    units: l.ordered.units,
                    value: l.remaining(),
                },
            })
            .collect();
        // With nothing left to reject, still send every line (quantity 0) so that Quipt, not
        // this client, says whether the order can be cancelled.
        let lines = if remaining.is_empty() {
            order
                .lines
                .iter()
                .map(|l| AckLine {
                    line_id: l.id.clone(),
                    status: AckStatus::Rejected,
                    quantity: Quantity {
                        units: l.ordered.units,
                        value: 0.0,
                    },
                })
                .collect()
        } else {
            remaining
        };
        let ack = Acknowledgement { lines };
        self.write(&order.id, Write::acknowledge(ack, Some(order)))
            .await
    }

    /// Sends a write that is not safe to repeat. When its answer is lost, reads the order back
    /// and sends only what [`settle::missing`] finds missing, at most `max_retries` times.
    async fn write(&self, id: &OrderId, mut write: Write) -> Result<(), Error> {
        let mut resent = 0;
        loop {
            let (path, body) = write.request(id);
            let sent = self
                .client
                .send::<serde_json::Value>(Method::POST, &path, &[], body, Repeat::CheckFirst)
                .await?;
            let Sent::Lost { cause } = sent else {
                return Ok(());
            };
            let endpoint = format!("POST {path}");
            let now = self.get(id).await.map_err(|read| Error::OutcomeUnknown {
                endpoint: endpoint.clone(),
                cause: Box::new(read),
            })?;
            self.client.count(|m| m.read_back += 1);
            match settle::missing(&write, &now) {
                None => {
                    tracing::info!(order = %id, endpoint, "quipt: the lost answer's write happened; nothing is resent");
                    return Ok(());
                }
                // It did not happen: the cause stands, and the next run decides from the order.
                Some(_) if resent >= self.client.policy().max_retries => return Err(cause),
                Some(rest) => {
                    tracing::warn!(order = %id, endpoint, "quipt: the lost answer's write did not (fully) happen; sending what is missing");
                    resent += 1;
                    write = rest;
                }
            }
        }
    }
}
