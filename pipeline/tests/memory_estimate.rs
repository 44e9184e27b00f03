//! Flat memory in estimate (issue 10, item 10): `tailor estimate` holds the
//! cohort as a few small codes and numbers per patient and reads the table
//! a batch of rows at a time, one gene at a time. A counting allocator
//! measures the peak heap of `tailor_estimate::run` (in this process, on
//! one thread) on simulated cohorts of 1,000 and 4,000 people: the peak
//! may grow by at most 300 bytes per added patient (measured: 90, over a
//! fixed 2.4 MB of readers and tables). Before the compact reader it grew
//! by about 3 KB per patient (the whole table as Arrow batches, then each
//! gene's text columns as interned codes). Nothing here is timed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The system allocator, counting the bytes allocated now and at the peak.
struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn allocated(bytes: usize) {
    let now = CURRENT.fetch_add(bytes, Ordering::Relaxed) + bytes;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

// SAFETY: every call is passed on unchanged to the system allocator; only
// the counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            allocated(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
            allocated(new_size);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Simulates `samples` people into `dir/n<samples>`, calls and joins them;
/// returns the cohort table and the simulated tailor.toml.
fn simulated_cohort(dir: &Path, samples: usize) -> (PathBuf, PathBuf) {
    let sim = dir.join(format!("n{samples}"));
    let mut simulate = common::tailor(dir);
    simulate
        .args(["simulate", "-q", "--samples", &samples.to_string(), "-o"])
        .arg(&sim);
    common::run_expect(&mut simulate, 0);
    let out = sim.join("out");
    let mut call = common::tailor(dir);
    call.args(["call", "-q", "--sex"])
        .arg(sim.join("sex.tsv"))
        .arg("-o")
        .arg(&out)
        .arg(sim.join("cohort.vcf.gz"));
    common::run_expect(&mut call, 0);
    let config = sim.join("tailor.toml");
    let mut join = common::tailor(dir);
    join.args(["join", "-q", "--pseudonymise", "--config"])
        .arg(&config)
        .arg("-o")
        .arg(&out)
        .arg(out.join("calls.parquet"))
        .arg(sim.join("clinical.csv"));
    common::run_expect(&mut join, 0);
    (out.join("cohort.parquet"), config)
}

/// The simulated configuration's `[estimate]` options.
fn estimate_options(config: &Path) -> tailor_estimate::Options {
    let text = std::fs::read_to_string(config).unwrap();
    let table: toml::Table = toml::from_str(&text).unwrap();
    table["estimate"].clone().try_into().unwrap()
}

/// Rows of the cohort and the peak heap bytes `tailor estimate` allocated
/// on one thread beyond what was allocated before it started.
fn peak_heap(cohort: &Path, options: &tailor_estimate::Options, out: &Path) -> (usize, usize) {
    std::fs::create_dir_all(out).unwrap();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let before = CURRENT.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let summary = pool
        .install(|| tailor_estimate::run(options, cohort, out))
        .unwrap();
    (summary.rows, PEAK.load(Ordering::Relaxed) - before)
}

#[test]
fn estimate_peak_heap_grows_by_at_most_300_bytes_per_patient() {
    let dir = common::temp_dir();
    let dir = dir.path();
    let mut peaks = Vec::new();
    for samples in [1_000, 4_000] {
        let (cohort, config) = simulated_cohort(dir, samples);
        let options = estimate_options(&config);
        let (rows, peak) = peak_heap(&cohort, &options, &dir.join(format!("e{samples}")));
        eprintln!(
            "{rows} rows: peak heap {peak} bytes, {} per row",
            peak / rows
        );
        assert!(
            rows > samples / 2,
            "{rows} cohort rows from {samples} samples"
        );
        peaks.push((rows, peak));
    }
    let [(small_rows, small), (large_rows, large)] = peaks[..] else {
        unreachable!("two sizes")
    };
    let growth = large.saturating_sub(small) / (large_rows - small_rows);
    eprintln!("growth: {growth} bytes per added row");
    assert!(growth <= 300, "{growth} bytes per added row");
}
