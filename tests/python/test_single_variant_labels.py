"""Single-variant genes read as genotypes on the 1000 Genomes panels.

`tailor call` on the real VKORC1 and CYP4F2 panels (3,202 samples), then
`tailor join` and `tailor estimate`: VKORC1's cohort column holds
`C/C (-1639 GG)`, `C/T (-1639 AG)` and `T/T (-1639 AA)` in the numbers
bcftools counts at rs9923231 (chr16:31096368), with the rsID and the
reference allele in the column's metadata; the calls keep PharmCAT's
diplotype and carry `no_phenotype`; the estimate tables group VKORC1 by
genotype with `C/C` as the reference, name the rsID in their metadata and
say that the grouping fell back from phenotype.

Needs the shared data (TAILOR_SHARED_DATA, default ../shared/data) and
bcftools; skipped with a printed reason without them.
"""

import collections
import json
import os
import pathlib
import shutil
import subprocess

import pytest

from conftest import ROOT, require

SHARED = pathlib.Path(os.environ.get("TAILOR_SHARED_DATA", ROOT.parent / "shared" / "data"))
PANELS = SHARED / "1kgp-grch38"
LABELS = {
    "0|0": "C/C (-1639 GG)",
    "0|1": "C/T (-1639 AG)",
    "1|0": "C/T (-1639 AG)",
    "1|1": "T/T (-1639 AA)",
}


def skip(reason):
    print(f"SKIP: {reason}")
    pytest.skip(reason)


def bcftools_genotypes():
    """Label of each sample at rs9923231, read with bcftools."""
    out = subprocess.run(
        [
            "bcftools",
            "query",
            "-r",
            "chr16:31096368",
            "-f",
            "[%SAMPLE\t%GT\n]",
            str(PANELS / "VKORC1.vcf.gz"),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pairs = [line.split("\t") for line in out.splitlines()]
    return {sample: LABELS[gt] for sample, gt in pairs}


@pytest.fixture(scope="module")
def run(tailor_bin, tmp_path_factory):
    if not (PANELS / "VKORC1.vcf.gz").exists():
        skip(f"shared data not found at {PANELS}")
    if shutil.which("bcftools") is None:
        skip("bcftools is not installed")
    pq = require("pyarrow.parquet")
    dir = tmp_path_factory.mktemp("single_variant")
    panels = [str(PANELS / f"{g}.vcf.gz") for g in ("VKORC1", "CYP4F2")]
    tailor = lambda *args: subprocess.run(
        [str(tailor_bin), *args], cwd=dir, check=True, capture_output=True
    )
    tailor("call", "--absent-as-reference", "-q", "-o", "calls", *panels)
    samples = sorted(pq.read_table(dir / "calls" / "calls.parquet")["sample_id"].to_pylist())
    samples = sorted(set(samples))
    # Two therapies and a binary outcome, fixed by each sample's position.
    lines = ["patient_id,drug,bleeding"]
    for i, sample in enumerate(samples):
        drug = "warfarin" if i % 2 == 0 else "apixaban"
        lines.append(f"{sample},{drug},{int(i % 5 == 0)}")
    (dir / "clinical.csv").write_text("\n".join(lines) + "\n")
    (dir / "tailor.toml").write_text(
        "\n".join(
            [
                "[join]",
                'sample_id = "patient_id"',
                'therapy = "drug"',
                "[[join.outcomes]]",
                'name = "bleeding"',
                'kind = "binary"',
                "higher_is_better = false",
                "[estimate]",
                'comparator = "warfarin"',
                'genes = ["VKORC1", "CYP4F2"]',
                "",
            ]
        )
    )
    tailor(
        "join", "--config", "tailor.toml", "-o", "joined",
        "calls/calls.parquet", "clinical.csv",
    )
    tailor("estimate", "--config", "tailor.toml", "-o", "est", "joined/cohort.parquet")
    return dir


def test_calls_keep_pharmcat_names_and_flag_no_phenotype(run):
    pq = require("pyarrow.parquet")
    calls = pq.read_table(run / "calls" / "calls.parquet").to_pylist()
    calls = [c for c in calls if c["gene"] in ("VKORC1", "CYP4F2")]
    assert len(calls) == 2 * 3202
    called = [c for c in calls if c["diplotype"] is not None]
    # Measured: 11 CYP4F2 no calls (ambiguous or unmatched), no VKORC1 one.
    uncalled = collections.Counter(c["gene"] for c in calls if c["diplotype"] is None)
    assert uncalled == {"CYP4F2": 11}
    for c in called:
        assert c["phenotype"] is None
        assert "no_phenotype" in c["flags"]
    vkorc1 = {c["diplotype"] for c in called if c["gene"] == "VKORC1"}
    assert vkorc1 == {
        "rs9923231 reference (C)/rs9923231 reference (C)",
        "rs9923231 reference (C)/rs9923231 variant (T)",
        "rs9923231 variant (T)/rs9923231 variant (T)",
    }


def test_cohort_column_reads_as_genotypes_with_the_rsid(run):
    pq = require("pyarrow.parquet")
    cohort = pq.read_table(run / "joined" / "cohort.parquet")
    field = cohort.schema.field("VKORC1_diplotype")
    assert field.metadata == {b"tailor.rsid": b"rs9923231", b"tailor.reference_allele": b"C"}
    assert cohort.schema.field("CYP4F2_diplotype").metadata is None
    expected = bcftools_genotypes()
    assert len(expected) == 3202
    got = dict(zip(cohort["patient_id"].to_pylist(), cohort["VKORC1_diplotype"].to_pylist()))
    assert got == expected
    counts = collections.Counter(expected.values())
    print("VKORC1 rs9923231 genotypes:", dict(counts))
    assert sum(counts.values()) == 3202


def test_estimate_groups_vkorc1_by_genotype_with_cc_as_reference(run):
    pq = require("pyarrow.parquet")
    rates = pq.read_table(run / "est" / "subgroup_rates.parquet")
    meta = rates.schema.metadata
    assert json.loads(meta[b"tailor.single_variant_genes"]) == {"VKORC1": "rs9923231"}
    warning = meta[b"tailor.estimate.warning"].decode()
    assert (
        "VKORC1: no phenotype in CPIC's tables (flag no_phenotype); grouped by diplotype "
        "of rs9923231 instead of phenotype"
    ) in warning
    assert "CYP4F2: no phenotype in CPIC's tables" in warning
    rows = [r for r in rates.to_pylist() if r["gene"] == "VKORC1"]
    assert {r["grouping"] for r in rows} == {"diplotype"}
    assert {r["subgroup"] for r in rows} == set(LABELS.values())
    reference = {r["subgroup"] for r in rows if r["is_reference"]}
    assert reference == {"C/C (-1639 GG)"}
    counts = collections.Counter(bcftools_genotypes().values())
    for label, n in counts.items():
        shown = sum(r["n"] for r in rows if r["subgroup"] == label)
        assert shown == n, label
    effects = pq.read_table(run / "est" / "subgroup_effects.parquet")
    effects_meta = effects.schema.metadata
    assert json.loads(effects_meta[b"tailor.single_variant_genes"]) == {"VKORC1": "rs9923231"}
