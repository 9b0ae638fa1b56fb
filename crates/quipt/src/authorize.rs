//! The three-step OAuth 1.0a authorization flow against Quipt's app host (`shared/api/quipt.md`,
//! "Authorization"): [`Authorization::initiate`] gets a request token, the user's browser opens
//! [`Authorization::authorize_url`] and approves, Quipt redirects to the loopback callback
//! (`callback.rs`) or shows a verifier for `oob`, and [`Authorization::exchange`] trades the
//! request token and verifier for the [`AccessToken`] that [`crate::Client`] signs with.

use std::time::SystemTime;

use url::Url;

use crate::client::{self, check_base_url};
use crate::credentials::{AccessToken, ConsumerCredentials, RequestToken};
use crate::error::{Error, OAuthStep};
use crate::parse;
use crate::paths;
use crate::signing::{Nonce, authorization_header, percent_encode};

/// The authorization flow against Quipt's app host (`QUIPT_APP_URL`).
#[derive(Debug, Clone)]
pub struct Authorization {
    app_url: String,
    consumer: ConsumerCredentials,
}

impl Authorization {
    /// The flow for the connector's `consumer` credentials against `app_url` (host, no path). The
    /// address is checked (https unless loopback) before the first step sends anything.
    pub fn new(app_url: impl Into<String>, consumer: ConsumerCredentials) -> Self {
        let app_url = app_url.into().trim_end_matches('/').to_string();
        Self { app_url, consumer }
    }

    fn url(&self, path: &str) -> Result<Url, Error> {
        check_base_url(&self.app_url)?;
        let url = format!("{}{path}", self.app_url);
        check_base_url(&url)
    }

    /// Step 1, `POST /oauth/initiate`: a request token for `callback` (a URL, or `oob` to have
    /// Quipt show the verifier to the user).
    ///
    /// # Errors
    /// `InvalidUrl` for an unusable app address; `Unauthorized` for wrong consumer credentials;
    /// `ClockSkew` when this computer's clock is off; `OAuth` when the answer lacks the token.
    pub async fn initiate(&self, callback: &str) -> Result<RequestToken, Error> {
        let url = self.url(paths::OAUTH_INITIATE)?;
        let header = authorization_header(
            "POST",
            &url,
            &self.consumer,
            None,
            &[("oauth_callback", callback)],
            &Nonce::fresh(SystemTime::now()),
        );
        let pairs = client::post_oauth(url, header, OAuthStep::Initiate).await?;
        parse::request_token_from(&pairs)
    }

    /// Step 2: the page the user opens to log in as the API user and approve the connector.
    pub fn authorize_url(&self, request: &RequestToken) -> String {
        format!(
            "{}{}?oauth_token={}",
            self.app_url,
            paths::OAUTH_AUTHORIZE_PAGE,
            percent_encode(&request.token)
        )
    }

    /// Step 3, `POST /oauth/token`: trades the approved request token and its verifier for the
    /// access token.
    ///
    /// # Errors
    /// `Unauthorized` when the token was not approved or the verifier is wrong.
    pub async fn exchange(
        &self,
        request: &RequestToken,
        verifier: &str,
    ) -> Result<AccessToken, Error> {
        let url = self.url(paths::OAUTH_TOKEN)?;
        let header = authorization_header(
            "POST",
            &url,
            &self.consumer,
            Some((&request.token, &request.secret)),
            &[("oauth_verifier", verifier)],
            &Nonce::fresh(SystemTime::now()),
        );
        let pairs = client::post_oauth(url, header, OAuthStep::Exchange).await?;
        parse::access_token_from(&pairs)
    }
}
