#![allow(clippy::unwrap_used)]
//! PharmCAT's own matcher tests (../shared/data/pharmcat/fixtures): every
//! manifest row's diplotype list must equal PharmCAT's, order included.
//!
//! This drives the matcher directly through a small VCF reader that follows
//! PharmCAT's `VcfReader` rules, so the matcher is checked independently of
//! `tailor ingest`; `pipeline/tests/call_fixtures.rs` runs the same manifest
//! through the real binary.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use tailor_definitions::{Definitions, GeneExemptions};
use tailor_star::{match_gene, CompiledGene, MatchOptions, SampleAllele};

fn shared_data() -> Option<PathBuf> {
    let dir = std::env::var_os("TAILOR_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"));
    if dir.is_dir() {
        Some(dir)
    } else if std::env::var("TAILOR_REQUIRE_ALL").as_deref() == Ok("1") {
        panic!("shared data not found at {}", dir.display());
    } else {
        let reason = format!("shared data not found at {}", dir.display());
        eprintln!("skipped: {reason}");
        record_skip(&reason);
        None
    }
}

/// Appends a skip to `$TAILOR_SKIP_LOG`, which `scripts/test` summarises.
fn record_skip(reason: &str) {
    use std::io::Write;
    if let Some(log) = std::env::var_os("TAILOR_SKIP_LOG") {
        if let Ok(mut file) = std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .open(log)
        {
            let _ = writeln!(file, "{reason}");
        }
    }
}

/// Converts one PharmCAT definition JSON into a tailor definitions dir.
fn convert(json: &Path, work: &Path) -> Definitions {
    let src = work.join("src");
    let out = work.join("out");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::create_dir_all(&out).unwrap();
    std::fs::copy(json, src.join("X_translation.json")).unwrap();
    let script =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../definitions/tools/convert_pharmcat.py");
    let status = Command::new("python3")
        .arg(script)
        .arg(&src)
        .arg(&out)
        .arg("test")
        .status()
        .unwrap();
    assert!(status.success());
    Definitions::from_dir(&out).unwrap()
}

/// PharmCAT's reading of one VCF sample at the gene's positions.
fn read_vcf(path: &Path, gene: &CompiledGene) -> Vec<Option<SampleAllele>> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut out: Vec<Option<SampleAllele>> = vec![None; gene.variants().len()];
    let index: HashMap<u32, usize> = gene
        .variants()
        .iter()
        .enumerate()
        .map(|(i, v)| (v.position.get(), i))
        .collect();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 10 || f[0] != gene.chromosome() {
            continue;
        }
        let Some(&i) = f[1].parse::<u32>().ok().and_then(|p| index.get(&p)) else {
            continue;
        };
        if out[i].is_some() {
            continue;
        }
        let variant = &gene.variants()[i];
        if !f[3].eq_ignore_ascii_case(&variant.reference) {
            continue;
        }
        let keys: Vec<&str> = f[8].split(':').collect();
        let values: Vec<&str> = f[9].split(':').collect();
        let field = |k: &str| {
            keys.iter()
                .position(|x| *x == k)
                .and_then(|j| values.get(j).copied())
        };
        let Some(gt) = field("GT") else { continue };
        let parts: Vec<&str> = gt.split(['/', '|']).collect();
        let called: Vec<usize> = parts
            .iter()
            .filter(|p| **p != ".")
            .filter_map(|p| p.parse().ok())
            .collect();
        if called.is_empty() {
            continue;
        }
        let chr_x = f[0] == "chrX";
        if called.len() == 1 && parts.len() > 1 && !chr_x && called[0] == 0 {
            continue;
        }
        let mut alleles = vec![f[3].to_ascii_uppercase()];
        alleles.extend(
            f[4].split(',')
                .filter(|a| *a != ".")
                .map(str::to_ascii_uppercase),
        );
        let get = |p: &str| -> Option<String> {
            p.parse::<usize>()
                .ok()
                .and_then(|j| alleles.get(j).cloned())
        };
        let a1 = parts.first().and_then(|p| get(p));
        let a2 = parts.get(1).and_then(|p| get(p));
        let phased = !gt.contains('/');
        let phase_set = field("PS").and_then(|p| p.parse::<i64>().ok());
        let second_missing = parts.get(1) == Some(&".");
        out[i] = Some(SampleAllele {
            allele_1: a1,
            allele_2: a2,
            second_missing,
            phased,
            phase_set: if phased { phase_set } else { None },
        });
    }
    out
}

#[test]
fn pharmcat_manifest() {
    let Some(shared) = shared_data() else { return };
    let fixtures = shared.join("pharmcat/fixtures");
    let manifest = std::fs::read_to_string(fixtures.join("manifest.tsv")).unwrap();
    let embedded = Definitions::embedded().unwrap();
    let real = Definitions::from_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../../definitions/data"),
    )
    .unwrap();
    let work = tempfile::tempdir().unwrap();
    let mut converted: HashMap<String, Definitions> = HashMap::new();
    let (mut passed, mut total, mut haplotype_rows) = (0, 0, 0);
    let mut failures = Vec::new();
    for (n, line) in manifest.lines().enumerate().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        let (vcf, gene, defs, top, combos, other, expected) =
            (f[0], f[2], f[3], f[5], f[6], f[7], f[8]);
        let notes = f.get(11).copied().unwrap_or("");
        total += 1;
        let definitions = if defs == "pharmcat" {
            &real
        } else {
            converted.entry(defs.to_owned()).or_insert_with(|| {
                convert(&fixtures.join(defs), &work.path().join(format!("d{n}")))
            })
        };
        let exemptions = if other.contains("exemptions=pharmcat") {
            embedded.exemptions(gene)
        } else {
            GeneExemptions::none(gene)
        };
        let builtin = !embedded.exemptions(gene).unphased_priorities.is_empty();
        let compiled =
            CompiledGene::new(definitions.gene(gene).unwrap(), &exemptions, builtin).unwrap();
        let genotypes = read_vcf(&fixtures.join(vcf), &compiled);
        let options = MatchOptions {
            top_candidate_only: top == "true",
            find_combinations: combos == "true",
        };
        let result = match_gene(&compiled, &genotypes, options);
        let got = result.names().join(" | ");
        // Unphased DPYD/RYR1: the notes give the haplotype matches the
        // test asserts instead of a diplotype.
        let haplotypes_ok = match expected_haplotypes(notes) {
            Some(list) => {
                haplotype_rows += 1;
                result.haplotype_matches == list
            }
            None => true,
        };
        if got == expected && haplotypes_ok {
            passed += 1;
        } else {
            failures.push(format!("{n}: {vcf} {gene} top={top} comb={combos} {other}\n   expected: {expected}\n   got:      {got} ({:?}; haplotypes {:?})", result.no_call, result.haplotype_matches));
        }
    }
    for f in &failures {
        eprintln!("{f}");
    }
    eprintln!(
        "pharmcat fixtures: {passed}/{total} passed ({haplotype_rows} with haplotype matches)"
    );
    assert_eq!(passed, total);
    assert_eq!(haplotype_rows, 2, "the manifest's haplotype-match rows");
}

/// The haplotype matches a manifest note lists ("haplotype matches expected
/// in order: a, b (remark)").
fn expected_haplotypes(notes: &str) -> Option<Vec<String>> {
    let (_, list) = notes.split_once("expected in order: ")?;
    let list = list.split(" (").next().unwrap_or(list);
    Some(list.split(", ").map(|s| s.trim().to_owned()).collect())
}
