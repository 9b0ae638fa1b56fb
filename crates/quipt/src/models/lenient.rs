//! Deserialization helpers that keep malformed orders readable: the engine holds a malformed order
//! with a reason, which it can only do if the order parsed in the first place.

use serde::{Deserialize, Deserializer};

/// `null` (or a missing field, with `#[serde(default)]`) becomes the type's default.
pub(crate) fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}
