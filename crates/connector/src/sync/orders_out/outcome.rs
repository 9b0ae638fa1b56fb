//! What became of each order pass 2 sent, decided without I/O from what was planned and what
//! ShipStation answered (or, for a cancellation, from the state ShipStation holds the order in):
//!
//! | planned | ShipStation | outcome |
//! |---|---|---|
//! | create / update | accepted, with an `orderId` | created / updated |
//! | create / update / cancel | refused, or no result for the order | refused with ShipStation's words |
//! | create / update / cancel | refused the whole call (400) | refused with ShipStation's words |
//! | create / update / cancel | failed (5xx) on a call of this order alone, while it takes others | it fails on the order: it may or may not have it |
//! | create / update / cancel | no answer to the call (transport, 5xx, 429, …) | unreachable: it may or may not have the order |
//! | cancel | has it open | send its own copy back as `cancelled` |
//! | cancel | accepted that copy | cancelled |
//! | cancel | has it cancelled already | cancelled (nothing sent) |
//! | cancel | does not have it | cancelled (it never got there; nothing sent) |
//! | cancel | has it shipped | cancel after ship: a conflict for the operator (nothing sent) |
//!
//! Nothing here reads the text of an answer: a failed call is told apart by the error's kind and
//! HTTP status, and ShipStation's words are only carried to the operator.

use shipstation::OrderStatus as SsStatus;

use crate::outcome::{Reason, ReasonCode, TimelineKind};
use crate::store::orders::{Change, OrderState, Pushed};

use super::plan::PushKind;

/// What was sent for one order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sent {
    /// The mapping's body, to create or update.
    Push(PushKind),
    /// ShipStation's own copy, set cancelled.
    Cancel,
}

/// ShipStation's answer for one order of a `createorders` call.
#[derive(Debug, Clone, Copy)]
pub enum Answer<'a> {
    /// Accepted, as this `orderId`.
    Accepted {
        /// ShipStation's `orderId`.
        order_id: i64,
    },
    /// Refused; ShipStation's words, for the operator.
    Refused {
        /// `errorMessage`, if any.
        message: Option<&'a str>,
    },
    /// The call as a whole failed, with this error: refused for every order of it (a 400), or
    /// not answered (no answer, a 429, a 5xx from a ShipStation that may be failing on writes).
    CallFailed(&'a shipstation::Error),
    /// ShipStation failed (5xx) on a call of this order alone, while it took others this run (or,
    /// `again`, while it took nothing else, as it failed on the order the last time): the order
    /// is what it fails on, and whether it wrote it is unknown.
    FailedOn {
        /// The call's error.
        error: &'a shipstation::Error,
        /// It failed on the order unanswered before too, and took nothing else this run.
        again: bool,
    },
}

/// What became of one order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PushOutcome {
    /// Created in ShipStation.
    Created {
        /// ShipStation's `orderId`.
        order_id: i64,
    },
    /// Updated in ShipStation.
    Updated {
        /// ShipStation's `orderId`.
        order_id: i64,
    },
    /// Cancelled in ShipStation, or nothing there to cancel.
    Cancelled {
        /// ShipStation's `orderId` (`None`: the order never reached ShipStation).
        order_id: Option<i64>,
        /// Whether this run set it cancelled (false: it already was, or was never there).
        sent: bool,
    },
    /// ShipStation refused it; tried again on the next run.
    Refused(Reason),
    /// ShipStation did not answer: it may or may not have the order. The run fails (when an API
    /// failed, after the tracking and cancellation passes ran); the next run pushes it again, an
    /// upsert by `orderKey`.
    Unreachable(Reason),
    /// Cancelled in Quipt after ShipStation shipped it: a conflict for the operator.
    CancelAfterShip {
        /// ShipStation's `orderId`.
        order_id: i64,
    },
    /// Cancelled in Quipt while a label of ShipStation's still open order is live (a package of
    /// it shipped): the rest is put on hold there rather than cancelled, since the order is
    /// partly on its way, and the conflict is the operator's to settle with the buyer.
    CancelAfterPartShipped {
        /// ShipStation's `orderId`.
        order_id: i64,
        /// What became of the rest there.
        rest: HeldThere,
    },
}

/// What became of ShipStation's copy of an order the connector puts on hold there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeldThere {
    /// To be put on hold: decided, not asked yet.
    ToHold,
    /// On hold there (put on hold now, or already).
    OnHold,
    /// Nothing open left to hold: ShipStation shipped or closed it meanwhile, or it is gone.
    NothingOpen,
    /// ShipStation refused to put it on hold, in its words.
    Refused(String),
}

/// Decides what became of an order from what was sent and ShipStation's answer. Pure.
pub fn outcome(sent: Sent, answer: Answer<'_>) -> PushOutcome {
    match (sent, answer) {
        (Sent::Push(PushKind::Create), Answer::Accepted { order_id }) => {
            PushOutcome::Created { order_id }
        }
        (Sent::Push(PushKind::Update), Answer::Accepted { order_id }) => {
            PushOutcome::Updated { order_id }
        }
        (Sent::Cancel, Answer::Accepted { order_id }) => PushOutcome::Cancelled {
            order_id: Some(order_id),
            sent: true,
        },
        (sent, Answer::Refused { message }) => {
            refused(sent, message.unwrap_or("no result for this order"))
        }
        // A 400 is ShipStation's verdict on the call's body: every order of it is refused.
        (sent, Answer::CallFailed(error)) if error.status() == Some(400) => {
            refused(sent, &error.to_string())
        }
        (sent, Answer::FailedOn { error, again }) => PushOutcome::Refused(Reason::new(
            ReasonCode::FailsOnOrder,
            failed_on(sent, error, again),
        )),
        (sent, Answer::CallFailed(error)) => PushOutcome::Unreachable(Reason::new(
            ReasonCode::Unreachable,
            unconfirmed(sent, error),
        )),
    }
}

/// What the operator is told of a call ShipStation did not answer: what may have happened, and
/// that the next run settles it without a second order.
fn unconfirmed(sent: Sent, error: &dyn std::fmt::Display) -> String {
    let next = match sent {
        Sent::Push(_) => {
            "it may or may not have the order; the next run sends it again, an update by its orderKey that never makes a second one"
        }
        Sent::Cancel => {
            "it may or may not have cancelled the order; the next run reads its copy again first"
        }
    };
    format!("not confirmed by ShipStation ({error}): {next}")
}

/// What the operator is told of an order ShipStation fails on alone: that it may have written it,
/// where to look, and that the next run settles it without a second order.
fn failed_on(sent: Sent, error: &shipstation::Error, again: bool) -> String {
    let what = match sent {
        Sent::Push(_) => "this order",
        Sent::Cancel => "the cancellation of this order",
    };
    let why = if again {
        format!(
            "ShipStation fails on {what} again ({error}), sent alone, and took nothing else this run: something in the order may make it fail (look for something unusual in it in Quipt), or ShipStation fails on every write"
        )
    } else {
        format!(
            "ShipStation fails on {what} ({error}) while it takes others: look for something unusual in the order in Quipt"
        )
    };
    let next = match sent {
        Sent::Push(_) => {
            "it may or may not have the order, and the next run sends it again after the orders new to ShipStation, an update by its orderKey that never makes a second one"
        }
        Sent::Cancel => {
            "it may or may not have cancelled it; the next run reads its copy again first"
        }
    };
    format!("{why}; {next}")
}

/// The outcome of an order whose push the run stopped before settling, on `error` (another
/// half's call went unanswered, or the history failed): unconfirmed, sent again next run.
pub fn stopped(sent: Sent, error: &crate::Error) -> PushOutcome {
    PushOutcome::Unreachable(Reason::new(
        ReasonCode::Unreachable,
        unconfirmed(sent, error),
    ))
}

/// A refusal of what was sent, in ShipStation's words.
fn refused(sent: Sent, words: &str) -> PushOutcome {
    let what = match sent {
        Sent::Push(_) => "the order",
        Sent::Cancel => "the cancellation",
    };
    PushOutcome::Refused(Reason::new(
        ReasonCode::Rejected,
        format!("ShipStation refused {what}: {words}"),
    ))
}

/// What to do about a Quipt cancellation, given ShipStation's copy of the order (`None`: it does
/// not have it).
#[derive(Debug, Clone, PartialEq)]
pub enum CancelStep {
    /// Send this copy (ShipStation's own, set cancelled).
    Send(Box<shipstation::NewOrder>),
    /// Nothing to send; this is the outcome.
    Done(PushOutcome),
}

/// Decides a Quipt cancellation from the state ShipStation holds the order in, and whether a
/// live (not voided) label was printed for it (`part_shipped`: only an open order can have one
/// and still be open). Pure.
pub fn cancel_step(found: Option<&shipstation::Order>, part_shipped: bool) -> CancelStep {
    let Some(order) = found else {
        return CancelStep::Done(PushOutcome::Cancelled {
            order_id: None,
            sent: false,
        });
    };
    let order_id = order.order_id.0;
    match order.order_status {
        SsStatus::Shipped => CancelStep::Done(PushOutcome::CancelAfterShip { order_id }),
        SsStatus::Cancelled => CancelStep::Done(PushOutcome::Cancelled {
            order_id: Some(order_id),
            sent: false,
        }),
        _ if part_shipped => CancelStep::Done(PushOutcome::CancelAfterPartShipped {
            order_id,
            rest: HeldThere::ToHold,
        }),
        _ => match order.resend_with_status(SsStatus::Cancelled) {
            Some(copy) => CancelStep::Send(Box::new(copy)),
            None => CancelStep::Done(PushOutcome::Refused(Reason::new(
                ReasonCode::Rejected,
                format!("ShipStation order {order_id} has no orderKey: cancel it in ShipStation"),
            ))),
        },
    }
}

/// What cancelling an order the warehouse split in ShipStation takes besides the order's own
/// cancellation ([`cancel_step`]).
#[derive(Debug, Clone, PartialEq)]
pub struct SplitCancel {
    /// Copies to send back set cancelled: the open parts split off it (same number, `parentId` =
    /// its id) and, when a part has shipped, the order itself if it is still open.
    pub copies: Vec<shipstation::NewOrder>,
    /// The ShipStation order id of a part (or the order) that has shipped: a cancel-after-ship
    /// conflict, naming it, for the operator to settle with the buyer, once nothing left open can
    /// ship.
    pub shipped: Option<i64>,
}

/// Decides [`SplitCancel`] from `order` and the orders `listed` under its number. Parts already
/// cancelled are left as they are. Pure.
pub fn split_cancel(
    order: &shipstation::Order,
    listed: &[shipstation::Order],
) -> Result<SplitCancel, PushOutcome> {
    let parts: Vec<&shipstation::Order> = listed
        .iter()
        .filter(|part| part.advanced_options.parent_id == Some(order.order_id))
        .collect();
    let shipped = std::iter::once(order)
        .chain(parts.iter().copied())
        .find(|o| o.order_status == SsStatus::Shipped)
        .map(|o| o.order_id.0);
    let open = |o: &&shipstation::Order| {
        !matches!(o.order_status, SsStatus::Shipped | SsStatus::Cancelled)
    };
    let mut to_cancel: Vec<&shipstation::Order> = parts.into_iter().filter(open).collect();
    if shipped.is_some() && open(&order) {
        to_cancel.push(order);
    }
    let copies = to_cancel
        .into_iter()
        .map(|o| {
            o.resend_with_status(SsStatus::Cancelled).ok_or_else(|| {
                PushOutcome::Refused(Reason::new(
                    ReasonCode::Rejected,
                    format!(
                        "ShipStation order {} (split) has no orderKey: cancel it in ShipStation",
                        o.order_id.0
                    ),
                ))
            })
        })
        .collect::<Result<_, _>>()?;
    Ok(SplitCancel { copies, shipped })
}

impl PushOutcome {
    /// The history's record of this outcome: state, reason, what ShipStation holds, timeline.
    /// `body` is what the mapping sent (its status and hash), for a create or update.
    pub fn change(&self, body: Option<(SsStatus, &str)>, notes: &[String]) -> Change {
        let (status, hash) = body.map_or((None, None), |(s, h)| (Some(s), Some(h.to_string())));
        let pushed = |order_id: i64, status: SsStatus, hash: Option<String>| Pushed {
            ss_order_id: order_id,
            ss_status: status,
            content_hash: hash,
        };
        let status_text = status.map_or("", SsStatus::as_str);
        let mut change = match self {
            PushOutcome::Created { order_id } => Change {
                state: OrderState::Pushed,
                reason: None,
                pushed: status.map(|s| pushed(*order_id, s, hash)),
                timeline: vec![(
                    TimelineKind::Pushed,
                    format!("created in ShipStation as order {order_id} ({status_text})"),
                )],
            },
            PushOutcome::Updated { order_id } => Change {
                state: OrderState::Pushed,
                reason: None,
                pushed: status.map(|s| pushed(*order_id, s, hash)),
                timeline: vec![(
                    TimelineKind::Updated,
                    format!("updated in ShipStation order {order_id} ({status_text})"),
                )],
            },
            PushOutcome::Cancelled { order_id, sent } => Change {
                state: OrderState::Cancelled,
                reason: None,
                pushed: order_id.map(|id| pushed(id, SsStatus::Cancelled, None)),
                timeline: vec![(
                    TimelineKind::CancelledInShipstation,
                    match (order_id, sent) {
                        (Some(id), true) => {
                            format!("cancelled in Quipt: ShipStation order {id} set to cancelled")
                        }
                        (Some(id), false) => {
                            format!(
                                "cancelled in Quipt: ShipStation order {id} was already cancelled"
                            )
                        }
                        (None, _) => "cancelled in Quipt before it reached ShipStation: \
                                      nothing to cancel there"
                            .to_string(),
                    },
                )],
            },
            PushOutcome::Refused(reason) | PushOutcome::Unreachable(reason) => Change {
                state: OrderState::Failed,
                reason: Some(reason.clone()),
                pushed: None,
                timeline: vec![(TimelineKind::PushFailed, reason.message.clone())],
            },
            PushOutcome::CancelAfterShip { order_id } => {
                let reason = Reason::new(
                    ReasonCode::CancelAfterShip,
                    format!(
                        "cancelled in Quipt but already shipped in ShipStation (order {order_id}): \
                         settle it with the buyer"
                    ),
                );
                Change {
                    state: OrderState::Conflict,
                    timeline: vec![(TimelineKind::Conflict, reason.message.clone())],
                    reason: Some(reason),
                    pushed: None,
                }
            }
            PushOutcome::CancelAfterPartShipped { order_id, rest } => {
                let rest = match rest {
                    HeldThere::ToHold => "the rest is to be put on hold there".to_string(),
                    HeldThere::OnHold => "the rest is put on hold there".to_string(),
                    HeldThere::NothingOpen => "nothing of it is left open there".to_string(),
                    HeldThere::Refused(why) => format!(
                        "ShipStation refused to put the rest on hold ({why}): hold it there yourself"
                    ),
                };
                let reason = Reason::new(
                    ReasonCode::CancelAfterShip,
                    format!(
                        "cancelled in Quipt but a package of it already shipped in ShipStation \
                         (order {order_id}): {rest}; settle it with the buyer, then cancel or \
                         ship the rest in ShipStation"
                    ),
                );
                Change {
                    state: OrderState::Conflict,
                    timeline: vec![(TimelineKind::Conflict, reason.message.clone())],
                    reason: Some(reason),
                    pushed: None,
                }
            }
        };
        if matches!(
            self,
            PushOutcome::Created { .. } | PushOutcome::Updated { .. }
        ) {
            change
                .timeline
                .extend(notes.iter().map(|n| (TimelineKind::Note, n.clone())));
        }
        change
    }
}

#[cfg(test)]
mod tests {
    use rstest::rstest;
    use serde_json::json;

    use super::*;

    const CREATE: Sent = Sent::Push(PushKind::Create);
    const UPDATE: Sent = Sent::Push(PushKind::Update);
    const ACCEPTED: Answer<'static> = Answer::Accepted { order_id: 7 };

    fn refused(words: &str) -> PushOutcome {
        PushOutcome::Refused(Reason::new(ReasonCode::Rejected, words))
    }

    fn unreachable(words: &str) -> PushOutcome {
        PushOutcome::Unreachable(Reason::new(ReasonCode::Unreachable, words))
    }

    fn api(status: u16, message: &str) -> shipstation::Error {
        shipstation::Error::Api {
            status,
            message: message.into(),
        }
    }

    #[rstest]
    #[case::a_create_accepted_is_created(CREATE, ACCEPTED, PushOutcome::Created { order_id: 7 })]
    #[case::an_update_accepted_is_updated(UPDATE, ACCEPTED, PushOutcome::Updated { order_id: 7 })]
    #[case::a_cancel_accepted_is_cancelled(Sent::Cancel, ACCEPTED, PushOutcome::Cancelled { order_id: Some(7), sent: true })]
    #[case::a_refusal_keeps_shipstations_words(CREATE, Answer::Refused { message: Some("storeId 9 does not exist") }, refused("ShipStation refused the order: storeId 9 does not exist"))]
    #[case::no_result_is_a_refusal(UPDATE, Answer::Refused { message: None }, refused("ShipStation refused the order: no result for this order"))]
    #[case::a_refused_cancel_is_tried_again_not_guessed_shipped(Sent::Cancel, Answer::Refused { message: Some("Order Q-1 is shipped and can no longer be updated") }, refused("ShipStation refused the cancellation: Order Q-1 is shipped and can no longer be updated"))]
    fn outcomes(
        #[case] sent: Sent,
        #[case] answer: Answer<'static>,
        #[case] expected: PushOutcome,
    ) {
        assert_eq!(
            outcome(sent, answer),
            expected,
            "{sent:?} answered {answer:?}"
        );
    }

    #[rstest]
    #[case::a_call_refused_with_400_refuses_the_order(
        CREATE,
        api(400, "storeId 9 does not exist"),
        refused(
            "ShipStation refused the order: ShipStation answered 400: storeId 9 does not exist"
        )
    )]
    #[case::a_call_refused_with_400_refuses_the_cancellation(
        Sent::Cancel,
        api(400, "bad body"),
        refused("ShipStation refused the cancellation: ShipStation answered 400: bad body")
    )]
    #[case::a_server_error_after_the_retries_is_no_answer(
        UPDATE,
        api(503, "down for maintenance"),
        unreachable(
            "not confirmed by ShipStation (ShipStation answered 503: down for maintenance): it may or may not have the order; the next run sends it again, an update by its orderKey that never makes a second one"
        )
    )]
    #[case::an_exhausted_rate_limit_is_no_answer(CREATE, shipstation::Error::RateLimited { retry_after: std::time::Duration::from_secs(30), server_sent: None }, unreachable("not confirmed by ShipStation (ShipStation's rate limit is exhausted; the window resets in 30 s): it may or may not have the order; the next run sends it again, an update by its orderKey that never makes a second one"))]
    #[case::an_unreadable_answer_may_have_pushed(CREATE, shipstation::Error::BodyTooLarge { limit: 8 * 1024 * 1024 }, unreachable("not confirmed by ShipStation (ShipStation's answer is larger than 8 MiB; it was not read): it may or may not have the order; the next run sends it again, an update by its orderKey that never makes a second one"))]
    #[case::a_404_is_not_a_verdict_on_the_body(
        Sent::Cancel,
        api(404, "Shipped and cannot be updated"),
        unreachable(
            "not confirmed by ShipStation (ShipStation answered 404: Shipped and cannot be updated): it may or may not have cancelled the order; the next run reads its copy again first"
        )
    )]
    fn failed_calls_decided_from_the_errors_kind(
        #[case] sent: Sent,
        #[case] error: shipstation::Error,
        #[case] expected: PushOutcome,
    ) {
        assert_eq!(
            outcome(sent, Answer::CallFailed(&error)),
            expected,
            "{sent:?} when the call failed with {error:?}"
        );
    }

    fn shipstation_order(status: &str, key: Option<&str>) -> shipstation::Order {
        serde_json::from_value(json!({
            "orderId": 7, "orderNumber": "Q-1", "orderKey": key, "orderStatus": status,
            "orderDate": "2026-11-24T08:46:27.0000000", "paymentDate": "2026-11-24T08:46:27.0000000",
            "customerEmail": "ada@example.com",
            "billTo": {"name": "Ada Lovelace"}, "shipTo": {"name": "Ada Lovelace", "street1": "1 Analytical Way"},
            "items": [{"lineItemKey": "l-1", "name": "Mug", "quantity": 2}],
            "amountPaid": 25.0, "carrierCode": "ups", "serviceCode": "ups_ground",
            "internalNotes": "gift wrap", "advancedOptions": {"warehouseId": 98765, "storeId": 10001}
        }))
        .expect("a ShipStation order")
    }

    #[rstest]
    #[case::not_in_shipstation_nothing_to_cancel(None, CancelStep::Done(PushOutcome::Cancelled { order_id: None, sent: false }))]
    #[case::already_cancelled_there(Some(shipstation_order("cancelled", Some("quipt-1"))), CancelStep::Done(PushOutcome::Cancelled { order_id: Some(7), sent: false }))]
    #[case::shipped_there_is_a_conflict(Some(shipstation_order("shipped", Some("quipt-1"))), CancelStep::Done(PushOutcome::CancelAfterShip { order_id: 7 }))]
    fn cancels_decided_from_shipstations_state(
        #[case] found: Option<shipstation::Order>,
        #[case] expected: CancelStep,
    ) {
        assert_eq!(cancel_step(found.as_ref(), false), expected, "{found:?}");
    }

    #[rstest]
    #[case::awaiting_shipment("awaiting_shipment")]
    #[case::on_hold("on_hold")]
    fn an_open_order_with_a_live_label_is_not_cancelled_but_a_conflict(#[case] status: &str) {
        let order = shipstation_order(status, Some("quipt-1"));
        assert_eq!(
            cancel_step(Some(&order), true),
            CancelStep::Done(PushOutcome::CancelAfterPartShipped {
                order_id: 7,
                rest: HeldThere::ToHold
            }),
            "a package of it is on its way: the operator settles it with the buyer"
        );
    }

    #[rstest]
    #[case::awaiting_shipment("awaiting_shipment")]
    #[case::on_hold("on_hold")]
    #[case::awaiting_payment("awaiting_payment")]
    fn an_open_order_is_sent_back_as_its_own_copy_set_cancelled(#[case] status: &str) {
        let order = shipstation_order(status, Some("quipt-1"));
        let CancelStep::Send(copy) = cancel_step(Some(&order), false) else {
            panic!("an open order is cancelled in ShipStation");
        };
        assert_eq!(copy.order_status, SsStatus::Cancelled, "set cancelled");
        assert_eq!(
            (
                copy.order_key.0.as_str(),
                copy.items.len(),
                copy.internal_notes.as_deref(),
                copy.advanced_options.warehouse_id.map(|w| w.0),
                copy.customer_email.as_deref()
            ),
            (
                "quipt-1",
                1,
                Some("gift wrap"),
                Some(98765),
                Some("ada@example.com")
            ),
            "everything else is ShipStation's own, since an update replaces the whole order"
        );
    }

    /// A part ShipStation split off order 7 (`id`, in `status`, with a generated key).
    fn split_part(id: i64, status: &str, parent: i64) -> shipstation::Order {
        let mut part = shipstation_order(status, Some(&format!("ss-generated-{id}")));
        part.order_id = shipstation::OrderId(id);
        part.advanced_options.parent_id = Some(shipstation::OrderId(parent));
        part
    }

    #[rstest]
    #[case::open_parts_are_cancelled_with_it("awaiting_shipment", vec![split_part(8, "awaiting_shipment", 7), split_part(9, "on_hold", 7)], vec![8, 9], None)]
    #[case::parts_already_cancelled_are_left("awaiting_shipment", vec![split_part(8, "cancelled", 7), split_part(9, "awaiting_shipment", 7)], vec![9], None)]
    #[case::a_part_of_another_order_is_not_touched("awaiting_shipment", vec![split_part(8, "awaiting_shipment", 70)], vec![], None)]
    #[case::a_shipped_part_cancels_the_rest_and_the_order_itself_and_is_named("awaiting_shipment", vec![split_part(8, "awaiting_shipment", 7), split_part(9, "shipped", 7)], vec![8, 7], Some(9))]
    #[case::the_order_shipped_its_open_part_is_cancelled("shipped", vec![split_part(8, "awaiting_shipment", 7)], vec![8], Some(7))]
    fn the_parts_split_off_an_order_are_cancelled_with_it(
        #[case] status: &str,
        #[case] listed: Vec<shipstation::Order>,
        #[case] cancelled: Vec<i64>,
        #[case] shipped: Option<i64>,
    ) {
        let order = split_part(7, status, 0);
        let decided = split_cancel(&order, &listed).expect("every part has a key");
        assert!(
            decided
                .copies
                .iter()
                .all(|c| c.order_status == SsStatus::Cancelled),
            "each goes back set cancelled"
        );
        let ids: Vec<i64> = decided
            .copies
            .iter()
            .map(|c| {
                c.order_key
                    .0
                    .trim_start_matches("ss-generated-")
                    .parse()
                    .unwrap()
            })
            .collect();
        assert_eq!(
            (ids, decided.shipped),
            (cancelled, shipped),
            "{status} with {listed:?}"
        );
    }

    #[test]
    fn an_order_without_a_key_cannot_be_cancelled_by_upsert_and_says_so() {
        let order = shipstation_order("awaiting_shipment", None);
        assert!(
            matches!(
                cancel_step(Some(&order), false),
                CancelStep::Done(PushOutcome::Refused(Reason {
                    code: ReasonCode::Rejected,
                    ..
                }))
            ),
            "without an orderKey a createorders call would add a second order"
        );
    }

    #[test]
    fn a_created_order_records_its_id_hash_and_notes() {
        let change = PushOutcome::Created { order_id: 7 }.change(
            Some((SsStatus::AwaitingShipment, "abc")),
            &["USPS requested: UPS substituted".to_string()],
        );
        assert_eq!(change.state, OrderState::Pushed);
        assert_eq!(
            change.pushed,
            Some(Pushed {
                ss_order_id: 7,
                ss_status: SsStatus::AwaitingShipment,
                content_hash: Some("abc".into())
            })
        );
        assert_eq!(
            change.timeline.iter().map(|(k, _)| *k).collect::<Vec<_>>(),
            [TimelineKind::Pushed, TimelineKind::Note],
            "the push and the substitution are in the timeline"
        );
    }

    #[test]
    fn an_unanswered_push_fails_the_order_as_unreachable_so_it_is_pushed_again() {
        let reason = Reason::new(
            ReasonCode::Unreachable,
            "not confirmed by ShipStation (could not reach ShipStation): it may or may not have the order",
        );
        let change = PushOutcome::Unreachable(reason.clone()).change(
            Some((SsStatus::AwaitingShipment, "abc")),
            &["USPS requested: UPS substituted".to_string()],
        );
        assert_eq!(
            change,
            Change {
                state: OrderState::Failed,
                reason: Some(reason),
                pushed: None,
                timeline: vec![(
                    TimelineKind::PushFailed,
                    "not confirmed by ShipStation (could not reach ShipStation): it may or may not have the order".into()
                )],
            },
            "nothing is known to be in ShipStation, and the notes of a push that did not happen are not kept"
        );
    }

    #[test]
    fn a_cancel_after_ship_is_a_conflict_that_says_it_shipped() {
        let change = PushOutcome::CancelAfterShip { order_id: 7 }.change(None, &[]);
        assert_eq!(change.state, OrderState::Conflict);
        let reason = change.reason.expect("a conflict has a reason");
        assert_eq!(reason.code, ReasonCode::CancelAfterShip);
        assert!(
            reason.message.contains("already shipped"),
            "the operator reads why: {}",
            reason.message
        );
    }
}
