//! Benjamini-Hochberg q-values after small-cell suppression (issue 10,
//! item 7): on the demo cohort no visible interaction q equals a
//! suppressed test's p-value, and each visible q is BH over the visible
//! tests of its family x outcome only (schemas/README.md). The hidden
//! p-values are recomputed from cohort.parquet by `tailor estimate` with
//! suppression off.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use arrow_array::{Array, Float64Array, StringArray};
use tailor_schemas::subgroup_effects as col;

/// gene, therapy, comparator, outcome.
type TestKey = (String, String, String, String);
/// family, outcome.
type FamilyKey = (String, String);

/// Interaction tests shown in `effects`: key -> (family, p, q).
fn interaction_tests(effects: &Path) -> BTreeMap<TestKey, (String, f64, Option<f64>)> {
    let table = tailor_tables::read_table(effects).unwrap();
    let mut tests = BTreeMap::new();
    for batch in &table.batches {
        let s = |name| common::column::<StringArray>(batch, name);
        let f = |name| common::column::<Float64Array>(batch, name);
        let (gene, therapy, comparator, outcome, family) = (
            s(col::GENE),
            s(col::THERAPY),
            s(col::COMPARATOR),
            s(col::OUTCOME),
            s(col::FAMILY),
        );
        let (p, q) = (f(col::INTERACTION_P), f(col::INTERACTION_Q));
        for i in 0..batch.num_rows() {
            if p.is_null(i) || comparator.is_null(i) {
                continue;
            }
            let key = (
                gene.value(i).to_owned(),
                therapy.value(i).to_owned(),
                comparator.value(i).to_owned(),
                outcome.value(i).to_owned(),
            );
            let value = (
                family.value(i).to_owned(),
                p.value(i),
                (!q.is_null(i)).then(|| q.value(i)),
            );
            if let Some(seen) = tests.insert(key.clone(), value.clone()) {
                assert_eq!(seen, value, "{key:?} shown twice with different values");
            }
        }
    }
    tests
}

/// BH q-values (statsmodels `fdr_bh`), in input order.
fn bh(p: &[f64]) -> Vec<f64> {
    let m = p.len() as f64;
    let mut order: Vec<usize> = (0..p.len()).collect();
    order.sort_by(|&a, &b| p[a].total_cmp(&p[b]));
    let mut q = vec![0.0; p.len()];
    let mut running = 1.0f64;
    for (rank, &i) in order.iter().enumerate().rev() {
        running = running.min(p[i] * m / (rank as f64 + 1.0)).min(1.0);
        q[i] = running;
    }
    q
}

#[test]
fn no_visible_q_equals_a_hidden_p_on_the_demo_cohort() {
    let dir = common::temp_dir();
    common::run_expect(
        common::tailor(dir.path()).args(["demo", "-q", "-o", "demo"]),
        0,
    );
    // Small subgroups kept apart (not merged into their neighbours), so
    // that suppression hides tests and both runs have the same subgroups.
    let config = std::fs::read_to_string(dir.path().join("demo/tailor.toml")).unwrap();
    for (name, settings) in [
        ("shown", "merge_small_subgroups = false\n"),
        (
            "all",
            "merge_small_subgroups = false\nsuppression_threshold = 0\n",
        ),
    ] {
        let changed = config.replace("[estimate]\n", &format!("[estimate]\n{settings}"));
        assert_ne!(config, changed);
        std::fs::write(dir.path().join(format!("{name}.toml")), changed).unwrap();
        common::run_expect(
            common::tailor(dir.path()).args([
                "estimate",
                "-q",
                "--config",
                &format!("{name}.toml"),
                "-o",
                name,
                "demo/out/cohort.parquet",
            ]),
            0,
        );
    }
    let shown = interaction_tests(&dir.path().join("shown/subgroup_effects.parquet"));
    let all = interaction_tests(&dir.path().join("all/subgroup_effects.parquet"));
    let hidden: Vec<f64> = all
        .iter()
        .filter(|(key, _)| !shown.contains_key(*key))
        .map(|(_, (_, p, _))| *p)
        .collect();
    assert!(!hidden.is_empty(), "the demo hides no interaction test");
    eprintln!("{} of {} interaction tests shown", shown.len(), all.len());
    assert!(shown.len() >= 6, "{} tests shown", shown.len());
    for (key, (_, p, q)) in &shown {
        assert_eq!(all[key].1, *p, "{key:?}: p changed with suppression");
        let q = q.unwrap_or_else(|| panic!("{key:?}: p shown without q"));
        for h in &hidden {
            assert!(
                (q - h).abs() > 1e-12,
                "{key:?}: visible q {q} equals a hidden p"
            );
        }
    }
    // The rule this replaces, BH over every test of the family x outcome
    // hidden ones included, leaks on this cohort: the step-up minimum of a
    // visible test lands on a hidden test's p (issue 10: CYP2B6's q was
    // CYP2C9's hidden p in the exploratory bleeding family).
    let mut everything: BTreeMap<FamilyKey, Vec<(&TestKey, f64)>> = BTreeMap::new();
    for (key, (family, p, _)) in &all {
        everything
            .entry((family.clone(), key.3.clone()))
            .or_default()
            .push((key, *p));
    }
    let mut leaks = 0;
    for tests in everything.values() {
        let p: Vec<f64> = tests.iter().map(|t| t.1).collect();
        for ((key, _), old_q) in tests.iter().zip(bh(&p)) {
            if shown.contains_key(*key) && hidden.iter().any(|h| (old_q - h).abs() <= 1e-12) {
                leaks += 1;
            }
        }
    }
    eprintln!("BH over all tests would show {leaks} hidden p-values as visible q-values");
    assert!(leaks > 0, "the old rule would not leak on this cohort");
    // Each visible q is BH over the visible tests of its family x outcome.
    let mut families: BTreeMap<FamilyKey, Vec<(&TestKey, f64, f64)>> = BTreeMap::new();
    for (key, (family, p, q)) in &shown {
        families
            .entry((family.clone(), key.3.clone()))
            .or_default()
            .push((key, *p, q.unwrap_or(f64::NAN)));
    }
    for (family, tests) in &families {
        let p: Vec<f64> = tests.iter().map(|t| t.1).collect();
        for ((key, _, q), expected) in tests.iter().zip(bh(&p)) {
            assert!(
                (q - expected).abs() < 1e-12,
                "{family:?} {key:?}: q {q}, BH over visible tests {expected}"
            );
        }
    }
}
