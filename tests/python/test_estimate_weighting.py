"""`tailor estimate`'s IPW and AIPW therapy contrasts, their balance and
overlap tables, against an independent reference computed here.

A seeded cohort with confounding by indication (therapy depends on age,
sex and pc1, which also drive the outcomes) is written as Parquet and run
through the real binary with `weighting = ["ipw", "aipw"]`. Per subgroup
and therapy contrast the test refits the propensity score with statsmodels
Logit, truncates the weights at numpy percentiles, and checks:

- IPW risk / mean difference: statsmodels WLS of y on [1, T] with the
  weights; IPW risk ratio: statsmodels GLM Poisson (log link) with
  var_weights; their standard errors: the M-estimation sandwich of the
  stacked estimating equations (propensity score, one weighted mean per
  arm), with the Jacobian taken by central finite differences here — not
  the analytic derivative tailor uses;
- AIPW: per-arm outcome models (statsmodels Logit / OLS) and the
  augmented estimator with its influence-function SE, in numpy;
- standardised mean differences before and after weighting, the
  propensity ranges, truncation bounds and effective sample sizes;

all to 1e-6 relative (1e-9 absolute). The three new outputs open in
pyarrow and DuckDB with their documented types, and the verdict comes from
the configured estimator.
"""

import numpy as np
import pytest

from conftest import require
from test_estimate_stats import PHENOS, THERAPIES, close, cyp2c19_columns, run_estimate, write_cohort

pa = require("pyarrow")
pq = require("pyarrow.parquet")
sm = require("statsmodels.api")
st = require("scipy.stats")
duckdb = require("duckdb")

Z = st.norm.ppf(0.975)
TRUNCATION = [2.0, 98.0]

CONFIG = """
[estimate]
comparator = "ticagrelor"
covariates = ["age", "sex", "pc1"]
weighting = ["ipw", "aipw"]
verdict_estimator = "aipw"
weight_truncation = [2.0, 98.0]
suppression_threshold = 0
"""


def confounded_cohort(path, n=2400, seed=11):
    rng = np.random.default_rng(seed)
    pheno = rng.choice(3, size=n, p=[0.4, 0.45, 0.15])
    age = rng.normal(62, 10, n).round(1)
    sex = rng.choice(["F", "M"], size=n)
    pc1 = rng.normal(0, 1, n)
    male = (sex == "M").astype(float)
    # Therapy by indication: older men at high pc1 get clopidogrel more often.
    logits = np.stack([0.04 * (age - 62) + 0.5 * male + 0.4 * pc1, -0.3 + 0.2 * male, np.zeros(n)], axis=1)
    probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    therapy = np.array([rng.choice(3, p=p) for p in probs])
    eta = -1.0 + 0.03 * (age - 62) + 0.4 * male + 0.3 * pc1 + 0.8 * ((therapy == 0) & (pheno == 2)) - 0.3 * (therapy == 1)
    mace = rng.random(n) < 1 / (1 + np.exp(-eta))
    ldl = 100 + 0.4 * (age - 62) + 6 * male + 3 * pc1 + 9 * ((therapy == 0) & (pheno == 2)) + rng.normal(0, 12, n)
    columns = {
        "patient_id": pa.array([f"p{i:05d}" for i in range(n)], pa.string()),
        "episode_id": pa.array([None] * n, pa.string()),
        "therapy": pa.array([THERAPIES[t] for t in therapy], pa.string()),
        "mace": pa.array(mace, pa.bool_()),
        "ldl": pa.array(ldl, pa.float64()),
        "age": pa.array(age, pa.float64()),
        "sex": pa.array(sex, pa.string()),
        "pc1": pa.array(pc1, pa.float64()),
        **cyp2c19_columns([PHENOS[i] for i in pheno]),
    }
    roles = {
        "outcomes": [
            {"name": "mace", "kind": "binary", "higher_is_better": False},
            {"name": "ldl", "kind": "continuous", "higher_is_better": False, "unit": "mg/dL"},
        ],
        "covariates": [
            {"name": "age", "kind": "numeric"},
            {"name": "sex", "kind": "categorical", "reference": "F"},
            {"name": "pc1", "kind": "numeric"},
        ],
        "genes": ["CYP2C19"],
    }
    return write_cohort(path, columns, roles)


def covariates(df):
    return np.column_stack([np.ones(len(df)), df["age"], (df["sex"] == "M").astype(float), df["pc1"]])


def stacked_sandwich(X, t, y, beta, bounds, mu1, mu0):
    """Covariance of (mu1, mu0) from psi = [(t - e) x, t w (y - mu1),
    (1 - t) w (y - mu0)] with A = -d(sum psi)/d theta by central differences
    and B = sum psi psi'. A weight truncated at the estimate stays at its
    bound (the derivative of the clamp there is 0; a difference step must
    not carry a row across the bound)."""
    p = X.shape[1]

    def raw(b):
        e = 1 / (1 + np.exp(-X @ b))
        return e, np.where(t == 1, 1 / e, 1 / (1 - e))

    fitted = np.clip(raw(beta)[1], *bounds)
    truncated = fitted != raw(beta)[1]

    def psi(theta):
        e, w = raw(theta[:p])
        w = np.where(truncated, fitted, w)
        return np.column_stack([(t - e)[:, None] * X, t * w * (y - theta[p]), (1 - t) * w * (y - theta[p + 1])])

    theta = np.concatenate([beta, [mu1, mu0]])
    A = np.empty((p + 2, p + 2))
    for j in range(p + 2):
        h = 1e-6 * max(1.0, abs(theta[j]))
        up, down = theta.copy(), theta.copy()
        up[j] += h
        down[j] -= h
        A[:, j] = -(psi(up).sum(axis=0) - psi(down).sum(axis=0)) / (2 * h)
    P = psi(theta)
    Ainv = np.linalg.inv(A)
    return (Ainv @ (P.T @ P) @ Ainv.T)[p:, p:]


def reference(df, outcome):
    """Everything tailor reports for one subgroup x contrast x outcome."""
    X = covariates(df)
    t = (df["therapy"] != "ticagrelor").astype(float).values
    logit = sm.Logit(t, X).fit(disp=0, method="newton", tol=1e-13, maxiter=200)
    beta, ps = logit.params, logit.predict(X)
    raw = np.where(t == 1, 1 / ps, 1 / (1 - ps))
    low, high = np.percentile(raw, TRUNCATION)
    w = np.clip(raw, low, high)
    binary = outcome == "mace"
    y = df[outcome].astype(float).values
    T = np.column_stack([np.ones(len(df)), t])
    out = {"ps": ps, "w": w, "bounds": (low, high), "truncated": int(np.sum(raw != w))}
    wls = sm.WLS(y, T, weights=w).fit()
    mu0, mu1 = wls.params[0], wls.params[0] + wls.params[1]
    V = stacked_sandwich(X, t, y, beta, (low, high), mu1, mu0)
    key = "risk_difference" if binary else "mean_difference"
    out[("ipw", key)] = (wls.params[1], np.sqrt(V[0, 0] + V[1, 1] - 2 * V[0, 1]))
    if binary:
        glm = sm.GLM(y, T, family=sm.families.Poisson(), var_weights=w).fit(tol=1e-13)
        se = np.sqrt(V[0, 0] / mu1**2 + V[1, 1] / mu0**2 - 2 * V[0, 1] / (mu1 * mu0))
        out[("ipw", "risk_ratio")] = (np.exp(glm.params[1]), se)

    def predictions(arm):
        rows = t == arm
        if binary:
            return sm.Logit(y[rows], X[rows]).fit(disp=0, method="newton", tol=1e-13, maxiter=200).predict(X)
        return sm.OLS(y[rows], X[rows]).fit().predict(X)

    m1, m0 = predictions(1), predictions(0)
    phi1 = m1 + t * w * (y - m1)
    phi0 = m0 + (1 - t) * w * (y - m0)
    n = len(y)
    delta = phi1.mean() - phi0.mean()
    out[("aipw", key)] = (delta, np.sqrt(np.sum((phi1 - phi0 - delta) ** 2)) / n)
    if binary:
        mu1, mu0 = phi1.mean(), phi0.mean()
        influence = (phi1 - mu1) / mu1 - (phi0 - mu0) / mu0
        out[("aipw", "risk_ratio")] = (mu1 / mu0, np.sqrt(np.sum(influence**2)) / n)
    smd = {}
    for j, term in [(1, "age"), (2, "sex=M"), (3, "pc1")]:
        x = X[:, j]
        a, b = x[t == 1], x[t == 0]
        sd = np.sqrt((a.var(ddof=1) + b.var(ddof=1)) / 2)
        after = np.average(a, weights=w[t == 1]) - np.average(b, weights=w[t == 0])
        smd[term] = ((a.mean() - b.mean()) / sd, after / sd)
    out["smd"] = smd
    out["ess"] = tuple(w[t == arm].sum() ** 2 / np.sum(w[t == arm] ** 2) for arm in (1, 0))
    return out


def test_weighted_contrasts_match_the_reference(tailor_bin, tmp_path):
    df = confounded_cohort(tmp_path / "cohort.parquet")
    _, effects = run_estimate(tailor_bin, tmp_path, tmp_path / "cohort.parquet", CONFIG)
    out = tmp_path / "out"
    balance = pq.read_table(out / "balance.parquet").to_pandas()
    overlap = pq.read_table(out / "overlap.parquet").to_pandas()
    checked = 0
    for pheno in PHENOS:
        for therapy in ["clopidogrel", "prasugrel"]:
            arms = df[(df["CYP2C19_phenotype"] == pheno) & df["therapy"].isin([therapy, "ticagrelor"])]
            for outcome in ["mace", "ldl"]:
                ref = reference(arms.reset_index(drop=True), outcome)
                rows = effects[
                    (effects.subgroup == pheno)
                    & (effects.therapy == therapy)
                    & (effects.outcome == outcome)
                    & effects.model.isin(["ipw", "aipw"])
                ]
                assert len(rows) == (4 if outcome == "mace" else 2)
                for r in rows.itertuples():
                    what = f"{pheno} {therapy} {outcome} {r.model} {r.measure}"
                    want, se = ref[(r.model, r.measure)]
                    assert r.status == "ok", what
                    close(r.effect, want, what)
                    close(r.se, se, what + " se")
                    if r.measure == "risk_ratio":
                        close(r.ci_low, want * np.exp(-Z * se), what + " ci")
                        close(r.ci_high, want * np.exp(Z * se), what + " ci")
                        close(r.p_value, 2 * st.norm.sf(abs(np.log(want) / se)), what + " p")
                    else:
                        close(r.ci_low, want - Z * se, what + " ci")
                        close(r.ci_high, want + Z * se, what + " ci")
                        close(r.p_value, 2 * st.norm.sf(abs(want / se)), what + " p")
                    assert r.adjusted and r.p_method == "wald"
                    primary = r.model == "aipw" and r.measure in ("risk_difference", "mean_difference")
                    assert r.primary_row == primary, what
                    checked += 1
                o = overlap[(overlap.subgroup == pheno) & (overlap.therapy == therapy) & (overlap.outcome == outcome)]
                assert len(o) == 1
                o = o.iloc[0]
                t = arms["therapy"] != "ticagrelor"
                assert o.n_therapy == t.sum() and o.n_comparator == (~t).sum()
                close(o.ps_min_therapy, ref["ps"][t.values].min(), "ps min")
                close(o.ps_max_comparator, ref["ps"][~t.values].max(), "ps max")
                close(o.weight_low, ref["bounds"][0], "weight low")
                close(o.weight_high, ref["bounds"][1], "weight high")
                assert o.weights_truncated == ref["truncated"]
                close(o.ess_therapy, ref["ess"][0], "ess")
                close(o.ess_comparator, ref["ess"][1], "ess")
                b = balance[(balance.subgroup == pheno) & (balance.therapy == therapy) & (balance.outcome == outcome)]
                assert sorted(b.term) == ["age", "pc1", "sex=M"]
                for r in b.itertuples():
                    close(r.smd_unweighted, ref["smd"][r.term][0], f"smd {r.term}")
                    close(r.smd_weighted, ref["smd"][r.term][1], f"smd weighted {r.term}")
    assert checked == 3 * 2 * 6
    # The regression row stays, no longer primary; verdicts sit on AIPW rows.
    regression = effects[(effects.model == "logistic_irls") & (effects.contrast_kind == "therapy_vs_comparator")]
    assert len(regression) and not regression.primary_row.any()
    assert effects[effects.verdict.notna() & (effects.contrast_kind == "therapy_vs_comparator")].model.eq("aipw").all()
    # Weighting moves the confounded covariates towards balance.
    assert (balance.smd_weighted.abs() < balance.smd_unweighted.abs()).mean() > 0.8


def test_weighting_tables_open_with_documented_types(tailor_bin, tmp_path):
    confounded_cohort(tmp_path / "cohort.parquet", n=900, seed=3)
    run_estimate(tailor_bin, tmp_path, tmp_path / "cohort.parquet", CONFIG.replace("suppression_threshold = 0", ""))
    out = tmp_path / "out"
    types = {
        "balance": {"term": pa.string(), "smd_unweighted": pa.float64(), "smd_weighted": pa.float64(), "suppressed": pa.bool_()},
        "overlap": {
            "status": pa.string(),
            "n_therapy": pa.int64(),
            "ps_min_therapy": pa.float64(),
            "weights_truncated": pa.int64(),
            "ess_comparator": pa.float64(),
            "suppressed": pa.bool_(),
        },
    }
    con = duckdb.connect()
    for table, columns in types.items():
        schema = pq.read_schema(out / f"{table}.parquet")
        for name, kind in columns.items():
            assert schema.field(name).type == kind, (table, name)
        assert schema.metadata[b"tailor.table"] == table.encode()
        rows = con.execute(f"SELECT count(*), count(*) FILTER (WHERE suppressed) FROM '{out / table}.parquet'").fetchone()
        assert rows[0] > 0
    # Small complete-case arms are hidden in both tables, as in the others.
    overlap = pq.read_table(out / "overlap.parquet").to_pandas()
    shown = overlap[~overlap.suppressed]
    assert ((shown.n_therapy > 10) | (shown.n_therapy == 0)).all()
    assert ((shown.n_comparator > 10) | (shown.n_comparator == 0)).all()
    hidden = overlap[overlap.suppressed]
    assert hidden[["n_therapy", "ps_min_therapy", "ess_therapy"]].isna().all().all()
