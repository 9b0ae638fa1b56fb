//! The demo account's Quipt half (SPEC §5): channels, warehouses and K orders, deterministic from a
//! seed; and the orders that arrive later, one at a time at the simulated now ([`NewOrders`]). The mix is what the connector must cope with: mostly Open, ~15 % Pending, a few Shipped and
//! Canceled; ~5 % in the warehouse that matches nothing in ShipStation; ~15 % without a requested
//! carrier; ~20 % requesting USPS; and, when K ≥ 20, one order of each malformed kind
//! ([`MALFORMED_NUMBERS`]).

use chrono::{DateTime, Duration, Utc};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use serde::Deserialize;

use super::records::*;
use crate::demo_data;

/// Order numbers of the malformed demo orders (present when at least 20 orders are seeded), each
/// Open in a matched warehouse so the engine must hold it: no ShipTo, unknown country `XX`, a
/// zero-quantity line, no lines, an HTML-entity name. The sixth malformed order has an order number
/// over 50 characters, [`LONG_ORDER_NUMBER`].
pub const MALFORMED_NUMBERS: [&str; 5] = [
    "Q-MAL-NO-SHIPTO",
    "Q-MAL-COUNTRY-XX",
    "Q-MAL-ZERO-QTY",
    "Q-MAL-NO-LINES",
    "Q-MAL-ENTITIES",
];

/// The over-long order number of one malformed demo order (60 characters).
pub const LONG_ORDER_NUMBER: &str = "Q-MAL-LONG-NUMBER-0123456789012345678901234567890123456789012";

const PRODUCTS: [(&str, &str, f64); 8] = [
    ("MUG-11OZ", "Ceramic Mug 11oz", 12.5),
    ("TEE-BLK-M", "T-Shirt Black M", 19.99),
    ("TEE-WHT-L", "T-Shirt White L", 19.99),
    ("CAP-NAVY", "Baseball Cap Navy", 15.0),
    ("BTL-750", "Steel Bottle 750ml", 24.0),
    ("SOCK-3PK", "Socks 3-Pack", 9.95),
    ("BAG-TOTE", "Canvas Tote Bag", 14.25),
    ("PEN-SET", "Gel Pen Set", 6.5),
];

const PEOPLE: [&str; 8] = [
    "Ada Lovelace",
    "Grace Hopper",
    "Alan Turing",
    "Katherine Johnson",
    "Linus Pauling",
    "Marie Curie",
    "Niels Bohr",
    "Rosalind Franklin",
];

const CITIES: [(&str, &str, &str); 6] = [
    ("Reno", "NV", "89501"),
    ("Columbus", "OH", "43215"),
    ("Austin", "TX", "73301"),
    ("Portland", "OR", "97201"),
    ("Denver", "CO", "80202"),
    ("Boston", "MA", "02108"),
];

const METHODS: [(&str, &str, &str, &str); 7] = [
    ("UPS_GROUND", "UPS Ground", "UPS", "UPS"),
    ("UPS_NEXT_DAY_AIR", "UPS Next Day Air", "UPS", "UPS"),
    ("FEDEX_GROUND", "FedEx Ground", "FEDEX", "FedEx"),
    ("FEDEX_2DAY", "FedEx 2Day", "FEDEX", "FedEx"),
    (
        "DHL_EXPRESS_WORLDWIDE",
        "DHL Express Worldwide",
        "DHL",
        "DHL",
    ),
    ("USPS_PRIORITY", "USPS Priority Mail", "USPS", "USPS"),
    (
        "USPS_GROUND_ADVANTAGE",
        "USPS Ground Advantage",
        "USPS",
        "USPS",
    ),
];

fn guid(rng: &mut StdRng) -> String {
    uuid::Builder::from_random_bytes(rng.random())
        .into_uuid()
        .to_string()
}

fn method(i: usize) -> SimCarrierMethod {
    let (code, name, carrier, carrier_name) = METHODS[i];
    SimCarrierMethod {
        code: Some(code.to_string()),
        name: Some(name.to_string()),
        carrier: Some(SimCarrier {
            code: Some(carrier.to_string()),
            name: Some(carrier_name.to_string()),
        }),
    }
}

fn us(s: &str) -> Option<String> {
    Some(s.to_string())
}

fn address(rng: &mut StdRng) -> SimAddress {
    let person = PEOPLE[rng.random_range(0..PEOPLE.len())];
    let (city, state, zip) = CITIES[rng.random_range(0..CITIES.len())];
    SimAddress {
        company: None,
        attention: us(person),
        phone_number: Some(format!("555-01{:02}", rng.random_range(0..100))),
        email_address: Some(format!(
            "{}@example.com",
            person.to_ascii_lowercase().replace(' ', ".")
        )),
        street_line1: Some(format!("{} Main St", rng.random_range(1..999))),
        street_line2: None,
        street_line3: None,
        city: us(city),
        state: us(state),
        postal_code: us(zip),
        country: Some(SimCountry {
            iso: us("US"),
            iso3: us("USA"),
            name: us("United States"),
        }),
    }
}

/// Line `i` (0-based) of a generated order: a random product, 1 to 3 units.
fn line(rng: &mut StdRng, i: usize) -> SimLine {
    let (sku, title, price) = PRODUCTS[rng.random_range(0..PRODUCTS.len())];
    let qty = rng.random_range(1..=3) as f64;
    SimLine {
        id: guid(rng),
        line_number: Some(i as i64 + 1),
        title: us(title),
        item: Some(SimItem {
            sku: us(sku),
            title: us(title),
        }),
        ordered: SimQuantity::each(qty),
        shipped: SimQuantity::each(0.0),
        canceled: SimQuantity::each(0.0),
        price: Some(SimMoney {
            units: 0,
            value: price,
        }),
        tax: Some(SimMoney {
            units: 0,
            value: (price * 0.08 * 100.0).round() / 100.0,
        }),
        sub_status: None,
        acknowledgements: Vec::new(),
    }
}

/// What `QuiptState::new_orders` makes: `count` well-formed orders, dated at the simulated now.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default)]
pub struct NewOrders {
    /// How many orders.
    pub count: usize,
    /// The channel's (partner's) `Code`; `None` takes the first channel.
    pub partner: Option<String>,
    /// The warehouse's `Code`; `None` takes the first warehouse.
    pub warehouse: Option<String>,
    /// Lines per order (each 1 to 3 units of a product), so labels can split it into packages.
    pub lines: usize,
    /// Order status: 4 Open (shipment ready) or 2 Pending (validating).
    pub status: i64,
}

impl Default for NewOrders {
    fn default() -> Self {
        Self {
            count: 1,
            partner: None,
            warehouse: None,
            lines: 1,
            status: STATUS_OPEN,
        }
    }
}

/// The `number`th order made for [`NewOrders`] (`Q-NEW-000001`, …): deterministic from its
/// number, with a US address, UPS Ground requested and `lines` lines, ordered and modified `at`.
pub fn new_order(
    number: u64,
    partner: SimPartner,
    warehouse: SimWarehouse,
    lines: usize,
    status: i64,
    at: DateTime<Utc>,
) -> SimOrder {
    let mut rng = StdRng::seed_from_u64(number);
    let ship_to = address(&mut rng);
    SimOrder {
        id: guid(&mut rng),
        order_number: format!("Q-NEW-{number:06}"),
        status,
        ordered_at: at,
        modified_at: at,
        partner_order_number: Some(format!("{}-{number:07}", partner.code)),
        partner: Some(partner),
        warehouse: Some(warehouse),
        bill_to: Some(ship_to.clone()),
        ship_to: Some(ship_to),
        requested_carrier_method: Some(method(0)),
        lines: (0..lines).map(|i| line(&mut rng, i)).collect(),
        shipments: Vec::new(),
        cancellations: Vec::new(),
        garbled: Vec::new(),
    }
}

/// Generates partners, warehouses and `count` orders from `seed`, with timestamps before `now`.
pub fn generate(
    seed: u64,
    count: usize,
    now: DateTime<Utc>,
) -> (Vec<SimPartner>, Vec<SimWarehouse>, Vec<SimOrder>) {
    let mut rng = StdRng::seed_from_u64(seed);
    let partners: Vec<SimPartner> = demo_data::CHANNELS
        .iter()
        .map(|(code, name)| SimPartner {
            id: guid(&mut rng),
            code: code.to_string(),
            name: name.to_string(),
        })
        .collect();
    let warehouses: Vec<SimWarehouse> = demo_data::QUIPT_WAREHOUSES
        .iter()
        .map(|(code, name)| SimWarehouse {
            id: guid(&mut rng),
            code: code.to_string(),
            display_name: name.to_string(),
        })
        .collect();

    let mut orders = Vec::with_capacity(count);
    for n in 0..count {
        let status_roll = rng.random_range(0..100);
        let status = match status_roll {
            0..15 => STATUS_PENDING,
            15..20 => STATUS_SHIPPED,
            20..24 => STATUS_CANCELED,
            _ => STATUS_OPEN,
        };
        let warehouse = if rng.random_range(0..100) < 5 {
            warehouses[2].clone()
        } else {
            warehouses[rng.random_range(0..2)].clone()
        };
        let partner = partners[rng.random_range(0..partners.len())].clone();
        let carrier_roll = rng.random_range(0..100);
        let requested = match carrier_roll {
            0..15 => None,
            15..35 => Some(method(5 + rng.random_range(0..2))),
            _ => Some(method(rng.random_range(0..5))),
        };
        let ship_to = address(&mut rng);
        let line_count = rng.random_range(1..=3);
        let lines: Vec<SimLine> = (0..line_count).map(|i| line(&mut rng, i)).collect();
        // Spread over the last days, oldest first; modified a few minutes after ordering.
        let ordered_at = now - Duration::minutes(((count - n) * 7) as i64 + 30);
        let mut order = SimOrder {
            id: guid(&mut rng),
            order_number: format!("Q{}", 100_001 + n),
            status,
            ordered_at,
            modified_at: ordered_at + Duration::minutes(rng.random_range(1..20)),
            partner_order_number: Some(format!(
                "{}-{:07}",
                partner.code,
                rng.random_range(0..10_000_000)
            )),
            partner: Some(partner),
            warehouse: Some(warehouse),
            bill_to: Some(ship_to.clone()),
            ship_to: Some(ship_to),
            requested_carrier_method: requested,
            lines,
            shipments: Vec::new(),
            cancellations: Vec::new(),
            garbled: Vec::new(),
        };
        if status == STATUS_SHIPPED {
            let lines = order
                .lines
                .iter_mut()
                .map(|l| {
                    l.shipped = l.ordered;
                    SimShipmentLine {
                        line_id: l.id.clone(),
                        quantity: l.ordered,
                    }
                })
                .collect();
            order.shipments.push(SimShipment {
                external_id: format!("demo-shipment-{n}"),
                ship_at: Some(order.modified_at),
                tracking_number: Some(format!("1Z999AA1{:010}", n)),
                carrier_method: order.requested_carrier_method.clone(),
                lines,
                voided: false,
            });
        } else if status == STATUS_CANCELED {
            for l in &mut order.lines {
                l.canceled = l.ordered;
            }
            order.cancellations.push(SimCancellation {
                kind: "Quantity".to_string(),
                reason: us("Buyer canceled"),
                external_id: None,
                at: Some(order.modified_at),
            });
        }
        orders.push(order);
    }

    if count >= 20 {
        malform(&mut orders, &warehouses);
    }
    (partners, warehouses, orders)
}

/// Turns six fixed orders into the malformed kinds, each Open in a matched warehouse.
fn malform(orders: &mut [SimOrder], warehouses: &[SimWarehouse]) {
    let picks = [3usize, 6, 9, 12, 15, 18];
    for (k, &i) in picks.iter().enumerate() {
        let o = &mut orders[i];
        o.status = STATUS_OPEN;
        o.warehouse = Some(warehouses[0].clone());
        for l in &mut o.lines {
            l.shipped.value = 0.0;
            l.canceled.value = 0.0;
        }
        o.shipments.clear();
        o.cancellations.clear();
        match k {
            0 => o.ship_to = None,
            1 => {
                if let Some(a) = o.ship_to.as_mut() {
                    a.country = Some(SimCountry {
                        iso: us("XX"),
                        iso3: None,
                        name: us("Atlantis"),
                    });
                }
            }
            2 => o.lines[0].ordered.value = 0.0,
            3 => o.lines.clear(),
            4 => {
                if let Some(a) = o.ship_to.as_mut() {
                    a.attention = us("Jos&eacute; O&#39;Brien");
                    a.company = us("Smith &amp; Sons");
                }
            }
            _ => {}
        }
        o.order_number = if k < MALFORMED_NUMBERS.len() {
            MALFORMED_NUMBERS[k].to_string()
        } else {
            LONG_ORDER_NUMBER.to_string()
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_orders() {
        let now = now_ms();
        let a = generate(7, 50, now).2;
        let b = generate(7, 50, now).2;
        assert_eq!(a, b, "demo data must be reproducible from its seed");
    }

    #[test]
    fn the_long_order_number_is_over_fifty_characters() {
        assert!(
            LONG_ORDER_NUMBER.len() > 50,
            "it must exceed ShipStation's 50-character limit"
        );
    }

    #[test]
    fn the_mix_has_every_kind_of_order() {
        let orders = generate(1, 200, now_ms()).2;
        let count = |f: &dyn Fn(&SimOrder) -> bool| orders.iter().filter(|o| f(o)).count();
        assert!(
            count(&|o| o.status == STATUS_PENDING) >= 10,
            "some orders are Pending"
        );
        assert!(
            count(&|o| o.status == STATUS_SHIPPED) >= 2,
            "a few are Shipped"
        );
        assert!(
            count(&|o| o.status == STATUS_CANCELED) >= 2,
            "a few are Canceled"
        );
        assert!(
            count(&|o| o.requested_carrier_method.is_none()) >= 10,
            "some lack a carrier"
        );
        let usps = count(&|o| {
            o.requested_carrier_method
                .as_ref()
                .and_then(|m| m.carrier.as_ref())
                .and_then(|c| c.code.as_deref())
                == Some("USPS")
        });
        assert!(usps >= 20, "about a fifth request USPS, got {usps}");
        let unmatched = count(&|o| o.warehouse.as_ref().map(|w| w.code.as_str()) == Some("55555"));
        assert!(
            unmatched >= 2,
            "some are in the unmatched warehouse, got {unmatched}"
        );
    }
}
