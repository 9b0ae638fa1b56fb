//! Step 6 of the guide, read back: whether Quipt shows an order as cancelled the way the cancel
//! modes leave it.

/// Quipt's line sub-status "Cancelled By Warehouse" (the soft cancel; shared/api/quipt.md).
pub const SOFT_CANCELLED: i64 = 95;

/// Whether the order is soft-cancelled in Quipt ("Cancelled By Warehouse"): the order stays Open,
/// and every line still to ship has sub-status 95. It then agrees with a cancelled ShipStation
/// order. An order with every line shipped (or cancelled) and none cancelled by the warehouse
/// is not: it was shipped another way, and a soft cancel of it never happened.
pub fn is_soft_cancelled(order: &quipt::Order) -> bool {
    let by_warehouse = |l: &quipt::Line| l.sub_status == Some(SOFT_CANCELLED);
    order.lines.iter().any(by_warehouse)
        && order
            .lines
            .iter()
            .all(|l| by_warehouse(l) || l.ordered.value <= l.shipped.value + l.canceled.value)
}

#[cfg(test)]
mod tests {
    use rstest::rstest;
    use serde_json::json;

    use super::*;

    fn order(lines: serde_json::Value) -> quipt::Order {
        serde_json::from_value(
            json!({"Id": "o", "OrderNumber": "Q-1", "Status": 4, "Lines": lines}),
        )
        .expect("a Quipt order")
    }

    fn line(sub_status: Option<i64>, ordered: f64, shipped: f64) -> serde_json::Value {
        json!({"Id": "l", "SubStatus": sub_status, "Ordered": {"Units": 0, "Value": ordered},
               "Shipped": {"Units": 0, "Value": shipped}})
    }

    #[rstest]
    #[case::every_line_cancelled_by_the_warehouse(vec![line(Some(95), 2.0, 0.0), line(Some(95), 1.0, 0.0)], true)]
    #[case::a_shipped_line_beside_a_cancelled_one(vec![line(Some(95), 2.0, 0.0), line(None, 1.0, 1.0)], true)]
    #[case::a_line_still_to_ship(vec![line(Some(95), 2.0, 0.0), line(None, 1.0, 0.0)], false)]
    #[case::on_hold_is_not_cancelled(vec![line(Some(80), 2.0, 0.0)], false)]
    #[case::every_line_shipped_another_way(vec![line(None, 2.0, 2.0), line(None, 1.0, 1.0)], false)]
    fn soft_cancels(#[case] lines: Vec<serde_json::Value>, #[case] expected: bool) {
        assert_eq!(
            is_soft_cancelled(&order(json!(lines))),
            expected,
            "{lines:?}"
        );
    }
}
