//! Quoting input in messages: at most a fixed number of characters, so a
//! 200 MB line is never echoed whole.

/// Most characters of input any message quotes.
pub const EXCERPT_CHARS: usize = 80;

/// `text` cut to at most `max_chars` characters, ending in `…` when cut
/// (the `…` counts as one of them). Control characters become `?` so an
/// excerpt cannot break a log line.
///
/// ```
/// use tailor_schemas::excerpt;
///
/// assert_eq!(excerpt("abc", 80), "abc");
/// assert_eq!(excerpt("abcdef", 4), "abc…");
/// assert_eq!(excerpt(&"x".repeat(1000), 80).chars().count(), 80);
/// ```
pub fn excerpt(text: &str, max_chars: usize) -> String {
    let clean = |c: char| if c.is_control() { '?' } else { c };
    if text.chars().count() <= max_chars {
        return text.chars().map(clean).collect();
    }
    let mut out: String = text
        .chars()
        .take(max_chars.saturating_sub(1))
        .map(clean)
        .collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_on_characters_and_cleans_controls() {
        assert_eq!(excerpt("äöü", 2), "ä…");
        assert_eq!(excerpt("a\nb", 80), "a?b");
        assert_eq!(excerpt("", 0), "");
    }
}
