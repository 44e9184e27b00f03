//! Firth's penalised Cox on random designs with monotone likelihood,
//! through the public `stats` API.

use nalgebra::DMatrix;
use tailor_estimate::stats::cox::fit_cox;
use tailor_estimate::stats::cox_firth::penalised_effect;
use tailor_estimate::stats::design::Design;
use tailor_estimate::stats::linalg::independent_columns;
use tailor_estimate::stats::ModelStatus;

/// 200 random designs with monotone likelihood (no events in the arm with
/// x₀ = 0, or in the arm with x₀ = 1), 20-80 rows, an arm indicator
/// and up to two more columns (binary or numeric), half with heavy
/// ties: the fallback always converges (the unit tests of
/// `stats::cox_firth` check U* ~ 0 at the estimate), and every interval it
/// reports contains the estimate, with 0 < p ≤ 1. A bound that cannot be
/// found is an `Err`, never a NaN.
#[test]
fn random_monotone_designs() {
    // Knuth's MMIX linear congruential generator, top 53 bits.
    let mut state = 11u64;
    let mut uniform = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let (mut fits, mut intervals, mut failed) = (0, 0, 0);
    for _ in 0..200 {
        let n = 20 + (uniform() * 60.0) as usize;
        let p = 1 + (uniform() * 3.0) as usize;
        let ties = uniform() < 0.5;
        let silent = if uniform() < 0.5 { 0.0 } else { 1.0 };
        let x = DMatrix::from_fn(n, p, |_, j| match j {
            0 => (uniform() < 0.5) as u8 as f64,
            1 => (uniform() < 0.4) as u8 as f64,
            _ => uniform() * 4.0 - 2.0,
        });
        let y = (0..n)
            .map(|_| {
                let t = uniform() * 100.0;
                if ties {
                    (t / 20.0).ceil()
                } else {
                    t
                }
            })
            .collect();
        let event: Vec<bool> = (0..n)
            .map(|i| uniform() < 0.5 && x[(i, 0)] != silent)
            .collect();
        let d = Design {
            x,
            y,
            event,
            clusters: None,
        };
        let independent = independent_columns(&d.x).len() == p;
        if !independent || !d.event.iter().any(|&e| e) {
            continue;
        }
        let fit = fit_cox(&d).expect("converges");
        assert_eq!(fit.status, ModelStatus::Firth);
        fits += 1;
        for j in 0..p {
            match penalised_effect(&d, &fit, j, 1.959963984540054) {
                Ok(e) => {
                    assert!(e.ci.low < e.estimate && e.estimate < e.ci.high, "{e:?}");
                    assert!(e.ci.low.is_finite() && e.ci.high.is_finite());
                    let p = e.p_value.expect("p");
                    assert!(p > 0.0 && p <= 1.0);
                    intervals += 1;
                }
                Err(status) => {
                    assert_eq!(status, ModelStatus::NotConverged);
                    failed += 1;
                }
            }
        }
    }
    assert!(
        fits > 150 && failed * 100 < intervals,
        "{fits} {intervals} {failed}"
    );
}
