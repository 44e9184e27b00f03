//! Welch's unequal-variance t-test and interval for a mean difference.
//!
//! d = m1 - m2, SE = sqrt(s1²/n1 + s2²/n2), Welch-Satterthwaite degrees of
//! freedom; p and CI from Student's t. Same as
//! `scipy.stats.ttest_ind(equal_var=False)`.

use super::describe::Summary;
use super::normal::{t_critical, t_two_sided_p};
use super::{Effect, Interval, ModelStatus};

/// Welch comparison of arm 1 against arm 2 (d = mean1 - mean2).
///
/// # Errors
/// [`ModelStatus::TooFew`] with fewer than 2 values in an arm;
/// [`ModelStatus::NoVariation`] when both arms have zero variance.
pub fn welch(a: &Summary, b: &Summary, level: f64) -> Result<(Effect, f64), ModelStatus> {
    if a.n < 2 || b.n < 2 {
        return Err(ModelStatus::TooFew);
    }
    let (n1, n2) = (a.n as f64, b.n as f64);
    let v1 = a.sd * a.sd / n1;
    let v2 = b.sd * b.sd / n2;
    let se = (v1 + v2).sqrt();
    if se <= 0.0 || !se.is_finite() {
        return Err(ModelStatus::NoVariation);
    }
    let df = (v1 + v2).powi(2) / (v1 * v1 / (n1 - 1.0) + v2 * v2 / (n2 - 1.0));
    let d = a.mean - b.mean;
    let t = d / se;
    let p = t_two_sided_p(t, df).ok_or(ModelStatus::NoVariation)?;
    let crit = t_critical(level, df).ok_or(ModelStatus::NoVariation)?;
    Ok((
        Effect {
            estimate: d,
            ci: Interval {
                low: d - crit * se,
                high: d + crit * se,
            },
            se: Some(se),
            p_value: Some(p),
        },
        df,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::describe::summarise;

    #[test]
    fn matches_scipy() {
        let a = summarise(&[1.0, 2.5, 3.0, 4.5, 5.0]).expect("non-empty");
        let b = summarise(&[2.0, 2.2, 2.9, 3.1]).expect("non-empty");
        let (e, df) = welch(&a, &b, 0.95).expect("fits");
        // scipy.stats.ttest_ind(a, b, equal_var=False)
        assert!((e.p_value.unwrap_or(0.0) - REF[0]).abs() < 1e-9, "{e:?}");
        assert!((df - REF[1]).abs() < 1e-9, "{df}");
        assert!((e.ci.low - REF[2]).abs() < 1e-9, "{e:?}");
        assert!((e.ci.high - REF[3]).abs() < 1e-9, "{e:?}");
    }

    #[test]
    fn degenerate() {
        let one = summarise(&[1.0]).expect("non-empty");
        let two = summarise(&[1.0, 1.0]).expect("non-empty");
        assert_eq!(welch(&one, &two, 0.95), Err(ModelStatus::TooFew));
        assert_eq!(welch(&two, &two, 0.95), Err(ModelStatus::NoVariation));
    }

    const REF: [f64; 4] = [
        0.43416309290092764,
        5.048650176389665,
        -1.31182796786247,
        2.611827967862471,
    ];
}
