//! Resumable `tailor run` (issue 12, item 2): each stage is recorded in
//! `manifest.json`; a rerun skips what is up to date and restarts from the
//! first stale stage; a run killed with SIGKILL anywhere and started again
//! ends with every file byte-identical to an uninterrupted run.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Output;
use std::time::Duration;

use common::{run_expect, stderr, tailor, temp_dir};

/// The stages of `tailor run`, in order.
const STAGES: [&str; 5] = ["ingest", "call", "join", "estimate", "report"];

/// The log of a rerun with nothing to do.
const ALL_SKIPPED: [&str; 5] = [
    "skipped ingest: up to date",
    "skipped call: up to date",
    "skipped join: up to date",
    "skipped estimate: up to date",
    "skipped report: up to date",
];

/// Simulates the same 200-person cohort (seed 12) into `dir/cohort`.
fn simulate(dir: &Path) {
    run_expect(
        tailor(dir).args([
            "simulate",
            "-q",
            "-o",
            "cohort",
            "--samples",
            "200",
            "--seed",
            "12",
        ]),
        0,
    );
}

/// `tailor run cohort/tailor.toml` with `extra` flags, from `dir`.
fn run(dir: &Path, extra: &[&str], code: i32) -> Output {
    run_expect(
        tailor(dir).arg("run").args(extra).arg("cohort/tailor.toml"),
        code,
    )
}

/// Every file under the two output folders (name relative to
/// `dir/cohort`) with its bytes.
fn outputs(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for folder in ["out", "out.identified"] {
        let Ok(entries) = std::fs::read_dir(dir.join("cohort").join(folder)) else {
            continue;
        };
        for entry in entries {
            let entry = entry.unwrap();
            let name = format!("{folder}/{}", entry.file_name().to_string_lossy());
            files.insert(name, std::fs::read(entry.path()).unwrap());
        }
    }
    files
}

/// Asserts `got` has exactly the files of `want`, byte for byte.
fn assert_same(want: &BTreeMap<String, Vec<u8>>, got: &BTreeMap<String, Vec<u8>>) {
    assert_eq!(
        want.keys().collect::<Vec<_>>(),
        got.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in want {
        assert!(
            &got[name] == bytes,
            "{name} differs from the uninterrupted run"
        );
    }
}

/// Modification times of the output files, to show a skipped stage
/// rewrote nothing.
fn mtimes(dir: &Path) -> BTreeMap<String, std::time::SystemTime> {
    outputs(dir)
        .keys()
        .map(|name| {
            let meta = std::fs::metadata(dir.join("cohort").join(name)).unwrap();
            (name.clone(), meta.modified().unwrap())
        })
        .collect()
}

/// The stage lines (`skipped ...`, `running ...`) of a run's stderr.
fn stage_lines(output: &Output) -> Vec<String> {
    stderr(output)
        .lines()
        .filter_map(|l| l.strip_prefix("tailor: "))
        .filter(|l| l.starts_with("skipped ") || l.starts_with("running "))
        .map(str::to_owned)
        .collect()
}

/// A cohort in a fresh folder, run once uninterrupted; its outputs.
fn reference() -> (tempfile::TempDir, BTreeMap<String, Vec<u8>>) {
    let dir = temp_dir();
    simulate(dir.path());
    run(dir.path(), &["-q"], 0);
    let files = outputs(dir.path());
    (dir, files)
}

/// Starts `tailor run` in `dir`, waits until it pauses before renaming
/// `table` into place, and kills it with SIGKILL.
fn kill_while_writing(dir: &Path, table: &str) {
    common::kill_when_paused(
        tailor(dir)
            .args(["run", "-q", "cohort/tailor.toml"])
            .env("TAILOR_TEST_PAUSE_ONLY_TABLE", table),
        &dir.join("paused"),
    );
}

/// Killed while writing each stage's table (ingest's genotypes; call's
/// calls, once ingest is recorded, which is the state of a kill between
/// the two stages; join's cohort; estimate's rates, its first write, so
/// join is recorded and nothing of estimate is in place: a kill between
/// join and estimate; estimate's effects, after its rates table is already
/// in place), the rerun redoes exactly the stages from
/// the killed one on, and every file, manifests included, is
/// byte-identical to the uninterrupted run's.
#[test]
fn killed_anywhere_then_rerun_gives_the_uninterrupted_runs_bytes() {
    let (_reference, want) = reference();
    let cases = [
        ("genotypes.parquet", "ingest", 0),
        ("calls.parquet", "call", 1),
        ("cohort.parquet", "join", 2),
        ("subgroup_rates.parquet", "estimate", 3),
        ("subgroup_effects.parquet", "estimate", 3),
    ];
    for (table, stage, skipped) in cases {
        let dir = temp_dir();
        simulate(dir.path());
        kill_while_writing(dir.path(), table);
        let killed = outputs(dir.path());
        let folder = if skipped < 2 { "out.identified" } else { "out" };
        assert!(!killed.contains_key(&format!("{folder}/{table}")));
        let manifest = killed
            .get(&format!("{folder}/manifest.json"))
            .map(|m| String::from_utf8_lossy(m).into_owned())
            .unwrap_or_default();
        assert!(!manifest.contains(&format!("\"{stage}\"")), "{manifest}");

        let output = run(dir.path(), &[], 0);
        let lines = stage_lines(&output);
        let expected: Vec<String> = STAGES
            .iter()
            .enumerate()
            .map(|(i, s)| match i {
                i if i < skipped => format!("skipped {s}: up to date"),
                i if i == skipped => format!("running {s}: no record in manifest.json"),
                _ => format!("running {s}: {} runs before it", STAGES[i - 1]),
            })
            .collect();
        assert_eq!(lines, expected, "killed in {stage}");
        assert_same(&want, &outputs(dir.path()));
    }
}

/// Nothing changed: every stage is skipped and no file is rewritten;
/// `--force` reruns all five and writes the same bytes.
#[test]
fn rerun_with_nothing_changed_does_no_work_and_force_redoes_it() {
    let (dir, want) = reference();
    let before = mtimes(dir.path());
    std::thread::sleep(Duration::from_millis(20));
    let output = run(dir.path(), &[], 0);
    assert_eq!(stage_lines(&output), ALL_SKIPPED);
    assert!(stderr(&output).contains("run: nothing to run (every stage up to date)"));
    assert_eq!(mtimes(dir.path()), before);
    assert_same(&want, &outputs(dir.path()));

    let output = run(dir.path(), &["--force"], 0);
    assert_eq!(
        stage_lines(&output),
        [
            "running ingest: --force",
            "running call: --force",
            "running join: --force",
            "running estimate: --force",
            "running report: --force",
        ]
    );
    assert_ne!(mtimes(dir.path()), before);
    assert_same(&want, &outputs(dir.path()));
}

/// A changed clinical table reruns join and estimate, not ingest or call;
/// `--dry-run` says so first and writes nothing.
#[test]
fn a_changed_clinical_table_reruns_join_and_estimate_only() {
    let (dir, want) = reference();
    let clinical = dir.path().join("cohort/clinical.csv");
    let text = std::fs::read_to_string(&clinical).unwrap();
    let (header, rows) = text.split_once('\n').unwrap();
    // The first patient's age (third column) one year higher.
    let first = rows.lines().next().unwrap();
    let mut cells: Vec<String> = first.split(',').map(str::to_owned).collect();
    assert_eq!(header.split(',').nth(2), Some("age"));
    cells[2] = (cells[2].parse::<u32>().unwrap() + 1).to_string();
    let changed_row = cells.join(",");
    std::fs::write(
        &clinical,
        format!("{header}\n{}", rows.replacen(first, &changed_row, 1)),
    )
    .unwrap();
    let before = mtimes(dir.path());

    let output = run(dir.path(), &["--dry-run"], 0);
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "would run join: input clinical: clinical.csv changed\n\
         would run estimate: join runs before it\n\
         would run report: estimate runs before it\n"
    );
    assert_eq!(mtimes(dir.path()), before);
    assert_same(&want, &outputs(dir.path()));

    let output = run(dir.path(), &[], 0);
    assert_eq!(
        stage_lines(&output),
        [
            "skipped ingest: up to date",
            "skipped call: up to date",
            "running join: input clinical: clinical.csv changed",
            "running estimate: join runs before it",
            "running report: estimate runs before it",
        ]
    );
    let after = mtimes(dir.path());
    for table in [
        "out.identified/genotypes.parquet",
        "out.identified/calls.parquet",
    ] {
        assert_eq!(after[table], before[table], "{table} was rewritten");
    }
    let got = outputs(dir.path());
    assert_eq!(
        got["out.identified/calls.parquet"],
        want["out.identified/calls.parquet"]
    );
    assert_ne!(got["out/cohort.parquet"], want["out/cohort.parquet"]);
    let output = run(dir.path(), &["--dry-run"], 0);
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "nothing to run: every stage is up to date\n"
    );
}

/// `--dry-run` before any run lists every stage and creates no folder.
#[test]
fn dry_run_on_a_fresh_cohort_writes_nothing() {
    let dir = temp_dir();
    simulate(dir.path());
    let output = run(dir.path(), &["--dry-run"], 0);
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "would run ingest: no record in manifest.json\n\
         would run call: ingest runs before it\n\
         would run join: call runs before it\n\
         would run estimate: join runs before it\n\
         would run report: estimate runs before it\n"
    );
    assert!(!dir.path().join("cohort/out").exists());
    assert!(!dir.path().join("cohort/out.identified").exists());
}

/// Relative paths resolve against the configuration's folder: run from
/// another working directory, the same configuration finds its inputs,
/// writes into its own folder, and sees the first run's outputs as up to
/// date (the manifest records paths as written, not as resolved).
#[test]
fn relative_paths_resolve_against_the_config_folder() {
    let (dir, want) = reference();
    let elsewhere = dir.path().join("elsewhere/deeper");
    std::fs::create_dir_all(&elsewhere).unwrap();
    let output = run_expect(
        tailor(&elsewhere).args(["run", "../../cohort/tailor.toml"]),
        0,
    );
    assert_eq!(stage_lines(&output), ALL_SKIPPED);
    assert!(!elsewhere.join("out").exists());
    assert_same(&want, &outputs(dir.path()));
}
