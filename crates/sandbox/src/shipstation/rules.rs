//! The account rules: how orders are created and updated through the API (upsert by `orderKey`,
//! full replace, closed orders refused, `storeId` fixed at creation), and what a user does in
//! ShipStation's UI (labels, voids, Mark as Shipped, cancel, delete, split). Each rule takes the
//! time it happens at, so the simulated clock decides every date.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::pacific;
use super::records::{FulfillmentRecord, ORDER_STATUSES, OrderRecord, Records, ShipmentRecord};

/// One package of a label: which line and how many (partial shipments ship fewer than ordered).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PackageItem {
    /// Matches the order item's `lineItemKey` (or its `sku` when the item has no key).
    pub line_item_key: String,
    /// How many units are in the package.
    pub quantity: i64,
}

/// A label created in ShipStation's UI for an order (`POST /__control/orders/{id}/label`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LabelRequest {
    /// Tracking number printed on the label.
    pub tracking_number: String,
    /// Carrier of the label; defaults to the order's `carrierCode`, else the first carrier.
    pub carrier_code: Option<String>,
    /// Service of the label; defaults to the order's `serviceCode`.
    pub service_code: Option<String>,
    /// Ship date; defaults to today (Pacific).
    pub ship_date: Option<NaiveDate>,
    /// The package's contents; `None` ships everything not shipped yet.
    pub items: Option<Vec<PackageItem>>,
    /// The shipment's `createDate`; defaults to the simulated now. Another instant stands for a
    /// record ShipStation dates wrongly (years ahead, say); the order's `modifyDate` is still now.
    pub create_date: Option<DateTime<Utc>>,
}

/// "Mark as Shipped" in ShipStation's UI (`POST /__control/orders/{id}/mark-shipped`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MarkShippedRequest {
    /// Tracking number entered by the user.
    pub tracking_number: Option<String>,
    /// Carrier entered by the user.
    pub carrier_code: Option<String>,
    /// Ship date; defaults to today (Pacific).
    pub ship_date: Option<NaiveDate>,
}

/// Why a control operation was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ControlError {
    /// No order with this id.
    #[error("order {order_id} not found")]
    OrderNotFound {
        /// The id asked for.
        order_id: i64,
    },
    /// No shipment with this id.
    #[error("shipment {shipment_id} not found")]
    ShipmentNotFound {
        /// The id asked for.
        shipment_id: i64,
    },
    /// No store with this id.
    #[error("store {store_id} not found")]
    StoreNotFound {
        /// The id asked for.
        store_id: i64,
    },
    /// The label's items do not match the order's unshipped items.
    #[error("order {order_id} has nothing left to ship for line `{line_item_key}`")]
    NothingToShip {
        /// The order.
        order_id: i64,
        /// The line asked for.
        line_item_key: String,
    },
    /// A split must move at least one item and leave at least one behind.
    #[error("order {order_id} cannot be split that way")]
    InvalidSplit {
        /// The order.
        order_id: i64,
    },
}

/// A write call of the API, named as the control API names it (`loseAnswerNext.write`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Write {
    /// `POST /orders/createorder`.
    CreateOrder,
    /// `POST /orders/createorders`.
    CreateOrders,
}

/// What an accepted create or update did to the account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Upserted {
    /// A new order.
    Created,
    /// An existing order (same `orderKey`) replaced.
    Updated,
}

/// The result of one order of a create call: the order it concerns and what happened.
#[derive(Debug)]
pub(crate) struct UpsertResult {
    pub order_id: Option<i64>,
    pub order_number: Option<String>,
    pub order_key: Option<String>,
    /// `Ok` with what was done, or the refusal (`errorMessage`).
    pub done: Result<Upserted, String>,
}

/// Checks one order of a create call; the error text goes to `errorMessage`.
fn validate(order: &Value) -> Result<(&Map<String, Value>, DateTime<Utc>), String> {
    let object = order.as_object().ok_or("The order must be a JSON object")?;
    let number = object
        .get("orderNumber")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if number.trim().is_empty() {
        return Err("orderNumber is required".into());
    }
    if number.chars().count() > 50 {
        return Err("orderNumber must be at most 50 characters".into());
    }
    let order_date = object
        .get("orderDate")
        .and_then(Value::as_str)
        .ok_or("orderDate is required")?;
    let order_date = pacific::parse_timestamp(order_date)
        .ok_or_else(|| format!("orderDate '{order_date}' is not a valid date"))?;
    let status = object
        .get("orderStatus")
        .and_then(Value::as_str)
        .ok_or("orderStatus is required")?;
    if !ORDER_STATUSES.contains(&status) {
        return Err(format!("orderStatus '{status}' is not valid"));
    }
    for address in ["billTo", "shipTo"] {
        if !object.get(address).is_some_and(Value::is_object) {
            return Err(format!("{address} is required"));
        }
    }
    match object.get("items") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for (index, item) in items.iter().enumerate() {
                let name = item.get("name").and_then(Value::as_str).unwrap_or_default();
                if name.trim().is_empty() {
                    return Err(format!("items[{index}].name is required"));
                }
                let quantity = item.get("quantity");
                let whole = quantity.and_then(Value::as_i64).or_else(|| {
                    quantity
                        .and_then(Value::as_f64)
                        .filter(|q| q.fract() == 0.0)
                        .map(|q| q as i64)
                });
                // ShipStation's quantities are 32-bit integers.
                if whole.is_none_or(|q| !(1..=i64::from(i32::MAX)).contains(&q)) {
                    return Err(format!(
                        "items[{index}].quantity must be a whole number from 1 to {}",
                        i32::MAX
                    ));
                }
            }
        }
        Some(_) => return Err("items must be an array".into()),
    }
    Ok((object, order_date))
}

impl Records {
    /// Creates or updates (upsert by `orderKey`, full replace) one order at `now`. An order whose
    /// number contains `fail_matching` (an armed fault) is refused.
    pub fn upsert(
        &mut self,
        order: &Value,
        now: DateTime<Utc>,
        fail_matching: Option<&str>,
    ) -> UpsertResult {
        let number = order
            .get("orderNumber")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let key = order
            .get("orderKey")
            .and_then(Value::as_str)
            .filter(|k| !k.is_empty())
            .map(str::to_owned);
        let refused = |order_id: Option<i64>, message: String| UpsertResult {
            order_id,
            order_number: number.clone(),
            order_key: key.clone(),
            done: Err(message),
        };
        let (object, order_date) = match validate(order) {
            Ok(valid) => valid,
            Err(message) => return refused(None, message),
        };
        if let (Some(pattern), Some(number)) = (fail_matching, &number)
            && number.contains(pattern)
        {
            return refused(None, format!("Simulated failure for order {number}"));
        }
        let mut body = object.clone();
        for server_owned in [
            "orderId",
            "orderKey",
            "orderNumber",
            "orderStatus",
            "orderDate",
            "createDate",
            "modifyDate",
            "orderTotal",
        ] {
            body.remove(server_owned);
        }
        let status = object
            .get("orderStatus")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let number_text = number.clone().unwrap_or_default();
        let existing = key.as_ref().and_then(|key| self.active_order_by_key(key));
        let now = self.change_time(now);
        if let Some(order_id) = existing {
            let Some(record) = self.orders.get_mut(&order_id) else {
                return refused(None, "order vanished".into());
            };
            if record.status == "shipped" || record.status == "cancelled" {
                return refused(
                    Some(order_id),
                    format!(
                        "Order {} is {} and can no longer be updated",
                        record.order_number, record.status
                    ),
                );
            }
            record.body = body;
            record.order_number = number_text;
            record.status = status;
            record.order_date = order_date;
            record.modify_date = now;
            record.writes += 1;
            return UpsertResult {
                order_id: Some(order_id),
                order_number: number,
                order_key: key,
                done: Ok(Upserted::Updated),
            };
        }
        let store_id = match body
            .get("advancedOptions")
            .and_then(|a| a.get("storeId"))
            .and_then(Value::as_i64)
        {
            Some(store_id) if self.stores.iter().any(|s| s.store_id == store_id) => store_id,
            Some(store_id) => return refused(None, format!("storeId {store_id} does not exist")),
            None => self.default_store_id(),
        };
        let order_id = self.next_order_id;
        self.next_order_id += 1;
        let order_key = key
            .clone()
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
        self.insert_order(OrderRecord {
            order_id,
            body,
            order_key: order_key.clone(),
            order_number: number_text,
            status,
            store_id,
            order_date,
            create_date: now,
            modify_date: now,
            active: true,
            merged_or_split: false,
            merged_ids: Vec::new(),
            parent_id: None,
            writes: 1,
        });
        UpsertResult {
            order_id: Some(order_id),
            order_number: number,
            order_key: Some(order_key),
            done: Ok(Upserted::Created),
        }
    }

    /// Activates or deactivates a store (drift: a configured store was deactivated).
    pub fn set_store_active(&mut self, store_id: i64, active: bool) -> Result<(), ControlError> {
        let store = self
            .stores
            .iter_mut()
            .find(|store| store.store_id == store_id)
            .ok_or(ControlError::StoreNotFound { store_id })?;
        store.active = active;
        Ok(())
    }

    /// Creates a label (shipment) for an order at `now`, as a user does in the UI. The order
    /// becomes `shipped` once every physical item is on a non-voided label. Returns the
    /// `shipmentId`.
    pub fn create_label(
        &mut self,
        order_id: i64,
        label: LabelRequest,
        now: DateTime<Utc>,
    ) -> Result<i64, ControlError> {
        let order = self.order_mut(order_id)?.clone();
        let items = order.items();
        let shipped = self.shipped_units(&order);
        let package: Vec<(usize, i64)> = match label.items {
            Some(lines) => lines
                .iter()
                .map(|line| {
                    item_index(&items, Some(&line.line_item_key))
                        .filter(|_| line.quantity > 0)
                        .map(|index| (index, line.quantity))
                        .ok_or_else(|| ControlError::NothingToShip {
                            order_id,
                            line_item_key: line.line_item_key.clone(),
                        })
                })
                .collect::<Result<_, _>>()?,
            None => items
                .iter()
                .enumerate()
                .filter(|(_, item)| !is_adjustment(item))
                .map(|(index, item)| {
                    (
                        index,
                        item.get("quantity").and_then(Value::as_i64).unwrap_or(0) - shipped[index],
                    )
                })
                .filter(|&(_, left)| left > 0)
                .collect(),
        };
        if package.is_empty() {
            return Err(ControlError::NothingToShip {
                order_id,
                line_item_key: String::new(),
            });
        }
        let now = self.change_time(now);
        let shipment_id = self.next_shipment_id;
        self.next_shipment_id += 1;
        let text =
            |item: &Value, field: &str| item.get(field).and_then(Value::as_str).map(str::to_owned);
        let first_carrier = self.carriers.first().map(|c| c.code.clone());
        self.shipments.push(ShipmentRecord {
            shipment_id,
            order_id,
            order_key: order.order_key.clone(),
            order_number: order.order_number.clone(),
            store_id: order.store_id,
            create_date: label.create_date.unwrap_or(now),
            ship_date: label
                .ship_date
                .unwrap_or_else(|| pacific::pacific_date(now)),
            tracking_number: label.tracking_number,
            carrier_code: label
                .carrier_code
                .or_else(|| text(&Value::Object(order.body.clone()), "carrierCode"))
                .or(first_carrier),
            service_code: label
                .service_code
                .or_else(|| text(&Value::Object(order.body.clone()), "serviceCode")),
            warehouse_id: order.warehouse_id(),
            voided: false,
            void_date: None,
            items: package
                .iter()
                .map(|&(index, quantity)| {
                    let item = &items[index];
                    (
                        text(item, "lineItemKey"),
                        text(item, "sku"),
                        text(item, "name").unwrap_or_default(),
                        quantity,
                    )
                })
                .collect(),
        });
        let done = self.fully_shipped(&order);
        let record = self.order_mut(order_id)?;
        if done {
            record.status = "shipped".into();
        }
        record.modify_date = now;
        Ok(shipment_id)
    }

    /// Voids a label at `now`. An order that was shipped by labels and is no longer fully
    /// covered goes back to `awaiting_shipment`.
    pub fn void_shipment(
        &mut self,
        shipment_id: i64,
        now: DateTime<Utc>,
    ) -> Result<(), ControlError> {
        let now = self.change_time(now);
        let shipment = self
            .shipments
            .iter_mut()
            .find(|s| s.shipment_id == shipment_id)
            .ok_or(ControlError::ShipmentNotFound { shipment_id })?;
        shipment.voided = true;
        shipment.void_date = Some(now);
        let order_id = shipment.order_id;
        if let Some(order) = self.orders.get(&order_id).cloned() {
            let has_fulfillment = self.fulfillments.iter().any(|f| f.order_id == order_id);
            if order.status == "shipped" && !has_fulfillment && !self.fully_shipped(&order) {
                let record = self.order_mut(order_id)?;
                record.status = "awaiting_shipment".into();
                record.modify_date = now;
            }
        }
        Ok(())
    }

    /// "Mark as Shipped" at `now`: creates a fulfillment (no label) and sets the order
    /// `shipped`. Returns the `fulfillmentId`.
    pub fn mark_shipped(
        &mut self,
        order_id: i64,
        request: MarkShippedRequest,
        now: DateTime<Utc>,
    ) -> Result<i64, ControlError> {
        let now = self.change_time(now);
        let order = self.order_mut(order_id)?;
        order.status = "shipped".into();
        order.modify_date = now;
        let order_number = order.order_number.clone();
        let fulfillment_id = self.next_fulfillment_id;
        self.next_fulfillment_id += 1;
        self.fulfillments.push(FulfillmentRecord {
            fulfillment_id,
            order_id,
            order_number,
            create_date: now,
            ship_date: request
                .ship_date
                .unwrap_or_else(|| pacific::pacific_date(now)),
            tracking_number: request.tracking_number,
            carrier_code: request.carrier_code,
        });
        Ok(fulfillment_id)
    }

    /// Cancels an order at `now` as a user would (status `cancelled`).
    pub fn cancel_order(&mut self, order_id: i64, now: DateTime<Utc>) -> Result<(), ControlError> {
        let now = self.change_time(now);
        let order = self.order_mut(order_id)?;
        order.status = "cancelled".into();
        order.modify_date = now;
        Ok(())
    }

    /// Edits an order at `now` as a user does in ShipStation's UI: each of `fields` (camelCase,
    /// e.g. `weight`, `packageCode`, `customerNotes`) replaces the order's own.
    pub fn edit_order(
        &mut self,
        order_id: i64,
        fields: Map<String, Value>,
        now: DateTime<Utc>,
    ) -> Result<(), ControlError> {
        let now = self.change_time(now);
        let order = self.order_mut(order_id)?;
        order.body.extend(fields);
        order.modify_date = now;
        Ok(())
    }

    /// Deletes an order at `now` as a user would: it becomes inactive, hidden from lists and
    /// `GET` (404).
    pub fn delete_order(&mut self, order_id: i64, now: DateTime<Utc>) -> Result<(), ControlError> {
        let now = self.change_time(now);
        let order = self.order_mut(order_id)?;
        order.active = false;
        order.modify_date = now;
        Ok(())
    }

    /// Splits an order at `now`: the items whose `lineItemKey` (or `sku`) is listed move to a new
    /// child order that keeps the `orderNumber`; both carry `mergedOrSplit = true` and the child
    /// has `parentId` and its own generated `orderKey`. Returns the child's `orderId`.
    pub fn split_order(
        &mut self,
        order_id: i64,
        line_item_keys: &[String],
        now: DateTime<Utc>,
    ) -> Result<i64, ControlError> {
        let now = self.change_time(now);
        let child_id = self.next_order_id;
        let parent = self.order_mut(order_id)?;
        let (moved, kept): (Vec<Value>, Vec<Value>) =
            parent.items().into_iter().partition(|item| {
                item_key(item).is_some_and(|key| line_item_keys.iter().any(|k| k == key))
            });
        if moved.is_empty() || kept.is_empty() {
            return Err(ControlError::InvalidSplit { order_id });
        }
        parent.body.insert("items".into(), Value::Array(kept));
        parent.merged_or_split = true;
        parent.modify_date = now;
        parent.writes += 1;
        let mut child = parent.clone();
        child.order_id = child_id;
        child.order_key = uuid::Uuid::new_v4().to_string();
        child.body.insert("items".into(), Value::Array(moved));
        child.parent_id = Some(order_id);
        child.create_date = now;
        child.writes = 1;
        self.next_order_id += 1;
        self.insert_order(child);
        Ok(child_id)
    }

    fn order_mut(&mut self, order_id: i64) -> Result<&mut OrderRecord, ControlError> {
        self.orders
            .get_mut(&order_id)
            .filter(|order| order.active)
            .ok_or(ControlError::OrderNotFound { order_id })
    }

    /// Units of each item index already on non-voided labels.
    fn shipped_units(&self, order: &OrderRecord) -> Vec<i64> {
        let items = order.items();
        let mut shipped = vec![0; items.len()];
        for shipment in self
            .shipments
            .iter()
            .filter(|s| s.order_id == order.order_id && !s.voided)
        {
            for (key, sku, _, quantity) in &shipment.items {
                if let Some(index) = item_index(&items, key.as_deref().or(sku.as_deref())) {
                    shipped[index] += quantity;
                }
            }
        }
        shipped
    }

    fn fully_shipped(&self, order: &OrderRecord) -> bool {
        let shipped = self.shipped_units(order);
        order.items().iter().zip(shipped).all(|(item, done)| {
            is_adjustment(item) || done >= item.get("quantity").and_then(Value::as_i64).unwrap_or(0)
        })
    }
}

fn is_adjustment(item: &Value) -> bool {
    item.get("adjustment")
        .and_then(Value::as_bool)
        .unwrap_or(false)
}

fn item_key(item: &Value) -> Option<&str> {
    item.get("lineItemKey")
        .and_then(Value::as_str)
        .or_else(|| item.get("sku").and_then(Value::as_str))
}

fn item_index(items: &[Value], key: Option<&str>) -> Option<usize> {
    let key = key?;
    items.iter().position(|item| item_key(item) == Some(key))
}
