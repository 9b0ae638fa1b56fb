//! Bounds on text that comes from the server: everything ShipStation says ends up in an error message,
//! and from there in the history database, the log files and the UI, so it is cut short first.

/// The longest server-provided text kept in one error (a message, a header value, a JSON path).
pub(crate) const MAX_TEXT_CHARS: usize = 300;

/// `text` cut to [`MAX_TEXT_CHARS`] characters, with `…` when something was cut.
pub(crate) fn bounded(text: &str) -> String {
    match text.char_indices().nth(MAX_TEXT_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_string(),
    }
}

/// A body that is not the JSON the contract describes, in words: an HTML page by its title (what a
/// proxy or a gateway error shows), anything else by its first characters.
pub(crate) fn describe_body(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if !text.starts_with('<') {
        return bounded(text);
    }
    let lower = text.to_ascii_lowercase();
    let title = lower
        .find("<title>")
        .map(|start| start + "<title>".len())
        .and_then(|start| Some((start, start + lower[start..].find("</title>")?)))
        .map(|(start, end)| text[start..end].trim())
        .filter(|title| !title.is_empty());
    match title {
        Some(title) => format!("an HTML page titled \"{}\"", bounded(title)),
        None => "an HTML page".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_html_error_page_is_named_by_its_title() {
        assert_eq!(
            describe_body(
                b"<!DOCTYPE html><html><head><TITLE> 502 Bad Gateway </TITLE></head></html>"
            ),
            "an HTML page titled \"502 Bad Gateway\"",
            "a gateway's page reads as what it is"
        );
        assert_eq!(describe_body(b"<html>"), "an HTML page", "no title");
        assert_eq!(describe_body(b" oops "), "oops", "plain text is kept");
    }

    #[test]
    fn long_text_is_cut_on_a_character_boundary_and_short_text_is_kept() {
        let long = "é".repeat(MAX_TEXT_CHARS + 50);
        let cut = bounded(&long);
        assert_eq!(
            cut.chars().count(),
            MAX_TEXT_CHARS + 1,
            "the limit plus the ellipsis"
        );
        assert!(cut.ends_with('…'), "a cut is marked");
        assert_eq!(bounded("short"), "short", "short text is unchanged");
    }
}
