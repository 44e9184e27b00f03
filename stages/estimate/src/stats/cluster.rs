//! Cluster-robust (sandwich) covariance: V = c · B M B with bread B (the
//! inverse information), meat M = Σ_g s_g s_g' over clusters g of the
//! summed score contributions s_g, and the small-sample factor
//! c = G/(G-1) · (N-1)/(N-K) (Stata's and statsmodels' default
//! `use_correction=True`) for logistic and linear models. Cox models use
//! no factor (c = 1), as statsmodels `PHReg`, lifelines and R's
//! `coxph(cluster=)` do; see [`super::cox`].

use nalgebra::{DMatrix, DVector};

/// Meat matrix Σ_g s_g s_g' from per-row score contributions `scores`
/// (n x p) and row cluster ids; also returns the number of clusters.
pub fn cluster_meat(scores: &DMatrix<f64>, clusters: &[u32]) -> (DMatrix<f64>, usize) {
    let p = scores.ncols();
    let mut sums: std::collections::HashMap<u32, DVector<f64>> = std::collections::HashMap::new();
    for (i, &g) in clusters.iter().enumerate() {
        let entry = sums.entry(g).or_insert_with(|| DVector::zeros(p));
        for j in 0..p {
            entry[j] += scores[(i, j)];
        }
    }
    let mut meat = DMatrix::zeros(p, p);
    let mut keys: Vec<u32> = sums.keys().copied().collect();
    keys.sort_unstable();
    for k in &keys {
        if let Some(s) = sums.get(k) {
            meat += s * s.transpose();
        }
    }
    (meat, keys.len())
}

/// Cluster-robust covariance `c · bread · meat · bread` with
/// c = G/(G-1) · (N-1)/(N-K); `None` with fewer than 2 clusters or N <= K.
pub fn sandwich(
    bread: &DMatrix<f64>,
    meat: &DMatrix<f64>,
    groups: usize,
    n: usize,
    k: usize,
    small_sample: bool,
) -> Option<DMatrix<f64>> {
    if groups < 2 || n <= k {
        return None;
    }
    let c = if small_sample {
        groups as f64 / (groups as f64 - 1.0) * (n as f64 - 1.0) / (n as f64 - k as f64)
    } else {
        groups as f64 / (groups as f64 - 1.0)
    };
    Some(bread * meat * bread * c)
}

/// Whether any cluster id repeats (some patient has several rows).
pub fn has_repeats(clusters: &[u32]) -> bool {
    let mut seen = std::collections::HashSet::with_capacity(clusters.len());
    clusters.iter().any(|g| !seen.insert(*g))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meat_sums_within_clusters() {
        let scores = DMatrix::from_row_slice(3, 1, &[1.0, 2.0, -1.0]);
        let (meat, g) = cluster_meat(&scores, &[0, 0, 1]);
        assert_eq!(g, 2);
        assert!((meat[(0, 0)] - 10.0).abs() < 1e-12);
        assert!(has_repeats(&[0, 0, 1]));
        assert!(!has_repeats(&[0, 1]));
    }
}
