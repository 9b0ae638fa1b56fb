//! Quantities and money, both `{"Units": n, "Value": x}` (`shared/api/quipt.md`, "Conventions").

use serde::{Deserialize, Serialize};

/// A quantity; `units` 0 means Each.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Quantity {
    /// Unit code (0 = Each).
    pub units: i64,
    /// Amount.
    pub value: f64,
}

impl Quantity {
    /// `value` of Each, the only unit the connector sends.
    pub fn each(value: f64) -> Self {
        Self { units: 0, value }
    }
}

/// An amount of money; `units` 0 means USD.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Money {
    /// Currency code (0 = USD).
    pub units: i64,
    /// Amount.
    pub value: f64,
}
