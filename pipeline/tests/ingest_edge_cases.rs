//! Hand-written VCFs (tests/data/ingest/) through `tailor ingest`: each
//! gives the expected rows.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use common::Genotype;

/// Runs `tailor ingest` on `inputs` (paths relative to `dir`) with `args`,
/// expecting success, and returns the table.
fn ingest(dir: &Path, inputs: &[PathBuf], args: &[&str]) -> HashMap<(String, u32), Genotype> {
    let mut command = common::tailor(dir);
    command
        .args(["ingest", "-o", "out"])
        .args(args)
        .args(inputs);
    common::run_expect(&mut command, 0);
    common::read_genotypes(&dir.join("out/genotypes.parquet"))
}

/// Copies a test VCF into `dir` as is (plain text: read by streaming).
fn plain(dir: &Path, name: &str) -> PathBuf {
    let to = dir.join(name);
    std::fs::copy(common::test_data(&format!("ingest/{name}")), &to).unwrap();
    to
}

/// A test VCF bgzipped and indexed in `dir` (None: bcftools missing).
fn indexed(dir: &Path, name: &str) -> Option<PathBuf> {
    let text = std::fs::read_to_string(common::test_data(&format!("ingest/{name}"))).unwrap();
    common::write_vcf(dir, &format!("{name}.gz"), &text)
}

fn row<'a>(rows: &'a HashMap<(String, u32), Genotype>, sample: &str, pos: u32) -> &'a Genotype {
    rows.get(&(sample.to_owned(), pos))
        .unwrap_or_else(|| panic!("no row for {sample} at {pos}"))
}

#[test]
fn multiallelic_record_with_alts_in_another_order() {
    let dir = common::temp_dir();
    let Some(vcf) = indexed(dir.path(), "multiallelic.vcf") else {
        return;
    };
    let rows = ingest(dir.path(), &[vcf], &["--genes", "CFTR"]);
    let s1 = row(&rows, "S1", 117_530_975);
    assert_eq!(s1.alleles, ["T", "A"]);
    assert!(s1.phased);
    let s2 = row(&rows, "S2", 117_530_975);
    assert_eq!(s2.alleles, ["G", "A"]);
    assert!(!s2.phased);
    assert!(s2.flags.is_empty(), "{:?}", s2.flags);
    // Every other CFTR position is absent (missing, not reference).
    let absent = rows.values().filter(|g| g.has("absent")).count();
    assert_eq!(absent, rows.len() - 2);
    assert!(rows
        .values()
        .filter(|g| g.has("absent"))
        .all(|g| g.alleles.is_empty()));
}

#[test]
fn split_multiallelic_records_merge_per_haplotype() {
    let dir = common::temp_dir();
    let Some(vcf) = indexed(dir.path(), "split_multiallelic.vcf") else {
        return;
    };
    let rows = ingest(dir.path(), &[vcf], &["--genes", "CFTR"]);
    let s1 = row(&rows, "S1", 117_530_975);
    assert_eq!(s1.alleles, ["T", "A"]);
    assert!(s1.has("merged_records"));
    assert_eq!(row(&rows, "S2", 117_530_975).alleles, ["G", "A"]);
}

#[test]
fn contig_without_chr_prefix_is_found() {
    let dir = common::temp_dir();
    let Some(vcf) = indexed(dir.path(), "no_chr_prefix.vcf") else {
        return;
    };
    let rows = ingest(dir.path(), &[vcf], &["--genes", "CYP2C19"]);
    let s1 = row(&rows, "S1", 94_781_859);
    assert_eq!(s1.alleles, ["G", "A"]);
    assert_eq!(s1.chrom, "chr10");
}

#[test]
fn haploid_chrx_calls_and_sex_file() {
    let dir = common::temp_dir();
    let vcf = plain(dir.path(), "haploid.vcf");
    let rows = ingest(dir.path(), std::slice::from_ref(&vcf), &["--genes", "G6PD"]);
    let s1 = row(&rows, "S1", 154_532_046);
    assert_eq!(
        (s1.alleles.as_slice(), s1.ploidy, s1.phased),
        (&["C".to_owned()][..], 1, true)
    );
    assert_eq!(row(&rows, "S3", 154_532_046).alleles, ["C", "C"]);
    // With the sex file, diploid male calls become haploid (or missing if het).
    let sex = common::test_data("ingest/haploid.sex.tsv");
    let rows = ingest(
        dir.path(),
        &[vcf],
        &["--genes", "G6PD", "--sex", sex.to_str().unwrap()],
    );
    let s2 = row(&rows, "S2", 154_532_046);
    assert_eq!((s2.alleles.len(), s2.ploidy), (2, 2));
    let s3 = row(&rows, "S3", 154_532_046);
    assert_eq!(
        (s3.alleles.as_slice(), s3.ploidy),
        (&["C".to_owned()][..], 1)
    );
    assert!(s3.has("made_haploid"));
    let s4 = row(&rows, "S4", 154_532_046);
    assert!(s4.alleles.is_empty());
    assert!(s4.has("heterozygous_haploid"));
}

#[test]
fn missing_genotypes_are_null_and_half_missing_keep_the_called_allele() {
    let dir = common::temp_dir();
    let vcf = plain(dir.path(), "missing.vcf");
    let rows = ingest(dir.path(), &[vcf], &["--genes", "CYP2C19"]);
    for sample in ["S1", "S2"] {
        let g = row(&rows, sample, 94_781_859);
        assert!(g.alleles.is_empty());
        assert!(g.has("no_call"), "{sample}: {:?}", g.flags);
    }
    // `./1` keeps the called allele in its slot.
    let s3 = row(&rows, "S3", 94_781_859);
    assert_eq!(s3.alleles, ["A"]);
    assert!(s3.has("partial_call"));
    assert_eq!(row(&rows, "S4", 94_781_859).alleles, ["G", "G"]);
}

#[test]
fn phase_sets_are_kept() {
    let dir = common::temp_dir();
    let Some(vcf) = indexed(dir.path(), "phased_ps.vcf") else {
        return;
    };
    let rows = ingest(dir.path(), &[vcf], &["--genes", "CYP2C19"]);
    let a = row(&rows, "S1", 94_775_367);
    assert_eq!(
        (a.alleles.clone(), a.phased, a.phase_set),
        (vec!["A".into(), "G".into()], true, Some(94_775_367))
    );
    let b = row(&rows, "S1", 94_781_859);
    assert_eq!(
        (b.alleles.clone(), b.phase_set),
        (vec!["A".into(), "G".into()], Some(94_781_000))
    );
}

#[test]
fn non_pass_records_are_flagged_or_dropped() {
    let dir = common::temp_dir();
    let vcf = plain(dir.path(), "non_pass.vcf");
    let rows = ingest(
        dir.path(),
        std::slice::from_ref(&vcf),
        &["--genes", "CYP2C19"],
    );
    let g = row(&rows, "S1", 94_781_859);
    assert_eq!(g.alleles, ["G", "A"]);
    assert!(g.has("non_pass"));
    assert_eq!(g.filter.as_deref(), Some("LowQual"));
    let rows = ingest(dir.path(), &[vcf], &["--genes", "CYP2C19", "--pass-only"]);
    let g = row(&rows, "S1", 94_781_859);
    assert!(g.alleles.is_empty());
    assert!(g.has("non_pass"));
}

#[test]
fn indel_definition_is_written_in_the_definition_representation() {
    let dir = common::temp_dir();
    let Some(vcf) = indexed(dir.path(), "indel.vcf") else {
        return;
    };
    let rows = ingest(dir.path(), &[vcf], &["--genes", "UGT1A1"]);
    // UGT1A1 TA repeat: REF CAT at 233760233; C>CAT is TA(8) = CATAT.
    assert_eq!(row(&rows, "S1", 233_760_233).alleles, ["C", "CATAT"]);
    assert_eq!(row(&rows, "S2", 233_760_233).alleles, ["CAT", "CAT"]);
    assert_eq!(row(&rows, "S3", 233_760_233).alleles, ["CATAT", "CATAT"]);
    // A deletion starting one base before the *80 SNV overlaps it.
    let s2 = row(&rows, "S2", 233_759_924);
    assert!(s2.has("unnormalised_indel"), "{:?}", s2.flags);
    assert!(!row(&rows, "S1", 233_759_924).has("unnormalised_indel"));
}

#[test]
fn ref_mismatch_drops_the_position() {
    let dir = common::temp_dir();
    let vcf = plain(dir.path(), "ref_mismatch.vcf");
    let rows = ingest(dir.path(), &[vcf], &["--genes", "CYP2C19"]);
    let g = row(&rows, "S1", 94_781_859);
    assert!(g.alleles.is_empty());
    assert!(g.has("ref_mismatch"));
    // An ALT the definitions do not list is kept and flagged.
    let other = row(&rows, "S1", 94_775_367);
    assert_eq!(other.alleles, ["A", "C"]);
    assert!(other.has("undocumented_allele"));
}

#[test]
fn absent_positions_are_reference_only_inside_the_covered_span() {
    let dir = common::temp_dir();
    let Some(vcf) = indexed(dir.path(), "phased_ps.vcf") else {
        return;
    };
    let rows = ingest(
        dir.path(),
        &[vcf],
        &["--genes", "CYP2C19", "--absent-as-reference"],
    );
    // Between the file's two records: assumed reference.
    let inside = row(&rows, "S1", 94_780_653);
    assert_eq!(inside.alleles, ["G", "G"]);
    assert!(inside.has("assumed_reference"));
    // Before its first record: still missing.
    let outside = row(&rows, "S1", 94_761_900);
    assert!(outside.alleles.is_empty());
    assert!(outside.has("outside_coverage"));
}

#[test]
fn files_with_different_samples_are_a_union() {
    let dir = common::temp_dir();
    let a = plain(dir.path(), "no_chr_prefix.vcf");
    let b = plain(dir.path(), "other_samples.vcf");
    let rows = ingest(dir.path(), &[a, b], &["--genes", "CYP2C19"]);
    assert_eq!(row(&rows, "S1", 94_781_859).alleles, ["G", "A"]);
    assert_eq!(row(&rows, "S9", 94_781_859).alleles, ["A", "A"]);
}

#[test]
fn vcf_bgzip_and_bcf_give_the_same_table() {
    let dir = common::temp_dir();
    let Some(bcftools) = common::bcftools() else {
        return;
    };
    let vcf = plain(dir.path(), "indel.vcf");
    let gz = indexed(dir.path(), "indel.vcf").unwrap();
    let bcf = dir.path().join("indel.bcf");
    let status = std::process::Command::new(&bcftools)
        .args(["view", "-Ob", "-o"])
        .arg(&bcf)
        .arg(&gz)
        .status()
        .unwrap();
    assert!(status.success());
    let status = std::process::Command::new(&bcftools)
        .arg("index")
        .arg(&bcf)
        .status()
        .unwrap();
    assert!(status.success());
    let tables: Vec<_> = [vcf, gz, bcf]
        .iter()
        .map(|input| {
            let mut rows = ingest(
                dir.path(),
                std::slice::from_ref(input),
                &["--genes", "UGT1A1"],
            );
            rows.values_mut().for_each(|g| g.flags.sort());
            rows
        })
        .collect();
    assert_eq!(tables[0], tables[1]);
    assert_eq!(tables[1], tables[2]);
}

#[test]
fn header_without_contig_lines() {
    // Older VCFs (PharmCAT's own test files among them) declare no contigs.
    let dir = common::temp_dir();
    let vcf = plain(dir.path(), "no_contig_header.vcf");
    let rows = ingest(dir.path(), &[vcf], &["--genes", "CYP2C19"]);
    assert_eq!(row(&rows, "S1", 94_781_859).alleles, ["G", "A"]);
}
