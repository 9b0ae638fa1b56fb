//! What the simulator counts about the requests it served (control calls are not counted).

use std::collections::BTreeMap;

use serde::Serialize;

/// Requests the simulator served, outside the control API.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct QuiptStats {
    /// Every API and OAuth request, including refused and faulted ones.
    pub total: u64,
    /// Per endpoint, keyed `"METHOD /path/{pattern}"`.
    pub by_endpoint: BTreeMap<String, u64>,
}

impl QuiptStats {
    /// Counts one request to `endpoint`.
    pub fn count(&mut self, endpoint: String) {
        self.total += 1;
        *self.by_endpoint.entry(endpoint).or_default() += 1;
    }
}
