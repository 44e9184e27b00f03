//! Covariates derived from others: `any_of`.

/// 1 in a row where any of `components` is non-zero, 0 where all are 0,
/// missing where none is non-zero and some is missing.
pub fn any_of(components: &[&[Option<f64>]], rows: usize) -> Vec<Option<f64>> {
    (0..rows)
        .map(|i| {
            let mut all_known = true;
            for component in components {
                match component[i] {
                    Some(v) if v != 0.0 => return Some(1.0),
                    Some(_) => {}
                    None => all_known = false,
                }
            }
            all_known.then_some(0.0)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_non_zero_wins_over_missing() {
        let a = [Some(0.0), Some(1.0), None, None, Some(0.0)];
        let b = [Some(0.0), None, Some(2.0), None, None];
        assert_eq!(
            any_of(&[&a, &b], 5),
            [Some(0.0), Some(1.0), Some(1.0), None, None]
        );
        assert_eq!(any_of(&[], 2), [Some(0.0), Some(0.0)]);
    }
}
