//! The key-value metadata written into every table.

use serde_json::Value;
use tailor_schemas::metadata_keys;

use crate::InputIdentity;

/// Provenance of a table: what wrote it, from what, with which settings.
///
/// No dates, host names or absolute paths: reruns give identical bytes.
#[derive(Clone, Debug, PartialEq)]
pub struct TableMetadata {
    /// Table name (`genotypes`, `calls`, ...).
    pub table: String,
    /// The table's schema version.
    pub schema_version: u32,
    /// The allele definitions used, when the table depends on them.
    pub definitions_version: Option<String>,
    /// The stage's parameters (a JSON object).
    pub parameters: Value,
    /// Each input's identity.
    pub inputs: Vec<InputIdentity>,
    /// Further entries (e.g. the cohort roles), as key and value.
    pub extra: Vec<(String, String)>,
}

impl TableMetadata {
    /// Metadata for `table` at `schema_version`, with nothing else yet.
    pub fn new(table: &str, schema_version: u32) -> Self {
        Self {
            table: table.to_owned(),
            schema_version,
            definitions_version: None,
            parameters: Value::Object(serde_json::Map::new()),
            inputs: Vec::new(),
            extra: Vec::new(),
        }
    }

    /// The entries, as Parquet key-value pairs.
    pub fn key_values(&self) -> Vec<(String, String)> {
        let mut pairs = vec![
            (metadata_keys::TABLE.to_owned(), self.table.clone()),
            (
                metadata_keys::SCHEMA_VERSION.to_owned(),
                self.schema_version.to_string(),
            ),
            (
                metadata_keys::TOOL_VERSION.to_owned(),
                tailor_schemas::TOOL_VERSION.to_owned(),
            ),
            (
                metadata_keys::PARAMETERS.to_owned(),
                self.parameters.to_string(),
            ),
            (
                metadata_keys::INPUTS.to_owned(),
                serde_json::to_string(&self.inputs).unwrap_or_else(|_| "[]".to_owned()),
            ),
        ];
        if let Some(version) = &self.definitions_version {
            pairs.push((
                metadata_keys::DEFINITIONS_VERSION.to_owned(),
                version.clone(),
            ));
        }
        pairs.extend(self.extra.iter().cloned());
        pairs
    }
}
