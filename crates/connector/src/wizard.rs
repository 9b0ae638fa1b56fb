//! The setup wizard's engine side, for the time before a settings file exists: each step's live
//! check on a *draft* of the settings, the accounts the dropdowns offer, Quipt's OAuth start and
//! finish, and saving the answers. The desktop shell calls these one line per command; the rules
//! themselves live in [`crate::checks`], so the wizard, Settings and `quipt-shipstation check` agree.
//!
//! Every call names its [`Target`]: the operator's real accounts (settings file and data directory
//! of the platform, credentials in the OS keyring or the environment) or the app's demo (its own
//! directory, the sandbox's public credentials held in memory, the sandbox's addresses), so that a
//! demo can never write a real setup's settings, keyring entries or history. A draft never holds a
//! secret.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use futures::{StreamExt, TryStreamExt};
use serde::Serialize;

use crate::checks::{self, CheckResult, WarehouseMatch};
use crate::credentials::{self, CredentialName, Credentials, Secret};
use crate::error::{Error, Result};
use crate::outcome::Trigger;
use crate::reference::Reference;
use crate::reference_memo::{Account, ReferenceMemo};
use crate::settings::{
    CancelSettings, CarrierFamily, CarrierSettings, HistorySettings, OrderSettings, Paths,
    QuiptSettings, ScheduleSettings, Settings, ShipStationSettings, StoreSettings, UpdateSettings,
    WarehouseSettings,
};
use crate::store::{self, orders::OrderRow};
use crate::summary::RunSummary;
use crate::sync::RunOptions;
use crate::sync::orders_out::plan::{self, Known, mapping_fingerprint};
use crate::sync::orders_out::{eligible, eligible_orders};
use crate::{Connector, Endpoints};

/// Whose accounts the wizard sets up, and where their answers and credentials are kept.
#[derive(Debug)]
pub struct Target {
    /// The settings file and data directory of this setup.
    pub paths: Paths,
    keys: Keys,
    /// Fixed addresses (the demo's sandbox); `None` resolves them from the environment and draft.
    endpoints: Option<Endpoints>,
    /// The ShipStation account's stores, warehouses and carriers as the wizard last read them.
    reference: ReferenceMemo,
}

/// Where a target's credentials live.
#[derive(Debug)]
enum Keys {
    /// The OS keyring, with the environment's values first (SPEC §3).
    Keyring,
    /// In this process only: the demo's public sandbox credentials never reach the keyring.
    Memory(Mutex<Vec<(CredentialName, Secret)>>),
}

impl Target {
    /// The operator's real accounts: `paths`' settings file and history, the keyring.
    pub fn real(paths: Paths) -> Self {
        Self {
            paths,
            keys: Keys::Keyring,
            endpoints: None,
            reference: ReferenceMemo::default(),
        }
    }

    /// A demo: its own `paths`, the sandbox at `endpoints`, and `credentials` held in memory.
    pub fn demo(
        paths: Paths,
        endpoints: Endpoints,
        credentials: &[(CredentialName, &str)],
    ) -> Self {
        let held = credentials
            .iter()
            .map(|(name, value)| (*name, Secret::new(*value)))
            .collect();
        Self {
            paths,
            keys: Keys::Memory(Mutex::new(held)),
            endpoints: Some(endpoints),
            reference: ReferenceMemo::default(),
        }
    }

    /// Whether this is a demo (credentials in memory, fixed addresses).
    pub fn is_demo(&self) -> bool {
        matches!(self.keys, Keys::Memory(_))
    }

    /// Where the two services are for `draft`.
    pub fn endpoints(&self, draft: &Settings) -> Endpoints {
        self.endpoints
            .clone()
            .unwrap_or_else(|| Endpoints::resolve(Some(draft)))
    }

    /// One credential, or `None` when it was never given.
    ///
    /// # Errors
    /// When the keyring is needed and unavailable.
    pub fn lookup(&self, name: CredentialName) -> Result<Option<Secret>> {
        match &self.keys {
            Keys::Keyring => credentials::lookup(name),
            Keys::Memory(held) => Ok(lock(held)
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, value)| Secret::new(value.expose_secret()))),
        }
    }

    /// Keeps one credential, replacing any previous value.
    ///
    /// # Errors
    /// When the keyring is unavailable.
    pub fn keep(&self, name: CredentialName, value: &Secret) -> Result<()> {
        match &self.keys {
            Keys::Keyring => credentials::store(name, value),
            Keys::Memory(held) => {
                let mut held = lock(held);
                held.retain(|(n, _)| *n != name);
                held.push((name, Secret::new(value.expose_secret())));
                Ok(())
            }
        }
    }

    /// Every credential a run needs.
    ///
    /// # Errors
    /// [`Error::MissingCredential`] naming the first one missing; the keyring's errors.
    pub fn credentials(&self) -> Result<Credentials> {
        if let Keys::Keyring = self.keys {
            return Credentials::load();
        }
        Ok(Credentials {
            quipt_consumer_key: self.required(CredentialName::QuiptConsumerKey)?,
            quipt_consumer_secret: self.required(CredentialName::QuiptConsumerSecret)?,
            quipt_access_token: self.required(CredentialName::QuiptAccessToken)?,
            quipt_access_token_secret: self.required(CredentialName::QuiptAccessTokenSecret)?,
            shipstation_api_key: self.required(CredentialName::ShipStationApiKey)?,
            shipstation_api_secret: self.required(CredentialName::ShipStationApiSecret)?,
        })
    }

    /// Opens the engine on this target's saved settings.
    ///
    /// # Errors
    /// Bad settings, missing credentials, or an unusable history.
    pub fn connector(&self) -> Result<Connector> {
        let mut connector = self.connector_for(Settings::load(&self.paths.config_file)?)?;
        // Read again before each run, as the daemon's: an edit takes effect on the next one.
        connector.gate.settings_file = Some(self.paths.config_file.clone());
        Ok(connector)
    }

    /// The engine on `settings`, at this target's addresses: a demo's are its sandbox's, whatever
    /// the environment says (so the engine is built here, not by [`Connector::open`]).
    fn connector_for(&self, settings: Settings) -> Result<Connector> {
        self.connector_with(settings, &self.credentials()?)
    }

    /// [`connector_for`](Self::connector_for) with credentials already read.
    fn connector_with(&self, settings: Settings, credentials: &Credentials) -> Result<Connector> {
        let endpoints = self.endpoints(&settings);
        let database = self.paths.database();
        Ok(Connector {
            ctx: crate::sync::Context::open(settings, &endpoints, credentials, &database, None)?,
            gate: crate::run_gate::RunGate::default(),
            paths: self.paths.clone(),
        })
    }

    fn required(&self, name: CredentialName) -> Result<Secret> {
        self.lookup(name)?.ok_or_else(|| Error::MissingCredential {
            name: name.env_var(),
            hint: "complete the wizard step that provides it (or set the environment variable)",
        })
    }

    /// The Quipt half of the credentials; the ShipStation half may not be entered yet.
    fn quipt_only_credentials(&self) -> Result<Credentials> {
        Ok(Credentials {
            quipt_consumer_key: self.required(CredentialName::QuiptConsumerKey)?,
            quipt_consumer_secret: self.required(CredentialName::QuiptConsumerSecret)?,
            quipt_access_token: self.required(CredentialName::QuiptAccessToken)?,
            quipt_access_token_secret: self.required(CredentialName::QuiptAccessTokenSecret)?,
            shipstation_api_key: Secret::new(""),
            shipstation_api_secret: Secret::new(""),
        })
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

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
        updates: UpdateSettings::default(),
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
    /// Whether these are the demo's answers and data, not the operator's accounts.
    pub demo: bool,
    /// Whether the demo may be offered: only while nothing of a real setup exists (SPEC §4).
    pub demo_offered: bool,
}

/// Reads the settings file of `target`, if any.
pub fn setup(target: &Target) -> Setup {
    let demo = target.is_demo();
    if !target.paths.config_file.exists() {
        return Setup {
            settings: None,
            problem: None,
            draft: draft(),
            demo,
            demo_offered: !demo,
        };
    }
    match Settings::load(&target.paths.config_file) {
        Ok(settings) => Setup {
            draft: settings.clone(),
            settings: Some(settings),
            problem: None,
            demo,
            demo_offered: false,
        },
        Err(e) => Setup {
            settings: None,
            problem: Some(e.to_string()),
            draft: draft(),
            demo,
            demo_offered: false,
        },
    }
}

/// The answers the accounts leave no doubt about, filled where the draft has none: the first
/// active store, every Quipt warehouse whose code matches a ShipStation warehouse, and the
/// preferred carrier's first service. The demo starts from these, so Next alone clicks through.
pub fn prefill(mut draft: Settings, accounts: &Accounts) -> Settings {
    let reference = &accounts.reference;
    if draft.stores.default_store_id.is_none() {
        draft.stores.default_store_id = reference.stores.iter().find(|s| s.active).map(|s| s.id);
    }
    if draft.warehouses.codes.is_empty() {
        draft.warehouses.codes = accounts
            .warehouses
            .iter()
            .filter(|w| w.shipstation_name.is_some())
            .map(|w| w.code.clone())
            .collect();
    }
    if draft.carrier.default_service.is_empty()
        && let Some(service) = reference
            .carrier_for(draft.carrier.preferred)
            .and_then(|c| c.services.first())
    {
        draft.carrier.default_service = service.code.clone();
    }
    draft
}

/// The stored ShipStation API key, masked to its last four characters ("••••1234"), for step 2's
/// Change Credentials; `None` when no key is stored.
///
/// # Errors
/// When the keyring is unavailable.
pub fn stored_shipstation_key(target: &Target) -> Result<Option<String>> {
    Ok(target
        .lookup(CredentialName::ShipStationApiKey)?
        .map(|key| mask(key.expose_secret())))
}

/// A secret shown as its last four characters only (all hidden when it is that short).
fn mask(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    let shown: String = if chars.len() > 4 {
        chars[chars.len() - 4..].iter().collect()
    } else {
        String::new()
    };
    format!("••••{shown}")
}

/// Step 2: checks the key and secret with `GET /stores` and, when ShipStation accepts them, keeps
/// them ("Change Credentials" is this same call). A refused pair is never stored. Both empty checks
/// the stored pair instead, so Settings and the demo need no retyping.
///
/// # Errors
/// When the keyring cannot be read or cannot store an accepted pair.
pub async fn shipstation_keys(
    target: &Target,
    draft: &Settings,
    api_key: &str,
    api_secret: &str,
) -> Result<CheckResult> {
    let endpoints = target.endpoints(draft);
    let (api_key, api_secret) = (api_key.trim(), api_secret.trim());
    if api_key.is_empty() && api_secret.is_empty() {
        let stored = (
            target.lookup(CredentialName::ShipStationApiKey)?,
            target.lookup(CredentialName::ShipStationApiSecret)?,
        );
        let (Some(key), Some(secret)) = stored else {
            return Ok(checks::shipstation_keys(&endpoints.shipstation, "", "").await);
        };
        return Ok(checks::shipstation_keys(
            &endpoints.shipstation,
            key.expose_secret(),
            secret.expose_secret(),
        )
        .await);
    }
    // Typed values are credentials whether ShipStation takes them or not (a typo of the real
    // secret is most of it): redacted from every log line and message from now on.
    crate::redaction::remember(crate::redaction::Role::ShipStationKey, api_key);
    crate::redaction::remember(crate::redaction::Role::ShipStationSecret, api_secret);
    let result = checks::shipstation_keys(&endpoints.shipstation, api_key, api_secret).await;
    if result.ok {
        target.keep(CredentialName::ShipStationApiKey, &Secret::new(api_key))?;
        target.keep(
            CredentialName::ShipStationApiSecret,
            &Secret::new(api_secret),
        )?;
    }
    Ok(result)
}

/// Step 1: the signed call of [`checks::quipt_api_user`] with the target's token.
///
/// # Errors
/// When no token is stored yet or the keyring is unavailable.
pub async fn quipt_api_user(target: &Target, draft: &Settings) -> Result<CheckResult> {
    let endpoints = target.endpoints(draft);
    let quipt = crate::quipt_client(&endpoints, &target.quipt_only_credentials()?)?;
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
pub async fn accounts(target: &Target, draft: &Settings) -> Result<Accounts> {
    let endpoints = target.endpoints(draft);
    let credentials = target.credentials()?;
    let shipstation = crate::shipstation_client(&endpoints, &credentials)?;
    let quipt = crate::quipt_client(&endpoints, &credentials)?;
    let account = Account::of(&endpoints, &credentials);
    let reference = target.reference.read(account, &shipstation).await?;
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
pub async fn check(target: &Target, draft: &Settings) -> Result<Vec<CheckResult>> {
    let credentials = target.credentials()?;
    let connector = target.connector_with(draft.clone(), &credentials)?;
    let account = Account::of(&target.endpoints(draft), &credentials);
    let ctx = &connector.ctx;
    let reference = target.reference.recent(account, &ctx.shipstation);
    let mut results = crate::checkup::run_on(draft, &ctx.quipt, reference).await;
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
pub async fn dry_run(target: &Target, draft: &Settings) -> Result<RunSummary> {
    let connector = target.connector_for(draft.clone())?;
    connector
        .sync(RunOptions {
            dry_run: true,
            trigger: Trigger::SyncNow,
            refresh_reference: true,
        })
        .await
}

/// What saving the answers changed for the orders already seen.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Saved {
    /// Orders held for a setting that the next run sends to ShipStation, because the new answers
    /// lift their hold (and nothing else holds them); 0 when the answers change nothing the
    /// mapping decides with. `None` when they changed it but the count could not be made (Quipt
    /// or ShipStation not reached): the orders are still planned again on the next run.
    pub released: Option<u64>,
}

/// Finish (and Settings' Save): validates and saves the answers (atomically) and says how many
/// held orders the change sends on the next run; the caller then (re)starts the schedule.
///
/// # Errors
/// [`Error::Settings`] listing what to fix (nothing is written then); the history's errors.
pub async fn finish(target: &Target, settings: &Settings) -> Result<Saved> {
    let before = Settings::load(&target.paths.config_file).ok();
    // The update notice is no wizard step: what the operator wrote in the file stays.
    let settings = &Settings {
        updates: before
            .as_ref()
            .map_or_else(|| settings.updates.clone(), |b| b.updates.clone()),
        ..settings.clone()
    };
    settings.save(&target.paths.config_file)?;
    // The engine's own test of a change, on the same reference data for both.
    let fingerprint = |s: &Settings| mapping_fingerprint(s, &Reference::default());
    let changed = before.is_some_and(|b| fingerprint(&b) != fingerprint(settings));
    if !changed || !target.paths.database().exists() {
        return Ok(Saved { released: Some(0) });
    }
    let released = match tokio::time::timeout(COUNT_WITHIN, released(target, settings)).await {
        Ok(Ok(count)) => Some(count),
        Ok(Err(e)) => {
            tracing::warn!("saved; the held orders the change releases could not be counted: {e}");
            None
        }
        Err(_) => {
            tracing::warn!(
                "saved; the held orders the change releases were not counted within {} s",
                COUNT_WITHIN.as_secs()
            );
            None
        }
    };
    Ok(Saved { released })
}

/// How long a Save waits to count the orders it releases: the count is a courtesy, read from
/// Quipt and ShipStation beside the running engine (whose rate budgets it shares), and a slow
/// answer must not keep the operator's Save — or the engine's restart on it — waiting.
const COUNT_WITHIN: std::time::Duration = std::time::Duration::from_secs(10);

/// How many orders held for a setting the saved answers send on the next run: the held orders
/// are read again from Quipt (one listing, as the run reads them) and planned by the run's own
/// pure [`plan::plan`] with the new answers and the account's reference data. An order whose hold
/// the answers lift counts; one held again — for the same reason, or for another the old one hid
/// (a warehouse now synced whose channel has no store) — does not.
async fn released(target: &Target, settings: &Settings) -> Result<u64> {
    let credentials = target.credentials()?;
    let connector = target.connector_with(settings.clone(), &credentials)?;
    let ctx = &connector.ctx;
    let rows: HashMap<String, OrderRow> = {
        let db = ctx.db();
        let mut rows = HashMap::new();
        for id in store::orders::held_for_a_setting(&db)? {
            if let Some(row) = store::orders::get(&db, &id)? {
                rows.insert(id, row);
            }
        }
        rows
    };
    if rows.is_empty() {
        return Ok(0);
    }
    let account = Account::of(&target.endpoints(settings), &credentials);
    let reference = target.reference.recent(account, &ctx.shipstation).await?;
    let held: HashSet<String> = rows.keys().cloned().collect();
    let api = ctx.quipt.orders();
    let orders: Vec<quipt::Order> = eligible_orders(&api, eligible(settings))
        .filter(|o| std::future::ready(!matches!(o, Err(quipt::Error::UnreadableOrder(_)))))
        .try_filter(|o| std::future::ready(held.contains(&o.id.0)))
        .try_collect()
        .await?;
    let known = Known {
        rows,
        settings_changed: true,
    };
    Ok(plan::plan(&orders, &known, settings, &reference).released())
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
    target: &Target,
    draft: &Settings,
    manual: bool,
) -> Result<(QuiptAuthorization, Option<quipt::oauth::PendingCallback>)> {
    let endpoints = target.endpoints(draft);
    let consumer = quipt::ConsumerCredentials {
        key: target
            .required(CredentialName::QuiptConsumerKey)?
            .expose_secret()
            .to_string(),
        secret: target
            .required(CredentialName::QuiptConsumerSecret)?
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
    /// Exchanges the verifier (from the callback or pasted) for the access token and keeps it
    /// with the target's credentials.
    ///
    /// # Errors
    /// When Quipt refuses the verifier or the keyring cannot store the token.
    pub async fn complete(&self, target: &Target, verifier: &str) -> Result<()> {
        let token = self
            .authorization
            .exchange(&self.request, verifier.trim())
            .await?;
        target.keep(
            CredentialName::QuiptAccessToken,
            &Secret::new(token.token.as_str()),
        )?;
        target.keep(
            CredentialName::QuiptAccessTokenSecret,
            &Secret::new(token.secret.as_str()),
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::{CarrierRef, ServiceRef, StoreRef, WarehouseRef};

    fn accounts() -> Accounts {
        Accounts {
            reference: Reference {
                stores: vec![
                    StoreRef {
                        id: 9,
                        name: "Old".into(),
                        active: false,
                    },
                    StoreRef {
                        id: 10,
                        name: "Main".into(),
                        active: true,
                    },
                ],
                warehouses: vec![WarehouseRef {
                    id: 98765,
                    name: "Reno".into(),
                }],
                carriers: vec![CarrierRef {
                    code: "ups".into(),
                    name: "UPS".into(),
                    primary: true,
                    services: vec![ServiceRef {
                        code: "ups_ground".into(),
                        name: "Ground".into(),
                    }],
                }],
            },
            channels: vec![],
            warehouses: vec![
                WarehouseMatch {
                    code: "98765".into(),
                    name: "Reno".into(),
                    shipstation_name: Some("Reno".into()),
                },
                WarehouseMatch {
                    code: "55555".into(),
                    name: "Overflow".into(),
                    shipstation_name: None,
                },
            ],
        }
    }

    #[test]
    fn prefill_picks_the_active_store_the_matched_warehouses_and_a_service() {
        let filled = prefill(draft(), &accounts());
        assert_eq!(
            filled.stores.default_store_id,
            Some(10),
            "an inactive store is never offered"
        );
        assert_eq!(
            filled.warehouses.codes,
            vec!["98765".to_string()],
            "only a warehouse whose code matches a ShipStation ID is ticked"
        );
        assert_eq!(filled.carrier.default_service, "ups_ground");
    }

    #[test]
    fn prefill_keeps_every_answer_already_given() {
        let mut given = draft();
        given.stores.default_store_id = Some(42);
        given.warehouses.codes = vec!["55555".into()];
        given.carrier.default_service = "ups_next_day_air".into();
        let filled = prefill(given.clone(), &accounts());
        assert_eq!(filled, given, "the operator's answers win over a guess");
    }

    #[test]
    fn a_stored_key_shows_only_its_last_four_characters() {
        assert_eq!(mask("0123456789abcdef"), "••••cdef");
        assert_eq!(mask("abcd"), "••••", "a short value shows nothing");
    }

    #[test]
    fn a_demo_keeps_its_credentials_in_memory_and_is_never_offered_again() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths {
            config_file: dir.path().join("settings.toml"),
            data_dir: dir.path().join("data"),
        };
        let endpoints = Endpoints {
            quipt_api: "http://127.0.0.1:1".into(),
            quipt_app: "http://127.0.0.1:1".into(),
            shipstation: "http://127.0.0.1:2".into(),
        };
        let demo = Target::demo(
            paths,
            endpoints.clone(),
            &[(CredentialName::ShipStationApiKey, "demo-key-1234")],
        );
        demo.keep(
            CredentialName::ShipStationApiSecret,
            &Secret::new("demo-secret"),
        )
        .expect("memory never fails");
        assert_eq!(
            stored_shipstation_key(&demo).unwrap().as_deref(),
            Some("••••1234")
        );
        assert!(
            demo.lookup(CredentialName::QuiptAccessToken)
                .unwrap()
                .is_none(),
            "a demo sees none of the environment's or keyring's credentials"
        );
        assert_eq!(
            demo.endpoints(&draft()),
            endpoints,
            "a demo talks only to its sandbox"
        );
        let setup = setup(&demo);
        assert!(
            setup.demo && !setup.demo_offered,
            "the demo is not offered from inside the demo"
        );
    }

    #[test]
    fn the_demo_is_offered_only_while_no_real_settings_file_exists() {
        let dir = tempfile::tempdir().unwrap();
        let real = Target::real(Paths {
            config_file: dir.path().join("settings.toml"),
            data_dir: dir.path().join("data"),
        });
        assert!(setup(&real).demo_offered, "nothing configured: offered");
        std::fs::write(&real.paths.config_file, "not toml [").unwrap();
        let broken = setup(&real);
        assert!(
            broken.problem.is_some() && !broken.demo_offered,
            "even a broken settings file is a real setup the demo must not replace"
        );
    }
}
