//! Where in the file a section or key is written, for messages.

/// The 1-based line of `key` in table `at` (dotted, `"join.outcomes"`) of
/// the TOML `text`, or of the table's header when `key` is `None`; the
/// header's line when the key is not found on a line of its own (an
/// inline table), `None` when the table is not in the file either. The
/// first occurrence counts.
pub fn line_of(text: &str, at: &str, key: Option<&str>) -> Option<usize> {
    let mut current = String::new();
    let mut header = None;
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if let Some(name) = table_header(line) {
            current = name;
            if current == at && header.is_none() {
                header = Some(index + 1);
                if key.is_none() {
                    return header;
                }
            }
            continue;
        }
        let Some(key) = key else { continue };
        if current == at && assigned_key(line) == Some(key) {
            return Some(index + 1);
        }
    }
    header
}

/// The table a `[a.b]` or `[[a.b]]` line opens, with quotes and spaces
/// around the parts removed.
fn table_header(line: &str) -> Option<String> {
    let inner = line.strip_prefix('[')?;
    let inner = inner.strip_prefix('[').unwrap_or(inner);
    let end = inner.find(']')?;
    let parts: Vec<&str> = inner[..end]
        .split('.')
        .map(|p| p.trim().trim_matches('"').trim_matches('\''))
        .collect();
    Some(parts.join("."))
}

/// The key a `key = value` line assigns (quotes removed).
fn assigned_key(line: &str) -> Option<&str> {
    let (key, _) = line.split_once('=')?;
    let key = key.trim().trim_matches('"').trim_matches('\'');
    (!key.is_empty() && !key.starts_with('#')).then_some(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "# a comment\n[run]\noutput = \"out\"\n\n[join]\nsample_id = \"p\"\n\
                        [[join.outcomes]]\nname = \"m\"\n  \"kind\" = \"binary\"\n";

    #[test]
    fn finds_keys_and_headers() {
        assert_eq!(line_of(TEXT, "run", Some("output")), Some(3));
        assert_eq!(line_of(TEXT, "join", None), Some(5));
        assert_eq!(line_of(TEXT, "join", Some("sample_id")), Some(6));
        assert_eq!(line_of(TEXT, "join.outcomes", Some("kind")), Some(9));
        assert_eq!(line_of(TEXT, "join", Some("therapy")), Some(5));
        assert_eq!(line_of(TEXT, "estimate", Some("fdr")), None);
    }
}
