//! The three-step OAuth 1.0a flow and signature checking.

use quipt::oauth::{Authorization, LoopbackCallback, RequestToken};
use quipt::{AccessToken, ConsumerCredentials, Error};
use sandbox::demo_data;

use crate::support::*;

async fn control_approve(url: &str, request_token: &str) -> String {
    let answer: serde_json::Value = reqwest::Client::new()
        .post(format!("{url}/__control/oauth/approve"))
        .json(&serde_json::json!({"oauth_token": request_token}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    answer["verifier"]
        .as_str()
        .expect("the control endpoint answers a verifier")
        .to_string()
}

#[tokio::test]
async fn a_token_approved_through_the_control_endpoint_signs_api_calls() {
    let sb = sandbox(3).await;
    let auth = Authorization::new(sb.quipt_url(), consumer());
    let request = auth
        .initiate("oob")
        .await
        .expect("initiate gives a request token");
    let verifier = control_approve(&sb.quipt_url(), &request.token).await;
    let access = auth
        .exchange(&request, &verifier)
        .await
        .expect("the exchange gives a token");
    assert_ne!(
        access.token,
        demo_data::QUIPT_ACCESS_TOKEN,
        "a new token is issued"
    );
    let client = client_with(&sb, consumer(), access);
    let warehouses = client
        .warehouses()
        .list()
        .await
        .expect("the new token signs calls");
    assert_eq!(warehouses.len(), 3, "the signed call reads the warehouses");
}

#[tokio::test]
async fn the_browser_flow_logs_in_and_redirects_to_the_loopback_callback() {
    let sb = sandbox(1).await;
    let auth = Authorization::new(sb.quipt_url(), consumer());
    let callback = LoopbackCallback::bind().await.expect("the callback binds");
    let request = auth
        .initiate(&callback.url())
        .await
        .expect("initiate accepts a callback URL");
    let waiting = tokio::spawn(callback.expect(&request).wait());

    // The browser opens the fragment URL; the app page forwards the fragment to the login form.
    let url = auth.authorize_url(&request);
    assert!(
        url.starts_with(&format!(
            "{}/#/oauth/authorizing?oauth_token=",
            sb.quipt_url()
        )),
        "the authorization page is the app's fragment route: {url}"
    );
    let browser = reqwest::Client::new();
    let app_page = browser
        .get(&url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        app_page.contains("/oauth/authorize?"),
        "the app page forwards to the login form"
    );
    let form = browser
        .get(format!(
            "{}/oauth/authorize?oauth_token={}",
            sb.quipt_url(),
            request.token
        ))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        form.contains(&request.token),
        "the login form carries the request token"
    );

    // Logging in as the API user redirects (303) to the callback, which the browser follows.
    let done = browser
        .post(format!("{}/oauth/authorize", sb.quipt_url()))
        .form(&[
            ("oauth_token", request.token.as_str()),
            ("email", demo_data::QUIPT_API_USER_EMAIL),
            ("password", demo_data::QUIPT_API_USER_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        done.status(),
        200,
        "the redirect lands on the loopback callback"
    );
    assert!(
        done.text().await.unwrap().contains("close this window"),
        "the user is told they can close the window"
    );
    let (token, verifier) = waiting
        .await
        .unwrap()
        .expect("the callback got the verifier");
    assert_eq!(
        token, request.token,
        "the callback carries the request token"
    );

    let access = auth
        .exchange(&request, &verifier)
        .await
        .expect("the exchange succeeds");
    let client = client_with(&sb, consumer(), access);
    let page = client
        .orders()
        .list(&Default::default(), 10, 1)
        .await
        .expect("signed call works");
    assert_eq!(page.total, 1, "the new token reads the orders");
}

#[tokio::test]
async fn plain_http_to_an_oauth_host_other_than_this_computer_is_refused_before_anything_is_sent() {
    let sb = sandbox(0).await;
    // 0.0.0.0 is not a loopback address, yet a connection to it reaches this computer (Linux,
    // macOS): a request that left for it would reach the simulator, which counts every request.
    let port = sb.quipt_url().rsplit(':').next().unwrap().to_string();
    let not_loopback = format!("http://0.0.0.0:{port}");
    let probe = reqwest::Client::new()
        .post(format!("{not_loopback}/oauth/initiate"))
        .send()
        .await;
    let sent_before = sb.quipt.stats().total;
    assert!(
        probe.is_ok() && sent_before == 1,
        "a request to {not_loopback} reaches the simulator, so the check below can fail: {probe:?}"
    );
    let request = RequestToken {
        token: "request-token".into(),
        secret: "request-secret".into(),
    };
    for app_url in [not_loopback.as_str(), "http://app.quipt.example.com"] {
        let auth = Authorization::new(app_url, consumer());
        let initiated = auth.initiate("oob").await.map(|_| ());
        // The answer to this step carries the access token's secret.
        let exchanged = auth.exchange(&request, "verifier").await.map(|_| ());
        for (step, result) in [("initiate", initiated), ("exchange", exchanged)] {
            match result {
                Err(e @ Error::InvalidUrl { .. }) => assert!(
                    e.to_string().contains("https is required"),
                    "{app_url} {step}: the refusal says https is required: {e}"
                ),
                other => panic!("{app_url} {step}: refused for its address, not tried: {other:?}"),
            }
        }
    }
    assert_eq!(
        sb.quipt.stats().total,
        sent_before,
        "no OAuth request left for the plain-http address"
    );
}

#[tokio::test]
async fn a_wrong_password_does_not_approve_the_request_token() {
    let sb = sandbox(0).await;
    let auth = Authorization::new(sb.quipt_url(), consumer());
    let request = auth.initiate("oob").await.unwrap();
    let answer = reqwest::Client::new()
        .post(format!("{}/oauth/authorize", sb.quipt_url()))
        .form(&[
            ("oauth_token", request.token.as_str()),
            ("email", demo_data::QUIPT_API_USER_EMAIL),
            ("password", "wrong"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 401, "the login is refused");
    let exchanged = auth.exchange(&request, "guess").await;
    assert!(
        matches!(exchanged, Err(Error::Unauthorized { .. })),
        "an unapproved request token cannot be exchanged: {exchanged:?}"
    );
}

#[tokio::test]
async fn the_oob_page_shows_the_verifier_to_paste() {
    let sb = sandbox(0).await;
    let auth = Authorization::new(sb.quipt_url(), consumer());
    let request = auth.initiate("oob").await.unwrap();
    let page = reqwest::Client::new()
        .post(format!("{}/oauth/authorize", sb.quipt_url()))
        .form(&[
            ("oauth_token", request.token.as_str()),
            ("email", demo_data::QUIPT_API_USER_EMAIL),
            ("password", demo_data::QUIPT_API_USER_PASSWORD),
        ])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let verifier = page
        .split("<code id=\"verifier\">")
        .nth(1)
        .and_then(|rest| rest.split("</code>").next())
        .expect("the page shows the verifier");
    auth.exchange(&request, verifier)
        .await
        .expect("the pasted verifier is accepted");
}

#[tokio::test]
async fn a_wrong_consumer_secret_is_unauthorized() {
    let sb = sandbox(0).await;
    let wrong = ConsumerCredentials {
        key: demo_data::QUIPT_CONSUMER_KEY.into(),
        secret: "nope".into(),
    };
    let result = client_with(&sb, wrong.clone(), demo_token())
        .warehouses()
        .list()
        .await;
    assert!(
        matches!(result, Err(Error::Unauthorized { .. })),
        "a signature with the wrong consumer secret is refused: {result:?}"
    );
    let initiated = Authorization::new(sb.quipt_url(), wrong)
        .initiate("oob")
        .await;
    assert!(
        matches!(initiated, Err(Error::Unauthorized { .. })),
        "initiate is signed too: {initiated:?}"
    );
}

#[tokio::test]
async fn an_unknown_or_revoked_token_is_unauthorized_and_not_retried() {
    let sb = sandbox(0).await;
    let unknown = AccessToken {
        token: "who".into(),
        secret: "knows".into(),
    };
    let client = client_with(&sb, consumer(), unknown);
    let result = client.warehouses().list().await;
    let Err(error) = result else {
        panic!("an unknown token must be refused")
    };
    assert_eq!(error.status(), Some(401), "the refusal is a 401");
    assert!(
        !error.is_retryable(),
        "a refused token needs the user, not a retry"
    );
    assert_eq!(client.metrics().requests, 1, "a 401 is never retried");

    let demo = crate::support::client(&sb);
    demo.partners()
        .list()
        .await
        .expect("the demo token works before it is revoked");
    sb.quipt.revoke_access_token(demo_data::QUIPT_ACCESS_TOKEN);
    let revoked = demo.partners().list().await;
    assert!(
        matches!(revoked, Err(Error::Unauthorized { .. })),
        "a revoked token is refused"
    );
}
