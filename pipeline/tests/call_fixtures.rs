//! `tailor call` on PharmCAT's own matcher tests
//! (../shared/data/pharmcat/fixtures/manifest.tsv): for every row, the
//! candidates column must equal PharmCAT's diplotype list, order included.
//! Runs the real binary: VCF -> ingest (in-process) -> call.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

/// A definitions directory for one manifest row.
fn definitions_dir(fixtures: &Path, definitions: &str, exemptions: bool, work: &Path) -> PathBuf {
    let name = format!("{}-{exemptions}", definitions.replace('/', "_"));
    let out = work.join(name);
    if out.is_dir() {
        return out;
    }
    std::fs::create_dir_all(&out).unwrap();
    let data = common::workspace().join("definitions/data");
    if definitions == "pharmcat" {
        for entry in std::fs::read_dir(&data).unwrap() {
            let path = entry.unwrap().path();
            let is_exemptions = path.file_name().is_some_and(|n| n == "exemptions.tsv");
            if !is_exemptions || exemptions {
                std::fs::copy(&path, out.join(path.file_name().unwrap())).unwrap();
            }
        }
    } else {
        let src = work.join(format!("{}-src", definitions.replace('/', "_")));
        std::fs::create_dir_all(&src).unwrap();
        std::fs::copy(fixtures.join(definitions), src.join("X_translation.json")).unwrap();
        let status = Command::new("python3")
            .arg(common::workspace().join("definitions/tools/convert_pharmcat.py"))
            .arg(&src)
            .arg(&out)
            .arg("test")
            .output()
            .unwrap();
        assert!(status.status.success());
        if !exemptions {
            std::fs::remove_file(out.join("exemptions.tsv")).ok();
        } else {
            std::fs::copy(data.join("exemptions.tsv"), out.join("exemptions.tsv")).unwrap();
        }
    }
    out
}

#[test]
fn call_matches_every_pharmcat_fixture() {
    let Some(shared) = common::shared_data() else {
        return;
    };
    let fixtures = shared.join("pharmcat/fixtures");
    let manifest = std::fs::read_to_string(fixtures.join("manifest.tsv")).unwrap();
    let work = common::temp_dir();
    let (mut passed, mut total) = (0, 0);
    let mut failures = Vec::new();
    for (n, line) in manifest.lines().enumerate().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        let (vcf, gene, defs, top, combos, other, expected) =
            (f[0], f[2], f[3], f[5], f[6], f[7], f[8]);
        total += 1;
        let exemptions = other.contains("exemptions=pharmcat");
        let dir = definitions_dir(&fixtures, defs, exemptions, work.path());
        let out = work.path().join(format!("row{n}"));
        let mut command = common::tailor(work.path());
        command
            .arg("call")
            .arg("-q")
            .arg("-o")
            .arg(&out)
            .arg("--definitions")
            .arg(&dir)
            .arg("--genes")
            .arg(gene)
            .arg(fixtures.join(vcf));
        if top == "false" {
            command.arg("--all-matches");
        }
        if combos == "true" {
            command.arg("--combinations");
        }
        let output = command.output().unwrap();
        if !output.status.success() {
            failures.push(format!(
                "row {n} {vcf} {gene}: exit {:?}: {}",
                output.status.code(),
                String::from_utf8_lossy(&output.stderr)
            ));
            continue;
        }
        let calls = common::read_calls(&out.join("calls.parquet"));
        let got = calls
            .iter()
            .find(|c| c.gene == gene)
            .map(|c| c.candidates.join(" | "))
            .unwrap_or_default();
        if got == expected {
            passed += 1;
        } else {
            failures.push(format!(
                "row {n} {vcf} {gene} top={top} combinations={combos} {other}\n  expected: {expected}\n  got:      {got}"
            ));
        }
    }
    for failure in &failures {
        eprintln!("{failure}");
    }
    eprintln!("pharmcat fixtures through tailor call: {passed}/{total} passed");
    assert_eq!(
        passed,
        total,
        "{} fixture rows differ from PharmCAT",
        failures.len()
    );
}
