//! `tailor simulate`: deterministic output, a VCF htslib and bcftools
//! read, and the closed loop: `tailor call` on the simulated VCF gives back
//! the simulated diplotypes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::process::Command;

use arrow_array::{Array, StringArray};

fn simulate(dir: &Path, out: &str, samples: usize, seed: u64) {
    common::run_expect(
        common::tailor(dir).args([
            "simulate",
            "-q",
            "-o",
            out,
            "--samples",
            &samples.to_string(),
            "--seed",
            &seed.to_string(),
        ]),
        0,
    );
}

#[test]
fn same_seed_gives_identical_files() {
    let dir = common::temp_dir();
    simulate(dir.path(), "a", 60, 11);
    simulate(dir.path(), "b", 60, 11);
    simulate(dir.path(), "c", 60, 12);
    for file in [
        "cohort.vcf.gz",
        "cohort.vcf.gz.tbi",
        "truth.tsv",
        "clinical.csv",
        "sex.tsv",
        "join.key",
        "tailor.toml",
    ] {
        let a = std::fs::read(dir.path().join("a").join(file)).unwrap();
        let b = std::fs::read(dir.path().join("b").join(file)).unwrap();
        assert!(a == b, "{file} differs between two runs with the same seed");
    }
    for file in ["cohort.vcf.gz", "clinical.csv", "join.key"] {
        let a = std::fs::read(dir.path().join("a").join(file)).unwrap();
        let c = std::fs::read(dir.path().join("c").join(file)).unwrap();
        assert!(a != c, "{file} is the same with another seed");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |f: &str| {
            std::fs::metadata(dir.path().join("a").join(f))
                .unwrap()
                .permissions()
                .mode()
                & 0o777
        };
        assert_eq!(mode("join.key"), 0o600);
        assert_eq!(mode("cohort.vcf.gz"), 0o640);
        assert_eq!(mode("clinical.csv"), 0o640);
        assert_eq!(mode("truth.tsv"), 0o640);
    }
    let names: Vec<String> = std::fs::read_dir(dir.path().join("a"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| !n.starts_with('.')),
        "temporary files left: {names:?}"
    );
    let clinical = std::fs::read_to_string(dir.path().join("a/clinical.csv")).unwrap();
    assert!(clinical.starts_with("patient_id,therapy,age,sex,mace,"));
    assert_eq!(clinical.lines().count(), 61);
    assert!(clinical.contains("SIM00001,"));
}

#[test]
fn zero_samples_is_a_usage_error() {
    let dir = common::temp_dir();
    common::run_expect(
        common::tailor(dir.path()).args(["simulate", "-o", "x", "--samples", "0"]),
        2,
    );
}

#[test]
fn bcftools_reads_the_vcf_and_its_index() {
    let Some(bcftools) = common::bcftools() else {
        return;
    };
    let dir = common::temp_dir();
    simulate(dir.path(), "sim", 25, 3);
    let vcf = dir.path().join("sim/cohort.vcf.gz");
    let header = Command::new(&bcftools)
        .args(["view", "-h"])
        .arg(&vcf)
        .output()
        .unwrap();
    assert!(header.status.success(), "{}", common::stderr(&header));
    let header = String::from_utf8(header.stdout).unwrap();
    assert!(header.contains("##contig=<ID=chr10,length=133797422"));
    assert!(header.contains("SIM00001\t"));
    assert!(header.trim_end().ends_with("SIM00025"));
    let count = Command::new(&bcftools)
        .args(["index", "-n"])
        .arg(&vcf)
        .output()
        .unwrap();
    assert!(count.status.success(), "{}", common::stderr(&count));
    let records: usize = String::from_utf8(count.stdout)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(records > 1000, "{records} records");
    // A region query through the tabix index: CYP2C19 *2's c.681G>A.
    let region = Command::new(&bcftools)
        .args(["view", "-H", "-r", "chr10:94781859"])
        .arg(&vcf)
        .output()
        .unwrap();
    assert!(region.status.success(), "{}", common::stderr(&region));
    let line = String::from_utf8(region.stdout).unwrap();
    assert!(
        line.starts_with("chr10\t94781859\trs4244285\tG\tA\t"),
        "{line}"
    );
    assert!(line.contains("|"), "genotypes are phased");
}

fn value(a: &StringArray, i: usize) -> &str {
    if a.is_null(i) {
        ""
    } else {
        a.value(i)
    }
}

fn pair(a: &str, b: &str) -> (String, String) {
    if a <= b {
        (a.to_owned(), b.to_owned())
    } else {
        (b.to_owned(), a.to_owned())
    }
}

/// Genes whose simulated diplotype need not come back as simulated, and why.
const EXPECTED_EXCEPTIONS: &[(&str, &str)] = &[];

#[test]
fn call_gives_back_the_simulated_diplotypes() {
    let dir = common::temp_dir();
    simulate(dir.path(), "sim", 300, 5);
    common::run_expect(
        common::tailor(dir.path()).args([
            "call",
            "-q",
            "--sex",
            "sim/sex.tsv",
            "-o",
            "out",
            "sim/cohort.vcf.gz",
        ]),
        0,
    );
    let truth = std::fs::read_to_string(dir.path().join("sim/truth.tsv")).unwrap();
    let mut expected: HashMap<(String, String), (String, String)> = HashMap::new();
    for line in truth.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        expected.insert((f[0].to_owned(), f[1].to_owned()), pair(f[2], f[3]));
    }
    let calls = dir.path().join("out/calls.parquet");
    let table = tailor_tables::read_table(&calls).unwrap();
    // gene -> (agree, total, examples of disagreement)
    let mut per_gene: BTreeMap<String, (usize, usize, Vec<String>)> = BTreeMap::new();
    let mut seen = 0;
    for batch in &table.batches {
        use tailor_schemas::calls as col;
        let sample = common::column::<StringArray>(batch, col::SAMPLE_ID);
        let gene = common::column::<StringArray>(batch, col::GENE);
        let h1 = common::column::<StringArray>(batch, col::HAPLOTYPE_1);
        let h2 = common::column::<StringArray>(batch, col::HAPLOTYPE_2);
        let diplotype = common::column::<StringArray>(batch, col::DIPLOTYPE);
        for i in 0..batch.num_rows() {
            let key = (sample.value(i).to_owned(), gene.value(i).to_owned());
            let Some(want) = expected.get(&key) else {
                continue;
            };
            seen += 1;
            let got = pair(value(h1, i), value(h2, i));
            let entry = per_gene.entry(key.1.clone()).or_default();
            entry.1 += 1;
            if got == *want {
                entry.0 += 1;
            } else if entry.2.len() < 3 {
                entry.2.push(format!(
                    "{}: simulated {}/{}, called {:?}",
                    key.0,
                    want.0,
                    want.1,
                    value(diplotype, i)
                ));
            }
        }
    }
    assert_eq!(
        seen,
        expected.len(),
        "every simulated sample x gene has a call row"
    );
    let mut failures = Vec::new();
    eprintln!("closed-loop concordance (simulated vs called diplotype):");
    for (gene, (agree, total, examples)) in &per_gene {
        eprintln!(
            "  {gene:<8} {agree:>4}/{total:<4} {:6.2}%  {}",
            100.0 * *agree as f64 / *total as f64,
            examples.join("; ")
        );
        let excused = EXPECTED_EXCEPTIONS.iter().any(|(g, _)| g == gene);
        if agree != total && !excused {
            failures.push(gene.clone());
        }
    }
    let (agree, total) = per_gene
        .values()
        .fold((0, 0), |(a, t), (ga, gt, _)| (a + ga, t + gt));
    eprintln!("  all      {agree}/{total}");
    assert!(failures.is_empty(), "discordant genes: {failures:?}");
}
