//! The history's order list as CSV (the desktop app's "Export CSV"), with the same columns as
//! `quipt-shipstation history --csv`, so a spreadsheet built on one works with the other.

use crate::store::orders::OrderRow;

/// The header line.
pub const CSV_HEADER: &str =
    "order_number,quipt_id,state,reason,shipstation_order_id,channel,warehouse,updated_at";

/// The rows as CSV text (header first, `\n` line ends, fields quoted when they need it).
pub fn orders_csv(orders: &[OrderRow]) -> String {
    let mut out = String::from(CSV_HEADER);
    out.push('\n');
    for o in orders {
        let fields = [
            o.order_number.clone(),
            o.quipt_id.clone(),
            o.state.as_str().to_string(),
            o.reason.clone().unwrap_or_default(),
            o.ss_order_id.map(|i| i.to_string()).unwrap_or_default(),
            o.channel.clone().unwrap_or_default(),
            o.warehouse_code.clone().unwrap_or_default(),
            o.updated_at.clone(),
        ];
        let line: Vec<String> = fields.iter().map(|f| field(f)).collect();
        out.push_str(&line.join(","));
        out.push('\n');
    }
    out
}

fn field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_with_a_comma_stays_one_field() {
        assert_eq!(
            field("held, no store"),
            "\"held, no store\"",
            "commas must be quoted"
        );
        assert_eq!(
            field("say \"hi\""),
            "\"say \"\"hi\"\"\"",
            "quotes must be doubled"
        );
        assert_eq!(field("plain"), "plain");
    }
}
