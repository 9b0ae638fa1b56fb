//! The account rules: how the API's writes move an order (acknowledge, ship, void, cancel
//! shipment — `shared/api/quipt.md`, "Acknowledging, shipping, cancelling"), and what a Quipt user
//! does to one (clear validation, cancel, edit the address). Each rule takes the time it happens
//! at, so the simulated clock decides every date.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::records::*;

/// Why a control action could not be done.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ControlError {
    /// No order has this id.
    #[error("no order with id {id}")]
    UnknownOrder {
        /// The id asked for.
        id: String,
    },
    /// The order is not in the status the action needs.
    #[error("order {id} is {status}, the action needs it {needed}")]
    WrongStatus {
        /// The order.
        id: String,
        /// Its status name.
        status: &'static str,
        /// The status the action needs.
        needed: &'static str,
    },
    /// No channel (partner) or warehouse has this code.
    #[error("no {what} with code {code}")]
    UnknownCode {
        /// `channel` or `warehouse`.
        what: &'static str,
        /// The code asked for.
        code: String,
    },
}

/// A kind of API write, named as the control API names it (`lose_answer_next.write`, the
/// `effects` of `/__control/stats`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Write {
    /// An acknowledgement accepting lines.
    Acknowledge,
    /// An acknowledgement rejecting a quantity (the hard cancel).
    Reject,
    /// A shipment (one package).
    Ship,
    /// A shipment withdrawn.
    Void,
    /// A soft cancel.
    CancelShipment,
}

/// The result of an API write, before it becomes HTTP.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// 200, `Success: true`, with a result and maybe warnings; `effect` is the write that changed
    /// the order, `None` when it was already done (a repeat by `ExternalId`).
    Done {
        result: serde_json::Value,
        messages: Vec<SimMessage>,
        effect: Option<Write>,
    },
    /// 404.
    NotFound(String),
    /// 400.
    BadRequest(String),
    /// 200, `Success: false`, Severity 2 (the request was understood but the order refuses it).
    Refused(SimMessage),
}

/// Body of `POST /orders/fulfillment/{id}/acknowledgements`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct AckBody {
    pub lines: Vec<AckLineBody>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct AckLineBody {
    pub line_id: String,
    pub status: i64,
    pub quantity: SimQuantity,
}

/// Body of `POST /orders/fulfillment/{id}/shipments`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct ShipBody {
    pub external_id: String,
    pub ship_at: DateTime<Utc>,
    pub tracking_number: String,
    #[serde(default)]
    pub carrier_method: Option<SimCarrierMethod>,
    pub lines: Vec<SimShipmentLine>,
}

/// Body of `POST /orders/fulfillment/{id}/cancel-shipment`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct CancelShipmentBody {
    pub reason: String,
    #[serde(default)]
    pub external_id: Option<String>,
}

fn closed_refusal(order: &SimOrder, what: &str) -> Option<SimMessage> {
    (order.status == STATUS_SHIPPED || order.status == STATUS_CANCELED).then(|| {
        SimMessage::fatal(
            "OrderClosed",
            format!(
                "Order {} is {}; it cannot be {what}.",
                order.order_number,
                status_name(order.status)
            ),
        )
    })
}

fn to_value<T: Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).expect("simulator objects always serialize")
}

impl SimOrder {
    /// Moves the status after quantities changed: Canceled when every line is canceled, Shipped
    /// when every line is shipped or canceled, back to Open when a void reopened a Shipped order.
    pub fn settle_status(&mut self) {
        if self.lines.is_empty() {
            return;
        }
        let all_done = self.lines.iter().all(|l| l.remaining() <= 0.0);
        let nothing_shipped = self.lines.iter().all(|l| l.shipped.value <= 0.0);
        if all_done {
            self.status = if nothing_shipped {
                STATUS_CANCELED
            } else {
                STATUS_SHIPPED
            };
        } else if self.status == STATUS_SHIPPED {
            self.status = STATUS_OPEN;
        }
    }
}

// ----- acting as a Quipt user ------------------------------------------------------------------

/// Quipt clears an order's validation: Pending (2) → Open (4).
pub(crate) fn clear_validation(
    order: &mut SimOrder,
    now: DateTime<Utc>,
) -> Result<SimOrder, ControlError> {
    if order.status != STATUS_PENDING {
        return Err(ControlError::WrongStatus {
            id: order.id.clone(),
            status: status_name(order.status),
            needed: "Pending",
        });
    }
    order.status = STATUS_OPEN;
    order.touch(now);
    Ok(order.clone())
}

/// A Quipt user cancels the order: every remaining quantity is canceled and it becomes Canceled.
pub(crate) fn cancel_order(
    order: &mut SimOrder,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<SimOrder, ControlError> {
    if order.status == STATUS_SHIPPED || order.status == STATUS_CANCELED {
        return Err(ControlError::WrongStatus {
            id: order.id.clone(),
            status: status_name(order.status),
            needed: "Pending or Open",
        });
    }
    for line in &mut order.lines {
        line.canceled.value += line.remaining();
    }
    order.cancellations.push(SimCancellation {
        kind: "Quantity".to_string(),
        reason: Some(reason.to_string()),
        external_id: None,
        at: Some(now),
    });
    order.status = STATUS_CANCELED;
    order.touch(now);
    Ok(order.clone())
}

/// A Quipt user edits the ship-to address (`None` removes it).
pub(crate) fn edit_ship_to(
    order: &mut SimOrder,
    address: Option<SimAddress>,
    now: DateTime<Utc>,
) -> Result<SimOrder, ControlError> {
    order.ship_to = address;
    order.touch(now);
    Ok(order.clone())
}

// ----- the API's writes ------------------------------------------------------------------------

/// `POST …/acknowledgements`: each line Accepted (1) or Rejected (2); a rejection cancels that
/// quantity, irreversibly.
pub(crate) fn acknowledge(order: &mut SimOrder, body: AckBody, now: DateTime<Utc>) -> Outcome {
    if body.lines.is_empty() {
        return Outcome::BadRequest("Lines must not be empty.".to_string());
    }
    for l in &body.lines {
        if !order.lines.iter().any(|line| line.id == l.line_id) {
            return Outcome::BadRequest(format!("Line {} is not on this order.", l.line_id));
        }
        if l.status != 1 && l.status != 2 {
            return Outcome::BadRequest(format!("Status {} is not 1 or 2.", l.status));
        }
        if l.quantity.value < 0.0 {
            return Outcome::BadRequest("Quantity must not be negative.".to_string());
        }
    }
    let rejects = body.lines.iter().any(|l| l.status == 2);
    let refusal = if rejects {
        closed_refusal(order, "canceled")
    } else if order.status == STATUS_CANCELED {
        closed_refusal(order, "acknowledged")
    } else {
        None
    };
    if let Some(message) = refusal {
        return Outcome::Refused(message);
    }
    let mut rejected_any = false;
    for l in &body.lines {
        let line = order
            .lines
            .iter_mut()
            .find(|line| line.id == l.line_id)
            .expect("checked");
        let quantity = if l.status == 2 {
            let q = l.quantity.value.min(line.remaining());
            line.canceled.value += q;
            rejected_any |= q > 0.0;
            SimQuantity {
                units: l.quantity.units,
                value: q,
            }
        } else {
            l.quantity
        };
        line.acknowledgements.push(SimLineAck {
            status: l.status,
            quantity,
            at: Some(now),
        });
    }
    if rejected_any {
        order.cancellations.push(SimCancellation {
            kind: "Quantity".to_string(),
            reason: Some("Rejected by the merchant".to_string()),
            external_id: None,
            at: Some(now),
        });
        order.settle_status();
    }
    order.touch(now);
    Outcome::Done {
        result: to_value(&*order),
        messages: Vec::new(),
        effect: Some(if rejects {
            Write::Reject
        } else {
            Write::Acknowledge
        }),
    }
}

/// `POST …/shipments`: one package; idempotent by `ExternalId`.
pub(crate) fn ship(order: &mut SimOrder, body: ShipBody, now: DateTime<Utc>) -> Outcome {
    if body.external_id.trim().is_empty() {
        return Outcome::BadRequest("ExternalId is required.".to_string());
    }
    // Idempotency comes first: a retried call after the order became Shipped must still get
    // its shipment back, not an error.
    if let Some(existing) = order
        .shipments
        .iter()
        .find(|s| s.external_id == body.external_id)
    {
        return Outcome::Done {
            result: to_value(existing),
            messages: vec![SimMessage::warning(
                "DuplicateExternalId",
                format!(
                    "A shipment with ExternalId {} already exists; nothing was changed.",
                    body.external_id
                ),
            )],
            effect: None,
        };
    }
    if let Some(message) = closed_refusal(order, "shipped") {
        return Outcome::Refused(message);
    }
    if order.status == STATUS_PENDING {
        return Outcome::Refused(SimMessage::fatal(
            "OrderNotReady",
            format!("Order {} is still Pending validation.", order.order_number),
        ));
    }
    if body.lines.is_empty() {
        return Outcome::BadRequest("Lines must not be empty.".to_string());
    }
    for l in &body.lines {
        let Some(line) = order.lines.iter().find(|line| line.id == l.line_id) else {
            return Outcome::BadRequest(format!("Line {} is not on this order.", l.line_id));
        };
        if l.quantity.value <= 0.0 {
            return Outcome::BadRequest("Quantity must be positive.".to_string());
        }
        let asked: f64 = body
            .lines
            .iter()
            .filter(|x| x.line_id == l.line_id)
            .map(|x| x.quantity.value)
            .sum();
        if asked > line.remaining() {
            return Outcome::BadRequest(format!(
                "Line {} has {} left to ship, not {asked}.",
                l.line_id,
                line.remaining()
            ));
        }
    }
    for l in &body.lines {
        let line = order
            .lines
            .iter_mut()
            .find(|line| line.id == l.line_id)
            .expect("checked");
        line.shipped.value += l.quantity.value;
    }
    let shipment = SimShipment {
        external_id: body.external_id,
        ship_at: Some(body.ship_at),
        tracking_number: Some(body.tracking_number),
        carrier_method: body.carrier_method,
        lines: body.lines,
        voided: false,
    };
    let result = to_value(&shipment);
    order.shipments.push(shipment);
    order.settle_status();
    order.touch(now);
    Outcome::Done {
        result,
        messages: Vec::new(),
        effect: Some(Write::Ship),
    }
}

/// `POST …/shipments/{externalId}/void`: the quantities return to unshipped.
pub(crate) fn void(order: &mut SimOrder, external_id: &str, now: DateTime<Utc>) -> Outcome {
    let Some(i) = order
        .shipments
        .iter()
        .position(|s| s.external_id == external_id)
    else {
        return Outcome::NotFound(format!("No shipment with ExternalId {external_id}."));
    };
    if order.shipments[i].voided {
        return Outcome::Done {
            result: to_value(&order.shipments[i]),
            messages: vec![SimMessage::warning(
                "AlreadyVoided",
                format!("Shipment {external_id} was already voided."),
            )],
            effect: None,
        };
    }
    if order.status == STATUS_CANCELED {
        return Outcome::Refused(SimMessage::fatal(
            "OrderClosed",
            format!(
                "Order {} is Canceled; its shipments cannot change.",
                order.order_number
            ),
        ));
    }
    let lines = order.shipments[i].lines.clone();
    for l in &lines {
        if let Some(line) = order.lines.iter_mut().find(|line| line.id == l.line_id) {
            line.shipped.value = (line.shipped.value - l.quantity.value).max(0.0);
        }
    }
    order.shipments[i].voided = true;
    let result = to_value(&order.shipments[i]);
    order.settle_status();
    order.touch(now);
    Outcome::Done {
        result,
        messages: Vec::new(),
        effect: Some(Write::Void),
    }
}

/// `POST …/cancel-shipment` (soft cancel): lines with something left get SubStatus 95; the order
/// stays Open. Idempotent by `ExternalId`.
pub(crate) fn cancel_shipment(
    order: &mut SimOrder,
    body: CancelShipmentBody,
    now: DateTime<Utc>,
) -> Outcome {
    if body.reason.trim().is_empty() {
        return Outcome::BadRequest("Reason is required.".to_string());
    }
    if let Some(message) = closed_refusal(order, "canceled") {
        return Outcome::Refused(message);
    }
    if let Some(ext) = &body.external_id
        && order
            .cancellations
            .iter()
            .any(|c| c.kind == "Shipment" && c.external_id.as_ref() == Some(ext))
    {
        return Outcome::Done {
            result: to_value(&*order),
            messages: vec![SimMessage::warning(
                "DuplicateExternalId",
                format!("The shipment was already canceled for ExternalId {ext}."),
            )],
            effect: None,
        };
    }
    for line in &mut order.lines {
        if line.remaining() > 0.0 {
            line.sub_status = Some(SUB_STATUS_SOFT_CANCEL);
        }
    }
    order.cancellations.push(SimCancellation {
        kind: "Shipment".to_string(),
        reason: Some(body.reason),
        external_id: body.external_id,
        at: Some(now),
    });
    order.touch(now);
    Outcome::Done {
        result: to_value(&*order),
        messages: Vec::new(),
        effect: Some(Write::CancelShipment),
    }
}
