//! Planted-effect simulation (issue 6 acceptance), seeded and deterministic.
//!
//! Scenario: n patients, three genotype subgroups (50/35/15%), a therapy
//! given to half, one standard-normal covariate; binary outcome from
//! logit p = -0.5 + 0.4·1[s=1] + 0.2·1[s=2] + β_s·T + 0.5·x, fitted with the
//! same interaction model `tailor estimate` uses (intercept, subgroup
//! dummies, one therapy term per subgroup, covariate) and the same code.
//!
//! 1. Coverage of the 95% Newcombe CI of the risk difference (two arms,
//!    p = 0.30 vs 0.20, 150 each) and of the Wald CI of the adjusted
//!    (conditional) odds ratio exp(β_0) in subgroup 0: within 93.5-96.5%
//!    over 1,000 replicates.
//! 2. Null interaction (β_s equal): LRT p-values uniform, KS p > 0.01.
//! 3. Mixed scenario (500 replicates): 10 gene tests per replicate, 3 with a real interaction,
//!    7 null; BH at FDR 0.05; mean false discovery proportion <= 0.05.

use nalgebra::DMatrix;
use tailor_estimate::stats::bh::bh_q_values;
use tailor_estimate::stats::design::Design;
use tailor_estimate::stats::logistic::fit_logistic;
use tailor_estimate::stats::lrt::likelihood_ratio_test;
use tailor_estimate::stats::newcombe::newcombe;
use tailor_estimate::stats::normal::z_critical;

mod rng;

use rng::Rng;

const REPLICATES: usize = 1000;

struct Data {
    subgroup: Vec<usize>,
    treated: Vec<bool>,
    x: Vec<f64>,
    y: Vec<f64>,
}

fn simulate(rng: &mut Rng, n: usize, beta: [f64; 3]) -> Data {
    let mut d = Data {
        subgroup: Vec::new(),
        treated: Vec::new(),
        x: Vec::new(),
        y: Vec::new(),
    };
    for _ in 0..n {
        let u = rng.uniform();
        let s = if u < 0.5 {
            0
        } else if u < 0.85 {
            1
        } else {
            2
        };
        let t = rng.uniform() < 0.5;
        let x = rng.normal();
        let base = [-0.5, -0.1, -0.3][s];
        let eta = base + if t { beta[s] } else { 0.0 } + 0.5 * x;
        let p = 1.0 / (1.0 + (-eta).exp());
        d.subgroup.push(s);
        d.treated.push(t);
        d.x.push(x);
        d.y.push(if rng.uniform() < p { 1.0 } else { 0.0 });
    }
    d
}

/// The interaction model (full) or the common-effect model (reduced).
fn design(d: &Data, full: bool) -> Design {
    let n = d.y.len();
    let p = if full { 7 } else { 5 };
    let x = DMatrix::from_fn(n, p, |i, j| {
        let s = d.subgroup[i];
        let t = if d.treated[i] { 1.0 } else { 0.0 };
        match (j, full) {
            (0, _) => 1.0,
            (1, _) => f64::from(u8::from(s == 1)),
            (2, _) => f64::from(u8::from(s == 2)),
            (3, true) => t * f64::from(u8::from(s == 0)),
            (4, true) => t * f64::from(u8::from(s == 1)),
            (5, true) => t * f64::from(u8::from(s == 2)),
            (3, false) => t,
            _ => d.x[i],
        }
    });
    Design {
        x,
        y: d.y.clone(),
        event: Vec::new(),
        clusters: None,
    }
}

fn interaction_p(d: &Data) -> Option<f64> {
    let full = fit_logistic(&design(d, true)).ok()?;
    let reduced = fit_logistic(&design(d, false)).ok()?;
    likelihood_ratio_test(full.log_likelihood, reduced.log_likelihood, 2).map(|(_, p)| p)
}

/// Kolmogorov-Smirnov test of uniformity: p-value by the asymptotic
/// Kolmogorov distribution with Stephens' (1970) small-sample correction.
fn ks_uniform_p(p: &mut [f64]) -> f64 {
    p.sort_by(f64::total_cmp);
    let n = p.len() as f64;
    let d = p
        .iter()
        .enumerate()
        .map(|(i, &v)| ((i as f64 + 1.0) / n - v).max(v - i as f64 / n))
        .fold(0.0, f64::max);
    let lambda = (n.sqrt() + 0.12 + 0.11 / n.sqrt()) * d;
    let mut sum = 0.0;
    for k in 1..100 {
        let k = k as f64;
        sum += 2.0 * (-1f64).powf(k - 1.0) * (-2.0 * k * k * lambda * lambda).exp();
    }
    sum.clamp(0.0, 1.0)
}

#[test]
fn risk_difference_ci_covers() {
    let mut rng = Rng(20261125);
    let z = z_critical(0.95);
    let (p1, p2, n) = (0.30, 0.20, 150u64);
    let mut covered = 0;
    for _ in 0..REPLICATES {
        let x1 = (0..n).filter(|_| rng.uniform() < p1).count() as u64;
        let x2 = (0..n).filter(|_| rng.uniform() < p2).count() as u64;
        let (_, ci) = newcombe(x1, n, x2, n, z).expect("non-empty arms");
        if ci.low <= p1 - p2 && p1 - p2 <= ci.high {
            covered += 1;
        }
    }
    let coverage = covered as f64 / REPLICATES as f64;
    println!("Newcombe RD coverage: {:.1}%", 100.0 * coverage);
    assert!((0.935..=0.965).contains(&coverage), "coverage {coverage}");
}

#[test]
fn adjusted_odds_ratio_ci_covers_and_null_interaction_is_uniform() {
    let mut rng = Rng(7);
    let z = z_critical(0.95);
    let beta = [0.4, 0.4, 0.4];
    let mut covered = 0;
    let mut fitted = 0;
    let mut pvalues = Vec::new();
    for _ in 0..REPLICATES {
        let d = simulate(&mut rng, 600, beta);
        let full = fit_logistic(&design(&d, true)).expect("fits");
        let (b, se) = (full.coef[3], full.se(3));
        fitted += 1;
        if b - z * se <= beta[0] && beta[0] <= b + z * se {
            covered += 1;
        }
        let reduced = fit_logistic(&design(&d, false)).expect("fits");
        let (_, p) =
            likelihood_ratio_test(full.log_likelihood, reduced.log_likelihood, 2).expect("df 2");
        pvalues.push(p);
    }
    let coverage = covered as f64 / fitted as f64;
    let ks = ks_uniform_p(&mut pvalues);
    println!(
        "adjusted OR coverage: {:.1}% ({fitted} fits); null interaction KS p = {ks:.3}",
        100.0 * coverage
    );
    assert!((0.935..=0.965).contains(&coverage), "coverage {coverage}");
    assert!(ks > 0.01, "KS p {ks}");
}

#[test]
fn bh_controls_false_discovery_proportion() {
    let mut rng = Rng(99);
    let fdr = 0.05;
    let mut total_fdp = 0.0;
    let mut discoveries = 0usize;
    // 500 replicates x 10 tests = 5,000 interaction tests (10,000 fits):
    // enough for the mean FDP to be estimated within about +-0.01.
    let reps = 500;
    for _ in 0..reps {
        let mut p = Vec::new();
        let mut is_null = Vec::new();
        for test in 0..10 {
            let null = test >= 3;
            let beta = if null {
                [0.3, 0.3, 0.3]
            } else {
                [0.0, 1.2, -0.6]
            };
            let d = simulate(&mut rng, 300, beta);
            p.push(interaction_p(&d));
            is_null.push(null);
        }
        let q = bh_q_values(&p);
        let rejected: Vec<usize> = (0..q.len())
            .filter(|&i| q[i].is_some_and(|q| q <= fdr))
            .collect();
        let false_rejections = rejected.iter().filter(|&&i| is_null[i]).count();
        discoveries += rejected.len();
        total_fdp += false_rejections as f64 / rejected.len().max(1) as f64;
    }
    let mean_fdp = total_fdp / reps as f64;
    println!("mixed scenario: mean FDP {mean_fdp:.4} at FDR {fdr}; {discoveries} discoveries over {reps} replicates");
    assert!(mean_fdp <= fdr, "mean FDP {mean_fdp}");
    assert!(discoveries > 0);
}
