//! Arrow schemas, column names and shared newtypes of tailor's tables.
//!
//! This is the leaf crate of the workspace, as `arrow-schema` is for arrow-rs:
//! no I/O and no heavy dependencies. Every stage reads and writes tables with a
//! schema from here, so the stages agree on column names and types without
//! depending on one another.
//!
//! ```
//! use tailor_schemas::{genotypes, Position};
//!
//! let schema = genotypes::schema();
//! assert!(schema.field_with_name(genotypes::SAMPLE_ID).is_ok());
//! let pos = Position::new(233_760_233).unwrap();
//! assert_eq!(pos.get(), 233_760_233);
//! ```

mod excerpt;
mod metadata;
mod position;
mod region;
mod sample_selection;
mod sex;
mod shard;
mod vocabulary;

pub mod balance;
pub mod calls;
pub mod cohort;
pub mod copy_number;
pub mod genotypes;
pub mod join_report;
pub mod model_terms;
pub mod models;
pub mod overlap;
pub mod single_variant;
pub mod small_cells;
pub mod status;
pub mod subgroup_effects;
pub mod subgroup_rates;

pub use excerpt::{excerpt, EXCERPT_CHARS};
pub use metadata::{metadata_keys, TOOL_NAME, TOOL_VERSION};
pub use position::{Position, PositionError};
pub use region::Region;
pub use sample_selection::{SampleList, SampleSelection, UnknownSample};
pub use sex::{SampleSexes, Sex};
pub use shard::{Shard, ShardError, SHARD_KEY};

/// Name of the Parquet key-value entry that holds the table's name.
pub const TABLE_KEY: &str = "tailor.table";
