#!/usr/bin/env python3
"""Generates the data of benches/join_scale.sh (seeded, reproducible):

- calls.parquet: SAMPLES samples x GENES genes, with the calls table's schema
  and `tailor.table = calls` metadata (5% no calls, 3% ambiguous);
- clinical.csv: ROWS rows, two episodes per patient, 1% of patients not
  genotyped, ~2% missing therapy, outcomes and covariates of every kind;
- join_scale.toml: the [join] section for them.

Usage: join_scale_data.py OUT_DIR [SAMPLES] [ROWS] [GENES]
"""

import random
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

out = Path(sys.argv[1])
samples = int(sys.argv[2]) if len(sys.argv) > 2 else 500_000
rows = int(sys.argv[3]) if len(sys.argv) > 3 else 1_000_000
genes = int(sys.argv[4]) if len(sys.argv) > 4 else 20
out.mkdir(parents=True, exist_ok=True)
rng = random.Random(20261125)

GENES = ["ABCG2", "CACNA1S", "CFTR", "CYP2B6", "CYP2C19", "CYP2C9", "CYP2D6", "CYP3A4", "CYP3A5",
         "CYP4F2", "DPYD", "G6PD", "IFNL3", "NAT2", "NUDT15", "RYR1", "SLCO1B1", "TPMT", "UGT1A1",
         "VKORC1", "HLA-A", "HLA-B", "MT-RNR1", "CYP1A2"][:genes]
CALLS = [("*1/*1", "Normal Metabolizer", 2.0), ("*1/*2", "Intermediate Metabolizer", 1.0),
         ("*2/*2", "Poor Metabolizer", 0.0), ("*1/*17", "Rapid Metabolizer", None),
         ("*17/*17", "Ultrarapid Metabolizer", None)]

n = samples * len(GENES)
sample_ids, gene_col, diplotype, phenotype, activity, flags = [], [], [], [], [], []
for s in range(samples):
    name = f"S{s:07d}"
    for gene in GENES:
        sample_ids.append(name)
        gene_col.append(gene)
        r = rng.random()
        if r < 0.05:
            diplotype.append(None); phenotype.append(None); activity.append(None); flags.append(["no_call"])
        else:
            d, p, a = CALLS[rng.randrange(len(CALLS))]
            diplotype.append(d); phenotype.append(p); activity.append(a)
            flags.append(["ambiguous"] if r < 0.08 else [])
strings = pa.list_(pa.field("item", pa.string(), nullable=False))
positions = pa.list_(pa.field("item", pa.uint32(), nullable=False))
table = pa.table({
    "sample_id": pa.array(sample_ids, pa.string()),
    "gene": pa.array(gene_col, pa.string()),
    "diplotype": pa.array(diplotype, pa.string()),
    "haplotype_1": pa.nulls(n, pa.string()),
    "haplotype_2": pa.nulls(n, pa.string()),
    "candidates": pa.array([[d] if d else [] for d in diplotype], strings),
    "match_score": pa.nulls(n, pa.int32()),
    "phased": pa.array([False] * n),
    "missing_positions": pa.array([[]] * n, positions),
    "function_1": pa.nulls(n, pa.string()),
    "function_2": pa.nulls(n, pa.string()),
    "activity_score": pa.array(activity, pa.float64()),
    "phenotype": pa.array(phenotype, pa.string()),
    "flags": pa.array(flags, strings),
    "source": pa.array(["vcf"] * n, pa.string()),
    "definitions_version": pa.array(["bench"] * n, pa.string()),
}).replace_schema_metadata({"tailor.table": "calls", "tailor.schema_version": "1"})
pq.write_table(table, out / "calls.parquet", compression="zstd")
del table, sample_ids, gene_col, diplotype, phenotype, activity, flags

drugs = ["clopidogrel", "prasugrel", "ticagrelor", "\"clopidogrel, 75 mg\""]
bands = ["<50", "50 - 59", "60 - 69", "70 - 79", ">=80"]
with open(out / "clinical.csv", "w", newline="") as f:
    f.write("patient_id,episode,drug,bleeding,ldl_change,followup_days,died,age_band,age,sex\r\n")
    patients = rows // 2
    for p in range(patients):
        genotyped = rng.random() >= 0.01
        name = f"S{p % samples:07d}" if genotyped else f"X{p:07d}"
        for episode in (1, 2):
            drug = "NA" if rng.random() < 0.02 else rng.choice(drugs)
            f.write(
                f"{name},{episode},{drug},{int(rng.random() < 0.1)},{rng.gauss(-30, 15):.2f},"
                f"{rng.randrange(1, 1500)},{int(rng.random() < 0.2)},{rng.choice(bands)},"
                f"{rng.randrange(18, 95)},{rng.choice(['F', 'M'])}\r\n"
            )

(out / "join_scale.toml").write_text("""[join]
sample_id = "patient_id"
episode_id = "episode"
therapy = "drug"

[[join.outcomes]]
name = "bleeding"
kind = "binary"

[[join.outcomes]]
name = "ldl_change"
kind = "continuous"
unit = "mg/dL"

[[join.outcomes]]
name = "death"
kind = "time_to_event"
time_column = "followup_days"
event_column = "died"
unit = "days"

[[join.covariates]]
name = "age_band"

[[join.covariates]]
name = "age"
kind = "numeric"

[[join.covariates]]
name = "sex"
kind = "categorical"
reference = "F"
""")
print(f"{samples} samples x {len(GENES)} genes, {rows} clinical rows in {out}")
