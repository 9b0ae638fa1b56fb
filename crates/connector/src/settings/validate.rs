//! Cross-field rules of the settings, each answered with a sentence that says what to fix.
//! Rules that need the APIs (does the store exist?) live in [`crate::checks`].

use super::{CarrierFamily, Settings};

/// Every rule the settings break; empty when they are usable.
pub fn problems(settings: &Settings) -> Vec<String> {
    let mut problems = Vec::new();
    let stores = &settings.stores;
    if stores.single_store && stores.default_store_id.is_none() {
        problems.push(
            "stores.single_store is true but stores.default_store_id is missing: choose the ShipStation store that receives every order".into(),
        );
    }
    if !stores.single_store && stores.channel_store_ids.is_empty() {
        problems.push(
            "stores.single_store is false but stores.channel_store_ids is empty: give each Quipt channel a ShipStation store ID".into(),
        );
    }
    let carrier = &settings.carrier;
    if carrier.preferred == CarrierFamily::Usps && !carrier.usps_supported {
        problems.push(
            "carrier.preferred is \"usps\" but carrier.usps_supported is false: choose ups, fedex or dhl as the preferred carrier, or answer yes to \"Do you support USPS?\"".into(),
        );
    }
    if carrier.default_service.trim().is_empty() {
        problems.push(
            "carrier.default_service is empty: choose the service used with the preferred carrier (for example \"ups_ground\")".into(),
        );
    }
    if settings.warehouses.codes.is_empty() {
        problems.push(
            "warehouses.codes is empty: list the Quipt warehouse codes to sync, each equal to a ShipStation warehouse ID".into(),
        );
    }
    for code in &settings.warehouses.codes {
        if code.trim().parse::<i64>().is_err() {
            problems.push(format!(
                "warehouse code \"{code}\" cannot equal a ShipStation warehouse ID, which is a number: change the code in Quipt to the ShipStation warehouse ID"
            ));
        }
    }
    if settings.schedule.interval_minutes == 0 {
        problems.push("schedule.interval_minutes must be at least 1".into());
    }
    problems
}
