//! `tailor merge`: shards 1..N of `ingest`/`call --shard K/N` -> the tables
//! one unsharded run writes, byte for byte.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::anyhow;
use clap::Args;
use tailor_schemas::{calls, copy_number, genotypes, metadata_keys, Shard, SHARD_KEY};
use tailor_tables::{merge_shards, InputIdentity, ShardMergeError, ShardOrder, TableBatches};

use crate::cli::Global;
use crate::exit::Failure;
use crate::messages;

/// The entry parquet adds for the Arrow schema; the writer adds it again.
const ARROW_SCHEMA_KEY: &str = "ARROW:schema";

/// The calls parameter that counts samples (it differs between shards).
const CYP2D6_READS_PARAMETER: &str = "cyp2d6_samples_from_reads";

/// Arguments of `tailor merge`.
#[derive(Debug, Args)]
#[command(
    about = "Merge the shards of `ingest`/`call --shard K/N` into one table each",
    long_about = "Reads the outputs of `tailor ingest --shard K/N` and `tailor call \
                  --shard K/N` (their folders, or their genotypes, calls and \
                  copy_number tables) for every K of 1..N and writes each table once \
                  into OUT_DIR, byte-identical to one unsharded run: the same rows in \
                  the same order and the same metadata (the shard mark removed; calls \
                  made from a genotypes shard name the merged genotypes table). The \
                  shards must come from the same inputs, definitions and parameters, \
                  cover 1..N once each and share no sample (else exit 3 naming the file). \
                  Example: tailor merge -o out shards/*"
)]
pub struct MergeArgs {
    /// Output directory (created if missing)
    #[arg(short, long, value_name = "OUT_DIR", help_heading = "Output")]
    pub output: PathBuf,
    /// Shard folders, or genotypes/calls/copy_number tables of shards
    #[arg(required = true, value_name = "SHARD", help_heading = "Input")]
    pub shards: Vec<PathBuf>,
}

/// The tables a shard folder may hold, merged in this order (calls last:
/// they may name the genotypes table merged before them).
const TABLES: [&str; 3] = [genotypes::TABLE, copy_number::TABLE, calls::TABLE];

/// One shard's table, opened.
struct ShardTable {
    shard: Shard,
    batches: TableBatches,
}

/// Runs `tailor merge`.
pub fn run(args: MergeArgs, _global: &Global) -> Result<(), Failure> {
    let started = Instant::now();
    let mut by_table: BTreeMap<&str, Vec<ShardTable>> = BTreeMap::new();
    for path in table_files(&args.shards)? {
        let table = open_shard(&path)?;
        let name = table
            .batches
            .metadata(metadata_keys::TABLE)
            .unwrap_or_default();
        let Some(&kind) = TABLES.iter().find(|t| **t == name) else {
            return Err(Failure::invalid_input(anyhow!(
                "{}: a {name:?} table; tailor merge merges genotypes, calls and copy_number shards",
                path.display()
            )));
        };
        by_table.entry(kind).or_default().push(table);
    }
    super::prepare_output_dir(&args.output)?;
    // Shard genotypes tables (SHA-256) -> the merged table's identity.
    let mut merged_genotypes: Vec<(String, InputIdentity)> = Vec::new();
    for kind in TABLES {
        let Some(shards) = by_table.remove(kind) else {
            continue;
        };
        let shards = in_shard_order(shards)?;
        let sources: Vec<InputIdentity> = shards
            .iter()
            .map(|s| InputIdentity::hashed(s.batches.path()))
            .collect::<Result<_, _>>()
            .map_err(Failure::other)?;
        let output = args.output.join(format!("{kind}.parquet"));
        let rows = merge_table(kind, shards, &output, &merged_genotypes)?;
        if kind == genotypes::TABLE {
            let merged = InputIdentity::hashed(&output).map_err(Failure::other)?;
            merged_genotypes = sources
                .into_iter()
                .filter_map(|s| s.sha256)
                .map(|sha| (sha, merged.clone()))
                .collect();
        }
        messages::info(&format!(
            "merge: {kind}: {rows} rows -> {}",
            output.display()
        ));
    }
    messages::detail(&format!("merge: {:.1} s", started.elapsed().as_secs_f64()));
    Ok(())
}

/// The shard's tables: a folder's genotypes, calls and copy_number tables,
/// or the file itself.
fn table_files(shards: &[PathBuf]) -> Result<Vec<PathBuf>, Failure> {
    let mut files = Vec::new();
    for path in shards {
        if path.is_dir() {
            let found: Vec<PathBuf> = TABLES
                .iter()
                .map(|t| path.join(format!("{t}.parquet")))
                .filter(|p| p.is_file())
                .collect();
            if found.is_empty() {
                return Err(Failure::invalid_input(anyhow!(
                    "{}: no genotypes.parquet, calls.parquet or copy_number.parquet in this folder",
                    path.display()
                )));
            }
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

/// Opens a shard's table and reads its mark.
fn open_shard(path: &Path) -> Result<ShardTable, Failure> {
    let batches = TableBatches::open(path, None).map_err(|e| match e {
        tailor_tables::Error::Io { .. } => Failure::invalid_input(e),
        e => Failure::invalid_input(anyhow::Error::new(e)),
    })?;
    let shard = tables_mark(&batches)?.ok_or_else(|| {
        Failure::invalid_input(anyhow!(
            "{}: not a shard (made without --shard K/N); merge only the outputs of --shard runs",
            path.display()
        ))
    })?;
    Ok(ShardTable { shard, batches })
}

/// The shard mark of an opened table.
fn tables_mark(batches: &TableBatches) -> Result<Option<Shard>, Failure> {
    batches
        .metadata(SHARD_KEY)
        .map(|value| {
            value.parse::<Shard>().map_err(|e| {
                Failure::invalid_input(anyhow!("{}: {SHARD_KEY}: {e}", batches.path().display()))
            })
        })
        .transpose()
}

/// The shard of genotypes tables `paths` (all the same), for `tailor call`
/// on a genotypes shard: its calls are marked as that shard.
///
/// # Errors
/// Exit 3 when a table cannot be read or the tables are different shards.
pub fn tables_shard(paths: &[PathBuf]) -> Result<Option<Shard>, Failure> {
    let mut shards = Vec::new();
    for path in paths {
        let batches = TableBatches::open(path, Some(&[]))
            .map_err(|e| Failure::invalid_input(anyhow::Error::new(e)))?;
        shards.push(tables_mark(&batches)?);
    }
    match shards.first() {
        Some(first) if shards.iter().all(|s| s == first) => Ok(*first),
        Some(_) => Err(Failure::invalid_input(anyhow!(
            "{}: genotypes tables of different shards (or sharded and not); call each shard on its own",
            paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
        ))),
        None => Ok(None),
    }
}

/// Checks the shards are 1..N of one N, once each, and sorts them by K.
fn in_shard_order(mut shards: Vec<ShardTable>) -> Result<Vec<ShardTable>, Failure> {
    shards.sort_by_key(|s| s.shard.index());
    let Some(count) = shards.first().map(|s| s.shard.count()) else {
        return Ok(shards);
    };
    for pair in shards.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        if b.shard.count() != count {
            return Err(Failure::invalid_input(anyhow!(
                "{}: shard {} but {} is shard {}: every shard must be of the same N",
                b.batches.path().display(),
                b.shard,
                a.batches.path().display(),
                a.shard
            )));
        }
        if a.shard == b.shard {
            return Err(Failure::invalid_input(anyhow!(
                "{} and {} are both shard {}; give each shard once",
                a.batches.path().display(),
                b.batches.path().display(),
                a.shard
            )));
        }
    }
    if shards.len() != count {
        let present: Vec<usize> = shards.iter().map(|s| s.shard.index()).collect();
        let missing: Vec<String> = (1..=count)
            .filter(|k| !present.contains(k))
            .map(|k| format!("{k}/{count}"))
            .collect();
        return Err(Failure::invalid_input(anyhow!(
            "{}: shard(s) {} missing; merge needs every shard of 1..{count}",
            shards[0].batches.path().display(),
            missing.join(", ")
        )));
    }
    Ok(shards)
}

/// Merges one table's shards into `output`.
fn merge_table(
    kind: &str,
    shards: Vec<ShardTable>,
    output: &Path,
    merged_genotypes: &[(String, InputIdentity)],
) -> Result<usize, Failure> {
    let pairs = merged_pairs(&shards, merged_genotypes)?;
    let parameters = shards[0]
        .batches
        .metadata(metadata_keys::PARAMETERS)
        .unwrap_or_default();
    let from_reads = parameters.contains("\"source\":\"bam\"");
    let (schema, order, sample) = match kind {
        k if k == genotypes::TABLE => (
            genotypes::schema(),
            ShardOrder::Grouped {
                group: genotypes::GENE,
                batch_rows: (!from_reads).then_some(tailor_ingest::GENOTYPES_BATCH_ROWS),
            },
            genotypes::SAMPLE_ID,
        ),
        k if k == calls::TABLE => (
            calls::schema(),
            ShardOrder::Sorted {
                key: calls::SAMPLE_ID,
                batch_rows: tailor_star::CALLS_BATCH_ROWS,
            },
            calls::SAMPLE_ID,
        ),
        _ => (
            copy_number::schema(),
            ShardOrder::Concatenated,
            copy_number::SAMPLE_ID,
        ),
    };
    let batches = shards.into_iter().map(|s| s.batches).collect();
    merge_shards(batches, output, schema, pairs, order, sample).map_err(|e| match e {
        ShardMergeError::Table(e) => Failure::other(e),
        e => Failure::invalid_input(e),
    })
}

/// The merged table's key-value entries: the first shard's, less the shard
/// mark, with the inputs and sample counts of all shards; checks every
/// other entry is the same in every shard.
fn merged_pairs(
    shards: &[ShardTable],
    merged_genotypes: &[(String, InputIdentity)],
) -> Result<Vec<(String, String)>, Failure> {
    let first = &shards[0].batches;
    let mut inputs: Vec<Vec<InputIdentity>> = Vec::new();
    let mut from_reads = 0u64;
    for shard in shards {
        let batches = &shard.batches;
        for (key, value) in first.key_value_pairs() {
            if [
                SHARD_KEY,
                ARROW_SCHEMA_KEY,
                metadata_keys::INPUTS,
                metadata_keys::PARAMETERS,
            ]
            .contains(&key.as_str())
            {
                continue;
            }
            if batches.metadata(key) != Some(value.as_str()) {
                return Err(incompatible(batches.path(), first.path(), key));
            }
        }
        let (parameters, samples) = shard_parameters(batches)?;
        if parameters != shard_parameters(first)?.0 {
            return Err(incompatible(
                batches.path(),
                first.path(),
                metadata_keys::PARAMETERS,
            ));
        }
        from_reads += samples.unwrap_or(0);
        inputs.push(shard_inputs(batches, merged_genotypes)?);
    }
    let inputs = match inputs.iter().all(|i| *i == inputs[0]) {
        true => inputs.swap_remove(0),
        false => inputs.concat(),
    };
    let mut pairs = Vec::new();
    for (key, value) in first.key_value_pairs() {
        match key.as_str() {
            k if k == SHARD_KEY || k == ARROW_SCHEMA_KEY => {}
            k if k == metadata_keys::INPUTS => pairs.push((
                key.clone(),
                serde_json::to_string(&inputs).map_err(|e| Failure::other(anyhow!(e)))?,
            )),
            k if k == metadata_keys::PARAMETERS => {
                let mut parameters: serde_json::Value =
                    serde_json::from_str(value).map_err(|e| Failure::invalid_input(anyhow!(e)))?;
                if let Some(map) = parameters.as_object_mut() {
                    if map.contains_key(CYP2D6_READS_PARAMETER) {
                        map.insert(CYP2D6_READS_PARAMETER.to_owned(), from_reads.into());
                    }
                }
                pairs.push((key.clone(), parameters.to_string()));
            }
            _ => pairs.push((key.clone(), value.clone())),
        }
    }
    Ok(pairs)
}

/// A shard's parameters less the per-shard sample count, and that count.
fn shard_parameters(batches: &TableBatches) -> Result<(serde_json::Value, Option<u64>), Failure> {
    let text = batches.metadata(metadata_keys::PARAMETERS).unwrap_or("{}");
    let mut parameters: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        Failure::invalid_input(anyhow!(
            "{}: unreadable parameters: {e}",
            batches.path().display()
        ))
    })?;
    let samples = parameters
        .as_object_mut()
        .and_then(|m| m.remove(CYP2D6_READS_PARAMETER))
        .and_then(|v| v.as_u64());
    Ok((parameters, samples))
}

/// A shard's inputs, a genotypes shard merged in this run replaced by the
/// merged table.
fn shard_inputs(
    batches: &TableBatches,
    merged_genotypes: &[(String, InputIdentity)],
) -> Result<Vec<InputIdentity>, Failure> {
    let text = batches.metadata(metadata_keys::INPUTS).unwrap_or("[]");
    let inputs: Vec<InputIdentity> = serde_json::from_str(text).map_err(|e| {
        Failure::invalid_input(anyhow!(
            "{}: unreadable inputs: {e}",
            batches.path().display()
        ))
    })?;
    Ok(inputs
        .into_iter()
        .map(|input| {
            merged_genotypes
                .iter()
                .find(|(sha, _)| input.sha256.as_ref() == Some(sha))
                .map_or(input, |(_, merged)| merged.clone())
        })
        .collect())
}

/// The error for shards that differ in `key`.
fn incompatible(path: &Path, first: &Path, key: &str) -> Failure {
    Failure::invalid_input(anyhow!(
        "{}: its {key} differs from {}'s; shards must come from the same inputs, \
         definitions, tailor version and options",
        path.display(),
        first.display()
    ))
}
