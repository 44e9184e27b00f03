//! Names of the key-value metadata every Parquet table carries.

/// The tool's name, as written in metadata.
pub const TOOL_NAME: &str = "tailor";

/// The tool's version (the workspace version), as written in metadata.
pub const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Keys of the Parquet key-value metadata, one constant each.
///
/// Values are UTF-8 strings; `parameters` and `inputs` hold JSON.
pub mod metadata_keys {
    /// Which table this is (`genotypes`, `calls`, ...).
    pub const TABLE: &str = "tailor.table";
    /// The table's schema version (an integer, as text).
    pub const SCHEMA_VERSION: &str = "tailor.schema_version";
    /// The version of tailor that wrote the file.
    pub const TOOL_VERSION: &str = "tailor.version";
    /// The allele definitions used (release and source version).
    pub const DEFINITIONS_VERSION: &str = "tailor.definitions_version";
    /// The stage's parameters, as a JSON object.
    pub const PARAMETERS: &str = "tailor.parameters";
    /// Each input's identity (path as given, size, SHA-256), as a JSON array.
    pub const INPUTS: &str = "tailor.inputs";
}
