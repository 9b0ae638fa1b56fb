//! What happened, as values: a run's outcome, the kind of a timeline entry, and why an order stands
//! where it does. The sync passes decide these, the store records them, health and the CLI's exit
//! code read them, and the UI receives the same enums through the generated bindings — so no layer
//! compares strings, and adding a kind is one line here.
//!
//! Each enum is stored in SQLite under the name its variant serializes to; [`parse`](RunOutcome::parse)
//! reads it back, and a name this build does not know (written by a newer one) is `None`.

use serde::{Deserialize, Serialize};

/// Defines a closed enum whose variants are stored and shown by name: `as_str`, `parse` and
/// `Display` from one list, so a name is written once.
macro_rules! named {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant,)+
        }

        impl $name {
            /// Every variant, in order.
            pub const ALL: &'static [Self] = &[$(Self::$variant,)+];

            /// The name stored in the history and shown to the operator.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text,)+
                }
            }

            /// Reads a stored name; `None` for one this build does not know.
            pub fn parse(text: &str) -> Option<Self> {
                match text {
                    $($text => Some(Self::$variant),)+
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use named;

named! {
    /// How a run ended (or that it has not yet).
    pub enum RunOutcome {
        /// Still going (or killed: the next run marks it [`RunOutcome::Interrupted`]).
        Running = "running",
        /// Completed and nothing needs the operator.
        Ok = "ok",
        /// Completed, but orders are held, failed or in conflict, or reference data drifted.
        Attention = "attention",
        /// The run itself failed (credentials refused, an API unreachable after retries, …).
        Failed = "failed",
        /// The process ended while the run was going (a kill, a crash); its work is safe to redo.
        Interrupted = "interrupted",
    }
}

impl RunOutcome {
    /// Whether the run got through every pass (the history's "last successful sync").
    pub fn completed(self) -> bool {
        matches!(self, RunOutcome::Ok | RunOutcome::Attention)
    }
}

impl Default for RunOutcome {
    /// A summary starts as the run does: running.
    fn default() -> Self {
        RunOutcome::Running
    }
}

named! {
    /// What started a run.
    pub enum Trigger {
        /// The background schedule.
        Schedule = "schedule",
        /// The Sync now button (the app, the tray).
        SyncNow = "sync_now",
        /// The CLI's `sync`.
        Cli = "cli",
    }
}

named! {
    /// What an entry of an order's timeline records.
    pub enum TimelineKind {
        /// Not pushed: the reason says what to fix.
        Held = "held",
        /// Planned again after a hold, because what held it may have changed.
        Released = "released",
        /// Created in ShipStation.
        Pushed = "pushed",
        /// Updated in ShipStation (content changed, or cleared in Quipt).
        Updated = "updated",
        /// An update not sent, because ShipStation split or closed the order.
        UpdateNotSent = "update_not_sent",
        /// A substitution or assignment the mapping made.
        Note = "note",
        /// ShipStation refused the order, or did not answer.
        PushFailed = "push_failed",
        /// Cancelled in Quipt and set cancelled in ShipStation.
        CancelledInShipstation = "cancelled_in_shipstation",
        /// Cancelled (or deleted) in ShipStation and the cancel mode applied in Quipt.
        CancelledInQuipt = "cancelled_in_quipt",
        /// The two sides disagree in a way only the operator can settle.
        Conflict = "conflict",
        /// The order no longer exists in Quipt.
        GoneInQuipt = "gone_in_quipt",
        /// Quipt would not give the order when it was read again: it stays as it was.
        ReadRefused = "read_refused",
        /// Held or failed here, and shipped in Quipt another way: nothing (more) is sent.
        ShippedInQuipt = "shipped_in_quipt",
        /// Accepted in Quipt.
        Acknowledged = "acknowledged",
        /// Quipt refused the acknowledgement; tried again next run.
        AcknowledgeFailed = "acknowledge_failed",
        /// Not accepted: Quipt closed the order (shipped, cancelled, gone) before its turn.
        NotAcknowledged = "not_acknowledged",
        /// A shipment or fulfilment reported to Quipt.
        TrackingReported = "tracking_reported",
        /// A reported shipment withdrawn in Quipt after its label was voided.
        TrackingWithdrawn = "tracking_withdrawn",
        /// A label voided before it was reported: nothing sent.
        LabelVoided = "label_voided",
        /// Split in ShipStation: left intact.
        Split = "split",
        /// The operator asked for the order to be tried again.
        RetryRequested = "retry_requested",
        /// The operator settled the conflict outside the connector (Mark settled); their note.
        Settled = "settled",
    }
}

named! {
    /// Why an order is held, failed or in conflict: a closed set the UI and the retry branch on.
    pub enum ReasonCode {
        /// The order has no sales channel.
        MissingChannel = "missing_channel",
        /// One store per channel, and this channel has none.
        NoStoreForChannel = "no_store_for_channel",
        /// The order's store is inactive or gone in ShipStation.
        StoreInactive = "store_inactive",
        /// No carrier/service requested, and default carrier assignment is off.
        NoCarrierAssignmentOff = "no_carrier_assignment_off",
        /// The carrier the order needs is not connected in ShipStation.
        CarrierNotConnected = "carrier_not_connected",
        /// The order has no warehouse.
        MissingWarehouse = "missing_warehouse",
        /// The order's warehouse code equals no ShipStation warehouse ID.
        UnmatchedWarehouse = "unmatched_warehouse",
        /// The warehouse is not among those chosen in the settings.
        WarehouseNotSynced = "warehouse_not_synced",
        /// A required part of the shipping address is missing.
        MissingAddress = "missing_address",
        /// The country is not an ISO 3166 code.
        UnknownCountry = "unknown_country",
        /// The order has no lines to ship.
        NoItems = "no_items",
        /// A line's quantity is not a whole number from 1 to 2,147,483,647 (ShipStation's 32 bits).
        InvalidQuantity = "invalid_quantity",
        /// A line has neither title nor SKU.
        ItemWithoutName = "item_without_name",
        /// The order number is longer than ShipStation accepts.
        OrderNumberTooLong = "order_number_too_long",
        /// The order date is outside the years ShipStation's dates carry.
        OrderDateOutOfRange = "order_date_out_of_range",
        /// Quipt sent the order in a form the connector cannot read (a quantity as text, a date
        /// no calendar has): its support corrects it.
        Unreadable = "unreadable",
        /// A line still to ship is on hold in Quipt (line sub-status 80).
        LineOnHold = "line_on_hold",
        /// The buyer asked to cancel a line still to ship (line sub-status 105).
        CancellationRequested = "cancellation_requested",
        /// ShipStation refused the order.
        Rejected = "rejected",
        /// ShipStation fails (5xx) on the order sent alone while it takes others: it may or may
        /// not have it.
        FailsOnOrder = "fails_on_order",
        /// ShipStation did not answer the push: it may or may not have the order.
        Unreachable = "unreachable",
        /// Cancelled in Quipt after ShipStation shipped it.
        CancelAfterShip = "cancel_after_ship",
        /// Cancelled in ShipStation, and Quipt refused (or had shipped) the cancellation.
        CancelRefused = "cancel_refused",
        /// Shipped in ShipStation, and Quipt refused the tracking.
        TrackingRefused = "tracking_refused",
        /// A label voided in ShipStation that Quipt could not withdraw.
        VoidNotWithdrawn = "void_not_withdrawn",
        /// ShipStation lists a label or fulfilment of the order in a form the connector cannot
        /// read (a `voided` of `"false"`): its tracking waits, read again every run until it reads.
        LabelUnreadable = "label_unreadable",
        /// The order no longer exists in Quipt.
        GoneInQuipt = "gone_in_quipt",
        /// Quipt shipped the order another way while ShipStation still had it to ship: put on hold
        /// there for the operator.
        ShippedElsewhere = "shipped_elsewhere",
    }
}

impl ReasonCode {
    /// Whether a change of the settings (or of the ShipStation account they refer to) can release an
    /// order held for this reason; the other holds are about the order's own data, which only a
    /// change in Quipt can fix. [`ReasonCode::UnmatchedWarehouse`] is among them for the account's
    /// side: a ShipStation warehouse whose ID equals the code releases the order. No wizard answer
    /// can (step 7 only chooses among matched warehouses), so the dashboard sends its operator to
    /// Quipt to correct the code (`ui/src/dashboard/fixes.ts`).
    pub fn is_setting(self) -> bool {
        matches!(
            self,
            ReasonCode::NoStoreForChannel
                | ReasonCode::StoreInactive
                | ReasonCode::NoCarrierAssignmentOff
                | ReasonCode::CarrierNotConnected
                | ReasonCode::UnmatchedWarehouse
                | ReasonCode::WarehouseNotSynced
        )
    }
}

impl ReasonCode {
    /// Whether the order was held for something the cached reference data lacks (a store,
    /// warehouse or carrier it needs): the cache may be behind the account, so it is read again.
    pub fn meets_unknown_reference(self) -> bool {
        matches!(
            self,
            ReasonCode::StoreInactive
                | ReasonCode::UnmatchedWarehouse
                | ReasonCode::CarrierNotConnected
        )
    }
}

/// Why an order stands where it does: a code to branch on and words that say what to fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    /// What kind of reason.
    pub code: ReasonCode,
    /// The reason in words, for the operator.
    pub message: String,
}

impl Reason {
    /// A reason with its words.
    pub fn new(code: ReasonCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stored_name_reads_back_as_its_variant() {
        for outcome in [
            RunOutcome::Running,
            RunOutcome::Ok,
            RunOutcome::Attention,
            RunOutcome::Failed,
            RunOutcome::Interrupted,
        ] {
            assert_eq!(RunOutcome::parse(outcome.as_str()), Some(outcome));
            assert_eq!(
                serde_json::to_value(outcome).unwrap(),
                serde_json::json!(outcome.as_str()),
                "the UI receives the stored name"
            );
        }
        assert_eq!(
            TimelineKind::parse("tracking_reported"),
            Some(TimelineKind::TrackingReported)
        );
        assert_eq!(
            ReasonCode::parse("no_store_for_channel"),
            Some(ReasonCode::NoStoreForChannel)
        );
        assert_eq!(
            RunOutcome::parse("paused"),
            None,
            "a name from a newer build is not guessed"
        );
    }
}
