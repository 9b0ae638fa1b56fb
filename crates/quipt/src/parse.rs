//! The response parsers as pure functions of the body's bytes: exactly what the client and the
//! OAuth flow run on an answer, exposed for the fuzz targets in `fuzz/` and for anyone holding a
//! saved body. None of them panics on any input.

use crate::credentials::{AccessToken, RequestToken};
use crate::envelope::{self, Envelope, Page};
use crate::error::{Error, OAuthStep};
use crate::message::Message;
use crate::models::Order;

/// The envelope of a 2xx answer, refused when it says `Success: false` (as the client does).
fn successful<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<Envelope<T>, Error> {
    let envelope: Envelope<T> = envelope::decode(body)?;
    if !envelope.success {
        return Err(Error::Api {
            status: 200,
            messages: envelope.messages,
        });
    }
    Ok(envelope)
}

/// `GET /orders/fulfillment/{pageSize}/{pageNumber}`: one page of orders in its envelope.
///
/// # Errors
/// `Decode` for a body that is not an envelope of orders; `Api` for `Success: false`.
pub fn parse_order_page(body: &[u8]) -> Result<Page<Order>, Error> {
    let envelope = successful::<Vec<Order>>(body)?;
    let paging = envelope.paging.unwrap_or_default();
    Ok(Page {
        items: envelope.result.unwrap_or_default(),
        page_number: paging.page_number,
        total: paging.total,
        has_more_records: paging.has_more_records,
    })
}

/// `GET /orders/fulfillment/id/{id}`: one order in its envelope.
///
/// # Errors
/// `Decode`, `Api` for `Success: false`, `NoResult` for an envelope without a result.
pub fn parse_order(body: &[u8]) -> Result<Order, Error> {
    successful::<Order>(body)?.result.ok_or(Error::NoResult {
        endpoint: "GET /orders/fulfillment/id/{id}".into(),
    })
}

/// The messages of an error answer, as far as they can be read.
pub fn parse_error_messages(body: &[u8]) -> Vec<Message> {
    envelope::error_messages(body)
}

/// A form-encoded OAuth answer (`oauth_token=…&oauth_token_secret=…`) as its pairs.
///
/// # Errors
/// `OAuth` when the body holds no pair.
pub fn parse_form(body: &[u8], step: OAuthStep) -> Result<Vec<(String, String)>, Error> {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(body).into_owned().collect();
    if pairs.is_empty() {
        return Err(Error::OAuth {
            step,
            problem: "the answer is not form-encoded".to_string(),
        });
    }
    Ok(pairs)
}

/// The value of `key` among form or query pairs.
pub(crate) fn form_value(pairs: &[(String, String)], key: &str) -> Option<String> {
    pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
}

/// The request token of `POST /oauth/initiate`'s pairs; Quipt must confirm the callback.
pub(crate) fn request_token_from(pairs: &[(String, String)]) -> Result<RequestToken, Error> {
    let problem = |what: &str| Error::OAuth {
        step: OAuthStep::Initiate,
        problem: what.into(),
    };
    if form_value(pairs, "oauth_callback_confirmed").as_deref() != Some("true") {
        return Err(problem("Quipt did not confirm the callback"));
    }
    Ok(RequestToken {
        token: form_value(pairs, "oauth_token").ok_or_else(|| problem("no oauth_token"))?,
        secret: form_value(pairs, "oauth_token_secret")
            .ok_or_else(|| problem("no oauth_token_secret"))?,
    })
}

/// The access token of `POST /oauth/token`'s pairs.
pub(crate) fn access_token_from(pairs: &[(String, String)]) -> Result<AccessToken, Error> {
    let problem = |what: &str| Error::OAuth {
        step: OAuthStep::Exchange,
        problem: what.into(),
    };
    Ok(AccessToken {
        token: form_value(pairs, "oauth_token").ok_or_else(|| problem("no oauth_token"))?,
        secret: form_value(pairs, "oauth_token_secret")
            .ok_or_else(|| problem("no oauth_token_secret"))?,
    })
}

/// `POST /oauth/initiate`'s body: the request token.
///
/// # Errors
/// `OAuth` when the body is not form-encoded, lacks a token, or does not confirm the callback.
pub fn parse_request_token(body: &[u8]) -> Result<RequestToken, Error> {
    request_token_from(&parse_form(body, OAuthStep::Initiate)?)
}

/// `POST /oauth/token`'s body: the access token.
///
/// # Errors
/// `OAuth` when the body is not form-encoded or lacks a token.
pub fn parse_access_token(body: &[u8]) -> Result<AccessToken, Error> {
    access_token_from(&parse_form(body, OAuthStep::Exchange)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_access_token_answer_parses_and_html_is_refused_with_the_step() {
        let token = parse_access_token(b"oauth_token=t1&oauth_token_secret=s%2F1").unwrap();
        assert_eq!(
            (token.token.as_str(), token.secret.as_str()),
            ("t1", "s/1"),
            "form values are percent-decoded"
        );
        assert!(
            matches!(
                parse_request_token(b"oauth_token=t1&oauth_token_secret=s1"),
                Err(Error::OAuth {
                    step: OAuthStep::Initiate,
                    ..
                })
            ),
            "an unconfirmed callback is refused"
        );
        assert!(
            parse_order_page(b"<html>").is_err(),
            "HTML is an error, not a panic"
        );
    }
}
