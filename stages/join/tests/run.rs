//! `tailor_join::run` on small tables: exact (unmasked) counts from the
//! returned summary, episodes, sample maps, strictness and gene selection.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::builder::{Float64Builder, ListBuilder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use tailor_join::{run, Error, Inputs, JoinConfig, Options, WarningKind};
use tailor_tables::{read_table, TableMetadata, TableWriter};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data/join")
        .join(name)
}

/// A calls table with the columns the join reads: (sample, gene, diplotype,
/// flags) rows.
fn write_calls(dir: &Path, rows: &[(&str, &str, Option<&str>, &[&str])]) -> PathBuf {
    let item = Field::new("item", DataType::Utf8, false);
    let schema = Arc::new(Schema::new(vec![
        Field::new("sample_id", DataType::Utf8, false),
        Field::new("gene", DataType::Utf8, false),
        Field::new("diplotype", DataType::Utf8, true),
        Field::new("phenotype", DataType::Utf8, true),
        Field::new("activity_score", DataType::Float64, true),
        Field::new("flags", DataType::List(Arc::new(item.clone())), false),
        Field::new("source", DataType::Utf8, false),
    ]));
    let mut sample = StringBuilder::new();
    let mut gene = StringBuilder::new();
    let mut diplotype = StringBuilder::new();
    let mut phenotype = StringBuilder::new();
    let mut activity = Float64Builder::new();
    let mut flags = ListBuilder::new(StringBuilder::new()).with_field(item);
    let mut source = StringBuilder::new();
    for (s, g, d, f) in rows {
        sample.append_value(s);
        gene.append_value(g);
        diplotype.append_option(*d);
        phenotype.append_option(d.map(|_| "Normal Metabolizer"));
        activity.append_option(d.map(|_| 2.0));
        for flag in *f {
            flags.values().append_value(flag);
        }
        flags.append(true);
        source.append_value("vcf");
    }
    let columns: Vec<ArrayRef> = vec![
        Arc::new(sample.finish()),
        Arc::new(gene.finish()),
        Arc::new(diplotype.finish()),
        Arc::new(phenotype.finish()),
        Arc::new(activity.finish()),
        Arc::new(flags.finish()),
        Arc::new(source.finish()),
    ];
    let path = dir.join("calls.parquet");
    let batch = RecordBatch::try_new(schema.clone(), columns).unwrap();
    let mut writer = TableWriter::create(&path, schema, &TableMetadata::new("calls", 1)).unwrap();
    writer.write(&batch).unwrap();
    writer.finish().unwrap();
    path
}

fn messy_calls(dir: &Path) -> PathBuf {
    let mut rows = Vec::new();
    for id in [
        "PT-001", "PT-002", "PT-003", "PT-004", "PT-005", "PT-006", "PT-007", "PT-008", "PT-012",
    ] {
        rows.push((id, "CYP2C19", Some("*1/*1"), &[][..]));
    }
    write_calls(dir, &rows)
}

fn messy_config() -> JoinConfig {
    let text = std::fs::read_to_string(data("messy.toml")).unwrap();
    let mut table: toml::Table = toml::from_str(&text).unwrap();
    table.remove("join").unwrap().try_into().unwrap()
}

fn count(report: &tailor_join::JoinReport, kind: WarningKind) -> u64 {
    report
        .warnings
        .iter()
        .filter(|w| w.kind == kind)
        .map(|w| w.count)
        .sum()
}

#[test]
fn every_clinical_row_is_accounted_for() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = Inputs {
        calls: messy_calls(dir.path()),
        clinical: vec![data("clinical_messy.csv")],
    };
    let summary = run(
        &Options::new(messy_config()),
        &inputs,
        &dir.path().join("out"),
    )
    .unwrap();
    let report = &summary.report;
    assert_eq!(report.clinical_rows(), 12);
    assert_eq!(report.cohort.rows, 7);
    assert_eq!(report.excluded_rows(), 5);
    assert_eq!(
        report.clinical_rows(),
        report.cohort.rows + report.excluded_rows() + report.cohort.merged_rows
    );
    assert_eq!(count(report, WarningKind::DuplicateRows), 1);
    assert_eq!(count(report, WarningKind::ConflictingDuplicates), 2);
    assert_eq!(count(report, WarningKind::ClinicalWithoutGenotypes), 1);
    assert_eq!(count(report, WarningKind::MissingPatientId), 1);
    assert_eq!(count(report, WarningKind::GenotypedWithoutClinical), 1);
    assert_eq!(count(report, WarningKind::MissingTherapy), 1);
    assert_eq!(count(report, WarningKind::MissingOutcome), 3);
    assert_eq!(report.clinical[0].blank_rows, 1);
    assert_eq!(report.genes[0].called, 7);
    // The printed summary masks small counts.
    let printed = summary.report.to_string();
    assert!(printed.contains("<11 cohort rows"), "{printed}");
}

#[test]
fn episodes_give_one_row_each_and_missing_episodes_are_excluded() {
    let dir = tempfile::tempdir().unwrap();
    let clinical = dir.path().join("episodes.tsv");
    std::fs::write(
        &clinical,
        "id\tvisit\tdrug\nS1\t1\ta\nS1\t2\tb\nS1\tNA\tc\nS2\t1\ta\nS2\t1\ta\n",
    )
    .unwrap();
    let calls = write_calls(
        dir.path(),
        &[
            ("S1", "CYP2C19", Some("*1/*1"), &[]),
            ("S2", "CYP2C19", None, &["no_call"]),
        ],
    );
    let mut config = JoinConfig::new("id", "drug");
    config.episode_id = Some("visit".into());
    let inputs = Inputs {
        calls,
        clinical: vec![clinical],
    };
    let summary = run(&Options::new(config), &inputs, &dir.path().join("out")).unwrap();
    assert_eq!(summary.report.cohort.rows, 3);
    assert_eq!(summary.report.cohort.patients, 2);
    assert_eq!(count(&summary.report, WarningKind::MissingEpisodeId), 1);
    assert_eq!(count(&summary.report, WarningKind::DuplicateRows), 1);
    assert_eq!(summary.report.genes[0].no_call, 1);
    let table = read_table(&summary.cohort).unwrap();
    assert_eq!(table.num_rows(), 3);
}

#[test]
fn a_patient_with_two_genotyped_samples_is_excluded() {
    let dir = tempfile::tempdir().unwrap();
    let map = dir.path().join("map.csv");
    std::fs::write(&map, "vcf,patient\nA1,P1\nA2,P1\nB1,P2\n").unwrap();
    let clinical = dir.path().join("c.csv");
    std::fs::write(&clinical, "patient,drug\nP1,a\nP2,b\n").unwrap();
    let calls = write_calls(
        dir.path(),
        &[
            ("A1", "CYP2C19", Some("*1/*1"), &[]),
            ("A2", "CYP2C19", Some("*1/*2"), &[]),
            ("B1", "CYP2C19", Some("*1/*1"), &[]),
            ("C1", "CYP2C19", Some("*1/*1"), &[]),
        ],
    );
    let mut config = JoinConfig::new("patient", "drug");
    config.sample_map = Some(tailor_join::SampleMapConfig {
        path: map,
        sample_column: "vcf".into(),
        patient_column: "patient".into(),
    });
    let inputs = Inputs {
        calls,
        clinical: vec![clinical],
    };
    let summary = run(&Options::new(config), &inputs, &dir.path().join("out")).unwrap();
    assert_eq!(summary.report.cohort.rows, 1);
    assert_eq!(
        count(&summary.report, WarningKind::SeveralSamplesPerPatient),
        1
    );
    assert_eq!(count(&summary.report, WarningKind::SamplesNotInMap), 1);
}

#[test]
fn strict_fails_after_writing_the_report_only() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = Inputs {
        calls: messy_calls(dir.path()),
        clinical: vec![data("clinical_messy.csv")],
    };
    let out = dir.path().join("out");
    let err = run(&Options::new(messy_config()).strict(true), &inputs, &out).unwrap_err();
    assert!(matches!(err, Error::Strict { .. }), "{err}");
    assert!(err.is_invalid_input());
    assert!(err.to_string().contains("clinical_messy.csv:12"), "{err}");
    assert!(out.join("join_report.json").exists());
    assert!(!out.join("cohort.parquet").exists());
}

#[test]
fn configured_genes_choose_and_order_the_wide_columns() {
    let dir = tempfile::tempdir().unwrap();
    let clinical = dir.path().join("c.csv");
    std::fs::write(&clinical, "id,drug,sex\nS1,a,F\n").unwrap();
    let calls = write_calls(
        dir.path(),
        &[
            ("S1", "CYP2C19", Some("*1/*1"), &[]),
            ("S1", "CYP2C9", Some("*1/*1"), &[]),
        ],
    );
    let mut config = JoinConfig::new("id", "drug");
    config.genes = Some(vec!["DPYD".into(), "CYP2C19".into()]);
    config.covariates.push(tailor_join::CovariateConfig {
        name: "sex".into(),
        kind: None,
        column: None,
        reference: Some("M".into()),
        bands: None,
        band_values: Default::default(),
    });
    let inputs = Inputs {
        calls,
        clinical: vec![clinical],
    };
    let summary = run(&Options::new(config), &inputs, &dir.path().join("out")).unwrap();
    let table = read_table(&summary.cohort).unwrap();
    let names: Vec<&str> = table
        .schema
        .fields()
        .iter()
        .map(|f| f.name().as_str())
        .collect();
    assert_eq!(names[4], "DPYD_phenotype");
    assert_eq!(names[9], "CYP2C19_phenotype");
    assert!(!names.iter().any(|n| n.starts_with("CYP2C9_")));
    assert_eq!(summary.report.genes[0].not_in_calls, 1);
    assert_eq!(count(&summary.report, WarningKind::ReferenceLevelAbsent), 1);
}

#[test]
fn calls_of_another_table_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let clinical = dir.path().join("c.csv");
    std::fs::write(&clinical, "id,drug\nS1,a\n").unwrap();
    let inputs = Inputs {
        calls: clinical.clone(),
        clinical: vec![clinical],
    };
    let err = run(
        &Options::new(JoinConfig::new("id", "drug")),
        &inputs,
        dir.path(),
    )
    .unwrap_err();
    assert!(err.is_invalid_input(), "{err}");
    assert!(err.to_string().contains("c.csv"), "{err}");
}
