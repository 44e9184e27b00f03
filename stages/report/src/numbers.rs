//! How numbers read on the page.

/// A p- or q-value: three decimals, scientific below 0.001, and `<1e-300`
/// for a value that underflowed to 0 (never `0.0e0`, which reads as
/// "certainly no effect" and is not what a p-value can be); `-` when absent.
pub fn p_text(p: Option<f64>) -> String {
    match p {
        Some(p) if p < 1e-300 => "<1e-300".to_owned(),
        Some(p) if p < 0.001 => format!("{p:.1e}"),
        Some(p) => format!("{p:.3}"),
        None => "-".to_owned(),
    }
}

/// An estimate: two decimals, or three significant digits when smaller.
pub fn estimate_text(value: f64) -> String {
    if value != 0.0 && value.abs() < 0.1 {
        format!("{value:.3}")
    } else {
        format!("{value:.2}")
    }
}

/// A proportion as a percentage with one decimal.
pub fn percent_text(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "-".to_owned();
    }
    format!("{:.1} %", 100.0 * part as f64 / whole as f64)
}

#[cfg(test)]
mod tests {
    use super::{estimate_text, p_text, percent_text};

    #[test]
    fn p_values_print_without_a_zero() {
        assert_eq!(p_text(Some(0.0)), "<1e-300");
        assert_eq!(p_text(Some(5e-320)), "<1e-300");
        assert_eq!(p_text(Some(2.5e-7)), "2.5e-7");
        assert_eq!(p_text(Some(0.0421)), "0.042");
        assert_eq!(p_text(None), "-");
    }

    #[test]
    fn estimates_and_percentages() {
        assert_eq!(estimate_text(4.7512), "4.75");
        assert_eq!(estimate_text(-0.0312), "-0.031");
        assert_eq!(percent_text(1999, 2000), "100.0 %");
        assert_eq!(percent_text(1, 3), "33.3 %");
        assert_eq!(percent_text(0, 0), "-");
    }
}
