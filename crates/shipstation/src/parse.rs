//! The response parsers as pure functions of the body's bytes: exactly what the client runs on a
//! 2xx answer, exposed for the fuzz targets in `fuzz/` and for anyone holding a saved body.
//!
//! None of them panics on any input; a body that does not fit is an [`Error::Decode`] naming the
//! JSON path.

use serde::de::DeserializeOwned;

use crate::error::{Error, Result};
use crate::models::order::{BulkResult, Order};
use crate::models::page::{Page, WirePage};
use crate::models::{fulfillment::Fulfillment, shipment::Shipment};
use crate::text;

/// Decodes a body, keeping the JSON path of a mismatch (cut short: a path holds the server's
/// map keys).
pub(crate) fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|error| Error::Decode {
        path: text::bounded(&error.path().to_string()),
        problem: text::bounded(&error.into_inner().to_string()),
    })
}

/// `GET /orders`: one page of orders (`null` rows are skipped and counted, rows that do not read
/// set apart).
///
/// # Errors
/// [`Error::Decode`] when the body is not such a page.
pub fn parse_order_list(body: &[u8]) -> Result<Page<Order>> {
    Ok(decode::<WirePage>(body)?.read())
}

/// `POST /orders/createorders`: the bulk result, one entry per order sent.
///
/// # Errors
/// [`Error::Decode`] when the body is not a bulk result.
pub fn parse_bulk_result(body: &[u8]) -> Result<BulkResult> {
    decode(body)
}

/// `GET /orders/{orderId}` and `POST /orders/createorder`: one order.
///
/// # Errors
/// [`Error::Decode`] when the body is not an order.
pub fn parse_order(body: &[u8]) -> Result<Order> {
    decode(body)
}

/// `GET /shipments`: one page of shipments.
///
/// # Errors
/// [`Error::Decode`] when the body is not such a page.
pub fn parse_shipment_list(body: &[u8]) -> Result<Page<Shipment>> {
    Ok(decode::<WirePage>(body)?.read())
}

/// `GET /fulfillments`: one page of fulfilments.
///
/// # Errors
/// [`Error::Decode`] when the body is not such a page.
pub fn parse_fulfillment_list(body: &[u8]) -> Result<Page<Fulfillment>> {
    Ok(decode::<WirePage>(body)?.read())
}

/// The readable message of an error answer, as [`Error::Api`] carries it:
/// `Message` (+ `ExceptionMessage`), or `message`, or an HTML page by its title, or the start of
/// the text, or the status's reason phrase; never longer than a few hundred characters.
pub fn parse_error_message(body: &[u8], status: u16) -> String {
    if let Ok(serde_json::Value::Object(map)) = serde_json::from_slice::<serde_json::Value>(body) {
        let text = |key: &str| {
            map.get(key)
                .and_then(|v| v.as_str())
                .map(str::trim)
                .filter(|s| !s.is_empty())
        };
        let main = text("Message").or_else(|| text("message"));
        match (main, text("ExceptionMessage")) {
            (Some(main), Some(detail)) => return text::bounded(&format!("{main} {detail}")),
            (Some(one), None) | (None, Some(one)) => return text::bounded(one),
            (None, None) => {}
        }
    }
    let described = text::describe_body(body);
    if described.is_empty() {
        reqwest::StatusCode::from_u16(status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("no message")
            .to_owned()
    } else {
        described
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;

    #[test]
    fn a_page_with_null_rows_parses_and_garbage_is_a_decode_error() {
        let page = parse_order_list(br#"{"orders":[null],"total":1,"page":1,"pages":1}"#)
            .expect("a page with a null row parses");
        assert!(page.items.is_empty(), "the null row is skipped");
        assert!(
            matches!(parse_bulk_result(b"<html>"), Err(Error::Decode { .. })),
            "HTML is a decode error, not a panic"
        );
    }

    #[test]
    fn error_bodies_keep_the_apis_own_words() {
        let dotnet =
            br#"{"Message":"The request is invalid.","ExceptionMessage":"orderDate is required"}"#;
        assert_eq!(
            parse_error_message(dotnet, 400),
            "The request is invalid. orderDate is required",
            "both parts kept"
        );
        assert_eq!(
            parse_error_message(br#"{"message":"Too Many Requests"}"#, 429),
            "Too Many Requests",
            "lower-case key"
        );
        assert_eq!(
            parse_error_message(b"<html><title>Bad Gateway</title>oops</html>", 502),
            "an HTML page titled \"Bad Gateway\"",
            "an HTML page is named by its title"
        );
        assert_eq!(
            parse_error_message(b"plain words", 500),
            "plain words",
            "non-JSON text is kept"
        );
        let long = format!(r#"{{"Message":"{}"}}"#, "x".repeat(10_000));
        assert!(
            parse_error_message(long.as_bytes(), 400).chars().count() < 400,
            "a long message is cut short before it reaches the history"
        );
        assert_eq!(
            parse_error_message(b"", 503),
            "Service Unavailable",
            "empty body falls back to the reason phrase"
        );
    }
}
