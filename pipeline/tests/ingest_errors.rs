//! Bad input: exit code 3 (2 for usage), a message naming the file and the
//! fix, no panic, and no output file.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

/// Runs ingest on `inputs` expecting `code`; checks no table was written
/// and nothing panicked; returns stderr.
fn fails(dir: &Path, inputs: &[PathBuf], extra: &[&str], code: i32) -> String {
    let mut command = common::tailor(dir);
    command
        .args(["ingest", "-o", "out"])
        .args(extra)
        .args(inputs);
    let output = common::run_expect(&mut command, code);
    let stderr = common::stderr(&output);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        !dir.join("out/genotypes.parquet").exists(),
        "a table was written despite the error"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.join("out"))
        .map(|d| d.map(|e| e.unwrap().file_name()).collect())
        .unwrap_or_default();
    assert!(leftovers.is_empty(), "left behind: {leftovers:?}");
    stderr
}

fn copy(dir: &Path, name: &str) -> PathBuf {
    let to = dir.join(name);
    std::fs::copy(common::test_data(&format!("ingest/{name}")), &to).unwrap();
    to
}

fn bgzipped(dir: &Path, name: &str) -> Option<PathBuf> {
    let text = std::fs::read_to_string(common::test_data(&format!("ingest/{name}"))).unwrap();
    common::write_vcf(dir, &format!("{name}.gz"), &text)
}

#[test]
fn not_a_vcf() {
    let dir = common::temp_dir();
    let input = copy(dir.path(), "not_a_vcf.vcf");
    let stderr = fails(dir.path(), &[input], &[], 3);
    assert!(
        stderr.contains("not_a_vcf.vcf") && stderr.contains("not a readable VCF/BCF"),
        "{stderr}"
    );
}

#[test]
fn missing_file() {
    let dir = common::temp_dir();
    let stderr = fails(dir.path(), &[dir.path().join("nope.vcf.gz")], &[], 1);
    assert!(stderr.contains("nope.vcf.gz"), "{stderr}");
}

#[test]
fn no_samples() {
    let dir = common::temp_dir();
    let input = copy(dir.path(), "no_samples.vcf");
    let stderr = fails(dir.path(), &[input], &[], 3);
    assert!(
        stderr.contains("no_samples.vcf") && stderr.contains("no samples"),
        "{stderr}"
    );
}

#[test]
fn duplicate_sample_names() {
    let dir = common::temp_dir();
    let input = copy(dir.path(), "duplicate_samples.vcf");
    let stderr = fails(dir.path(), &[input], &[], 3);
    assert!(
        stderr.contains("duplicate_samples.vcf") && stderr.contains("\"S1\" occurs twice"),
        "{stderr}"
    );
}

#[test]
fn grch37_input_names_the_build() {
    let dir = common::temp_dir();
    let input = copy(dir.path(), "grch37.vcf");
    let stderr = fails(dir.path(), &[input], &[], 3);
    assert!(
        stderr.contains("grch37.vcf") && stderr.contains("GRCh37"),
        "{stderr}"
    );
}

#[test]
fn same_sample_and_position_in_two_files() {
    let dir = common::temp_dir();
    let a = copy(dir.path(), "no_chr_prefix.vcf");
    let b = copy(dir.path(), "missing.vcf");
    std::fs::write(
        dir.path().join("b.vcf"),
        std::fs::read_to_string(&b)
            .unwrap()
            .replace("\tS1\tS2", "\tS1\tS2x"),
    )
    .unwrap();
    let stderr = fails(
        dir.path(),
        &[a, dir.path().join("b.vcf")],
        &["--genes", "CYP2C19"],
        3,
    );
    assert!(
        stderr.contains("no_chr_prefix.vcf")
            && stderr.contains("b.vcf")
            && stderr.contains("\"S1\""),
        "{stderr}"
    );
}

#[test]
fn truncated_bgzip() {
    let dir = common::temp_dir();
    let Some(shared) = common::shared_data() else {
        return;
    };
    let source = shared.join("1kgp-grch38/CYP2C19.vcf.gz");
    let bytes = std::fs::read(&source).unwrap();
    let input = dir.path().join("CYP2C19.vcf.gz");
    std::fs::write(&input, &bytes[..bytes.len() / 2]).unwrap();
    std::fs::copy(
        shared.join("1kgp-grch38/CYP2C19.vcf.gz.tbi"),
        dir.path().join("CYP2C19.vcf.gz.tbi"),
    )
    .unwrap();
    let stderr = fails(dir.path(), &[input], &["--genes", "CYP2C19"], 3);
    assert!(stderr.contains("CYP2C19.vcf.gz"), "{stderr}");
}

#[test]
fn corrupt_index() {
    let dir = common::temp_dir();
    let Some(input) = bgzipped(dir.path(), "phased_ps.vcf") else {
        return;
    };
    std::fs::write(
        dir.path().join("phased_ps.vcf.gz.tbi"),
        b"not an index at all",
    )
    .unwrap();
    let stderr = fails(dir.path(), &[input], &["--genes", "CYP2C19"], 3);
    assert!(
        stderr.contains("phased_ps.vcf.gz") && stderr.contains("index"),
        "{stderr}"
    );
}

#[test]
fn stale_index() {
    let dir = common::temp_dir();
    let Some(input) = bgzipped(dir.path(), "phased_ps.vcf") else {
        return;
    };
    // The data file was rewritten a day after its index was made.
    let index = dir.path().join("phased_ps.vcf.gz.tbi");
    let day_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(86_400);
    std::fs::File::options()
        .write(true)
        .open(&index)
        .unwrap()
        .set_modified(day_ago)
        .unwrap();
    let stderr = fails(dir.path(), &[input], &["--genes", "CYP2C19"], 3);
    assert!(
        stderr.contains("phased_ps.vcf.gz") && stderr.contains("stale"),
        "{stderr}"
    );
}

#[test]
fn unknown_definitions_directory_is_a_usage_error() {
    let dir = common::temp_dir();
    let input = copy(dir.path(), "missing.vcf");
    let stderr = fails(dir.path(), &[input], &["--definitions", "no/such/dir"], 2);
    assert!(stderr.contains("no/such/dir"), "{stderr}");
}

#[test]
fn malformed_sex_file_names_the_line() {
    let dir = common::temp_dir();
    let input = copy(dir.path(), "haploid.vcf");
    std::fs::write(dir.path().join("sex.tsv"), "S1\tmale\nS2\tmaybe\n").unwrap();
    let stderr = fails(dir.path(), &[input], &["--sex", "sex.tsv"], 3);
    assert!(stderr.contains("sex.tsv: line 2"), "{stderr}");
}
