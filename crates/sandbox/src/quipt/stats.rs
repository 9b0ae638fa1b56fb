//! What the simulator counts about the requests it served (control calls are not counted).

use std::collections::BTreeMap;

use serde::Serialize;

use super::rules::Write;

/// Requests the simulator served, outside the control API, and the writes that took effect.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct QuiptStats {
    /// Every API and OAuth request, including refused and faulted ones.
    pub total: u64,
    /// Per endpoint, keyed `"METHOD /path/{pattern}"`.
    pub by_endpoint: BTreeMap<String, u64>,
    /// How many times each kind of write took effect, per order `Id`.
    pub effects: Effects,
}

/// Per kind of write, order `Id` → how many times it took effect. A repeat that changed nothing
/// (same `ExternalId`, a void already done) is not counted, so "never a second effect" reads as
/// no count above 1.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Effects {
    /// Acceptances.
    pub acknowledge: BTreeMap<String, u32>,
    /// Rejections (hard cancels).
    pub reject: BTreeMap<String, u32>,
    /// Shipments.
    pub ship: BTreeMap<String, u32>,
    /// Voids.
    pub void: BTreeMap<String, u32>,
    /// Soft cancels.
    pub cancel_shipment: BTreeMap<String, u32>,
}

impl QuiptStats {
    /// Counts one request to `endpoint`.
    pub(crate) fn count(&mut self, endpoint: String) {
        self.total += 1;
        *self.by_endpoint.entry(endpoint).or_default() += 1;
    }

    /// Counts a write that took effect on order `id`.
    pub(crate) fn effect(&mut self, write: Write, id: &str) {
        let per_order = match write {
            Write::Acknowledge => &mut self.effects.acknowledge,
            Write::Reject => &mut self.effects.reject,
            Write::Ship => &mut self.effects.ship,
            Write::Void => &mut self.effects.void,
            Write::CancelShipment => &mut self.effects.cancel_shipment,
        };
        *per_order.entry(id.to_owned()).or_default() += 1;
    }
}
