"""`tailor estimate` against statsmodels, scipy and lifelines, computed live.

Writes seeded cohort Parquet files with pyarrow (the cohort contract of
schemas/src/cohort.rs, roles under `tailor.cohort_roles`), runs the real
binary, and recomputes every estimate, CI bound and p-value: Wilson,
Newcombe, Woolf OR, log RR, Fisher, Welch, Kaplan-Meier, Cox (Efron),
logistic and OLS coefficients with SEs (classical, HC3, cluster-robust),
the interaction LRT and the BH q-values. Tolerance: 1e-6 relative or 1e-9
absolute.
"""

import json
import subprocess

import pytest

from conftest import require

np = require("numpy")
pd = require("pandas")
pa = require("pyarrow")
pq = require("pyarrow.parquet")
st = require("scipy.stats")
sm = require("statsmodels.api")
smprop = require("statsmodels.stats.proportion")
smct = require("statsmodels.stats.contingency_tables")
smmt = require("statsmodels.stats.multitest")
phreg = require("statsmodels.duration.hazard_regression")
lifelines = require("lifelines")

REL, ABS = 1e-6, 1e-9
Z = st.norm.ppf(0.975)
THERAPIES = ["clopidogrel", "prasugrel", "ticagrelor"]
PHENOS = ["Intermediate Metabolizer", "Normal Metabolizer", "Poor Metabolizer"]


def close(got, want, what):
    assert got is not None and not (isinstance(got, float) and np.isnan(got)), f"{what}: got null, want {want}"
    assert abs(got - want) <= max(ABS, REL * abs(want)), f"{what}: got {got!r}, want {want!r}"


def make_cohort(path, n=1500, seed=7, episodes=1):
    rng = np.random.default_rng(seed)
    patients = np.arange(n)
    pid = np.repeat([f"p{i:05d}" for i in patients], episodes)
    rows = n * episodes
    pheno_p = rng.choice(3, size=n, p=[0.35, 0.5, 0.15])
    pheno = np.repeat(pheno_p, episodes)
    therapy = rng.choice(3, size=rows, p=[0.4, 0.25, 0.35])
    age = np.repeat(rng.normal(62, 10, n).round(1), episodes)
    sex = np.repeat(rng.choice(["F", "M"], size=n), episodes)
    pc1 = np.repeat(rng.normal(0, 1, n), episodes)
    frailty = np.repeat(rng.normal(0, 0.5, n), episodes) if episodes > 1 else 0.0
    clop_pm = (therapy == 0) & (pheno == 2)
    eta = -1.2 + 0.02 * (age - 62) + 0.3 * (sex == "M") + 0.2 * pc1 + 0.9 * clop_pm - 0.3 * (therapy == 2) + frailty
    mace = rng.random(rows) < 1 / (1 + np.exp(-eta))
    ldl = 100 + 0.3 * (age - 62) + 5 * (sex == "M") + 8 * clop_pm - 3 * (therapy == 1) + rng.normal(0, 15, rows)
    hazard = 0.004 * np.exp(0.02 * (age - 62) + 0.7 * clop_pm + 0.2 * pc1)
    t_event = np.ceil(rng.exponential(1 / hazard) / 7) * 7  # weekly: many ties for Efron
    t_cens = rng.uniform(60, 400, rows).round()
    time = np.minimum(t_event, t_cens)
    event = t_event <= t_cens
    columns = {
        "patient_id": pa.array(pid, pa.string()),
        "episode_id": pa.array([f"e{i}" for i in range(rows)], pa.string()),
        "therapy": pa.array([THERAPIES[t] for t in therapy], pa.string()),
        "mace": pa.array(mace, pa.bool_()),
        "ldl": pa.array(ldl, pa.float64()),
        "death_time": pa.array(time, pa.float64()),
        "death_event": pa.array(event, pa.bool_()),
        "age": pa.array(age, pa.float64()),
        "sex": pa.array(sex, pa.string()),
        "pc1": pa.array(pc1, pa.float64()),
        **cyp2c19_columns([PHENOS[i] for i in pheno]),
    }
    roles = {
        "outcomes": [
            {"name": "mace", "kind": "binary", "higher_is_better": False},
            {"name": "ldl", "kind": "continuous", "higher_is_better": False, "unit": "mg/dL"},
            {"name": "death", "kind": "time_to_event", "higher_is_better": False, "unit": "days"},
        ],
        "covariates": [
            {"name": "age", "kind": "numeric"},
            {"name": "sex", "kind": "categorical", "reference": "F"},
            {"name": "pc1", "kind": "numeric"},
        ],
        "genes": ["CYP2C19"],
    }
    return write_cohort(path, columns, roles)


def cyp2c19_columns(phenotypes):
    """The five CYP2C19 wide columns of a cohort, from phenotype labels."""
    dip = {"Intermediate Metabolizer": "*1/*2", "Normal Metabolizer": "*1/*1", "Poor Metabolizer": "*2/*2"}
    rows = len(phenotypes)
    return {
        "CYP2C19_phenotype": pa.array(phenotypes, pa.string()),
        "CYP2C19_diplotype": pa.array([dip[p] for p in phenotypes], pa.string()),
        "CYP2C19_activity_score": pa.array([None] * rows, pa.float64()),
        "CYP2C19_flags": pa.array([[] for _ in range(rows)], pa.list_(pa.field("item", pa.string(), nullable=False))),
        "CYP2C19_source": pa.array(["vcf"] * rows, pa.string()),
    }


def write_cohort(path, columns, roles):
    """Writes `columns` (name -> pyarrow array, in cohort column order) as a
    tailor cohort whose outcome and covariate roles are `roles`; returns it
    as a DataFrame."""
    table = pa.table(columns)
    meta = {b"tailor.table": b"cohort", b"tailor.schema_version": b"1", b"tailor.cohort_roles": json.dumps(roles).encode()}
    pq.write_table(table.replace_schema_metadata(meta), path)
    return table.to_pandas()


def run_estimate(tailor_bin, tmp_path, cohort_path, config):
    cfg = tmp_path / "tailor.toml"
    cfg.write_text(config)
    out = tmp_path / "out"
    proc = subprocess.run(
        [str(tailor_bin), "estimate", "--config", str(cfg), "-o", str(out), str(cohort_path)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    rates = pq.read_table(out / "subgroup_rates.parquet").to_pandas()
    effects = pq.read_table(out / "subgroup_effects.parquet").to_pandas()
    return rates, effects


CONFIG = """
[estimate]
comparator = "ticagrelor"
covariates = ["age", "sex", "pc1"]
km_horizon = 180.0
suppression_threshold = 0
"""


def covariate_columns(df):
    """The covariate columns of make_cohort's models: age, sex against F, pc1."""
    return {"age": df["age"].values, "sex[M]": (df["sex"] == "M").astype(float).values, "pc1": df["pc1"].values}


def design(df, kind, full, therapy, ref="Normal Metabolizer", by="therapy", covariates=covariate_columns):
    """The model matrix tailor builds (column order does not matter);
    `covariates` gives the covariate columns, or None for none."""
    cols = {}
    if kind != "time_to_event":
        cols["const"] = np.ones(len(df))
    present = sorted(df["CYP2C19_phenotype"].unique())
    for s in present:
        if s != ref:
            cols[f"sub[{s}]"] = (df["CYP2C19_phenotype"] == s).astype(float).values
    if by == "therapy":
        treated = (df["therapy"] == therapy).astype(float).values
        if full:
            for s in present:
                cols[f"T[{s}]"] = treated * (df["CYP2C19_phenotype"] == s).values
        else:
            cols["T"] = treated
    if covariates:
        cols.update(covariates(df))
    return pd.DataFrame(cols)


def fit(df, kind, X, groups=None):
    if kind == "binary":
        m = sm.Logit(df["mace"].astype(float).values, X)
        if groups is not None:
            return m.fit(disp=0, method="newton", tol=1e-13, maxiter=200, cov_type="cluster", cov_kwds={"groups": groups})
        return m.fit(disp=0, method="newton", tol=1e-13, maxiter=200)
    if kind == "continuous":
        m = sm.OLS(df["ldl"].values, X)
        if groups is not None:
            return m.fit(cov_type="cluster", cov_kwds={"groups": groups})
        return m.fit()
    m = phreg.PHReg(df["death_time"].values, X, status=df["death_event"].astype(int).values, ties="efron")
    if groups is not None:
        # Lin-Wei robust sandwich over patients (no small-sample factor)
        return m.fit(groups=groups)
    return m.fit()


KIND_OF = {"mace": "binary", "ldl": "continuous", "death": "time_to_event"}


def check_rates(rates, df):
    checked = 0
    for r in rates.itertuples():
        sub = df[(df["CYP2C19_phenotype"] == r.subgroup) & (df["therapy"] == r.therapy)]
        assert r.n == len(sub)
        if r.outcome == "mace":
            x = int(sub["mace"].sum())
            assert r.events == x
            lo, hi = smprop.proportion_confint(x, len(sub), method="wilson")
            close(r.proportion_ci_low, lo, "wilson low")
            close(r.proportion_ci_high, hi, "wilson high")
        elif r.outcome == "ldl":
            close(r.mean, sub["ldl"].mean(), "mean")
            close(r.sd, sub["ldl"].std(ddof=1), "sd")
            close(r.median, sub["ldl"].median(), "median")
        else:
            km = lifelines.KaplanMeierFitter().fit(sub["death_time"], sub["death_event"])
            close(r.km_survival, float(km.survival_function_at_times(180.0).iloc[0]), "KM survival")
            ci = km.confidence_interval_
            row = ci[ci.index <= 180.0].iloc[-1]
            close(r.km_ci_low, float(row.iloc[0]), "KM CI low")
            close(r.km_ci_high, float(row.iloc[1]), "KM CI high")
            close(r.person_time, sub["death_time"].sum(), "person-time")
        checked += 1
    return checked


def check_unadjusted(row, a, b):
    if row.measure in ("risk_difference", "risk_ratio", "odds_ratio"):
        x1, n1, x2, n2 = int(a["mace"].sum()), len(a), int(b["mace"].sum()), len(b)
        close(row.p_value, st.fisher_exact([[x1, n1 - x1], [x2, n2 - x2]]).pvalue, "fisher p")
        if row.measure == "risk_difference":
            lo, hi = smprop.confint_proportions_2indep(x1, n1, x2, n2, method="newcomb", compare="diff")
            close(row.effect, x1 / n1 - x2 / n2, "RD")
        else:
            t = smct.Table2x2(np.array([[x1, n1 - x1], [x2, n2 - x2]]))
            if row.measure == "risk_ratio":
                (lo, hi), est = t.riskratio_confint(), t.riskratio
            else:
                (lo, hi), est = t.oddsratio_confint(), t.oddsratio
            close(row.effect, est, row.measure)
        close(row.ci_low, lo, f"{row.measure} low")
        close(row.ci_high, hi, f"{row.measure} high")
    elif row.measure == "mean_difference":
        r = st.ttest_ind(a["ldl"], b["ldl"], equal_var=False)
        lo, hi = r.confidence_interval()
        close(row.effect, a["ldl"].mean() - b["ldl"].mean(), "MD")
        close(row.p_value, r.pvalue, "welch p")
        close(row.ci_low, lo, "welch low")
        close(row.ci_high, hi, "welch high")
    else:
        both = pd.concat([a, b])
        x = np.r_[np.ones(len(a)), np.zeros(len(b))][:, None]
        f = phreg.PHReg(both["death_time"].values, x, status=both["death_event"].astype(int).values, ties="efron").fit()
        close(row.effect, np.exp(f.params[0]), "HR")
        close(row.ci_low, np.exp(f.params[0] - Z * f.bse[0]), "HR low")
        close(row.ci_high, np.exp(f.params[0] + Z * f.bse[0]), "HR high")
        close(row.p_value, f.pvalues[0], "HR p")


def coef_checks(row, res, name, kind, robust):
    j = list(res.model.exog_names).index(name)
    params = np.asarray(res.params)
    bse = np.asarray(res.bse)
    b, se = params[j], bse[j]
    if kind == "continuous":
        close(row.effect, b, "OLS coef")
        close(row.se, se, "OLS se")
        crit = Z if robust else st.t.ppf(0.975, res.df_resid)
        close(row.ci_low, b - crit * se, "OLS low")
        close(row.p_value, np.asarray(res.pvalues)[j], "OLS p")
    else:
        close(np.log(row.effect), b, f"{kind} log coef")
        close(row.se, se, f"{kind} se")
        close(row.ci_low, np.exp(b - Z * se), f"{kind} low")
        close(row.ci_high, np.exp(b + Z * se), f"{kind} high")
        close(row.p_value, 2 * st.norm.sf(abs(b / se)), f"{kind} p")


def check_effects(effects, df, clustered=False):
    counted = {"unadjusted": 0, "adjusted": 0, "interaction": 0}
    tests = {}
    groups_of = lambda d: pd.factorize(d["patient_id"])[0]
    for outcome, kind in KIND_OF.items():
        for therapy in ["clopidogrel", "prasugrel"]:
            d = df[df["therapy"].isin([therapy, "ticagrelor"])].reset_index(drop=True)
            Xf, Xr = design(d, kind, True, therapy), design(d, kind, False, therapy)
            g = groups_of(d) if clustered else None
            full, red = fit(d, kind, Xf, g), fit(d, kind, Xr, g)
            rows = effects[(effects.outcome == outcome) & (effects.therapy == therapy) & (effects.contrast_kind == "therapy_vs_comparator")]
            if g is None:
                lr = 2 * (full.llf - red.llf)
                p_int = st.chi2.sf(lr, Xf.shape[1] - Xr.shape[1])
            else:
                names = [c for c in Xf.columns if c.startswith("T[")]
                L = np.zeros((len(names) - 1, Xf.shape[1]))
                for i in range(1, len(names)):
                    L[i - 1, list(Xf.columns).index(names[0])] = 1
                    L[i - 1, list(Xf.columns).index(names[i])] = -1
                w = full.wald_test(L, scalar=True, use_f=False)
                p_int = float(w.pvalue)
            tests[(outcome, therapy)] = p_int
            for row in rows.itertuples():
                close(row.interaction_p, p_int, f"interaction p {outcome} {therapy}")
                if row.adjusted:
                    coef_checks(row, full, f"T[{row.subgroup}]", kind, robust=g is not None)
                    counted["adjusted"] += 1
                else:
                    a = d[(d.therapy == therapy) & (d.CYP2C19_phenotype == row.subgroup)]
                    b = d[(d.therapy == "ticagrelor") & (d.CYP2C19_phenotype == row.subgroup)]
                    check_unadjusted(row, a, b)
                    counted["unadjusted"] += 1
            counted["interaction"] += 1
        for therapy in THERAPIES:
            d = df[df["therapy"] == therapy].reset_index(drop=True)
            X = design(d, kind, True, therapy, by="subgroup")
            g = groups_of(d) if clustered else None
            res = fit(d, kind, X, g)
            rows = effects[(effects.outcome == outcome) & (effects.therapy == therapy) & (effects.contrast_kind == "subgroup_vs_reference")]
            for row in rows.itertuples():
                if row.adjusted:
                    coef_checks(row, res, f"sub[{row.subgroup}]", kind, robust=g is not None)
                    counted["adjusted"] += 1
                else:
                    a = d[d.CYP2C19_phenotype == row.subgroup]
                    b = d[d.CYP2C19_phenotype == "Normal Metabolizer"]
                    check_unadjusted(row, a, b)
                    counted["unadjusted"] += 1
    # BH within outcome x family: CYP2C19-clopidogrel is CPIC level A
    # (confirmatory); prasugrel is not in the CPIC A/B table (exploratory).
    for outcome in KIND_OF:
        tvc = effects[(effects.outcome == outcome) & (effects.contrast_kind == "therapy_vs_comparator")]
        assert set(tvc[tvc.therapy == "clopidogrel"].family) == {"confirmatory"}
        assert set(tvc[tvc.therapy == "prasugrel"].family) == {"exploratory"}
        for family, rows in tvc.groupby("family"):
            therapies = sorted(rows.therapy.unique())
            qs = smmt.multipletests([tests[(outcome, t)] for t in therapies], method="fdr_bh")[1]
            for t, q in zip(therapies, qs):
                for row in rows[rows.therapy == t].itertuples():
                    close(row.interaction_q, q, "BH q")
    return counted


def test_estimates_match_reference_libraries(tailor_bin, tmp_path):
    path = tmp_path / "cohort.parquet"
    df = make_cohort(path)
    rates, effects = run_estimate(tailor_bin, tmp_path, path, CONFIG)
    assert (effects.status.isin(["ok"])).all(), effects[effects.status != "ok"][["measure", "status"]]
    n_rates = check_rates(rates, df)
    counted = check_effects(effects, df)
    print(f"matched {n_rates} rate rows, {counted} effect rows / tests within rel {REL} / abs {ABS}")
    assert n_rates == 27 and counted["interaction"] == 6


def test_cluster_robust_matches_statsmodels(tailor_bin, tmp_path):
    path = tmp_path / "cohort.parquet"
    df = make_cohort(path, n=700, seed=11, episodes=2)
    rates, effects = run_estimate(tailor_bin, tmp_path, path, CONFIG)
    adjusted = effects[effects.adjusted]
    assert adjusted.cluster_robust.all()
    unadj = effects[~effects.adjusted]
    assert (unadj.note == "episodes_not_independent").all()
    counted = check_effects(effects, df, clustered=True)
    print(f"clustered: matched {counted}")


def test_suppression_nulls_small_cells(tailor_bin, tmp_path):
    path = tmp_path / "cohort.parquet"
    make_cohort(path, n=150, seed=3)
    rates, effects = run_estimate(tailor_bin, tmp_path, path, CONFIG.replace("suppression_threshold = 0", ""))
    shown = rates[~rates.suppressed]
    for col in ["n", "events"]:
        vals = shown[col].dropna()
        assert not ((vals >= 1) & (vals <= 10)).any(), f"{col} 1..10 shown"
        assert not ((shown["n"] - shown["events"]).dropna().between(1, 10)).any()
    hidden = rates[rates.suppressed]
    assert len(hidden) > 0
    numeric = [c for c in rates.columns if rates[c].dtype.kind in "fi" and c != "confidence_level"]
    assert hidden[numeric].isna().all().all()
    hidden_e = effects[effects.suppressed]
    assert hidden_e[["effect", "se", "ci_low", "ci_high", "p_value", "interaction_p", "interaction_q"]].isna().all().all()
    assert hidden_e.verdict.isna().all()


def test_unadjusted_interaction_on_covariate_patterns(tailor_bin, tmp_path):
    """Without covariates the logistic models run on collapsed covariate
    patterns (binomial counts); the LRT must equal the row-level fit."""
    path = tmp_path / "cohort.parquet"
    df = make_cohort(path, n=1200, seed=5)
    config = '[estimate]\ncomparator = "ticagrelor"\nsuppression_threshold = 0\n'
    rates, effects = run_estimate(tailor_bin, tmp_path, path, config)
    checked = 0
    for therapy in ["clopidogrel", "prasugrel"]:
        d = df[df["therapy"].isin([therapy, "ticagrelor"])].reset_index(drop=True)
        full = fit(d, "binary", design(d, "binary", True, therapy, covariates=None))
        red = fit(d, "binary", design(d, "binary", False, therapy, covariates=None))
        p_int = st.chi2.sf(2 * (full.llf - red.llf), 2)
        rows = effects[(effects.outcome == "mace") & (effects.therapy == therapy) & (effects.contrast_kind == "therapy_vs_comparator")]
        for row in rows.itertuples():
            close(row.interaction_p, p_int, "pattern LRT p")
            checked += 1
        full = fit(d, "continuous", design(d, "continuous", True, therapy, covariates=None))
        red = fit(d, "continuous", design(d, "continuous", False, therapy, covariates=None))
        p_int = st.chi2.sf(2 * (full.llf - red.llf), 2)
        rows = effects[(effects.outcome == "ldl") & (effects.therapy == therapy) & (effects.contrast_kind == "therapy_vs_comparator")]
        for row in rows.itertuples():
            close(row.interaction_p, p_int, "pattern OLS LRT p")
            checked += 1
    assert checked > 0


def test_hc3_matches_statsmodels(tailor_bin, tmp_path):
    path = tmp_path / "cohort.parquet"
    df = make_cohort(path, n=900, seed=13)
    rates, effects = run_estimate(tailor_bin, tmp_path, path, CONFIG + "hc3 = true\n")
    checked = 0
    for therapy in ["clopidogrel", "prasugrel"]:
        d = df[df["therapy"].isin([therapy, "ticagrelor"])].reset_index(drop=True)
        X = design(d, "continuous", True, therapy)
        res = sm.OLS(d["ldl"].values, X).fit(cov_type="HC3")
        rows = effects[(effects.outcome == "ldl") & (effects.therapy == therapy) & effects.adjusted & (effects.contrast_kind == "therapy_vs_comparator")]
        for row in rows.itertuples():
            assert row.model == "ols_hc3"
            coef_checks(row, res, f"T[{row.subgroup}]", "continuous", robust=True)
            checked += 1
    assert checked == 6


def test_ph_test_matches_lifelines(tailor_bin, tmp_path):
    """`ph_test_p` of adjusted Cox rows: the scaled-Schoenfeld test of
    proportional hazards with the Kaplan-Meier time transform, as lifelines'
    `proportional_hazard_test(..., time_transform="km")` (its default is
    "rank"; R's cox.zph default is "km", which tailor implements)."""
    from lifelines.statistics import proportional_hazard_test

    path = tmp_path / "cohort.parquet"
    df = make_cohort(path)
    rates, effects = run_estimate(tailor_bin, tmp_path, path, CONFIG)
    checked = 0

    def lifelines_p(d, X):
        data = X.copy()
        data["T"] = d["death_time"].values
        data["E"] = d["death_event"].astype(int).values
        cph = lifelines.CoxPHFitter().fit(data, "T", "E", fit_options={"precision": 1e-12})
        res = proportional_hazard_test(cph, data, time_transform="km")
        return dict(zip(res.name, res.p_value))

    for therapy in ["clopidogrel", "prasugrel"]:
        d = df[df["therapy"].isin([therapy, "ticagrelor"])].reset_index(drop=True)
        ps = lifelines_p(d, design(d, "time_to_event", True, therapy))
        rows = effects[(effects.outcome == "death") & (effects.therapy == therapy) & effects.adjusted & (effects.contrast_kind == "therapy_vs_comparator")]
        for row in rows.itertuples():
            close(row.ph_test_p, ps[f"T[{row.subgroup}]"], f"PH test p T[{row.subgroup}]")
            checked += 1
    for therapy in THERAPIES:
        d = df[df["therapy"] == therapy].reset_index(drop=True)
        ps = lifelines_p(d, design(d, "time_to_event", True, therapy, by="subgroup"))
        rows = effects[(effects.outcome == "death") & (effects.therapy == therapy) & effects.adjusted & (effects.contrast_kind == "subgroup_vs_reference")]
        for row in rows.itertuples():
            close(row.ph_test_p, ps[f"sub[{row.subgroup}]"], f"PH test p sub[{row.subgroup}]")
            checked += 1
    assert effects[effects.outcome != "death"].ph_test_p.isna().all()
    print(f"PH test: matched {checked} rows, e.g. {sorted(effects.ph_test_p.dropna())[:3]}")
    assert checked == 12
