//! `tailor join --pseudonymise`: HMAC-SHA256 pseudonyms under a key from a
//! file or an environment variable; no raw id in any output.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use common::join::*;
use common::{run_expect, stderr, temp_dir};

const KEY_A: &str = "9f1c2b7e54a0d3c6b8e1f2a4c6d8e0f1a3b5c7d9e1f3a5b7c9d1e3f5a7b9c1d3";
const KEY_B: &str = "0e2d4c6b8a0f1e3d5c7b9a1f3e5d7c9b1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d";

/// The raw patient ids and VCF sample names of the test data.
fn raw_ids() -> Vec<String> {
    let mut ids: Vec<String> = (1..=12).map(|n| format!("PT-{n:03}")).collect();
    ids.push("PT-999".into());
    ids.extend([1, 2, 3, 4, 5, 6, 7, 8, 12, 9999].map(|n| format!("VCF{n:04}")));
    ids
}

/// Writes a config (messy.toml plus key and sample map lines) and the key.
fn setup(dir: &Path, key: &str, key_line: &str, map: bool) -> PathBuf {
    std::fs::write(dir.join("join.key"), format!("{key}\n")).unwrap();
    let mut config = std::fs::read_to_string(data("messy.toml"))
        .unwrap()
        .replace(
            "therapy = \"drug\"",
            &format!("therapy = \"drug\"\n{key_line}"),
        );
    if map {
        std::fs::copy(data("sample_map.tsv"), dir.join("sample_map.tsv")).unwrap();
        config.push_str(
            "\n[join.sample_map]\npath = \"sample_map.tsv\"\n\
             sample_column = \"vcf_sample\"\npatient_column = \"patient\"\n",
        );
    }
    let path = dir.join("tailor.toml");
    std::fs::write(&path, config).unwrap();
    path
}

fn vcf_name(sample: &str) -> String {
    let n: u32 = sample.trim_start_matches("PT-").parse().unwrap();
    format!("VCF{n:04}")
}

/// Runs a pseudonymised join in `dir`; returns the patient ids written.
fn pseudonymised_ids(
    dir: &Path,
    key: &str,
    key_line: &str,
    env: Option<(&str, &str)>,
) -> Vec<String> {
    let config = setup(dir, key, key_line, false);
    let calls = write_calls(dir, &|s| s.to_owned(), &[]);
    let mut command = join(dir, &config, &calls, &[data("clinical_messy.csv")]);
    command.arg("--pseudonymise").env_remove("TAILOR_JOIN_KEY");
    if let Some((name, value)) = env {
        command.env(name, value);
    }
    run_expect(&mut command, 0);
    let (rows, metadata) = read_cohort(&dir.join("out/cohort.parquet"));
    assert_eq!(metadata["tailor.pseudonymised"], "true");
    rows.iter().map(|r| r["patient_id"].clone()).collect()
}

#[test]
fn same_key_gives_same_pseudonyms() {
    let (one, two) = (temp_dir(), temp_dir());
    let first = pseudonymised_ids(one.path(), KEY_A, "key_file = \"join.key\"", None);
    let second = pseudonymised_ids(two.path(), KEY_A, "key_file = \"join.key\"", None);
    assert_eq!(first.len(), 7);
    assert_eq!(first, second);
    for id in &first {
        assert_eq!(id.len(), 64, "{id}");
        assert!(
            id.chars()
                .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c)),
            "{id}"
        );
    }
    // The key from an environment variable gives the same pseudonyms.
    let three = temp_dir();
    let from_env = pseudonymised_ids(
        three.path(),
        "unused-file-key-0123456789",
        "key_env = \"TAILOR_JOIN_TEST_KEY\"",
        Some(("TAILOR_JOIN_TEST_KEY", KEY_A)),
    );
    assert_eq!(first, from_env);
    // The report fingerprints the key without revealing it.
    let report = report(one.path());
    assert_eq!(report["pseudonymised"], true);
    assert_eq!(
        report["key_fingerprint"],
        common::join::report(three.path())["key_fingerprint"]
    );
    assert!(!serde_json::to_string(&report).unwrap().contains(KEY_A));
}

#[test]
fn pseudonym_is_hmac_sha256_of_the_trimmed_id() {
    let dir = temp_dir();
    let ids = pseudonymised_ids(dir.path(), KEY_A, "key_file = \"join.key\"", None);
    // Computed independently (the trailing newline of the key file is not
    // part of the key):
    // hmac.new(KEY_A.encode(), b"PT-001", hashlib.sha256).hexdigest()
    // PT-007 is written " PT-007 " in the table: trimmed before hashing.
    for expected in [
        "76028fc2a8e4f10cd3e98f6120d37e3cc5565ee4d173fdfb2dadf1f41cd320d8",
        "15dff69ca20c458d96bb9e842656ff94acb3bb82084a9e5af8780b134aecfe39",
    ] {
        assert!(
            ids.iter().any(|id| id == expected),
            "{expected} not in {ids:?}"
        );
    }
}

#[test]
fn different_keys_give_different_pseudonyms() {
    let (one, two) = (temp_dir(), temp_dir());
    let first = pseudonymised_ids(one.path(), KEY_A, "key_file = \"join.key\"", None);
    let second = pseudonymised_ids(two.path(), KEY_B, "key_file = \"join.key\"", None);
    assert_eq!(first.len(), second.len());
    for id in &first {
        assert!(!second.contains(id), "{id} under both keys");
    }
}

#[test]
fn no_raw_id_reaches_any_output() {
    let dir = temp_dir();
    let config = setup(dir.path(), KEY_A, "key_file = \"join.key\"", true);
    // VCF sample names, mapped to patient ids by the sample map; one
    // sample is missing from the map.
    let calls = write_calls(dir.path(), &vcf_name, &["VCF9999"]);
    let mut command = join(dir.path(), &config, &calls, &[data("clinical_messy.csv")]);
    command.arg("--pseudonymise");
    let output = run_expect(&mut command, 0);
    let (rows, metadata) = read_cohort(&dir.path().join("out/cohort.parquet"));
    assert_eq!(rows.len(), 7, "the sample map joins the same patients");
    let report = report(dir.path());
    assert_eq!(warning(&report, "samples_not_in_map", None)["count"], "<11");
    let ids = raw_ids();
    // Every byte of every output file ...
    let out = dir.path().join("out");
    let mut files = 0;
    for entry in std::fs::read_dir(&out).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        for id in &ids {
            assert!(
                !contains(&bytes, id.as_bytes()),
                "{id} found in {}",
                path.display()
            );
        }
        files += 1;
    }
    assert_eq!(
        files, 3,
        "cohort.parquet, join_report.json, join_report.parquet"
    );
    // ... every decoded cell and metadata value of the cohort table ...
    for row in &rows {
        for value in row.values() {
            for id in &ids {
                assert!(!value.contains(id.as_str()), "{id} in a cell");
            }
        }
    }
    for (key, value) in &metadata {
        for id in &ids {
            assert!(!value.contains(id.as_str()), "{id} in metadata {key}");
        }
    }
    // ... and the messages printed.
    let printed = format!(
        "{}{}",
        stderr(&output),
        String::from_utf8_lossy(&output.stdout)
    );
    for id in &ids {
        assert!(!printed.contains(id.as_str()), "{id} printed: {printed}");
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn episode_ids_are_pseudonymised_per_patient() {
    let dir = temp_dir();
    std::fs::write(dir.path().join("join.key"), format!("{KEY_A}\n")).unwrap();
    // Two patients share the encounter number ENC-5001.
    let clinical = dir.path().join("episodes.csv");
    std::fs::write(
        &clinical,
        "patient_id,encounter,drug,bleeding\n\
         PT-001,ENC-5001,clopidogrel,0\n\
         PT-001,ENC-5002,prasugrel,1\n\
         PT-002,ENC-5001,clopidogrel,0\n",
    )
    .unwrap();
    let config = dir.path().join("tailor.toml");
    std::fs::write(
        &config,
        "[join]\nsample_id = \"patient_id\"\nepisode_id = \"encounter\"\n\
         therapy = \"drug\"\nkey_file = \"join.key\"\n\n\
         [[join.outcomes]]\nname = \"bleeding\"\nkind = \"binary\"\n\
         higher_is_better = false\n",
    )
    .unwrap();
    let calls = write_calls(dir.path(), &|s| s.to_owned(), &[]);
    let mut command = join(dir.path(), &config, &calls, &[clinical]);
    command.arg("--pseudonymise");
    run_expect(&mut command, 0);
    let cohort = dir.path().join("out/cohort.parquet");
    let (rows, _) = read_cohort(&cohort);
    let episodes: Vec<&str> = rows.iter().map(|r| r["episode_id"].as_str()).collect();
    assert_eq!(episodes.len(), 3);
    // hmac.new(KEY_A.encode(), b"tailor episode\x1fPT-001\x1fENC-5001",
    //          hashlib.sha256).hexdigest()
    assert!(episodes.contains(&"4163873adafa41f2f00050d84a040272cf4b5e1b81a83fc050fd8611b9d28fc5"));
    let distinct: std::collections::BTreeSet<&str> = episodes.iter().copied().collect();
    assert_eq!(
        distinct.len(),
        3,
        "the shared encounter number links no one"
    );
    assert!(!contains(&std::fs::read(&cohort).unwrap(), b"ENC-"));
}
