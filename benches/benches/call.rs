//! Criterion bench: diplotype matching and phenotypes over a simulated
//! cohort of 2,000 people and every simulated gene.
//!
//! The cohort comes from `tailor_simulate` (seeded, so every run benches the
//! same genotypes); it is ingested once. `2000_samples_all_genes` times
//! `tailor_star::run`: reading the genotypes table, matching every sample x
//! gene and writing the calls. `in_memory` times what `tailor call` does with
//! VCF inputs once ingest hands a gene's batches over: reading them into the
//! matcher's cells and matching each distinct genotype vector
//! (`Caller::call_gene`), without I/O.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use tailor_definitions::Definitions;

const SAMPLES: usize = 2_000;

fn bench_call(c: &mut Criterion) {
    let definitions = Definitions::embedded().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let simulated = dir.path().join("cohort");
    let options = tailor_simulate::Options::new().samples(SAMPLES);
    let summary = tailor_simulate::run(&options, &definitions, &simulated).unwrap();
    let genotypes = dir.path().join("genotypes.parquet");
    tailor_ingest::run(
        &tailor_ingest::Options::default(),
        &definitions,
        std::slice::from_ref(&summary.files.vcf),
        &genotypes,
        None,
    )
    .unwrap();
    let calls = dir.path().join("calls.parquet");
    let star = tailor_star::Options::default();
    let sample_genes = SAMPLES * definitions.genes().len();
    let mut group = c.benchmark_group("call");
    group.throughput(Throughput::Elements(sample_genes as u64));
    group.sample_size(10);
    group.bench_function("2000_samples_all_genes", |b| {
        b.iter(|| {
            tailor_star::run(
                &star,
                &definitions,
                std::slice::from_ref(&genotypes),
                &calls,
            )
            .unwrap()
        })
    });
    let ingest = tailor_ingest::Options::default();
    let reader =
        tailor_ingest::GenotypeReader::open(&ingest, &definitions, &[summary.files.vcf]).unwrap();
    let mut genes = Vec::new();
    reader
        .read(
            None,
            |batches| {
                let gene = batches.gene().to_owned();
                Ok::<_, tailor_ingest::Error>((gene, batches.collect::<Result<Vec<_>, _>>()?))
            },
            |gene| {
                genes.push(gene);
                Ok(())
            },
        )
        .unwrap();
    group.bench_function("in_memory", |b| {
        b.iter(|| {
            let caller = tailor_star::Caller::new(&star, &definitions, reader.samples().to_vec());
            genes
                .iter()
                .map(|(gene, batches)| caller.call_gene(gene, batches).unwrap())
                .collect::<Vec<_>>()
        })
    });
    group.finish();
}

criterion_group!(benches, bench_call);
criterion_main!(benches);
