//! The wizard's live checks against the sandbox say what really happened (issue 10): an
//! unreachable service, refused credentials, a missing permission and a server error are four
//! different messages, each with its own fix. The wizard runs here on a target whose credentials
//! are held in memory, so no keyring is needed.

use connector::Endpoints;
use connector::credentials::CredentialName;
use connector::wizard::{self, Target};
use sandbox::demo_data;

use crate::support::{World, demo_settings};

/// A port nothing listens on: bound, then released.
fn closed_port() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let url = format!("http://{}", listener.local_addr().expect("an address"));
    drop(listener);
    url
}

fn target(world: &World, quipt: &str, shipstation: &str, token: &str) -> Target {
    Target::demo(
        connector::Paths {
            config_file: world.dir.path().join("settings.toml"),
            data_dir: world.dir.path().join("data"),
        },
        Endpoints {
            quipt_api: quipt.into(),
            quipt_app: quipt.into(),
            shipstation: shipstation.into(),
        },
        &[
            (
                CredentialName::QuiptConsumerKey,
                demo_data::QUIPT_CONSUMER_KEY,
            ),
            (
                CredentialName::QuiptConsumerSecret,
                demo_data::QUIPT_CONSUMER_SECRET,
            ),
            (CredentialName::QuiptAccessToken, token),
            (
                CredentialName::QuiptAccessTokenSecret,
                demo_data::QUIPT_ACCESS_TOKEN_SECRET,
            ),
        ],
    )
}

async fn quipt_check(target: &Target, world: &World) -> String {
    let result = wizard::quipt_api_user(target, &demo_settings(&world.sandbox))
        .await
        .expect("the check runs");
    assert!(!result.ok, "the check fails: {}", result.message);
    result.message
}

#[tokio::test]
async fn each_failure_to_read_quipt_is_told_with_its_own_fix() {
    let world = World::new(0).await;
    let (quipt, shipstation) = (world.sandbox.quipt_url(), world.sandbox.shipstation_url());
    let working = target(&world, &quipt, &shipstation, demo_data::QUIPT_ACCESS_TOKEN);

    let refused = quipt_check(&target(&world, &quipt, &shipstation, "revoked"), &world).await;
    assert!(
        refused.contains("refused the API user's token")
            && refused.contains("authorize the connector again"),
        "a refused token asks for a new authorization: {refused}"
    );

    world.sandbox.quipt.fail_next(1, 403);
    let forbidden = quipt_check(&working, &world).await;
    assert!(
        forbidden.contains("refused to let the API user read orders")
            && forbidden.contains("\"company API user\" role"),
        "a refused read names the role to give: {forbidden}"
    );

    world.sandbox.quipt.fail_next(100, 503);
    let failing = quipt_check(&working, &world).await;
    world.sandbox.quipt.clear_faults();
    assert!(
        failing.contains("Quipt failed while reading orders")
            && failing.contains("try again in a few minutes")
            && !failing.contains("role"),
        "a server error is Quipt's, not a missing role: {failing}"
    );

    let away = quipt_check(
        &target(
            &world,
            &closed_port(),
            &shipstation,
            demo_data::QUIPT_ACCESS_TOKEN,
        ),
        &world,
    )
    .await;
    assert!(
        away.contains("could not reach Quipt") && away.contains("network"),
        "no answer is the network's problem, not a missing role: {away}"
    );

    let fine = wizard::quipt_api_user(&working, &demo_settings(&world.sandbox))
        .await
        .expect("the check runs");
    assert!(
        fine.ok,
        "with every fault cleared the check passes: {}",
        fine.message
    );
}

#[tokio::test]
async fn each_failure_to_read_shipstation_is_told_with_its_own_fix() {
    let world = World::new(0).await;
    let quipt = world.sandbox.quipt_url();
    let settings = demo_settings(&world.sandbox);
    let check = |target: Target, secret: &'static str| {
        let settings = settings.clone();
        async move {
            let result = wizard::shipstation_keys(
                &target,
                &settings,
                demo_data::SHIPSTATION_API_KEY,
                secret,
            )
            .await
            .expect("the check runs");
            assert!(!result.ok, "the check fails: {}", result.message);
            result.message
        }
    };
    let here = || {
        target(
            &world,
            &quipt,
            &world.sandbox.shipstation_url(),
            demo_data::QUIPT_ACCESS_TOKEN,
        )
    };

    let refused = check(here(), "not-the-secret-but-close-to-it").await;
    assert!(
        refused.contains("refused this API Key and API Secret pair")
            && refused.contains("API Settings"),
        "a refused pair says where the keys are: {refused}"
    );
    let (line, hidden) = connector::redaction::patterns()
        .redact("a line that echoes not-the-secret-but-close-to-it back");
    assert!(
        hidden == 1 && !line.contains("not-the-secret-but-close-to-it"),
        "a refused secret typed in the wizard is redacted from logs all the same: {line}"
    );

    world.sandbox.shipstation.fail_next(100, 500);
    let failing = check(here(), demo_data::SHIPSTATION_API_SECRET).await;
    world.sandbox.shipstation.clear_faults();
    assert!(
        failing.contains("ShipStation failed") && failing.contains("try again in a few minutes"),
        "a server error is ShipStation's: {failing}"
    );

    let away = check(
        target(
            &world,
            &quipt,
            &closed_port(),
            demo_data::QUIPT_ACCESS_TOKEN,
        ),
        demo_data::SHIPSTATION_API_SECRET,
    )
    .await;
    assert!(
        away.contains("could not reach ShipStation") && away.contains("network"),
        "no answer is the network's problem, not the keys': {away}"
    );
}

#[tokio::test]
async fn checking_every_answer_tells_a_refused_shipstation_pair_as_step_2_does() {
    let world = World::new(0).await;
    let mut credentials = crate::support::demo_credentials();
    credentials.shipstation_api_secret = connector::credentials::Secret::new("not-the-secret");
    let results = connector::Connector::open(world.paths(), world.settings.clone(), &credentials)
        .expect("the engine opens")
        .check()
        .await;
    let keys = results
        .iter()
        .find(|r| r.step == "shipstation_keys")
        .expect("the keys are checked");
    assert!(
        !keys.ok
            && keys
                .message
                .contains("refused this API Key and API Secret pair"),
        "`quipt-shipstation check` and the wizard say the same: {}",
        keys.message
    );
}

#[tokio::test]
async fn the_wizards_checks_reuse_the_account_read_by_its_step_and_refresh_reads_it_again() {
    let world = World::new(0).await;
    let target = target(
        &world,
        &world.sandbox.quipt_url(),
        &world.sandbox.shipstation_url(),
        demo_data::QUIPT_ACCESS_TOKEN,
    );
    let keep = |name, value: &str| {
        target
            .keep(name, &connector::credentials::Secret::new(value))
            .expect("kept in memory")
    };
    keep(
        CredentialName::ShipStationApiKey,
        demo_data::SHIPSTATION_API_KEY,
    );
    keep(
        CredentialName::ShipStationApiSecret,
        demo_data::SHIPSTATION_API_SECRET,
    );
    let draft = demo_settings(&world.sandbox);
    let stores_read = || world.sandbox.shipstation.stats().calls("GET /stores");

    wizard::accounts(&target, &draft)
        .await
        .expect("step 3 reads both accounts");
    assert_eq!(stores_read(), 1);
    for step in ["stores", "carrier", "warehouses"] {
        let results = wizard::check(&target, &draft)
            .await
            .expect("the checks run");
        assert!(
            results.iter().all(|r| r.step == "settings" || r.ok),
            "checking at step {step} passes: {results:?}"
        );
    }
    assert_eq!(
        stores_read(),
        1,
        "the checks of steps 3, 5 and 7 use the account as step 3 read it a moment ago"
    );
    wizard::accounts(&target, &draft)
        .await
        .expect("Refresh store list");
    assert_eq!(
        stores_read(),
        2,
        "Refresh store list reads the account again"
    );

    keep(CredentialName::ShipStationApiSecret, "another-secret");
    let results = wizard::check(&target, &draft)
        .await
        .expect("the checks run");
    assert_eq!(
        stores_read(),
        3,
        "another key pair is another read, never the last pair's answer"
    );
    assert!(
        results
            .iter()
            .any(|r| r.step == "shipstation_keys" && !r.ok),
        "and ShipStation refuses it: {results:?}"
    );
}

#[tokio::test]
async fn a_typed_store_id_is_checked_against_the_accounts_stores() {
    let world = World::new(0).await;
    let target = world.target();
    let single = |id: i64| {
        let mut draft = demo_settings(&world.sandbox);
        draft.stores.single_store = true;
        draft.stores.default_store_id = Some(id);
        draft
    };
    let mut without_shopify = demo_settings(&world.sandbox);
    without_shopify.stores.channel_store_ids.remove("Shopify");
    let cases = [
        (
            "an active store of the account",
            single(10000),
            true,
            "every order goes to Quipt Orders (10000)",
        ),
        (
            "an ID the account does not have",
            single(424_242),
            false,
            "store 424242 does not exist in ShipStation: choose an active store",
        ),
        (
            "an inactive store",
            single(10009),
            false,
            "store 10009 (Old Store) is inactive: choose an active store",
        ),
        (
            "one store per channel, Shopify's not chosen",
            without_shopify,
            false,
            "Shopify: no store chosen — its orders would be held",
        ),
    ];
    for (case, draft, ok, says) in cases {
        let results = wizard::check(&target, &draft)
            .await
            .expect("the checks run");
        let stores = results
            .iter()
            .find(|r| r.step == "stores")
            .expect("step 3 is checked");
        let text = format!("{} | {}", stores.message, stores.details.join(" | "));
        assert_eq!(stores.ok, ok, "{case}: step 3 says {text}");
        assert!(
            text.contains(says),
            "{case}: step 3 says {says:?}, got {text}"
        );
    }
}

#[tokio::test]
async fn a_warehouse_list_quipt_will_not_give_is_said_as_such_not_as_codes_to_change() {
    let world = World::new(0).await;
    let warehouses = "GET /v2/warehouses";
    world
        .sandbox
        .quipt
        .fail_route(warehouses, 0, 1_000, Some(403));
    let results = world.connector().check().await;
    let step = results
        .iter()
        .find(|r| r.step == "warehouses")
        .expect("the warehouses step is checked");
    assert!(
        !step.ok
            && step
                .message
                .contains("refused to let the API user read warehouses")
            && !step.message.contains("change the code"),
        "Quipt's failure is said, not a code to change in Quipt: {}",
        step.message
    );
}
