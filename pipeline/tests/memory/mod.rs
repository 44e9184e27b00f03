//! Shared by the flat-memory tests: a counting global allocator (the peak
//! heap a stage allocates, in this process) and a simulated, called cohort.
//! Included with `mod memory;` only by the tests that measure memory, so
//! other test binaries keep the plain system allocator.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

/// The system allocator, counting the bytes allocated now and at the peak.
struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

/// Held while a test measures: the counters are global, so two tests of
/// one binary measuring at once (cargo runs them on parallel threads)
/// would count each other's allocations.
static MEASURING: Mutex<()> = Mutex::new(());

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

/// Runs `f` on a one-thread rayon pool; returns its result and the peak
/// heap bytes allocated while it ran beyond what was allocated before.
pub fn peak_heap<T: Send>(f: impl FnOnce() -> T + Send) -> (T, usize) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let before = CURRENT.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let result = pool.install(f);
    (result, PEAK.load(Ordering::Relaxed) - before)
}

/// Simulates `samples` people into `dir/n<samples>` and calls them into
/// its `out` folder; returns the simulation folder.
pub fn simulated_calls(dir: &Path, samples: usize) -> PathBuf {
    let sim = dir.join(format!("n{samples}"));
    let mut simulate = crate::common::tailor(dir);
    simulate
        .args(["simulate", "-q", "--samples", &samples.to_string(), "-o"])
        .arg(&sim);
    crate::common::run_expect(&mut simulate, 0);
    let mut call = crate::common::tailor(dir);
    call.args(["call", "-q", "--sex"])
        .arg(sim.join("sex.tsv"))
        .arg("-o")
        .arg(sim.join("out"))
        .arg(sim.join("cohort.vcf.gz"));
    crate::common::run_expect(&mut call, 0);
    sim
}

/// Measures `(cohort rows, peak heap bytes)` with `measure(samples)` on
/// cohorts of 1,000 and 4,000 people, and checks that the peak grows by at
/// most `bound` bytes per added cohort row.
pub fn assert_peak_growth(bound: usize, measure: impl FnMut(usize) -> (usize, usize)) {
    assert_peak_growth_between([1_000, 4_000], bound, measure);
}

/// [`assert_peak_growth`] on cohorts of `sizes` people: for a stage whose
/// fixed-size blocks fill only beyond 1,000 people.
pub fn assert_peak_growth_between(
    sizes: [usize; 2],
    bound: usize,
    mut measure: impl FnMut(usize) -> (usize, usize),
) {
    let _measuring = MEASURING.lock().unwrap_or_else(PoisonError::into_inner);
    let mut peaks = Vec::new();
    for samples in sizes {
        let (rows, peak) = measure(samples);
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
    assert!(growth <= bound, "{growth} bytes per added row");
}
