//! Leftover temporary files (issue 10, item 9): a run killed mid-write
//! leaves `.<table>.tmp-<pid>`; the next run on the same output folder
//! removes it once that process is gone, and keeps other files.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn rerun_removes_a_killed_runs_temporary_file() {
    let dir = common::temp_dir();
    let killed = common::kill_ingest_mid_write(dir.path());
    let out = dir.path().join("out");
    let leftover = format!(".genotypes.parquet.tmp-{killed}");
    assert_eq!(names(&out), vec![leftover.clone()]);
    // A file that only looks similar, and one of a live process (this
    // test), are kept.
    let alive = format!(".calls.parquet.tmp-{}", std::process::id());
    std::fs::write(out.join(&alive), b"").unwrap();
    std::fs::write(out.join("notes.tmp-1"), b"kept").unwrap();

    let output = common::run_expect(
        common::tailor(dir.path()).args(["ingest", "-o", "out", "in.vcf"]),
        0,
    );
    let message = common::stderr(&output);
    assert!(
        message.contains(&format!(
            "removed 1 temporary file(s) a killed run left in out: {leftover}"
        )),
        "{message}"
    );
    assert_eq!(
        names(&out),
        vec![
            alive,
            "genotypes.parquet".to_owned(),
            "notes.tmp-1".to_owned()
        ]
    );
}
