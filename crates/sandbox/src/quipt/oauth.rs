//! The simulator's side of OAuth 1.0a (RFC 5849, HMAC-SHA1): parsing the `Authorization: OAuth …`
//! header, rebuilding the signature base string from the request as received, and checking the
//! signature and timestamp. Written independently of the client's signer (`shared/api/quipt.md`,
//! "Authorization").

use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use sha1::Sha1;

/// How far a request's `oauth_timestamp` may be from the simulator's clock (contract choice: 5 min).
pub const TIMESTAMP_WINDOW_SECS: i64 = 300;

/// RFC 3986 unreserved characters stay as they are; everything else is `%XX`.
const ENCODE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// RFC 5849 §3.6 percent-encoding.
pub fn encode(s: &str) -> String {
    utf8_percent_encode(s, ENCODE).to_string()
}

/// The `oauth_*` parameters of a request's `Authorization` header, decoded.
#[derive(Debug, Clone, Default)]
pub struct OAuthHeader {
    /// Every parameter except `realm`, in header order, decoded.
    pub params: Vec<(String, String)>,
}

impl OAuthHeader {
    /// Parses `OAuth k="v", k2="v2"`; `None` when the header is not OAuth.
    pub fn parse(header: &str) -> Option<Self> {
        let rest = header.trim().strip_prefix("OAuth")?.trim_start();
        let mut params = Vec::new();
        for part in rest.split(',') {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            let (key, value) = part.split_once('=')?;
            let value = value.trim().trim_matches('"');
            let key = percent_decode_str(key.trim())
                .decode_utf8()
                .ok()?
                .into_owned();
            let value = percent_decode_str(value).decode_utf8().ok()?.into_owned();
            if key != "realm" {
                params.push((key, value));
            }
        }
        Some(Self { params })
    }

    /// The value of one parameter.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// The signature base string (RFC 5849 §3.4.1): method, base URI and the normalized parameters
/// (query + oauth, without `oauth_signature`), each percent-encoded, sorted by name then value.
pub fn base_string(method: &str, base_uri: &str, params: &[(String, String)]) -> String {
    let mut encoded: Vec<(String, String)> = params
        .iter()
        .filter(|(k, _)| k != "oauth_signature")
        .map(|(k, v)| (encode(k), encode(v)))
        .collect();
    encoded.sort();
    let normalized = encoded
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    format!(
        "{}&{}&{}",
        method.to_ascii_uppercase(),
        encode(base_uri),
        encode(&normalized)
    )
}

/// HMAC-SHA1 of `base` with key `consumer_secret&token_secret`, base64.
pub fn signature(base: &str, consumer_secret: &str, token_secret: &str) -> String {
    let key = format!("{}&{}", encode(consumer_secret), encode(token_secret));
    let mut mac = Hmac::<Sha1>::new_from_slice(key.as_bytes()).expect("HMAC takes any key length");
    mac.update(base.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// Why a signed request was refused; each becomes a 401 with a message naming it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// No `Authorization: OAuth` header.
    #[error("the request is not signed with OAuth 1.0a")]
    Missing,
    /// The method is not HMAC-SHA1.
    #[error("oauth_signature_method must be HMAC-SHA1")]
    Method,
    /// Consumer key unknown.
    #[error("unknown consumer key")]
    UnknownConsumer,
    /// Token unknown (or revoked).
    #[error("unknown or revoked token")]
    UnknownToken,
    /// Timestamp missing or outside the window.
    #[error("oauth_timestamp is missing or more than 5 minutes off")]
    Timestamp,
    /// Signature does not match.
    #[error("invalid signature")]
    Signature,
}

/// Checks one request: the header, the method, the timestamp window and the signature.
/// `query` are the decoded query parameters; `secrets` are the consumer and token secrets.
/// `now_secs` are the clocks the timestamp may be near: the real one (a client signs with its own
/// wall clock) and the simulated one (a client whose clock was moved with the simulator's); being
/// within 5 minutes of either is enough.
pub fn verify(
    header: &OAuthHeader,
    method: &str,
    base_uri: &str,
    query: &[(String, String)],
    consumer_secret: &str,
    token_secret: &str,
    now_secs: &[i64],
) -> Result<(), Refusal> {
    if header.get("oauth_signature_method") != Some("HMAC-SHA1") {
        return Err(Refusal::Method);
    }
    let ts: i64 = header
        .get("oauth_timestamp")
        .and_then(|t| t.parse().ok())
        .ok_or(Refusal::Timestamp)?;
    if !now_secs
        .iter()
        .any(|now| (now - ts).abs() <= TIMESTAMP_WINDOW_SECS)
    {
        return Err(Refusal::Timestamp);
    }
    let given = header.get("oauth_signature").ok_or(Refusal::Signature)?;
    let mut params: Vec<(String, String)> = query.to_vec();
    params.extend(header.params.iter().cloned());
    let expected = signature(
        &base_string(method, base_uri, &params),
        consumer_secret,
        token_secret,
    );
    // Equal length compare without early exit, so timing leaks nothing useful.
    let same = expected.len() == given.len()
        && expected
            .bytes()
            .zip(given.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    if same {
        Ok(())
    } else {
        Err(Refusal::Signature)
    }
}

/// A random token or secret (hex of 16 random bytes).
pub fn random_token() -> String {
    let bytes: [u8; 16] = rand::random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(k: &str, v: &str) -> (String, String) {
        (k.to_string(), v.to_string())
    }

    #[test]
    fn the_oauth_core_example_signature_is_reproduced() {
        // OAuth Core 1.0, Appendix A.5 (photos.example.net).
        let params = vec![
            p("file", "vacation.jpg"),
            p("size", "original"),
            p("oauth_consumer_key", "dpf43f3p2l4k3l03"),
            p("oauth_token", "nnch734d00sl2jdk"),
            p("oauth_signature_method", "HMAC-SHA1"),
            p("oauth_timestamp", "1191242096"),
            p("oauth_nonce", "kllo9940pd9333jh"),
            p("oauth_version", "1.0"),
        ];
        let base = base_string("GET", "http://photos.example.net/photos", &params);
        assert_eq!(
            signature(&base, "kd94hf93k423kf44", "pfkkdhi9sl3r4s00"),
            "tR3+Ty81lMeYAr/Fid0kMTYa/WM=",
            "the published test vector must verify, or no real client could sign for us"
        );
    }

    #[test]
    fn a_header_with_encoded_values_is_decoded() {
        let h =
            OAuthHeader::parse(r#"OAuth realm="x", oauth_signature="a%2Bb%3D", oauth_token="t""#)
                .unwrap();
        assert_eq!(
            h.get("oauth_signature"),
            Some("a+b="),
            "values are percent-decoded"
        );
        assert_eq!(h.get("realm"), None, "realm is not a signed parameter");
    }

    fn signed_header(timestamp: i64, consumer_secret: &str) -> OAuthHeader {
        let mut params = vec![
            p("oauth_consumer_key", "ck"),
            p("oauth_nonce", "n"),
            p("oauth_signature_method", "HMAC-SHA1"),
            p("oauth_timestamp", &timestamp.to_string()),
            p("oauth_token", "t"),
            p("oauth_version", "1.0"),
        ];
        let mut all = vec![p("page", "1")];
        all.extend(params.iter().cloned());
        let base = base_string("GET", "http://h/v2/x", &all);
        params.push(p(
            "oauth_signature",
            &signature(&base, consumer_secret, "ts"),
        ));
        OAuthHeader { params }
    }

    #[test]
    fn a_correct_signature_within_the_window_is_accepted_and_others_are_refused() {
        let query = [p("page", "1")];
        let check = |h: &OAuthHeader, now: i64| {
            verify(h, "GET", "http://h/v2/x", &query, "cs", "ts", &[now])
        };
        assert_eq!(
            check(&signed_header(1_000, "cs"), 1_100),
            Ok(()),
            "a good request passes"
        );
        assert_eq!(
            check(
                &signed_header(1_000, "cs"),
                1_000 + TIMESTAMP_WINDOW_SECS + 1
            ),
            Err(Refusal::Timestamp),
            "a timestamp more than 5 minutes off is refused"
        );
        assert_eq!(
            check(&signed_header(1_000, "wrong"), 1_000),
            Err(Refusal::Signature),
            "a signature made with another secret is refused"
        );
        let tampered = verify(
            &signed_header(1_000, "cs"),
            "GET",
            "http://h/v2/x",
            &[p("page", "2")],
            "cs",
            "ts",
            &[1_000],
        );
        assert_eq!(
            tampered,
            Err(Refusal::Signature),
            "query parameters are covered by the signature"
        );
    }

    #[test]
    fn a_timestamp_near_either_the_real_or_the_simulated_clock_is_accepted() {
        let query = [p("page", "1")];
        let signed = signed_header(1_000, "cs");
        let check =
            |clocks: &[i64]| verify(&signed, "GET", "http://h/v2/x", &query, "cs", "ts", clocks);
        let a_day = 86_400;
        assert_eq!(
            check(&[1_000 + a_day, 1_100]),
            Ok(()),
            "a client on the simulated clock passes while the real one is a day behind"
        );
        assert_eq!(
            check(&[1_100, 1_000 + a_day]),
            Ok(()),
            "a client on the real clock passes while the simulated one is a day ahead"
        );
        assert_eq!(
            check(&[1_000 + a_day, 1_000 + 2 * a_day]),
            Err(Refusal::Timestamp),
            "far from both it is refused"
        );
    }
}
