//! CYP2D6 copy number on the real BAMs of ../shared/data/bam (truth in its
//! `truth.tsv` and README): whole-genome locus extracts give 2 copies with
//! the CYP2D7 fallback flag, exome-like, capture and amplicon files are
//! `not_callable`, and both HG01190 files (`*68+*4/*5`) carry a hybrid flag
//! and no confident wrong copy number. The library is called directly:
//! `tailor copy-number` is wired in after the reads stage lands.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use tailor_copy_number::{call, CopyNumberCall, Options};
use tailor_ingest::reads::AlignedInput;
use tailor_schemas::copy_number::{CopyNumberFlag, CopyNumberMethod, CoverageKind, HybridKind};

mod common;

/// The shared BAM folder, or `None` after printing why.
fn bam_dir() -> Option<PathBuf> {
    Some(common::shared_data()?.join("bam"))
}

fn call_file(dir: &std::path::Path, file: &str) -> CopyNumberCall {
    let input = AlignedInput::new(dir.join(file));
    let result = call(&input, None, &Options::default()).unwrap();
    eprintln!("{file}: {result:?}");
    result
}

/// NYGC 30x locus extracts and StellarPGx's simulated SIM001: 2 copies
/// against CYP2D7 taken as 2, flagged, no hybrid. NA18505's body share
/// (0.547) sits between 2 and 3 copies; its ends (0.51 and 0.51) settle 2.
#[test]
fn whole_genome_locus_extracts_give_two_copies() {
    let Some(dir) = bam_dir() else { return };
    for (file, fragments, min_confidence) in [
        ("stellarpgx/HG03130.bam", (603, 652), 0.9999),
        ("stellarpgx/SIM001.bam", (638, 665), 0.9999),
        ("stellarpgx/NA18505.bam", (508, 420), 0.99),
    ] {
        let result = call_file(&dir, file);
        assert_eq!(result.coverage, CoverageKind::LocusOnly, "{file}");
        assert_eq!(result.method, CopyNumberMethod::Cyp2d7Reference, "{file}");
        assert_eq!(result.copy_number, Some(2), "{file}");
        assert!(result.confidence.unwrap() > min_confidence, "{file}");
        assert_eq!(
            (result.body.cyp2d6, result.body.cyp2d7),
            fragments,
            "{file}"
        );
        assert_eq!(
            result.flags,
            [CopyNumberFlag::Cyp2d7AssumedTwoCopies],
            "{file}"
        );
        assert!(!result.has_hybrid(), "{file}");
    }
}

/// NA20129's 55 HiFi reads do not tell 2 copies from 3 at the 0.95
/// threshold: no copy number, and never a confident wrong one.
#[test]
fn ambiguous_locus_extracts_are_withheld() {
    let Some(dir) = bam_dir() else { return };
    let file = "pangu/NA20129_wgs.GRCh38.bam";
    let result = call_file(&dir, file);
    assert_eq!(result.coverage, CoverageKind::LocusOnly);
    assert_eq!(result.copy_number, None);
    assert!(result.flags.contains(&CopyNumberFlag::LowConfidence));
    assert!(result.flags.contains(&CopyNumberFlag::LongReads));
    let estimate = result.estimate.unwrap();
    assert!((2.0..3.1).contains(&estimate), "{estimate}");
}

/// hiMoon's exome-like files and pangu's capture and amplicon: not callable.
#[test]
fn targeted_files_are_not_callable() {
    let Some(dir) = bam_dir() else { return };
    for file in [
        "himoon/HG01190.cyp2d6.bam",
        "himoon/NA18565.cyp2d6.bam",
        "himoon/NA18945.cyp2d6.bam",
        "himoon/NA19239.cyp2d6.bam",
        "pangu/HG01190_target_capture.GRCh38.bam",
        "pangu/NA17244_amp_hifi.GRCh38.bam",
    ] {
        let result = call_file(&dir, file);
        assert_eq!(result.coverage, CoverageKind::Targeted, "{file}");
        assert_eq!(result.method, CopyNumberMethod::NotCallable, "{file}");
        assert_eq!(
            (result.copy_number, result.estimate, result.confidence),
            (None, None, None),
            "{file}"
        );
        assert!(
            result.flags.contains(&CopyNumberFlag::TargetedCoverage),
            "{file}"
        );
    }
}

/// HG01190 (`*68+*4/*5`) by HiFi capture: the CYP2D6 share at the 5′ end
/// (0.70) against the body (0.46) shows the *68 fusion; capture cannot name
/// it, so it is `hybrid_unresolved`. NA18565 (`*10/*36x2`) likewise. The
/// exome-like HG01190 (issue 11): its exons' shares, from 0.27 (exon 5) to
/// 0.86 (exon 4), differ beyond chance, so a hybrid is not excluded.
#[test]
fn capture_shows_unresolved_hybrids() {
    let Some(dir) = bam_dir() else { return };
    for file in [
        "pangu/HG01190_target_capture.GRCh38.bam",
        "himoon/NA18565.cyp2d6.bam",
        "himoon/HG01190.cyp2d6.bam",
    ] {
        let result = call_file(&dir, file);
        assert_eq!(result.hybrids, [HybridKind::Unresolved], "{file}");
        assert!(result
            .flags
            .contains(&CopyNumberFlag::Hybrid(HybridKind::Unresolved)));
    }
}

/// The sample is the read group's SM, else the file stem.
#[test]
fn sample_names_from_sm_or_file_stem() {
    let Some(dir) = bam_dir() else { return };
    assert_eq!(call_file(&dir, "stellarpgx/SIM001.bam").sample_id, "SIM001");
    assert_eq!(
        call_file(&dir, "himoon/NA18945.cyp2d6.bam").sample_id,
        "NA18945.cyp2d6"
    );
}

/// A file without an index is an error naming `samtools index`.
#[test]
fn missing_index_names_the_fix() {
    let Some(dir) = bam_dir() else { return };
    let work = tempfile::tempdir().unwrap();
    let copy = work.path().join("SIM001.bam");
    std::fs::copy(dir.join("stellarpgx/SIM001.bam"), &copy).unwrap();
    let error = call(&AlignedInput::new(copy.clone()), None, &Options::default())
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("samtools index") && error.contains("SIM001.bam"),
        "{error}"
    );
}

/// The table round-trips through Parquet with its columns.
#[test]
fn table_is_written_with_the_schema() {
    let Some(dir) = bam_dir() else { return };
    let calls = vec![
        call_file(&dir, "stellarpgx/SIM001.bam"),
        call_file(&dir, "himoon/NA19239.cyp2d6.bam"),
    ];
    let work = tempfile::tempdir().unwrap();
    let path = work.path().join("copy_number.parquet");
    let options = Options::default();
    tailor_copy_number::write_table(&path, &calls, &tailor_copy_number::table_metadata(&options))
        .unwrap();
    let table = tailor_tables::read_table(&path).unwrap();
    assert_eq!(table.num_rows(), 2);
    assert_eq!(table.metadata("tailor.table"), Some("copy_number"));
}
