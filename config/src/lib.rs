//! The one reader of `tailor.toml`: read once, every section and key
//! checked against the ones tailor knows, into one typed [`Config`].
//!
//! `[run]`, `[ingest]` and `[call]` are typed here; `[join]` and
//! `[estimate]` are kept as checked TOML tables that the pipeline turns
//! into the join and estimate stages' own option types (declared once,
//! in those crates) with [`Config::section`]. Relative paths resolve
//! against the file's folder ([`Config::resolve`]). An unknown section
//! or key is an [`Error::Unknown`] naming it, the nearest valid name and
//! its line.
//!
//! ```
//! let text = "[run]\ninputs = [\"a.vcf.gz\"]\nclinical = [\"c.csv\"]\noutput = \"out\"\n";
//! let config = tailor_config::Config::parse("cfg/tailor.toml".as_ref(), text).unwrap();
//! assert_eq!(config.resolve(&config.require_run().unwrap().inputs[0]), std::path::Path::new("cfg/a.vcf.gz"));
//! let typo = "[run]\noutptu = \"out\"\n";
//! let error = tailor_config::Config::parse("tailor.toml".as_ref(), typo).unwrap_err();
//! assert!(error.to_string().contains("tailor.toml, line 2: unknown key \"outptu\" in [run]; did you mean \"output\"?"));
//! ```

mod config;
mod error;
mod keys;
mod line;
mod sections;

pub use config::Config;
pub use error::{Error, Result};
pub use keys::valid_keys;
pub use line::line_of;
pub use sections::{CallSection, IngestSection, RunSection};
