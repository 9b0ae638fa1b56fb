//! Typed ids. Quipt's ids are GUIDs sent as strings; each kind gets its own type so an order id can
//! never be passed where a line id is expected.

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.to_string())
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                Self(s)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

id!(
    /// Id of an order (`Order.Id`).
    OrderId
);
id!(
    /// Id of an order line (`Lines[].Id`).
    LineId
);
id!(
    /// Id of a warehouse (`Warehouse.Id`); filters `warehouseIds`.
    WarehouseId
);
id!(
    /// Id of a sales channel (`Partner.Id`).
    PartnerId
);
