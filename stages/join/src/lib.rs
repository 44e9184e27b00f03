//! The join stage: clinical tables -> validated, pseudonymised cohort table.
//!
//! [`run`] reads the calls table (one row per sample x gene) and one or more
//! clinical tables (CSV, TSV, either optionally gzipped, or Parquet), maps
//! each clinical column to its role through the `[join]` configuration
//! ([`JoinConfig`]), validates and merges the rows, joins them to the calls
//! by patient id (optionally through a VCF-sample -> patient map) and writes
//! `cohort.parquet` (schema: [`tailor_schemas::cohort`]) and
//! `join_report.json` ([`JoinReport`]).
//!
//! Nothing is dropped silently: every excluded clinical row is counted under
//! its reason, and every validation finding is a [`Warning`] in the report
//! (an error with [`Options::strict`]). With [`Options::pseudonymise`] the
//! patient id becomes an HMAC-SHA256 pseudonym and no raw id reaches any
//! output. The report never holds ids, and shows counts of 1 to 10 as `<11`;
//! where counts add up to a total it shows, a small one is hidden together
//! with others (`suppressed`) so that subtraction cannot recover it.
//!
//! Text tables are read defensively: a UTF-8 byte-order mark, CRLF line ends,
//! quoted fields with delimiters or line breaks, NA tokens, blank rows and
//! trailing empty columns are handled; a number with spaces or thousands
//! separators, a decimal comma (unless `decimal = ","`), a non-UTF-8 byte, an
//! empty or header-only file are errors naming the file, line and column.
//!
//! ```no_run
//! use std::path::PathBuf;
//! use tailor_join::{run, Inputs, JoinConfig, Options};
//!
//! let config: JoinConfig = toml::from_str(r#"
//!     sample_id = "patient"
//!     therapy = "drug"
//!     [[outcomes]]
//!     name = "bleeding"
//!     kind = "binary"
//! "#).unwrap();
//! let inputs = Inputs {
//!     calls: PathBuf::from("out/calls.parquet"),
//!     clinical: vec![PathBuf::from("clinical.csv")],
//! };
//! let summary = run(&Options::new(config), &inputs, "out".as_ref()).unwrap();
//! print!("{}", summary.report);
//! ```

mod bands;
mod calls;
mod clinical;
mod clinical_rows;
mod cohort;
mod cohort_table;
mod column;
mod column_report;
mod config;
mod dictionary;
mod error;
mod findings;
#[doc(hidden)]
pub mod fuzzing;
mod layout;
mod merge;
mod options;
mod outputs;
mod patients;
mod provenance;
mod pseudonym;
mod report;
mod report_table;
mod run;
mod sample_map;
mod source;
mod string_table;
mod value;

pub use bands::BandRule;
pub use config::{
    ConstantTherapy, CovariateConfig, JoinConfig, OutcomeConfig, SampleMapConfig, Therapy,
    DEFAULT_NA,
};
pub use error::{ConfigProblem, Error, Result};
pub use options::{Options, PseudonymKey, MIN_KEY_BYTES};
pub use pseudonym::{key_fingerprint, pseudonym};
pub use report::{
    small_cell, CallsReport, ClinicalFileReport, CohortReport, ColumnReport, Exclusion,
    FileExclusion, GeneReport, JoinReport, Location, SampleMapReport, Warning, WarningKind,
    SMALL_CELL_LIMIT,
};
pub use report_table::REPORT_TABLE_FILE;
pub use run::{run, Inputs, Summary, COHORT_FILE, REPORT_FILE};
pub use value::{Expected, ValueError};
