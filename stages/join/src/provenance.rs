//! What the outputs record about the run: the cohort table's metadata and
//! the per-gene call counts of the report.

use tailor_schemas::cohort;
use tailor_tables::{InputIdentity, TableMetadata};

use crate::calls::Calls;
use crate::error::Result;
use crate::options::Options;
use crate::pseudonym::key_fingerprint;
use crate::report::GeneReport;
use crate::run::Inputs;

/// Calls of `gene` (index `index` in the calls table) among the samples
/// marked `in_cohort` (by sample index).
pub(crate) fn gene_report(
    gene: &str,
    index: Option<usize>,
    calls: &Calls,
    in_cohort: &[bool],
) -> GeneReport {
    let mut report = GeneReport {
        gene: gene.to_owned(),
        called: 0,
        no_call: 0,
        ambiguous: 0,
        not_in_calls: 0,
    };
    let samples = (0..in_cohort.len())
        .filter(|&s| in_cohort[s])
        .filter_map(|s| u32::try_from(s).ok());
    for sample in samples {
        match index.and_then(|g| calls.call(g, sample)) {
            None => report.not_in_calls += 1,
            Some(call) => {
                if call.is_no_call() {
                    report.no_call += 1;
                } else {
                    report.called += 1;
                }
                if call.is_ambiguous() {
                    report.ambiguous += 1;
                }
            }
        }
    }
    report
}

/// The cohort table's key-value metadata: parameters (never the key or where
/// it is), input identities, the roles and whether ids are pseudonyms.
pub(crate) fn metadata(
    options: &Options,
    inputs: &Inputs,
    calls: &Calls,
    roles: &cohort::CohortRoles,
) -> Result<TableMetadata> {
    let mut metadata = TableMetadata::new(cohort::TABLE, cohort::SCHEMA_VERSION);
    metadata.definitions_version = calls.definitions_version.clone();
    let mut config = options.config.clone();
    // Where the key lives is the caller's business; only whether one was used.
    config.key_file = None;
    config.key_env = None;
    metadata.parameters = serde_json::json!({
        "join": config,
        "pseudonymised": options.key.is_some(),
        "key_fingerprint": options.key.as_ref().map(key_fingerprint),
        "strict": options.strict,
    });
    metadata.inputs.push(InputIdentity::hashed(&inputs.calls)?);
    for path in &inputs.clinical {
        metadata.inputs.push(InputIdentity::hashed(path)?);
    }
    if let Some(map) = &options.config.sample_map {
        metadata.inputs.push(InputIdentity::hashed(&map.path)?);
    }
    metadata.extra.push((
        cohort::ROLES_KEY.to_owned(),
        serde_json::to_string(roles).unwrap_or_default(),
    ));
    metadata.extra.push((
        cohort::PSEUDONYMISED_KEY.to_owned(),
        options.key.is_some().to_string(),
    ));
    Ok(metadata)
}
