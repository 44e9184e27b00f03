//! DPYD's HapB3 rule and lowest-function diplotype through the real binary:
//! the scenario table `tests/data/star/dpyd_hapb3.tsv` (PharmCAT's own DPYD
//! HapB3 expectations) becomes two multi-sample VCFs, one phased and one
//! not, one sample per scenario; every sample's candidates (or possible
//! haplotypes), lowest-function diplotype and HapB3 flag must be PharmCAT's.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::fmt::Write as _;

use tailor_definitions::Definitions;
use tailor_star::compare_haplotype_names;

/// One scenario: genotypes at the table's rsids, then the expectations.
struct Scenario {
    sample: String,
    genotypes: Vec<String>,
    expected: [Expected; 2],
}

/// Expectations for one phasing (0: phased, 1: unphased).
struct Expected {
    candidates: Vec<String>,
    haplotypes: Vec<String>,
    lookup: Vec<String>,
    warning: String,
}

fn list(cell: &str) -> Vec<String> {
    cell.split(" | ")
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

fn by_name(mut names: Vec<String>) -> Vec<String> {
    names.sort_by(|a, b| compare_haplotype_names(a, b));
    names
}

/// The table's rsids and scenarios.
fn scenarios() -> (Vec<String>, Vec<Scenario>) {
    let text = std::fs::read_to_string(common::test_data("star/dpyd_hapb3.tsv")).unwrap();
    let mut lines = text.lines().filter(|l| !l.starts_with('#'));
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let rsids = header[1..8].iter().map(|s| (*s).to_owned()).collect();
    let scenarios = lines
        .map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            assert_eq!(f.len(), 15, "{line}");
            Scenario {
                sample: format!("row_{:03}", f[0].parse::<u32>().unwrap()),
                genotypes: f[1..8].iter().map(|s| (*s).to_owned()).collect(),
                expected: [
                    Expected {
                        candidates: list(f[8]),
                        haplotypes: Vec::new(),
                        lookup: by_name(list(f[9])),
                        warning: f[10].to_owned(),
                    },
                    Expected {
                        candidates: list(f[11]),
                        haplotypes: by_name(list(f[12])),
                        lookup: by_name(list(f[13])),
                        warning: f[14].to_owned(),
                    },
                ],
            }
        })
        .collect();
    (rsids, scenarios)
}

/// A VCF of every DPYD definition position, reference except at the
/// table's rsids (rs186169810's alternate is the undocumented G).
fn vcf(rsids: &[String], scenarios: &[Scenario], phased: bool) -> String {
    let definitions = Definitions::embedded().unwrap();
    let dpyd = definitions.gene("DPYD").unwrap();
    let mut out = String::from("##fileformat=VCFv4.2\n##contig=<ID=chr1,length=248956422>\n");
    out.push_str("##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n");
    out.push_str("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT");
    for s in scenarios {
        write!(out, "\t{}", s.sample).unwrap();
    }
    out.push('\n');
    let separator = if phased { "|" } else { "/" };
    for v in &dpyd.variants {
        let rsid = v.rsid.clone().unwrap_or_default();
        let column = rsids.iter().position(|r| *r == rsid);
        let alt = if rsid == "rs186169810" {
            "G"
        } else {
            &v.alts[0]
        };
        write!(
            out,
            "chr1\t{}\t{rsid}\t{}\t{alt}\t.\tPASS\t.\tGT",
            v.position.get(),
            v.reference
        )
        .unwrap();
        for s in scenarios {
            let gt = column.map_or("0/0", |c| s.genotypes[c].as_str());
            let gt = if gt == "missing" { "./." } else { gt };
            write!(out, "\t{}", gt.replace('/', separator)).unwrap();
        }
        out.push('\n');
    }
    out
}

#[test]
fn hapb3_scenarios_match_pharmcat() {
    let (rsids, scenarios) = scenarios();
    assert_eq!(scenarios.len(), 109);
    let dir = common::temp_dir();
    let mut failures = Vec::new();
    for (phasing, phased) in [(0, true), (1, false)] {
        let name = if phased { "phased" } else { "unphased" };
        let path = dir.path().join(format!("{name}.vcf"));
        std::fs::write(&path, vcf(&rsids, &scenarios, phased)).unwrap();
        let out = dir.path().join(name);
        common::run_expect(
            common::tailor(dir.path())
                .args(["call", "--genes", "DPYD", "-o"])
                .arg(&out)
                .arg(&path),
            0,
        );
        let calls = common::read_calls(&out.join("calls.parquet"));
        for s in &scenarios {
            let call = calls.iter().find(|c| c.sample_id == s.sample).unwrap();
            let expected = &s.expected[phasing];
            let haplotypes = by_name(call.haplotype_matches.clone());
            let lookup = by_name(call.haplotypes.clone());
            let warnings: Vec<&String> = call
                .flags
                .iter()
                .filter(|f| f.starts_with("hapb3_"))
                .collect();
            let warning_ok = if expected.warning.is_empty() {
                warnings.is_empty()
            } else {
                warnings.contains(&&expected.warning)
            };
            let ok = call.candidates == expected.candidates
                && haplotypes == expected.haplotypes
                && lookup == expected.lookup
                && warning_ok;
            if !ok {
                failures.push(format!(
                    "{} {name} {:?}\n  expected {:?} {:?} lookup {:?} {}\n  got      {:?} {:?} lookup {:?} {:?}",
                    s.sample,
                    s.genotypes,
                    expected.candidates,
                    expected.haplotypes,
                    expected.lookup,
                    expected.warning,
                    call.candidates,
                    haplotypes,
                    lookup,
                    call.flags
                ));
            }
        }
    }
    for f in &failures {
        eprintln!("{f}");
    }
    eprintln!(
        "DPYD HapB3 scenarios: {}/{} passed",
        2 * scenarios.len() - failures.len(),
        2 * scenarios.len()
    );
    assert!(failures.is_empty());
}
