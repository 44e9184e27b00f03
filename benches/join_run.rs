//! Criterion bench of `tailor_join::run`: a seeded 100,000-row clinical CSV
//! (50,000 patients x 2 episodes) against 50,000 samples x 5 genes of calls,
//! plain and pseudonymised. The 1,000,000-row run with time and peak memory
//! is `benches/join_scale.sh` (results in `benches/join_scale.md`).
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::builder::{Float64Builder, ListBuilder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use criterion::{criterion_group, criterion_main, Criterion};
use tailor_join::{run, Inputs, JoinConfig, Options, PseudonymKey};
use tailor_tables::{TableMetadata, TableWriter};

const SAMPLES: usize = 50_000;
const GENES: [&str; 5] = ["CYP2C19", "CYP2C9", "CYP2D6", "DPYD", "SLCO1B1"];

/// A small linear congruential generator: seeded, no dependency.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

fn write_calls(dir: &Path, rng: &mut Lcg) -> PathBuf {
    let item = Field::new("item", DataType::Utf8, false);
    let schema = Arc::new(Schema::new(vec![
        Field::new("sample_id", DataType::Utf8, false),
        Field::new("gene", DataType::Utf8, false),
        Field::new("diplotype", DataType::Utf8, true),
        Field::new("phenotype", DataType::Utf8, true),
        Field::new("activity_score", DataType::Float64, true),
        Field::new("flags", DataType::List(Arc::new(item.clone())), false),
        Field::new("source", DataType::Utf8, false),
    ]));
    let calls = [
        ("*1/*1", "Normal Metabolizer", Some(2.0)),
        ("*1/*2", "Intermediate Metabolizer", Some(1.0)),
        ("*2/*2", "Poor Metabolizer", Some(0.0)),
    ];
    let (mut sample, mut gene, mut diplotype, mut phenotype) = (
        StringBuilder::new(),
        StringBuilder::new(),
        StringBuilder::new(),
        StringBuilder::new(),
    );
    let mut activity = Float64Builder::new();
    let mut flags = ListBuilder::new(StringBuilder::new()).with_field(item);
    let mut source = StringBuilder::new();
    for s in 0..SAMPLES {
        for g in GENES {
            sample.append_value(format!("S{s:07}"));
            gene.append_value(g);
            if rng.next().is_multiple_of(20) {
                diplotype.append_null();
                phenotype.append_null();
                activity.append_null();
                flags.values().append_value("no_call");
            } else {
                let (d, p, a) = calls[(rng.next() % 3) as usize];
                diplotype.append_value(d);
                phenotype.append_value(p);
                activity.append_option(a);
            }
            flags.append(true);
            source.append_value("vcf");
        }
    }
    let columns: Vec<ArrayRef> = vec![
        Arc::new(sample.finish()),
        Arc::new(gene.finish()),
        Arc::new(diplotype.finish()),
        Arc::new(phenotype.finish()),
        Arc::new(activity.finish()),
        Arc::new(flags.finish()),
        Arc::new(source.finish()),
    ];
    let path = dir.join("calls.parquet");
    let batch = RecordBatch::try_new(schema.clone(), columns).unwrap();
    let mut writer = TableWriter::create(&path, schema, &TableMetadata::new("calls", 1)).unwrap();
    writer.write(&batch).unwrap();
    writer.finish().unwrap();
    path
}

fn write_clinical(dir: &Path, rng: &mut Lcg) -> PathBuf {
    let drugs = ["clopidogrel", "prasugrel", "\"clopidogrel, 75 mg\"", "NA"];
    let bands = ["<50", "50 - 59", "60 - 69", "70 - 79", ">=80"];
    let mut text =
        String::from("patient_id,episode,drug,bleeding,followup_days,died,age_band,age\r\n");
    for p in 0..SAMPLES {
        for episode in 1..=2 {
            let _ = write!(
                text,
                "S{p:07},{episode},{},{},{},{},{},{}\r\n",
                drugs[(rng.next() % 4) as usize],
                rng.next() % 2,
                rng.next() % 1500,
                rng.next() % 2,
                bands[(rng.next() % 5) as usize],
                18 + rng.next() % 80,
            );
        }
    }
    let path = dir.join("clinical.csv");
    std::fs::write(&path, text).unwrap();
    path
}

fn config() -> JoinConfig {
    toml::from_str(
        r#"
        sample_id = "patient_id"
        episode_id = "episode"
        therapy = "drug"
        [[outcomes]]
        name = "bleeding"
        kind = "binary"
        [[outcomes]]
        name = "death"
        kind = "time_to_event"
        time_column = "followup_days"
        event_column = "died"
        [[covariates]]
        name = "age_band"
        [[covariates]]
        name = "age"
        kind = "numeric"
        "#,
    )
    .unwrap()
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Lcg(20261125);
    let inputs = Inputs {
        calls: write_calls(dir.path(), &mut rng),
        clinical: vec![write_clinical(dir.path(), &mut rng)],
    };
    let out = dir.path().join("out");
    let plain = Options::new(config());
    let key = PseudonymKey::new(b"0123456789abcdef0123456789abcdef".to_vec()).unwrap();
    let pseudonymised = Options::new(config()).pseudonymise(key);
    let mut group = c.benchmark_group("join_100k_rows_50k_samples_5_genes");
    group.sample_size(10);
    group.bench_function("plain", |b| b.iter(|| run(&plain, &inputs, &out).unwrap()));
    group.bench_function("pseudonymised", |b| {
        b.iter(|| run(&pseudonymised, &inputs, &out).unwrap())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
