//! Profile-likelihood confidence bounds: where a profile log-likelihood
//! P(b) falls `threshold / 2` below its maximum, found by bracketing and
//! Brent's (1973) root finder.
//!
//! The bound on one side of the estimate b̂ is the root of
//! g(b) = 2 (P(b̂) − P(b)) − threshold, g(b̂) = −threshold < 0: steps of
//! `step`, doubled each time (at most 30), until g > 0, then Brent's method
//! to an absolute tolerance of 1e-10 on b. A P(b) of −∞ (a likelihood
//! that underflows far out) counts as beyond the bound: the bracket is
//! bisected back until g is finite.

/// Absolute tolerance on a bound.
const TOLERANCE: f64 = 1e-10;
/// Doublings of the search step before giving up.
const MAX_DOUBLINGS: usize = 30;
/// Iterations of Brent's method or of bisection before giving up.
const MAX_ITER: usize = 200;

/// The bound on the side of `estimate` that `step` points to (negative:
/// the lower bound): the b where 2 (`maximum` − P(b)) = `threshold`, with
/// P given by `profile` (`None`: P could not be computed). `None` when no
/// bound is found.
pub fn profile_bound(
    estimate: f64,
    step: f64,
    maximum: f64,
    threshold: f64,
    profile: &mut impl FnMut(f64) -> Option<f64>,
) -> Option<f64> {
    if !(step.is_finite() && step != 0.0 && threshold > 0.0) {
        return None;
    }
    let mut g = |b: f64| profile(b).map(|p| 2.0 * (maximum - p) - threshold);
    let (mut inner, mut g_inner) = (estimate, -threshold);
    let mut distance = step;
    for _ in 0..MAX_DOUBLINGS {
        let outer = estimate + distance;
        let g_outer = g(outer)?;
        if g_outer.is_nan() {
            return None;
        }
        if g_outer > 0.0 {
            return solve(&mut g, inner, g_inner, outer, g_outer);
        }
        inner = outer;
        g_inner = g_outer;
        distance *= 2.0;
    }
    None
}

/// The root of g in [inner, outer], g(inner) < 0 < g(outer) (+∞ allowed:
/// bisected until the outer end has a finite g).
fn solve(
    g: &mut impl FnMut(f64) -> Option<f64>,
    mut inner: f64,
    mut g_inner: f64,
    mut outer: f64,
    mut g_outer: f64,
) -> Option<f64> {
    for _ in 0..MAX_ITER {
        if g_outer.is_finite() {
            return brent(g, inner, g_inner, outer, g_outer);
        }
        if (outer - inner).abs() < TOLERANCE {
            return Some(outer);
        }
        let mid = 0.5 * (inner + outer);
        let g_mid = g(mid)?;
        if g_mid.is_nan() {
            return None;
        }
        if g_mid > 0.0 {
            outer = mid;
            g_outer = g_mid;
        } else {
            inner = mid;
            g_inner = g_mid;
        }
    }
    None
}

/// Brent's method on [a, b] with g(a), g(b) of opposite signs (Numerical
/// Recipes' `zbrent`): inverse quadratic interpolation or secant steps,
/// bisection when they would leave the bracket or converge too slowly.
fn brent(
    g: &mut impl FnMut(f64) -> Option<f64>,
    mut a: f64,
    mut fa: f64,
    mut b: f64,
    mut fb: f64,
) -> Option<f64> {
    let (mut c, mut fc) = (b, fb);
    let (mut d, mut e) = (b - a, b - a);
    for _ in 0..MAX_ITER {
        if (fb > 0.0) == (fc > 0.0) {
            c = a;
            fc = fa;
            d = b - a;
            e = d;
        }
        if fc.abs() < fb.abs() {
            (a, b, c) = (b, c, b);
            (fa, fb, fc) = (fb, fc, fb);
        }
        let tol = 2.0 * f64::EPSILON * b.abs() + 0.5 * TOLERANCE;
        let xm = 0.5 * (c - b);
        if xm.abs() <= tol || fb == 0.0 {
            return Some(b);
        }
        if e.abs() >= tol && fa.abs() > fb.abs() {
            let s = fb / fa;
            let (mut p, mut q) = if a == c {
                (2.0 * xm * s, 1.0 - s)
            } else {
                let q = fa / fc;
                let r = fb / fc;
                (
                    s * (2.0 * xm * q * (q - r) - (b - a) * (r - 1.0)),
                    (q - 1.0) * (r - 1.0) * (s - 1.0),
                )
            };
            if p > 0.0 {
                q = -q;
            }
            p = p.abs();
            if 2.0 * p < (3.0 * xm * q - (tol * q).abs()).min((e * q).abs()) {
                e = d;
                d = p / q;
            } else {
                d = xm;
                e = d;
            }
        } else {
            d = xm;
            e = d;
        }
        a = b;
        fa = fb;
        b += if d.abs() > tol { d } else { tol.copysign(xm) };
        fb = g(b)?;
        if !fb.is_finite() {
            return None;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A quadratic profile gives the Wald bounds b̂ ± sqrt(threshold) · se.
    #[test]
    fn quadratic_profile_gives_wald_bounds() {
        let (b_hat, se) = (0.7, 0.4);
        let mut p = |b: f64| Some(-0.5 * ((b - b_hat) / se).powi(2));
        let q = 3.841458820694124;
        let low = profile_bound(b_hat, -0.1, 0.0, q, &mut p).expect("low");
        let high = profile_bound(b_hat, 0.1, 0.0, q, &mut p).expect("high");
        assert!((low - (b_hat - q.sqrt() * se)).abs() < 1e-10, "{low}");
        assert!((high - (b_hat + q.sqrt() * se)).abs() < 1e-10, "{high}");
    }

    /// A profile that is −∞ past some point is bisected back.
    #[test]
    fn infinite_profile_is_bracketed_back() {
        let mut p = |b: f64| Some(if b > 3.0 { f64::NEG_INFINITY } else { -b * b });
        let high = profile_bound(0.0, 1.0, 0.0, 4.0, &mut p).expect("high");
        assert!((high - 2.0_f64.sqrt()).abs() < 1e-10, "{high}");
        let mut flat = |_: f64| Some(0.0);
        assert_eq!(profile_bound(0.0, 1.0, 0.0, 4.0, &mut flat), None);
        let mut failing = |_: f64| None;
        assert_eq!(profile_bound(0.0, 1.0, 0.0, 4.0, &mut failing), None);
    }
}
