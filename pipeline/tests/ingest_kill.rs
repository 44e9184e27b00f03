//! Killing `tailor ingest` mid-write leaves no `genotypes.parquet`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

#[test]
fn sigkill_before_rename_leaves_no_table() {
    let dir = common::temp_dir();
    let input = dir.path().join("in.vcf");
    std::fs::copy(common::test_data("ingest/phased_ps.vcf"), &input).unwrap();
    let marker = dir.path().join("paused");
    // The writer pauses after the table is complete on disk under its
    // temporary name, just before the rename: the kill lands mid-write.
    let mut child = common::tailor(dir.path())
        .args(["ingest", "-q", "-o", "out", "in.vcf"])
        .env("TAILOR_TEST_PAUSE_BEFORE_RENAME", &marker)
        .spawn()
        .unwrap();
    let started = Instant::now();
    while !marker.exists() {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "writer never paused"
        );
        if let Some(status) = child.try_wait().unwrap() {
            panic!("tailor exited before pausing: {status}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();
    let names: Vec<String> = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n == "genotypes.parquet"), "{names:?}");
    assert!(
        names
            .iter()
            .all(|n| n.starts_with(".genotypes.parquet.tmp-")),
        "{names:?}"
    );
    // The next run is not confused by the leftover temporary file.
    let mut rerun = common::tailor(dir.path());
    rerun.args(["ingest", "-q", "-o", "out", "in.vcf"]);
    common::run_expect(&mut rerun, 0);
    assert!(dir.path().join("out/genotypes.parquet").exists());
}
