//! What the simulator counts about the API requests it served (control calls are not counted).

use std::collections::BTreeMap;

use serde::Serialize;

/// Request statistics of the API.
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
}

impl RequestStats {
    /// Counts one request to `endpoint`.
    pub fn count(&mut self, endpoint: String) {
        self.total += 1;
        *self.per_endpoint.entry(endpoint).or_default() += 1;
    }
}
