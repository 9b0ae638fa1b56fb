//! Did a write whose answer was lost happen? A pure decision from the order as Quipt shows it when
//! read back, so a lost answer never makes a write happen twice (SPEC §2: only idempotent calls
//! are repeated blindly). `orders.rs` sends, reads back and resends what [`missing`] returns.
//!
//! | write                                   | it happened when the order read back shows …                                   | sent again when it did not          |
//! |-----------------------------------------|--------------------------------------------------------------------------------|-------------------------------------|
//! | accept lines                            | an Accepted (1) acknowledgement on each line                                   | the lines without one               |
//! | reject a quantity (a hard cancel)       | the line's `Canceled` grown by that quantity since the order was read before   | the rest, at most what remains      |
//! | soft cancel (`cancel-shipment`)         | a `Shipment` cancellation with our `ExternalId` (without one: every line with something left at SubStatus 95) | the same cancel                     |
//! | void a shipment                         | the shipment with that `ExternalId` voided                                     | the same void                       |
//!
//! Shipments need no entry: Quipt de-duplicates them by `ExternalId`, so they are repeated as they
//! are. A write that did not happen is sent again even when Quipt will now refuse it (the order got
//! closed meanwhile): Quipt's refusal is the truthful answer then.

use std::collections::HashMap;

use crate::models::{
    AckLine, AckStatus, Acknowledgement, CancelShipment, LineId, Order, OrderId, Quantity, to_json,
};
use crate::paths;

/// Quantities are decimals on the wire; smaller differences are rounding.
const EPSILON: f64 = 1e-9;

/// A write that is not safe to repeat, with what it must achieve.
#[derive(Clone, Debug, PartialEq)]
pub enum Write {
    /// `POST …/acknowledgements`.
    Acknowledge {
        /// The lines to acknowledge.
        ack: Acknowledgement,
        /// Each line's `Canceled` quantity before the write (needed only for rejections).
        canceled_before: HashMap<LineId, f64>,
    },
    /// `POST …/cancel-shipment` (soft cancel).
    CancelShipment(CancelShipment),
    /// `POST …/shipments/{externalId}/void`.
    VoidShipment {
        /// The shipment's `ExternalId`.
        external_id: String,
    },
}

impl Write {
    /// An acknowledgement, with `before` the order as read before it (for rejections).
    pub fn acknowledge(ack: Acknowledgement, before: Option<&Order>) -> Self {
        let canceled_before = before
            .map(|order| {
                order
                    .lines
                    .iter()
                    .map(|l| (l.id.clone(), l.canceled.value))
                    .collect()
            })
            .unwrap_or_default();
        Self::Acknowledge {
            ack,
            canceled_before,
        }
    }

    /// The path and JSON body of the request for order `id`.
    pub(crate) fn request(&self, id: &OrderId) -> (String, Option<Vec<u8>>) {
        match self {
            Self::Acknowledge { ack, .. } => (paths::acknowledgements(&id.0), Some(to_json(ack))),
            Self::CancelShipment(cancel) => (paths::cancel_shipment(&id.0), Some(to_json(cancel))),
            Self::VoidShipment { external_id } => (paths::void_shipment(&id.0, external_id), None),
        }
    }
}

/// What of `write` is still missing from `order` (read back after the answer was lost); `None`
/// when the write happened.
pub fn missing(write: &Write, order: &Order) -> Option<Write> {
    match write {
        Write::Acknowledge {
            ack,
            canceled_before,
        } => {
            let lines: Vec<AckLine> = ack
                .lines
                .iter()
                .filter_map(|asked| missing_line(asked, canceled_before, order))
                .collect();
            (!lines.is_empty()).then(|| Write::Acknowledge {
                ack: Acknowledgement { lines },
                canceled_before: order
                    .lines
                    .iter()
                    .map(|l| (l.id.clone(), l.canceled.value))
                    .collect(),
            })
        }
        Write::CancelShipment(cancel) => {
            let done = match &cancel.external_id {
                Some(ours) => order
                    .cancellations
                    .iter()
                    .any(|c| c.kind == "Shipment" && c.external_id.as_ref() == Some(ours)),
                None => {
                    order.cancellations.iter().any(|c| c.kind == "Shipment")
                        && order
                            .lines
                            .iter()
                            .filter(|l| l.remaining() > EPSILON)
                            .all(|l| l.sub_status == Some(95))
                }
            };
            (!done).then(|| write.clone())
        }
        Write::VoidShipment { external_id } => {
            let done = order
                .shipments
                .iter()
                .any(|s| &s.external_id == external_id && s.voided);
            (!done).then(|| write.clone())
        }
    }
}

/// What of one acknowledged line is missing: an acceptance the line does not carry, or the part
/// of a rejection by which `Canceled` has not grown.
fn missing_line(
    asked: &AckLine,
    canceled_before: &HashMap<LineId, f64>,
    order: &Order,
) -> Option<AckLine> {
    let Some(line) = order.lines.iter().find(|l| l.id == asked.line_id) else {
        // Not on the order: sent again, so that Quipt says so.
        return Some(asked.clone());
    };
    match asked.status {
        AckStatus::Accepted => (!line.is_accepted()).then(|| asked.clone()),
        AckStatus::Rejected => {
            let before = canceled_before
                .get(&asked.line_id)
                .copied()
                .unwrap_or(line.canceled.value);
            let grown = line.canceled.value - before;
            let rest = (asked.quantity.value - grown).min(line.remaining());
            (rest > EPSILON).then(|| AckLine {
                quantity: Quantity {
                    units: asked.quantity.units,
                    value: rest,
                },
                ..asked.clone()
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::{Cancellation, Line, LineAcknowledgement, OrderStatus, Shipment};
    use rstest::rstest;

    /// An order with lines `a` (2 ordered) and `b` (1 ordered).
    fn order() -> Order {
        let line = |id: &str, ordered: f64| Line {
            id: LineId(id.into()),
            line_number: None,
            title: None,
            item: None,
            ordered: Quantity::each(ordered),
            shipped: Quantity::default(),
            canceled: Quantity::default(),
            price: None,
            tax: None,
            sub_status: None,
            acknowledgements: Vec::new(),
        };
        Order {
            id: OrderId("o".into()),
            order_number: "1".into(),
            status: OrderStatus::Open,
            ordered_at: None,
            modified_at: None,
            partner: None,
            partner_order_number: None,
            warehouse: None,
            ship_to: None,
            bill_to: None,
            requested_carrier_method: None,
            lines: vec![line("a", 2.0), line("b", 1.0)],
            shipments: Vec::new(),
            cancellations: Vec::new(),
        }
    }

    fn ack_line(id: &str, status: AckStatus, quantity: f64) -> AckLine {
        AckLine {
            line_id: LineId(id.into()),
            status,
            quantity: Quantity::each(quantity),
        }
    }

    fn acknowledge(lines: Vec<AckLine>) -> Write {
        Write::acknowledge(Acknowledgement { lines }, Some(&order()))
    }

    fn accepted(mut o: Order, id: &str) -> Order {
        let line = o.lines.iter_mut().find(|l| l.id.0 == id).unwrap();
        line.acknowledgements.push(LineAcknowledgement {
            status: 1,
            quantity: line.ordered,
            at: None,
        });
        o
    }

    fn canceled(mut o: Order, id: &str, quantity: f64) -> Order {
        let line = o.lines.iter_mut().find(|l| l.id.0 == id).unwrap();
        line.canceled.value += quantity;
        o
    }

    fn shipped(mut o: Order, id: &str, quantity: f64) -> Order {
        let line = o.lines.iter_mut().find(|l| l.id.0 == id).unwrap();
        line.shipped.value += quantity;
        o
    }

    fn soft_cancelled(mut o: Order, external_id: Option<&str>) -> Order {
        for l in &mut o.lines {
            l.sub_status = Some(95);
        }
        o.cancellations.push(Cancellation {
            kind: "Shipment".into(),
            reason: None,
            external_id: external_id.map(Into::into),
            at: None,
        });
        o
    }

    fn with_shipment(mut o: Order, external_id: &str, voided: bool) -> Order {
        o.shipments.push(Shipment {
            external_id: external_id.into(),
            ship_at: None,
            tracking_number: None,
            carrier_method: None,
            lines: Vec::new(),
            voided,
        });
        o
    }

    /// The lines and quantities still to send, `None` when the write happened.
    fn left(write: &Write, now: &Order) -> Option<Vec<(String, f64)>> {
        missing(write, now).map(|rest| match rest {
            Write::Acknowledge { ack, .. } => ack
                .lines
                .iter()
                .map(|l| (l.line_id.0.clone(), l.quantity.value))
                .collect(),
            _ => vec![("again".into(), 0.0)],
        })
    }

    use AckStatus::{Accepted, Rejected};

    fn lines(l: &[(&str, f64)]) -> Option<Vec<(String, f64)>> {
        Some(l.iter().map(|(id, q)| (id.to_string(), *q)).collect())
    }

    #[rstest]
    #[case::an_acceptance_that_happened_is_not_sent_again(
        acknowledge(vec![ack_line("a", Accepted, 2.0), ack_line("b", Accepted, 1.0)]),
        accepted(accepted(order(), "a"), "b"),
        None
    )]
    #[case::an_acceptance_that_did_not_happen_is_sent_again(
        acknowledge(vec![ack_line("a", Accepted, 2.0), ack_line("b", Accepted, 1.0)]),
        order(),
        lines(&[("a", 2.0), ("b", 1.0)])
    )]
    #[case::only_the_lines_not_yet_accepted_are_sent(
        acknowledge(vec![ack_line("a", Accepted, 2.0), ack_line("b", Accepted, 1.0)]),
        accepted(order(), "a"),
        lines(&[("b", 1.0)])
    )]
    #[case::a_rejection_that_happened_is_not_sent_again(
        acknowledge(vec![ack_line("a", Rejected, 2.0), ack_line("b", Rejected, 1.0)]),
        canceled(canceled(order(), "a", 2.0), "b", 1.0),
        None
    )]
    #[case::a_rejection_that_did_not_happen_is_sent_again(
        acknowledge(vec![ack_line("a", Rejected, 2.0)]),
        order(),
        lines(&[("a", 2.0)])
    )]
    #[case::only_the_part_not_yet_canceled_is_rejected(
        acknowledge(vec![ack_line("a", Rejected, 2.0)]),
        canceled(order(), "a", 1.0),
        lines(&[("a", 1.0)])
    )]
    #[case::nothing_is_rejected_beyond_what_remains(
        acknowledge(vec![ack_line("a", Rejected, 2.0)]),
        shipped(order(), "a", 2.0),
        None
    )]
    #[case::a_line_not_on_the_order_is_left_for_quipt_to_refuse(
        acknowledge(vec![ack_line("zz", Accepted, 1.0)]),
        order(),
        lines(&[("zz", 1.0)])
    )]
    #[case::a_soft_cancel_recorded_with_our_id_happened(
        Write::CancelShipment(CancelShipment { reason: "r".into(), external_id: Some("ss-7".into()) }),
        soft_cancelled(order(), Some("ss-7")),
        None
    )]
    #[case::someone_elses_soft_cancel_is_not_ours(
        Write::CancelShipment(CancelShipment { reason: "r".into(), external_id: Some("ss-7".into()) }),
        soft_cancelled(order(), Some("other")),
        lines(&[("again", 0.0)])
    )]
    #[case::a_soft_cancel_without_id_happened_when_every_open_line_is_cancelled_by_warehouse(
        Write::CancelShipment(CancelShipment { reason: "r".into(), external_id: None }),
        soft_cancelled(order(), None),
        None
    )]
    #[case::a_soft_cancel_that_did_not_happen_is_sent_again(
        Write::CancelShipment(CancelShipment { reason: "r".into(), external_id: None }),
        order(),
        lines(&[("again", 0.0)])
    )]
    #[case::a_void_that_happened_is_not_sent_again(
        Write::VoidShipment { external_id: "ss-1".into() },
        with_shipment(order(), "ss-1", true),
        None
    )]
    #[case::a_void_that_did_not_happen_is_sent_again(
        Write::VoidShipment { external_id: "ss-1".into() },
        with_shipment(order(), "ss-1", false),
        lines(&[("again", 0.0)])
    )]
    fn a_lost_write_is_decided_from_the_order_read_back(
        #[case] write: Write,
        #[case] now: Order,
        #[case] expected: Option<Vec<(String, f64)>>,
    ) {
        assert_eq!(
            left(&write, &now),
            expected,
            "what is still to send of {write:?}"
        );
    }

    #[test]
    fn a_rejection_resent_in_part_measures_from_the_order_it_was_decided_on() {
        let write = acknowledge(vec![ack_line("a", Rejected, 2.0)]);
        let after_one = canceled(order(), "a", 1.0);
        let rest = missing(&write, &after_one).expect("one unit is still to reject");
        assert_eq!(
            left(&rest, &canceled(after_one.clone(), "a", 1.0)),
            None,
            "once the rest is canceled too, nothing more is sent"
        );
        assert_eq!(
            left(&rest, &after_one),
            lines(&[("a", 1.0)]),
            "the rest is measured from the order it was decided on, not the first one"
        );
    }
}
