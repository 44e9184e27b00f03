"""`tailor join`'s cohort.parquet opens in DuckDB, polars and pyarrow with the
documented types (schemas/src/cohort.rs), from CSV and from a pandas-style
(snappy, dictionary-encoded) Parquet clinical table.

Run from the repository root: `pytest tests/python/test_join_outputs.py`.
Missing packages skip with a printed reason unless TAILOR_REQUIRE_ALL=1.
"""

import json
import pathlib
import subprocess

import pytest

from conftest import ROOT, require

DATA = ROOT / "tests" / "data" / "join"
IDS = ["PT-001", "PT-002", "PT-003", "PT-004", "PT-005", "PT-007", "PT-008"]


@pytest.fixture(scope="module")
def tailor_join(tailor_bin):
    """The tailor binary, rebuilt if the one found has no `join`."""
    probe = subprocess.run([str(tailor_bin), "join", "--help"], capture_output=True)
    if probe.returncode == 0:
        return tailor_bin
    subprocess.run(["cargo", "build", "-p", "tailor"], cwd=ROOT, check=True)
    return ROOT / "target" / "debug" / "tailor"


def write_calls(path):
    """calls.parquet from calls.tsv with the calls table's schema."""
    pa = require("pyarrow")
    pq = require("pyarrow.parquet")
    lines = (DATA / "calls.tsv").read_text().splitlines()[1:]
    rows = [line.split("\t") for line in lines if line]
    text = lambda values: pa.array([v or None for v in values], pa.string())
    strings = pa.list_(pa.field("item", pa.string(), nullable=False))
    positions = pa.list_(pa.field("item", pa.uint32(), nullable=False))
    n = len(rows)
    col = lambda i: [r[i] for r in rows]
    table = pa.table(
        {
            "sample_id": text(col(0)),
            "gene": text(col(1)),
            "diplotype": text(col(2)),
            "haplotype_1": text([d.split("/")[0] if d else None for d in col(2)]),
            "haplotype_2": text([d.split("/")[1] if d else None for d in col(2)]),
            "candidates": pa.array([[d] if d else [] for d in col(2)], strings),
            "haplotype_matches": pa.array([[]] * n, strings),
            "match_score": pa.array([None] * n, pa.int32()),
            "phased": pa.array([False] * n),
            "missing_positions": pa.array([[]] * n, positions),
            "function_1": text([None] * n),
            "function_2": text([None] * n),
            "activity_score": pa.array([float(a) if a else None for a in col(4)], pa.float64()),
            "phenotype": text(col(3)),
            "flags": pa.array([[f for f in fl.split(",") if f] for fl in col(5)], strings),
            "source": text(col(6)),
            "definitions_version": text(["test"] * n),
        }
    )
    table = table.replace_schema_metadata({"tailor.table": "calls", "tailor.schema_version": "2"})
    pq.write_table(table, path)
    return path


def run_join(tailor, tmp_path, clinical, config=DATA / "messy.toml"):
    calls = write_calls(tmp_path / "calls.parquet")
    out = tmp_path / "out"
    result = subprocess.run(
        [str(tailor), "join", "--config", str(config), "-o", str(out), str(calls), *map(str, clinical)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return out / "cohort.parquet"


def check_types_everywhere(cohort):
    """The documented types, as each reader names them."""
    pa = require("pyarrow")
    pq = require("pyarrow.parquet")
    duckdb = require("duckdb")
    pl = require("polars")

    schema = pq.read_schema(cohort)
    expected = {
        "patient_id": pa.string(),
        "episode_id": pa.string(),
        "therapy": pa.string(),
        "bleeding": pa.bool_(),
        "death_time": pa.float64(),
        "death_event": pa.bool_(),
        "age_band": pa.string(),
        "weight": pa.float64(),
        "CYP2C19_phenotype": pa.string(),
        "CYP2C19_diplotype": pa.string(),
        "CYP2C19_activity_score": pa.float64(),
        "CYP2C19_source": pa.string(),
    }
    for name, data_type in expected.items():
        assert schema.field(name).type == data_type, name
    assert pa.types.is_list(schema.field("CYP2C9_flags").type)
    assert schema.field("CYP2C9_flags").type.value_type == pa.string()
    assert not schema.field("patient_id").nullable
    roles = json.loads(pq.read_metadata(cohort).metadata[b"tailor.cohort_roles"])
    assert [o["kind"] for o in roles["outcomes"]] == ["binary", "time_to_event"]
    assert roles["genes"] == ["CYP2C19", "CYP2C9"]

    con = duckdb.connect()
    described = {r[0]: r[1] for r in con.execute(f"DESCRIBE SELECT * FROM read_parquet('{cohort}')").fetchall()}
    assert described["patient_id"] == "VARCHAR"
    assert described["bleeding"] == "BOOLEAN"
    assert described["death_time"] == "DOUBLE"
    assert described["weight"] == "DOUBLE"
    assert described["age_band"] == "VARCHAR"
    assert described["CYP2C19_flags"] == "VARCHAR[]"
    ids = [r[0] for r in con.execute(f"SELECT patient_id FROM read_parquet('{cohort}') ORDER BY patient_id").fetchall()]
    assert ids == IDS
    flags = con.execute(
        f"SELECT CYP2C19_flags FROM read_parquet('{cohort}') WHERE patient_id = 'PT-003'"
    ).fetchone()[0]
    assert flags == ["no_call"]

    frame = pl.read_parquet(cohort)
    assert frame.schema["patient_id"] == pl.String
    assert frame.schema["bleeding"] == pl.Boolean
    assert frame.schema["weight"] == pl.Float64
    assert frame.schema["CYP2C19_flags"] == pl.List(pl.String)
    assert frame.height == len(IDS)
    return frame


def test_cohort_from_csv_has_documented_types(tailor_join, tmp_path):
    frame = check_types_everywhere(run_join(tailor_join, tmp_path, [DATA / "clinical_messy.csv"]))
    pl = require("polars")
    row = frame.filter(pl.col("patient_id") == "PT-002").row(0, named=True)
    assert row["therapy"] == "clopidogrel, 75 mg"
    assert row["weight"] is None
    assert row["death_event"] is True
    assert row["CYP2C9_activity_score"] == 1.0


def test_cohort_from_pandas_parquet_matches_csv(tailor_join, tmp_path):
    """A clinical table saved by pandas (snappy, categorical therapy, int
    follow-up, float weight with NaN) joins to the same cohort as the CSV."""
    pd = require("pandas")
    require("pyarrow")
    clinical = pd.DataFrame(
        {
            "patient_id": ["PT-001", "PT-002", "PT-003", "PT-004", "PT-005", "PT-007", "PT-008"],
            "drug": pd.Categorical(
                ["clopidogrel", "clopidogrel, 75 mg", "prasugrel", "ticagrelor", "clopidogrel", None, "clopidogrel"]
            ),
            "bleeding": pd.array([0, 1, None, 0, 1, 0, None], dtype="Int64"),
            "age_band": ["60 - 69", "70 - 79", "50 - 59", "60 - 69", "<50", ">=80", "60 - 69"],
            "weight_kg": [81.5, float("nan"), float("nan"), 77.0, 90.25, 66.0, 70.0],
            "followup_days": [365, 120, 400, 365, 30, 365, 365],
            "died": [False, True, False, None, True, False, False],
        }
    )
    path = tmp_path / "clinical.parquet"
    clinical.to_parquet(path)
    from_parquet = check_types_everywhere(run_join(tailor_join, tmp_path, [path]))
    csv_dir = tmp_path / "csv"
    csv_dir.mkdir()
    from_csv = check_types_everywhere(run_join(tailor_join, csv_dir, [DATA / "clinical_messy.csv"]))
    assert from_parquet.equals(from_csv)


def test_join_report_parquet_holds_the_json_report(tailor_join, tmp_path):
    """join_report.parquet (schemas/src/join_report.rs) opens in DuckDB and
    pyarrow with its documented types, and every value of join_report.json
    is one of its rows, counts included."""
    pa = require("pyarrow")
    pq = require("pyarrow.parquet")
    duckdb = require("duckdb")
    cohort = run_join(tailor_join, tmp_path, [DATA / "clinical_messy.csv"])
    out = cohort.parent
    table = out / "join_report.parquet"
    schema = pq.read_schema(table)
    assert [(f.name, f.type) for f in schema] == [
        ("section", pa.string()),
        ("item", pa.string()),
        ("field", pa.string()),
        ("value", pa.string()),
        ("count", pa.int64()),
    ]
    assert pq.read_metadata(table).metadata[b"tailor.table"] == b"join_report"
    con = duckdb.connect()
    rows = con.execute(f"SELECT section, item, field, value, count FROM read_parquet('{table}')").fetchall()
    report = json.loads((out / "join_report.json").read_text())

    def leaves(value, path):
        if isinstance(value, dict):
            for k, v in value.items():
                yield from leaves(v, path + [k])
        elif isinstance(value, list):
            for i, v in enumerate(value):
                yield from leaves(v, path + [str(i)])
        else:
            yield path, value

    expected = sorted(str(v) if not isinstance(v, bool) else str(v).lower() for _, v in leaves(report, []) if v is not None)
    got = sorted(r[3] for r in rows if r[3] is not None)
    assert got == expected
    for section, item, field, value, count in rows:
        if count is not None:
            assert str(count) == value
    value, count = con.execute(
        f"SELECT value, count FROM read_parquet('{table}') WHERE section = 'cohort' AND field = 'rows'"
    ).fetchone()
    # 7 patients: a small cell, shown as in the JSON and never as a count.
    assert value == report["cohort"]["rows"] == "<11"
    assert count is None
