//! `manifest.json`: what each stage of `tailor run` last wrote into a
//! folder, and from what. A stage whose record matches what it would now
//! be run with (inputs' SHA-256, parameters, tool and definitions
//! versions) and whose outputs are still the files it wrote is up to date.
//!
//! Written atomically (temporary name, rename) after each stage; a stage's
//! record, and the records of every stage after it, are removed before it
//! runs, so a run killed inside a stage leaves the manifest saying so.
//! Holds file names as written in the configuration, column names and
//! hashes only: no sample or patient ids.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use anyhow::Context;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::exit::Failure;

/// The manifest's file name, in each output folder.
pub const FILE: &str = "manifest.json";

/// The manifest's format version.
pub const FORMAT: u32 = 1;

/// What a stage is run with: everything that decides its outputs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StageInputs {
    /// tailor's version.
    pub tool_version: String,
    /// The allele definitions' version.
    pub definitions_version: String,
    /// The stage's options, as typed in the configuration.
    pub parameters: serde_json::Value,
    /// Each input (a file as written in the configuration, an upstream
    /// table by name): the SHA-256 of its content, lowercase hex.
    pub inputs: BTreeMap<String, String>,
}

/// One stage's record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StageRecord {
    /// What it was run with.
    #[serde(flatten)]
    pub run_with: StageInputs,
    /// Each output file (name in the folder): the SHA-256 of its content.
    pub outputs: BTreeMap<String, String>,
}

/// A folder's `manifest.json`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`FORMAT`].
    pub format: u32,
    /// Records by stage name, of the stages whose outputs are here.
    pub stages: BTreeMap<String, StageRecord>,
}

impl Manifest {
    /// The manifest in `dir`; empty when there is none, or it is not one
    /// this version reads (every stage is then stale).
    pub fn read(dir: &Path) -> Self {
        std::fs::read(dir.join(FILE))
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Self>(&bytes).ok())
            .filter(|m| m.format == FORMAT)
            .unwrap_or_default()
    }

    /// Writes the manifest into `dir` atomically, with file mode `mode`.
    ///
    /// # Errors
    /// Any failure writing it.
    pub fn write(&self, dir: &Path, mode: u32) -> Result<(), Failure> {
        let manifest = Self {
            format: FORMAT,
            stages: self.stages.clone(),
        };
        let mut text = serde_json::to_string_pretty(&manifest).map_err(Failure::other)?;
        text.push('\n');
        tailor_tables::write_file_atomic(&dir.join(FILE), text.as_bytes(), mode)
            .map_err(Failure::other)
    }

    /// Why `stage` must run again with `run_with`, or `None` when its
    /// record matches and its outputs in `dir` are the files it wrote.
    pub fn stale(&self, stage: &str, run_with: &StageInputs, dir: &Path) -> Option<String> {
        let Some(record) = self.stages.get(stage) else {
            return Some(format!("no record in {FILE}"));
        };
        let was = &record.run_with;
        if was.tool_version != run_with.tool_version {
            return Some(format!(
                "tool version {} -> {}",
                was.tool_version, run_with.tool_version
            ));
        }
        if was.definitions_version != run_with.definitions_version {
            return Some("definitions version changed".to_owned());
        }
        if was.parameters != run_with.parameters {
            return Some("parameters changed".to_owned());
        }
        if let Some(name) = changed(&was.inputs, &run_with.inputs) {
            return Some(format!("input {name} changed"));
        }
        for (name, hash) in &record.outputs {
            match sha256_file(&dir.join(name)) {
                Ok(now) if &now == hash => {}
                _ => return Some(format!("output {name} missing or changed")),
            }
        }
        None
    }
}

/// The first key whose value differs between `was` and `now` (or that
/// only one has).
fn changed(was: &BTreeMap<String, String>, now: &BTreeMap<String, String>) -> Option<String> {
    let keys = was.keys().chain(now.keys());
    keys.into_iter()
        .find(|k| was.get(*k) != now.get(*k))
        .cloned()
}

/// The SHA-256 of `path`'s content, lowercase hex.
///
/// # Errors
/// Any failure reading it, naming the file.
pub fn sha256_file(path: &Path) -> anyhow::Result<String> {
    let mut file =
        std::fs::File::open(path).with_context(|| format!("reading {}", path.display()))?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    loop {
        let n = file
            .read(&mut buffer)
            .with_context(|| format!("reading {}", path.display()))?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    Ok(hex::encode(hasher.finalize()))
}

/// The SHA-256 of `bytes`, lowercase hex.
pub fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs(hash: &str) -> StageInputs {
        StageInputs {
            tool_version: "0.1.0".into(),
            definitions_version: "d".into(),
            parameters: serde_json::json!({"combinations": false}),
            inputs: BTreeMap::from([("a.vcf".to_owned(), hash.to_owned())]),
        }
    }

    #[test]
    fn a_stage_is_stale_until_recorded_and_when_anything_changes() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("t.parquet"), b"table").unwrap();
        let mut manifest = Manifest::read(dir.path());
        assert_eq!(
            manifest.stale("call", &inputs("1"), dir.path()).as_deref(),
            Some("no record in manifest.json")
        );
        manifest.stages.insert(
            "call".into(),
            StageRecord {
                run_with: inputs("1"),
                outputs: BTreeMap::from([("t.parquet".to_owned(), sha256(b"table"))]),
            },
        );
        manifest.write(dir.path(), tailor_tables::PRIVATE).unwrap();
        let manifest = Manifest::read(dir.path());
        assert_eq!(manifest.stale("call", &inputs("1"), dir.path()), None);
        assert_eq!(
            manifest.stale("call", &inputs("2"), dir.path()).as_deref(),
            Some("input a.vcf changed")
        );
        let mut other = inputs("1");
        other.parameters = serde_json::json!({"combinations": true});
        assert_eq!(
            manifest.stale("call", &other, dir.path()).as_deref(),
            Some("parameters changed")
        );
        std::fs::write(dir.path().join("t.parquet"), b"other").unwrap();
        assert_eq!(
            manifest.stale("call", &inputs("1"), dir.path()).as_deref(),
            Some("output t.parquet missing or changed")
        );
    }
}
