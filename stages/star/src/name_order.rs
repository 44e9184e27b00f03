//! PharmCAT's order of haplotype names.
//!
//! Star numbers sort numerically (`*2 < *17`), `Reference` first, a plain name
//! before a combination `[a + b]`; combinations by component count, then
//! component by component with partials (`g.123A>T`) last.

use std::cmp::Ordering;

/// Separator between the components of a combination name.
pub(crate) const COMBINATION_JOINER: &str = " + ";

/// Compares two haplotype names the way PharmCAT sorts them.
pub fn compare_haplotype_names(a: &str, b: &str) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    let (ca, cb) = (is_combination(a), is_combination(b));
    match (ca, cb) {
        (true, false) => return Ordering::Greater,
        (false, true) => return Ordering::Less,
        (false, false) => return compare_allele_names(a, b),
        (true, true) => {}
    }
    let (ha, hb) = (split_combination(a), split_combination(b));
    let by_count = ha.len().cmp(&hb.len());
    if by_count != Ordering::Equal {
        return by_count;
    }
    for (x, y) in ha.iter().zip(&hb) {
        let (px, py) = (is_partial_name(x), is_partial_name(y));
        if px != py {
            return if px {
                Ordering::Greater
            } else {
                Ordering::Less
            };
        }
        let rez = compare_allele_names(x, y);
        if rez != Ordering::Equal {
            return rez;
        }
    }
    Ordering::Equal
}

/// Whether `name` is a combination (`[*6 + *28]`).
pub(crate) fn is_combination(name: &str) -> bool {
    name.starts_with('[') && name.ends_with(']') && name.contains(COMBINATION_JOINER)
}

fn split_combination(name: &str) -> Vec<&str> {
    let inner = name
        .strip_prefix('[')
        .and_then(|n| n.strip_suffix(']'))
        .unwrap_or(name);
    inner.split(COMBINATION_JOINER).map(str::trim).collect()
}

/// PharmCAT's partial pattern `^g\.\d+[?=]?[ACGT>\d]+$`.
fn is_partial_name(name: &str) -> bool {
    let Some(rest) = name.strip_prefix("g.") else {
        return false;
    };
    let bytes = rest.as_bytes();
    let tail_ok = |s: &[u8]| {
        !s.is_empty()
            && s.iter()
                .all(|c| matches!(c, b'A' | b'C' | b'G' | b'T' | b'>') || c.is_ascii_digit())
    };
    let digits = bytes.iter().take_while(|c| c.is_ascii_digit()).count();
    (1..=digits).any(|i| {
        tail_ok(&bytes[i..])
            || (i < bytes.len() && matches!(bytes[i], b'?' | b'=') && tail_ok(&bytes[i + 1..]))
    })
}

/// pgkb-common's allele-name order: `Any`, `All`, `Reference` first,
/// `Other`, `Unknown` last, otherwise natural order.
fn compare_allele_names(a: &str, b: &str) -> Ordering {
    const TOP: [&str; 3] = ["Any", "All", "Reference"];
    const BOTTOM: [&str; 2] = ["Other", "Unknown"];
    if a == b {
        return Ordering::Equal;
    }
    if TOP.contains(&a) || BOTTOM.contains(&b) {
        return Ordering::Less;
    }
    if TOP.contains(&b) || BOTTOM.contains(&a) {
        return Ordering::Greater;
    }
    natural_cmp(a, b)
}

#[derive(PartialEq, Eq)]
enum Part<'a> {
    Number(u128),
    Text(&'a str),
}

fn parts(s: &str) -> Vec<Part<'_>> {
    let mut out = Vec::new();
    let bytes = s.as_bytes();
    let mut start = 0;
    while start < bytes.len() {
        let digit = bytes[start].is_ascii_digit();
        let mut end = start;
        while end < bytes.len() && bytes[end].is_ascii_digit() == digit {
            end += 1;
        }
        let text = &s[start..end];
        out.push(if digit {
            Part::Number(text.parse().unwrap_or(u128::MAX))
        } else {
            Part::Text(text)
        });
        start = end;
    }
    out
}

/// Natural order: digit runs compare as numbers, text runs as strings
/// (UTF-16 order in Java equals byte order for the ASCII names used here).
fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (pa, pb) = (parts(a), parts(b));
    for (x, y) in pa.iter().zip(&pb) {
        let c = match (x, y) {
            (Part::Number(m), Part::Number(n)) => m.cmp(n),
            (Part::Text(m), Part::Text(n)) => m.cmp(n),
            (Part::Text(_), Part::Number(_)) => Ordering::Greater,
            (Part::Number(_), Part::Text(_)) => Ordering::Less,
        };
        if c != Ordering::Equal {
            return c;
        }
    }
    pa.len().cmp(&pb.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn star_numbers_sort_numerically() {
        let mut names = vec!["*28", "*2", "*17", "*1", "*80+*28", "*80", "*3A", "*3"];
        names.sort_by(|a, b| compare_haplotype_names(a, b));
        assert_eq!(
            names,
            ["*1", "*2", "*3", "*3A", "*17", "*28", "*80", "*80+*28"]
        );
    }

    #[test]
    fn combinations_after_plain_names_partials_last() {
        assert_eq!(
            compare_haplotype_names("[*6 + *28]", "*80"),
            Ordering::Greater
        );
        assert_eq!(
            compare_haplotype_names("[*6 + g.233760973C>T]", "[*6 + *28]"),
            Ordering::Greater
        );
        assert_eq!(
            compare_haplotype_names("[*6 + *28]", "[*1 + *6 + *28]"),
            Ordering::Less
        );
        assert_eq!(
            compare_haplotype_names("Reference", "c.62G>A"),
            Ordering::Less
        );
    }

    #[test]
    fn partial_pattern() {
        assert!(is_partial_name("g.233760973C>T"));
        assert!(is_partial_name("g.41006968T>A"));
        assert!(!is_partial_name("g.40991369?"));
        assert!(!is_partial_name("*6"));
    }
}
