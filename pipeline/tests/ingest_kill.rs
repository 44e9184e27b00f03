//! Killing `tailor ingest` mid-write leaves no `genotypes.parquet`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

#[test]
fn sigkill_before_rename_leaves_no_table() {
    let dir = common::temp_dir();
    // The writer pauses after the table is complete on disk under its
    // temporary name, just before the rename: the kill lands mid-write.
    common::kill_ingest_mid_write(dir.path());
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
