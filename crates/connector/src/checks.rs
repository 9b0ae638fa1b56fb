//! The setup wizard's live checks, one function per guide step. The wizard and `quipt-shipstation
//! check` call the same functions, so no rule is written twice.

use serde::Serialize;

use crate::reference::Reference;
use crate::settings::{CarrierFamily, Settings};

/// The answer of one check.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct CheckResult {
    /// The guide step (`quipt_api_user`, `shipstation_keys`, `stores`, `carrier`, `warehouses`, …).
    pub step: &'static str,
    /// Whether the user can go on.
    pub ok: bool,
    /// What was found, or what to fix.
    pub message: String,
    /// One line per item checked (channels, warehouses…).
    pub details: Vec<String>,
}

impl CheckResult {
    fn pass(step: &'static str, message: impl Into<String>, details: Vec<String>) -> Self {
        Self {
            step,
            ok: true,
            message: message.into(),
            details,
        }
    }
    fn fail(step: &'static str, message: impl Into<String>, details: Vec<String>) -> Self {
        Self {
            step,
            ok: false,
            message: message.into(),
            details,
        }
    }
}

/// Why a live check could not read an account, decided from the error's type and HTTP status —
/// never from its wording — so that the operator is told what really happened:
///
/// | the client's error                                          | failure              |
/// |-------------------------------------------------------------|----------------------|
/// | no answer (refused, timeout), a redirect, an unusable address | `Unreachable`      |
/// | 401                                                         | `RefusedCredentials` |
/// | Quipt's 401 for a timestamp out of its window               | `WrongClock`         |
/// | 403, any other 4xx, or Quipt's 200 `Success: false`         | `MissingPermission`  |
/// | 429 after the retries, 5xx, an unreadable or oversized answer | `ServerError`      |
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// The service gave no answer: the network, a proxy or the address is at fault.
    Unreachable,
    /// The service refused the credentials (Quipt's token, ShipStation's key pair).
    RefusedCredentials,
    /// The credentials were accepted but the call was refused: the user lacks a permission.
    MissingPermission,
    /// The service failed or is overloaded; nothing on our side to change.
    ServerError,
    /// This computer's clock is too far from the service's for a signed request.
    WrongClock,
}

impl Failure {
    /// The failure behind a Quipt client error.
    pub fn of_quipt(error: &quipt::Error) -> Self {
        match error {
            quipt::Error::Transport { .. }
            | quipt::Error::InvalidUrl { .. }
            | quipt::Error::Redirect { .. } => Self::Unreachable,
            quipt::Error::Unauthorized { .. } => Self::RefusedCredentials,
            quipt::Error::ClockSkew { .. } => Self::WrongClock,
            quipt::Error::Api { status, .. } => Self::of_status(*status),
            _ => Self::ServerError,
        }
    }

    /// The failure behind a ShipStation client error.
    pub fn of_shipstation(error: &shipstation::Error) -> Self {
        match error {
            shipstation::Error::Transport { .. }
            | shipstation::Error::InvalidBaseUrl { .. }
            | shipstation::Error::Redirect { .. } => Self::Unreachable,
            shipstation::Error::Unauthorized { .. } => Self::RefusedCredentials,
            shipstation::Error::Api { status, .. } => Self::of_status(*status),
            _ => Self::ServerError,
        }
    }

    /// An answered call: 401 refused, 5xx failed, anything else refused this user's request.
    fn of_status(status: u16) -> Self {
        match status {
            401 => Self::RefusedCredentials,
            429 | 500.. => Self::ServerError,
            _ => Self::MissingPermission,
        }
    }
}

/// Step 1's message for a failed read of `what` ("orders", "warehouses"): what happened, then
/// the fix.
fn quipt_failure(what: &str, error: &quipt::Error) -> String {
    match Failure::of_quipt(error) {
        Failure::Unreachable => format!(
            "could not reach Quipt ({error}): check this computer's network connection, proxy or firewall and Quipt's address, then check again"
        ),
        Failure::RefusedCredentials => format!(
            "Quipt refused the API user's token ({error}): authorize the connector again, logged in as the API user"
        ),
        Failure::MissingPermission => format!(
            "Quipt refused to let the API user read {what} ({error}): give the API user the \"company API user\" role in Quipt, then check again"
        ),
        Failure::ServerError => format!(
            "Quipt failed while reading {what} ({error}): the problem is on Quipt's side; try again in a few minutes"
        ),
        Failure::WrongClock => format!("{error}"),
    }
}

/// The result of `step` when Quipt's `what` ("sales channels", "warehouses") could not be read for
/// it: what happened and the fix, as step 1 says it, rather than a check against an empty list
/// (which would send the operator to change what is right).
pub fn quipt_unreadable(step: &'static str, what: &str, error: &quipt::Error) -> CheckResult {
    CheckResult::fail(step, quipt_failure(what, error), vec![])
}

/// Step 2's result when the stored keys cannot read ShipStation's account (the check of every
/// answer, `quipt-shipstation check`): the same four messages as the step's own check.
pub fn shipstation_unreadable(error: &crate::Error) -> CheckResult {
    let message = match error {
        crate::Error::ShipStation { source } => shipstation_failure(source),
        other => other.to_string(),
    };
    CheckResult::fail("shipstation_keys", message, vec![])
}

/// Step 2's message for a failed read of ShipStation's account.
fn shipstation_failure(error: &shipstation::Error) -> String {
    match Failure::of_shipstation(error) {
        Failure::Unreachable => format!(
            "could not reach ShipStation ({error}): check this computer's network connection, proxy or firewall and ShipStation's address, then check again"
        ),
        Failure::RefusedCredentials => "ShipStation refused this API Key and API Secret pair: copy both again from Account → API Settings (the secret belongs to this key)".into(),
        Failure::MissingPermission => format!(
            "ShipStation accepted the keys but refused to read the account ({error}): the keys need an account user with access to every store; create them again in Account → API Settings as an administrator"
        ),
        Failure::ServerError | Failure::WrongClock => format!(
            "ShipStation failed while reading the account ({error}): the problem is on ShipStation's side; try again in a few minutes"
        ),
    }
}

/// Step 1: a signed call that reads orders and warehouses succeeds.
pub async fn quipt_api_user(quipt: &quipt::Client) -> CheckResult {
    const STEP: &str = "quipt_api_user";
    let orders = quipt
        .orders()
        .list(&quipt::OrderQuery::default(), 1, 1)
        .await;
    if let Err(e) = orders {
        return CheckResult::fail(STEP, quipt_failure("orders", &e), vec![]);
    }
    match quipt.warehouses().list().await {
        Ok(w) => CheckResult::pass(
            STEP,
            format!("authorized: orders and {} warehouses readable", w.len()),
            vec![],
        ),
        Err(e) => CheckResult::fail(STEP, quipt_failure("warehouses", &e), vec![]),
    }
}

/// Step 2: `GET /stores` with the key and secret. A key without a secret is explained as a v2 key.
pub async fn shipstation_keys(api_url: &str, api_key: &str, api_secret: &str) -> CheckResult {
    const STEP: &str = "shipstation_keys";
    if api_key.trim().is_empty() {
        return CheckResult::fail(
            STEP,
            "enter the API Key from ShipStation: Account → API Settings",
            vec![],
        );
    }
    if api_secret.trim().is_empty() {
        return CheckResult::fail(
            STEP,
            "this looks like a ShipStation API v2 key (a single key without a secret): the connector needs the v1 API Key and API Secret pair from Account → API Settings",
            vec![],
        );
    }
    let client = match shipstation::Client::builder(api_url)
        .credentials(api_key, api_secret)
        .max_retries(1)
        .build()
    {
        Ok(c) => c,
        Err(e) => return CheckResult::fail(STEP, shipstation_failure(&e), vec![]),
    };
    match client.stores().list(false).await {
        Ok(stores) => CheckResult::pass(
            STEP,
            format!("connected: {} active stores", stores.len()),
            vec![],
        ),
        Err(e) => CheckResult::fail(STEP, shipstation_failure(&e), vec![]),
    }
}

/// Step 3: the single store exists and is active, or every channel has an active store.
pub fn stores(
    settings: &Settings,
    reference: &Reference,
    channels: &[quipt::Partner],
) -> CheckResult {
    const STEP: &str = "stores";
    let s = &settings.stores;
    let describe = |id: i64| match reference.stores.iter().find(|st| st.id == id) {
        None => Err(format!("store {id} does not exist in ShipStation")),
        Some(st) if !st.active => Err(format!("store {id} ({}) is inactive", st.name)),
        Some(st) => Ok(format!("{} ({id})", st.name)),
    };
    if s.single_store {
        let Some(id) = s.default_store_id else {
            return CheckResult::fail(
                STEP,
                "choose the ShipStation store that receives every order",
                vec![],
            );
        };
        return match describe(id) {
            Ok(name) => {
                let details = channels
                    .iter()
                    .map(|c| {
                        format!(
                            "{} → {name}, source \"{}\"",
                            c.name,
                            s.channel_names.get(&c.name).unwrap_or(&c.name)
                        )
                    })
                    .collect();
                CheckResult::pass(STEP, format!("every order goes to {name}"), details)
            }
            Err(problem) => {
                CheckResult::fail(STEP, format!("{problem}: choose an active store"), vec![])
            }
        };
    }
    let mut details = Vec::new();
    let mut ok = true;
    for channel in channels {
        match s
            .channel_store_ids
            .get(&channel.name)
            .or_else(|| s.channel_store_ids.get(&channel.code))
        {
            None => {
                ok = false;
                details.push(format!("{}: no store chosen — its orders would be held; create a manual store in ShipStation (Settings → Selling Channels → Store Setup) and refresh the list", channel.name));
            }
            Some(&id) => match describe(id) {
                Ok(name) => details.push(format!("{} → {name}", channel.name)),
                Err(problem) => {
                    ok = false;
                    details.push(format!("{}: {problem}", channel.name));
                }
            },
        }
    }
    if ok {
        CheckResult::pass(STEP, "every channel has an active store", details)
    } else {
        CheckResult::fail(STEP, "some channels have no usable store", details)
    }
}

/// Step 5: the preferred carrier is connected and the default service is one of its services.
pub fn carrier(settings: &Settings, reference: &Reference) -> CheckResult {
    const STEP: &str = "carrier";
    let c = &settings.carrier;
    if c.preferred == CarrierFamily::Usps && !c.usps_supported {
        return CheckResult::fail(
            STEP,
            "USPS cannot be the preferred carrier when USPS is not supported",
            vec![],
        );
    }
    let Some(account) = reference.carrier_for(c.preferred) else {
        return CheckResult::fail(
            STEP,
            format!(
                "{} is not connected in ShipStation: connect it there, or choose another preferred carrier",
                c.preferred.label()
            ),
            vec![],
        );
    };
    if !account.services.iter().any(|s| s.code == c.default_service) {
        let offered = account.services.iter().map(|s| s.code.clone()).collect();
        return CheckResult::fail(
            STEP,
            format!(
                "{} is not a service of {} ({})",
                c.default_service,
                c.preferred.label(),
                account.code
            ),
            offered,
        );
    }
    let mut details = vec![format!(
        "{} → carrierCode {}",
        c.preferred.label(),
        account.code
    )];
    if !c.assign_default {
        details.push(
            "warning: orders without a carrier/service will be held and never reach fulfilment"
                .into(),
        );
    }
    CheckResult::pass(
        STEP,
        format!("{} {} is ready", c.preferred.label(), c.default_service),
        details,
    )
}

/// One Quipt warehouse beside ShipStation's, for step 7.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct WarehouseMatch {
    /// The Quipt warehouse code.
    pub code: String,
    /// Its name in Quipt.
    pub name: String,
    /// The ShipStation warehouse with that ID, if any.
    pub shipstation_name: Option<String>,
}

/// Step 7: lists Quipt warehouses beside ShipStation's and checks each configured code.
pub fn warehouses(
    settings: &Settings,
    reference: &Reference,
    quipt_warehouses: &[quipt::Warehouse],
) -> (CheckResult, Vec<WarehouseMatch>) {
    const STEP: &str = "warehouses";
    let matches: Vec<WarehouseMatch> = quipt_warehouses
        .iter()
        .map(|w| WarehouseMatch {
            code: w.code.clone(),
            name: w.display_name.clone(),
            shipstation_name: w
                .code
                .trim()
                .parse::<i64>()
                .ok()
                .and_then(|id| reference.warehouses.iter().find(|s| s.id == id))
                .map(|s| s.name.clone()),
        })
        .collect();
    let details = matches
        .iter()
        .map(|m| match &m.shipstation_name {
            Some(ss) => format!(
                "{} ({}) → matched ShipStation warehouse {ss}",
                m.code, m.name
            ),
            None => format!(
                "{} ({}) → unmatched: no ShipStation warehouse has ID {}; its orders will be held",
                m.code, m.name, m.code
            ),
        })
        .collect();
    let unmatched: Vec<&String> = settings
        .warehouses
        .codes
        .iter()
        .filter(|code| {
            !matches
                .iter()
                .any(|m| &m.code == *code && m.shipstation_name.is_some())
        })
        .collect();
    let result = if unmatched.is_empty() {
        CheckResult::pass(
            STEP,
            "every chosen warehouse code equals a ShipStation warehouse ID",
            details,
        )
    } else {
        // A code Quipt has is corrected in Quipt; one only the settings hold (a typo, a warehouse
        // since removed in Quipt) is corrected in Settings.
        let (in_quipt, settings_only): (Vec<&String>, Vec<&String>) = unmatched
            .into_iter()
            .partition(|code| matches.iter().any(|m| &m.code == *code));
        let list = |codes: &[&String]| {
            codes
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut problems = Vec::new();
        if !in_quipt.is_empty() {
            problems.push(format!(
                "warehouse code {} equals no ShipStation warehouse ID: change the code in Quipt to the ShipStation warehouse ID",
                list(&in_quipt)
            ));
        }
        if !settings_only.is_empty() {
            problems.push(format!(
                "warehouse code {} chosen in Settings is no Quipt warehouse: remove it in Settings → Warehouses",
                list(&settings_only)
            ));
        }
        CheckResult::fail(STEP, problems.join("; "), details)
    };
    (result, matches)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use rstest::rstest;

    use super::*;

    fn an_hour_off() -> quipt::Skew {
        quipt::skew(
            Some("Tue, 24 Nov 2026 08:00:00 GMT"),
            std::time::SystemTime::UNIX_EPOCH + Duration::from_secs(1_795_510_800),
        )
        .expect("an hour apart is a wrong clock")
    }

    fn quipt_api(status: u16) -> quipt::Error {
        quipt::Error::Api {
            status,
            messages: Vec::new(),
        }
    }

    fn shipstation_api(status: u16) -> shipstation::Error {
        shipstation::Error::Api {
            status,
            message: "whatever the wording".into(),
        }
    }

    #[rstest]
    #[case::a_refused_token(quipt::Error::Unauthorized { message: "role missing".into() }, Failure::RefusedCredentials)]
    #[case::a_forbidden_read(quipt_api(403), Failure::MissingPermission)]
    #[case::an_unsuccessful_envelope(quipt_api(200), Failure::MissingPermission)]
    #[case::a_not_found(quipt_api(404), Failure::MissingPermission)]
    #[case::a_server_error(quipt_api(500), Failure::ServerError)]
    #[case::a_bad_gateway(quipt_api(502), Failure::ServerError)]
    #[case::a_rate_limit(quipt::Error::RateLimited { retry_after: Duration::from_secs(1), server_sent: None }, Failure::ServerError)]
    #[case::a_redirect(quipt::Error::Redirect { status: 302, location: None }, Failure::Unreachable)]
    #[case::a_wrong_clock(quipt::Error::ClockSkew { skew: an_hour_off() }, Failure::WrongClock)]
    #[case::an_unreadable_answer(quipt::Error::NoResult { endpoint: "warehouses".into() }, Failure::ServerError)]
    fn a_quipt_failure_is_told_apart_by_its_type_and_status(
        #[case] error: quipt::Error,
        #[case] expected: Failure,
    ) {
        assert_eq!(Failure::of_quipt(&error), expected, "{error}");
    }

    #[rstest]
    #[case::a_refused_pair(shipstation::Error::Unauthorized { message: "server error".into() }, Failure::RefusedCredentials)]
    #[case::a_forbidden_listing(shipstation_api(403), Failure::MissingPermission)]
    #[case::a_server_error(shipstation_api(503), Failure::ServerError)]
    #[case::a_rate_limit(shipstation::Error::RateLimited { retry_after: Duration::from_secs(1), server_sent: None }, Failure::ServerError)]
    #[case::a_redirect(shipstation::Error::Redirect { status: 301, location: None }, Failure::Unreachable)]
    #[case::an_unusable_address(shipstation::Error::InvalidBaseUrl { url: "x".into(), reason: "not absolute" }, Failure::Unreachable)]
    fn a_shipstation_failure_is_told_apart_by_its_type_and_status(
        #[case] error: shipstation::Error,
        #[case] expected: Failure,
    ) {
        assert_eq!(Failure::of_shipstation(&error), expected, "{error}");
    }

    #[tokio::test]
    async fn a_key_without_a_secret_is_explained_as_a_v2_key_before_any_call() {
        // An address nothing listens on: the check must decide before calling ShipStation.
        let result = shipstation_keys("http://127.0.0.1:9/", "a-single-v2-key", "  ").await;
        assert!(!result.ok, "the step does not pass");
        assert!(
            result.message.contains("ShipStation API v2 key")
                && result.message.contains("v1 API Key and API Secret pair"),
            "the operator is told it is a v2 key and what to paste instead: {}",
            result.message
        );
    }

    #[test]
    fn each_quipt_failure_says_what_happened_and_its_own_fix() {
        let cases = [
            (quipt_api(503), "Quipt failed", "try again in a few minutes"),
            (
                quipt_api(403),
                "refused to let the API user read orders",
                "\"company API user\" role",
            ),
            (
                quipt::Error::Unauthorized {
                    message: String::new(),
                },
                "refused the API user's token",
                "authorize the connector again",
            ),
            (
                quipt::Error::Redirect {
                    status: 302,
                    location: None,
                },
                "could not reach Quipt",
                "network connection, proxy or firewall and Quipt's address",
            ),
            (
                quipt::Error::ClockSkew {
                    skew: an_hour_off(),
                },
                "refused the signed request",
                "check this computer's clock",
            ),
        ];
        for (error, what, fix) in cases {
            let message = quipt_failure("orders", &error);
            assert!(message.contains(what) && message.contains(fix), "{message}");
        }
        assert!(
            !quipt_failure("orders", &quipt_api(503)).contains("role"),
            "a server error is not a missing role"
        );
    }

    #[test]
    fn a_chosen_code_quipt_lacks_is_fixed_in_settings_and_one_quipt_has_in_quipt() {
        let mut settings = crate::wizard::draft();
        settings.warehouses.codes = vec!["98765".into(), "55555".into(), "12345".into()];
        let reference = Reference {
            warehouses: vec![crate::reference::WarehouseRef {
                id: 98765,
                name: "Main".into(),
            }],
            ..Reference::default()
        };
        let quipt = |code: &str| quipt::Warehouse {
            id: quipt::WarehouseId(format!("w-{code}")),
            code: code.into(),
            display_name: format!("Warehouse {code}"),
        };
        let (result, _) = warehouses(&settings, &reference, &[quipt("98765"), quipt("55555")]);
        assert!(!result.ok);
        assert_eq!(
            result.message,
            "warehouse code 55555 equals no ShipStation warehouse ID: change the code in Quipt to the ShipStation warehouse ID; \
             warehouse code 12345 chosen in Settings is no Quipt warehouse: remove it in Settings → Warehouses"
        );
    }
}
