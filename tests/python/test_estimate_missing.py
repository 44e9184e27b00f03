"""`[estimate] missing`: the adjusted subgroup-effect models under each
covariate's missing-value policy, against statsmodels on the same rows.

make_cohort's covariates get gaps (age, sex, pc1); the config fills age
(with 0, or as a missing indicator), gives sex a `missing` level and
keeps pc1 complete case. The adjusted therapy effects (OLS and logistic
interaction models), their SEs and p-values must equal statsmodels fitted
on the rows tailor keeps, with the same filled columns, to 1e-6; and
`n_excluded_covariate` must count the rows each model dropped for a
missing pc1.
"""

import subprocess

import pytest

from conftest import require
from test_estimate_stats import CONFIG, coef_checks, design, fit, make_cohort, run_estimate

np = require("numpy")
pa = require("pyarrow")
pq = require("pyarrow.parquet")

PAIRS = ["clopidogrel", "prasugrel"]
COMPARATOR = "ticagrelor"


def cohort_with_gaps(path, seed=21):
    """make_cohort's cohort with seeded gaps in age (8 %), sex (10 %) and
    pc1 (5 %); returns it as a DataFrame (None/NaN where missing)."""
    make_cohort(path, n=1200, seed=seed)
    table = pq.read_table(path)
    # Another stream than make_cohort's, whose draws set the therapy.
    rng = np.random.default_rng([seed, 1])
    rows = table.num_rows
    columns = {}
    for name, share in [("age", 0.08), ("sex", 0.10), ("pc1", 0.05)]:
        gap = rng.random(rows) < share
        values = table.column(name).to_pylist()
        columns[name] = pa.array([None if g else v for v, g in zip(values, gap)], table.schema.field(name).type)
    for name, array in columns.items():
        table = table.set_column(table.schema.get_field_index(name), name, array)
    pq.write_table(table, path)
    return table.to_pandas()


def covariates_for(age_policy):
    """The covariate columns tailor builds under the test's policies."""

    def columns(df):
        cols = {}
        if age_policy == "indicator":
            cols["age"] = df["age"].fillna(0.0).values
            cols["age=missing"] = df["age"].isna().astype(float).values
        else:
            cols["age"] = df["age"].fillna(float(age_policy)).values
        cols["sex[M]"] = (df["sex"] == "M").astype(float).values
        cols["sex[missing]"] = df["sex"].isna().astype(float).values
        cols["pc1"] = df["pc1"].values
        return cols

    return columns


@pytest.mark.parametrize("age_policy", ["0", "indicator"])
def test_adjusted_effects_follow_missing_policies(tailor_bin, tmp_path, age_policy):
    path = tmp_path / "cohort.parquet"
    df = cohort_with_gaps(path)
    policy = age_policy if age_policy != "indicator" else '"indicator"'
    config = CONFIG + f'missing = {{ age = {policy}, sex = "indicator" }}\n'
    _rates, effects = run_estimate(tailor_bin, tmp_path, path, config)
    checked = 0
    for therapy in PAIRS:
        pair = df[df["therapy"].isin([therapy, COMPARATOR])]
        kept = pair[pair["pc1"].notna()].reset_index(drop=True)
        X = design(kept, "continuous", True, therapy, covariates=covariates_for(age_policy))
        for outcome, kind in [("ldl", "continuous"), ("mace", "binary")]:
            res = fit(kept, kind, X)
            rows = effects[
                (effects.outcome == outcome)
                & (effects.therapy == therapy)
                & effects.adjusted
                & (effects.contrast_kind == "therapy_vs_comparator")
                & effects.model.isin(["ols", "logistic_irls"])
            ]
            assert len(rows) == 3
            for row in rows.itertuples():
                assert row.status == "ok"
                coef_checks(row, res, f"T[{row.subgroup}]", kind, robust=False)
                assert row.n_excluded_covariate == int(pair["pc1"].isna().sum())
                checked += 1
    assert checked == 12


def test_dropped_rows_are_counted_per_model(tailor_bin, tmp_path):
    """Without a policy every covariate is complete case: each adjusted
    row counts its model's rows that miss age, sex or pc1; unadjusted rows
    leave the column null."""
    path = tmp_path / "cohort.parquet"
    df = cohort_with_gaps(path, seed=5)
    _rates, effects = run_estimate(tailor_bin, tmp_path, path, CONFIG)
    gaps = df[["age", "sex", "pc1"]].isna().any(axis=1)
    for row in effects.itertuples():
        if not row.adjusted:
            assert row.n_excluded_covariate is None or np.isnan(row.n_excluded_covariate)
            continue
        if row.contrast_kind == "therapy_vs_comparator":
            in_model = df["therapy"].isin([row.therapy, row.comparator])
        else:
            in_model = df["therapy"] == row.therapy
        assert row.n_excluded_covariate == int((gaps & in_model).sum()), row


def test_unknown_missing_name_exits_2(tailor_bin, tmp_path):
    path = tmp_path / "cohort.parquet"
    cohort_with_gaps(path)
    cfg = tmp_path / "tailor.toml"
    cfg.write_text(CONFIG + "missing = { amiodarone = 0 }\n")
    proc = subprocess.run(
        [str(tailor_bin), "estimate", "--config", str(cfg), "-o", str(tmp_path / "out"), str(path)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2, proc.stderr
    assert "missing" in proc.stderr and "amiodarone" in proc.stderr
    assert not (tmp_path / "out" / "subgroup_effects.parquet").exists()
