//! Quipt's authorization from the app (SPEC §1 step 1), both ways: the loopback callback (the
//! default) and, for a browser that cannot reach the app, the out-of-band flow with the verifier
//! pasted. The sandbox's authorization page is approved as the demo API user over HTTP, as the
//! browser would.

use end_to_end::{Accounts, App, Scene, approve_as_api_user, keyring_entries};

fn stored_token() -> Option<String> {
    keyring_entries()
        .into_iter()
        .find(|(name, _)| *name == "QUIPT_ACCESS_TOKEN")
        .and_then(|(_, value)| value)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_app_authorizes_quipt_in_the_browser_flow() {
    let scene = Scene::new(0).await;
    let app = App::launch_with(scene, Accounts::Keyring).await;
    app.click("#start").await;
    app.find("#step-body[data-step=quipt_api_user]").await;

    app.click("#quipt-authorize").await;
    let url = app
        .text_until("#authorize-url", "Quipt's authorization page", |t| {
            t.contains("oauth_token=")
        })
        .await;
    let shown = approve_as_api_user(&app.sandbox.quipt_url(), &url).await;
    assert_eq!(
        shown, None,
        "with the loopback callback Quipt shows no verifier"
    );
    app.text_until("#authorize-status", "the authorization", |t| {
        t.starts_with("Authorized")
    })
    .await;
    let loopback_token = stored_token().expect("the access token lands in the keyring");
    app.screenshot("authorized-loopback").await;

    app.click("#oob summary").await;
    app.click("#quipt-authorize-oob").await;
    let url = app
        .text_until("#authorize-url", "Quipt's authorization page", |t| {
            t.contains("oauth_token=")
        })
        .await;
    let verifier = approve_as_api_user(&app.sandbox.quipt_url(), &url)
        .await
        .expect("for the out-of-band flow Quipt shows the verifier");
    app.fill("#quipt-verifier", &verifier).await;
    app.click("#use-verifier").await;
    app.text_until("#authorize-status", "the authorization", |t| {
        t.starts_with("Authorized")
    })
    .await;
    let oob_token = stored_token().expect("the access token lands in the keyring");
    assert_ne!(
        oob_token, loopback_token,
        "the pasted verifier was exchanged for a token of its own"
    );
    app.screenshot("authorized-with-verifier").await;

    app.click("#next").await;
    app.find("#step-body[data-step=shipstation_keys]").await;
    app.close().await;
}
