//! Scripted faults of the ShipStation simulator: what a test or a demo can make go wrong. The gate
//! (`gate.rs`) takes them; `crate::connection` closes a connection without an answer.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::rules::Write;
use crate::faults::{CountedBody, LostAnswers, Outage, RouteFailure, RouteFault};

/// The faults currently armed. Counters count down as requests consume them.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    /// Answer the next `n` API requests with this status (a 5xx) and an error body.
    pub fail_next: Option<(u32, u16)>,
    /// Close the next `n` API connections without any response.
    pub drop_next: u32,
    /// Delay every API response by this much.
    pub latency: Duration,
    /// Any list page containing an order with one of these numbers answers 500, and so does a
    /// create holding one (nothing of that call takes effect): ShipStation failing on a body it
    /// cannot take, as it does for some, instead of refusing it.
    pub poison_order_numbers: Vec<String>,
    /// Insert `null` rows into order, shipment and fulfillment lists.
    pub null_rows: bool,
    /// Listed rows of an order number with one value replaced by one the contract does not
    /// describe (a poison row the rest of its page is readable around).
    pub garbled_rows: Vec<GarbledRow>,
    /// Bulk and single creates fail (per order, HTTP 200) for orders whose number contains this.
    pub bulk_fail_matching: Option<String>,
    /// Answer the next `n` API requests with 200 and this body instead of the real answer.
    pub garbage_next: Option<CountedBody>,
    /// Down until a simulated instant (before auth and the rate window: no budget is used).
    pub outage: Option<Outage>,
    /// Requests to one endpoint that fail after some were served.
    pub route: Option<RouteFault>,
    /// Creates left whose answer is lost after they took effect, and of which call.
    pub answer_lost: Option<LostAnswers<Write>>,
}

/// A value listed rows of one order (the order's own, its labels', its fulfilments') carry instead
/// of the real one: `{"orderNumber": "1001", "pointer": "/voided", "value": "false"}`. Rows without
/// the pointer's field are left as they are.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GarbledRow {
    /// The order number whose rows are garbled.
    pub order_number: String,
    /// JSON pointer of the field within a row, e.g. `/voided`.
    pub pointer: String,
    /// What the field holds instead.
    pub value: serde_json::Value,
}

/// What the middleware must do with one admitted request, decided once from [`Faults`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Injected {
    /// Nothing: answer normally.
    None,
    /// Answer with this status and ShipStation's loose error body.
    Fail(u16),
    /// Close the connection without a response.
    Drop,
    /// Answer 200 with this body.
    Garbage(String),
}

impl Faults {
    /// The outage in force at `now`, if any.
    pub fn outage_at(&mut self, now: DateTime<Utc>) -> Option<Outage> {
        Outage::in_force(&mut self.outage, now)
    }

    /// Whether the answer to this write, which took effect, is to be lost (counting it down).
    pub fn take_answer_lost(&mut self, write: Write) -> bool {
        LostAnswers::take(&mut self.answer_lost, write)
    }

    /// Consumes one armed fault for the next request, to `endpoint` (as the statistics name it),
    /// if any: one armed for that endpoint first, then the counted ones.
    pub fn take(&mut self, endpoint: &str) -> Injected {
        match RouteFault::take(&mut self.route, endpoint) {
            Some(RouteFailure::Status(status)) => return Injected::Fail(status),
            Some(RouteFailure::Dropped) => return Injected::Drop,
            None => {}
        }
        if self.drop_next > 0 {
            self.drop_next -= 1;
            return Injected::Drop;
        }
        if let Some((left, status)) = self.fail_next.as_mut() {
            let status = *status;
            *left = left.saturating_sub(1);
            if *left == 0 {
                self.fail_next = None;
            }
            return Injected::Fail(status);
        }
        CountedBody::take(&mut self.garbage_next).map_or(Injected::None, Injected::Garbage)
    }
}
