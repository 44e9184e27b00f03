//! DPYD's HapB3 rule and lowest-function diplotype through the real binary.
//!
//! - `tests/data/star/dpyd_hapb3.tsv` (PharmCAT's own DPYD HapB3
//!   expectations) becomes two multi-sample VCFs, one phased and one not,
//!   one sample per scenario.
//! - `tests/data/star/dpyd_cases.tsv` (PharmCAT's DPYD pipeline tests:
//!   unphased lists, phase sets, missing strands, undocumented alleles)
//!   becomes one VCF with a `GT:PS` sample per case.
//!
//! Every sample's candidates (or possible haplotypes), lowest-function
//! diplotype and HapB3 flag must be PharmCAT's.
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

/// One PharmCAT DPYD pipeline case.
struct Case {
    name: String,
    combinations: bool,
    phased: bool,
    /// rsid -> (two CPIC alleles, phase set).
    variants: Vec<(String, [String; 2], Option<String>)>,
    expected: Expected,
}

fn cases() -> Vec<Case> {
    let text = std::fs::read_to_string(common::test_data("star/dpyd_cases.tsv")).unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .skip(1)
        .map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            assert_eq!(f.len(), 7, "{line}");
            let variants = f[3]
                .split("; ")
                .map(|v| {
                    let (rsid, call) = v.split_once(':').unwrap();
                    let (alleles, ps) = match call.split_once('@') {
                        Some((a, ps)) => (a, Some(ps.to_owned())),
                        None => (call, None),
                    };
                    let alleles = if alleles == "missing" {
                        [".".to_owned(), ".".to_owned()]
                    } else {
                        let (a, b) = alleles.split_once('/').unwrap();
                        [a.to_owned(), b.to_owned()]
                    };
                    (rsid.to_owned(), alleles, ps)
                })
                .collect();
            Case {
                name: f[0].to_owned(),
                combinations: f[1] == "yes",
                phased: f[2] == "yes",
                variants,
                expected: Expected {
                    candidates: list(f[4]),
                    haplotypes: by_name(list(f[5])),
                    lookup: by_name(list(f[6])),
                    warning: String::new(),
                },
            }
        })
        .collect()
}

/// A `GT:PS` VCF of every DPYD definition position for `cases`, CPIC
/// alleles translated to VCF alleles (an undocumented one kept as given).
fn cases_vcf(cases: &[&Case]) -> String {
    let definitions = Definitions::embedded().unwrap();
    let dpyd = definitions.gene("DPYD").unwrap();
    let mut out = String::from("##fileformat=VCFv4.2\n##contig=<ID=chr1,length=248956422>\n");
    out.push_str("##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n");
    out.push_str("##FORMAT=<ID=PS,Number=1,Type=Integer,Description=\"Phase set\">\n");
    out.push_str("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT");
    for c in cases {
        write!(out, "\t{}", c.name).unwrap();
    }
    out.push('\n');
    for v in &dpyd.variants {
        let rsid = v.rsid.clone().unwrap_or_default();
        let to_vcf = |cpic: &str| {
            v.cpic_to_vcf
                .iter()
                .find(|(c, _)| c == cpic)
                .map_or_else(|| cpic.to_owned(), |(_, vcf)| vcf.clone())
        };
        let mut alts = v.alts.clone();
        for c in cases {
            for (r, alleles, _) in &c.variants {
                for a in alleles.iter().filter(|a| *r == rsid && *a != ".") {
                    let a = to_vcf(a);
                    if a != v.reference && !alts.contains(&a) {
                        alts.push(a);
                    }
                }
            }
        }
        write!(
            out,
            "chr1\t{}\t{rsid}\t{}\t{}\t.\tPASS\t.\tGT:PS",
            v.position.get(),
            v.reference,
            alts.join(",")
        )
        .unwrap();
        for c in cases {
            let separator = if c.phased { "|" } else { "/" };
            let index = |a: &str| -> String {
                let a = to_vcf(a);
                if a == "." {
                    a
                } else if a == v.reference {
                    "0".to_owned()
                } else {
                    (alts.iter().position(|x| *x == a).unwrap() + 1).to_string()
                }
            };
            let (gt, ps) = match c.variants.iter().find(|(r, _, _)| *r == rsid) {
                Some((_, [a, b], ps)) => (
                    format!("{}{separator}{}", index(a), index(b)),
                    ps.clone().unwrap_or_else(|| ".".to_owned()),
                ),
                None => (format!("0{separator}0"), ".".to_owned()),
            };
            write!(out, "\t{gt}:{ps}").unwrap();
        }
        out.push('\n');
    }
    out
}

#[test]
fn dpyd_cases_match_pharmcat() {
    let cases = cases();
    assert_eq!(cases.len(), 32);
    let dir = common::temp_dir();
    let mut failures = Vec::new();
    for combinations in [false, true] {
        let group: Vec<&Case> = cases
            .iter()
            .filter(|c| c.combinations == combinations)
            .collect();
        let name = if combinations {
            "combinations"
        } else {
            "default"
        };
        let path = dir.path().join(format!("{name}.vcf"));
        std::fs::write(&path, cases_vcf(&group)).unwrap();
        let out = dir.path().join(name);
        let mut command = common::tailor(dir.path());
        command.args(["call", "--genes", "DPYD", "-o"]).arg(&out);
        if combinations {
            command.arg("--combinations");
        }
        common::run_expect(command.arg(&path), 0);
        let calls = common::read_calls(&out.join("calls.parquet"));
        for c in &group {
            let call = calls.iter().find(|r| r.sample_id == c.name).unwrap();
            let haplotypes = by_name(call.haplotype_matches.clone());
            let lookup = by_name(call.haplotypes.clone());
            if call.candidates != c.expected.candidates
                || haplotypes != c.expected.haplotypes
                || lookup != c.expected.lookup
            {
                failures.push(format!(
                    "{}\n  expected {:?} {:?} lookup {:?}\n  got      {:?} {:?} lookup {:?} {:?}",
                    c.name,
                    c.expected.candidates,
                    c.expected.haplotypes,
                    c.expected.lookup,
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
        "DPYD cases: {}/{} passed",
        cases.len() - failures.len(),
        cases.len()
    );
    assert!(failures.is_empty());
}
