"""Firth-penalised Cox regression, written for tailor's tests and independent of it.

No Python package ships a Firth Cox fit (R's coxphf is the reference
implementation), so tests compare `tailor estimate` with this one, which
shares none of tailor's algorithms:

- l(beta): the partial log-likelihood with Efron's (or Breslow's) ties, from
  cumulative risk-set sums over the rows sorted by time, all tied events at
  once; I(beta): its observed information by the textbook formula;
  l*(beta) = l(beta) + 1/2 log det I(beta) (Heinze & Schemper 2001).
- Gradients of l* by complex-step differentiation (Im l*(beta + ih e_j) / h:
  exact to rounding), its Hessian by central differences of that gradient,
  where tailor evaluates the modified score U + 1/2 tr(I^-1 dI/dbeta)
  analytically and steps with I.
- The maximum by scipy.optimize.minimize(method="trust-exact"), a trust
  region method on that Hessian, finished by Newton steps once l* no
  longer changes to rounding (profile points start from the previous one
  with Newton steps alone), where tailor runs Newton-Raphson with the
  information and step halving.
- Profile penalised likelihood CI: P(b) = max over the other coefficients
  of l*(b, ...), by the same optimiser; the bounds are the roots of
  2 (l*max - P(b)) = chi2_{1, level} by scipy.optimize.brentq. The
  p-value is chi2.sf(2 (l*max - P(0)), 1).

Checked against published coxphf output in test_estimate_cox_firth.py.
"""

import numpy as np
from scipy import optimize, stats

STEP = 1e-30  # complex step
HESSIAN_STEP = 1e-5


class Data:
    """A Cox data set, sorted once: rows by time descending, and for each
    event its risk set (everyone with time >= its time, a prefix), the
    span of its tied events and its Efron weight
    f = (rank within the tied events) / (tied events)."""

    def __init__(self, x, time, event, ties="efron"):
        order = np.argsort(-np.asarray(time, float), kind="stable")
        self.x = np.asarray(x, float)[order]
        time = np.asarray(time, float)[order]
        event = np.asarray(event, bool)[order]
        # the risk set of a row ends at the last row with its time
        last = np.searchsorted(-time, -time, side="right") - 1
        self.dead = np.nonzero(event)[0]
        self.risk_end = last[self.dead]
        # tied events are consecutive: each event's group is [start, end]
        new_group = np.r_[True, self.risk_end[1:] != self.risk_end[:-1]]
        start = np.maximum.accumulate(np.where(new_group, np.arange(len(self.dead)), 0))
        end = np.searchsorted(self.risk_end, self.risk_end, side="right") - 1
        self.start, self.end = start, end
        rank = np.arange(len(self.dead)) - start
        self.f = rank / (end - start + 1) if ties == "efron" else np.zeros(len(self.dead))
        self.hessians = {}  # by free coefficients, for Newton polishing

    def likelihood(self, beta):
        """l(beta) and I(beta) (complex for complex beta)."""
        x = self.x
        eta = x @ np.asarray(beta)
        shift = np.max(eta.real)
        w = np.exp(eta - shift)
        xx = x[:, :, None] * x[:, None, :]
        s0 = np.cumsum(w)[self.risk_end]
        s1 = np.cumsum(w[:, None] * x, axis=0)[self.risk_end]
        s2 = np.cumsum(w[:, None, None] * xx, axis=0)[self.risk_end]
        wd = w[self.dead]

        def tied(v):
            """Per event, the sum of v over its tied events."""
            c = np.concatenate([np.zeros((1,) + v.shape[1:], v.dtype), np.cumsum(v, axis=0)])
            return c[self.end + 1] - c[self.start]

        d0 = tied(wd)
        d1 = tied(wd[:, None] * x[self.dead])
        d2 = tied(wd[:, None, None] * xx[self.dead])
        f = self.f
        a0 = s0 - f * d0
        a1 = s1 - f[:, None] * d1
        a2 = s2 - f[:, None, None] * d2
        ll = eta[self.dead].sum() - np.sum(shift + np.log(a0))
        info = np.sum(a2 / a0[:, None, None] - a1[:, :, None] * a1[:, None, :] / (a0**2)[:, None, None], axis=0)
        return ll, info

    def penalised(self, beta):
        """l*(beta); -inf when I(beta) is not positive definite."""
        ll, info = self.likelihood(beta)
        if not np.iscomplexobj(info):
            try:
                np.linalg.cholesky(info)
            except np.linalg.LinAlgError:
                return -np.inf
            return ll + 0.5 * np.linalg.slogdet(info)[1]
        sign, logabs = np.linalg.slogdet(info)
        if not (sign.real > 0 and np.isfinite(logabs)):
            return -np.inf
        return ll + 0.5 * (np.log(sign) + logabs)

    def gradient(self, beta):
        """d l*/d beta by complex steps."""
        beta = np.asarray(beta, dtype=float)
        g = np.empty(len(beta))
        for j in range(len(beta)):
            b = beta.astype(complex)
            b[j] += 1j * STEP
            g[j] = self.penalised(b).imag / STEP
        return g

    def hessian(self, beta):
        """d2 l*/d beta2 by central differences of the gradient."""
        p = len(beta)
        h = np.empty((p, p))
        for j in range(p):
            up, down = np.array(beta, float), np.array(beta, float)
            up[j] += HESSIAN_STEP
            down[j] -= HESSIAN_STEP
            h[:, j] = (self.gradient(up) - self.gradient(down)) / (2 * HESSIAN_STEP)
        return (h + h.T) / 2

    def maximise(self, fixed=None, start=None):
        """max l* over the coefficients not in `fixed` ({index: value}),
        from `start` (default 0). Returns (beta, l*max)."""
        p = self.x.shape[1]
        fixed = fixed or {}
        free = [j for j in range(p) if j not in fixed]
        beta = np.zeros(p) if start is None else np.array(start, float)
        for j, v in fixed.items():
            beta[j] = v
        if not free:
            return beta, self.penalised(beta)

        def full(b_free):
            b = beta.copy()
            b[free] = b_free
            return b

        def neg(b_free):
            v = self.penalised(full(b_free))
            return -v if np.isfinite(v) else 1e300

        grad = lambda b: self.gradient(full(b))[free]

        def newton(b):
            """Newton steps on the exact gradient, the Hessian of l* by
            finite differences (reused while it keeps the steps
            converging), until the gradient is 1e-11 or stops falling
            below 1e-8 (rounding); None otherwise."""
            key = tuple(free)
            for _ in range(100):
                g = np.max(np.abs(grad(b)))
                if g < 1e-11:
                    return b
                fresh = key not in self.hessians
                if fresh:
                    self.hessians[key] = self.hessian(full(b))[np.ix_(free, free)]
                step = np.linalg.solve(self.hessians[key], grad(b))
                if not np.max(np.abs(grad(b - step))) < g:
                    del self.hessians[key]
                    if fresh:
                        return b if g < 1e-8 else None
                    continue
                b = b - step
            return None

        # From a nearby start (a profile's previous point) Newton alone;
        # else a trust region first, which stops once l* no longer changes
        # to rounding, then Newton.
        b = newton(beta[free]) if start is not None else None
        if b is None:
            res = optimize.minimize(
                neg,
                beta[free],
                jac=lambda b: -grad(b),
                hess=lambda b: -self.hessian(full(b))[np.ix_(free, free)],
                method="trust-exact",
                options={"gtol": 1e-8},
            )
            b = newton(res.x)
            assert b is not None, (res.message, res.x)
        beta = full(b)
        value = self.penalised(beta)
        assert np.isfinite(value) and np.max(np.abs(self.gradient(beta)[free])) < 1e-8, beta
        return beta, value


class Fit:
    """A Firth Cox fit with coxphf's inference for every coefficient."""

    def __init__(self, x, time, event, ties="efron", level=0.95):
        self.data = Data(x, time, event, ties)
        self.beta, self.loglik = self.data.maximise()
        self.cov = np.linalg.inv(self.data.likelihood(self.beta)[1])
        self.threshold = stats.chi2.ppf(level, 1)
        self.warm = {}

    def se(self, j):
        return float(np.sqrt(self.cov[j, j]))

    def profile(self, j, b):
        """max of l* with beta_j = b (from the last profile maximum of the
        current search, else from the estimate)."""
        beta, value = self.data.maximise(fixed={j: b}, start=self.warm.get(j, self.beta))
        self.warm[j] = beta
        return value

    def chisq(self, j):
        """The penalised likelihood-ratio statistic of beta_j = 0."""
        self.warm.pop(j, None)
        return 2 * (self.loglik - self.profile(j, 0.0))

    def p_value(self, j):
        return float(stats.chi2.sf(self.chisq(j), 1))

    def ci(self, j):
        """Profile penalised likelihood interval of beta_j (log scale)."""
        g = lambda b: 2 * (self.loglik - self.profile(j, b)) - self.threshold
        bounds = []
        for direction in (-1.0, 1.0):
            self.warm.pop(j, None)
            inner, step = self.beta[j], 0.5
            while True:
                outer = self.beta[j] + direction * step
                value = g(outer)
                if not np.isfinite(value) or value > 0:
                    break
                inner, step = outer, 2 * step
                assert step < 1e4, "no profile bound"
            while not np.isfinite(value):
                outer = (inner + outer) / 2
                value = g(outer)
            bounds.append(optimize.brentq(g, min(inner, outer), max(inner, outer), xtol=1e-13, rtol=1e-13))
        return bounds[0], bounds[1]
