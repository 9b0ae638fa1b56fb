//! Human text versus `--json`, and how an error reads, in one place.
//!
//! Text from Quipt and ShipStation (order numbers, their error messages, timeline entries quoting
//! them) reaches the operator's terminal through here, so none of its control characters reaches
//! the terminal as such: `ESC ]52;…` would rewrite the clipboard, `ESC [2J` clear the screen.
//! Human text goes through [`say!`] ([`visible`]), JSON through [`json`].

use std::borrow::Cow;
use std::fmt::{self, Write as _};

use connector::shown;

use serde::Serialize;

/// Prints `value` as pretty JSON on stdout. serde_json writes the C0 controls as `\u00XX` (ESC is
/// `\u001b`), but DEL and the C1 controls (U+0080–U+009F; U+009B is a CSI to terminals that take
/// C1 in UTF-8) as they are. Outside strings JSON has none, and in a string `\u00XX` is the same
/// character, so they are written that way: the value read back is unchanged.
pub fn json<T: Serialize>(value: &T) {
    let text = serde_json::to_string_pretty(value).expect("engine types serialize");
    print_line(&json_text(&text));
}

/// JSON `text` with its control characters escaped (see [`json`]).
fn json_text(text: &str) -> Cow<'_, str> {
    shown::escape_controls(text, layout, |c, out| {
        write!(out, "\\u{:04x}", u32::from(c))
    })
}

/// `println!` for human text: the line is printed by [`line()`], its control characters shown.
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::output::line(format_args!($($arg)*))
    };
}
pub(crate) use say;

/// Prints one line of human text on stdout, with its control characters shown, not obeyed, its
/// newlines too: each line of output is one `say!`, so a newline in a server's text (an order
/// number) cannot forge a line of its own, such as a false "health: Ok" in the attention list.
pub fn line(text: fmt::Arguments<'_>) {
    print_line(&shown::caret(&text.to_string(), |c| c == '\t'));
}

/// Writes one line on stdout. A reader that stopped early (`history | head -1`) ends nothing:
/// the rest of the output is dropped, and the command goes on to its own end and exit code (a
/// `sync | grep -q` still says whether the run needs the operator; the daemon, its output piped
/// to a logger that went away, goes on syncing). `println!` would panic, logged as a bug. Any
/// other failure to write (a full disk under a redirection) is said once on stderr.
fn print_line(text: &str) {
    use std::io::Write as _;
    use std::sync::atomic::{AtomicBool, Ordering};
    static CLOSED: AtomicBool = AtomicBool::new(false);
    if CLOSED.load(Ordering::Relaxed) {
        return;
    }
    let mut out = std::io::stdout().lock();
    if let Err(e) = writeln!(out, "{text}").and_then(|()| out.flush()) {
        CLOSED.store(true, Ordering::Relaxed);
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: could not write the output: {e}");
        }
    }
}

/// `text` with every control character but the layout's newline and tab shown instead of obeyed:
/// C0 and DEL in caret notation as `cat -v` shows them (ESC is `^[`), C1 as U+FFFD.
pub fn visible(text: &str) -> Cow<'_, str> {
    shown::caret(text, layout)
}

/// The control characters of a text's own layout: newline and tab.
fn layout(c: char) -> bool {
    c == '\n' || c == '\t'
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
    use rstest::rstest;

    #[rstest]
    #[case::plain_text_is_kept("Q-1001 held: no store", "Q-1001 held: no store")]
    #[case::the_layouts_newline_and_tab_are_kept("a\tb\nc", "a\tb\nc")]
    #[case::an_osc_52_clipboard_write_is_shown("Q-\u{1b}]52;c;aGk=\u{7}", "Q-^[]52;c;aGk=^G")]
    #[case::a_screen_clear_is_shown("\u{1b}[2J", "^[[2J")]
    #[case::a_carriage_return_is_shown("paid\rrefunded", "paid^Mrefunded")]
    #[case::del_is_shown("a\u{7f}b", "a^?b")]
    #[case::a_c1_csi_is_replaced("\u{9b}2J", "\u{fffd}2J")]
    #[case::other_text_is_kept("Café — 東京", "Café — 東京")]
    fn control_characters_are_shown_not_obeyed(#[case] text: &str, #[case] shown: &str) {
        assert_eq!(visible(text), shown);
    }

    #[test]
    fn json_writes_every_control_character_escaped_and_reads_back_the_same() {
        let value = serde_json::json!({"orderNumber": "Q-\u{1b}]52;c;aGk=\u{7}\u{9b}2J\u{7f}"});
        let text = serde_json::to_string_pretty(&value).unwrap();
        let escaped = json_text(&text);
        assert!(
            !escaped.chars().any(|c| c.is_control() && c != '\n'),
            "no control character reaches the terminal: {escaped:?}"
        );
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&escaped).unwrap(),
            value,
            "the JSON reads back as the same value"
        );
    }

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
