//! ShipStation's reference data as the engine uses it: active stores, warehouses, carriers and
//! their services, and the drift between it and the settings. Fetching and caching live in
//! [`crate::sync::reference`]; this module is pure.

use serde::{Deserialize, Serialize};

use crate::settings::{CarrierFamily, Settings};

/// A store as the wizard and the mapping need it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct StoreRef {
    /// ShipStation `storeId`.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// Whether it is active.
    pub active: bool,
}

/// A warehouse (Ship From Location).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct WarehouseRef {
    /// ShipStation `warehouseId`, which a Quipt warehouse code must equal.
    pub id: i64,
    /// Its name.
    pub name: String,
}

/// A connected carrier and its services.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct CarrierRef {
    /// The account's `carrierCode` (e.g. `stamps_com`).
    pub code: String,
    /// Its name.
    pub name: String,
    /// Whether it is the account's primary carrier.
    pub primary: bool,
    /// Its `serviceCode`s.
    pub services: Vec<ServiceRef>,
}

/// A carrier service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ServiceRef {
    /// `serviceCode`.
    pub code: String,
    /// Its name.
    pub name: String,
}

/// Everything the mapping needs to know about the ShipStation account.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Reference {
    /// Stores, including inactive ones (so drift can say "inactive" rather than "gone").
    pub stores: Vec<StoreRef>,
    /// Warehouses.
    pub warehouses: Vec<WarehouseRef>,
    /// Connected carriers.
    pub carriers: Vec<CarrierRef>,
}

/// The carrier family of an account's `carrierCode` (shared/api/shipstation.md lists the codes).
pub fn family_of(carrier_code: &str) -> Option<CarrierFamily> {
    let code = carrier_code.to_ascii_lowercase();
    if code.starts_with("ups") {
        Some(CarrierFamily::Ups)
    } else if code.starts_with("fedex") {
        Some(CarrierFamily::Fedex)
    } else if code.starts_with("usps") || code == "stamps_com" || code == "endicia" {
        Some(CarrierFamily::Usps)
    } else if code.starts_with("dhl") {
        Some(CarrierFamily::Dhl)
    } else {
        None
    }
}

impl Reference {
    /// Whether `id` is an active store.
    pub fn store_is_active(&self, id: i64) -> bool {
        self.stores.iter().any(|s| s.id == id && s.active)
    }

    /// Whether a warehouse with this id exists.
    pub fn has_warehouse(&self, id: i64) -> bool {
        self.warehouses.iter().any(|w| w.id == id)
    }

    /// The account's carrier for a family: the primary one if several are connected.
    pub fn carrier_for(&self, family: CarrierFamily) -> Option<&CarrierRef> {
        let mut matching = self
            .carriers
            .iter()
            .filter(|c| family_of(&c.code) == Some(family));
        let first = matching.next()?;
        Some(
            std::iter::once(first)
                .chain(matching)
                .find(|c| c.primary)
                .unwrap_or(first),
        )
    }

    /// Problems between the settings and the account that hold some or all orders: the alerts of
    /// SPEC §2.1.
    pub fn drift(&self, settings: &Settings) -> Vec<String> {
        let mut alerts = Vec::new();
        let mut store_ids: Vec<i64> = Vec::new();
        if settings.stores.single_store {
            store_ids.extend(settings.stores.default_store_id);
        } else {
            store_ids.extend(settings.stores.channel_store_ids.values());
        }
        for id in store_ids {
            match self.stores.iter().find(|s| s.id == id) {
                None => alerts.push(format!("ShipStation has no store with ID {id}")),
                Some(s) if !s.active => {
                    alerts.push(format!("ShipStation store {id} ({}) is inactive", s.name))
                }
                Some(_) => {}
            }
        }
        for code in &settings.warehouses.codes {
            if !code.trim().parse().is_ok_and(|id| self.has_warehouse(id)) {
                alerts.push(format!("ShipStation has no warehouse with ID {code}"));
            }
        }
        let preferred = settings.carrier.preferred;
        match self.carrier_for(preferred) {
            None => alerts.push(format!(
                "the preferred carrier {} is not connected in ShipStation",
                preferred.label()
            )),
            Some(c)
                if !c
                    .services
                    .iter()
                    .any(|s| s.code == settings.carrier.default_service) =>
            {
                alerts.push(format!(
                    "the default service {} is not a service of {} ({})",
                    settings.carrier.default_service,
                    preferred.label(),
                    c.code
                ))
            }
            Some(_) => {}
        }
        alerts
    }
}
