//! Criterion bench: VCF -> genotypes over a seeded synthetic cohort.
//!
//! Writes a plain VCF with 2,000 samples at every CYP2C19 definition
//! position (seeded genotypes, phased, ~5% non-reference) and times
//! `tailor_ingest::run` over it, output to Parquet.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use tailor_definitions::Definitions;
use tailor_ingest::{run, Options};

const SAMPLES: usize = 2_000;

/// A tiny seeded generator (xorshift64*), so the bench needs no rand crate.
struct Seeded(u64);

impl Seeded {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

fn synthetic_vcf(dir: &std::path::Path, definitions: &Definitions) -> PathBuf {
    let gene = definitions.gene("CYP2C19").unwrap();
    let mut text = String::from("##fileformat=VCFv4.2\n##contig=<ID=chr10,length=133797422>\n");
    text.push_str("##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n");
    text.push_str("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT");
    for s in 0..SAMPLES {
        write!(text, "\tS{s}").unwrap();
    }
    text.push('\n');
    let mut rng = Seeded(0x007A_110B);
    for variant in &gene.variants {
        let Some(alt) = variant.alts.first() else {
            continue;
        };
        write!(
            text,
            "chr10\t{}\t.\t{}\t{alt}\t.\tPASS\t.\tGT",
            variant.position, variant.reference
        )
        .unwrap();
        for _ in 0..SAMPLES {
            let a = u8::from(rng.next().is_multiple_of(20));
            let b = u8::from(rng.next().is_multiple_of(20));
            write!(text, "\t{a}|{b}").unwrap();
        }
        text.push('\n');
    }
    let path = dir.join("cohort.vcf");
    std::fs::write(&path, text).unwrap();
    path
}

fn bench_ingest(c: &mut Criterion) {
    let definitions = Definitions::embedded().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let vcf = synthetic_vcf(dir.path(), &definitions);
    let options = Options {
        genes: vec!["CYP2C19".into()],
        ..Options::default()
    };
    let output = dir.path().join("genotypes.parquet");
    let rows = SAMPLES * definitions.gene("CYP2C19").unwrap().variants.len();
    let mut group = c.benchmark_group("ingest");
    group.throughput(Throughput::Elements(rows as u64));
    group.sample_size(10);
    group.bench_function("cyp2c19_2000_samples_streamed", |b| {
        b.iter(|| {
            run(
                &options,
                &definitions,
                std::slice::from_ref(&vcf),
                &output,
                None,
            )
            .unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, bench_ingest);
criterion_main!(benches);
