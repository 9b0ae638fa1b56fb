//! Pure mapping of a Quipt order to a ShipStation order, by the operator's settings (SPEC §1).
//!
//! [`decide`] is the one entry point: it returns what to do with an order (push this body, hold it
//! for this reason, or leave it) without any I/O, so every rule is table-tested.

pub mod cancel;
pub mod carrier;
pub mod hold;
pub mod store;
pub mod text;

use chrono::SecondsFormat;
use sha2::{Digest, Sha256};
use shipstation::{AdvancedOptions, NewOrder, OrderItem, OrderKey, OrderStatus as SsStatus};

use crate::reference::Reference;
use crate::settings::Settings;
pub use hold::HoldReason;

/// The largest quantity of a line ShipStation takes (its quantities are 32-bit integers).
const MAX_QUANTITY: f64 = i32::MAX as f64;

/// The longest `orderNumber` ShipStation accepts.
pub const MAX_ORDER_NUMBER_LEN: usize = 50;

/// The deterministic ShipStation `orderKey` of a Quipt order, so a re-push updates and never
/// duplicates. The `quipt-<id>` rule lives here only.
pub fn order_key_for(id: &quipt::OrderId) -> OrderKey {
    OrderKey(format!("quipt-{}", id.0))
}

/// The Quipt order id inside an `orderKey` made by [`order_key_for`].
pub fn quipt_id_of(key: &OrderKey) -> Option<&str> {
    key.0.strip_prefix("quipt-")
}

/// What to do with one Quipt order.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// Send this body to ShipStation; `notes` go to the order's timeline (substitutions etc.).
    Push {
        /// The order as ShipStation receives it.
        body: Box<NewOrder>,
        /// Substitutions and assignments made on the way.
        notes: Vec<String>,
    },
    /// Do not push; the reason says what to fix.
    Hold(HoldReason),
    /// Nothing to do with this order in this status (e.g. still validating, or shipped).
    Leave {
        /// Why, in words.
        why: &'static str,
    },
}

/// Decides about `order` given the settings and the account's reference data. A cancellation in
/// Quipt is not the mapping's to decide: it is carried to ShipStation's own copy of the order
/// whatever the settings say now (`sync::orders_out`), so a cancelled order is left here.
pub fn decide(order: &quipt::Order, settings: &Settings, reference: &Reference) -> Decision {
    let status = match order.status {
        quipt::OrderStatus::Open => SsStatus::AwaitingShipment,
        quipt::OrderStatus::Pending if settings.orders.push_validating => SsStatus::AwaitingPayment,
        quipt::OrderStatus::Pending => {
            return Decision::Leave {
                why: "still validating in Quipt",
            };
        }
        quipt::OrderStatus::Canceled => {
            return Decision::Leave {
                why: "cancelled in Quipt",
            };
        }
        quipt::OrderStatus::Shipped => {
            return Decision::Leave {
                why: "already shipped in Quipt",
            };
        }
        quipt::OrderStatus::Other(_) => {
            return Decision::Leave {
                why: "a Quipt status the connector does not sync",
            };
        }
    };
    match build(order, status, settings, reference) {
        Ok((body, notes)) => Decision::Push {
            body: Box::new(body),
            notes,
        },
        Err(reason) => Decision::Hold(reason),
    }
}

fn build(
    order: &quipt::Order,
    status: SsStatus,
    settings: &Settings,
    reference: &Reference,
) -> Result<(NewOrder, Vec<String>), HoldReason> {
    let mut notes = Vec::new();
    let length = order.order_number.chars().count();
    if length > MAX_ORDER_NUMBER_LEN {
        return Err(HoldReason::OrderNumberTooLong { length });
    }
    let ordered_at = order.ordered_at.or(order.modified_at).unwrap_or_default();
    if shipstation::models::pacific_time::format_timestamp(ordered_at).is_none() {
        return Err(HoldReason::OrderDateOutOfRange {
            ordered_at: ordered_at.to_rfc3339_opts(SecondsFormat::AutoSi, true),
        });
    }

    let warehouse = order
        .warehouse
        .as_ref()
        .ok_or(HoldReason::MissingWarehouse)?;
    let code = warehouse.code.trim();
    let warehouse_id = code
        .parse::<i64>()
        .ok()
        .filter(|id| reference.has_warehouse(*id))
        .ok_or_else(|| HoldReason::UnmatchedWarehouse {
            code: code.to_string(),
        })?;
    if !settings.warehouses.codes.iter().any(|c| c.trim() == code) {
        return Err(HoldReason::WarehouseNotSynced {
            code: code.to_string(),
        });
    }

    let partner = order.partner.as_ref().ok_or(HoldReason::MissingChannel)?;
    let store = store::choose(&partner.name, &partner.code, &settings.stores, reference)?;

    let ship_to = address(order.ship_to.as_ref())?;
    let bill_to = match order.bill_to.as_ref() {
        Some(bill)
            if bill
                .street_line1
                .as_deref()
                .is_some_and(|s| !s.trim().is_empty()) =>
        {
            address(Some(bill)).unwrap_or_else(|_| ship_to.clone())
        }
        _ => ship_to.clone(),
    };

    let items = items(order)?;

    let requested = order.requested_carrier_method.as_ref().and_then(|m| {
        let family = m
            .carrier
            .as_ref()
            .and_then(|c| carrier::quipt_family(&c.code))?;
        Some((family, m.code.as_deref()))
    });
    let carrier = carrier::choose(requested, &settings.carrier, reference)?;
    notes.extend(carrier.note.clone());

    let amount: f64 = order
        .lines
        .iter()
        .map(|l| {
            l.price.as_ref().map_or(0.0, |p| p.value)
                * (l.ordered.value - l.canceled.value).max(0.0)
        })
        .sum();
    let tax: f64 = order
        .lines
        .iter()
        .filter_map(|l| l.tax.as_ref())
        .map(|t| t.value)
        .sum();
    let email = order
        .ship_to
        .as_ref()
        .and_then(|a| a.email_address.clone())
        .filter(|e| !e.is_empty());

    let body = NewOrder {
        order_number: order.order_number.clone(),
        order_key: order_key_for(&order.id),
        order_date: ordered_at,
        payment_date: (status != SsStatus::AwaitingPayment).then_some(ordered_at),
        order_status: status,
        customer_email: email,
        customer_username: None,
        bill_to,
        ship_to,
        items,
        amount_paid: Some(round2(amount + tax)),
        tax_amount: Some(round2(tax)),
        shipping_amount: None,
        requested_shipping_service: order
            .requested_carrier_method
            .as_ref()
            .and_then(|m| m.name.clone().or_else(|| m.code.clone())),
        carrier_code: Some(carrier.carrier_code),
        service_code: carrier.service_code,
        internal_notes: None,
        advanced_options: AdvancedOptions {
            warehouse_id: Some(shipstation::WarehouseId(warehouse_id)),
            store_id: Some(shipstation::StoreId(store.store_id)),
            source: store.source,
            custom_field1: order.partner_order_number.clone(),
            custom_field2: Some(format!("Quipt {}", order.id.0)),
            ..AdvancedOptions::default()
        },
        handling: shipstation::Handling::default(),
    };
    Ok((body, notes))
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn clean(value: Option<&String>) -> Option<String> {
    value
        .map(|v| text::decode_entities(v.trim()))
        .filter(|v| !v.is_empty())
}

fn address(quipt: Option<&quipt::Address>) -> Result<shipstation::Address, HoldReason> {
    let a = quipt.ok_or(HoldReason::MissingAddress { field: "address" })?;
    let street1 =
        clean(a.street_line1.as_ref()).ok_or(HoldReason::MissingAddress { field: "street" })?;
    let city = clean(a.city.as_ref()).ok_or(HoldReason::MissingAddress { field: "city" })?;
    let country = a
        .country
        .as_ref()
        .ok_or(HoldReason::MissingAddress { field: "country" })?;
    let iso = country
        .iso
        .as_deref()
        .map(|c| c.trim().to_ascii_uppercase())
        .unwrap_or_default();
    if !text::is_country_code(&iso) {
        let value = [
            country.iso.as_deref(),
            country.iso3.as_deref(),
            country.name.as_deref(),
        ]
        .into_iter()
        .flatten()
        .find(|v| !v.trim().is_empty())
        .unwrap_or("")
        .to_string();
        return Err(HoldReason::UnknownCountry { value });
    }
    let name = clean(a.attention.as_ref())
        .or_else(|| clean(a.company.as_ref()))
        .ok_or(HoldReason::MissingAddress {
            field: "recipient name",
        })?;
    Ok(shipstation::Address {
        name: Some(name),
        company: clean(a.company.as_ref()),
        street1: Some(street1),
        street2: clean(a.street_line2.as_ref()),
        street3: clean(a.street_line3.as_ref()),
        city: Some(city),
        state: clean(a.state.as_ref()),
        postal_code: clean(a.postal_code.as_ref()),
        country: Some(iso),
        phone: clean(a.phone_number.as_ref()),
        residential: None,
    })
}

/// A line's name in a reason: its SKU, else its number, else its id.
fn line_label(line: &quipt::Line) -> String {
    line.item
        .as_ref()
        .and_then(|i| i.sku.clone())
        .or_else(|| line.line_number.map(|n| n.to_string()))
        .unwrap_or_else(|| line.id.0.clone())
}

/// Whether nothing of the line is left to ship: fully cancelled.
fn fully_cancelled(line: &quipt::Line) -> bool {
    line.ordered.value > 0.0 && line.ordered.value - line.canceled.value <= 0.0
}

/// The hold a line still to ship puts on the whole order (on hold in Quipt, or its cancellation
/// requested by the buyer), whatever else holds it: these stop ShipStation's copy from shipping
/// ([`HoldReason::stops_shipping`]), so an order already there must learn of them even while a
/// setting holds back its update. Pure.
pub fn line_hold(order: &quipt::Order) -> Option<HoldReason> {
    order
        .lines
        .iter()
        .filter(|line| !fully_cancelled(line))
        .find_map(|line| match line.sub_status {
            Some(hold::LINE_ON_HOLD) => Some(HoldReason::LineOnHold {
                line: line_label(line),
            }),
            Some(hold::CANCELLATION_REQUESTED) => Some(HoldReason::CancellationRequested {
                line: line_label(line),
            }),
            _ => None,
        })
}

/// The items to ship: each line's remaining quantity.
fn items(order: &quipt::Order) -> Result<Vec<OrderItem>, HoldReason> {
    if let Some(hold) = line_hold(order) {
        return Err(hold);
    }
    let mut items = Vec::new();
    for line in &order.lines {
        let label = line_label(line);
        let remaining = line.ordered.value - line.canceled.value;
        if fully_cancelled(line) {
            continue; // nothing to ship
        }
        // ShipStation's quantities are 32-bit whole numbers: a larger one (a typo, a unit
        // mistaken for a count) would be cut or refused there, and with it the batch it is in.
        if remaining < 1.0 || remaining.fract() != 0.0 || remaining > MAX_QUANTITY {
            return Err(HoldReason::InvalidQuantity {
                line: label,
                quantity: remaining.to_string(),
            });
        }
        let sku = line.item.as_ref().and_then(|i| clean(i.sku.as_ref()));
        let name = line
            .item
            .as_ref()
            .and_then(|i| clean(i.title.as_ref()))
            .or_else(|| clean(line.title.as_ref()))
            .or_else(|| sku.clone())
            .ok_or(HoldReason::ItemWithoutName { line: label })?;
        items.push(OrderItem {
            line_item_key: Some(line.id.0.clone()),
            sku,
            name,
            quantity: remaining as i64,
            unit_price: line.price.as_ref().map(|p| p.value),
            tax_amount: line.tax.as_ref().map(|t| t.value),
            adjustment: false,
        });
    }
    if items.is_empty() {
        return Err(HoldReason::NoItems);
    }
    Ok(items)
}

/// Hash of the body ShipStation receives, to skip re-sending an unchanged order.
pub fn content_hash(body: &NewOrder) -> String {
    digest(&serde_json::to_vec(body).expect("a ShipStation order always serializes"))
}

/// SHA-256 of `bytes` in hex.
pub fn digest(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
