//! Covariates given as bands (`50 - 59`, `90+`, `< 18`) read as numbers,
//! as the configuration says: the lower bound, the midpoint of the bounds
//! as written, or an explicit value per band (`"50 - 59" = 5` for age in
//! decades). A band the rule cannot place (an open band under `midpoint`,
//! a band missing from an explicit table without a rule) is an error naming
//! the fix, never a guess.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::value::{parse_number, ValueError};

/// How a band becomes a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BandRule {
    /// The band's lower bound (`50 - 59` -> 50, `90+` -> 90).
    Lower,
    /// The mean of the bounds as written (`50 - 59` -> 54.5, the mean of
    /// the whole ages 50 to 59); an open band has none.
    Midpoint,
}

/// A band's bounds as written (`None`: open on that side).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Band {
    lower: Option<f64>,
    upper: Option<f64>,
}

/// How one covariate's bands are read.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Bands {
    rule: Option<BandRule>,
    /// Explicit values, by normalised band text.
    values: BTreeMap<String, f64>,
}

impl Bands {
    /// The reading of a covariate with `rule` and explicit `values`; `None`
    /// when it has neither.
    pub(crate) fn new(rule: Option<BandRule>, values: &BTreeMap<String, f64>) -> Option<Self> {
        if rule.is_none() && values.is_empty() {
            return None;
        }
        Some(Self {
            rule,
            values: values.iter().map(|(k, v)| (normalise(k), *v)).collect(),
        })
    }

    /// The number a trimmed, non-NA cell stands for: a plain number as
    /// written, a band by its explicit value or the rule.
    pub(crate) fn value(&self, text: &str, decimal: char) -> Result<f64, ValueError> {
        if let Some(x) = self.values.get(&normalise(text)) {
            return Ok(*x);
        }
        let plain = parse_number(text, decimal);
        if plain.is_ok() {
            return plain;
        }
        let Some(band) = parse_band(text, decimal) else {
            return plain;
        };
        match (self.rule, band) {
            (None, _) => Err(ValueError::UnlistedBand),
            (Some(BandRule::Lower), Band { lower: Some(l), .. }) => Ok(l),
            (
                Some(BandRule::Midpoint),
                Band {
                    lower: Some(l),
                    upper: Some(u),
                },
            ) => Ok((l + u) / 2.0),
            (Some(_), _) => Err(ValueError::OpenBand),
        }
    }
}

/// Band text compared without case and with runs of spaces as one.
fn normalise(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The bounds of `a - b` (any dash, or `to`), `a+`, `>= a`, `> a`, `< b`,
/// `<= b`; `None` for anything else.
fn parse_band(text: &str, decimal: char) -> Option<Band> {
    let t = text.trim();
    let number = |s: &str| parse_number(s.trim(), decimal).ok();
    if let Some(rest) = t.strip_suffix('+') {
        return number(rest).map(|l| Band {
            lower: Some(l),
            upper: None,
        });
    }
    for (prefix, lower) in [
        (">=", true),
        ("≥", true),
        (">", true),
        ("<=", false),
        ("≤", false),
        ("<", false),
    ] {
        if let Some(rest) = t.strip_prefix(prefix) {
            let x = number(rest)?;
            return Some(if lower && prefix != ">" {
                Band {
                    lower: Some(x),
                    upper: None,
                }
            } else if lower {
                // `> 89`: open below-bounded, but its lower bound is not in
                // the band; no number stands for it.
                Band {
                    lower: None,
                    upper: None,
                }
            } else {
                Band {
                    lower: None,
                    upper: Some(x),
                }
            });
        }
    }
    let lowered = t.to_lowercase();
    for separator in [" to ", "–", "—", "-"] {
        // Skip a leading minus sign: `-5 - 5` splits after it.
        let start = usize::from(lowered.starts_with('-'));
        if let Some(at) = lowered[start..].find(separator) {
            let at = at + start;
            let (a, b) = (&t[..at], &t[at + separator.len()..]);
            let (lower, upper) = (number(a)?, number(b)?);
            if lower > upper {
                return None;
            }
            return Some(Band {
                lower: Some(lower),
                upper: Some(upper),
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{BandRule, Bands};
    use crate::value::ValueError;
    use std::collections::BTreeMap;

    fn bands(rule: Option<BandRule>, values: &[(&str, f64)]) -> Bands {
        let values: BTreeMap<String, f64> =
            values.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect();
        Bands::new(rule, &values).unwrap()
    }

    #[test]
    fn lower_bounds_and_midpoints() {
        let lower = bands(Some(BandRule::Lower), &[]);
        let mid = bands(Some(BandRule::Midpoint), &[]);
        for (text, l, m) in [
            ("50 - 59", 50.0, 54.5),
            ("50-59", 50.0, 54.5),
            ("50 to 59", 50.0, 54.5),
            ("50–59", 50.0, 54.5),
            ("0,5 - 1,5", 0.5, 1.0),
        ] {
            let decimal = if text.contains(',') { ',' } else { '.' };
            assert_eq!(lower.value(text, decimal), Ok(l), "{text}");
            assert_eq!(mid.value(text, decimal), Ok(m), "{text}");
        }
        assert_eq!(lower.value("90+", '.'), Ok(90.0));
        assert_eq!(lower.value(">= 90", '.'), Ok(90.0));
        assert_eq!(mid.value("90+", '.'), Err(ValueError::OpenBand));
        assert_eq!(lower.value("< 18", '.'), Err(ValueError::OpenBand));
        assert_eq!(lower.value("> 89", '.'), Err(ValueError::OpenBand));
        // Plain numbers stay as written, words stay unreadable.
        assert_eq!(mid.value("61", '.'), Ok(61.0));
        assert_eq!(mid.value("-5", '.'), Ok(-5.0));
        assert!(matches!(
            mid.value("old", '.'),
            Err(ValueError::Unreadable(_))
        ));
        assert!(matches!(mid.value("60 - 50", '.'), Err(ValueError::Range)));
    }

    #[test]
    fn explicit_values_come_first_and_stand_alone() {
        let decades = bands(None, &[("50 - 59", 5.0), ("90+", 9.0)]);
        assert_eq!(decades.value("50  -  59", '.'), Ok(5.0));
        assert_eq!(decades.value("90+", '.'), Ok(9.0));
        assert_eq!(decades.value("60 - 69", '.'), Err(ValueError::UnlistedBand));
        let mixed = bands(Some(BandRule::Midpoint), &[("90+", 92.0)]);
        assert_eq!(mixed.value("90+", '.'), Ok(92.0));
        assert_eq!(mixed.value("80 - 89", '.'), Ok(84.5));
    }
}
