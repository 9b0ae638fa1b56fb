//! The carrier and service an order asks for or a shipment used (`RequestedCarrierMethod`,
//! `CarrierMethod`): `{Code, Name, Carrier: {Code, Name}}`, carrier codes `UPS`, `FEDEX`, `USPS`,
//! `DHL` (a **(choice)** of the contract).

use serde::{Deserialize, Serialize};

use super::lenient::null_as_default;

/// A carrier method (service), e.g. `USPS_PRIORITY` of carrier `USPS`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct CarrierMethod {
    /// Method code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The carrier.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub carrier: Option<Carrier>,
}

/// A carrier: `UPS`, `FEDEX`, `USPS` or `DHL`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Carrier {
    /// Carrier code.
    #[serde(default, deserialize_with = "null_as_default")]
    pub code: String,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}
