//! The privacy boundary (issue 10, item 7): a pseudonymised `tailor run`
//! on a simulated cohort writes the tables keyed by raw sample ids into
//! the identified folder (0700, files 0600), and its shareable output
//! folder holds no raw id anywhere (Parquet cells and key-value metadata,
//! JSON, text), nor any table against which the cohort's per-gene
//! diplotype columns re-link a pseudonym.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use arrow_array::{Array, ListArray, RecordBatch, StringArray};
use tailor_schemas::single_variant::Genotype;

const SAMPLES: usize = 400;

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(files_under(&path));
        } else {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// Every text value of a batch's string and list-of-string columns, by
/// column name.
fn texts(batch: &RecordBatch) -> Vec<(String, Vec<Option<String>>)> {
    let mut out = Vec::new();
    for (field, column) in batch.schema().fields().iter().zip(batch.columns()) {
        let strings = |a: &StringArray| -> Vec<Option<String>> {
            (0..a.len())
                .map(|i| (!a.is_null(i)).then(|| a.value(i).to_owned()))
                .collect()
        };
        if let Some(a) = column.as_any().downcast_ref::<StringArray>() {
            out.push((field.name().clone(), strings(a)));
        } else if let Some(list) = column.as_any().downcast_ref::<ListArray>() {
            if let Some(a) = list.values().as_any().downcast_ref::<StringArray>() {
                out.push((field.name().clone(), strings(a)));
            }
        }
    }
    out
}

/// The raw sample and patient ids of the simulated cohort.
fn raw_ids(sim: &Path) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    let truth = std::fs::read_to_string(sim.join("truth.tsv")).unwrap();
    for line in truth.lines().skip(1) {
        ids.insert(line.split('\t').next().unwrap().to_owned());
    }
    let clinical = std::fs::read_to_string(sim.join("clinical.csv")).unwrap();
    let mut lines = clinical.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let at = header.iter().position(|c| *c == "patient_id").unwrap();
    for line in lines {
        ids.insert(line.split(',').nth(at).unwrap().to_owned());
    }
    assert!(ids.len() >= SAMPLES, "{} ids", ids.len());
    ids
}

/// Per-gene diplotype signatures of the rows keyed by a raw id in the
/// table at `path` (long: sample_id, gene, diplotype; or wide:
/// `<GENE>_diplotype` columns): raw id -> gene -> diplotype.
fn identified_signatures(
    path: &Path,
    raw: &BTreeSet<String>,
) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut signatures: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let Ok(table) = tailor_tables::read_table(path) else {
        return signatures;
    };
    for batch in &table.batches {
        let columns: HashMap<String, Vec<Option<String>>> = texts(batch).into_iter().collect();
        // Any string column holding raw ids is a key.
        for key in columns.values() {
            if !key.iter().flatten().any(|v| raw.contains(v)) || key.len() != batch.num_rows() {
                continue;
            }
            if let (Some(gene), Some(diplotype)) = (columns.get("gene"), columns.get("diplotype")) {
                for i in 0..batch.num_rows() {
                    if let (Some(id), Some(g), Some(d)) = (&key[i], &gene[i], &diplotype[i]) {
                        // As the cohort shows it: a single-variant gene's
                        // PharmCAT diplotype reads as a genotype (`C/T`).
                        let shown = Genotype::parse(d).map_or_else(|| d.clone(), |g| g.label);
                        signatures
                            .entry(id.clone())
                            .or_default()
                            .insert(g.clone(), shown);
                    }
                }
            }
            for (name, values) in &columns {
                if let Some(gene) = name.strip_suffix("_diplotype") {
                    for i in 0..batch.num_rows() {
                        if let (Some(id), Some(d)) = (&key[i], &values[i]) {
                            signatures
                                .entry(id.clone())
                                .or_default()
                                .insert(gene.to_owned(), d.clone());
                        }
                    }
                }
            }
        }
    }
    signatures
}

/// The cohort's per-gene diplotype signature of each pseudonym.
fn cohort_signatures(cohort: &Path) -> BTreeMap<String, BTreeMap<String, String>> {
    let table = tailor_tables::read_table(cohort).unwrap();
    let mut signatures: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for batch in &table.batches {
        let columns: Vec<(String, Vec<Option<String>>)> = texts(batch);
        let ids = &columns.iter().find(|(n, _)| n == "patient_id").unwrap().1;
        for (name, values) in &columns {
            if let Some(gene) = name.strip_suffix("_diplotype") {
                for i in 0..batch.num_rows() {
                    if let (Some(id), Some(d)) = (&ids[i], &values[i]) {
                        signatures
                            .entry(id.clone())
                            .or_default()
                            .insert(gene.to_owned(), d.clone());
                    }
                }
            }
        }
    }
    signatures
}

/// How many pseudonyms match exactly one raw id's diplotypes on every gene
/// both tables have.
fn linked(
    cohort: &BTreeMap<String, BTreeMap<String, String>>,
    identified: &BTreeMap<String, BTreeMap<String, String>>,
) -> usize {
    cohort
        .values()
        .filter(|pseudo| {
            let matches = identified
                .values()
                .filter(|raw| {
                    let shared: Vec<&String> =
                        pseudo.keys().filter(|g| raw.contains_key(*g)).collect();
                    !shared.is_empty() && shared.iter().all(|g| pseudo[*g] == raw[*g])
                })
                .count();
            matches == 1
        })
        .count()
}

#[test]
fn pseudonymised_run_keeps_raw_ids_out_of_the_shareable_folder() {
    let dir = common::temp_dir();
    common::run_expect(
        common::tailor(dir.path()).args([
            "simulate",
            "-q",
            "-o",
            "sim",
            "--samples",
            &SAMPLES.to_string(),
        ]),
        0,
    );
    let sim = dir.path().join("sim");
    std::fs::set_permissions(sim.join("join.key"), std::fs::Permissions::from_mode(0o600)).unwrap();
    let output = common::run_expect(
        common::tailor(dir.path()).args(["run", "sim/tailor.toml"]),
        0,
    );
    let stderr = common::stderr(&output);
    assert!(!stderr.contains("raw patient ids"), "{stderr}");
    let shareable = sim.join("out");
    let identified = sim.join("out.identified");
    let raw = raw_ids(&sim);

    // The identified folder: genotypes, calls and the manifest of the
    // stages that wrote them, owner only.
    assert_eq!(mode(&identified), 0o700);
    let names: Vec<String> = files_under(&identified)
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        ["calls.parquet", "genotypes.parquet", "manifest.json"]
    );
    for file in files_under(&identified) {
        assert_eq!(mode(&file), 0o600, "{}", file.display());
    }

    // The shareable folder: no raw id in any cell, metadata entry or byte.
    let files = files_under(&shareable);
    let names: BTreeSet<String> = files
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    for expected in [
        "cohort.parquet",
        "join_report.json",
        "subgroup_effects.parquet",
    ] {
        assert!(names.contains(expected), "{names:?}");
    }
    let mut cells = 0usize;
    for file in &files {
        assert_eq!(
            mode(file) & 0o007,
            0,
            "{} is world-readable",
            file.display()
        );
        let bytes = std::fs::read(file).unwrap();
        let mut text = String::from_utf8_lossy(&bytes).into_owned();
        if bytes.starts_with(b"PAR1") {
            let table = tailor_tables::read_table(file).unwrap();
            for (key, value) in &table.key_values {
                text.push_str(&format!("\n{key}\t{value}"));
            }
            for batch in &table.batches {
                for (_, values) in texts(batch) {
                    for value in values.into_iter().flatten() {
                        cells += 1;
                        assert!(!raw.contains(&value), "{}: raw id {value}", file.display());
                        text.push('\n');
                        text.push_str(&value);
                    }
                }
            }
        }
        for id in &raw {
            assert!(
                !text.contains(id.as_str()),
                "{}: raw id {id}",
                file.display()
            );
        }
    }
    assert!(cells > SAMPLES, "only {cells} text cells decoded");

    // The matching attack: the cohort's per-gene diplotypes against every
    // table of the shareable folder keyed by raw ids links no pseudonym...
    let cohort = cohort_signatures(&shareable.join("cohort.parquet"));
    assert_eq!(cohort.len(), SAMPLES);
    for file in files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "parquet"))
    {
        let signatures = identified_signatures(file, &raw);
        assert!(
            signatures.is_empty(),
            "{} is keyed by raw ids",
            file.display()
        );
        assert_eq!(linked(&cohort, &signatures), 0);
    }
    // ...while against the identified calls table it links most of them:
    // the attack works, the boundary is what stops it.
    let calls = identified_signatures(&identified.join("calls.parquet"), &raw);
    assert_eq!(calls.len(), SAMPLES);
    let relinked = linked(&cohort, &calls);
    assert!(relinked > SAMPLES / 2, "attack linked only {relinked}");
}

#[test]
fn identified_folder_inside_the_output_is_refused() {
    let dir = common::temp_dir();
    common::run_expect(
        common::tailor(dir.path()).args(["simulate", "-q", "-o", "sim", "--samples", "20"]),
        0,
    );
    let config = dir.path().join("sim/tailor.toml");
    let text = std::fs::read_to_string(&config).unwrap().replace(
        "output = \"out\"",
        "output = \"out\"\nidentified = \"out/private\"",
    );
    std::fs::write(&config, text).unwrap();
    let output = common::run_expect(
        common::tailor(dir.path()).args(["run", "sim/tailor.toml"]),
        2,
    );
    let stderr = common::stderr(&output);
    assert!(
        stderr.contains("is inside the shareable output folder"),
        "{stderr}"
    );
    assert!(!dir.path().join("sim/out/genotypes.parquet").exists());
}

#[test]
fn join_without_a_key_warns_once_about_raw_ids() {
    let dir = common::temp_dir();
    let config = dir.path().join("tailor.toml");
    std::fs::copy(common::join::data("messy.toml"), &config).unwrap();
    let calls = common::join::write_calls(dir.path(), &|s| s.to_owned(), &[]);
    let output = common::run_expect(
        &mut common::join::join(
            dir.path(),
            &config,
            &calls,
            &[common::join::data("clinical_messy.csv")],
        ),
        0,
    );
    let stderr = common::stderr(&output);
    assert_eq!(
        stderr
            .matches("holds raw patient ids and is not shareable")
            .count(),
        1,
        "{stderr}"
    );
}
