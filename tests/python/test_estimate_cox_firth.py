"""`tailor estimate`'s Firth-penalised Cox fits against an independent reference.

When a Cox fit has monotone likelihood (an arm of a subgroup without events:
the hazard ratio runs to 0 or infinity), tailor refits it with Firth's
penalised partial likelihood (model `cox_firth`). No Python package has
that fit, so `firth_cox.py` implements it from the definitions with other
algorithms (complex-step gradients, a trust region and Newton steps on the
Hessian of l*, brentq), and that reference is first checked against
published coxphf output. Every
death row of each cohort below is then recomputed: `cox_firth` rows with
the reference (estimate, SE, profile penalised likelihood CI, penalised
LRT p, and the penalised interaction LRT), `cox_efron` rows with
statsmodels PHReg as in test_estimate_stats.py. Tolerance: 1e-6 relative
or 1e-9 absolute.
"""

import numpy as np

from conftest import require

pd = require("pandas")
pa = require("pyarrow")
st = require("scipy.stats")
phreg = require("statsmodels.duration.hazard_regression")
firth_cox = require("firth_cox")
estimate_stats = require("test_estimate_stats")

close = estimate_stats.close
PHENOS = ["Normal Metabolizer", "Intermediate Metabolizer", "Poor Metabolizer"]
REFERENCE = "Normal Metabolizer"
CONFIG = """
[estimate]
comparator = "ticagrelor"
covariates = ["age", "sex", "site"]
suppression_threshold = 0
"""
# the largest differences from the reference in the current test
WORST = {"abs": 0.0, "rel": 0.0}


def check(got, want, what):
    close(got, want, what)
    WORST["abs"] = max(WORST["abs"], abs(got - want))
    if want != 0:
        WORST["rel"] = max(WORST["rel"], abs(got - want) / abs(want))


def simulate(n, seed, silent=(), tie_days=None, episodes=1):
    """Two therapies, CYP2C19 phenotype subgroups, death with a planted
    clopidogrel x Poor Metabolizer hazard ratio, covariates age (numeric),
    sex and site (categorical, site with three levels); no deaths in the
    (phenotype, therapy) cells in `silent` (monotone likelihood). With
    `tie_days`, times are rounded up to multiples of it (many ties)."""
    rng = np.random.default_rng(seed)
    patients = n // episodes
    rows = patients * episodes
    pheno = np.repeat(rng.choice(3, size=patients, p=[0.5, 0.35, 0.15]), episodes)
    therapy = np.where(rng.random(rows) < 0.55, "clopidogrel", "ticagrelor")
    age = np.repeat(rng.normal(62, 10, patients).round(1), episodes)
    sex = np.repeat(rng.choice(["F", "M"], size=patients), episodes)
    site = np.repeat(rng.choice(["A", "B", "C"], size=patients, p=[0.5, 0.3, 0.2]), episodes)
    lp = 0.03 * (age - 62) + 0.3 * (sex == "M") + 0.4 * (site == "B") - 0.3 * (site == "C")
    lp = lp + 0.8 * ((therapy == "clopidogrel") & (pheno == 2))
    t_event = rng.exponential(1 / (0.002 * np.exp(lp)))
    t_cens = rng.uniform(60, 400, rows)
    if tie_days:
        t_event, t_cens = np.ceil(t_event / tie_days) * tie_days, np.ceil(t_cens / tie_days) * tie_days
    else:
        t_event, t_cens = t_event.round(1), t_cens.round(1)
    event = t_event <= t_cens
    for label, arm in silent:
        event[(pheno == PHENOS.index(label)) & (therapy == arm)] = False
    return pd.DataFrame(
        {
            "patient_id": np.repeat([f"p{i:04d}" for i in range(patients)], episodes),
            "episode_id": [f"e{i}" for i in range(rows)],
            "therapy": therapy,
            "death_time": np.where(event, t_event, t_cens),
            "death_event": event,
            "age": age,
            "sex": sex,
            "site": site,
            "CYP2C19_phenotype": [PHENOS[i] for i in pheno],
        }
    )


def write(path, df):
    """`df` (from `simulate`) as a tailor cohort with its roles."""
    columns = {c: pa.array(df[c].tolist()) for c in df.columns if c != "CYP2C19_phenotype"}
    columns.update(estimate_stats.cyp2c19_columns(df["CYP2C19_phenotype"].tolist()))
    roles = {
        "outcomes": [{"name": "death", "kind": "time_to_event", "higher_is_better": False, "unit": "days"}],
        "covariates": [
            {"name": "age", "kind": "numeric"},
            {"name": "sex", "kind": "categorical", "reference": "F"},
            {"name": "site", "kind": "categorical", "reference": "A"},
        ],
        "genes": ["CYP2C19"],
    }
    return estimate_stats.write_cohort(path, columns, roles)


def make_cohort(path, n, seed, **kwargs):
    """A simulated cohort (see `simulate`), written to `path`."""
    return write(path, simulate(n, seed, **kwargs))


def in_model(d, arms):
    """The rows and subgroups tailor keeps in a model over `d`: subgroups
    with a patient in every arm and at least one death (see
    `model_exclusion`)."""
    keep = []
    for s in sorted(d["CYP2C19_phenotype"].unique()):
        rows = d[d["CYP2C19_phenotype"] == s]
        if all((rows["therapy"] == arm).any() for arm in arms) and rows["death_event"].any():
            keep.append(s)
    return d[d["CYP2C19_phenotype"].isin(keep)].reset_index(drop=True), keep


def covariate_columns(d):
    """The covariate columns: age, sex against F, site against A."""
    cols = {"age": d["age"].values, "sex[M]": (d["sex"] == "M").astype(float).values}
    for level in ["B", "C"]:
        cols[f"site[{level}]"] = (d["site"] == level).astype(float).values
    return cols


def design(d, therapy=None, full=True):
    """tailor's Cox model over the rows `d` of the subgroups in the model
    (from `in_model`): subgroup dummies against the reference, the therapy
    per subgroup (or one therapy term) unless `therapy` is None, covariates."""
    by = "subgroup" if therapy is None else "therapy"
    return estimate_stats.design(d, "time_to_event", full, therapy, ref=REFERENCE, by=by, covariates=covariate_columns)


class References:
    """Firth and PHReg fits of each model, computed once."""

    def __init__(self):
        self.firth = {}
        self.plain = {}

    def firth_fit(self, key, d, x):
        if key not in self.firth:
            self.firth[key] = firth_cox.Fit(x.values, d["death_time"].values, d["death_event"].values)
        return self.firth[key]

    def plain_fit(self, key, d, x):
        if key not in self.plain:
            self.plain[key] = phreg.PHReg(d["death_time"].values, x, status=d["death_event"].astype(int).values, ties="efron").fit()
        return self.plain[key]


def check_firth(row, fit, j, what):
    """A cox_firth row against the reference coefficient j."""
    assert row.status == "firth" and row.p_method == "penalised_lrt", (row.status, row.p_method)
    assert not row.cluster_robust and pd.isna(row.ph_test_p)
    low, high = fit.ci(j)
    check(np.log(row.effect), fit.beta[j], f"{what} log HR")
    check(row.se, fit.se(j), f"{what} se")
    check(row.ci_low, np.exp(low), f"{what} CI low")
    check(row.ci_high, np.exp(high), f"{what} CI high")
    check(row.p_value, fit.p_value(j), f"{what} p")
    assert row.ci_low < row.effect < row.ci_high


def check_two_arms(row, a, b, refs, key, what):
    """An unadjusted hazard ratio of rows `a` against rows `b`."""
    if row.model == "cox_firth":
        x = pd.DataFrame({"arm": np.r_[np.ones(len(a)), np.zeros(len(b))]})
        check_firth(row, refs.firth_fit(key, pd.concat([a, b]), x), 0, what)
    else:
        assert row.status == "ok", row.status
        estimate_stats.check_unadjusted(row, a, b)


def check_adjusted(row, refs, key, d, x, column, what):
    """An adjusted hazard ratio: coefficient `column` of the model `x` over `d`."""
    if row.model == "cox_firth":
        check_firth(row, refs.firth_fit(key, d, x), list(x.columns).index(column), what)
    else:
        estimate_stats.coef_checks(row, refs.plain_fit(key, d, x), column, "time_to_event", robust=False)


def check_cohort(effects, df, therapy="clopidogrel", comparator="ticagrelor"):
    """Recomputes every death row; returns the counts of rows checked by model."""
    refs = References()
    counted = {"cox_firth": 0, "cox_efron": 0, "interaction": 0}
    d = df[df["therapy"].isin([therapy, comparator])].reset_index(drop=True)
    dm, present = in_model(d, [therapy, comparator])
    xf, xr = design(dm, therapy), design(dm, therapy, full=False)
    rows = effects[effects.contrast_kind == "therapy_vs_comparator"]
    assert set(rows.therapy) == {therapy}
    for row in rows.itertuples():
        what = f"{row.subgroup} {row.model}"
        if row.adjusted:
            if row.subgroup not in present:
                assert row.status in ("no_events", "empty") and row.note == "excluded_from_model"
                continue
            check_adjusted(row, refs, "full", dm, xf, f"T[{row.subgroup}]", what)
        else:
            a = d[(d.therapy == therapy) & (d.CYP2C19_phenotype == row.subgroup)]
            b = d[(d.therapy == comparator) & (d.CYP2C19_phenotype == row.subgroup)]
            check_two_arms(row, a, b, refs, ("unadjusted", row.subgroup), what)
        counted[row.model] += 1
    # the interaction test: a penalised LRT as soon as either model needed Firth
    method = rows.interaction_method.iloc[0]
    df_int = xf.shape[1] - xr.shape[1]
    if method == "penalised_lrt":
        full, reduced = refs.firth_fit("full", dm, xf), refs.firth_fit("reduced", dm, xr)
    else:
        assert method == "lrt", method
        full, reduced = refs.plain_fit("full", dm, xf), refs.plain_fit("reduced", dm, xr)
    loglik = lambda f: f.loglik if method == "penalised_lrt" else f.llf
    p_int = st.chi2.sf(2 * (loglik(full) - loglik(reduced)), df_int)
    for row in rows.itertuples():
        check(row.interaction_p, p_int, "interaction p")
        assert row.interaction_df == df_int
    counted["interaction"] += 1
    # subgroup vs reference, within each therapy
    for arm in [therapy, comparator]:
        d = df[df["therapy"] == arm].reset_index(drop=True)
        dm, present = in_model(d, [arm])
        x = design(dm)
        for row in effects[(effects.contrast_kind == "subgroup_vs_reference") & (effects.therapy == arm)].itertuples():
            what = f"{arm}: {row.subgroup} vs reference, {row.model}"
            if row.adjusted:
                if row.subgroup not in present:
                    assert row.status == "no_events" and row.note == "excluded_from_model"
                    continue
                check_adjusted(row, refs, ("subgroups", arm), dm, x, f"sub[{row.subgroup}]", what)
            else:
                a = d[d.CYP2C19_phenotype == row.subgroup]
                b = d[d.CYP2C19_phenotype == REFERENCE]
                check_two_arms(row, a, b, refs, ("unadjusted", arm, row.subgroup), what)
            counted[row.model] += 1
    return counted


def run(tailor_bin, tmp_path, df_path):
    """The death rows of `tailor estimate` on the cohort at `df_path`."""
    WORST.update(abs=0.0, rel=0.0)
    _, effects = estimate_stats.run_estimate(tailor_bin, tmp_path, df_path, CONFIG)
    effects = effects[effects.outcome == "death"]
    assert effects.effect.notna().sum() > 0
    # no NaN without a status: estimates exist exactly when the status says so
    with_estimate = effects.status.isin(["ok", "firth", "collinear_dropped"])
    assert (effects.effect.notna() == with_estimate).all()
    assert not (effects.status == "not_converged").any()
    return effects


def test_reference_reproduces_published_coxphf():
    """The reference against coxphf 1.13's printed output.

    (1) R survival's `test1` with x as a factor and sex as a covariate,
    `coxphf(Surv(time, status) ~ x + sex)` (TalhoukLab/biostatUtil,
    reference/prettyCoxph.md, the `use.firth = -1` example, where
    `strata(sex)` reaches coxphf as a covariate). coxphf handles ties by
    Breslow's method, so the reference runs with Breslow ties here.
    Coefficients to 1e-6 absolute: coxphf stops once the score is below
    1e-4 and the standardised step below 1e-6, so its printed digits
    beyond that are not converged; every other number to 1e-6 relative.

    (2) One event, in the treated arm, with 58 vs 58 at risk (TOFACOV
    28-day mortality; alainamstutz/JAKi-IPDMA, tofacov.md,
    `summary(coxphf(Surv(death_time, death_reached) ~ trt))`): no ties, so
    Efron = Breslow.
    """
    time = np.array([4, 3, 1, 1, 2, 2, 3.0])
    status = np.array([1, 1, 1, 0, 1, 1, 0], bool)
    x, sex = np.array([0, 2, 1, 1, 1, 0, 0]), np.array([0, 0, 0, 0, 1, 1, 1])
    X = np.c_[x == 1, x == 2, sex == 1].astype(float)
    fit = firth_cox.Fit(X, time, status, ties="breslow")
    published = [  # coef, se(coef), lower 0.95, upper 0.95, Chisq, p
        (1.60161779, 1.354154, 0.56823954, 71.53693, 2.122594512, 0.1451405),
        (0.67787698, 1.551143, 0.13404776, 39.18328, 0.268749031, 0.6041722),
        (-0.09450898, 1.380503, 0.07179951, 11.88728, 0.006335744, 0.9365575),
    ]
    rel = lambda got, want, what: np.testing.assert_allclose(got, want, rtol=1e-6, atol=0, err_msg=what)
    for j, (coef, se, low, high, chisq, p) in enumerate(published):
        np.testing.assert_allclose(fit.beta[j], coef, rtol=0, atol=1e-6, err_msg=f"coef {j}")
        lo, hi = fit.ci(j)
        rel(fit.se(j), se, f"se {j}")
        rel(np.exp([lo, hi]), [low, high], f"CI {j}")
        rel(fit.chisq(j), chisq, f"Chisq {j}")
        rel(fit.p_value(j), p, f"p {j}")
    null = firth_cox.Data(X, time, status, "breslow").penalised(np.zeros(3))
    rel(2 * (fit.loglik - null), 2.170314, "model LRT")

    n = 116
    fit = firth_cox.Fit(np.r_[np.ones(58), np.zeros(58)][:, None], np.where(np.arange(n) == 0, 5.0, 28.0), np.arange(n) == 0)
    lo, hi = fit.ci(0)
    rel([fit.beta[0], fit.se(0), np.exp(lo), np.exp(hi), fit.chisq(0), fit.p_value(0)], [1.098612, 2.309401, 0.1600409, 437.7607, 0.5232481, 0.4694594], "TOFACOV")


def test_published_single_event_through_tailor(tailor_bin, tmp_path):
    """The TOFACOV configuration as the Poor Metabolizer subgroup of a
    tailor cohort (58 per arm, one death, on clopidogrel): the unadjusted
    row is coxphf's published output, HR 3 (0.1600409 to 437.7607),
    p 0.4694594; the rest is checked against the reference as usual."""
    df = simulate(300, seed=1)
    df = df[df["CYP2C19_phenotype"] != "Poor Metabolizer"]
    pm = pd.DataFrame(
        {
            "patient_id": [f"q{i:03d}" for i in range(116)],
            "episode_id": [f"q{i}" for i in range(116)],
            "therapy": ["clopidogrel"] * 58 + ["ticagrelor"] * 58,
            "death_time": [5.0] + [28.0] * 115,
            "death_event": [True] + [False] * 115,
            "age": 60.0,
            "sex": "F",
            "site": "A",
            "CYP2C19_phenotype": "Poor Metabolizer",
        }
    )
    path = tmp_path / "cohort.parquet"
    df = write(path, pd.concat([df, pm], ignore_index=True))
    effects = run(tailor_bin, tmp_path, path)
    row = effects[(effects.subgroup == "Poor Metabolizer") & ~effects.adjusted & (effects.contrast_kind == "therapy_vs_comparator")]
    assert len(row) == 1 and row.model.iloc[0] == "cox_firth"
    got = row[["effect", "se", "ci_low", "ci_high", "p_value"]].iloc[0].to_numpy(float)
    np.testing.assert_allclose(got, [3.0, 2.309401, 0.1600409, 437.7607, 0.4694594], rtol=1e-6, atol=0)
    counted = check_cohort(effects, df)
    print(f"single event: {counted}; worst abs {WORST['abs']:.2e} rel {WORST['rel']:.2e}")


def test_zero_event_arm_matches_reference(tailor_bin, tmp_path):
    """(a) + (c): no deaths among Poor Metabolizers on ticagrelor, adjusted
    for age, sex and a three-level site: the interaction model, the
    unadjusted PM hazard ratio and the within-ticagrelor PM vs NM ratio
    are Firth fits; the rest stay plain Cox."""
    path = tmp_path / "cohort.parquet"
    df = make_cohort(path, n=360, seed=3, silent=[("Poor Metabolizer", "ticagrelor")])
    effects = run(tailor_bin, tmp_path, path)
    counted = check_cohort(effects, df)
    print(f"zero-event arm: {counted}; worst abs {WORST['abs']:.2e} rel {WORST['rel']:.2e}")
    assert counted["cox_firth"] >= 5 and counted["cox_efron"] >= 5


def test_tie_heavy_matches_reference(tailor_bin, tmp_path):
    """(b): times in 30-day steps (at most 14 distinct times, Efron's ties
    everywhere) and no deaths among Intermediate Metabolizers on
    clopidogrel."""
    path = tmp_path / "cohort.parquet"
    df = make_cohort(path, n=300, seed=5, silent=[("Intermediate Metabolizer", "clopidogrel")], tie_days=30)
    assert df["death_time"][df["death_event"]].nunique() <= 14
    effects = run(tailor_bin, tmp_path, path)
    counted = check_cohort(effects, df)
    print(f"tie-heavy: {counted}; worst abs {WORST['abs']:.2e} rel {WORST['rel']:.2e}")
    assert counted["cox_firth"] >= 4


def test_without_monotone_likelihood_is_plain_cox(tailor_bin, tmp_path):
    """(d) Regression guard: with deaths in every cell nothing is Firth:
    every death row is `cox_efron`, status ok, and equals PHReg."""
    path = tmp_path / "cohort.parquet"
    df = make_cohort(path, n=600, seed=7)
    effects = run(tailor_bin, tmp_path, path)
    assert (effects.model == "cox_efron").all() and (effects.status == "ok").all()
    assert (effects[effects.contrast_kind == "therapy_vs_comparator"].interaction_method == "lrt").all()
    counted = check_cohort(effects, df)
    assert counted["cox_firth"] == 0 and counted["cox_efron"] == len(effects)


def test_repeated_episodes_firth_rows_are_not_cluster_robust(tailor_bin, tmp_path):
    """Patients with two episodes: plain Cox rows are Lin-Wei robust, but a
    Firth fit has no robust covariance, so its rows say cluster_robust
    false with the episodes_not_independent note, its interaction test
    stays a penalised LRT, and its numbers are the reference's."""
    path = tmp_path / "cohort.parquet"
    df = make_cohort(path, n=360, seed=11, silent=[("Poor Metabolizer", "ticagrelor")], episodes=2)
    effects = run(tailor_bin, tmp_path, path)
    firth = effects[effects.model == "cox_firth"]
    assert len(firth) > 0 and not firth.cluster_robust.any()
    assert (firth.note == "episodes_not_independent").all()
    tvc = effects[effects.contrast_kind == "therapy_vs_comparator"]
    assert (tvc.interaction_method == "penalised_lrt").all()
    refs = References()
    dm, _ = in_model(df, ["clopidogrel", "ticagrelor"])
    xf = design(dm, "clopidogrel")
    for row in tvc[tvc.adjusted].itertuples():
        check_firth(row, refs.firth_fit("full", dm, xf), list(xf.columns).index(f"T[{row.subgroup}]"), row.subgroup)
    print(f"repeated episodes: worst abs {WORST['abs']:.2e} rel {WORST['rel']:.2e}")
