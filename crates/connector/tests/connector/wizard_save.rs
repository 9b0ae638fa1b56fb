//! Saving the wizard's answers (Settings' Save) says how many held orders the next run releases
//! (issue 17): the orders held for a setting, when the answers change what the mapping decides
//! with; none when they do not.

use connector::store::orders::OrderFilter;
use connector::wizard::{self, Target};

use crate::support::World;

#[tokio::test]
async fn saving_a_changed_store_says_how_many_held_orders_the_next_run_releases() {
    let mut world = World::new(30).await;
    world.settings.stores.channel_store_ids.remove("Shopify");
    let target = Target::real(world.paths());
    wizard::finish(&target, &world.settings).expect("the first save");
    world.sync().await;
    let held = held_without_a_store(&world);
    assert!(held > 0, "Shopify's orders are held without a store");

    let mut schedule_only = world.settings.clone();
    schedule_only.schedule.interval_minutes = 30;
    assert_eq!(
        wizard::finish(&target, &schedule_only)
            .expect("saved")
            .released,
        0,
        "the schedule changes nothing the mapping decides with"
    );

    world
        .settings
        .stores
        .channel_store_ids
        .insert("Shopify".into(), 10003);
    let saved = wizard::finish(&target, &world.settings).expect("saved");
    assert_eq!(
        saved.released, held,
        "Settings says how many held orders the next run plans again"
    );
    let run = world.sync().await;
    let still = held_without_a_store(&world);
    assert_eq!(
        still, 0,
        "the next run planned every released order again ({} created)",
        run.created
    );
    assert!(run.created > 0, "and sent those the new store takes");
}

fn held_without_a_store(world: &World) -> u64 {
    world
        .connector()
        .orders(&OrderFilter {
            attention: true,
            ..Default::default()
        })
        .expect("the history reads")
        .into_iter()
        .filter(|o| o.reason_code == Some(connector::ReasonCode::NoStoreForChannel))
        .count() as u64
}
