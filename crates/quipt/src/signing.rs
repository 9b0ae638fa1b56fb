//! OAuth 1.0a (RFC 5849) signing with HMAC-SHA1: pure functions of their inputs (nonce and
//! timestamp are passed in), checked against the published test vectors. A leaf module: the client
//! signs every API call with it, the authorization flow signs its two steps, and [`crate::paths`]
//! encodes path segments with it so that what is sent is byte for byte what is signed.

use std::time::SystemTime;

use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use sha1::Sha1;
use url::Url;
use zeroize::Zeroizing;

use crate::credentials::ConsumerCredentials;

/// RFC 3986 unreserved characters stay; everything else becomes `%XX` (RFC 5849 §3.6).
const RFC3986: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes as RFC 5849 §3.6 requires (also used for query strings, so that what is sent
/// is byte for byte what is signed).
pub fn percent_encode(s: &str) -> String {
    utf8_percent_encode(s, RFC3986).to_string()
}

/// The signature base string (RFC 5849 §3.4.1): `METHOD&enc(base URI)&enc(sorted params)`.
/// `params` are the decoded query and `oauth_*` parameters; `oauth_signature` is ignored.
pub fn signature_base_string(method: &str, base_uri: &str, params: &[(String, String)]) -> String {
    let mut pairs: Vec<(String, String)> = params
        .iter()
        .filter(|(k, _)| k != "oauth_signature")
        .map(|(k, v)| (percent_encode(k), percent_encode(v)))
        .collect();
    pairs.sort();
    let normalized = pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    format!(
        "{}&{}&{}",
        method.to_ascii_uppercase(),
        percent_encode(base_uri),
        percent_encode(&normalized)
    )
}

/// HMAC-SHA1 over `base` with key `enc(consumer_secret)&enc(token_secret)`, base64-encoded.
pub fn hmac_sha1_signature(base: &str, consumer_secret: &str, token_secret: &str) -> String {
    let key = Zeroizing::new(format!(
        "{}&{}",
        percent_encode(consumer_secret),
        percent_encode(token_secret)
    ));
    let mut mac = Hmac::<Sha1>::new_from_slice(key.as_bytes()).expect("HMAC accepts any key");
    mac.update(base.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// The base string URI of `url` (RFC 5849 §3.4.1.2): scheme and host lowercase, default port
/// dropped, path kept, no query or fragment.
pub fn base_uri(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    match url.port() {
        Some(port) => format!("{}://{host}:{port}{}", url.scheme(), url.path()),
        None => format!("{}://{host}{}", url.scheme(), url.path()),
    }
}

/// Per-request values that make a signature unique.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Nonce {
    /// `oauth_nonce`.
    pub nonce: String,
    /// `oauth_timestamp` (seconds since the epoch).
    pub timestamp: u64,
}

impl Nonce {
    /// A random nonce and the time `now` (the client's [`Clock`](crate::Clock)).
    pub fn fresh(now: SystemTime) -> Self {
        let bytes: [u8; 16] = rand::random();
        let timestamp = now
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or_default();
        Self {
            nonce: bytes.iter().map(|b| format!("{b:02x}")).collect(),
            timestamp,
        }
    }
}

/// The `Authorization` header value for one request (pure).
///
/// `token` is `(token, token_secret)` when there is one; `extra` are additional `oauth_*`
/// parameters (`oauth_callback`, `oauth_verifier`). Query parameters of `url` are signed too.
pub fn authorization_header(
    method: &str,
    url: &Url,
    consumer: &ConsumerCredentials,
    token: Option<(&str, &str)>,
    extra: &[(&str, &str)],
    nonce: &Nonce,
) -> String {
    let mut oauth: Vec<(String, String)> = vec![
        ("oauth_consumer_key".into(), consumer.key.clone()),
        ("oauth_nonce".into(), nonce.nonce.clone()),
        ("oauth_signature_method".into(), "HMAC-SHA1".into()),
        ("oauth_timestamp".into(), nonce.timestamp.to_string()),
        ("oauth_version".into(), "1.0".into()),
    ];
    if let Some((t, _)) = token {
        oauth.push(("oauth_token".into(), t.to_string()));
    }
    oauth.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let mut params: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    params.extend(oauth.iter().cloned());
    let base = signature_base_string(method, &base_uri(url), &params);
    let signature = hmac_sha1_signature(&base, &consumer.secret, token.map_or("", |(_, s)| s));
    oauth.push(("oauth_signature".into(), signature));
    oauth.sort();
    let fields = oauth
        .iter()
        .map(|(k, v)| format!("{}=\"{}\"", percent_encode(k), percent_encode(v)))
        .collect::<Vec<_>>()
        .join(", ");
    format!("OAuth {fields}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(k: &str, v: &str) -> (String, String) {
        (k.into(), v.into())
    }

    #[test]
    fn the_oauth_core_test_vector_signs_to_the_published_signature() {
        // OAuth Core 1.0 Appendix A.5 (the photos.example.net example).
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
        let base = signature_base_string("GET", "http://photos.example.net/photos", &params);
        assert_eq!(
            base,
            "GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal",
            "the base string must match the spec's, byte for byte"
        );
        assert_eq!(
            hmac_sha1_signature(&base, "kd94hf93k423kf44", "pfkkdhi9sl3r4s00"),
            "tR3+Ty81lMeYAr/Fid0kMTYa/WM=",
            "the published signature"
        );
    }

    #[test]
    fn the_rfc5849_base_string_example_is_reproduced() {
        // RFC 5849 §3.4.1.1: query, body and oauth parameters, with repeated names and encodings.
        let params = vec![
            p("b5", "=%3D"),
            p("a3", "a"),
            p("c@", ""),
            p("a2", "r b"),
            p("oauth_consumer_key", "9djdj82h48djs9d2"),
            p("oauth_token", "kkk9d7dh3k39sjv7"),
            p("oauth_signature_method", "HMAC-SHA1"),
            p("oauth_timestamp", "137131201"),
            p("oauth_nonce", "7d8f3e4a"),
            p("c2", ""),
            p("a3", "2 q"),
        ];
        assert_eq!(
            signature_base_string("POST", "http://example.com/request", &params),
            "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7",
            "parameters are encoded, then sorted by name and value"
        );
    }

    #[test]
    fn the_base_uri_drops_default_ports_and_the_query() {
        let url = Url::parse("HTTP://Example.COM:80/r%20v/X?id=123").unwrap();
        assert_eq!(
            base_uri(&url),
            "http://example.com/r%20v/X",
            "RFC 5849 §3.4.1.2 example"
        );
        let url = Url::parse("https://www.example.net:8080/?q=1").unwrap();
        assert_eq!(
            base_uri(&url),
            "https://www.example.net:8080/",
            "a non-default port stays"
        );
    }

    #[test]
    fn the_header_signs_query_parameters_and_carries_no_secret() {
        let consumer = ConsumerCredentials {
            key: "ck".into(),
            secret: "cs-secret".into(),
        };
        let url = Url::parse("http://127.0.0.1:9/v2/x?orderStatus=2%2C4").unwrap();
        let nonce = Nonce {
            nonce: "n".into(),
            timestamp: 1,
        };
        let header = authorization_header(
            "GET",
            &url,
            &consumer,
            Some(("tok", "ts-secret")),
            &[],
            &nonce,
        );
        let params = vec![
            p("orderStatus", "2,4"),
            p("oauth_consumer_key", "ck"),
            p("oauth_nonce", "n"),
            p("oauth_signature_method", "HMAC-SHA1"),
            p("oauth_timestamp", "1"),
            p("oauth_version", "1.0"),
            p("oauth_token", "tok"),
        ];
        let expected = hmac_sha1_signature(
            &signature_base_string("GET", "http://127.0.0.1:9/v2/x", &params),
            "cs-secret",
            "ts-secret",
        );
        assert!(
            header.contains(&format!(
                "oauth_signature=\"{}\"",
                percent_encode(&expected)
            )),
            "the query parameter is part of the signature: {header}"
        );
        assert!(
            !header.contains("secret"),
            "no secret travels in the header"
        );
    }
}
