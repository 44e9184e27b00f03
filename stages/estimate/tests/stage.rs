//! The stage end to end through `tailor_estimate::run`, on cohorts built
//! here (arrow + tailor-tables, the contract of `schemas::cohort`):
//! degenerate data gives documented statuses, never a panic or a bare NaN;
//! small-cell suppression resists the named attacks.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use arrow_array::builder::{ListBuilder, StringBuilder};
use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int64Type};
use arrow_array::{Array, ArrayRef, BooleanArray, Float64Array, RecordBatch, StringArray};
use tailor_schemas::cohort::{
    self, CohortRoles, CovariateKind, CovariateRole, OutcomeKind, OutcomeRole,
};
use tailor_tables::{read_table, TableMetadata, TableWriter};

mod rng;

use rng::Rng;

/// One episode of the test cohort.
#[derive(Clone)]
struct Episode {
    patient: String,
    therapy: &'static str,
    mace: bool,
    ldl: f64,
    time: f64,
    event: bool,
    age: f64,
    sex: &'static str,
    /// Phenotype per gene (CYP2C19, CYP2C9).
    pheno: [Option<&'static str>; 2],
}

const GENES: [&str; 2] = ["CYP2C19", "CYP2C9"];

fn roles() -> CohortRoles {
    CohortRoles {
        outcomes: vec![
            OutcomeRole {
                name: "mace".into(),
                kind: OutcomeKind::Binary,
                higher_is_better: false,
                unit: None,
            },
            OutcomeRole {
                name: "ldl".into(),
                kind: OutcomeKind::Continuous,
                higher_is_better: false,
                unit: None,
            },
            OutcomeRole {
                name: "death".into(),
                kind: OutcomeKind::TimeToEvent,
                higher_is_better: false,
                unit: None,
            },
        ],
        covariates: vec![
            CovariateRole {
                name: "age".into(),
                kind: CovariateKind::Numeric,
                reference: None,
            },
            CovariateRole {
                name: "sex".into(),
                kind: CovariateKind::Categorical,
                reference: Some("F".into()),
            },
            CovariateRole {
                name: "age2".into(),
                kind: CovariateKind::Numeric,
                reference: None,
            },
        ],
        genes: GENES.iter().map(|g| (*g).to_owned()).collect(),
    }
}

fn write_cohort(path: &Path, episodes: &[Episode]) {
    let roles = roles();
    let schema = cohort::schema(&roles);
    let strings = |f: &dyn Fn(&Episode) -> Option<String>| -> ArrayRef {
        Arc::new(StringArray::from(
            episodes.iter().map(f).collect::<Vec<_>>(),
        ))
    };
    let floats = |f: &dyn Fn(&Episode) -> Option<f64>| -> ArrayRef {
        Arc::new(Float64Array::from(
            episodes.iter().map(f).collect::<Vec<_>>(),
        ))
    };
    let bools = |f: &dyn Fn(&Episode) -> Option<bool>| -> ArrayRef {
        Arc::new(BooleanArray::from(
            episodes.iter().map(f).collect::<Vec<_>>(),
        ))
    };
    let mut columns: Vec<ArrayRef> = vec![
        strings(&|e| Some(e.patient.clone())),
        strings(&|_| None),
        strings(&|e| Some(e.therapy.to_owned())),
        bools(&|e| Some(e.mace)),
        floats(&|e| Some(e.ldl)),
        floats(&|e| Some(e.time)),
        bools(&|e| Some(e.event)),
        floats(&|e| Some(e.age)),
        strings(&|e| Some(e.sex.to_owned())),
        floats(&|e| Some(2.0 * e.age)),
    ];
    for g in 0..GENES.len() {
        columns.push(strings(&|e| e.pheno[g].map(str::to_owned)));
        columns.push(strings(&|_| None));
        columns.push(floats(&|_| None));
        let field = Arc::new(arrow_schema::Field::new(
            "item",
            arrow_schema::DataType::Utf8,
            false,
        ));
        let mut flags = ListBuilder::new(StringBuilder::new()).with_field(field);
        for e in episodes {
            if e.pheno[g].is_none() {
                flags.values().append_value("no_call");
            }
            flags.append(true);
        }
        columns.push(Arc::new(flags.finish()));
        columns.push(strings(&|_| Some("vcf".to_owned())));
    }
    let batch = RecordBatch::try_new(schema.clone(), columns).expect("valid batch");
    let mut meta = TableMetadata::new(cohort::TABLE, cohort::SCHEMA_VERSION);
    meta.extra.push((
        cohort::ROLES_KEY.to_owned(),
        serde_json::to_string(&roles).expect("json"),
    ));
    let mut w = TableWriter::create(path, schema, &meta).expect("create");
    w.write(&batch).expect("write");
    w.finish().expect("finish");
}

const PHENOS: [&str; 3] = [
    "Normal Metabolizer",
    "Intermediate Metabolizer",
    "Poor Metabolizer",
];

fn random_cohort(seed: u64, n: usize) -> Vec<Episode> {
    let mut rng = Rng(seed);
    (0..n)
        .map(|i| {
            let therapy =
                ["clopidogrel", "ticagrelor", "prasugrel"][(rng.uniform() * 3.0) as usize % 3];
            let pick = |u: f64| {
                if u < 0.55 {
                    PHENOS[0]
                } else if u < 0.9 {
                    PHENOS[1]
                } else {
                    PHENOS[2]
                }
            };
            let p1 = pick(rng.uniform());
            let p2 = if rng.uniform() < 0.05 {
                None
            } else {
                Some(pick(rng.uniform()))
            };
            let age = 40.0 + 40.0 * rng.uniform();
            Episode {
                patient: format!("p{i}"),
                therapy,
                mace: rng.uniform() < 0.3,
                ldl: 100.0 + 20.0 * rng.uniform(),
                time: (1.0 + 300.0 * rng.uniform()).round(),
                event: rng.uniform() < 0.4,
                age,
                sex: if rng.uniform() < 0.5 { "F" } else { "M" },
                pheno: [Some(p1), p2],
            }
        })
        .collect()
}

struct Out {
    rates: RecordBatch,
    effects: RecordBatch,
}

fn run(
    episodes: &[Episode],
    options: &tailor_estimate::Options,
) -> (Out, tailor_estimate::Summary) {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("cohort.parquet");
    write_cohort(&input, episodes);
    let summary = tailor_estimate::run(options, &input, dir.path()).expect("run succeeds");
    let read = |name: &str| {
        let t = read_table(&dir.path().join(name)).expect("readable");
        arrow_select_concat(&t.batches, t.schema.clone())
    };
    (
        Out {
            rates: read("subgroup_rates.parquet"),
            effects: read("subgroup_effects.parquet"),
        },
        summary,
    )
}

fn arrow_select_concat(batches: &[RecordBatch], schema: arrow_schema::SchemaRef) -> RecordBatch {
    match batches {
        [one] => one.clone(),
        [] => RecordBatch::new_empty(schema),
        _ => panic!("tests expect one batch"),
    }
}

fn str_col<'a>(b: &'a RecordBatch, name: &str) -> &'a StringArray {
    b.column_by_name(name).expect("column").as_string::<i32>()
}
fn f64_col<'a>(b: &'a RecordBatch, name: &str) -> &'a Float64Array {
    b.column_by_name(name)
        .expect("column")
        .as_primitive::<Float64Type>()
}
fn bool_col<'a>(b: &'a RecordBatch, name: &str) -> &'a BooleanArray {
    b.column_by_name(name).expect("column").as_boolean()
}
fn opt_i64(b: &RecordBatch, name: &str, i: usize) -> Option<i64> {
    let a = b
        .column_by_name(name)
        .expect("column")
        .as_primitive::<Int64Type>();
    a.is_valid(i).then(|| a.value(i))
}

/// `run` against ticagrelor, adjusted for age and sex, without
/// suppression; the output has no silent NaN.
fn run_adjusted(episodes: &[Episode]) -> Out {
    let options = tailor_estimate::Options::builder()
        .comparator("ticagrelor")
        .covariates(vec!["age".into(), "sex".into()])
        .suppression_threshold(0)
        .build();
    let (out, _) = run(episodes, &options);
    assert_no_silent_nan(&out);
    out
}

/// Every float is finite or null, and estimates exist exactly when the
/// status says so.
fn assert_no_silent_nan(out: &Out) {
    for batch in [&out.rates, &out.effects] {
        for col in batch.columns() {
            if let Some(f) = col.as_primitive_opt::<Float64Type>() {
                assert!(
                    f.iter().flatten().all(f64::is_finite),
                    "non-finite value written"
                );
            }
        }
    }
    let e = &out.effects;
    let status = str_col(e, "status");
    let effect = f64_col(e, "effect");
    let suppressed = bool_col(e, "suppressed");
    for i in 0..e.num_rows() {
        if suppressed.value(i) {
            continue;
        }
        let with_estimate = matches!(status.value(i), "ok" | "firth" | "collinear_dropped");
        assert_eq!(
            effect.is_valid(i),
            with_estimate,
            "row {i} status {} effect valid {}",
            status.value(i),
            effect.is_valid(i)
        );
    }
}

#[test]
fn degenerate_data_gets_statuses() {
    let mut episodes = random_cohort(1, 240);
    // All events for Poor Metabolizers on clopidogrel (separation).
    for e in &mut episodes {
        if e.therapy == "clopidogrel" && e.pheno[0] == Some(PHENOS[2]) {
            e.mace = true;
        }
    }
    // A therapy with one patient.
    episodes.push(Episode {
        therapy: "warfarin",
        patient: "w1".into(),
        ..episodes[0].clone()
    });
    let options = tailor_estimate::Options::builder()
        .comparator("ticagrelor")
        .covariates(vec!["age".into(), "sex".into(), "age2".into()])
        .suppression_threshold(0)
        .km_horizon(100.0)
        .build();
    let (out, summary) = run(&episodes, &options);
    assert_no_silent_nan(&out);
    let status = str_col(&out.effects, "status");
    let statuses: std::collections::BTreeSet<&str> =
        (0..status.len()).map(|i| status.value(i)).collect();
    assert!(statuses.contains("collinear_dropped"), "{statuses:?}"); // age2 = 2 age
    assert!(
        statuses.contains("empty") || statuses.contains("too_few"),
        "{statuses:?}"
    ); // warfarin
    assert_eq!(summary.warnings.len(), 1, "threshold 0 warns");
    let no_calls = summary
        .excluded
        .get("CYP2C9")
        .and_then(|r| r.get("no_call"))
        .copied();
    assert!(no_calls.unwrap_or(0) > 0, "no calls are counted");

    // One patient, and an empty cohort: no panic.
    let (out, _) = run(&episodes[..1], &tailor_estimate::Options::default());
    assert_no_silent_nan(&out);
    let (out, _) = run(&[], &tailor_estimate::Options::default());
    assert_eq!(out.rates.num_rows(), 0);

    // No events at all in a time-to-event outcome.
    let mut none = random_cohort(5, 120);
    for e in &mut none {
        e.event = false;
    }
    let (out, _) = run(
        &none,
        &tailor_estimate::Options::builder()
            .suppression_threshold(0)
            .build(),
    );
    assert_no_silent_nan(&out);
    let status = str_col(&out.effects, "status");
    let outcome = str_col(&out.effects, "outcome");
    assert!((0..status.len())
        .filter(|&i| outcome.value(i) == "death")
        .all(|i| status.value(i) == "no_events"));
}

#[test]
fn suppression_resists_named_attacks() {
    let k = 10i64;
    let episodes = random_cohort(2, 260);
    let (out, summary) = run(
        &episodes,
        &tailor_estimate::Options::builder()
            .km_horizon(100.0)
            .merge_small_subgroups(false)
            .build(),
    );
    assert!(summary.suppressed_rates > 0, "the cohort has small cells");
    assert_no_silent_nan(&out);
    let r = &out.rates;
    let gene = str_col(r, "gene");
    let sub = str_col(r, "subgroup");
    let therapy = str_col(r, "therapy");
    let outcome = str_col(r, "outcome");
    let suppressed = bool_col(r, "suppressed");
    let small = |v: i64| (1..=k).contains(&v);

    // The attacker knows the true counts of every cell from the cohort, to
    // measure what differencing could recover.
    let mut truth: HashMap<(String, String, String, String), (i64, i64)> = HashMap::new();
    for e in &episodes {
        for (g, gname) in GENES.iter().enumerate() {
            if let Some(p) = e.pheno[g] {
                for o in ["mace", "ldl", "death"] {
                    let ev = match o {
                        "mace" => i64::from(e.mace),
                        "death" => i64::from(e.event),
                        _ => 0,
                    };
                    let c = truth
                        .entry(((*gname).into(), p.into(), e.therapy.into(), o.into()))
                        .or_default();
                    c.0 += 1;
                    c.1 += ev;
                }
            }
        }
    }
    // Attack 1: a suppressed row's statistics are all null.
    for i in 0..r.num_rows() {
        if suppressed.value(i) {
            for col in r.columns() {
                if col.data_type() == &arrow_schema::DataType::Float64
                    || col.data_type() == &arrow_schema::DataType::Int64
                {
                    let name_is_level = col.len() == r.num_rows()
                        && f64_col_opt(col).is_some_and(|f| f.value(i) == 0.95);
                    if !name_is_level {
                        assert!(col.is_null(i), "suppressed row {i} shows a number");
                    }
                }
            }
        } else {
            // Attack 2: inverting a shown rate CI yields n and events, which are shown anyway and outside 1..k.
            let n = opt_i64(r, "n", i).expect("shown n");
            assert!(!small(n));
            if let Some(ev) = opt_i64(r, "events", i) {
                assert!(!small(ev) && !small(n - ev));
            }
        }
    }
    // Attack 3: differencing within the table along each margin (therapy
    // total over subgroups — which also covers another gene revealing the
    // same therapy total — and subgroup total over therapies).
    for by_therapy in [true, false] {
        let mut lines: HashMap<(String, String, String), Vec<usize>> = HashMap::new();
        for i in 0..r.num_rows() {
            let line = if by_therapy {
                therapy.value(i)
            } else {
                sub.value(i)
            };
            lines
                .entry((gene.value(i).into(), outcome.value(i).into(), line.into()))
                .or_default()
                .push(i);
        }
        for rows in lines.values() {
            let hidden: Vec<usize> = rows
                .iter()
                .copied()
                .filter(|&i| suppressed.value(i))
                .collect();
            let key = |i: usize| {
                (
                    gene.value(i).to_owned(),
                    sub.value(i).to_owned(),
                    therapy.value(i).to_owned(),
                    outcome.value(i).to_owned(),
                )
            };
            let hidden_n: i64 = hidden
                .iter()
                .map(|&i| truth.get(&key(i)).map_or(0, |c| c.0))
                .sum();
            let hidden_e: i64 = hidden
                .iter()
                .map(|&i| truth.get(&key(i)).map_or(0, |c| c.1))
                .sum();
            let nonzero = hidden
                .iter()
                .filter(|&&i| truth.get(&key(i)).is_some_and(|c| c.0 > 0))
                .count();
            assert!(
                nonzero != 1,
                "a single hidden cell is recoverable by differencing"
            );
            let shown_nonzero = rows
                .iter()
                .filter(|&&i| !suppressed.value(i) && truth.get(&key(i)).is_some_and(|c| c.0 > 0))
                .count();
            if shown_nonzero == 0 {
                // Every cell hidden: differencing yields only the margin itself.
                continue;
            }
            assert!(!small(hidden_n), "hidden total {hidden_n} recoverable");
            if outcome.value(rows[0]) != "ldl" {
                assert!(!small(hidden_e) && !small(hidden_n - hidden_e), "hidden events recoverable: n {hidden_n} events {hidden_e} cells {nonzero} of {}", rows.len());
            }
        }
    }
    // Attack 4: across tables — an effect row derived from a hidden cell is hidden.
    let e = &out.effects;
    let esup = bool_col(e, "suppressed");
    let hidden_cells: std::collections::HashSet<(String, String, String, String)> = (0..r
        .num_rows())
        .filter(|&i| suppressed.value(i))
        .map(|i| {
            (
                gene.value(i).into(),
                sub.value(i).into(),
                therapy.value(i).into(),
                outcome.value(i).into(),
            )
        })
        .collect();
    let (eg, es, et, ec, er, eo) = (
        str_col(e, "gene"),
        str_col(e, "subgroup"),
        str_col(e, "therapy"),
        str_col(e, "comparator"),
        str_col(e, "reference_subgroup"),
        str_col(e, "outcome"),
    );
    for i in 0..e.num_rows() {
        let arm2 = if ec.is_valid(i) {
            (
                eg.value(i).to_owned(),
                es.value(i).to_owned(),
                ec.value(i).to_owned(),
                eo.value(i).to_owned(),
            )
        } else {
            (
                eg.value(i).to_owned(),
                er.value(i).to_owned(),
                et.value(i).to_owned(),
                eo.value(i).to_owned(),
            )
        };
        let arm1 = (
            eg.value(i).to_owned(),
            es.value(i).to_owned(),
            et.value(i).to_owned(),
            eo.value(i).to_owned(),
        );
        if hidden_cells.contains(&arm1) || hidden_cells.contains(&arm2) {
            assert!(
                esup.value(i),
                "effect row {i} derived from a hidden cell is shown"
            );
            assert!(f64_col(e, "effect").is_null(i) && f64_col(e, "p_value").is_null(i));
            assert!(f64_col(e, "interaction_p").is_null(i));
        }
    }
}

fn f64_col_opt(col: &ArrayRef) -> Option<&Float64Array> {
    col.as_primitive_opt::<Float64Type>()
}

/// Regression (demo with `grouping = "phenotype"`): tiny CYP2C19 subgroups
/// (Likely Poor Metabolizer: one patient per arm, no event; Indeterminate:
/// one event, in one arm) made every adjusted logistic row of the gene
/// `not_converged`. The subgroup whose outcome does not vary is now left
/// out of the interaction model with a status, the rest are estimated
/// (Firth for the zero cell), and the LRT counts only the estimable
/// subgroups.
#[test]
fn phenotype_grouping_tiny_subgroups_converge() {
    let mut episodes = random_cohort(21, 900);
    let tiny = |i: usize, therapy: &'static str, pheno: &'static str, mace: bool| Episode {
        patient: format!("t{i}"),
        therapy,
        mace,
        pheno: [Some(pheno), Some(PHENOS[0])],
        age: 50.0 + i as f64,
        ..episodes[0].clone()
    };
    let mut extra = vec![
        tiny(0, "clopidogrel", "Likely Poor Metabolizer", false),
        tiny(1, "ticagrelor", "Likely Poor Metabolizer", false),
    ];
    for i in 0..5 {
        extra.push(tiny(10 + i, "clopidogrel", "Indeterminate", i == 0));
        extra.push(tiny(20 + i, "ticagrelor", "Indeterminate", false));
    }
    episodes.extend(extra);
    let out = run_adjusted(&episodes);
    let e = &out.effects;
    let (gene, outcome, therapy, kind) = (
        str_col(e, "gene"),
        str_col(e, "outcome"),
        str_col(e, "therapy"),
        str_col(e, "contrast_kind"),
    );
    let (subgroup, status, note) = (
        str_col(e, "subgroup"),
        str_col(e, "status"),
        str_col(e, "note"),
    );
    let adjusted = bool_col(e, "adjusted");
    let mut seen = 0;
    for i in 0..e.num_rows() {
        if gene.value(i) != "CYP2C19"
            || outcome.value(i) != "mace"
            || therapy.value(i) != "clopidogrel"
            || kind.value(i) != "therapy_vs_comparator"
            || !adjusted.value(i)
        {
            continue;
        }
        seen += 1;
        // The two Likely Poor Metabolizers count as Poor Metabolizers
        // (merge_likely, the default), so no subgroup of two stands alone.
        assert_ne!(subgroup.value(i), "Likely Poor Metabolizer");
        assert_eq!(status.value(i), "firth", "{}", subgroup.value(i));
        assert!(
            note.is_null(i) || note.value(i).is_empty(),
            "{}",
            note.value(i)
        );
        // NM, IM, PM, Indeterminate: 4 estimable subgroups.
        assert_eq!(opt_i64(e, "interaction_df", i), Some(3));
        assert_eq!(str_col(e, "interaction_method").value(i), "penalised_lrt");
    }
    assert_eq!(seen, 4);
    assert!((0..e.num_rows()).all(|i| status.value(i) != "not_converged"));
}

/// Cox with monotone likelihood: no deaths among Poor Metabolizers on
/// ticagrelor. Every Cox row of CYP2C19's clopidogrel interaction model and
/// the unadjusted Poor Metabolizer hazard ratio were `not_converged`; they
/// are Firth fits now (`cox_firth`, status `firth`, penalised LRT p, a
/// profile CI around a finite estimate, no PH test), the interaction test
/// is a penalised LRT, and the other unadjusted rows stay plain Cox. With
/// repeated episodes the Firth rows are not cluster-robust and say so.
#[test]
fn cox_monotone_likelihood_is_firth() {
    for repeated in [false, true] {
        let mut episodes = random_cohort(41, 600);
        for (i, e) in episodes.iter_mut().enumerate() {
            if e.pheno[0] == Some(PHENOS[2]) && e.therapy == "ticagrelor" {
                e.event = false;
            }
            if repeated {
                e.patient = format!("p{}", i / 2);
            }
        }
        let out = run_adjusted(&episodes);
        let e = &out.effects;
        let col = |name| str_col(e, name);
        let (estimate, low, high) = (
            f64_col(e, "effect"),
            f64_col(e, "ci_low"),
            f64_col(e, "ci_high"),
        );
        let (adjusted, robust) = (bool_col(e, "adjusted"), bool_col(e, "cluster_robust"));
        let mut firth = 0;
        for i in 0..e.num_rows() {
            assert_ne!(col("status").value(i), "not_converged", "row {i}");
            if col("gene").value(i) != "CYP2C19"
                || col("outcome").value(i) != "death"
                || col("contrast_kind").value(i) != "therapy_vs_comparator"
                || col("therapy").value(i) != "clopidogrel"
            {
                continue;
            }
            assert_eq!(col("interaction_method").value(i), "penalised_lrt");
            if !adjusted.value(i) && col("subgroup").value(i) != PHENOS[2] {
                assert_eq!(col("model").value(i), "cox_efron");
                assert_eq!(col("status").value(i), "ok");
                continue;
            }
            firth += 1;
            assert_eq!(col("model").value(i), "cox_firth");
            assert_eq!(col("status").value(i), "firth");
            assert_eq!(col("p_method").value(i), "penalised_lrt");
            assert!(low.value(i) < estimate.value(i) && estimate.value(i) < high.value(i));
            assert!(f64_col(e, "ph_test_p").is_null(i) && !robust.value(i));
            if repeated && adjusted.value(i) {
                assert_eq!(col("note").value(i), "episodes_not_independent");
            }
        }
        // three adjusted rows and the unadjusted Poor Metabolizer row
        assert_eq!(firth, 4, "repeated {repeated}");
    }
}
