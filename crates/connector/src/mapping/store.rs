//! Step 3 of the guide: which ShipStation store an order goes to, and the `source` that keeps
//! channels apart inside a single store.

use crate::reference::Reference;
use crate::settings::StoreSettings;

use super::hold::HoldReason;

/// Where an order goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreChoice {
    /// `advancedOptions.storeId`.
    pub store_id: i64,
    /// `advancedOptions.source`: the channel's store name in single-store mode.
    pub source: Option<String>,
}

/// Chooses the store for an order of `channel` (name and code; settings may use either).
///
/// # Errors
/// [`HoldReason::NoStoreForChannel`] in per-channel mode when the channel has no store (never
/// guessed), [`HoldReason::StoreInactive`] when the store is inactive or gone.
pub fn choose(
    channel_name: &str,
    channel_code: &str,
    settings: &StoreSettings,
    reference: &Reference,
) -> Result<StoreChoice, HoldReason> {
    let choice = if settings.single_store {
        let store_id = settings
            .default_store_id
            .ok_or(HoldReason::NoStoreForChannel {
                channel: channel_name.to_string(),
            })?;
        let source = settings
            .channel_names
            .get(channel_name)
            .or_else(|| settings.channel_names.get(channel_code))
            .cloned()
            .unwrap_or_else(|| channel_name.to_string());
        StoreChoice {
            store_id,
            source: Some(source),
        }
    } else {
        let store_id = settings
            .channel_store_ids
            .get(channel_name)
            .or_else(|| settings.channel_store_ids.get(channel_code))
            .copied()
            .ok_or(HoldReason::NoStoreForChannel {
                channel: channel_name.to_string(),
            })?;
        StoreChoice {
            store_id,
            source: None,
        }
    };
    if !reference.store_is_active(choice.store_id) {
        return Err(HoldReason::StoreInactive {
            store_id: choice.store_id,
        });
    }
    Ok(choice)
}
