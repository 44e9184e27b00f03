//! Descriptive statistics of a continuous outcome: n, mean, SD, median.

/// Mean, sample SD (n - 1 denominator) and median of a set of values.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Summary {
    /// Number of values.
    pub n: u64,
    /// Arithmetic mean.
    pub mean: f64,
    /// Sample standard deviation (n - 1 denominator; 0 when n = 1).
    pub sd: f64,
    /// Median (mean of the two middle values when n is even).
    pub median: f64,
}

/// Summarises `values` (finite values only are expected); `None` if empty.
pub fn summarise(values: &[f64]) -> Option<Summary> {
    if values.is_empty() {
        return None;
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let ss: f64 = values.iter().map(|v| (v - mean).powi(2)).sum();
    let sd = if values.len() > 1 {
        (ss / (n - 1.0)).sqrt()
    } else {
        0.0
    };
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    let median = if sorted.len() % 2 == 1 {
        sorted[mid]
    } else {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    };
    Some(Summary {
        n: values.len() as u64,
        mean,
        sd,
        median,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic() {
        let s = summarise(&[4.0, 1.0, 3.0, 2.0]).expect("non-empty");
        assert_eq!(s.n, 4);
        assert!((s.mean - 2.5).abs() < 1e-15);
        assert!((s.sd - (5.0f64 / 3.0).sqrt()).abs() < 1e-15);
        assert!((s.median - 2.5).abs() < 1e-15);
        assert!(summarise(&[]).is_none());
        assert_eq!(summarise(&[7.0]).map(|s| s.sd), Some(0.0));
    }
}
