//! `tailor estimate` at scale: patients x 19 genes x 5 therapies x 2 outcomes
//! (binary and continuous, no covariates, comparator = the first therapy).
//!
//! ```text
//! cargo bench -p tailor-benches --bench estimate_scale               # 100,000 patients, criterion
//! TAILOR_BENCH_PATIENTS=1000000 cargo bench -p tailor-benches --bench estimate_scale
//! ```
//!
//! The cohort is generated once per run (seeded) and written as a tailor
//! cohort table; the timed part is `tailor_estimate::run` end to end
//! (Parquet read, 38 gene x outcome analyses, suppression, Parquet write).
//! Use `RAYON_NUM_THREADS=2` to measure on two cores.
//!
//! Measured 2026-11-25 on the shared 2-core dev machine, RAYON_NUM_THREADS=2,
//! release: 100,000 patients 2.9 s (criterion mean); 1,000,000 patients
//! 8.85 s mean [7.8, 9.9] over 10 samples (first, cold run 10.8 s).

#![allow(missing_docs)] // criterion_group! generates an undocumented fn

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use arrow_array::{ArrayRef, BooleanArray, Float64Array, ListArray, RecordBatch, StringArray};
use criterion::{criterion_group, Criterion};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use tailor_schemas::cohort::{self, CohortRoles, OutcomeKind, OutcomeRole};
use tailor_tables::{TableMetadata, TableWriter};

const GENES: [&str; 19] = [
    "ABCG2", "CACNA1S", "CFTR", "CYP2B6", "CYP2C19", "CYP2C9", "CYP2D6", "CYP3A4", "CYP3A5",
    "CYP4F2", "DPYD", "G6PD", "IFNL3", "NUDT15", "RYR1", "SLCO1B1", "TPMT", "UGT1A1", "VKORC1",
];
const THERAPIES: [&str; 5] = [
    "apixaban",
    "clopidogrel",
    "prasugrel",
    "ticagrelor",
    "warfarin",
];
const PHENOS: [&str; 4] = [
    "Normal Metabolizer",
    "Intermediate Metabolizer",
    "Poor Metabolizer",
    "Rapid Metabolizer",
];

fn write_cohort(path: &Path, n: usize) {
    let roles = CohortRoles {
        outcomes: vec![
            OutcomeRole {
                name: "mace".into(),
                kind: OutcomeKind::Binary,
                higher_is_better: false,
                unit: None,
            },
            OutcomeRole {
                name: "ldl".into(),
                kind: OutcomeKind::Continuous,
                higher_is_better: false,
                unit: None,
            },
        ],
        covariates: Vec::new(),
        genes: GENES.iter().map(|g| (*g).to_owned()).collect(),
    };
    let schema = cohort::schema(&roles);
    let mut rng = ChaCha8Rng::seed_from_u64(42);
    let therapy: Vec<usize> = (0..n)
        .map(|_| (rng.gen::<f64>() * 5.0) as usize % 5)
        .collect();
    let mut columns: Vec<ArrayRef> = vec![
        Arc::new(StringArray::from(
            (0..n).map(|i| format!("{i:016x}")).collect::<Vec<_>>(),
        )),
        Arc::new(StringArray::from(vec![None::<&str>; n])),
        Arc::new(StringArray::from(
            therapy.iter().map(|&t| THERAPIES[t]).collect::<Vec<_>>(),
        )),
        Arc::new(BooleanArray::from(
            (0..n).map(|_| rng.gen::<f64>() < 0.2).collect::<Vec<_>>(),
        )),
        Arc::new(Float64Array::from(
            (0..n)
                .map(|_| 100.0 + 30.0 * rng.gen::<f64>())
                .collect::<Vec<_>>(),
        )),
    ];
    for _ in GENES {
        let pheno: Vec<&str> = (0..n)
            .map(|_| {
                let u = rng.gen::<f64>();
                PHENOS[if u < 0.5 {
                    0
                } else if u < 0.8 {
                    1
                } else if u < 0.9 {
                    2
                } else {
                    3
                }]
            })
            .collect();
        columns.push(Arc::new(StringArray::from(pheno)));
        columns.push(Arc::new(StringArray::from(vec![None::<&str>; n])));
        columns.push(Arc::new(Float64Array::from(vec![None::<f64>; n])));
        let item = Arc::new(arrow_schema::Field::new(
            "item",
            arrow_schema::DataType::Utf8,
            false,
        ));
        columns.push(Arc::new(ListArray::new_null(item, n)));
        columns.push(Arc::new(StringArray::from(vec!["vcf"; n])));
    }
    let batch = RecordBatch::try_new(schema.clone(), columns).expect("batch");
    let mut meta = TableMetadata::new(cohort::TABLE, cohort::SCHEMA_VERSION);
    meta.extra.push((
        cohort::ROLES_KEY.to_owned(),
        serde_json::to_string(&roles).expect("json"),
    ));
    let mut writer = TableWriter::create(path, schema, &meta).expect("create");
    writer.write(&batch).expect("write");
    writer.finish().expect("finish");
}

fn patients() -> usize {
    std::env::var("TAILOR_BENCH_PATIENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000)
}

fn bench(c: &mut Criterion) {
    let n = patients();
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("cohort.parquet");
    let started = Instant::now();
    write_cohort(&input, n);
    eprintln!(
        "generated {n} patients x {} genes in {:.1} s",
        GENES.len(),
        started.elapsed().as_secs_f64()
    );
    let options = tailor_estimate::Options::builder()
        .comparator(THERAPIES[0])
        .build();
    let started = Instant::now();
    let summary = tailor_estimate::run(&options, &input, dir.path()).expect("run");
    eprintln!(
        "one run: {:.2} s ({} rate rows, {} effect rows, {} tests, {} threads)",
        started.elapsed().as_secs_f64(),
        summary.rate_rows,
        summary.effect_rows,
        summary.interaction_tests,
        rayon::current_num_threads()
    );
    let mut group = c.benchmark_group("estimate");
    group.sample_size(10);
    group.bench_function(
        format!("{n}_patients_19_genes_5_therapies_2_outcomes"),
        |b| b.iter(|| tailor_estimate::run(&options, &input, dir.path()).expect("run")),
    );
    group.finish();
}

criterion_group!(benches, bench);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
}
