//! The demo account shared by both simulators (SPEC §5): credentials, channels, warehouses, stores and
//! carriers. The two simulators seed their own halves from these constants, so that the demo Quipt
//! warehouse codes really equal the demo ShipStation warehouse IDs.

/// Orders seeded by default (`quipt-shipstation sandbox --orders K`).
pub const DEFAULT_ORDER_COUNT: usize = 200;

/// The connector's OAuth consumer key in the sandbox.
pub const QUIPT_CONSUMER_KEY: &str = "demo-consumer";
/// The connector's OAuth consumer secret in the sandbox.
pub const QUIPT_CONSUMER_SECRET: &str = "demo-consumer-secret";
/// A pre-authorized access token of the demo API user.
pub const QUIPT_ACCESS_TOKEN: &str = "demo-token";
/// The secret of [`QUIPT_ACCESS_TOKEN`].
pub const QUIPT_ACCESS_TOKEN_SECRET: &str = "demo-token-secret";
/// Login of the demo API user on the sandbox's authorization page.
pub const QUIPT_API_USER_EMAIL: &str = "demo-api@example.com";
/// Password of the demo API user on the sandbox's authorization page.
pub const QUIPT_API_USER_PASSWORD: &str = "demo-password";
/// ShipStation v1 API key of the demo account.
pub const SHIPSTATION_API_KEY: &str = "demo-key";
/// ShipStation v1 API secret of the demo account.
pub const SHIPSTATION_API_SECRET: &str = "demo-secret";

/// The six credential values of the demo accounts (SPEC §3's six variables), for the tests that
/// prove none of them is written anywhere.
pub const CREDENTIALS: [&str; 6] = [
    QUIPT_CONSUMER_KEY,
    QUIPT_CONSUMER_SECRET,
    QUIPT_ACCESS_TOKEN,
    QUIPT_ACCESS_TOKEN_SECRET,
    SHIPSTATION_API_KEY,
    SHIPSTATION_API_SECRET,
];

/// The demo accounts as SPEC §3's six credential variables, name and value, for the tests that
/// give them to the CLI or the app through the environment.
pub const CREDENTIAL_VARIABLES: [(&str, &str); 6] = [
    ("QUIPT_CONSUMER_KEY", QUIPT_CONSUMER_KEY),
    ("QUIPT_CONSUMER_SECRET", QUIPT_CONSUMER_SECRET),
    ("QUIPT_ACCESS_TOKEN", QUIPT_ACCESS_TOKEN),
    ("QUIPT_ACCESS_TOKEN_SECRET", QUIPT_ACCESS_TOKEN_SECRET),
    ("SHIPSTATION_API_KEY", SHIPSTATION_API_KEY),
    ("SHIPSTATION_API_SECRET", SHIPSTATION_API_SECRET),
];

/// Quipt channels ("partners"): code and name.
pub const CHANNELS: [(&str, &str); 3] = [("AMZ", "Amazon"), ("EBAY", "eBay"), ("SHOP", "Shopify")];

/// Quipt warehouses: code and display name. The first two codes equal ShipStation warehouse IDs in
/// [`SHIPSTATION_WAREHOUSES`]; the third matches nothing, so its orders are held.
pub const QUIPT_WAREHOUSES: [(&str, &str); 3] = [
    ("98765", "Reno DC"),
    ("98766", "Columbus DC"),
    ("55555", "Overflow (not in ShipStation)"),
];

/// ShipStation warehouses (Ship From Locations): warehouseId and name.
pub const SHIPSTATION_WAREHOUSES: [(i64, &str); 2] = [(98765, "Reno DC"), (98766, "Columbus DC")];

/// ShipStation stores: storeId, name, active. One manual store per channel, one store for the
/// single-store mode, and an inactive one that the connector must not offer.
pub const SHIPSTATION_STORES: [(i64, &str, bool); 5] = [
    (10000, "Quipt Orders", true),
    (10001, "Amazon Store", true),
    (10002, "eBay Store", true),
    (10003, "Shopify Store", true),
    (10009, "Old Store", false),
];

/// ShipStation carriers connected to the demo account: carrierCode, name, and its services
/// (serviceCode, name).
#[allow(clippy::type_complexity)] // a literal table; a type alias would hide its shape
pub const SHIPSTATION_CARRIERS: [(&str, &str, &[(&str, &str)]); 4] = [
    (
        "ups",
        "UPS",
        &[
            ("ups_ground", "UPS® Ground"),
            ("ups_next_day_air", "UPS Next Day Air®"),
        ],
    ),
    (
        "fedex",
        "FedEx",
        &[
            ("fedex_ground", "FedEx Ground®"),
            ("fedex_2day", "FedEx 2Day®"),
        ],
    ),
    (
        "stamps_com",
        "USPS",
        &[
            ("usps_ground_advantage", "USPS Ground Advantage"),
            ("usps_priority_mail", "USPS Priority Mail"),
        ],
    ),
    (
        "dhl_express_worldwide",
        "DHL Express",
        &[("dhl_express_worldwide", "DHL Express Worldwide")],
    ),
];
