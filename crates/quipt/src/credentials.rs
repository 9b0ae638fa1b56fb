//! The OAuth credentials the client signs with. Each is wiped from memory when dropped (zeroized)
//! and shows `<redacted>` for its secret in `Debug`, so a log line or a panic message cannot carry
//! it. Plain `String` fields keep them easy to build from the keyring; the wiping happens on drop.

use std::fmt;

use zeroize::Zeroize;

macro_rules! credential {
    ($(#[$doc:meta])* $name:ident { $(#[$public_doc:meta])* $public:ident, $(#[$secret_doc:meta])* secret }) => {
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
                f.debug_struct(stringify!($name))
                    .field(stringify!($public), &self.$public)
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
        key,
        /// Consumer secret; never printed.
        secret
    }
);

credential!(
    /// The API user's access token and secret, the result of authorization.
    AccessToken {
        /// Token.
        token,
        /// Token secret; never printed.
        secret
    }
);

credential!(
    /// A temporary request token from [`Authorization::initiate`](crate::oauth::Authorization::initiate).
    RequestToken {
        /// Token (goes into the authorization URL).
        token,
        /// Token secret; signs the exchange, never printed.
        secret
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_shows_a_secret() {
        let consumer = ConsumerCredentials {
            key: "ck".into(),
            secret: "cs-secret".into(),
        };
        let token = AccessToken {
            token: "t".into(),
            secret: "ts-secret".into(),
        };
        let request = RequestToken {
            token: "r".into(),
            secret: "rs-secret".into(),
        };
        let text = format!("{consumer:?} {token:?} {request:?}");
        for secret in ["cs-secret", "ts-secret", "rs-secret"] {
            assert!(
                !text.contains(secret),
                "{secret} must not show in Debug output: {text}"
            );
        }
        assert!(
            text.contains("ck") && text.contains("<redacted>"),
            "the public half stays readable: {text}"
        );
    }
}
