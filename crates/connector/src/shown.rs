//! Text from the servers as a terminal or a log file shows it: its control characters shown, not
//! obeyed. An order number or an error message is the server's to choose; on a terminal,
//! `ESC ]52;…` would rewrite the clipboard and `ESC [2J` clear the screen, and a newline would
//! forge a line of its own (a false "health: Ok" in a list).

use std::borrow::Cow;
use std::fmt::{self, Write as _};

/// The most characters of one field of an order a server names (its number, channel, warehouse
/// code) that the history, the logs and the screens keep, as the clients keep of their messages.
pub const FIELD_CHARS: usize = 300;

/// `text` cut to [`FIELD_CHARS`] characters, with `…` when something was cut: a megabyte "order
/// number" is held for its length, and need not fill the history and every later `status`.
pub fn field(text: &str) -> Cow<'_, str> {
    match text.char_indices().nth(FIELD_CHARS) {
        Some((end, _)) => Cow::Owned(format!("{}…", &text[..end])),
        None => Cow::Borrowed(text),
    }
}

/// `text` with each control character that `kept` refuses written by `escape`, borrowed when
/// there is none.
pub fn escape_controls<'a>(
    text: &'a str,
    kept: impl Fn(char) -> bool,
    escape: impl Fn(char, &mut String) -> fmt::Result,
) -> Cow<'a, str> {
    let shown = |c: char| c.is_control() && !kept(c);
    if !text.chars().any(shown) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if shown(c) {
            escape(c, &mut out).expect("writing to a String cannot fail");
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `text` with every control character but those `kept` shown as `cat -v` shows them: C0 and DEL
/// in caret notation (ESC is `^[`, a newline `^J`), C1 as U+FFFD.
pub fn caret(text: &str, kept: impl Fn(char) -> bool) -> Cow<'_, str> {
    escape_controls(text, kept, |c, out| match u8::try_from(u32::from(c)) {
        Ok(byte @ 0..=0x1f) => write!(out, "^{}", char::from(byte + 0x40)),
        Ok(0x7f) => out.write_str("^?"),
        _ => out.write_char(char::REPLACEMENT_CHARACTER),
    })
}

/// One line as a log writes it: every control character shown but tabs and the line's own final
/// newline.
pub fn log_line(text: &str) -> Cow<'_, str> {
    let (body, end) = match text.strip_suffix('\n') {
        Some(body) => (body, "\n"),
        None => (text, ""),
    };
    match caret(body, |c| c == '\t') {
        Cow::Borrowed(_) => Cow::Borrowed(text),
        Cow::Owned(shown) => Cow::Owned(shown + end),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[test]
    fn a_field_longer_than_kept_is_cut_and_says_so() {
        let long = "9".repeat(FIELD_CHARS + 10);
        let cut = field(&long);
        assert_eq!(cut.chars().count(), FIELD_CHARS + 1);
        assert!(cut.ends_with('…'));
        assert_eq!(field("Q-1001"), "Q-1001");
    }

    #[rstest]
    #[case::plain_text_is_kept("Q-1001 held: no store\n", "Q-1001 held: no store\n")]
    #[case::tabs_are_kept("a\tb\n", "a\tb\n")]
    #[case::an_osc_52_clipboard_write_is_shown("Q-\u{1b}]52;c;aGk=\u{7}\n", "Q-^[]52;c;aGk=^G\n")]
    #[case::a_newline_inside_is_shown("Q-1\nhealth: Ok\n", "Q-1^Jhealth: Ok\n")]
    #[case::a_c1_csi_is_replaced("\u{9b}2J", "\u{fffd}2J")]
    fn a_log_line_shows_control_characters_and_keeps_its_own_end(
        #[case] text: &str,
        #[case] shown: &str,
    ) {
        assert_eq!(log_line(text), shown);
    }
}
