//! Why an order is not pushed: a closed set of reasons the UI shows with what to fix.

use serde::Serialize;

use crate::outcome::{Reason, ReasonCode};
use crate::settings::CarrierFamily;

/// Quipt's line sub-status of a line on hold: it is not to ship yet.
pub const LINE_ON_HOLD: i64 = 80;

/// Quipt's line sub-status of a line whose cancellation the buyer requested and Quipt has not
/// settled: shipping it would send what the buyer asked not to get.
pub const CANCELLATION_REQUESTED: i64 = 105;

/// A reason to hold an order instead of pushing it. Each variant's message says what to fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum HoldReason {
    /// The order has no sales channel.
    MissingChannel,
    /// One store per channel, and this channel has none.
    NoStoreForChannel {
        /// The channel.
        channel: String,
    },
    /// The order's store is inactive or gone in ShipStation (drift).
    StoreInactive {
        /// The store.
        store_id: i64,
    },
    /// No carrier/service requested, and default carrier assignment is off.
    NoCarrierAssignmentOff,
    /// The carrier the order needs is not connected in ShipStation.
    CarrierNotConnected {
        /// The family.
        carrier: CarrierFamily,
    },
    /// The order has no warehouse.
    MissingWarehouse,
    /// The order's warehouse code equals no ShipStation warehouse ID.
    UnmatchedWarehouse {
        /// The Quipt warehouse code.
        code: String,
    },
    /// The warehouse matches, but it is not among the warehouses chosen in the settings.
    WarehouseNotSynced {
        /// The Quipt warehouse code.
        code: String,
    },
    /// A required part of the shipping address is missing.
    MissingAddress {
        /// Which part.
        field: &'static str,
    },
    /// The country is not an ISO 3166 code.
    UnknownCountry {
        /// What the order says.
        value: String,
    },
    /// The order has no lines to ship.
    NoItems,
    /// A line's quantity is not a whole number from 1 to 2,147,483,647 (ShipStation's 32 bits).
    InvalidQuantity {
        /// The line's SKU or number.
        line: String,
        /// The quantity.
        quantity: String,
    },
    /// A line has neither title nor SKU.
    ItemWithoutName {
        /// The line's number or id.
        line: String,
    },
    /// ShipStation accepts order numbers of at most 50 characters.
    OrderNumberTooLong {
        /// Its length.
        length: usize,
    },
    /// A line still to ship is on hold in Quipt.
    LineOnHold {
        /// The line's SKU or number.
        line: String,
    },
    /// The buyer asked to cancel a line still to ship, and Quipt has not settled it.
    CancellationRequested {
        /// The line's SKU or number.
        line: String,
    },
    /// The order date has no ShipStation date: its Pacific reading is outside the years the API
    /// writes (`shipstation::models::pacific_time::YEARS`).
    OrderDateOutOfRange {
        /// The date as Quipt sent it (RFC 3339, UTC).
        ordered_at: String,
    },
}

impl HoldReason {
    /// The stable code stored in the history.
    pub fn code(&self) -> ReasonCode {
        match self {
            HoldReason::MissingChannel => ReasonCode::MissingChannel,
            HoldReason::NoStoreForChannel { .. } => ReasonCode::NoStoreForChannel,
            HoldReason::StoreInactive { .. } => ReasonCode::StoreInactive,
            HoldReason::NoCarrierAssignmentOff => ReasonCode::NoCarrierAssignmentOff,
            HoldReason::CarrierNotConnected { .. } => ReasonCode::CarrierNotConnected,
            HoldReason::MissingWarehouse => ReasonCode::MissingWarehouse,
            HoldReason::UnmatchedWarehouse { .. } => ReasonCode::UnmatchedWarehouse,
            HoldReason::WarehouseNotSynced { .. } => ReasonCode::WarehouseNotSynced,
            HoldReason::MissingAddress { .. } => ReasonCode::MissingAddress,
            HoldReason::UnknownCountry { .. } => ReasonCode::UnknownCountry,
            HoldReason::NoItems => ReasonCode::NoItems,
            HoldReason::InvalidQuantity { .. } => ReasonCode::InvalidQuantity,
            HoldReason::ItemWithoutName { .. } => ReasonCode::ItemWithoutName,
            HoldReason::OrderNumberTooLong { .. } => ReasonCode::OrderNumberTooLong,
            HoldReason::OrderDateOutOfRange { .. } => ReasonCode::OrderDateOutOfRange,
            HoldReason::LineOnHold { .. } => ReasonCode::LineOnHold,
            HoldReason::CancellationRequested { .. } => ReasonCode::CancellationRequested,
        }
    }

    /// Whether the order is not to ship at all while it holds (a line on hold, a cancellation the
    /// buyer asked for), so that a copy ShipStation already has is put on hold there too. The
    /// other reasons say the order cannot be sent as it is; a copy sent before stays shippable.
    pub fn stops_shipping(&self) -> bool {
        matches!(
            self,
            HoldReason::LineOnHold { .. } | HoldReason::CancellationRequested { .. }
        )
    }

    /// The code and the words, as the history records them.
    pub fn reason(&self) -> Reason {
        Reason::new(self.code(), self.message())
    }

    /// What the operator reads, saying what to fix.
    pub fn message(&self) -> String {
        match self {
            HoldReason::MissingChannel => "the order has no sales channel in Quipt".into(),
            HoldReason::NoStoreForChannel { channel } => format!(
                "channel {channel} has no ShipStation store: choose one in Settings → Stores"
            ),
            HoldReason::StoreInactive { store_id } => format!(
                "ShipStation store {store_id} is inactive or gone: reactivate it or choose another store"
            ),
            HoldReason::NoCarrierAssignmentOff => {
                "no carrier/service and default carrier assignment is off".into()
            }
            HoldReason::CarrierNotConnected { carrier } => format!(
                "{} is not connected in ShipStation: connect it or change the carrier settings",
                carrier.label()
            ),
            HoldReason::MissingWarehouse => "the order has no warehouse in Quipt".into(),
            HoldReason::UnmatchedWarehouse { code } => format!(
                "Quipt warehouse code {code} equals no ShipStation warehouse ID: set the code in Quipt to the ShipStation warehouse ID"
            ),
            HoldReason::WarehouseNotSynced { code } => format!(
                "warehouse {code} is not among the warehouses chosen in Settings → Warehouses"
            ),
            HoldReason::MissingAddress { field: "address" } => {
                "the order has no shipping address: add it in Quipt".into()
            }
            HoldReason::MissingAddress { field } => {
                format!("the shipping address has no {field}: complete it in Quipt")
            }
            HoldReason::UnknownCountry { value } => {
                format!("unknown country \"{value}\": use an ISO country code in Quipt")
            }
            HoldReason::NoItems => "the order has no items to ship".into(),
            HoldReason::InvalidQuantity { line, quantity } => format!(
                "line {line} has quantity {quantity}: ShipStation needs a whole number from 1 to 2,147,483,647"
            ),
            HoldReason::ItemWithoutName { line } => {
                format!("line {line} has neither a title nor a SKU")
            }
            HoldReason::OrderNumberTooLong { length } => {
                format!("the order number has {length} characters; ShipStation accepts at most 50")
            }
            HoldReason::LineOnHold { line } => {
                format!("line {line} is on hold in Quipt: release it there to ship the order")
            }
            HoldReason::CancellationRequested { line } => format!(
                "the buyer asked to cancel line {line}: accept or refuse the request in Quipt before it ships"
            ),
            HoldReason::OrderDateOutOfRange { ordered_at } => {
                let years = shipstation::models::pacific_time::YEARS;
                format!(
                    "the order date {ordered_at} cannot be sent: ShipStation takes the years {} to {}; correct the order date in Quipt",
                    years.start(),
                    years.end()
                )
            }
        }
    }
}
