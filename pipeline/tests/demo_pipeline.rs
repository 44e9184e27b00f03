//! `tailor demo`: the whole pipeline on a simulated cohort finds the
//! planted CYP2C19 x clopidogrel interaction and flags no null gene.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use arrow_array::{Array, Float64Array, StringArray};
use tailor_schemas::subgroup_effects as col;

/// The interaction q-values of `gene` x clopidogrel vs ticagrelor on `outcome`.
fn interaction_q(effects: &Path, gene: &str, outcome: &str) -> Vec<(String, f64)> {
    let table = tailor_tables::read_table(effects).unwrap();
    let mut found = Vec::new();
    for batch in &table.batches {
        let s = |name| common::column::<StringArray>(batch, name);
        let q = common::column::<Float64Array>(batch, col::INTERACTION_Q);
        let (g, kind, therapy, o, family) = (
            s(col::GENE),
            s(col::CONTRAST_KIND),
            s(col::THERAPY),
            s(col::OUTCOME),
            s(col::FAMILY),
        );
        for i in 0..batch.num_rows() {
            if g.value(i) == gene
                && kind.value(i) == "therapy_vs_comparator"
                && therapy.value(i) == "clopidogrel"
                && o.value(i) == outcome
                && !q.is_null(i)
            {
                found.push((family.value(i).to_owned(), q.value(i)));
            }
        }
    }
    found
}

#[test]
fn demo_finds_the_planted_interaction() {
    let dir = common::temp_dir();
    let output = common::run_expect(common::tailor(dir.path()).args(["demo", "-o", "demo"]), 0);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = common::stderr(&output);
    eprintln!("{stderr}\n{stdout}");
    for stage in ["simulate:", "ingest:", "call:", "join:", "estimate:"] {
        assert!(stderr.contains(stage), "no {stage} line");
    }
    assert!(stdout.contains("CYP2C19 x clopidogrel vs ticagrelor (mace): interaction q = "));
    let effects = dir.path().join("demo/out/subgroup_effects.parquet");
    let cyp2c19 = interaction_q(&effects, "CYP2C19", "mace");
    assert!(!cyp2c19.is_empty());
    for (family, q) in &cyp2c19 {
        assert_eq!(family, "confirmatory");
        assert!(
            *q < 0.05,
            "planted CYP2C19 x clopidogrel interaction: q = {q}"
        );
    }
    let reactivity = interaction_q(&effects, "CYP2C19", "platelet_reactivity");
    assert!(reactivity.iter().all(|(_, q)| *q < 0.05), "{reactivity:?}");
    // No other gene has an effect: none of their interaction tests (those
    // small-cell suppression leaves visible) is flagged; CYP2B6 is one.
    let mut tested = Vec::new();
    for gene in [
        "ABCG2", "CACNA1S", "CFTR", "CYP2B6", "CYP2C9", "CYP2D6", "CYP3A4", "CYP3A5", "CYP4F2",
        "G6PD", "NAT2", "NUDT15", "RYR1", "SLCO1B1", "TPMT", "UGT1A1", "VKORC1",
    ] {
        for outcome in ["mace", "platelet_reactivity", "bleeding"] {
            for (family, q) in interaction_q(&effects, gene, outcome) {
                assert_eq!(family, "exploratory");
                assert!(q >= 0.05, "null gene {gene} flagged on {outcome}: q = {q}");
                tested.push(gene);
            }
        }
    }
    assert!(
        tested.contains(&"CYP2B6"),
        "a null gene was tested: {tested:?}"
    );
    // Pseudonymised: no simulated sample id reaches the cohort table.
    let cohort = std::fs::read(dir.path().join("demo/out/cohort.parquet")).unwrap();
    assert!(!cohort.windows(8).any(|w| w == b"SIM00001"));
}

#[test]
fn run_rejects_an_unknown_section() {
    let dir = common::temp_dir();
    std::fs::write(
        dir.path().join("tailor.toml"),
        "[run]\ninputs = [\"a.vcf.gz\"]\nclinical = [\"c.csv\"]\noutput = \"out\"\n[ingset]\n",
    )
    .unwrap();
    let output = common::run_expect(common::tailor(dir.path()).args(["run", "tailor.toml"]), 2);
    assert!(common::stderr(&output).contains("unknown section [ingset]"));
}

/// `tailor demo | head -0`: a reader that closed stdout before the demo
/// printed its findings. The demo still exits 0 (it wrote every table), with
/// nothing on stderr about the pipe, where `println!` used to panic (exit 101).
#[test]
fn demo_exits_cleanly_when_stdout_is_closed() {
    let dir = common::temp_dir();
    let mut child = common::tailor(dir.path())
        .args(["demo", "-q", "-o", "demo", "--samples", "300"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "stderr:\n{stderr}");
    assert!(!stderr.contains("panicked"), "stderr:\n{stderr}");
    assert!(dir
        .path()
        .join("demo/out/subgroup_effects.parquet")
        .is_file());
}

/// `tailor run -c` ends with the demo's findings summary, and its count of
/// exploratory interaction tests is the table's (hidden tests included).
#[test]
fn run_prints_the_findings_with_the_tables_counts() {
    let dir = common::temp_dir();
    common::run_expect(
        common::tailor(dir.path()).args(["demo", "-q", "-o", "demo", "--samples", "300"]),
        0,
    );
    let output = common::run_expect(
        common::tailor(dir.path()).args(["run", "-q", "-c", "demo/tailor.toml"]),
        0,
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("Confirmatory findings"), "{stdout}");
    assert!(!stdout.contains("favours_"), "{stdout}");
    let table =
        tailor_tables::read_table(&dir.path().join("demo/out/subgroup_effects.parquet")).unwrap();
    let mut exploratory = std::collections::BTreeSet::new();
    for batch in &table.batches {
        let s = |name| common::column::<StringArray>(batch, name);
        let (gene, kind, contrast, outcome, family) = (
            s(col::GENE),
            s(col::CONTRAST_KIND),
            s(col::CONTRAST),
            s(col::OUTCOME),
            s(col::FAMILY),
        );
        for i in 0..batch.num_rows() {
            if kind.value(i) == "therapy_vs_comparator" && family.value(i) == "exploratory" {
                exploratory.insert((gene.value(i), contrast.value(i), outcome.value(i)));
            }
        }
    }
    assert!(!exploratory.is_empty());
    let line = format!(
        "Exploratory family: {} gene x contrast x outcome interaction tests",
        exploratory.len()
    );
    assert!(stdout.contains(&line), "{line}\n{stdout}");
    assert!(stdout.contains("Tables: "), "{stdout}");
}

/// Issue 13 item 7: on the demo cohort with phenotype grouping, every
/// CYP2C19 row but Intermediate was suppressed and no interaction p or q
/// was shown. Small subgroups now merge into their neighbour toward Normal
/// per outcome: for mace, `Normal+Rapid+Ultrarapid` and `Intermediate+Poor`
/// (Poor has 6 events on ticagrelor); for platelet reactivity (no events
/// to hide) Normal, Intermediate and Poor each stand alone; nothing of the
/// gene is suppressed and the interaction tests show p and q.
#[test]
fn demo_with_phenotype_grouping_shows_cyp2c19_subgroups() {
    use arrow_array::{BooleanArray, Int64Array};
    use tailor_schemas::subgroup_rates as rates;
    let dir = common::temp_dir();
    common::run_expect(
        common::tailor(dir.path()).args(["demo", "-q", "-o", "demo"]),
        0,
    );
    let config = std::fs::read_to_string(dir.path().join("demo/tailor.toml")).unwrap();
    let phenotype = config.replace("grouping = \"carrier\"", "grouping = \"phenotype\"");
    assert_ne!(config, phenotype);
    std::fs::write(dir.path().join("phenotype.toml"), phenotype).unwrap();
    common::run_expect(
        common::tailor(dir.path()).args([
            "estimate",
            "-q",
            "--config",
            "phenotype.toml",
            "-o",
            "pheno",
            "demo/out/cohort.parquet",
        ]),
        0,
    );
    let table =
        tailor_tables::read_table(&dir.path().join("pheno/subgroup_rates.parquet")).unwrap();
    let mut shown = Vec::new();
    for batch in &table.batches {
        let s = |name| common::column::<StringArray>(batch, name);
        let (gene, subgroup, therapy, outcome) = (
            s(rates::GENE),
            s(rates::SUBGROUP),
            s(rates::THERAPY),
            s(rates::OUTCOME),
        );
        let n = common::column::<Int64Array>(batch, rates::N);
        let events = common::column::<Int64Array>(batch, rates::EVENTS);
        let suppressed = common::column::<BooleanArray>(batch, rates::SUPPRESSED);
        for i in 0..batch.num_rows() {
            if gene.value(i) == "CYP2C19" && therapy.value(i) == "clopidogrel" {
                assert!(!suppressed.value(i), "{} suppressed", subgroup.value(i));
                shown.push((
                    outcome.value(i).to_owned(),
                    subgroup.value(i).to_owned(),
                    n.value(i),
                    (!events.is_null(i)).then(|| events.value(i)),
                ));
            }
        }
    }
    let row = |o: &str, s: &str, n: i64, e: Option<i64>| (o.to_owned(), s.to_owned(), n, e);
    for expected in [
        row("mace", "Normal+Rapid+Ultrarapid Metabolizer", 761, Some(56)),
        row("mace", "Intermediate+Poor Metabolizer", 555, Some(156)),
        row("platelet_reactivity", "Ultrarapid Metabolizer", 23, None),
        row("platelet_reactivity", "Normal Metabolizer", 465, None),
        row("platelet_reactivity", "Intermediate Metabolizer", 457, None),
        row("platelet_reactivity", "Poor Metabolizer", 86, None),
    ] {
        assert!(shown.contains(&expected), "{expected:?} not in {shown:?}");
    }
    let effects = dir.path().join("pheno/subgroup_effects.parquet");
    let mace = interaction_q(&effects, "CYP2C19", "mace");
    assert!(!mace.is_empty());
    for (family, q) in &mace {
        assert_eq!(family, "confirmatory");
        assert!((q - 3.774329e-4).abs() < 1e-6, "mace q {q}");
    }
    let reactivity = interaction_q(&effects, "CYP2C19", "platelet_reactivity");
    assert!(!reactivity.is_empty());
    assert!(reactivity.iter().all(|(_, q)| *q < 1e-40), "{reactivity:?}");
}
