//! Flat memory in ingest and call (issue 10, item 10): `tailor ingest`
//! parses each gene's records once into a temporary file and builds rows a
//! block of samples at a time; `tailor call` from a genotypes table reads
//! it batch by batch and keeps, per gene, a byte (rarely two) a sample and each
//! distinct genotype vector once. A counting allocator measures the peak
//! heap that Rust code allocates in `tailor_ingest::run` and in
//! `tailor_star::run` on that table (in this process, on one thread) on
//! simulated cohorts of two sizes (ingest: 1,000 and 4,000 people, read in
//! blocks of 2^16 calls so that the blocks are full at both sizes): the
//! peak may grow by at most the bounds below per added sample. htslib allocates with
//! `malloc` directly, so its header (each open reader parses the sample
//! names into its own dictionary) is outside this count; the load bench
//! (`benches/compare/load.sh`) measures it with the process's peak RSS.
//! Nothing here is timed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod memory;

use std::path::Path;

/// Ingests `sim/cohort.vcf.gz` into `out` in blocks of 2^16 calls.
fn ingest(sim: &Path, out: &Path) -> tailor_ingest::Summary {
    let options = tailor_ingest::Options {
        block_calls: Some(1 << 16),
        ..tailor_ingest::Options::default()
    };
    let definitions = tailor_definitions::Definitions::embedded().unwrap();
    tailor_ingest::run(
        &options,
        &definitions,
        &[sim.join("cohort.vcf.gz")],
        out,
        None,
    )
    .unwrap()
}

/// Measured: 91 bytes per added sample (the cohort's sample names and
/// indexes, and the calls of the two sites a record can still change).
#[test]
fn ingest_peak_heap_grows_by_at_most_150_bytes_per_sample() {
    let dir = common::temp_dir();
    let dir = dir.path();
    memory::assert_peak_growth(150, |samples| {
        let sim = memory::simulated_calls(dir, samples);
        let out = sim.join("genotypes.parquet");
        let (summary, peak) = memory::peak_heap(|| ingest(&sim, &out));
        (summary.samples, peak)
    });
}

/// Measured: 703 bytes per added sample, most of it the Parquet writer's
/// encoded pages of the calls row group in progress. On 4,000 and 8,000
/// people, so that the calls handed to the writer in
/// blocks of 65,536 rows (3,277 people x 20 genes) fill a block at both
/// sizes; the calls table's row group in progress (up to 2^20 rows, about
/// 52,000 people) is still growing and counts here.
#[test]
fn call_from_a_genotypes_table_peak_heap_grows_by_at_most_1500_bytes_per_sample() {
    let dir = common::temp_dir();
    let dir = dir.path();
    memory::assert_peak_growth_between([4_000, 8_000], 1_500, |samples| {
        let sim = memory::simulated_calls(dir, samples);
        let table = sim.join("genotypes.parquet");
        ingest(&sim, &table);
        let definitions = tailor_definitions::Definitions::embedded().unwrap();
        let options = tailor_star::Options::new();
        let out = sim.join("calls_from_table.parquet");
        let (summary, peak) = memory::peak_heap(|| {
            tailor_star::run(&options, &definitions, std::slice::from_ref(&table), &out)
        });
        (summary.unwrap().samples, peak)
    });
}
