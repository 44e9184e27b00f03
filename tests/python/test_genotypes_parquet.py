"""genotypes.parquet opens in pyarrow and DuckDB with the documented types,
and its metadata carries the versions and the inputs' identities."""

import hashlib
import json
import os
import pathlib
import shutil
import stat
import subprocess

from conftest import ROOT, require

EXPECTED_TYPES = {
    "sample_id": "string",
    "gene": "string",
    "chrom": "string",
    "pos": "uint32",
    "ref": "string",
    "allele_1": "string",
    "allele_2": "string",
    "ploidy": "uint8",
    "phased": "bool",
    "phase_set": "int64",
    "vcf_ref": "string",
    "vcf_alt": "string",
    "depth": "int32",
    "genotype_quality": "int32",
    "quality": "float",
    "filter": "string",
    "flags": "list<item: string not null>",
    "source": "string",
    "allele_depths": "list<item: int32 not null>",
    "source_kind": "string",
}

DUCKDB_TYPES = {
    "pos": "UINTEGER",
    "ploidy": "UTINYINT",
    "phased": "BOOLEAN",
    "phase_set": "BIGINT",
    "flags": "VARCHAR[]",
    "quality": "FLOAT",
    "sample_id": "VARCHAR",
}


def ingest(tailor_bin, tmp_path, name, *args):
    vcf = tmp_path / name
    shutil.copy(ROOT / "tests" / "data" / "ingest" / name, vcf)
    out = tmp_path / "out"
    subprocess.run(
        [str(tailor_bin), "ingest", "-q", "-o", str(out), *args, str(vcf)],
        check=True,
        cwd=tmp_path,
    )
    return vcf, out / "genotypes.parquet"


def test_types_and_metadata_in_pyarrow(tailor_bin, tmp_path):
    pq = require("pyarrow.parquet")
    vcf, table_path = ingest(tailor_bin, tmp_path, "phased_ps.vcf", "--genes", "CYP2C19")
    table = pq.read_table(table_path)
    assert {f.name: str(f.type) for f in table.schema} == EXPECTED_TYPES
    rows = table.to_pylist()
    assert len(rows) == 35  # one sample x 35 CYP2C19 definition positions
    star2 = next(r for r in rows if r["pos"] == 94781859)
    assert (star2["allele_1"], star2["allele_2"], star2["phased"], star2["phase_set"]) == (
        "A",
        "G",
        True,
        94781000,
    )
    meta = {k.decode(): v.decode() for k, v in pq.read_metadata(table_path).metadata.items()}
    assert meta["tailor.table"] == "genotypes"
    assert meta["tailor.schema_version"] == "2"
    assert meta["tailor.version"]
    assert meta["tailor.definitions_version"].startswith("PharmCAT 3.1.1")
    assert json.loads(meta["tailor.parameters"])["genes"] == ["CYP2C19"]
    (identity,) = json.loads(meta["tailor.inputs"])
    header = b"".join(line for line in vcf.read_bytes().splitlines(keepends=True) if line.startswith(b"#"))
    assert identity["path"] == str(vcf)
    assert identity["size"] == vcf.stat().st_size
    assert identity["header_sha256"] == hashlib.sha256(header).hexdigest()
    # The same pairs on the Arrow schema, where pyarrow and polars users look.
    schema_meta = {k.decode(): v.decode() for k, v in table.schema.metadata.items()}
    assert schema_meta == {k: v for k, v in meta.items() if k != "ARROW:schema"}
    # Per-person genetic data is not world-readable.
    assert stat.S_IMODE(os.stat(table_path).st_mode) == 0o640


def test_hash_inputs_records_full_sha256(tailor_bin, tmp_path):
    pq = require("pyarrow.parquet")
    vcf, table_path = ingest(tailor_bin, tmp_path, "missing.vcf", "--hash-inputs")
    meta = pq.read_metadata(table_path).metadata
    (identity,) = json.loads(meta[b"tailor.inputs"])
    assert identity["sha256"] == hashlib.sha256(vcf.read_bytes()).hexdigest()


def test_types_in_duckdb(tailor_bin, tmp_path):
    duckdb = require("duckdb")
    _, table_path = ingest(tailor_bin, tmp_path, "haploid.vcf", "--genes", "G6PD")
    con = duckdb.connect()
    described = {
        row[0]: row[1] for row in con.execute(f"DESCRIBE SELECT * FROM '{table_path}'").fetchall()
    }
    for column, expected in DUCKDB_TYPES.items():
        assert described[column] == expected, (column, described[column])
    haploid = con.execute(
        f"SELECT allele_1, allele_2, ploidy FROM '{table_path}' "
        "WHERE sample_id = 'S1' AND pos = 154532046"
    ).fetchone()
    assert haploid == ("C", None, 1)
    absent = con.execute(
        f"SELECT count(*) FROM '{table_path}' WHERE list_contains(flags, 'absent')"
    ).fetchone()[0]
    positions = con.execute(f"SELECT count(DISTINCT pos) FROM '{table_path}'").fetchone()[0]
    assert absent == 4 * (positions - 1)


def test_polars_reads_it(tailor_bin, tmp_path):
    pl = require("polars")
    _, table_path = ingest(tailor_bin, tmp_path, "indel.vcf", "--genes", "UGT1A1")
    frame = pl.read_parquet(table_path)
    s3 = frame.filter((pl.col("sample_id") == "S3") & (pl.col("pos") == 233760233))
    assert s3["allele_1"].to_list() == ["CATAT"]
    assert frame.schema["flags"] == pl.List(pl.String)
