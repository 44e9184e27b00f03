//! One fuzz case: a mutated input in a container (text, BGZF with or
//! without an index, damaged BGZF, BCF damaged or not), and the tailor
//! command that reads it.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::bgzf;
use super::mutate::{self, MUTATIONS};
use super::prng::Rng;
use super::seeds::Seed;

/// How the input is stored.
const CONTAINERS: [&str; 7] = [
    "text",
    "bgzf",
    "bgzf_indexed",
    "bgzf_damaged",
    "bcf",
    "bcf_damaged",
    "bgzf_bcf_damaged",
];

/// One input and the command to run on it.
#[derive(Debug)]
pub struct Case {
    /// `seed/mutation+container`, for reports.
    pub label: String,
    /// The mutation and container, for counts.
    pub kind: String,
    /// File name (`.vcf`, `.vcf.gz` or `.bcf`).
    pub file_name: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// Whether to write a tabix index next to it (made by `tabix`, or the
    /// clean input's index when tabix rejects the mutated file).
    pub indexed: bool,
    /// The clean input's index.
    pub clean_index: Option<Vec<u8>>,
    /// `call` or `ingest`, with options.
    pub args: Vec<&'static str>,
}

impl Case {
    /// Case `index` of a run seeded with `seed`.
    pub fn generate(seed: u64, index: u64, seeds: &[Seed], tabix: bool) -> Self {
        let mut rng = Rng::new(seed, index);
        // The simulated cohort (last) covers every gene: a third of cases.
        let source = match seeds.last() {
            Some(simulated) if rng.percent(33) => simulated,
            _ => rng.pick(seeds),
        };
        let mut mutation = *rng.pick(&MUTATIONS);
        let mut text = mutate::apply(mutation, &source.text, &mut rng);
        if rng.percent(15) {
            let second = *rng.pick(&MUTATIONS);
            text = mutate::apply(second, &text, &mut rng);
            mutation = if second == "none" {
                mutation
            } else {
                "two_mutations"
            };
        }
        let mut container = *rng.pick(&CONTAINERS);
        if container.contains("bcf") && source.bcf.is_none() {
            container = "bgzf_damaged";
        }
        if container == "bgzf_indexed" && !tabix {
            container = "bgzf";
        }
        let (bytes, extension) = match container {
            "text" => (text, "vcf"),
            "bgzf" | "bgzf_indexed" => {
                let block = if rng.percent(30) {
                    64 + rng.below(4096)
                } else {
                    0xff00
                };
                (bgzf::compress_blocks(&text, block), "vcf.gz")
            }
            "bgzf_damaged" => (
                damage_bgzf(bgzf::compress_blocks(&text, 512), &mut rng),
                "vcf.gz",
            ),
            _ => {
                // BCF records are the clean input's; the damage is to bytes.
                mutation = "bcf_bytes";
                let raw = source.bcf.clone().unwrap_or_default();
                match container {
                    "bcf" => (raw, "bcf"),
                    "bcf_damaged" => (damage(raw, &mut rng), "bcf"),
                    _ => (bgzf::compress_blocks(&damage(raw, &mut rng), 1024), "bcf"),
                }
            }
        };
        let mut args = if rng.percent(75) {
            vec!["call"]
        } else {
            vec!["ingest"]
        };
        args.extend(["-q", "--threads", "1"]);
        if rng.percent(20) {
            args.push("--pass-only");
        }
        if rng.percent(10) {
            args.push("--absent-as-reference");
        }
        let kind = format!("{mutation}+{container}");
        Case {
            label: format!("{}/{kind}#{index}", source.name),
            kind,
            file_name: format!("case{index}.{extension}"),
            bytes,
            indexed: container == "bgzf_indexed",
            clean_index: source.index.clone(),
            args,
        }
    }

    /// Writes the input (and its index) into `dir`; returns its path.
    pub fn write(&self, dir: &Path) -> PathBuf {
        let path = dir.join(&self.file_name);
        std::fs::write(&path, &self.bytes).unwrap();
        if self.indexed {
            let made = Command::new("tabix")
                .args(["-f", "-p", "vcf"])
                .arg(&path)
                .output()
                .is_ok_and(|o| o.status.success());
            if !made {
                if let Some(index) = &self.clean_index {
                    std::fs::write(dir.join(format!("{}.tbi", self.file_name)), index).unwrap();
                }
            }
        }
        path
    }
}

/// Overwrites 1-8 random bytes (or cuts the file, or both).
fn damage(mut bytes: Vec<u8>, rng: &mut Rng) -> Vec<u8> {
    if bytes.is_empty() {
        return bytes;
    }
    for _ in 0..=rng.below(8) {
        let at = rng.below(bytes.len());
        bytes[at] = rng.byte();
    }
    if rng.percent(25) {
        bytes.truncate(rng.below(bytes.len() + 1));
    }
    bytes
}

/// Damages BGZF blocks: flipped bytes, a cut, a missing EOF block, a
/// block's size field.
fn damage_bgzf(mut bytes: Vec<u8>, rng: &mut Rng) -> Vec<u8> {
    match rng.below(4) {
        0 => damage(bytes, rng),
        1 => {
            let len = bytes.len();
            bytes.truncate(rng.below(len + 1));
            bytes
        }
        2 => {
            let len = bytes.len().saturating_sub(bgzf::EOF_BLOCK.len());
            bytes.truncate(len);
            bytes
        }
        _ => {
            // The BSIZE field of the first block.
            if bytes.len() > 17 {
                bytes[16] = rng.byte();
                bytes[17] = rng.byte();
            }
            bytes
        }
    }
}
