//! The simulator's in-memory account: reference data, orders, labels, fulfillments, the rate window,
//! the armed faults and request statistics, plus the operations a user performs in ShipStation's UI
//! (exposed to Rust tests here and over HTTP by `control.rs`).

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::faults::Faults;
use super::pacific;
use super::rate_limit::RateWindow;
use crate::demo_data;

/// A store as `GET /stores` shows it; also the shape used to seed stores.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoreRecord {
    /// `storeId`.
    pub store_id: i64,
    /// `storeName`.
    pub store_name: String,
    /// `marketplaceId`; 0 for a manual store.
    #[serde(default)]
    pub marketplace_id: i64,
    /// `marketplaceName`.
    #[serde(default = "manual_store_name")]
    pub marketplace_name: String,
    /// `active`; inactive stores appear only with `showInactive=true`.
    #[serde(default = "yes")]
    pub active: bool,
}

fn manual_store_name() -> String {
    "ShipStation".to_owned()
}
fn yes() -> bool {
    true
}

/// A warehouse (Ship From Location) as `GET /warehouses` shows it; also the seeding shape.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WarehouseRecord {
    /// `warehouseId`.
    pub warehouse_id: i64,
    /// `warehouseName`.
    pub warehouse_name: String,
    /// `isDefault`.
    #[serde(default)]
    pub is_default: bool,
}

/// A carrier service (`GET /carriers/listservices`); also the seeding shape.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceRecord {
    /// `code` (the `serviceCode`).
    pub code: String,
    /// `name`.
    pub name: String,
    /// `domestic`.
    #[serde(default = "yes")]
    pub domestic: bool,
    /// `international`.
    #[serde(default)]
    pub international: bool,
}

/// A connected carrier and its services; the seeding shape of `PUT /__control/carriers`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CarrierRecord {
    /// `code` (the `carrierCode`).
    pub code: String,
    /// `name`.
    pub name: String,
    /// `accountNumber`.
    #[serde(default)]
    pub account_number: Option<String>,
    /// `primary`.
    #[serde(default)]
    pub primary: bool,
    /// What `GET /carriers/listservices?carrierCode=` answers.
    #[serde(default)]
    pub services: Vec<ServiceRecord>,
}

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

/// One order as the simulator holds it, including inactive (deleted) ones; for test assertions.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderSnapshot {
    /// `orderId`.
    pub order_id: i64,
    /// `orderNumber`.
    pub order_number: String,
    /// `orderKey`.
    pub order_key: String,
    /// `orderStatus`.
    pub order_status: String,
    /// `advancedOptions.storeId`.
    pub store_id: i64,
    /// False once deleted.
    pub active: bool,
    /// `advancedOptions.mergedOrSplit`.
    pub merged_or_split: bool,
    /// `advancedOptions.parentId`.
    pub parent_id: Option<i64>,
    /// How often the order was written (creation counts as 1).
    pub writes: u32,
    /// The order exactly as `GET /orders/{id}` would render it.
    pub json: Value,
}

/// Request statistics of the API (control calls are not counted).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestStats {
    /// Every API request received, including refused ones.
    pub total: u64,
    /// Requests per endpoint, keyed `"METHOD /path/{param}"`.
    pub per_endpoint: BTreeMap<String, u64>,
    /// 429 answers sent.
    pub rate_limited: u64,
    /// 401 answers sent.
    pub unauthorized: u64,
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

#[derive(Debug, Clone)]
pub(crate) struct OrderRecord {
    pub order_id: i64,
    /// The fields as last written (full replace), without the server-owned ones.
    pub body: Map<String, Value>,
    pub order_key: String,
    pub order_number: String,
    pub status: String,
    pub store_id: i64,
    pub order_date: DateTime<Utc>,
    pub create_date: DateTime<Utc>,
    pub modify_date: DateTime<Utc>,
    pub active: bool,
    pub merged_or_split: bool,
    pub merged_ids: Vec<i64>,
    pub parent_id: Option<i64>,
    pub writes: u32,
}

impl OrderRecord {
    pub fn items(&self) -> Vec<Value> {
        self.body
            .get("items")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    }

    pub fn warehouse_id(&self) -> Option<i64> {
        self.body
            .get("advancedOptions")?
            .get("warehouseId")?
            .as_i64()
    }

    /// The order as ShipStation renders it.
    pub fn render(&self) -> Value {
        let mut out = self.body.clone();
        let mut advanced = match out.remove("advancedOptions") {
            Some(Value::Object(map)) => map,
            _ => Map::new(),
        };
        advanced.insert("storeId".into(), json!(self.store_id));
        advanced.insert("mergedOrSplit".into(), json!(self.merged_or_split));
        advanced.insert("mergedIds".into(), json!(self.merged_ids));
        advanced.insert("parentId".into(), json!(self.parent_id));
        for field in [
            "warehouseId",
            "customField1",
            "customField2",
            "customField3",
            "source",
        ] {
            advanced.entry(field).or_insert(Value::Null);
        }
        let items = self.items();
        let goods: f64 = items
            .iter()
            .map(|item| {
                item.get("unitPrice").and_then(Value::as_f64).unwrap_or(0.0)
                    * item.get("quantity").and_then(Value::as_f64).unwrap_or(0.0)
            })
            .sum();
        let extra = |field: &str| out.get(field).and_then(Value::as_f64).unwrap_or(0.0);
        let total = goods + extra("taxAmount") + extra("shippingAmount");
        out.insert("orderId".into(), json!(self.order_id));
        out.insert("orderNumber".into(), json!(self.order_number));
        out.insert("orderKey".into(), json!(self.order_key));
        out.insert("orderStatus".into(), json!(self.status));
        out.insert(
            "orderDate".into(),
            json!(pacific::format_timestamp(self.order_date)),
        );
        out.insert(
            "createDate".into(),
            json!(pacific::format_timestamp(self.create_date)),
        );
        out.insert(
            "modifyDate".into(),
            json!(pacific::format_timestamp(self.modify_date)),
        );
        out.insert("orderTotal".into(), json!((total * 100.0).round() / 100.0));
        out.insert("items".into(), Value::Array(items));
        out.insert("advancedOptions".into(), Value::Object(advanced));
        out.insert("externallyFulfilled".into(), json!(false));
        Value::Object(out)
    }

    fn snapshot(&self) -> OrderSnapshot {
        OrderSnapshot {
            order_id: self.order_id,
            order_number: self.order_number.clone(),
            order_key: self.order_key.clone(),
            order_status: self.status.clone(),
            store_id: self.store_id,
            active: self.active,
            merged_or_split: self.merged_or_split,
            parent_id: self.parent_id,
            writes: self.writes,
            json: self.render(),
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct ShipmentRecord {
    pub shipment_id: i64,
    pub order_id: i64,
    pub order_key: String,
    pub order_number: String,
    pub store_id: i64,
    pub create_date: DateTime<Utc>,
    pub ship_date: NaiveDate,
    pub tracking_number: String,
    pub carrier_code: Option<String>,
    pub service_code: Option<String>,
    pub warehouse_id: Option<i64>,
    pub voided: bool,
    pub void_date: Option<DateTime<Utc>>,
    /// (lineItemKey, sku, name, quantity)
    pub items: Vec<(Option<String>, Option<String>, String, i64)>,
}

impl ShipmentRecord {
    pub fn render(&self, include_items: bool) -> Value {
        let items = include_items.then(|| {
            self.items
                .iter()
                .map(|(key, sku, name, quantity)| {
                    json!({"orderItemId": null, "lineItemKey": key, "sku": sku, "name": name,
                           "quantity": quantity, "unitPrice": null})
                })
                .collect::<Vec<_>>()
        });
        json!({
            "shipmentId": self.shipment_id, "orderId": self.order_id, "orderKey": self.order_key,
            "userId": null, "orderNumber": self.order_number,
            "createDate": pacific::format_timestamp(self.create_date),
            "shipDate": self.ship_date.format("%Y-%m-%d").to_string(),
            "shipmentCost": 7.5, "insuranceCost": 0.0, "trackingNumber": self.tracking_number,
            "isReturnLabel": false, "batchNumber": null, "carrierCode": self.carrier_code,
            "serviceCode": self.service_code, "packageCode": "package", "confirmation": "none",
            "warehouseId": self.warehouse_id, "voided": self.voided,
            "voidDate": self.void_date.map(pacific::format_timestamp),
            "marketplaceNotified": false, "notifyErrorMessage": null,
            "advancedOptions": {"storeId": self.store_id},
            "shipmentItems": items, "labelData": null, "formData": null
        })
    }
}

#[derive(Debug, Clone)]
pub(crate) struct FulfillmentRecord {
    pub fulfillment_id: i64,
    pub order_id: i64,
    pub order_number: String,
    pub create_date: DateTime<Utc>,
    pub ship_date: NaiveDate,
    pub tracking_number: Option<String>,
    pub carrier_code: Option<String>,
}

impl FulfillmentRecord {
    pub fn render(&self) -> Value {
        json!({
            "fulfillmentId": self.fulfillment_id, "orderId": self.order_id,
            "orderNumber": self.order_number, "userId": null, "customerEmail": null,
            "trackingNumber": self.tracking_number,
            "createDate": pacific::format_timestamp(self.create_date),
            "shipDate": self.ship_date.format("%Y-%m-%d").to_string(),
            "voidDate": null, "deliveryDate": null, "carrierCode": self.carrier_code,
            "fulfillmentProviderCode": null, "fulfillmentServiceCode": null, "fulfillmentFee": 0.0,
            "voidRequested": false, "voided": false, "marketplaceNotified": true,
            "notifyErrorMessage": null
        })
    }
}

#[derive(Debug)]
pub(crate) struct Account {
    pub stores: Vec<StoreRecord>,
    pub warehouses: Vec<WarehouseRecord>,
    pub carriers: Vec<CarrierRecord>,
    pub orders: BTreeMap<i64, OrderRecord>,
    /// `orderKey` → `orderId`, so an upsert finds its order without scanning every order (large
    /// loads in the benchmarks); entries of deleted orders are checked and ignored.
    order_keys: HashMap<String, i64>,
    pub shipments: Vec<ShipmentRecord>,
    pub fulfillments: Vec<FulfillmentRecord>,
    pub next_order_id: i64,
    pub next_shipment_id: i64,
    pub next_fulfillment_id: i64,
    pub rate: RateWindow,
    pub faults: Faults,
    pub stats: RequestStats,
    last_change: DateTime<Utc>,
}

impl Account {
    /// Adds an order and indexes its `orderKey`.
    pub fn insert_order(&mut self, record: OrderRecord) {
        self.order_keys
            .insert(record.order_key.clone(), record.order_id);
        self.orders.insert(record.order_id, record);
    }

    /// The active order with this `orderKey` (the upsert rule: deleted orders do not match).
    pub fn active_order_by_key(&self, key: &str) -> Option<i64> {
        let id = *self.order_keys.get(key)?;
        self.orders
            .get(&id)
            .filter(|o| o.active && o.order_key == key)
            .map(|o| o.order_id)
    }

    /// A change timestamp that strictly increases, so that `modifyDate` bumps on every change even
    /// when two writes fall in the same clock tick.
    pub fn change_time(&mut self) -> DateTime<Utc> {
        let now = Utc::now();
        self.last_change = if now > self.last_change {
            now
        } else {
            self.last_change + chrono::Duration::microseconds(1)
        };
        self.last_change
    }

    /// The store new orders land in when they name none: the first active manual store.
    pub fn default_store_id(&self) -> i64 {
        self.stores
            .iter()
            .find(|store| store.marketplace_id == 0 && store.active)
            .or_else(|| self.stores.first())
            .map_or(0, |store| store.store_id)
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

/// Shared state of the ShipStation simulator. Cheap to clone; every clone sees the same account.
///
/// The pub methods are the control API for Rust tests; `/__control/` exposes the same operations
/// over HTTP (see `control.rs`).
#[derive(Debug, Clone)]
pub struct ShipStationState {
    inner: Arc<Mutex<Account>>,
}

impl Default for ShipStationState {
    fn default() -> Self {
        Self::with_demo_data(&crate::SandboxConfig::default())
    }
}

impl ShipStationState {
    /// Seeds the demo account (SPEC §5): the stores (all manual, one inactive), warehouses and
    /// carriers of [`demo_data`], no orders (they come from the connector), and a rate window of
    /// `config.rate_window`.
    pub fn with_demo_data(config: &crate::SandboxConfig) -> Self {
        let stores = demo_data::SHIPSTATION_STORES
            .iter()
            .map(|&(store_id, name, active)| StoreRecord {
                store_id,
                store_name: name.to_owned(),
                marketplace_id: 0,
                marketplace_name: manual_store_name(),
                active,
            })
            .collect();
        let warehouses = demo_data::SHIPSTATION_WAREHOUSES
            .iter()
            .enumerate()
            .map(|(index, &(warehouse_id, name))| WarehouseRecord {
                warehouse_id,
                warehouse_name: name.to_owned(),
                is_default: index == 0,
            })
            .collect();
        let carriers = demo_data::SHIPSTATION_CARRIERS
            .iter()
            .enumerate()
            .map(|(index, &(code, name, services))| CarrierRecord {
                code: code.to_owned(),
                name: name.to_owned(),
                account_number: Some(format!("DEMO{:04}", index + 1)),
                primary: true,
                services: services
                    .iter()
                    .map(|&(code, name)| ServiceRecord {
                        code: code.to_owned(),
                        name: name.to_owned(),
                        domestic: !code.contains("worldwide"),
                        international: code.contains("worldwide"),
                    })
                    .collect(),
            })
            .collect();
        let account = Account {
            stores,
            warehouses,
            carriers,
            orders: BTreeMap::new(),
            order_keys: HashMap::new(),
            shipments: Vec::new(),
            fulfillments: Vec::new(),
            next_order_id: 100_000_001,
            next_shipment_id: 500_000_001,
            next_fulfillment_id: 700_000_001,
            rate: RateWindow::new(config.rate_window),
            faults: Faults::default(),
            stats: RequestStats::default(),
            last_change: DateTime::<Utc>::MIN_UTC,
        };
        Self {
            inner: Arc::new(Mutex::new(account)),
        }
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, Account> {
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Replaces the account's stores (as if the user edited them in the UI).
    pub fn set_stores(&self, stores: Vec<StoreRecord>) {
        self.lock().stores = stores;
    }

    /// Activates or deactivates a store (drift tests: a configured store was deactivated).
    ///
    /// # Errors
    /// [`ControlError::StoreNotFound`].
    pub fn set_store_active(&self, store_id: i64, active: bool) -> Result<(), ControlError> {
        let mut account = self.lock();
        let store = account
            .stores
            .iter_mut()
            .find(|store| store.store_id == store_id)
            .ok_or(ControlError::StoreNotFound { store_id })?;
        store.active = active;
        Ok(())
    }

    /// Replaces the account's warehouses.
    pub fn set_warehouses(&self, warehouses: Vec<WarehouseRecord>) {
        self.lock().warehouses = warehouses;
    }

    /// Removes a warehouse; returns whether it existed.
    pub fn remove_warehouse(&self, warehouse_id: i64) -> bool {
        let mut account = self.lock();
        let before = account.warehouses.len();
        account
            .warehouses
            .retain(|w| w.warehouse_id != warehouse_id);
        account.warehouses.len() != before
    }

    /// Replaces the connected carriers (and their services).
    pub fn set_carriers(&self, carriers: Vec<CarrierRecord>) {
        self.lock().carriers = carriers;
    }

    /// Disconnects a carrier; returns whether it was connected.
    pub fn remove_carrier(&self, carrier_code: &str) -> bool {
        let mut account = self.lock();
        let before = account.carriers.len();
        account.carriers.retain(|c| c.code != carrier_code);
        account.carriers.len() != before
    }

    /// Creates a label (shipment) for an order, as a user does in the UI. The order becomes
    /// `shipped` once every physical item is on a non-voided label. Returns the `shipmentId`.
    ///
    /// # Errors
    /// Unknown or deleted order; a package line that is not on the order or already shipped.
    pub fn create_label(&self, order_id: i64, label: LabelRequest) -> Result<i64, ControlError> {
        let mut account = self.lock();
        let order = account.order_mut(order_id)?.clone();
        let items = order.items();
        let shipped = account.shipped_units(&order);
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
        let now = account.change_time();
        let shipment_id = account.next_shipment_id;
        account.next_shipment_id += 1;
        let text =
            |item: &Value, field: &str| item.get(field).and_then(Value::as_str).map(str::to_owned);
        let first_carrier = account.carriers.first().map(|c| c.code.clone());
        account.shipments.push(ShipmentRecord {
            shipment_id,
            order_id,
            order_key: order.order_key.clone(),
            order_number: order.order_number.clone(),
            store_id: order.store_id,
            create_date: now,
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
        let done = account.fully_shipped(&order);
        let record = account.order_mut(order_id)?;
        if done {
            record.status = "shipped".into();
        }
        record.modify_date = now;
        Ok(shipment_id)
    }

    /// Voids a label. An order that was shipped by labels and is no longer fully covered goes back
    /// to `awaiting_shipment`.
    ///
    /// # Errors
    /// [`ControlError::ShipmentNotFound`].
    pub fn void_shipment(&self, shipment_id: i64) -> Result<(), ControlError> {
        let mut account = self.lock();
        let now = account.change_time();
        let shipment = account
            .shipments
            .iter_mut()
            .find(|s| s.shipment_id == shipment_id)
            .ok_or(ControlError::ShipmentNotFound { shipment_id })?;
        shipment.voided = true;
        shipment.void_date = Some(now);
        let order_id = shipment.order_id;
        if let Some(order) = account.orders.get(&order_id).cloned() {
            let has_fulfillment = account.fulfillments.iter().any(|f| f.order_id == order_id);
            if order.status == "shipped" && !has_fulfillment && !account.fully_shipped(&order) {
                let record = account.order_mut(order_id)?;
                record.status = "awaiting_shipment".into();
                record.modify_date = now;
            }
        }
        Ok(())
    }

    /// "Mark as Shipped": creates a fulfillment (no label) and sets the order `shipped`. Returns the
    /// `fulfillmentId`.
    ///
    /// # Errors
    /// [`ControlError::OrderNotFound`].
    pub fn mark_shipped(
        &self,
        order_id: i64,
        request: MarkShippedRequest,
    ) -> Result<i64, ControlError> {
        let mut account = self.lock();
        let now = account.change_time();
        let order = account.order_mut(order_id)?;
        order.status = "shipped".into();
        order.modify_date = now;
        let order_number = order.order_number.clone();
        let fulfillment_id = account.next_fulfillment_id;
        account.next_fulfillment_id += 1;
        account.fulfillments.push(FulfillmentRecord {
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

    /// Cancels an order as a user would (status `cancelled`).
    ///
    /// # Errors
    /// [`ControlError::OrderNotFound`].
    pub fn cancel_order(&self, order_id: i64) -> Result<(), ControlError> {
        let mut account = self.lock();
        let now = account.change_time();
        let order = account.order_mut(order_id)?;
        order.status = "cancelled".into();
        order.modify_date = now;
        Ok(())
    }

    /// Deletes an order as a user would: it becomes inactive, hidden from lists and `GET` (404).
    ///
    /// # Errors
    /// [`ControlError::OrderNotFound`].
    pub fn delete_order(&self, order_id: i64) -> Result<(), ControlError> {
        let mut account = self.lock();
        let now = account.change_time();
        let order = account.order_mut(order_id)?;
        order.active = false;
        order.modify_date = now;
        Ok(())
    }

    /// Splits an order: the items whose `lineItemKey` (or `sku`) is listed move to a new child order
    /// that keeps the `orderNumber`; both carry `mergedOrSplit = true` and the child has `parentId`.
    /// The child gets its own generated `orderKey`. Returns the child's `orderId`.
    ///
    /// # Errors
    /// Unknown order, or a split that moves nothing or everything.
    pub fn split_order(
        &self,
        order_id: i64,
        line_item_keys: &[String],
    ) -> Result<i64, ControlError> {
        let mut account = self.lock();
        let now = account.change_time();
        let child_id = account.next_order_id;
        let parent = account.order_mut(order_id)?;
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
        account.next_order_id += 1;
        account.insert_order(child);
        Ok(child_id)
    }

    /// Every order, including deleted ones, in `orderId` order (for test assertions).
    pub fn all_orders(&self) -> Vec<OrderSnapshot> {
        self.lock()
            .orders
            .values()
            .map(OrderRecord::snapshot)
            .collect()
    }

    /// API request statistics since the start or the last [`Self::reset_stats`].
    pub fn stats(&self) -> RequestStats {
        self.lock().stats.clone()
    }

    /// Zeroes the request statistics.
    pub fn reset_stats(&self) {
        self.lock().stats = RequestStats::default();
    }

    /// Answers the next `count` API requests with `status` (e.g. 500 or 503) and an error body.
    pub fn fail_next(&self, count: u32, status: u16) {
        self.lock().faults.fail_next = (count > 0).then_some((count, status));
    }

    /// Closes the next `count` API connections without sending a response.
    pub fn drop_next(&self, count: u32) {
        self.lock().faults.drop_next = count;
    }

    /// Delays every API response by `latency` (zero turns it off).
    pub fn set_latency(&self, latency: Duration) {
        self.lock().faults.latency = latency;
    }

    /// Another application used the key: nothing remains until the current window resets.
    pub fn drain_budget(&self) {
        self.lock().rate.drain(std::time::Instant::now());
    }

    /// Any list page containing an order with this number answers 500; `None` turns it off.
    pub fn set_poison_order_number(&self, order_number: Option<String>) {
        self.lock().faults.poison_order_number = order_number;
    }

    /// Inserts `null` rows into every order, shipment and fulfillment list page.
    pub fn set_null_rows(&self, on: bool) {
        self.lock().faults.null_rows = on;
    }

    /// Creates fail (per order, HTTP 200, `success: false`) for orders whose number contains
    /// `pattern`; `None` turns it off.
    pub fn fail_orders_matching(&self, pattern: Option<String>) {
        self.lock().faults.bulk_fail_matching = pattern;
    }

    /// Answers the next `count` API requests with 200 and `body` (malformed-response tests).
    pub fn garbage_next(&self, count: u32, body: String) {
        self.lock().faults.garbage_next = (count > 0).then_some((count, body));
    }

    /// Disarms every fault.
    pub fn clear_faults(&self) {
        self.lock().faults = Faults::default();
    }
}
