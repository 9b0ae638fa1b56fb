//! Step 5 of the guide: which carrier and service an order gets.

use crate::reference::Reference;
use crate::settings::{CarrierFamily, CarrierSettings};

use super::hold::HoldReason;

/// The carrier and service chosen for an order, and a note when the request was not followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CarrierChoice {
    /// The account's `carrierCode`.
    pub carrier_code: String,
    /// The `serviceCode`, when one is known.
    pub service_code: Option<String>,
    /// What was substituted or assigned, for the order's timeline.
    pub note: Option<String>,
}

/// The family of a Quipt carrier code (`UPS`, `FEDEX`, `USPS`, `DHL`).
pub fn quipt_family(code: &str) -> Option<CarrierFamily> {
    match code.trim().to_ascii_uppercase().as_str() {
        "UPS" => Some(CarrierFamily::Ups),
        "FEDEX" | "FED EX" => Some(CarrierFamily::Fedex),
        "USPS" => Some(CarrierFamily::Usps),
        "DHL" => Some(CarrierFamily::Dhl),
        _ => None,
    }
}

/// Chooses the carrier of an order that requested `requested` (family and Quipt method code), by
/// the settings: the default carrier for orders without one (or a hold when that is off), the
/// preferred carrier instead of USPS when USPS is not supported, and otherwise the account's own
/// code for the requested family.
///
/// # Errors
/// The hold reason when the order cannot be given a carrier.
pub fn choose(
    requested: Option<(CarrierFamily, Option<&str>)>,
    settings: &CarrierSettings,
    reference: &Reference,
) -> Result<CarrierChoice, HoldReason> {
    let preferred = || {
        reference
            .carrier_for(settings.preferred)
            .map(|c| c.code.clone())
            .ok_or(HoldReason::CarrierNotConnected {
                carrier: settings.preferred,
            })
    };
    match requested {
        None if !settings.assign_default => Err(HoldReason::NoCarrierAssignmentOff),
        None => Ok(CarrierChoice {
            carrier_code: preferred()?,
            service_code: Some(settings.default_service.clone()),
            note: Some(format!(
                "no carrier/service requested: default carrier {} {} assigned",
                settings.preferred.label(),
                settings.default_service
            )),
        }),
        Some((CarrierFamily::Usps, _)) if !settings.usps_supported => Ok(CarrierChoice {
            carrier_code: preferred()?,
            service_code: Some(settings.default_service.clone()),
            note: Some(format!(
                "USPS requested but not supported: substituted by {} {}",
                settings.preferred.label(),
                settings.default_service
            )),
        }),
        Some((family, method)) => {
            let carrier = reference
                .carrier_for(family)
                .ok_or(HoldReason::CarrierNotConnected { carrier: family })?;
            let service_code = method
                .map(str::to_ascii_lowercase)
                .filter(|wanted| carrier.services.iter().any(|s| &s.code == wanted));
            // A method ShipStation does not know for the carrier goes without a service rather
            // than held: the carrier is right, and the service is chosen in ShipStation.
            let note = match (method, &service_code) {
                (Some(method), None) => Some(format!(
                    "service {method} requested is not one of {}'s services in ShipStation: the order goes without a service, to be chosen there",
                    carrier.name
                )),
                _ => None,
            };
            Ok(CarrierChoice {
                carrier_code: carrier.code.clone(),
                service_code,
                note,
            })
        }
    }
}
