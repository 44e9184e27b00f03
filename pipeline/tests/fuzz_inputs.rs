//! Fuzzing the VCF/BCF readers through the real binary (issue 10).
//!
//! A seeded generator mutates the hand-written inputs of `tests/data/ingest`,
//! real PharmCAT and 1000 Genomes files (when the shared data is present)
//! and a `tailor simulate` cohort (byte flips, truncation, BGZF and BCF
//! damage, bad GT strings, ploidy 3, undeclared FILTER/FORMAT/INFO ids,
//! non-UTF-8 bytes, empty and duplicate sample names, huge lines, ...),
//! runs `tailor call` (and `tailor ingest` for a quarter) on each, two at
//! a time, and asserts for every case: no panic, no signal, no hang, exit 0
//! or 3 (2 for usage), a message naming the input on exit 3, and nothing
//! left in the output folder after a failure. It prints the counts by
//! outcome and by mutation; failing inputs are kept under the target
//! folder for reproduction.
//!
//! `TAILOR_FUZZ_CASES` (default 3,000) and `TAILOR_FUZZ_SEED` change the
//! run (the same seed gives the same cases); `TAILOR_FUZZ_BIN` runs them
//! against another `tailor` binary.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod fuzz;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use fuzz::case::Case;
use fuzz::outcome::{self, Ending};

/// Cases run by default.
const CASES: u64 = 3_000;
/// The default seed.
const SEED: u64 = 0x7a11_0510;
/// Cases run at once.
const WORKERS: usize = 2;

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// What the workers gather.
#[derive(Default)]
struct Tally {
    endings: BTreeMap<Ending, u64>,
    kinds: BTreeMap<String, BTreeMap<Ending, u64>>,
    failures: Vec<String>,
}

#[test]
fn mutated_inputs_never_crash_the_readers() {
    let cases = env_number("TAILOR_FUZZ_CASES", CASES);
    let seed = env_number("TAILOR_FUZZ_SEED", SEED);
    // TAILOR_FUZZ_BIN runs the cases against another build (e.g. an old one).
    let tailor = std::env::var_os("TAILOR_FUZZ_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_tailor")));
    let work = common::temp_dir();
    // The shared data adds real seeds when present; the harness runs without.
    let shared = std::env::var_os("TAILOR_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| common::workspace().join("../shared/data"));
    let shared = shared.is_dir().then_some(shared);
    let seeds = fuzz::seeds::load(
        &common::workspace(),
        shared.as_deref(),
        work.path(),
        &tailor,
    );
    let tabix = fuzz::seeds::has_tool("tabix");
    let kept = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-failures");
    let _ = std::fs::remove_dir_all(&kept);
    let next = AtomicU64::new(0);
    let tally = Mutex::new(Tally::default());
    let started = std::time::Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..WORKERS {
            scope.spawn(|| loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                if index >= cases {
                    break;
                }
                let case = Case::generate(seed, index, &seeds, tabix);
                let dir = work.path().join(format!("case{index}"));
                std::fs::create_dir(&dir).unwrap();
                let input = case.write(&dir);
                let verdict = outcome::run(&tailor, &dir, &case.args, &input);
                if let Some(problem) = &verdict.problem {
                    let keep = kept.join(format!("case{index}"));
                    std::fs::create_dir_all(&keep).unwrap();
                    std::fs::write(keep.join(&case.file_name), &case.bytes).unwrap();
                    let mut tally = tally.lock().unwrap();
                    tally.failures.push(format!(
                        "{} (tailor {} {}): {problem}",
                        case.label,
                        case.args.join(" "),
                        keep.join(&case.file_name).display()
                    ));
                }
                let mut tally = tally.lock().unwrap();
                *tally.endings.entry(verdict.ending).or_default() += 1;
                *tally
                    .kinds
                    .entry(case.kind.clone())
                    .or_default()
                    .entry(verdict.ending)
                    .or_default() += 1;
                drop(tally);
                std::fs::remove_dir_all(&dir).unwrap();
            });
        }
    });
    let tally = tally.into_inner().unwrap();
    eprintln!(
        "fuzz: {cases} cases (seed {seed:#x}, {} seeds) in {:.1} s",
        seeds.len(),
        started.elapsed().as_secs_f64()
    );
    for seed in &seeds {
        eprintln!(
            "fuzz:   seed {} ({} bytes{})",
            seed.name,
            seed.text.len(),
            if seed.bcf.is_some() { ", BCF" } else { "" }
        );
    }
    eprintln!("fuzz: by outcome: {:?}", tally.endings);
    for (kind, endings) in &tally.kinds {
        eprintln!("fuzz:   {kind}: {endings:?}");
    }
    for failure in &tally.failures {
        eprintln!("fuzz: FAILED {failure}");
    }
    let total: u64 = tally.endings.values().sum();
    assert_eq!(total, cases);
    assert!(
        tally.failures.is_empty(),
        "{} of {cases} cases failed (listed above)",
        tally.failures.len()
    );
}
