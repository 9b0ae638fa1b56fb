//! Human text versus `--json`, and how an error reads, in one place.

use serde::Serialize;

/// Prints `value` as pretty JSON on stdout.
pub fn json<T: Serialize>(value: &T) {
    println!(
        "{}",
        serde_json::to_string_pretty(value).expect("engine types serialize")
    );
}

/// The error and its causes joined with `: `, each cause once. Many errors already include their
/// source in their own message (the keyring's "no keyring available (…)" wraps a platform failure
/// that wraps a D-Bus error); printing the whole chain as well would repeat the same D-Bus
/// sentence three times. A cause whose text is already in the message is left out.
pub fn error_message(error: &anyhow::Error) -> String {
    let mut message = String::new();
    for cause in error.chain() {
        let text = cause.to_string();
        if message.contains(&text) {
            continue;
        }
        if !message.is_empty() {
            message.push_str(": ");
        }
        message.push_str(&text);
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Layer {
        text: String,
        source: Option<Box<Layer>>,
    }

    impl std::fmt::Display for Layer {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(&self.text)
        }
    }

    impl std::error::Error for Layer {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            self.source.as_deref().map(|s| s as _)
        }
    }

    fn chain(texts: &[&str]) -> anyhow::Error {
        let mut error = None;
        for text in texts.iter().rev() {
            error = Some(Layer {
                text: (*text).to_string(),
                source: error.map(Box::new),
            });
        }
        anyhow::Error::new(error.expect("at least one layer"))
    }

    #[test]
    fn a_cause_the_message_already_tells_is_printed_once() {
        let dbus = "zbus error: Failed to connect to address `unix:path=/run/user/0/bus`";
        let platform = format!("Platform failure: {dbus}");
        let storage = format!("Couldn't access platform storage: {platform}");
        let top = format!("no keyring available ({storage}); install gnome-keyring");
        let message = error_message(&chain(&[&top, &storage, &platform, dbus]));
        assert_eq!(message, top, "the D-Bus cause appears once");
    }

    #[test]
    fn causes_the_message_does_not_tell_are_kept_in_order() {
        let message = error_message(&chain(&[
            "writing the diagnostics bundle out.zip",
            "write out.zip: Permission denied (os error 13)",
        ]));
        assert_eq!(
            message,
            "writing the diagnostics bundle out.zip: write out.zip: Permission denied (os error 13)"
        );
    }
}
