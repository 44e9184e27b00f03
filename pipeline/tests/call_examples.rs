//! `tailor call` on PharmCAT's example VCFs: every gene's diplotype and
//! phenotype must equal the row of the report PharmCAT wrote for them
//! (`*.report.tsv`); CYP2D6 comes from the outside-call file, as it did for
//! PharmCAT.
//!
//! The reports came from PharmCAT 3.1.0 and the definitions are 3.1.1; no
//! gene's call differs between them on these files, so no exception is
//! listed. tailor leaves the phenotype of CYP4F2, IFNL3 and VKORC1 empty (no
//! CPIC phenotype; grouped by diplotype downstream), where PharmCAT's report
//! prints VKORC1's genotype (`-1639 GG`): those three are compared on the
//! diplotype only.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

fn check(example: &str) {
    let Some(shared) = common::shared_data() else {
        return;
    };
    let examples = shared.join("pharmcat/examples");
    let dir = common::temp_dir();
    common::run_expect(
        common::tailor(dir.path())
            .arg("call")
            .arg("-q")
            .arg("-o")
            .arg("out")
            .arg("--outside-calls")
            .arg(examples.join("pharmcat.example.outsideCall.tsv"))
            .arg(examples.join(format!("{example}.vcf"))),
        0,
    );
    let got: Vec<(String, String, String)> =
        common::read_calls(&dir.path().join("out/calls.parquet"))
            .into_iter()
            .map(|c| (c.gene, c.diplotype, c.phenotype))
            .collect();
    let report = std::fs::read_to_string(examples.join(format!("{example}.report.tsv"))).unwrap();
    let mut compared = 0;
    let mut failures = Vec::new();
    for line in report.lines().skip(2) {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 3 {
            continue;
        }
        let (gene, diplotype, phenotype) = (f[0], f[1], f[2].trim());
        let Some((_, d, p)) = got.iter().find(|(g, _, _)| g == gene) else {
            failures.push(format!("{gene}: no row"));
            continue;
        };
        compared += 1;
        let skip_phenotype = matches!(gene, "CYP4F2" | "IFNL3" | "VKORC1");
        if d != diplotype || (!skip_phenotype && p != phenotype) {
            failures.push(format!(
                "{gene}: expected {diplotype} / {phenotype:?}, got {d} / {p:?}"
            ));
        }
    }
    for f in &failures {
        eprintln!("{example}: {f}");
    }
    eprintln!(
        "{example}: {}/{compared} genes agree with PharmCAT's report",
        compared - failures.len().min(compared)
    );
    assert!(failures.is_empty());
    assert!(compared >= 19);
}

#[test]
fn example_vcf_matches_pharmcat_report() {
    check("pharmcat.example");
}

#[test]
fn example2_vcf_matches_pharmcat_report() {
    check("pharmcat.example2");
}
