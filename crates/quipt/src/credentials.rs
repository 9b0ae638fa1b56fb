//! The OAuth credentials the client signs with. Each is wiped from memory when dropped (zeroized)
//! and shows `<redacted>` for its secret (and the access token for its token) in `Debug`, so a log
//! line or a panic message cannot carry it. Plain `String` fields keep them easy to build from the keyring; the wiping happens on drop.

use std::fmt;

use zeroize::Zeroize;

/// Defines a credential: a first half (`$public`), printed by `Debug` when `shown` (the consumer
/// key the application ships, a request token that goes into a URL) and `<redacted>` when
/// `hidden` (the access token, which with its secret acts as the API user), and a `secret` that
/// `Debug` never prints.
macro_rules! credential {
    (@shown shown) => { true };
    (@shown hidden) => { false };
    ($(#[$doc:meta])* $name:ident { $(#[$public_doc:meta])* $public:ident ($visibility:ident), $(#[$secret_doc:meta])* secret }) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq)]
        pub struct $name {
            $(#[$public_doc])*
            pub $public: String,
            $(#[$secret_doc])*
            pub secret: String,
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let public: &dyn fmt::Debug = if credential!(@shown $visibility) {
                    &self.$public
                } else {
                    &"<redacted>"
                };
                f.debug_struct(stringify!($name))
                    .field(stringify!($public), public)
                    .field("secret", &"<redacted>")
                    .finish()
            }
        }

        impl Drop for $name {
            fn drop(&mut self) {
                self.$public.zeroize();
                self.secret.zeroize();
            }
        }
    };
}

credential!(
    /// The application's (the connector's) OAuth consumer key and secret.
    ConsumerCredentials {
        /// Consumer key.
        key (shown),
        /// Consumer secret; never printed.
        secret
    }
);

credential!(
    /// The API user's access token and secret, the result of authorization.
    AccessToken {
        /// Token; never printed.
        token (hidden),
        /// Token secret; never printed.
        secret
    }
);

credential!(
    /// A temporary request token from [`Authorization::initiate`](crate::oauth::Authorization::initiate).
    RequestToken {
        /// Token (goes into the authorization URL).
        token (shown),
        /// Token secret; signs the exchange, never printed.
        secret
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_shows_a_secret_nor_the_access_token() {
        let consumer = ConsumerCredentials {
            key: "ck".into(),
            secret: "cs-secret".into(),
        };
        let token = AccessToken {
            token: "access-token-0123".into(),
            secret: "ts-secret".into(),
        };
        let request = RequestToken {
            token: "r".into(),
            secret: "rs-secret".into(),
        };
        let text = format!("{consumer:?} {token:?} {request:?}");
        for secret in ["cs-secret", "ts-secret", "rs-secret", "access-token"] {
            assert!(
                !text.contains(secret),
                "{secret} must not show in Debug output: {text}"
            );
        }
        assert!(
            text.contains(r#"key: "ck""#) && text.contains(r#"token: "r""#),
            "the consumer key the application ships and a request token stay readable: {text}"
        );
    }
}
