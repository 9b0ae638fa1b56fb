//! The setup wizard's engine side, for the time before a settings file exists: each step's live
//! check on a *draft* of the settings, the accounts the dropdowns offer, Quipt's OAuth start and
//! finish, and saving the answers. The desktop shell calls these one line per command; the rules
//! themselves live in [`crate::checks`], so the wizard, Settings and `quipt-shipstation check` agree.
//!
//! Secrets go straight to the keyring ([`crate::credentials`]); a draft never holds one.

use serde::Serialize;

use crate::checks::{self, CheckResult, WarehouseMatch};
use crate::credentials::{self, CredentialName, Credentials, Secret};
use crate::error::{Error, Result};
use crate::outcome::Trigger;
use crate::reference::Reference;
use crate::settings::{
    CancelSettings, CarrierFamily, CarrierSettings, HistorySettings, OrderSettings, Paths,
    QuiptSettings, ScheduleSettings, Settings, ShipStationSettings, StoreSettings,
    WarehouseSettings,
};
use crate::summary::RunSummary;
use crate::sync::RunOptions;
use crate::{Connector, Endpoints};

/// The answers a new user starts from: the guide's recommendations (single store, default carrier
/// assignment on, USPS supported, soft cancel, pending orders not pushed).
pub fn draft() -> Settings {
    Settings {
        quipt: QuiptSettings::default(),
        shipstation: ShipStationSettings::default(),
        stores: StoreSettings {
            single_store: true,
            ..Default::default()
        },
        orders: OrderSettings::default(),
        carrier: CarrierSettings {
            preferred: CarrierFamily::Ups,
            default_service: String::new(),
            assign_default: true,
            usps_supported: true,
        },
        cancel: CancelSettings::default(),
        warehouses: WarehouseSettings::default(),
        schedule: ScheduleSettings::default(),
        history: HistorySettings::default(),
    }
}

/// Where the wizard stands when the app opens.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Setup {
    /// The saved settings, or `None` before the wizard was finished once.
    pub settings: Option<Settings>,
    /// Why the saved settings could not be read, when a file exists but is broken.
    pub problem: Option<String>,
    /// The answers to start the wizard from: the saved settings or [`draft`].
    pub draft: Settings,
}

/// Reads the settings file of `paths`, if any.
pub fn setup(paths: &Paths) -> Setup {
    if !paths.config_file.exists() {
        return Setup {
            settings: None,
            problem: None,
            draft: draft(),
        };
    }
    match Settings::load(&paths.config_file) {
        Ok(settings) => Setup {
            draft: settings.clone(),
            settings: Some(settings),
            problem: None,
        },
        Err(e) => Setup {
            settings: None,
            problem: Some(e.to_string()),
            draft: draft(),
        },
    }
}

/// Step 2: checks the key and secret with `GET /stores` and, when ShipStation accepts them, keeps
/// them in the keyring ("Change Credentials" is this same call). A refused pair is never stored.
///
/// # Errors
/// When the keyring cannot store an accepted pair.
pub async fn shipstation_keys(
    draft: &Settings,
    api_key: &str,
    api_secret: &str,
) -> Result<CheckResult> {
    let endpoints = Endpoints::resolve(Some(draft));
    let result =
        checks::shipstation_keys(&endpoints.shipstation, api_key.trim(), api_secret.trim()).await;
    if result.ok {
        credentials::store(
            CredentialName::ShipStationApiKey,
            &Secret::new(api_key.trim()),
        )?;
        credentials::store(
            CredentialName::ShipStationApiSecret,
            &Secret::new(api_secret.trim()),
        )?;
    }
    Ok(result)
}

/// Step 1: the signed call of [`checks::quipt_api_user`] with the token in the keyring (or the
/// environment).
///
/// # Errors
/// When no token is stored yet or the keyring is unavailable.
pub async fn quipt_api_user(draft: &Settings) -> Result<CheckResult> {
    let endpoints = Endpoints::resolve(Some(draft));
    let quipt = crate::quipt_client(&endpoints, &quipt_only_credentials()?)?;
    Ok(checks::quipt_api_user(&quipt).await)
}

/// A Quipt channel, as the store step lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Channel {
    /// Its short code.
    pub code: String,
    /// Its name, the key of the store settings.
    pub name: String,
}

/// What the dropdowns of steps 3, 5 and 7 offer, read live from both accounts.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Accounts {
    /// ShipStation's stores, warehouses, carriers and services (inactive stores included, marked).
    pub reference: Reference,
    /// Quipt's channels (partners).
    pub channels: Vec<Channel>,
    /// Quipt's warehouses beside ShipStation's, matched by code = warehouse ID.
    pub warehouses: Vec<WarehouseMatch>,
}

/// Reads both accounts for the dropdowns ("refresh store list" calls it again).
///
/// # Errors
/// When credentials are missing or either API refuses after retries.
pub async fn accounts(draft: &Settings) -> Result<Accounts> {
    let endpoints = Endpoints::resolve(Some(draft));
    let credentials = Credentials::load()?;
    let shipstation = crate::shipstation_client(&endpoints, &credentials)?;
    let quipt = crate::quipt_client(&endpoints, &credentials)?;
    let reference = crate::sync::reference::fetch(&shipstation).await?;
    let channels = quipt
        .partners()
        .list()
        .await?
        .into_iter()
        .map(|p| Channel {
            code: p.code,
            name: p.name,
        })
        .collect();
    let quipt_warehouses = quipt.warehouses().list().await?;
    let (_, warehouses) = checks::warehouses(draft, &reference, &quipt_warehouses);
    Ok(Accounts {
        reference,
        channels,
        warehouses,
    })
}

/// Steps 3, 5 and 7 checked on the draft (the same checks as `quipt-shipstation check`), plus the
/// settings' own cross-field rules as a `settings` result.
///
/// # Errors
/// When credentials are missing or the history cannot be opened.
pub async fn check(paths: &Paths, draft: &Settings) -> Result<Vec<CheckResult>> {
    let connector = Connector::open(paths.clone(), draft.clone(), &Credentials::load()?)?;
    let mut results = connector.check().await;
    let problems = crate::settings::validate::problems(draft);
    results.push(CheckResult {
        step: "settings",
        ok: problems.is_empty(),
        message: if problems.is_empty() {
            "the answers are consistent".into()
        } else {
            problems.join("; ")
        },
        details: problems,
    });
    Ok(results)
}

/// Step 8: the first sync computed on the draft and written nowhere (what would be created,
/// updated, held and why).
///
/// # Errors
/// When credentials are missing or the history cannot be opened.
pub async fn dry_run(paths: &Paths, draft: &Settings) -> Result<RunSummary> {
    let connector = Connector::open(paths.clone(), draft.clone(), &Credentials::load()?)?;
    connector
        .sync(RunOptions {
            dry_run: true,
            trigger: Trigger::SyncNow,
            refresh_reference: true,
        })
        .await
}

/// Finish: validates and saves the answers (atomically); the caller then starts the schedule.
///
/// # Errors
/// [`Error::Settings`] listing what to fix; nothing is written then.
pub fn finish(paths: &Paths, settings: &Settings) -> Result<()> {
    settings.save(&paths.config_file)
}

/// An OAuth authorization in progress (step 1): the request token and the page to open.
#[derive(Debug)]
pub struct QuiptAuthorization {
    authorization: quipt::oauth::Authorization,
    request: quipt::oauth::RequestToken,
    /// The page where the API user logs in and approves the connector.
    pub url: String,
}

/// Starts Quipt's OAuth 1.0a flow with the connector's consumer key; returns the authorization and,
/// unless `manual`, the loopback callback that waits for this request token's verifier.
///
/// # Errors
/// When Quipt refuses the consumer key or cannot be reached.
pub async fn begin_quipt_authorization(
    draft: &Settings,
    manual: bool,
) -> Result<(QuiptAuthorization, Option<quipt::oauth::PendingCallback>)> {
    let endpoints = Endpoints::resolve(Some(draft));
    let consumer = quipt::ConsumerCredentials {
        key: required(CredentialName::QuiptConsumerKey)?
            .expose_secret()
            .to_string(),
        secret: required(CredentialName::QuiptConsumerSecret)?
            .expose_secret()
            .to_string(),
    };
    let authorization = quipt::oauth::Authorization::new(endpoints.quipt_app, consumer);
    let callback = if manual {
        None
    } else {
        Some(quipt::oauth::LoopbackCallback::bind().await?)
    };
    let callback_url = callback
        .as_ref()
        .map_or_else(|| "oob".to_string(), |c| c.url());
    let request = authorization.initiate(&callback_url).await?;
    let url = authorization.authorize_url(&request);
    let callback = callback.map(|c| c.expect(&request));
    Ok((
        QuiptAuthorization {
            authorization,
            request,
            url,
        },
        callback,
    ))
}

impl QuiptAuthorization {
    /// Exchanges the verifier (from the callback or pasted) for the access token and keeps it in
    /// the keyring.
    ///
    /// # Errors
    /// When Quipt refuses the verifier or the keyring cannot store the token.
    pub async fn complete(&self, verifier: &str) -> Result<()> {
        let token = self
            .authorization
            .exchange(&self.request, verifier.trim())
            .await?;
        credentials::store(
            CredentialName::QuiptAccessToken,
            &Secret::new(token.token.as_str()),
        )?;
        credentials::store(
            CredentialName::QuiptAccessTokenSecret,
            &Secret::new(token.secret.as_str()),
        )?;
        Ok(())
    }
}

/// Keeps the given credentials in the keyring (demo mode fills the wizard this way).
///
/// # Errors
/// When the keyring is unavailable.
pub fn store_credentials(values: &[(CredentialName, &str)]) -> Result<()> {
    for (name, value) in values {
        credentials::store(*name, &Secret::new(*value))?;
    }
    Ok(())
}

fn required(name: CredentialName) -> Result<Secret> {
    credentials::lookup(name)?.ok_or_else(|| Error::MissingCredential {
        name: name.env_var(),
        hint: "complete the wizard step that provides it (or set the environment variable)",
    })
}

/// The Quipt half of the credentials; the ShipStation half may not be entered yet.
fn quipt_only_credentials() -> Result<Credentials> {
    Ok(Credentials {
        quipt_consumer_key: required(CredentialName::QuiptConsumerKey)?,
        quipt_consumer_secret: required(CredentialName::QuiptConsumerSecret)?,
        quipt_access_token: required(CredentialName::QuiptAccessToken)?,
        quipt_access_token_secret: required(CredentialName::QuiptAccessTokenSecret)?,
        shipstation_api_key: Secret::new(""),
        shipstation_api_secret: Secret::new(""),
    })
}
