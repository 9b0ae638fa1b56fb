//! Which text never reaches a log line, the Logs view or a support bundle: every credential value
//! this process has seen, in every form an HTTP trace or an error message could show it.
//!
//! The engine never formats a secret on purpose (every credential is a
//! [`crate::credentials::Secret`] whose `Debug` is `<redacted>`); this is the second fence, for the
//! line nobody expected to carry one (a client's error echoing a request, a pasted value in a
//! message). What is known:
//!
//! - every value [`crate::credentials`] loads (environment, keyring, shipped consumer) or stores
//!   (an OAuth access token, keys the wizard accepted) is [`remember`]ed as it passes;
//! - the `QUIPT_*` / `SHIPSTATION_*` environment variables whose name says secret, token, key or
//!   password, and the OAuth consumer a release build ships with, from the start (so a line logged
//!   before the first credential is loaded is covered too).
//!
//! Each value is matched as written, percent-encoded (RFC 3986 as OAuth 1.0a signs it, upper and
//! lower hex, and form encoding), escaped as `Debug` and JSON write it, and ShipStation's key and
//! secret also as the `Authorization: Basic` value (`base64(key:secret)`). The values are held as
//! [`Zeroizing`] strings, wiped when the list is rebuilt or the process ends.

use std::collections::BTreeMap;
use std::sync::{Arc, PoisonError, RwLock};

use base64::Engine;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use zeroize::Zeroizing;

use crate::shipped_consumer;

/// What replaces a secret value.
pub const REDACTED: &str = "<redacted>";

/// Shorter values are not treated as secrets: replacing every `a` in a file would destroy it and
/// hide nothing.
pub const MIN_SECRET_LEN: usize = 4;

/// RFC 3986's unreserved characters stay, everything else is encoded (OAuth 1.0a, §3.6).
const RFC3986: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// `application/x-www-form-urlencoded` keeps `*-._` and writes a space as `+`.
const FORM: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'*')
    .remove(b'-')
    .remove(b'.')
    .remove(b'_');

/// What a remembered value is, as far as its forms go: ShipStation's key and secret are also
/// searched for as the Basic authorization of each key with each secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// A ShipStation API key.
    ShipStationKey,
    /// A ShipStation API secret.
    ShipStationSecret,
    /// Any other credential value.
    Other,
}

/// The values seen so far, by role, and the patterns built from them.
struct Known {
    values: BTreeMap<Role, Vec<Zeroizing<String>>>,
    patterns: Option<Arc<Patterns>>,
}

static KNOWN: RwLock<Known> = RwLock::new(Known {
    values: BTreeMap::new(),
    patterns: None,
});

/// Adds one credential value to what is redacted from now on, in this process. Values shorter
/// than [`MIN_SECRET_LEN`] are ignored.
pub fn remember(role: Role, value: &str) {
    if value.len() < MIN_SECRET_LEN {
        return;
    }
    let mut known = KNOWN.write().unwrap_or_else(PoisonError::into_inner);
    let values = known.values.entry(role).or_default();
    if values.iter().any(|v| v.as_str() == value) {
        return;
    }
    values.push(Zeroizing::new(value.to_string()));
    known.patterns = None;
}

/// Whether [`patterns`] can be had without waiting on a lock the calling thread may hold itself (a
/// panic while the list is rebuilt): tried for up to 100 ms, long enough for another thread's
/// rebuild to end.
pub fn patterns_ready() -> bool {
    (0..100).any(|_| {
        let free = KNOWN.try_read().is_ok();
        if !free {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        free
    })
}

/// Everything to redact right now: the values [`remember`]ed, the environment's secrets and the
/// shipped consumer, each in all its forms. Cheap to call per line: the list is rebuilt only after
/// a new value was remembered.
pub fn patterns() -> Arc<Patterns> {
    if let Some(patterns) = &KNOWN
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .patterns
    {
        return Arc::clone(patterns);
    }
    let mut known = KNOWN.write().unwrap_or_else(PoisonError::into_inner);
    let mut values = known.values.clone();
    values.entry(Role::Other).or_default().extend(
        environment_secrets()
            .into_iter()
            .chain(shipped_consumer::compiled_in().map(|s| Zeroizing::new(s.to_string()))),
    );
    let patterns = Arc::new(Patterns::build(&values));
    known.patterns = Some(Arc::clone(&patterns));
    patterns
}

/// The text forms of a set of credential values, longest first, each at least
/// [`MIN_SECRET_LEN`] long.
pub struct Patterns {
    forms: Vec<Zeroizing<String>>,
    values: usize,
}

impl std::fmt::Debug for Patterns {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Patterns({} values, {} forms)",
            self.values,
            self.forms.len()
        )
    }
}

impl Patterns {
    /// Every form of every value, plus the Basic authorization of each ShipStation key with each
    /// ShipStation secret.
    fn build(values: &BTreeMap<Role, Vec<Zeroizing<String>>>) -> Self {
        let mut plain: Vec<&Zeroizing<String>> = values
            .values()
            .flatten()
            .filter(|v| v.len() >= MIN_SECRET_LEN)
            .collect();
        plain.sort_by(|a, b| a.as_str().cmp(b.as_str()));
        plain.dedup_by(|a, b| a.as_str() == b.as_str());
        let mut forms: Vec<Zeroizing<String>> = plain.iter().flat_map(|v| forms_of(v)).collect();
        let of = |role| values.get(&role).map_or(&[][..], Vec::as_slice);
        let mut pairs = 0;
        for key in of(Role::ShipStationKey) {
            for secret in of(Role::ShipStationSecret) {
                forms.push(basic_authorization(key, secret));
                pairs += 1;
            }
        }
        Self::from_forms(forms, plain.len() + pairs)
    }

    /// These texts, standing for `values` credential values.
    fn from_forms(mut forms: Vec<Zeroizing<String>>, values: usize) -> Self {
        forms.retain(|f| f.len() >= MIN_SECRET_LEN);
        // Longest first, so a key that is a prefix of its secret does not leave the secret's tail.
        forms.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        forms.dedup();
        Self { forms, values }
    }

    /// How many distinct credential values (a ShipStation key and secret's Basic value counting as
    /// one) are searched for, each in all its forms.
    pub fn values(&self) -> usize {
        self.values
    }

    /// Whether nothing is searched for.
    pub fn is_empty(&self) -> bool {
        self.forms.is_empty()
    }

    /// `text` with every occurrence of every pattern replaced by [`REDACTED`], and how many were.
    pub fn redact(&self, text: &str) -> (String, usize) {
        let mut text = text.to_string();
        let mut replaced = 0;
        for pattern in &self.forms {
            let n = text.matches(pattern.as_str()).count();
            if n > 0 {
                replaced += n;
                text = text.replace(pattern.as_str(), REDACTED);
            }
        }
        (text, replaced)
    }
}

/// The ways one value can appear in text: as is, percent-encoded (RFC 3986 with upper- and
/// lower-case hex, and form encoding), and escaped the way `Debug` and JSON write a string.
pub fn forms_of(value: &str) -> Vec<Zeroizing<String>> {
    let strict = Zeroizing::new(utf8_percent_encode(value, RFC3986).to_string());
    let lower = Zeroizing::new(lowercase_hex(&strict));
    let form = Zeroizing::new(
        value
            .split(' ')
            .map(|part| utf8_percent_encode(part, FORM).to_string())
            .collect::<Vec<_>>()
            .join("+"),
    );
    let escaped = Zeroizing::new(value.escape_debug().to_string());
    vec![
        Zeroizing::new(value.to_string()),
        strict,
        lower,
        form,
        escaped,
    ]
}

/// ShipStation's `Authorization: Basic` value for a key and secret.
pub fn basic_authorization(key: &str, secret: &str) -> Zeroizing<String> {
    let pair = Zeroizing::new(format!("{key}:{secret}"));
    Zeroizing::new(base64::engine::general_purpose::STANDARD.encode(pair.as_bytes()))
}

/// `%2F` → `%2f`: some encoders write lower-case hex digits.
fn lowercase_hex(encoded: &str) -> String {
    let mut out = String::with_capacity(encoded.len());
    let mut digits_left = 0;
    for c in encoded.chars() {
        if c == '%' {
            digits_left = 2;
            out.push(c);
        } else if digits_left > 0 {
            digits_left -= 1;
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The values of `QUIPT_*` and `SHIPSTATION_*` environment variables that hold a credential: the
/// six of SPEC §3, and any other whose name says secret, token, key or password (a build variable
/// or a test's password left in the environment).
fn environment_secrets() -> Vec<Zeroizing<String>> {
    std::env::vars_os()
        .filter_map(|(name, value)| Some((name.into_string().ok()?, value.into_string().ok()?)))
        .filter(|(name, value)| {
            (name.starts_with("QUIPT_") || name.starts_with("SHIPSTATION_"))
                && !value.is_empty()
                && looks_secret(name)
        })
        .map(|(_, value)| Zeroizing::new(value))
        .collect()
}

/// Whether a setting or variable name says it holds a secret. `key` also matches store and
/// warehouse IDs' neighbours by accident; callers list their known non-secret names.
pub fn looks_secret(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    ["secret", "token", "key", "password", "passwd", "credential"]
        .iter()
        .any(|word| name.contains(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_not_ready_while_this_thread_rebuilds_it_and_ready_after() {
        let rebuilding = KNOWN.write().unwrap_or_else(PoisonError::into_inner);
        assert!(
            !patterns_ready(),
            "a panic hook on this thread would wait for ever on the lock"
        );
        drop(rebuilding);
        assert!(patterns_ready(), "once the rebuild ended, the hook logs");
    }

    fn patterns(values: &[&str]) -> Patterns {
        Patterns::from_forms(
            values.iter().flat_map(|v| forms_of(v)).collect(),
            values.len(),
        )
    }

    #[test]
    fn a_key_that_prefixes_its_secret_leaves_no_tail_of_the_secret() {
        let (text, n) = patterns(&["demo-consumer", "demo-consumer-secret"])
            .redact("key=demo-consumer secret=demo-consumer-secret");
        assert_eq!(text, "key=<redacted> secret=<redacted>");
        assert_eq!(n, 2, "both occurrences are counted");
    }

    #[test]
    fn values_too_short_to_be_credentials_are_left_alone() {
        let (text, n) = patterns(&["a", ""]).redact("a bag of apples");
        assert_eq!(
            text, "a bag of apples",
            "a one-letter value would destroy the file"
        );
        assert_eq!(n, 0);
    }

    #[test]
    fn a_secret_is_found_percent_encoded_as_oauth_signs_it_and_as_a_form_sends_it() {
        let secret = "s3cr/t+k3y=&x y";
        let p = patterns(&[secret]);
        for shown in [
            "oauth_token=\"s3cr%2Ft%2Bk3y%3D%26x%20y\"",
            "oauth_token=\"s3cr%2ft%2bk3y%3d%26x%20y\"",
            "token=s3cr%2Ft%2Bk3y%3D%26x+y&next=1",
            "{\"token\":\"s3cr/t+k3y=&x y\"}",
        ] {
            let (text, n) = p.redact(shown);
            assert_eq!(n, 1, "one occurrence in {shown}: {text}");
            assert!(
                !text.contains("k3y"),
                "no part of the secret is left: {text}"
            );
        }
    }

    #[test]
    fn a_secret_with_a_quote_is_found_as_debug_output_escapes_it() {
        let secret = r#"pa"ss\word"#;
        let (text, n) = patterns(&[secret]).redact(r#"Err(Api { body: "pa\"ss\\word" })"#);
        assert_eq!(n, 1, "{text}");
        assert_eq!(text, r#"Err(Api { body: "<redacted>" })"#);
    }

    #[test]
    fn shipstation_keys_are_found_as_the_basic_authorization_header() {
        let mut values = BTreeMap::new();
        values.insert(
            Role::ShipStationKey,
            vec![Zeroizing::new("demo-key".to_string())],
        );
        values.insert(
            Role::ShipStationSecret,
            vec![Zeroizing::new("demo-secret".to_string())],
        );
        let patterns = Patterns::build(&values);
        assert_eq!(
            patterns.values(),
            3,
            "the key, the secret and their Basic value"
        );
        let (text, n) = patterns.redact("Authorization: Basic ZGVtby1rZXk6ZGVtby1zZWNyZXQ=");
        assert_eq!(text, "Authorization: Basic <redacted>");
        assert_eq!(n, 1);
    }

    #[test]
    fn a_remembered_value_is_redacted_from_then_on() {
        let value = format!("remembered-{}", std::process::id());
        assert_eq!(super::patterns().redact(&value).1, 0, "not known yet");
        remember(Role::Other, &value);
        let (text, n) = super::patterns().redact(&format!("token secret {value}"));
        assert_eq!((text.as_str(), n), ("token secret <redacted>", 1));
    }

    #[test]
    fn patterns_never_show_their_values_in_debug_output() {
        let p = patterns(&["hunter2-secret"]);
        assert!(!format!("{p:?}").contains("hunter2"));
    }
}
