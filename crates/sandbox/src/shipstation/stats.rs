//! What the simulator counts about the API requests it served (control calls are not counted).

use std::collections::BTreeMap;

use serde::Serialize;

use super::rules::Upserted;

/// Request statistics of the API, and the orders' writes that took effect.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestStats {
    /// Every API request received, including refused ones.
    pub total: u64,
    /// Requests per endpoint, keyed `"METHOD /path/{param}"`.
    pub per_endpoint: BTreeMap<String, u64>,
    /// 429 answers sent.
    pub rate_limited: u64,
    /// 401 answers sent.
    pub unauthorized: u64,
    /// How many times a create call created or updated each order.
    pub effects: Effects,
}

/// Per `orderNumber`, how many times a create call (`createorder` or `createorders`) created the
/// order and how many times it updated it. A second creation of one number is a duplicate order;
/// updates are the safe repeats of the upsert.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Effects {
    /// `orderNumber` → orders created with it.
    pub created: BTreeMap<String, u32>,
    /// `orderNumber` → updates of an existing order (same `orderKey`).
    pub updated: BTreeMap<String, u32>,
}

impl RequestStats {
    /// The requests received at `endpoint` (`"GET /stores"`); 0 for one never called.
    pub fn calls(&self, endpoint: &str) -> u64 {
        self.per_endpoint.get(endpoint).copied().unwrap_or(0)
    }

    /// Counts one request to `endpoint`.
    pub(crate) fn count(&mut self, endpoint: String) {
        self.total += 1;
        *self.per_endpoint.entry(endpoint).or_default() += 1;
    }

    /// Counts one order's create or update.
    pub(crate) fn effect(&mut self, upserted: Upserted, order_number: &str) {
        let per_order = match upserted {
            Upserted::Created => &mut self.effects.created,
            Upserted::Updated => &mut self.effects.updated,
        };
        *per_order.entry(order_number.to_owned()).or_default() += 1;
    }
}
