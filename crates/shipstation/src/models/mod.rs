//! The API's resources as Rust types: one file per resource, plus [`ids`] and [`pacific_time`].
//! Unknown JSON fields are ignored and `null` is read as "absent" wherever the API is loose.

pub mod carrier;
pub mod fulfillment;
pub mod ids;
pub mod order;
pub mod pacific_time;
pub mod page;
pub mod shipment;
pub mod store;
pub mod warehouse;

/// Reads `null` as the type's default: the API writes `null` for empty lists, false flags and
/// blank names as often as it omits them.
pub(crate) fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Default + serde::Deserialize<'de>,
{
    use serde::Deserialize;
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}
