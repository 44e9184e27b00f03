//! Issue 10, items 1-6: inputs that crashed the VCF/BCF readers (SIGSEGV,
//! a panic, htslib's `exit(1)`) or were accepted silently. Each has a
//! minimal hand-written input under `tests/data/ingest/defects/`, run
//! through the real binary with `tailor call` and `tailor ingest`: exit 3
//! with a message naming the file, the record and the fix, and nothing in
//! the output folder; or exit 0 with one warning and a flag.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

/// Copies a defect input into `dir`.
fn copy(dir: &Path, name: &str) -> PathBuf {
    let to = dir.join(name);
    std::fs::copy(common::test_data(&format!("ingest/defects/{name}")), &to).unwrap();
    to
}

/// `bgzip`s a defect input into `dir` (as is: `bcftools view` would
/// repair its header) and indexes it with `tabix`; `None` (a skip) when
/// the tools are missing.
fn bgzip(dir: &Path, name: &str, source: &str) -> Option<PathBuf> {
    bgzip_with(dir, name, source, true)
}

/// [`bgzip`], indexing only when `index` is set.
fn bgzip_with(dir: &Path, name: &str, source: &str, index: bool) -> Option<PathBuf> {
    let tools = ["bgzip", "tabix"]
        .iter()
        .all(|tool| Command::new(tool).arg("--version").output().is_ok());
    if !tools {
        return common::skip("bgzip/tabix are not installed (apt-get install tabix)");
    }
    let to = dir.join(name);
    let text = std::fs::read(common::test_data(&format!("ingest/defects/{source}"))).unwrap();
    let mut child = Command::new("bgzip")
        .arg("-c")
        .stdin(std::process::Stdio::piped())
        .stdout(std::fs::File::create(&to).unwrap())
        .spawn()
        .unwrap();
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), &text).unwrap();
    drop(child.stdin.take());
    assert!(child.wait().unwrap().success());
    if !index {
        return Some(to);
    }
    let status = Command::new("tabix")
        .args(["-f", "-p", "vcf"])
        .arg(&to)
        .status()
        .unwrap();
    assert!(status.success());
    Some(to)
}

/// Runs `tailor <command> -o out input` in `dir`, expecting `code`; checks
/// that stderr has no panic and, on failure, that `out` is empty. Returns
/// stderr.
fn run(dir: &Path, command: &str, input: &Path, code: i32) -> String {
    let out = dir.join(format!("out-{command}"));
    let mut tailor = common::tailor(dir);
    tailor.arg(command).arg("-o").arg(&out).arg(input);
    let output = common::run_expect(&mut tailor, code);
    let stderr = common::stderr(&output);
    assert!(!stderr.contains("panicked"), "{stderr}");
    if code != 0 {
        let left: Vec<_> = std::fs::read_dir(&out)
            .map(|d| d.map(|e| e.unwrap().file_name()).collect())
            .unwrap_or_default();
        assert!(left.is_empty(), "left behind: {left:?}");
    }
    stderr
}

/// Both `call` and `ingest` reject `input` with exit 3 and a message
/// containing its file name and every one of `expected`.
fn rejected(dir: &Path, input: &Path, expected: &[&str]) {
    let name = input.file_name().unwrap().to_string_lossy().into_owned();
    for command in ["call", "ingest"] {
        let stderr = run(dir, command, input, 3);
        assert!(stderr.contains(&name), "{command}: {stderr}");
        for text in expected {
            assert!(
                stderr.contains(text),
                "{command}: expected {text:?} in {stderr}"
            );
        }
    }
}

/// The CYP2C19 call of `sample` in a calls table.
fn cyp2c19(calls: &Path, sample: &str) -> common::Call {
    common::read_calls(calls)
        .into_iter()
        .find(|c| c.gene == "CYP2C19" && c.sample_id == sample)
        .expect("a CYP2C19 row")
}

#[test]
fn issue_10_1_undeclared_filter_is_not_pass_and_warned_once() {
    let dir = common::temp_dir();
    let plain = copy(dir.path(), "undeclared_filter.vcf");
    let Some(indexed) = bgzip(
        dir.path(),
        "undeclared_filter.vcf.gz",
        "undeclared_filter.vcf",
    ) else {
        return;
    };
    let clean = copy(dir.path(), "clean.vcf");
    run(dir.path(), "call", &clean, 0);
    let clean_diplotype = cyp2c19(&dir.path().join("out-call/calls.parquet"), "S1").diplotype;
    assert!(!clean_diplotype.is_empty());
    std::fs::remove_dir_all(dir.path().join("out-call")).unwrap();
    // Indexed or plain, the value is named (the indexed reader parses
    // records with the header it reads them by).
    for input in [&indexed, &plain] {
        let written = "LowQual";
        let stderr = run(dir.path(), "ingest", input, 0);
        assert_eq!(
            stderr
                .matches("FILTER values the header does not declare")
                .count(),
            1,
            "{stderr}"
        );
        assert!(stderr.contains(&format!("({written})")), "{stderr}");
        let rows = common::read_genotypes(&dir.path().join("out-ingest/genotypes.parquet"));
        let row = &rows[&("S1".to_owned(), 94_781_859)];
        assert_eq!(row.filter.as_deref(), Some(written));
        assert!(row.has("non_pass"), "{row:?}");
        assert_eq!(row.alleles, ["G", "A"]);
        let pass = &rows[&("S1".to_owned(), 94_761_900)];
        assert!(!pass.has("non_pass"), "{pass:?}");
        std::fs::remove_dir_all(dir.path().join("out-ingest")).unwrap();
        let stderr = run(dir.path(), "call", input, 0);
        assert_eq!(stderr.matches("does not declare").count(), 1, "{stderr}");
        // The non-PASS genotype is still used, as any non-PASS one is.
        let call = cyp2c19(&dir.path().join("out-call/calls.parquet"), "S1");
        assert_eq!(call.diplotype, clean_diplotype, "{call:?}");
        std::fs::remove_dir_all(dir.path().join("out-call")).unwrap();
    }
    // --pass-only drops the value instead.
    let mut tailor = common::tailor(dir.path());
    tailor
        .args(["ingest", "--pass-only", "-o", "pass"])
        .arg(&indexed);
    common::run_expect(&mut tailor, 0);
    let rows = common::read_genotypes(&dir.path().join("pass/genotypes.parquet"));
    assert!(rows[&("S1".to_owned(), 94_781_859)].alleles.is_empty());
}

#[test]
fn issue_10_2_header_htslib_cannot_parse() {
    let dir = common::temp_dir();
    let no_format = copy(dir.path(), "chrom_without_format.vcf");
    rejected(
        dir.path(),
        &no_format,
        &["where FORMAT belongs", "add the FORMAT column"],
    );
    let empty = copy(dir.path(), "empty_sample_name.vcf");
    rejected(dir.path(), &empty, &["sample column 2", "empty name"]);
}

#[test]
fn issue_10_3_non_utf8_header_is_read() {
    let dir = common::temp_dir();
    let input = copy(dir.path(), "non_utf8_header.vcf");
    run(dir.path(), "call", &input, 0);
    let call = cyp2c19(&dir.path().join("out-call/calls.parquet"), "S1");
    assert_eq!(call.diplotype, "*1/*2", "{call:?}");
    run(dir.path(), "ingest", &input, 0);
}

#[test]
fn issue_10_4_undeclared_format_is_ignored_with_a_warning_never_exit_1() {
    // PharmCAT's own fixtures use an undeclared PS, so this is accepted:
    // htslib reads the field as text, tailor ignores its values, and the
    // FORMAT types are checked before any is decoded (htslib's `exit(1)`).
    let dir = common::temp_dir();
    let plain = copy(dir.path(), "undeclared_format.vcf");
    let Some(indexed) = bgzip(
        dir.path(),
        "undeclared_format.vcf.gz",
        "undeclared_format.vcf",
    ) else {
        return;
    };
    // Through an index too, the field is named.
    for input in [&plain, &indexed] {
        let named = "(DP)";
        for command in ["call", "ingest"] {
            let stderr = run(dir.path(), command, input, 0);
            assert_eq!(
                stderr
                    .matches("FORMAT fields the header does not declare")
                    .count(),
                1,
                "{stderr}"
            );
            assert!(stderr.contains(named), "{stderr}");
        }
        let rows = common::read_genotypes(&dir.path().join("out-ingest/genotypes.parquet"));
        assert_eq!(rows[&("S1".to_owned(), 94_781_859)].alleles, ["G", "A"]);
        assert_eq!(rows[&("S2".to_owned(), 94_781_859)].alleles, ["G", "G"]);
        for out in ["out-call", "out-ingest"] {
            std::fs::remove_dir_all(dir.path().join(out)).unwrap();
        }
    }
}

#[test]
fn issue_10_5_text_cut_mid_record_or_mid_chrom_line() {
    let dir = common::temp_dir();
    for name in ["cut_mid_record.vcf", "cut_mid_chrom.vcf"] {
        let input = copy(dir.path(), name);
        rejected(dir.path(), &input, &["truncated", "no newline"]);
    }
}

#[test]
fn issue_10_5_bgzf_without_eof_block() {
    let dir = common::temp_dir();
    let Some(input) = bgzip(dir.path(), "no_eof.vcf.gz", "clean.vcf") else {
        return;
    };
    let size = std::fs::metadata(&input).unwrap().len();
    let file = std::fs::OpenOptions::new()
        .write(true)
        .open(&input)
        .unwrap();
    file.set_len(size - 28).unwrap();
    rejected(
        dir.path(),
        &input,
        &["truncated", "BGZF end-of-file block is missing"],
    );
}

#[test]
fn issue_10_5_unsorted_records_under_an_index() {
    let dir = common::temp_dir();
    // The index is built on the sorted file; the unsorted one, with records
    // of the same length, replaces it (as an edit after indexing would).
    let Some(input) = bgzip(dir.path(), "x.vcf.gz", "sorted.vcf") else {
        return;
    };
    let index = std::fs::read(dir.path().join("x.vcf.gz.tbi")).unwrap();
    bgzip_with(dir.path(), "x.vcf.gz", "unsorted.vcf", false);
    std::fs::write(dir.path().join("x.vcf.gz.tbi"), index).unwrap();
    rejected(
        dir.path(),
        &input,
        &["out of order near chr10:94761900", "bcftools sort"],
    );
}

#[test]
fn issue_10_5_ploidy_3_names_sample_and_record() {
    let dir = common::temp_dir();
    let input = copy(dir.path(), "ploidy3.vcf");
    rejected(
        dir.path(),
        &input,
        &["record chr10:94781859", "sample \"S2\"", "ploidy 3"],
    );
}

#[test]
fn issue_10_5_header_only_warns() {
    let dir = common::temp_dir();
    let input = copy(dir.path(), "header_only.vcf");
    for command in ["call", "ingest"] {
        let stderr = run(dir.path(), command, &input, 0);
        assert_eq!(
            stderr
                .matches("header_only.vcf: the file has no records")
                .count(),
            1,
            "{stderr}"
        );
    }
}

#[test]
fn issue_10_6_corrupt_gzip_and_directory() {
    let dir = common::temp_dir();
    let Some(input) = bgzip(dir.path(), "corrupt.vcf.gz", "clean.vcf") else {
        return;
    };
    // Damage the deflate data of the first block; the EOF block stays.
    let mut bytes = std::fs::read(&input).unwrap();
    for byte in &mut bytes[30..60] {
        *byte ^= 0x5a;
    }
    std::fs::write(&input, bytes).unwrap();
    std::fs::remove_file(dir.path().join("corrupt.vcf.gz.tbi")).unwrap();
    rejected(dir.path(), &input, &["not a readable VCF/BCF"]);
    let folder = dir.path().join("folder.vcf.gz");
    std::fs::create_dir(&folder).unwrap();
    rejected(dir.path(), &folder, &["is a directory"]);
}

#[test]
fn issue_10_12_genes_without_records_are_named_once_and_flagged() {
    let dir = common::temp_dir();
    let input = copy(dir.path(), "clean.vcf");
    let stderr = run(dir.path(), "call", &input, 0);
    let lines: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("no input has a record"))
        .collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(lines[0].contains("of 19 gene(s)"), "{}", lines[0]);
    assert!(
        lines[0].contains("CYP2C9, ") && lines[0].contains("DPYD"),
        "{}",
        lines[0]
    );
    assert!(!lines[0].contains("CYP2C19"), "{}", lines[0]);
    let calls = common::read_calls(&dir.path().join("out-call/calls.parquet"));
    let dpyd: Vec<_> = calls.iter().filter(|c| c.gene == "DPYD").collect();
    assert_eq!(dpyd.len(), 2);
    assert!(dpyd.iter().all(|c| c.has("no_data")), "{dpyd:?}");
    assert!(!cyp2c19(&dir.path().join("out-call/calls.parquet"), "S1").has("no_data"));
    // --genes leaves the others out: nothing to report.
    let mut tailor = common::tailor(dir.path());
    tailor
        .args(["call", "--genes", "CYP2C19", "-o", "one"])
        .arg(&input);
    let stderr = common::stderr(&common::run_expect(&mut tailor, 0));
    assert!(!stderr.contains("no input has a record"), "{stderr}");
}

#[test]
fn issue_10_12_sites_only_panel_gets_a_hint() {
    let Some(shared) = common::shared_data() else {
        return;
    };
    let dir = common::temp_dir();
    let panel = shared.join("1kgp-grch38/CYP2C19.vcf.gz");
    let mut tailor = common::tailor(dir.path());
    tailor
        .args(["call", "--genes", "CYP2C19", "-o", "plain"])
        .arg(&panel);
    let stderr = common::stderr(&common::run_expect(&mut tailor, 0));
    assert!(
        stderr.contains("CYP2C19.vcf.gz: 19 of 35 definition positions inside the regions it covers have no record")
            && stderr.contains("pass --absent-as-reference"),
        "{stderr}"
    );
    let mut tailor = common::tailor(dir.path());
    tailor
        .args([
            "call",
            "--genes",
            "CYP2C19",
            "--absent-as-reference",
            "-o",
            "reference",
        ])
        .arg(&panel);
    let stderr = common::stderr(&common::run_expect(&mut tailor, 0));
    assert!(!stderr.contains("sites-only"), "{stderr}");
    assert!(!stderr.contains("--absent-as-reference"), "{stderr}");
}
