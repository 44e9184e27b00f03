"""Explicit models (`[[estimate.models]]`) against statsmodels, computed live.

Simulates a cohort with the structure of the published warfarin dose model
(IWPC): sqrt(weekly dose) on age in decades, height, weight, VKORC1 and
CYP2C9 genotypes each with an `unknown` level, race (missing as a level),
a derived enzyme-inducer covariate (any of carbamazepine, phenytoin,
rifampin) and amiodarone with missing read as not taken, plus a CYP2C9 x
amiodarone interaction; then a logistic and a Cox model with the two genes
jointly. Runs the real `tailor estimate`, refits each model with
statsmodels on the rows tailor should use (built here, independently) and
asserts every coefficient, SE, CI bound, statistic, p-value, n, R² and
log-likelihood to 1e-6, the small-cell suppression of terms and counts,
and the documented column types in pyarrow and DuckDB.
"""

import json
import subprocess

from conftest import ROOT, require
from test_estimate_outputs import ARROW, DUCKDB, documented_types

np = require("numpy")
pd = require("pandas")
pa = require("pyarrow")
pq = require("pyarrow.parquet")
sm = require("statsmodels.api")
phreg = require("statsmodels.duration.hazard_regression")

REL, ABS = 1e-6, 1e-9
K = 10  # suppression threshold (tailor's default)

VKORC1 = ["G/G", "A/G", "A/A"]
CYP2C9 = ["*1/*1", "*1/*2", "*1/*3", "*2/*2", "*2/*3", "*3/*3"]
RACES = ["White", "Asian", "Black"]

# Known coefficients of sqrt(weekly dose) (IWPC-like signs and sizes).
TRUE = {
    "const": 5.6,
    "age_decades": -0.26,
    "height": 0.0087,
    "weight": 0.0128,
    "VKORC1=A/G": -0.87,
    "VKORC1=A/A": -1.70,
    "VKORC1=unknown": -0.48,
    "CYP2C9=*1/*2": -0.52,
    "CYP2C9=*1/*3": -0.94,
    "CYP2C9=*2/*2": -1.06,
    "CYP2C9=*2/*3": -1.92,
    "CYP2C9=*3/*3": -2.33,
    "CYP2C9=unknown": -0.22,
    "race=Asian": -0.11,
    "race=Black": -0.28,
    "race=missing": -0.10,
    "inducer": 1.18,
    "amiodarone": -0.55,
}

CONFIG = """
[estimate]
genes = ["CYP2C9", "VKORC1"]

[[estimate.models]]
name = "warfarin_dose"
family = "ols"
outcome = "weekly_dose"
transform = "sqrt"
genes = ["VKORC1", "CYP2C9"]
grouping = "diplotype"
unknown_genotype = "level"
covariates = ["age_decades", "height", "weight", "race", "inducer", "amiodarone"]
interactions = [["CYP2C9", "amiodarone"]]
derived = { inducer = { any_of = ["carbamazepine", "phenytoin", "rifampin"] } }
missing = { amiodarone = 0, carbamazepine = 0, race = "indicator" }
reference = { VKORC1 = "G/G" }
"""


def gene_model(name, family, outcome, covariates, extra=""):
    """A model of the two genes jointly (diplotypes, VKORC1 against G/G)."""
    return (
        f'\n[[estimate.models]]\nname = "{name}"\nfamily = "{family}"\noutcome = "{outcome}"\n'
        f'genes = ["CYP2C9", "VKORC1"]\ngrouping = "diplotype"\ncovariates = {json.dumps(covariates)}\n'
        f'reference = {{ VKORC1 = "G/G" }}\n{extra}'
    )


CONFIG += gene_model("bleeding_any", "logistic", "bleed", ["age_decades", "weight"])
CONFIG += gene_model("bleeding_time", "cox", "bleeding", ["age_decades"], 'unknown_genotype = "level"\n')


def close(got, want, what):
    assert got is not None and not (isinstance(got, float) and np.isnan(got)), f"{what}: got null, want {want}"
    assert abs(got - want) <= max(ABS, REL * abs(want)), f"{what}: got {got!r}, want {want!r}"


def simulate(path, n=4000, seed=11):
    """Writes the cohort (the contract of schemas/src/cohort.rs) and returns
    it as a DataFrame with the genotype labels (None: no call)."""
    rng = np.random.default_rng(seed)
    age = rng.integers(2, 10, n).astype(float)
    height = rng.normal(170, 10, n).round(1)
    weight = rng.normal(80, 15, n).round(1)
    vk = rng.choice(3, n, p=[0.4, 0.42, 0.18])
    c9 = rng.choice(6, n, p=[0.64, 0.18, 0.11, 0.03, 0.03, 0.01])
    vk_call = rng.random(n) > 0.08
    c9_call = rng.random(n) > 0.06
    race = rng.choice(3, n, p=[0.6, 0.25, 0.15])
    race_known = rng.random(n) > 0.05
    drugs = {d: (rng.random(n) < p).astype(float) for d, p in [("carbamazepine", 0.03), ("phenytoin", 0.03), ("rifampin", 0.02)]}
    amio = (rng.random(n) < 0.08).astype(float)
    vk_label = np.array([VKORC1[v] if ok else None for v, ok in zip(vk, vk_call)], dtype=object)
    c9_label = np.array([CYP2C9[c] if ok else None for c, ok in zip(c9, c9_call)], dtype=object)
    race_label = np.array([RACES[r] if ok else None for r, ok in zip(race, race_known)], dtype=object)
    inducer = np.maximum.reduce(list(drugs.values()))

    def level(name, labels):
        return np.array([TRUE.get(f"{name}={l if l is not None else 'unknown'}", 0.0) for l in labels])

    mu = (
        TRUE["const"]
        + TRUE["age_decades"] * age
        + TRUE["height"] * height
        + TRUE["weight"] * weight
        + level("VKORC1", vk_label)
        + level("CYP2C9", c9_label)
        + np.array([TRUE.get(f"race={r if r is not None else 'missing'}", 0.0) for r in race_label])
        + TRUE["inducer"] * inducer
        + TRUE["amiodarone"] * amio
    )
    dose = (mu + rng.normal(0, 0.6, n)).clip(0.3) ** 2
    bleed_eta = -2.0 + 0.15 * (age - 6) + 0.4 * (c9 >= 2) + 0.5 * (vk == 2)
    bleed = rng.random(n) < 1 / (1 + np.exp(-bleed_eta))
    hazard = 0.002 * np.exp(0.1 * (age - 6) + 0.5 * (c9 >= 2) + 0.4 * (vk == 2))
    t_event = np.ceil(rng.exponential(1 / hazard) / 7) * 7
    t_cens = rng.uniform(30, 720, n).round()

    # Gaps: missing doses, three impossible (negative) doses, missing
    # heights, drug columns with gaps (amiodarone: missing read as not taken).
    dose_col = pd.array(dose, dtype="Float64")
    dose_col[rng.random(n) < 0.03] = pd.NA
    dose_col[[5, 6, 7]] = [-1.0, -3.5, -0.2]
    height_col = pd.array(height, dtype="Float64")
    height_col[rng.random(n) < 0.02] = pd.NA
    drug_cols = {}
    for d, v in drugs.items():
        col = pd.array(v, dtype="Float64")
        col[rng.random(n) < 0.04] = pd.NA
        drug_cols[d] = col
    amio_col = pd.array(amio, dtype="Float64")
    amio_col[rng.random(n) < 0.10] = pd.NA
    bleed_col = pd.array(bleed, dtype="boolean")
    bleed_col[rng.random(n) < 0.02] = pd.NA

    def gene(name, labels):
        rows = len(labels)
        flag_t = pa.list_(pa.field("item", pa.string(), nullable=False))
        return {
            f"{name}_phenotype": pa.array([None] * rows, pa.string()),
            f"{name}_diplotype": pa.array(list(labels), pa.string()),
            f"{name}_activity_score": pa.array([None] * rows, pa.float64()),
            f"{name}_flags": pa.array([[] if l is not None else ["no_call"] for l in labels], flag_t),
            f"{name}_source": pa.array(["vcf"] * rows, pa.string()),
        }

    def floats(col):
        return pa.array(col.to_numpy(dtype=float, na_value=np.nan), pa.float64(), mask=np.asarray(col.isna()))

    columns = {
        "patient_id": pa.array([f"p{i:05d}" for i in range(n)], pa.string()),
        "episode_id": pa.array([f"e{i}" for i in range(n)], pa.string()),
        "therapy": pa.array(["warfarin"] * n, pa.string()),
        "weekly_dose": floats(dose_col),
        "bleed": pa.array(bleed_col.to_numpy(dtype=object, na_value=None), pa.bool_()),
        "bleeding_time": pa.array(np.minimum(t_event, t_cens), pa.float64()),
        "bleeding_event": pa.array(t_event <= t_cens, pa.bool_()),
        "age_decades": pa.array(age, pa.float64()),
        "height": floats(height_col),
        "weight": pa.array(weight, pa.float64()),
        "race": pa.array(list(race_label), pa.string()),
        **{d: floats(c) for d, c in drug_cols.items()},
        "amiodarone": floats(amio_col),
        **gene("CYP2C9", c9_label),
        **gene("VKORC1", vk_label),
    }
    roles = {
        "outcomes": [
            {"name": "weekly_dose", "kind": "continuous", "higher_is_better": False, "unit": "mg/week"},
            {"name": "bleed", "kind": "binary", "higher_is_better": False},
            {"name": "bleeding", "kind": "time_to_event", "higher_is_better": False, "unit": "days"},
        ],
        "covariates": [
            {"name": "age_decades", "kind": "numeric"},
            {"name": "height", "kind": "numeric"},
            {"name": "weight", "kind": "numeric"},
            {"name": "race", "kind": "categorical", "reference": "White"},
            {"name": "carbamazepine", "kind": "numeric"},
            {"name": "phenytoin", "kind": "numeric"},
            {"name": "rifampin", "kind": "numeric"},
            {"name": "amiodarone", "kind": "numeric"},
        ],
        "genes": ["CYP2C9", "VKORC1"],
    }
    table = pa.table(columns)
    meta = {b"tailor.table": b"cohort", b"tailor.schema_version": b"1", b"tailor.cohort_roles": json.dumps(roles).encode()}
    pq.write_table(table.replace_schema_metadata(meta), path)
    return table.to_pandas()


def run_estimate(tailor_bin, tmp_path, cohort, config=CONFIG):
    cfg = tmp_path / "tailor.toml"
    cfg.write_text(config)
    out = tmp_path / "out"
    proc = subprocess.run(
        [str(tailor_bin), "estimate", "-q", "--config", str(cfg), "-o", str(out), str(cohort)],
        capture_output=True,
        text=True,
    )
    return proc, out


def dummies(labels, name, reference, present):
    """Treatment-coded columns of `labels` ('unknown'/'missing' last) for
    the levels present, reference left out."""
    order = sorted(l for l in present if l not in ("unknown", "missing"))
    order += [l for l in ("unknown", "missing") if l in present]
    return {f"{name}={l}": (labels == l).astype(float) for l in order if l != reference}


def warfarin_design(df):
    """The rows and matrix the warfarin model must use, and the excluded
    counts by reason."""
    dose = df["weekly_dose"]
    inducer = pd.Series(np.nan, index=df.index)
    carb = df["carbamazepine"].fillna(0.0)
    parts = [carb, df["phenytoin"], df["rifampin"]]
    any_one = np.logical_or.reduce([(p.notna() & (p != 0)).values for p in parts])
    all_known = np.logical_and.reduce([p.notna().values for p in parts])
    inducer[any_one] = 1.0
    inducer[~any_one & all_known] = 0.0
    reasons = pd.Series("used", index=df.index)
    cov_missing = df["age_decades"].isna() | df["height"].isna() | df["weight"].isna() | inducer.isna()
    reasons[cov_missing] = "covariate"
    reasons[dose.notna() & (dose < 0)] = "transform"
    reasons[dose.isna()] = "outcome"
    used = reasons == "used"
    d = df[used]
    vk = d["VKORC1_diplotype"].fillna("unknown").values
    c9 = d["CYP2C9_diplotype"].fillna("unknown").values
    race = d["race"].fillna("missing").values
    amio = d["amiodarone"].fillna(0.0).values
    cols = {"(intercept)": np.ones(len(d))}
    cols.update(dummies(vk, "VKORC1", "G/G", set(vk)))
    cols.update(dummies(c9, "CYP2C9", "*1/*1", set(c9)))
    cols["age_decades"] = d["age_decades"].values
    cols["height"] = d["height"].values
    cols["weight"] = d["weight"].values
    cols.update(dummies(race, "race", "White", set(race)))
    cols["inducer"] = inducer[used].values
    cols["amiodarone"] = amio
    for name in [c for c in cols if c.startswith("CYP2C9=")]:
        product = cols[name] * amio
        if product.any():
            cols[f"{name}:amiodarone"] = product
    X = pd.DataFrame(cols)
    by_covariate = {
        "height": int(((reasons == "covariate") & df["age_decades"].notna() & df["height"].isna()).sum()),
        "inducer": int(((reasons == "covariate") & df["height"].notna() & inducer.isna()).sum()),
    }
    counts = {r: int((reasons == r).sum()) for r in ("outcome", "transform", "covariate")}
    return X, np.sqrt(dose[used].values.astype(float)), counts, by_covariate


def gene_design(df, unknown_level, intercept):
    """Design of the logistic / Cox models: CYP2C9, VKORC1 jointly, covariates."""
    c9 = df["CYP2C9_diplotype"].fillna("unknown").values
    vk = df["VKORC1_diplotype"].fillna("unknown").values
    if not unknown_level:
        assert "unknown" not in set(c9) | set(vk)
    cols = {"(intercept)": np.ones(len(df))} if intercept else {}
    cols.update(dummies(c9, "CYP2C9", "*1/*1", set(c9)))
    cols.update(dummies(vk, "VKORC1", "G/G", set(vk)))
    return cols


def hidden(X, name):
    """Whether tailor must suppress term `name` (a 0/1 column with 1-K ones or zeros)."""
    v = X[name].values
    if name == "(intercept)" or not np.isin(v, [0.0, 1.0]).all():
        return False
    ones = int(v.sum())
    return 1 <= ones <= K or 1 <= len(v) - ones <= K


def check_terms(terms, X, fit, params, bse, ci, stat, pvalues, kind, df_resid=None):
    got = terms.set_index("term")
    assert list(got.index) == list(X.columns)
    shown = 0
    for j, name in enumerate(X.columns):
        row = got.loc[name]
        assert row["statistic_kind"] == kind
        if hidden(X, name):
            assert row["suppressed"] and row["suppression_reason"] == "small_cell", name
            assert pd.isna(row["estimate"]) and pd.isna(row["p_value"]) and pd.isna(row["n_level"]), name
            continue
        shown += 1
        assert not row["suppressed"], name
        close(row["estimate"], params[j], f"{name} estimate")
        close(row["se"], bse[j], f"{name} se")
        close(row["ci_low"], ci[j, 0], f"{name} ci_low")
        close(row["ci_high"], ci[j, 1], f"{name} ci_high")
        close(row["statistic"], stat[j], f"{name} statistic")
        close(row["p_value"], pvalues[j], f"{name} p")
        if df_resid is None:
            assert pd.isna(row["df"])
        else:
            close(row["df"], df_resid, f"{name} df")
        v = X[name].values
        if name != "(intercept)" and np.isin(v, [0.0, 1.0]).all():
            assert row["n_level"] == int(v.sum()), name
        else:
            assert pd.isna(row["n_level"]), name
    return shown


def test_warfarin_logistic_and_cox_models_match_statsmodels(tailor_bin, tmp_path):
    cohort = tmp_path / "cohort.parquet"
    df = simulate(cohort)
    proc, out = run_estimate(tailor_bin, tmp_path, cohort)
    assert proc.returncode == 0, proc.stderr
    models = pq.read_table(out / "models.parquet").to_pandas().set_index("model")
    terms = pq.read_table(out / "model_terms.parquet").to_pandas()

    # OLS: the warfarin dose model.
    X, y, counts, by_covariate = warfarin_design(df)
    fit = sm.OLS(y, X).fit()
    t = terms[terms["model"] == "warfarin_dose"]
    shown = check_terms(t, X, fit, fit.params.values, fit.bse.values, fit.conf_int(0.05).values,
                        fit.tvalues.values, fit.pvalues.values, "t", fit.df_resid)
    assert shown >= 18
    assert t[t["term"] == "CYP2C9=*3/*3:amiodarone"].empty or bool(t[t["term"] == "CYP2C9=*3/*3:amiodarone"]["suppressed"].iloc[0])
    row = t.set_index("term")
    assert row.loc["CYP2C9=*1/*3", "reference"] == "*1/*1" and row.loc["CYP2C9=*1/*3", "kind"] == "genotype"
    assert row.loc["race=missing", "level"] == "missing" and row.loc["inducer", "kind"] == "covariate"
    assert row.loc["(intercept)", "kind"] == "intercept"
    # the simulation's coefficients are recovered (sanity of the design, not of tailor)
    for name in ("VKORC1=A/A", "CYP2C9=*1/*3", "inducer", "height"):
        assert abs(row.loc[name, "estimate"] - TRUE[name]) < 4 * row.loc[name, "se"], name
    m = models.loc["warfarin_dose"]
    assert (m["family"], m["outcome"], m["transform"], m["status"]) == ("ols", "weekly_dose", "sqrt", "ok")
    assert m["n_used"] == int(fit.nobs) and m["n_parameters"] == X.shape[1]
    close(m["r2"], fit.rsquared, "r2")
    close(m["adj_r2"], fit.rsquared_adj, "adj_r2")
    close(m["log_likelihood"], fit.llf, "llf")
    close(m["aic"], fit.aic, "aic")
    # 3 impossible doses: a small cell, hidden with its complement
    assert counts["transform"] == 3 and pd.isna(m["n_excluded_transform"]) and m["n_suppressed"]
    assert m["n_excluded_genotype"] == 0
    shown_counts = {r: m[f"n_excluded_{r}"] for r in ("outcome", "covariate") if not pd.isna(m[f"n_excluded_{r}"])}
    assert len(shown_counts) <= 1
    for r, v in shown_counts.items():
        assert v == counts[r]
    per = {e["covariate"]: e["n"] for e in m["excluded_by_covariate"]}
    assert list(per) == ["age_decades", "height", "weight", "race", "inducer", "amiodarone"]
    assert per["age_decades"] == 0 and per["race"] == 0 and per["amiodarone"] == 0
    for name in ("height", "inducer"):
        assert per[name] is None or per[name] == by_covariate[name], name
        assert by_covariate[name] > K

    # Logistic: two genes jointly, no-calls excluded.
    d = df[df["bleed"].notna() & df["CYP2C9_diplotype"].notna() & df["VKORC1_diplotype"].notna()]
    cols = gene_design(d, unknown_level=False, intercept=True)
    cols["age_decades"] = d["age_decades"].values
    cols["weight"] = d["weight"].values
    X = pd.DataFrame(cols)
    fit = sm.Logit(d["bleed"].astype(float).values, X).fit(disp=0, method="newton", tol=1e-13, maxiter=200)
    t = terms[terms["model"] == "bleeding_any"]
    check_terms(t, X, fit, fit.params.values, fit.bse.values, fit.conf_int(0.05).values,
                fit.tvalues.values, fit.pvalues.values, "z")
    m = models.loc["bleeding_any"]
    assert m["status"] == "ok" and m["n_used"] == len(d) and pd.isna(m["r2"])
    close(m["log_likelihood"], fit.llf, "logit llf")
    close(m["aic"], fit.aic, "logit aic")
    n_genotype = int((df["bleed"].notna() & (df["CYP2C9_diplotype"].isna() | df["VKORC1_diplotype"].isna())).sum())
    assert m["n_excluded_genotype"] == n_genotype > K

    # Cox (Efron): two genes jointly with unknown levels, no intercept.
    cols = gene_design(df, unknown_level=True, intercept=False)
    cols["age_decades"] = df["age_decades"].values
    X = pd.DataFrame(cols)
    fit = phreg.PHReg(df["bleeding_time"].values, X, status=df["bleeding_event"].astype(int).values, ties="efron").fit()
    params, bse = np.asarray(fit.params), np.asarray(fit.bse)
    t = terms[terms["model"] == "bleeding_time"]
    check_terms(t, X, fit, params, bse, np.asarray(fit.conf_int(0.05)), params / bse, np.asarray(fit.pvalues), "z")
    m = models.loc["bleeding_time"]
    assert m["status"] == "ok" and m["n_used"] == len(df) and m["n_parameters"] == X.shape[1]
    close(m["log_likelihood"], fit.llf, "cox llf")
    close(m["aic"], -2 * fit.llf + 2 * X.shape[1], "cox aic")


def test_cox_matches_lifelines(tailor_bin, tmp_path):
    lifelines = require("lifelines")
    cohort = tmp_path / "cohort.parquet"
    df = simulate(cohort, n=1500, seed=5)
    proc, out = run_estimate(tailor_bin, tmp_path, cohort)
    assert proc.returncode == 0, proc.stderr
    terms = pq.read_table(out / "model_terms.parquet").to_pandas()
    t = terms[(terms["model"] == "bleeding_time") & ~terms["suppressed"]].set_index("term")
    cols = gene_design(df, unknown_level=True, intercept=False)
    cols["age_decades"] = df["age_decades"].values
    data = pd.DataFrame(cols)
    data["T"] = df["bleeding_time"].values
    data["E"] = df["bleeding_event"].astype(int).values
    cph = lifelines.CoxPHFitter().fit(data, "T", "E", fit_options={"precision": 1e-12})
    for name in t.index:
        close(t.loc[name, "estimate"], cph.params_[name], f"{name} lifelines coef")
        close(t.loc[name, "se"], cph.standard_errors_[name], f"{name} lifelines se")


def test_bad_model_configuration_exits_2_with_key_and_line(tailor_bin, tmp_path):
    cohort = tmp_path / "cohort.parquet"
    simulate(cohort, n=200)
    bad = CONFIG.replace('interactions = [["CYP2C9", "amiodarone"]]', 'interactions = [["CYP2C9", "amiodaron"]]')
    proc, _ = run_estimate(tailor_bin, tmp_path, cohort, bad)
    assert proc.returncode == 2, proc.stderr
    line = next(i for i, l in enumerate(bad.splitlines(), 1) if l.startswith("interactions"))
    assert f"line {line}" in proc.stderr and "interactions" in proc.stderr and "amiodaron" in proc.stderr
    typo = CONFIG.replace('unknown_genotype = "level"', 'unknown_genotyp = "level"', 1)
    proc, _ = run_estimate(tailor_bin, tmp_path, cohort, typo)
    assert proc.returncode == 2 and 'did you mean "unknown_genotype"' in proc.stderr, proc.stderr
    wrong_family = CONFIG.replace('family = "logistic"', 'family = "ols"')
    proc, _ = run_estimate(tailor_bin, tmp_path, cohort, wrong_family)
    assert proc.returncode == 3 and "bleeding_any" in proc.stderr, proc.stderr


# The one column whose type is not a plain one (documented_types reads those).
BY_COVARIATE = (
    "excluded_by_covariate",
    "List<Struct<covariate: Utf8, n: Int64>>",
    "list<item: struct<covariate: string not null, n: int64> not null>",
    "STRUCT(covariate VARCHAR, n BIGINT)[]",
)


def test_model_tables_have_documented_types(tailor_bin, tmp_path):
    duckdb = require("duckdb")
    cohort = tmp_path / "cohort.parquet"
    simulate(cohort, n=600)
    proc, out = run_estimate(tailor_bin, tmp_path, cohort)
    assert proc.returncode == 0, proc.stderr
    con = duckdb.connect()
    readme = (ROOT / "schemas" / "README.md").read_text()
    column, documented_type, arrow_type, duckdb_type = BY_COVARIATE
    assert f"| `{column}` | `{documented_type}`:" in readme
    for table in ("models", "model_terms"):
        path = out / f"{table}.parquet"
        documented = documented_types(table)
        schema = pq.read_schema(path)
        described = dict((row[0], row[1]) for row in con.execute(f"DESCRIBE SELECT * FROM '{path}'").fetchall())
        if table == "models":
            assert str(schema.field(column).type) == arrow_type and described[column] == duckdb_type
            documented[column] = None
        assert set(schema.names) == set(documented), table
        for name, arrow in documented.items():
            if arrow is not None:
                assert str(schema.field(name).type) == ARROW[arrow], (table, name)
                assert described[name] == DUCKDB[arrow], (table, name, described[name])
        assert con.execute(f"SELECT count(*) FROM '{path}'").fetchone()[0] > 0
