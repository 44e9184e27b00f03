//! The whole `tailor.toml` is checked before any stage of `tailor run`
//! runs (issue 12, item 1): a misspelled key in any section names it, the
//! nearest valid key and its line; a missing input file, an unknown
//! clinical column, covariate, comparator or gene names the file or
//! column and the line. Nothing is written in any of these cases.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use common::{run_expect, stderr, tailor, temp_dir};

/// A simulated cohort's folder with its tailor.toml edited by replacing
/// `from` with `to`; runs `tailor run` expecting `code`; returns stderr
/// and the 1-based line of `to` in the edited file.
fn run_edited(from: &str, to: &str, code: i32) -> (String, usize) {
    let dir = temp_dir();
    run_expect(
        tailor(dir.path()).args(["simulate", "-q", "-o", "cohort", "--samples", "50"]),
        0,
    );
    let path = dir.path().join("cohort/tailor.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains(from),
        "{from} not in the simulated tailor.toml"
    );
    let edited = text.replacen(from, to, 1);
    std::fs::write(&path, &edited).unwrap();
    let first = to.lines().next().unwrap();
    let line = edited
        .lines()
        .position(|l| l.contains(first))
        .expect("edited line")
        + 1;
    let output = run_expect(tailor(dir.path()).args(["run", "cohort/tailor.toml"]), code);
    assert_nothing_written(dir.path());
    (stderr(&output), line)
}

fn assert_nothing_written(dir: &Path) {
    for folder in ["cohort/out", "cohort/out.identified"] {
        assert!(!dir.join(folder).exists(), "{folder} was created");
    }
}

#[test]
fn a_misspelled_key_in_every_section_names_the_nearest_and_the_line() {
    let cases = [
        (
            "sex = ",
            "sexx = ",
            "\"sexx\" in [run]; did you mean \"sex\"?",
        ),
        (
            "absent_as_reference",
            "absent_as_referense",
            "\"absent_as_referense\" in [ingest]; did you mean \"absent_as_reference\"?",
        ),
        (
            "combinations",
            "combinatons",
            "\"combinatons\" in [call]; did you mean \"combinations\"?",
        ),
        (
            "key_file",
            "key_fiel",
            "\"key_fiel\" in [join]; did you mean \"key_file\"?",
        ),
        (
            "unit = \"PRU\"",
            "unti = \"PRU\"",
            "\"unti\" in [join.outcomes]; did you mean \"unit\"?",
        ),
        (
            "reference = \"female\"",
            "referense = \"female\"",
            "\"referense\" in [join.covariates]; did you mean \"reference\"?",
        ),
        (
            "km_horizon",
            "km_horizn",
            "\"km_horizn\" in [estimate]; did you mean \"km_horizon\"?",
        ),
    ];
    for (from, to, expected) in cases {
        let (message, line) = run_edited(from, to, 2);
        assert!(
            message.contains(&format!(
                "cohort/tailor.toml, line {line}: unknown key {expected}"
            )),
            "{message}"
        );
    }
    let (message, line) = run_edited("[call]", "[cal]", 2);
    assert!(
        message.contains(&format!(
            "cohort/tailor.toml, line {line}: unknown section [cal]; did you mean [call]?"
        )),
        "{message}"
    );
}

#[test]
fn a_missing_input_file_names_the_file_and_line_and_exits_3() {
    let (message, line) = run_edited(
        "clinical = [\"clinical.csv\"]",
        "clinical = [\"clinicl.csv\"]",
        3,
    );
    assert!(
        message.contains(&format!(
            "cohort/tailor.toml, line {line}: [run] clinical: cohort/clinicl.csv not found"
        )),
        "{message}"
    );
    let (message, line) = run_edited(
        "pseudonymise = true\n",
        "pseudonymise = true\ndefinitions = \"defs\"\n",
        3,
    );
    assert!(
        message.contains(&format!(
            "cohort/tailor.toml, line {}: [run] definitions: cohort/defs not found",
            line + 1
        )),
        "{message}"
    );
    let (message, line) = run_edited("key_file = \"join.key\"", "key_file = \"join.kye\"", 3);
    assert!(
        message.contains(&format!(
            "cohort/tailor.toml, line {line}: [join] key_file: cohort/join.kye not found"
        )),
        "{message}"
    );
}

#[test]
fn an_unknown_column_covariate_comparator_or_gene_names_it_and_the_line() {
    let (message, line) = run_edited("therapy = \"therapy\"", "therapy = \"drug\"", 2);
    assert!(
        message.contains(&format!(
            "line {line}: [join] therapy: no column \"drug\" in the clinical tables (clinical.csv); \
             their columns: age, bleeding_days, bleeding_event, mace, patient_id, \
             platelet_reactivity, sex, therapy"
        )),
        "{message}"
    );
    let (message, line) = run_edited(
        "name = \"age\"\nkind = \"numeric\"",
        "name = \"agee\"\nkind = \"numeric\"",
        2,
    );
    assert!(
        message.contains(&format!(
            "line {line}: [join.covariates] name: no column \"agee\" in the clinical tables"
        )),
        "{message}"
    );
    let (message, line) = run_edited(
        "covariates = [\"age\", \"sex\"]",
        "covariates = [\"age\", \"sexx\"]",
        2,
    );
    assert!(
        message.contains(&format!(
            "line {line}: [estimate] covariates: unknown covariate or outcome \"sexx\"; \
             [join] defines: age, sex"
        )),
        "{message}"
    );
    let (message, line) = run_edited(
        "comparator = \"ticagrelor\"",
        "comparator = \"ticagrelorr\"",
        2,
    );
    assert!(
        message.contains(&format!(
            "line {line}: [estimate] comparator: \"ticagrelorr\" is not a therapy of the \
             clinical tables (therapies: clopidogrel, ticagrelor)"
        )),
        "{message}"
    );
    let (message, line) = run_edited(
        "pseudonymise = true\n",
        "pseudonymise = true\ngenes = [\"CYP2C19\", \"CYP2C91\"]\n",
        2,
    );
    assert!(
        message.contains(&format!(
            "line {}: [run] genes: unknown gene \"CYP2C91\" (genes: ",
            line + 1
        )),
        "{message}"
    );
}
