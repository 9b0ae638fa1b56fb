//! Saving the wizard's answers (Settings' Save) says how many held orders the next run sends
//! (issue 17): the orders held for a setting whose hold the new answers lift, counted by planning
//! them again with those answers; none when the answers change nothing the mapping decides with.
//! What no wizard step asks (the update notice) stays as written.

use connector::ReasonCode;
use connector::store::orders::OrderFilter;
use connector::wizard;

use crate::support::World;

#[tokio::test]
async fn saving_a_changed_store_says_how_many_held_orders_the_next_run_sends() {
    let mut world = World::new(30).await;
    world.settings.stores.channel_store_ids.remove("Shopify");
    let target = world.target();
    wizard::finish(&target, &world.settings)
        .await
        .expect("the first save");
    world.sync().await;
    assert!(
        held_for(&world, ReasonCode::NoStoreForChannel) > 0,
        "Shopify's orders are held without a store"
    );

    let mut schedule_only = world.settings.clone();
    schedule_only.schedule.interval_minutes = 30;
    assert_eq!(
        wizard::finish(&target, &schedule_only)
            .await
            .expect("saved")
            .released,
        Some(0),
        "the schedule changes nothing the mapping decides with"
    );

    let saved = choose_shopifys_store(&mut world, &target).await;
    let run = world.sync().await;
    assert!(run.created > 0, "the new store takes Shopify's orders");
    assert_eq!(
        saved.released,
        Some(run.created),
        "Settings said how many held orders the next run sends"
    );
    assert_eq!(
        held_for(&world, ReasonCode::NoStoreForChannel),
        0,
        "the next run planned every released order again"
    );
}

#[tokio::test]
async fn saving_the_stores_counts_only_the_orders_it_releases_not_those_held_for_a_warehouse() {
    let mut world = World::new(60).await;
    world.settings.stores.channel_store_ids.remove("Shopify");
    world.settings.warehouses.codes = vec!["98765".into()];
    let target = world.target();
    wizard::finish(&target, &world.settings)
        .await
        .expect("the first save");
    world.sync().await;
    let unsynced = held_for(&world, ReasonCode::WarehouseNotSynced);
    let without_a_store = held_for(&world, ReasonCode::NoStoreForChannel);
    assert!(
        unsynced > 0 && without_a_store > 0,
        "orders are held for two settings: {unsynced} for warehouse 98766 not synced, \
         {without_a_store} for Shopify without a store"
    );

    let saved = choose_shopifys_store(&mut world, &target).await;
    let released = saved.released.expect("the held orders are counted");
    assert!(
        released > 0 && released <= without_a_store,
        "the Stores step releases Shopify's orders only ({released} of {without_a_store}), \
         not the {unsynced} held for warehouse 98766"
    );
    let run = world.sync().await;
    assert_eq!(
        run.created, released,
        "the next run sends exactly the orders Settings said it would"
    );
    assert_eq!(
        held_for(&world, ReasonCode::WarehouseNotSynced),
        unsynced,
        "the orders of the unsynced warehouse stay held"
    );
}

/// Settings' Stores step saved with Shopify's store chosen again.
async fn choose_shopifys_store(world: &mut World, target: &wizard::Target) -> wizard::Saved {
    world
        .settings
        .stores
        .channel_store_ids
        .insert("Shopify".into(), 10003);
    wizard::finish(target, &world.settings)
        .await
        .expect("saved")
}

/// How many orders the history shows held for `reason`.
fn held_for(world: &World, reason: ReasonCode) -> u64 {
    world
        .connector()
        .orders(&OrderFilter {
            attention: true,
            ..Default::default()
        })
        .expect("the history reads")
        .into_iter()
        .filter(|o| o.reason_code == Some(reason))
        .count() as u64
}

#[tokio::test]
async fn the_update_settings_written_by_hand_survive_a_save_from_settings() {
    let world = World::new(1).await;
    let target = world.target();
    // The UI's answers hold no `updates` (no wizard step asks): they carry the default.
    let answers = connector::Settings {
        updates: Default::default(),
        ..world.settings.clone()
    };
    wizard::finish(&target, &answers)
        .await
        .expect("the first save");
    let file = world.paths().config_file;
    let edited = std::fs::read_to_string(&file).expect("saved") + "\n[updates]\ncheck = false\n";
    std::fs::write(&file, edited).expect("edited by hand");
    wizard::finish(&target, &answers)
        .await
        .expect("saved again");
    assert!(
        !connector::updates::settings(&file).check,
        "the operator's `updates.check = false` stays after Settings saved a step"
    );
}
