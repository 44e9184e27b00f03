//! Reading one clinical cell as a number, a yes/no value or a category.
//!
//! Numbers are read strictly: `12`, `-0.5`, `1e-3` (with `decimal = ","`:
//! `0,5`). A number written with spaces or thousands separators (`1 234`,
//! `1,234`, `1'234`), with the other decimal separator, or as `inf`/`nan`
//! is rejected with a reason, never guessed.

use std::fmt;

use crate::source::Missing;

/// What a cell was expected to hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Expected {
    /// A number (continuous outcome, numeric covariate, follow-up time).
    Number,
    /// Yes/no: `1`/`0`, `true`/`false`, `yes`/`no`, `y`/`n` (any case).
    Binary,
}

impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Number => "a number",
            Self::Binary => "a yes/no value (1/0, true/false, yes/no)",
        })
    }
}

/// Why a cell could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ValueError {
    /// Digits grouped by spaces, apostrophes or thousands separators.
    #[error("digits are grouped by spaces or thousands separators; write the plain number (1234)")]
    GroupedDigits,
    /// A decimal comma while the configuration says `decimal = "."`.
    #[error("decimal comma; if the file writes numbers as 0,5 set decimal = \",\" in [join]")]
    DecimalComma,
    /// A decimal point while the configuration says `decimal = ","`.
    #[error("decimal point, but [join] says decimal = \",\"; write 0,5 or remove that setting")]
    DecimalPoint,
    /// A range or bin such as `60 - 69`.
    #[error(
        "a range or bin; declare this column kind = \"categorical\" to keep bins, or \
         bands = \"lower\" / \"midpoint\" (or band_values) to read them as numbers"
    )]
    Range,
    /// A band the covariate's explicit `band_values` do not list, with no
    /// `bands` rule to fall back on.
    #[error(
        "a band not listed in band_values; add it there, or set bands = \"lower\" / \"midpoint\""
    )]
    UnlistedBand,
    /// An open band (`90+`, `< 18`) the rule gives no number for.
    #[error("an open band, which bands = \"midpoint\" (or \"lower\", for `< x`) cannot place; give its value in band_values")]
    OpenBand,
    /// Infinite or not-a-number.
    #[error("not a finite number; list missing-value tokens under na = [...] in [join]")]
    NotFinite,
    /// Follow-up time below zero.
    #[error("negative follow-up time")]
    Negative,
    /// Not a number (or not a yes/no value) at all.
    #[error("not {0}; add the token to na = [...] if it means missing")]
    Unreadable(Expected),
}

/// The NA tokens, matched after trimming and ignoring ASCII case.
#[derive(Clone, Debug, Default)]
pub(crate) struct NaTokens(Vec<String>);

impl NaTokens {
    pub(crate) fn new(tokens: &[String]) -> Self {
        Self(
            tokens
                .iter()
                .map(|t| t.trim().to_ascii_lowercase())
                .collect(),
        )
    }

    /// Whether the (trimmed) cell means "missing".
    pub(crate) fn is_na(&self, trimmed: &str) -> bool {
        self.matching(trimmed).is_some()
    }

    /// The index of the token the (trimmed) cell matches.
    pub(crate) fn matching(&self, trimmed: &str) -> Option<usize> {
        self.0.iter().position(|t| t.eq_ignore_ascii_case(trimmed))
    }

    /// How a cell that became missing is named in the join report: the
    /// token as configured (lower case), `(empty)` for the empty token and
    /// `(null)` for a typed null or NaN.
    pub(crate) fn describe(&self, missing: Missing) -> String {
        match missing {
            Missing::Null => "(null)".to_owned(),
            Missing::Token(i) => match self.0.get(i).map(String::as_str) {
                Some("") | None => "(empty)".to_owned(),
                Some(token) => token.to_owned(),
            },
        }
    }
}

/// How a text cell looks, for type inference.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Shape {
    /// A plain number.
    Number(f64),
    /// Something number-like that must not be guessed (grouped digits, the
    /// other decimal separator, inf/nan).
    Malformed(ValueError),
    /// Text: a category.
    Text,
}

/// Reads a trimmed, non-NA cell as a number.
pub(crate) fn parse_number(text: &str, decimal: char) -> Result<f64, ValueError> {
    match shape(text, decimal) {
        Shape::Number(x) => Ok(x),
        Shape::Malformed(e) => Err(e),
        Shape::Text => {
            if looks_like_range(text) {
                Err(ValueError::Range)
            } else {
                Err(ValueError::Unreadable(Expected::Number))
            }
        }
    }
}

/// Reads a trimmed, non-NA cell as a yes/no value.
pub(crate) fn parse_binary(text: &str) -> Result<bool, ValueError> {
    const YES: [&str; 6] = ["1", "true", "yes", "y", "t", "1.0"];
    const NO: [&str; 6] = ["0", "false", "no", "n", "f", "0.0"];
    if YES.iter().any(|y| y.eq_ignore_ascii_case(text)) {
        Ok(true)
    } else if NO.iter().any(|n| n.eq_ignore_ascii_case(text)) {
        Ok(false)
    } else {
        Err(ValueError::Unreadable(Expected::Binary))
    }
}

/// Classifies a trimmed, non-NA cell.
pub(crate) fn shape(text: &str, decimal: char) -> Shape {
    let lower = text.to_ascii_lowercase();
    let unsigned = lower.trim_start_matches(['+', '-']);
    if matches!(unsigned, "inf" | "infinity" | "nan") {
        return Shape::Malformed(ValueError::NotFinite);
    }
    if !text.chars().any(|c| c.is_ascii_digit()) {
        return Shape::Text;
    }
    // Only digits, signs, separators, spaces and an exponent: number-like.
    let number_like = text.chars().all(|c| {
        c.is_ascii_digit()
            || matches!(c, '+' | '-' | '.' | ',' | '\'' | 'e' | 'E')
            || is_group_space(c)
    });
    if !number_like {
        return Shape::Text;
    }
    if text.chars().any(|c| is_group_space(c) || c == '\'') {
        return if looks_like_range(text) {
            Shape::Text
        } else {
            Shape::Malformed(ValueError::GroupedDigits)
        };
    }
    let normalised = match decimal {
        ',' => {
            if text.contains('.') {
                return Shape::Malformed(if text.contains(',') {
                    ValueError::GroupedDigits
                } else {
                    ValueError::DecimalPoint
                });
            }
            if text.matches(',').count() > 1 {
                return Shape::Malformed(ValueError::GroupedDigits);
            }
            text.replace(',', ".")
        }
        _ => {
            if text.contains(',') {
                return Shape::Malformed(if is_grouped(text) {
                    ValueError::GroupedDigits
                } else {
                    ValueError::DecimalComma
                });
            }
            text.to_owned()
        }
    };
    if !is_plain_number(&normalised) {
        return if looks_like_range(text) {
            Shape::Text
        } else {
            Shape::Malformed(ValueError::Unreadable(Expected::Number))
        };
    }
    match normalised.parse::<f64>() {
        Ok(x) if x.is_finite() => Shape::Number(x),
        Ok(_) => Shape::Malformed(ValueError::NotFinite),
        Err(_) => Shape::Malformed(ValueError::Unreadable(Expected::Number)),
    }
}

fn is_group_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}')
}

/// `60-69`, `60 - 69`, `1-5`: two numbers joined by a dash.
fn looks_like_range(text: &str) -> bool {
    let body = text.strip_prefix(['+', '-']).unwrap_or(text);
    match body.split_once('-') {
        Some((low, high)) => {
            let (low, high) = (low.trim(), high.trim());
            !low.is_empty()
                && !high.is_empty()
                && !low.ends_with(['e', 'E'])
                && low.chars().all(|c| c.is_ascii_digit() || c == '.')
                && high.chars().all(|c| c.is_ascii_digit() || c == '.')
        }
        None => false,
    }
}

/// `1,234` or `12,345,678.5`: comma-grouped thousands.
fn is_grouped(text: &str) -> bool {
    let body = text.trim_start_matches(['+', '-']);
    let integer = body.split('.').next().unwrap_or(body);
    let mut groups = integer.split(',');
    let first_ok = groups
        .next()
        .is_some_and(|g| (1..=3).contains(&g.len()) && g.chars().all(|c| c.is_ascii_digit()));
    first_ok && groups.all(|g| g.len() == 3 && g.chars().all(|c| c.is_ascii_digit()))
}

/// `[+-]?(d+(.d*)?|.d+)([eE][+-]?d+)?`
fn is_plain_number(text: &str) -> bool {
    let body = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let (integer, fraction) = match mantissa.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (mantissa, None),
    };
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    let mantissa_ok = digits(integer)
        && fraction.is_none_or(digits)
        && (!integer.is_empty() || fraction.is_some_and(|f| !f.is_empty()));
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_plain_numbers() {
        for (text, x) in [
            ("12", 12.0),
            ("-0.5", -0.5),
            ("+3", 3.0),
            (".5", 0.5),
            ("5.", 5.0),
            ("1e-3", 0.001),
            ("2E2", 200.0),
        ] {
            assert_eq!(parse_number(text, '.'), Ok(x), "{text}");
        }
        assert_eq!(parse_number("0,5", ','), Ok(0.5));
        assert_eq!(parse_number("-12,25", ','), Ok(-12.25));
    }

    #[test]
    fn rejects_grouped_and_foreign_separators() {
        assert_eq!(parse_number("1 234", '.'), Err(ValueError::GroupedDigits));
        assert_eq!(
            parse_number("1\u{a0}234", '.'),
            Err(ValueError::GroupedDigits)
        );
        assert_eq!(parse_number("1'234", '.'), Err(ValueError::GroupedDigits));
        assert_eq!(parse_number("1,234", '.'), Err(ValueError::GroupedDigits));
        assert_eq!(parse_number("1,234.5", '.'), Err(ValueError::GroupedDigits));
        assert_eq!(parse_number("0,5", '.'), Err(ValueError::DecimalComma));
        assert_eq!(parse_number("0.5", ','), Err(ValueError::DecimalPoint));
        assert_eq!(parse_number("1.234,5", ','), Err(ValueError::GroupedDigits));
        assert_eq!(parse_number("1,2,3", ','), Err(ValueError::GroupedDigits));
        assert_eq!(parse_number("inf", '.'), Err(ValueError::NotFinite));
        assert_eq!(parse_number("-NaN", '.'), Err(ValueError::NotFinite));
        assert_eq!(parse_number("1e999", '.'), Err(ValueError::NotFinite));
        assert_eq!(
            parse_number("1.2.3", '.'),
            Err(ValueError::Unreadable(Expected::Number))
        );
        assert_eq!(
            parse_number("abc", '.'),
            Err(ValueError::Unreadable(Expected::Number))
        );
        assert_eq!(
            parse_number("12 mg", '.'),
            Err(ValueError::Unreadable(Expected::Number))
        );
    }

    #[test]
    fn bins_are_text() {
        assert_eq!(shape("60 - 69", '.'), Shape::Text);
        assert_eq!(shape("60-69", '.'), Shape::Text);
        assert_eq!(shape(">=70", '.'), Shape::Text);
        assert_eq!(shape("<60", '.'), Shape::Text);
        assert_eq!(shape("male", '.'), Shape::Text);
        assert_eq!(parse_number("60 - 69", '.'), Err(ValueError::Range));
        assert_eq!(shape("-5", '.'), Shape::Number(-5.0));
        assert_eq!(shape("1e-5", '.'), Shape::Number(1e-5));
    }

    #[test]
    fn reads_binary_values() {
        for yes in ["1", "TRUE", "yes", "Y", "1.0"] {
            assert_eq!(parse_binary(yes), Ok(true));
        }
        for no in ["0", "false", "No", "n", "0.0"] {
            assert_eq!(parse_binary(no), Ok(false));
        }
        assert_eq!(
            parse_binary("2"),
            Err(ValueError::Unreadable(Expected::Binary))
        );
    }

    #[test]
    fn na_tokens_ignore_case() {
        let na = NaTokens::new(&["NA".into(), "".into(), "unknown".into()]);
        assert!(na.is_na("na"));
        assert!(na.is_na("Unknown"));
        assert!(na.is_na(""));
        assert!(!na.is_na("N/A"));
    }
}
