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
    /// Whether an empty `warning` means "no HapB3 flag".
    warnings_checked: bool,
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
                        warnings_checked: true,
                    },
                    Expected {
                        candidates: list(f[11]),
                        haplotypes: by_name(list(f[12])),
                        lookup: by_name(list(f[13])),
                        warning: f[14].to_owned(),
                        warnings_checked: true,
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

impl Expected {
    /// Why `call` is not what PharmCAT gives (`None`: it is).
    fn mismatch(&self, label: &str, call: &common::Call) -> Option<String> {
        let haplotypes = by_name(call.haplotype_matches.clone());
        let lookup = by_name(call.haplotypes.clone());
        let warnings: Vec<&String> = call
            .flags
            .iter()
            .filter(|f| f.starts_with("hapb3_"))
            .collect();
        // "none" (or an empty cell in the HapB3 table): neither flag; an
        // empty cell in the cases table: not checked.
        let warning_ok = match self.warning.as_str() {
            "none" => warnings.is_empty(),
            "" => !self.warnings_checked || warnings.is_empty(),
            w => warnings.iter().any(|f| *f == w),
        };
        let ok = call.candidates == self.candidates
            && haplotypes == self.haplotypes
            && lookup == self.lookup
            && warning_ok;
        (!ok).then(|| {
            format!(
                "{label}\n  expected {:?} {:?} lookup {:?} {}\n  got      {:?} {:?} lookup {:?} {:?}",
                self.candidates,
                self.haplotypes,
                self.lookup,
                self.warning,
                call.candidates,
                haplotypes,
                lookup,
                call.flags
            )
        })
    }
}

/// Writes `vcf` to `dir/name.vcf`, runs `tailor call --genes DPYD` on it
/// (with `extra` arguments) and reads the calls table.
fn call_dpyd(dir: &std::path::Path, name: &str, vcf: &str, extra: &[&str]) -> Vec<common::Call> {
    let path = dir.join(format!("{name}.vcf"));
    std::fs::write(&path, vcf).unwrap();
    let out = dir.join(name);
    common::run_expect(
        common::tailor(dir)
            .args(["call", "--genes", "DPYD", "-o"])
            .arg(&out)
            .args(extra)
            .arg(&path),
        0,
    );
    common::read_calls(&out.join("calls.parquet"))
}

/// Prints the failures and the pass count, then asserts there are none.
fn report(what: &str, total: usize, failures: &[String]) {
    for f in failures {
        eprintln!("{f}");
    }
    eprintln!("{what}: {}/{total} passed", total - failures.len());
    assert!(failures.is_empty());
}

#[test]
fn hapb3_scenarios_match_pharmcat() {
    let (rsids, scenarios) = scenarios();
    assert_eq!(scenarios.len(), 109);
    let dir = common::temp_dir();
    let mut failures = Vec::new();
    for (phasing, phased) in [(0, true), (1, false)] {
        let name = if phased { "phased" } else { "unphased" };
        let calls = call_dpyd(dir.path(), name, &vcf(&rsids, &scenarios, phased), &[]);
        for s in &scenarios {
            let call = calls.iter().find(|c| c.sample_id == s.sample).unwrap();
            let label = format!("{} {name} {:?}", s.sample, s.genotypes);
            failures.extend(s.expected[phasing].mismatch(&label, call));
        }
    }
    report("DPYD HapB3 scenarios", 2 * scenarios.len(), &failures);
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
            assert_eq!(f.len(), 8, "{line}");
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
                    warning: f[7].to_owned(),
                    warnings_checked: false,
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
        let (name, extra): (&str, &[&str]) = if combinations {
            ("combinations", &["--combinations"])
        } else {
            ("default", &[])
        };
        let calls = call_dpyd(dir.path(), name, &cases_vcf(&group), extra);
        for c in &group {
            let call = calls.iter().find(|r| r.sample_id == c.name).unwrap();
            failures.extend(c.expected.mismatch(&c.name, call));
        }
    }
    report("DPYD cases", cases.len(), &failures);
}
