//! A covariate's values after its missing-value policy: complete case
//! leaves a gap (the row is then excluded), a fill value or level fills
//! it, and the indicator policy fills it and marks it.

use super::spec::MissingPolicy;

/// A numeric covariate after its policy.
#[derive(Clone, Debug, PartialEq)]
pub struct NumericValues {
    /// Value per row; `None` only under complete case.
    pub values: Vec<Option<f64>>,
    /// Under the indicator policy, whether each row's value was missing
    /// (its value is then 0).
    pub missing: Option<Vec<bool>>,
}

/// A categorical covariate after its policy.
#[derive(Clone, Debug, PartialEq)]
pub struct CategoricalValues {
    /// Level code per row; `None` only under complete case.
    pub codes: Vec<Option<u32>>,
    /// Level names (a `missing` level or fill level appended when new).
    pub levels: Vec<String>,
}

/// The level a missing categorical value gets under the indicator policy.
pub const MISSING_LEVEL: &str = "missing";

/// Applies `policy` to numeric `values`; `None` when the policy is a fill
/// level, which only a categorical covariate can take.
pub fn numeric(values: &[Option<f64>], policy: &MissingPolicy) -> Option<NumericValues> {
    Some(match policy {
        MissingPolicy::CompleteCase => NumericValues {
            values: values.to_vec(),
            missing: None,
        },
        MissingPolicy::Fill(fill) => NumericValues {
            values: values.iter().map(|v| Some(v.unwrap_or(*fill))).collect(),
            missing: None,
        },
        MissingPolicy::Indicator => NumericValues {
            values: values.iter().map(|v| Some(v.unwrap_or(0.0))).collect(),
            missing: Some(values.iter().map(Option::is_none).collect()),
        },
        MissingPolicy::FillLevel(_) => return None,
    })
}

/// Applies `policy` to categorical `codes` into `levels`; `None` when the
/// policy is a numeric fill, which only a numeric covariate can take.
pub fn categorical(
    codes: &[Option<u32>],
    levels: &[String],
    policy: &MissingPolicy,
) -> Option<CategoricalValues> {
    let mut levels = levels.to_vec();
    let fill = match policy {
        MissingPolicy::CompleteCase => None,
        MissingPolicy::Fill(_) => return None,
        MissingPolicy::Indicator => Some(MISSING_LEVEL),
        MissingPolicy::FillLevel(level) => Some(level.as_str()),
    };
    let fill_code = fill.map(|level| match levels.iter().position(|l| l == level) {
        Some(code) => code as u32,
        None => {
            levels.push(level.to_owned());
            (levels.len() - 1) as u32
        }
    });
    Some(CategoricalValues {
        codes: codes.iter().map(|c| c.or(fill_code)).collect(),
        levels,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_policies() {
        let values = [Some(1.5), None, Some(0.0)];
        let cc = numeric(&values, &MissingPolicy::CompleteCase).expect("numeric");
        assert_eq!(cc.values, values);
        assert_eq!(cc.missing, None);
        let fill = numeric(&values, &MissingPolicy::Fill(0.0)).expect("numeric");
        assert_eq!(fill.values, [Some(1.5), Some(0.0), Some(0.0)]);
        let ind = numeric(&values, &MissingPolicy::Indicator).expect("numeric");
        assert_eq!(ind.values, [Some(1.5), Some(0.0), Some(0.0)]);
        assert_eq!(ind.missing, Some(vec![false, true, false]));
        assert_eq!(
            numeric(&values, &MissingPolicy::FillLevel("x".into())),
            None
        );
    }

    #[test]
    fn categorical_policies() {
        let levels = vec!["Asian".to_owned(), "White".to_owned()];
        let codes = [Some(1), None, Some(0)];
        let cc = categorical(&codes, &levels, &MissingPolicy::CompleteCase).expect("categorical");
        assert_eq!((cc.codes.as_slice(), cc.levels.len()), (&codes[..], 2));
        let ind = categorical(&codes, &levels, &MissingPolicy::Indicator).expect("categorical");
        assert_eq!(ind.codes, [Some(1), Some(2), Some(0)]);
        assert_eq!(ind.levels[2], MISSING_LEVEL);
        let known = MissingPolicy::FillLevel("White".into());
        let fill = categorical(&codes, &levels, &known).expect("categorical");
        assert_eq!((fill.codes[1], fill.levels.len()), (Some(1), 2));
        assert_eq!(
            categorical(&codes, &levels, &MissingPolicy::Fill(0.0)),
            None
        );
    }
}
