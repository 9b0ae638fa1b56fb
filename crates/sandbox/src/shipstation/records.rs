//! What the simulated ShipStation account holds: reference data (stores, warehouses, carriers),
//! orders, labels (shipments) and fulfillments, and how each renders as JSON. Plain data and
//! look-ups; the rules that change them are in `rules.rs`.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::pacific;

/// The `orderStatus` values the API knows.
pub const ORDER_STATUSES: [&str; 7] = [
    "awaiting_payment",
    "awaiting_shipment",
    "pending_fulfillment",
    "shipped",
    "on_hold",
    "cancelled",
    "rejected_fulfillment",
];

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

/// `marketplaceName` of a manual store.
pub(crate) fn manual_store_name() -> String {
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

    pub fn snapshot(&self) -> OrderSnapshot {
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

/// Everything the account holds, with the id counters and the `orderKey` index.
#[derive(Debug)]
pub(crate) struct Records {
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
    last_change: DateTime<Utc>,
}

impl Records {
    /// An account with this reference data and nothing else.
    pub fn new(
        stores: Vec<StoreRecord>,
        warehouses: Vec<WarehouseRecord>,
        carriers: Vec<CarrierRecord>,
    ) -> Self {
        Self {
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
            last_change: DateTime::<Utc>::MIN_UTC,
        }
    }

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

    /// A change timestamp at `now` that strictly increases, so that `modifyDate` bumps on every
    /// change even when two writes fall in the same clock tick.
    pub fn change_time(&mut self, now: DateTime<Utc>) -> DateTime<Utc> {
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
}
