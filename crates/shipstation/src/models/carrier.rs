//! `GET /carriers` and `GET /carriers/listservices` rows.

use serde::Deserialize;

use super::null_as_default;

/// A carrier connected to the account; `code` is the `carrierCode` orders must use.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Carrier {
    /// `name`, e.g. "UPS".
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
    /// `code`, e.g. `ups` or `ups_walleted` depending on how the account connected it.
    pub code: String,
    /// `accountNumber`.
    #[serde(default)]
    pub account_number: Option<String>,
    /// `primary`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub primary: bool,
}

/// A carrier's service; `code` is the `serviceCode`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Service {
    /// `carrierCode` of the carrier offering it.
    #[serde(default, deserialize_with = "null_as_default")]
    pub carrier_code: String,
    /// `code`, e.g. `ups_ground`.
    pub code: String,
    /// `name`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
    /// `domestic`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub domestic: bool,
    /// `international`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub international: bool,
}
