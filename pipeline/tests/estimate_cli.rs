//! `tailor estimate` through the real binary: outputs, exit codes.

mod common;

use std::path::Path;
use std::sync::Arc;

use arrow_array::{ArrayRef, BooleanArray, Float64Array, ListArray, RecordBatch, StringArray};
use tailor_schemas::cohort::{self, CohortRoles, OutcomeKind, OutcomeRole};
use tailor_tables::{read_table, TableMetadata, TableWriter};

fn write_cohort(path: &Path, table_name: &str) {
    let roles = CohortRoles {
        outcomes: vec![OutcomeRole {
            name: "mace".into(),
            kind: OutcomeKind::Binary,
            higher_is_better: false,
            unit: None,
        }],
        covariates: Vec::new(),
        genes: vec!["CYP2C19".into()],
    };
    let schema = cohort::schema(&roles);
    let n = 400;
    let therapies = ["clopidogrel", "ticagrelor"];
    let phenos = [
        "Normal Metabolizer",
        "Intermediate Metabolizer",
        "Poor Metabolizer",
    ];
    let strings = |f: &dyn Fn(usize) -> Option<String>| -> ArrayRef {
        Arc::new(StringArray::from((0..n).map(f).collect::<Vec<_>>()))
    };
    let columns: Vec<ArrayRef> = vec![
        strings(&|i| Some(format!("p{i}"))),
        strings(&|_| None),
        strings(&|i| Some(therapies[i % 2].to_owned())),
        Arc::new(BooleanArray::from(
            (0..n)
                .map(|i| Some(i % 7 < 2 + (i % 3 == 2) as usize))
                .collect::<Vec<_>>(),
        )),
        strings(&|i| Some(phenos[(i / 2) % 3].to_owned())),
        strings(&|_| None),
        Arc::new(Float64Array::from(vec![None::<f64>; n])),
        Arc::new(ListArray::new_null(
            Arc::new(arrow_schema::Field::new(
                "item",
                arrow_schema::DataType::Utf8,
                false,
            )),
            n,
        )),
        strings(&|_| Some("vcf".to_owned())),
    ];
    let batch = RecordBatch::try_new(schema.clone(), columns).expect("batch");
    let mut meta = TableMetadata::new(table_name, cohort::SCHEMA_VERSION);
    meta.extra.push((
        cohort::ROLES_KEY.to_owned(),
        serde_json::to_string(&roles).expect("json"),
    ));
    let mut writer = TableWriter::create(path, schema, &meta).expect("create");
    writer.write(&batch).expect("write");
    writer.finish().expect("finish");
}

#[test]
fn estimate_writes_both_tables() {
    let dir = common::temp_dir();
    write_cohort(&dir.path().join("cohort.parquet"), "cohort");
    std::fs::write(
        dir.path().join("tailor.toml"),
        "[estimate]\ncomparator = \"ticagrelor\"\n",
    )
    .expect("config");
    common::run_expect(
        common::tailor(dir.path()).args([
            "estimate",
            "--config",
            "tailor.toml",
            "-o",
            "out",
            "cohort.parquet",
        ]),
        0,
    );
    let rates = read_table(&dir.path().join("out/subgroup_rates.parquet")).expect("rates");
    assert_eq!(rates.metadata("tailor.table"), Some("subgroup_rates"));
    assert_eq!(rates.num_rows(), 6);
    let effects = read_table(&dir.path().join("out/subgroup_effects.parquet")).expect("effects");
    assert_eq!(effects.metadata("tailor.table"), Some("subgroup_effects"));
    assert!(effects.num_rows() > 0);
    assert!(effects.schema.field_with_name("patient_id").is_err());
}

#[test]
fn estimate_rejects_bad_input_with_exit_3_and_bad_config_with_2() {
    let dir = common::temp_dir();
    write_cohort(&dir.path().join("calls.parquet"), "calls");
    let out = common::run_expect(
        common::tailor(dir.path()).args(["estimate", "-o", "out", "calls.parquet"]),
        3,
    );
    assert!(common::stderr(&out).contains("cohort"));

    write_cohort(&dir.path().join("cohort.parquet"), "cohort");
    std::fs::write(
        dir.path().join("a.toml"),
        "[estimate]\ncomparator = \"aspirin\"\n",
    )
    .expect("config");
    let out = common::run_expect(
        common::tailor(dir.path()).args([
            "estimate",
            "--config",
            "a.toml",
            "-o",
            "out",
            "cohort.parquet",
        ]),
        3,
    );
    assert!(common::stderr(&out).contains("aspirin"));

    std::fs::write(dir.path().join("b.toml"), "[estimate]\nno_such_key = 1\n").expect("config");
    common::run_expect(
        common::tailor(dir.path()).args([
            "estimate",
            "--config",
            "b.toml",
            "-o",
            "out",
            "cohort.parquet",
        ]),
        2,
    );
}
