//! The response parsers as pure functions of the body's bytes: exactly what the client runs on a
//! 2xx answer, exposed for the fuzz targets in `fuzz/` and for anyone holding a saved body.
//!
//! None of them panics on any input; a body that does not fit is an [`Error::Decode`](crate::Error::Decode) naming the
//! JSON path.

use crate::client::decode;
use crate::error::Result;
use crate::models::page::{Page, WirePage};
use crate::{BulkResult, Fulfillment, Order, Shipment};

/// `GET /orders`: one page of orders (`null` rows are skipped and counted).
///
/// # Errors
/// [`Error::Decode`](crate::Error::Decode) when the body is not such a page.
pub fn parse_order_list(body: &[u8]) -> Result<Page<Order>> {
    Ok(decode::<WirePage<Order>>(body)?.into())
}

/// `POST /orders/createorders`: the bulk result, one entry per order sent.
///
/// # Errors
/// [`Error::Decode`](crate::Error::Decode) when the body is not a bulk result.
pub fn parse_bulk_result(body: &[u8]) -> Result<BulkResult> {
    decode(body)
}

/// `GET /orders/{orderId}` and `POST /orders/createorder`: one order.
///
/// # Errors
/// [`Error::Decode`](crate::Error::Decode) when the body is not an order.
pub fn parse_order(body: &[u8]) -> Result<Order> {
    decode(body)
}

/// `GET /shipments`: one page of shipments.
///
/// # Errors
/// [`Error::Decode`](crate::Error::Decode) when the body is not such a page.
pub fn parse_shipment_list(body: &[u8]) -> Result<Page<Shipment>> {
    Ok(decode::<WirePage<Shipment>>(body)?.into())
}

/// `GET /fulfillments`: one page of fulfilments.
///
/// # Errors
/// [`Error::Decode`](crate::Error::Decode) when the body is not such a page.
pub fn parse_fulfillment_list(body: &[u8]) -> Result<Page<Fulfillment>> {
    Ok(decode::<WirePage<Fulfillment>>(body)?.into())
}

/// The readable message of an error answer (`Message` / `ExceptionMessage`, or the start of the
/// text), as [`Error::Api`](crate::Error::Api) carries it.
pub fn parse_error_message(body: &[u8], status: u16) -> String {
    crate::client::api_message(body, status)
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
}
