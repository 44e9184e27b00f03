//! Collapsing model rows into covariate patterns before building the model
//! matrix: rows that share subgroup, arm and categorical covariate levels
//! have identical model-matrix rows, so logistic regression on (successes,
//! trials) per pattern and least squares on (count, Σy, Σy²) per pattern
//! give exactly the row-level estimates, standard errors and
//! log-likelihoods. Used when there are no numeric covariates and no
//! repeated patients (cluster-robust errors need the rows).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::cohort::{Cohort, CovariateValues};
use crate::model::ModelRows;

/// FxHash (rustc's): fast for small integer keys; not DoS-resistant, which
/// does not matter for keys we build from codes.
#[derive(Default)]
struct FxHasher(u64);

impl Hasher for FxHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u32(&mut self, v: u32) {
        self.write_u64(u64::from(v));
    }
    fn write_usize(&mut self, v: usize) {
        self.write_u64(v as u64);
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// Rows grouped by pattern.
#[derive(Clone, Debug)]
pub struct Patterns {
    /// Index (into `ModelRows::rows`) of one row of each pattern.
    pub first: Vec<usize>,
    /// Rows per pattern.
    pub count: Vec<f64>,
    /// Σ y per pattern.
    pub sum_y: Vec<f64>,
    /// Σ y² per pattern.
    pub sum_y2: Vec<f64>,
}

/// Groups `m`'s rows by pattern, or `None` when a numeric covariate is
/// present or the patterns are not at most half the rows.
pub fn group_rows(cohort: &Cohort, m: &ModelRows<'_>, y: &[f64]) -> Option<Patterns> {
    if cohort
        .covariates
        .iter()
        .any(|c| matches!(c.values, CovariateValues::Numeric(_)))
    {
        return None;
    }
    let n = m.rows.len();
    let mut index: HashMap<Vec<u32>, usize, BuildHasherDefault<FxHasher>> = HashMap::default();
    let mut p = Patterns {
        first: Vec::new(),
        count: Vec::new(),
        sum_y: Vec::new(),
        sum_y2: Vec::new(),
    };
    let mut key = Vec::with_capacity(2 + cohort.covariates.len());
    for (j, (&i, &yj)) in m.rows.iter().zip(y).enumerate() {
        key.clear();
        key.push(m.subgroup[j]);
        key.push(u32::from(m.treated[j]));
        for c in &cohort.covariates {
            if let CovariateValues::Categorical { codes, .. } = &c.values {
                key.push(codes[i].map_or(u32::MAX, |c| c));
            }
        }
        let k = match index.get(&key) {
            Some(&k) => k,
            None => {
                let k = p.first.len();
                index.insert(key.clone(), k);
                p.first.push(j);
                p.count.push(0.0);
                p.sum_y.push(0.0);
                p.sum_y2.push(0.0);
                if p.first.len() * 2 > n {
                    return None;
                }
                k
            }
        };
        p.count[k] += 1.0;
        p.sum_y[k] += yj;
        p.sum_y2[k] += yj * yj;
    }
    Some(p)
}
