//! Cross-field rules of the settings, each answered with a sentence that says what to fix.
//! Rules that need the APIs (does the store exist?) live in [`crate::checks`].

use super::{CarrierFamily, Settings};

/// The variables that override the settings' addresses (README, "Settings").
const URL_VARIABLES: [&str; 3] = ["QUIPT_API_URL", "QUIPT_APP_URL", "SHIPSTATION_API_URL"];

/// Every rule the settings (and the address variables of this process's environment) break; empty
/// when they are usable.
pub fn problems(settings: &Settings) -> Vec<String> {
    let mut problems = address_problems(settings, |name| std::env::var(name).ok());
    let stores = &settings.stores;
    if stores.single_store && stores.default_store_id.is_none() {
        problems.push(
            "stores.single_store is true but stores.default_store_id is missing: choose the ShipStation store that receives every order".into(),
        );
    }
    if !stores.single_store && stores.channel_store_ids.is_empty() {
        problems.push(
            "stores.single_store is false but stores.channel_store_ids is empty: give each Quipt channel a ShipStation store ID".into(),
        );
    }
    let carrier = &settings.carrier;
    if carrier.preferred == CarrierFamily::Usps && !carrier.usps_supported {
        problems.push(
            "carrier.preferred is \"usps\" but carrier.usps_supported is false: choose ups, fedex or dhl as the preferred carrier, or answer yes to \"Do you support USPS?\"".into(),
        );
    }
    if carrier.default_service.trim().is_empty() {
        problems.push(
            "carrier.default_service is empty: choose the service used with the preferred carrier (for example \"ups_ground\")".into(),
        );
    }
    if settings.history.retention_days == 0 {
        problems.push(
            "history.retention_days is 0: keep each order's timeline at least one day (default 400)".into(),
        );
    }
    if settings.warehouses.codes.is_empty() {
        problems.push(
            "warehouses.codes is empty: list the Quipt warehouse codes to sync, each equal to a ShipStation warehouse ID".into(),
        );
    }
    for code in &settings.warehouses.codes {
        if code.trim().parse::<i64>().is_err() {
            problems.push(format!(
                "warehouse code \"{code}\" cannot equal a ShipStation warehouse ID, which is a number: change the code in Quipt to the ShipStation warehouse ID"
            ));
        }
    }
    if settings.schedule.interval_minutes == 0 {
        problems.push("schedule.interval_minutes must be at least 1".into());
    }
    problems
}

/// The API addresses, from the settings and from the `*_API_URL` / `QUIPT_APP_URL` variables
/// (`var` reads one), checked as the clients check them before any request leaves: https, or
/// plain http to this computer only. Each problem names where the address came from.
pub fn address_problems(settings: &Settings, var: impl Fn(&str) -> Option<String>) -> Vec<String> {
    let quipt = |url: &str| quipt::check_base_url(url).err().map(|e| e.to_string());
    let shipstation = |url: &str| {
        shipstation::check_base_url(url)
            .err()
            .map(|e| e.to_string())
    };
    let from_settings = [
        (
            "quipt.api_url",
            settings.quipt.api_url.as_deref(),
            &quipt as &dyn Fn(&str) -> _,
        ),
        ("quipt.app_url", settings.quipt.app_url.as_deref(), &quipt),
        (
            "shipstation.api_url",
            settings.shipstation.api_url.as_deref(),
            &shipstation,
        ),
    ];
    let from_environment = URL_VARIABLES.map(|name| {
        let check: &dyn Fn(&str) -> Option<String> = if name.starts_with("QUIPT") {
            &quipt
        } else {
            &shipstation
        };
        (name, var(name).filter(|v| !v.is_empty()), check)
    });
    let settings_problems = from_settings
        .into_iter()
        .filter_map(|(key, url, check)| Some(format!("{key}: {}", check(url?)?)));
    let environment_problems = from_environment
        .into_iter()
        .filter_map(|(name, url, check)| Some(format!("{name}: {}", check(url.as_deref()?)?)));
    settings_problems.chain(environment_problems).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn settings(
        quipt_api: Option<&str>,
        quipt_app: Option<&str>,
        shipstation_api: Option<&str>,
    ) -> Settings {
        let mut settings: Settings =
            toml::from_str(include_str!("../../../../docs/settings.example.toml"))
                .expect("the example settings parse");
        settings.quipt.api_url = quipt_api.map(Into::into);
        settings.quipt.app_url = quipt_app.map(Into::into);
        settings.shipstation.api_url = shipstation_api.map(Into::into);
        settings
    }

    // `quipt.app_url` / `QUIPT_APP_URL` is the OAuth host: its `/oauth/token` answer carries the
    // access token's secret.
    #[rstest]
    #[case::the_real_hosts(None, None, None, None, &[])]
    #[case::https_addresses(Some("https://api.example.com"), Some("https://app.example.com"), Some("https://ss.example.com"), None, &[])]
    #[case::the_sandbox_on_this_computer(Some("http://127.0.0.1:8701"), Some("http://127.0.0.1:8701"), Some("http://localhost:8702"), Some(("SHIPSTATION_API_URL", "http://[::1]:8702")), &[])]
    #[case::plain_http_to_quipt_in_the_settings(Some("http://api.example.com"), None, None, None, &["quipt.api_url"])]
    #[case::plain_http_to_the_quipt_app_in_the_settings(None, Some("http://app.example.com"), None, None, &["quipt.app_url"])]
    #[case::plain_http_to_shipstation_in_the_settings(None, None, Some("http://ss.example.com"), None, &["shipstation.api_url"])]
    #[case::plain_http_to_shipstation_in_the_environment(None, None, None, Some(("SHIPSTATION_API_URL", "http://ss.example.com")), &["SHIPSTATION_API_URL"])]
    #[case::plain_http_to_the_quipt_app_in_the_environment(None, None, None, Some(("QUIPT_APP_URL", "http://app.example.com")), &["QUIPT_APP_URL"])]
    #[case::the_quipt_app_on_this_computer_in_the_environment(None, None, None, Some(("QUIPT_APP_URL", "http://localhost:8701")), &[])]
    fn api_addresses_must_be_https_unless_they_are_this_computer(
        #[case] quipt_api: Option<&str>,
        #[case] quipt_app: Option<&str>,
        #[case] shipstation_api: Option<&str>,
        #[case] variable: Option<(&str, &str)>,
        #[case] named: &[&str],
    ) {
        let found = address_problems(&settings(quipt_api, quipt_app, shipstation_api), |name| {
            variable
                .filter(|(set, _)| *set == name)
                .map(|(_, value)| value.into())
        });
        assert_eq!(found.len(), named.len(), "problems: {found:?}");
        for (problem, source) in found.iter().zip(named) {
            assert!(
                problem.starts_with(source) && problem.contains("https is required"),
                "the problem names {source} and says https is required: {problem}"
            );
        }
    }
}
