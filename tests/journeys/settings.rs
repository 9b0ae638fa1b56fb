//! Settings step by step (SPEC §4): after a restart, a step is checked with the stored
//! credentials and saved on its own, no key typed again; a held order's fix link on the dashboard
//! opens the step that fixes it, and saving it says how many held orders go on the next run.

use end_to_end::{Accounts, App, Scene, keyring_entries};

#[tokio::test(flavor = "multi_thread")]
async fn settings_change_without_retyping_keys() {
    let scene = Scene::new(10).await;
    scene.seed_real_accounts();
    // Warehouse 98766 left out of the sync: its orders are held for a setting.
    let file = scene.settings_file();
    let mut settings = connector::Settings::load(&file).expect("the seeded settings");
    settings.warehouses.codes = vec!["98765".into()];
    settings.save(&file).expect("saved");
    let summary = scene.sync_as_of(None).await;
    assert!(summary.held > 0, "orders of warehouse 98766 are held");
    let keyring = keyring_entries();
    // The app starts afresh on the saved setup, as after a restart: no key in any field.
    let app = App::launch_with(scene, Accounts::Nothing).await;

    // The dashboard's fix link of a held order opens Settings at the step that fixes it.
    app.text_until(".fix-link[data-step=warehouses]", "the fix link", |t| {
        t == "Sync warehouse 98766"
    })
    .await;
    let held = app
        .client
        .find_all(fantoccini::Locator::Css(".fix-link[data-step=warehouses]"))
        .await
        .expect("the attention list reads")
        .len();
    app.click(".fix-link[data-step=warehouses]").await;
    app.find("#settings-step #step-body[data-step=warehouses]")
        .await;
    app.click("#wh-98766").await;
    app.click("#save-step").await;
    let saved = app
        .text_until("#save-status", "the warehouses saved", |t| {
            t.starts_with("Saved")
        })
        .await;
    let released: usize = saved
        .split(" — ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("Save says how many held orders go: {saved}"));
    assert!(
        (1..=held).contains(&released) && saved.contains("to ShipStation on the next run"),
        "saving the warehouse releases its held orders ({held} shown held for it): {saved}"
    );

    app.click("#settings-step-shipstation_keys").await;
    let masked = app
        .text_until("#ss-stored-key", "the stored key, masked", |t| {
            t.starts_with("••••")
        })
        .await;
    assert_eq!(
        masked, "••••-key",
        "only the key's last four characters show"
    );
    app.click("#save-step").await;
    app.text_until("#save-status", "step 2 saved", |t| t.starts_with("Saved"))
        .await;

    app.click("#settings-step-cancel_mode").await;
    app.click("#cancel-hard").await;
    app.click("#save-step").await;
    let refused = app
        .text_until("#step-error", "the hard-cancel confirmation", |t| {
            t.contains("confirmation")
        })
        .await;
    assert!(
        refused.contains("refunds the buyer"),
        "hard cancel is not saved unconfirmed: {refused}"
    );
    app.click("#hard-confirm").await;
    app.click("#save-step").await;
    app.text_until("#save-status", "step 6 saved", |t| t.starts_with("Saved"))
        .await;
    app.screenshot("settings-cancel-mode-saved").await;

    let settings =
        std::fs::read_to_string(app.dir.path().join("settings.toml")).expect("the settings file");
    assert!(
        settings.contains("mode = \"hard\""),
        "the cancel mode is saved on its own: {settings}"
    );
    assert!(
        settings.contains("default_store_id = 10000") && settings.contains("\"98766\""),
        "the other steps' answers stay as they were: {settings}"
    );
    assert_eq!(
        keyring_entries(),
        keyring,
        "no key was typed, so the keyring is as it was"
    );
    app.close().await;
}
