//! Benjamini-Hochberg (1995) q-values (step-up adjusted p-values).
//!
//! q_(i) = min over j >= i of min(1, m p_(j) / j), p sorted ascending;
//! statsmodels `multipletests(method="fdr_bh")`. Missing p-values (`None`)
//! are not tests and get no q.

/// BH q-values of `p` within one family, in input order.
pub fn bh_q_values(p: &[Option<f64>]) -> Vec<Option<f64>> {
    let mut idx: Vec<usize> = (0..p.len()).filter(|&i| p[i].is_some()).collect();
    let m = idx.len() as f64;
    idx.sort_by(|&i, &j| {
        p[i].unwrap_or(1.0)
            .total_cmp(&p[j].unwrap_or(1.0))
            .then(i.cmp(&j))
    });
    let mut q = vec![None; p.len()];
    let mut running = 1.0f64;
    for (rank, &i) in idx.iter().enumerate().rev() {
        let value = p[i].unwrap_or(1.0) * m / (rank as f64 + 1.0);
        running = running.min(value).min(1.0);
        q[i] = Some(running);
    }
    q
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_statsmodels() {
        // multipletests([0.01, 0.04, 0.03, 0.2], method="fdr_bh")[1]
        let q = bh_q_values(&[Some(0.01), Some(0.04), None, Some(0.03), Some(0.2)]);
        let expect = [
            Some(0.04),
            Some(0.04 * 4.0 / 3.0),
            None,
            Some(0.04 * 4.0 / 3.0),
            Some(0.2),
        ];
        for (a, b) in q.iter().zip(expect) {
            match (a, b) {
                (Some(a), Some(b)) => assert!((a - b).abs() < 1e-12, "{q:?}"),
                (None, None) => {}
                _ => panic!("{q:?}"),
            }
        }
        assert!(bh_q_values(&[]).is_empty());
    }
}
