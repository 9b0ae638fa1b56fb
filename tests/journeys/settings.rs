//! Settings step by step (SPEC §4): after a restart, a step is checked with the stored
//! credentials and saved on its own, no key typed again.

use end_to_end::{Accounts, App, Scene, forget_keyring, keyring_entries};

#[tokio::test(flavor = "multi_thread")]
async fn settings_change_without_retyping_keys() {
    let scene = Scene::new(10).await;
    scene.seed_real_setup().await;
    let keyring = keyring_entries();
    // The app starts afresh on the saved setup, as after a restart: no key in any field.
    let app = App::launch_with(scene, Accounts::Nothing).await;
    app.click("#tab-settings").await;

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
    forget_keyring();
}
