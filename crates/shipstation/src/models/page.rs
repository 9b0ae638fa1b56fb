//! One page of a paged list (`GET /orders`, `/shipments`, `/fulfillments`), read row by row: one
//! row ShipStation sends in a form the contract does not describe (`"voided": "false"`, a date no
//! calendar has) is that row's problem, told apart with what could be read of it
//! ([`UnreadableRow`]), not the page's, so the other rows of the listing still count.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::pacific_time;
use crate::text;

/// One page of results. `null` rows the API sent are skipped and counted, rows that do not read
/// are set apart, neither is returned among the items.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The rows of this page that read.
    pub items: Vec<T>,
    /// The rows of this page that did not read, with what could be told of each.
    pub unreadable: Vec<UnreadableRow>,
    /// `total`: rows matching the query over all pages.
    pub total: u64,
    /// `page` (1-based).
    pub page: u32,
    /// `pages`: number of pages (0 when nothing matches).
    pub pages: u32,
    /// How many `null` rows the API sent on this page.
    pub null_rows_skipped: u32,
}

impl<T> Page<T> {
    /// Whether a later page exists.
    pub fn has_next(&self) -> bool {
        self.page < self.pages
    }
}

/// What could be told of a listed row ShipStation sent in a form the contract does not describe:
/// the ids and dates that did read, so that the caller can name the order it belongs to and keep
/// its cursor from moving past it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("ShipStation sent {} in a form the connector cannot read, at `{path}`: {problem}", self.named())]
pub struct UnreadableRow {
    /// `shipmentId` (a label's row).
    pub shipment_id: Option<i64>,
    /// `fulfillmentId` (a fulfilment's row).
    pub fulfillment_id: Option<i64>,
    /// `orderId`: the order's own, or the one the label or fulfilment belongs to.
    pub order_id: Option<i64>,
    /// `orderKey`.
    pub order_key: Option<String>,
    /// `orderNumber`.
    pub order_number: Option<String>,
    /// `createDate`.
    pub create_date: Option<DateTime<Utc>>,
    /// `modifyDate`.
    pub modify_date: Option<DateTime<Utc>>,
    /// `voidDate`.
    pub void_date: Option<DateTime<Utc>>,
    /// JSON path of the offending value within the row, e.g. `voided`.
    pub path: String,
    /// What the parser found, cut short.
    pub problem: String,
}

impl UnreadableRow {
    /// The row in the operator's words: "label 123 of order 1001".
    fn named(&self) -> String {
        let what = match (self.shipment_id, self.fulfillment_id) {
            (Some(id), _) => format!("label {id}"),
            (None, Some(id)) => format!("fulfilment {id}"),
            (None, None) => match self.order_id {
                Some(id) => return format!("order {id}{}", self.of_number(" (", ")")),
                None => "a row".to_owned(),
            },
        };
        format!("{what}{}", self.of_number(" of order ", ""))
    }

    fn of_number(&self, before: &str, after: &str) -> String {
        self.order_number
            .as_deref()
            .map(|number| format!("{before}{number}{after}"))
            .unwrap_or_default()
    }

    /// What can be read of `row`, which did not read as a whole.
    fn of(row: &serde_json::Value, error: serde_path_to_error::Error<serde_json::Error>) -> Self {
        let id = |field: &str| row.get(field).and_then(serde_json::Value::as_i64);
        let text = |field: &str| row.get(field).and_then(|v| v.as_str()).map(text::bounded);
        let date = |field: &str| {
            row.get(field)
                .and_then(|v| v.as_str())
                .and_then(pacific_time::parse_timestamp)
        };
        Self {
            shipment_id: id("shipmentId"),
            fulfillment_id: id("fulfillmentId"),
            order_id: id("orderId"),
            order_key: text("orderKey"),
            order_number: text("orderNumber"),
            create_date: date("createDate"),
            modify_date: date("modifyDate"),
            void_date: date("voidDate"),
            path: text::bounded(&error.path().to_string()),
            problem: text::bounded(&error.into_inner().to_string()),
        }
    }
}

/// Builds a page from the rows as sent: `null` ones skipped and counted, each other one read on
/// its own.
pub(crate) fn from_rows<T: DeserializeOwned>(
    rows: Vec<serde_json::Value>,
    total: u64,
    page: u32,
    pages: u32,
) -> Page<T> {
    let mut read = Page {
        items: Vec::with_capacity(rows.len()),
        unreadable: Vec::new(),
        total,
        page,
        pages,
        null_rows_skipped: 0,
    };
    for row in rows {
        if row.is_null() {
            read.null_rows_skipped = read.null_rows_skipped.saturating_add(1);
            continue;
        }
        match serde_path_to_error::deserialize::<_, T>(&row) {
            Ok(item) => read.items.push(item),
            Err(error) => read.unreadable.push(UnreadableRow::of(&row, error)),
        }
    }
    read
}

/// `{"orders"|"shipments"|"fulfillments": [...], "total", "page", "pages"}`; the rows are read
/// one by one ([`from_rows`]).
#[derive(Debug, Deserialize)]
pub(crate) struct WirePage {
    #[serde(
        alias = "orders",
        alias = "shipments",
        alias = "fulfillments",
        default = "Vec::new"
    )]
    pub rows: Vec<serde_json::Value>,
    #[serde(default)]
    pub total: u64,
    #[serde(default)]
    pub page: u32,
    #[serde(default)]
    pub pages: u32,
}

impl WirePage {
    /// The page, its rows read as `T`.
    pub(crate) fn read<T: DeserializeOwned>(self) -> Page<T> {
        from_rows(self.rows, self.total, self.page, self.pages)
    }
}
