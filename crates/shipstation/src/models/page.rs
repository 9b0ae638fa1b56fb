//! One page of a paged list (`GET /orders`, `/shipments`, `/fulfillments`).

use serde::Deserialize;

/// One page of results. `null` rows the API sent are skipped and counted, not returned.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The rows of this page.
    pub items: Vec<T>,
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

/// Builds a page from the rows as sent, skipping and counting the `null` ones.
pub(crate) fn from_rows<T>(rows: Vec<Option<T>>, total: u64, page: u32, pages: u32) -> Page<T> {
    let sent = rows.len();
    let items: Vec<T> = rows.into_iter().flatten().collect();
    Page {
        null_rows_skipped: u32::try_from(sent - items.len()).unwrap_or(u32::MAX),
        items,
        total,
        page,
        pages,
    }
}

/// `{"orders"|"shipments"|"fulfillments": [...], "total", "page", "pages"}`.
#[derive(Debug, Deserialize)]
pub(crate) struct WirePage<T> {
    #[serde(
        alias = "orders",
        alias = "shipments",
        alias = "fulfillments",
        default = "Vec::new"
    )]
    pub rows: Vec<Option<T>>,
    #[serde(default)]
    pub total: u64,
    #[serde(default)]
    pub page: u32,
    #[serde(default)]
    pub pages: u32,
}

impl<T> From<WirePage<T>> for Page<T> {
    fn from(wire: WirePage<T>) -> Self {
        from_rows(wire.rows, wire.total, wire.page, wire.pages)
    }
}
