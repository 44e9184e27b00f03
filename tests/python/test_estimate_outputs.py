"""subgroup_rates.parquet and subgroup_effects.parquet (from `tailor demo`)
open in pyarrow and DuckDB with the types schemas/README.md documents, and
carry no patient identifier."""

import re
import subprocess

from conftest import ROOT, require

ARROW = {"Utf8": "string", "Float64": "double", "Int64": "int64", "Boolean": "bool"}
DUCKDB = {"Utf8": "VARCHAR", "Float64": "DOUBLE", "Int64": "BIGINT", "Boolean": "BOOLEAN"}


def documented_types(table):
    """column -> Arrow type name, from the README section of `table`."""
    readme = (ROOT / "schemas" / "README.md").read_text()
    section = readme.split(f"\n## {table}\n", 1)[1].split("\n## ", 1)[0]
    types = dict(re.findall(r"^\| `(\w+)` \| `(\w+)`:", section, flags=re.M))
    assert types, f"no typed columns documented for {table}"
    return types


def run_demo(tailor_bin, tmp_path):
    out = tmp_path / "demo"
    subprocess.run(
        [str(tailor_bin), "demo", "-q", "-o", str(out), "--samples", "600"],
        check=True,
        cwd=tmp_path,
        capture_output=True,
    )
    return out


def test_estimate_tables_have_documented_types(tailor_bin, tmp_path):
    pq = require("pyarrow.parquet")
    duckdb = require("duckdb")
    out = run_demo(tailor_bin, tmp_path)
    con = duckdb.connect()
    for table in ("subgroup_rates", "subgroup_effects"):
        path = out / "out" / f"{table}.parquet"
        documented = documented_types(table)
        schema = pq.read_schema(path)
        assert set(schema.names) == set(documented), table
        for field in schema:
            assert str(field.type) == ARROW[documented[field.name]], (table, field.name)
        described = dict(
            (row[0], row[1]) for row in con.execute(f"DESCRIBE SELECT * FROM '{path}'").fetchall()
        )
        for column, arrow_type in documented.items():
            assert described[column] == DUCKDB[arrow_type], (table, column)
        assert con.execute(f"SELECT count(*) FROM '{path}'").fetchone()[0] > 0


def test_no_patient_identifier_in_aggregates(tailor_bin, tmp_path):
    out = run_demo(tailor_bin, tmp_path)
    ids = [line.split(",")[0] for line in (out / "clinical.csv").read_text().splitlines()[1:]]
    assert ids and all(i.startswith("SIM") for i in ids)
    for table in ("subgroup_rates", "subgroup_effects", "cohort"):
        data = (out / "out" / f"{table}.parquet").read_bytes()
        assert not any(i.encode() in data for i in ids[:200]), table
