"""The Snakemake workflow in workflows/: lint-clean; with the local profile
on a simulated cohort, split into 3 shards, it writes the same bytes as
`tailor run` on the same tailor.toml (identified genotypes and calls, cohort,
join report, estimates, report); the Slurm profile plans the same jobs in a dry run.
"""

import pathlib
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, require

SHARDS = 3
TABLES = [
    "out.identified/genotypes.parquet",
    "out.identified/calls.parquet",
    "out/cohort.parquet",
    "out/join_report.json",
    "out/subgroup_rates.parquet",
    "out/subgroup_effects.parquet",
    "out/report.html",
]


def snakemake(*args):
    """Runs the .venv's snakemake from the repository root."""
    require("snakemake")
    binary = pathlib.Path(sys.executable).parent / "snakemake"
    return subprocess.run(
        [str(binary), *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def cohort(tmp_path_factory, tailor_bin):
    """A simulated cohort, `tailor run` on it (outputs moved to reference/),
    and a workflow config naming its tailor.toml."""
    base = tmp_path_factory.mktemp("workflow")
    subprocess.run(
        [tailor_bin, "-q", "simulate", "-o", base / "sim", "--samples", "300", "--seed", "5"],
        check=True,
        capture_output=True,
    )
    toml = base / "sim" / "tailor.toml"
    subprocess.run([tailor_bin, "-q", "run", toml], check=True, capture_output=True)
    (base / "reference").mkdir()
    for folder in ("out", "out.identified"):
        shutil.move(base / "sim" / folder, base / "reference" / folder)
    config = base / "config.yaml"
    config.write_text(f"tailor_toml: {toml}\nshards: {SHARDS}\ntailor: {tailor_bin}\n")
    return base, config


def test_lint_passes(cohort):
    _, config = cohort
    result = snakemake("--lint", "--profile", "workflows/profiles/local", "--configfile", config)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "good condition" in result.stdout + result.stderr


def test_local_profile_writes_what_tailor_run_writes(cohort):
    base, config = cohort
    result = snakemake("--profile", "workflows/profiles/local", "--cores", "2", "--configfile", config)
    assert result.returncode == 0, result.stdout + result.stderr
    for table in TABLES:
        produced = (base / "sim" / table).read_bytes()
        expected = (base / "reference" / table).read_bytes()
        assert produced == expected, f"{table} differs from tailor run's"
    pq = require("pyarrow.parquet")
    calls = pq.read_table(base / "sim" / "out.identified" / "calls.parquet")
    assert calls.num_rows > 0 and len(set(calls.column("sample_id").to_pylist())) == 300
    metadata = calls.schema.metadata
    assert b"tailor.shard" not in metadata
    for k in range(1, SHARDS + 1):
        shard = pq.read_table(base / "sim" / "out.identified" / "shards" / str(k) / "calls.parquet")
        assert shard.schema.metadata[b"tailor.shard"] == f"{k}/{SHARDS}".encode()
    identified = base / "sim" / "out.identified"
    assert identified.stat().st_mode & 0o777 == 0o700
    assert (identified / "calls.parquet").stat().st_mode & 0o777 == 0o600


def test_slurm_profile_dry_run_plans_every_shard(cohort):
    _, config = cohort
    result = snakemake(
        "-n", "--forceall", "--profile", "workflows/profiles/slurm", "--configfile", config
    )
    assert result.returncode == 0, result.stdout + result.stderr
    plan = result.stdout + result.stderr
    for k in range(1, SHARDS + 1):
        assert f"--shard {k}/{SHARDS}" in plan
    assert "slurm_partition=normal" in plan
    assert "This was a dry-run" in plan


def test_sbatch_array_scripts_write_what_tailor_run_writes(cohort, tailor_bin):
    """workflows/sbatch/, run as Slurm would run the array tasks (the task
    id and count in the environment), then the gather job."""
    base, _ = cohort
    sim = base / "sim"
    for folder in ("out", "out.identified", "out.logs"):
        shutil.rmtree(sim / folder, ignore_errors=True)
    scripts = ROOT / "workflows" / "sbatch"
    identified = sim / "out.identified"
    env = {"PATH": "/usr/bin:/bin", "TAILOR": str(tailor_bin), "SLURM_CPUS_PER_TASK": "2"}
    for k in range(1, SHARDS + 1):
        task = dict(env, SLURM_ARRAY_TASK_ID=str(k), SLURM_ARRAY_TASK_COUNT=str(SHARDS))
        subprocess.run(
            ["bash", scripts / "shard.sbatch", identified, "--sex", sim / "sex.tsv",
             sim / "cohort.vcf.gz", "--call", "--sex", sim / "sex.tsv"],
            env=task, check=True, capture_output=True,
        )
    subprocess.run(
        ["bash", scripts / "gather.sbatch", str(SHARDS), identified, sim / "out",
         sim / "tailor.toml", "--pseudonymise", sim / "clinical.csv"],
        env=env, check=True, capture_output=True,
    )
    for table in TABLES:
        produced = (sim / table).read_bytes()
        expected = (base / "reference" / table).read_bytes()
        assert produced == expected, f"{table} differs from tailor run's"
