//! Entry points for the cargo-fuzz targets in `fuzz/` (not a stable API).
//!
//! Each function wraps one pure-Rust reader of this crate that takes what a
//! user wrote in a clinical table, so a fuzz target can check its contract
//! without reaching into private types.

use std::path::Path;

use crate::error::Result;
use crate::source::{Cell, TextTable};
use crate::value::{self, NaTokens, ValueError};

/// Reads a trimmed, non-NA cell as a number (`decimal` is `.` or `,`).
///
/// # Errors
/// Why the cell is not a plain number.
pub fn parse_number(text: &str, decimal: char) -> std::result::Result<f64, ValueError> {
    value::parse_number(text, decimal)
}

/// Reads a trimmed, non-NA cell as a yes/no value.
///
/// # Errors
/// [`ValueError::Unreadable`] when it is not one.
pub fn parse_binary(text: &str) -> std::result::Result<bool, ValueError> {
    value::parse_binary(text)
}

/// Whether `cell` (trimmed) matches one of the NA `tokens`.
pub fn is_na(tokens: &[String], cell: &str) -> bool {
    NaTokens::new(tokens).is_na(cell)
}

/// A delimited text table as [`read_text_table`] returns it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TextRows {
    /// Column names of the header line, trimmed.
    pub columns: Vec<String>,
    /// Each data row: its 1-based line and one cell per column (`None` =
    /// NA).
    pub rows: Vec<(u64, Vec<Option<String>>)>,
    /// Rows whose every field was empty.
    pub blank_rows: u64,
}

/// Reads the whole CSV/TSV table at `path` (`gzip`: decompress), every
/// column, with the NA `tokens`.
///
/// # Errors
/// As the clinical reader: empty file, ragged row, non-UTF-8, CSV errors,
/// each naming `path` and the line.
pub fn read_text_table(
    path: &Path,
    gzip: bool,
    delimiter: Option<u8>,
    tokens: &[String],
) -> Result<TextRows> {
    let table = TextTable::open(path, gzip, delimiter, NaTokens::new(tokens))?;
    let mut out = TextRows {
        columns: table.columns().to_vec(),
        ..TextRows::default()
    };
    let wanted: Vec<usize> = (0..out.columns.len()).collect();
    let mut rows = Vec::new();
    let pass = table.for_each_row(&wanted, &mut |line, cells| {
        let cells = cells
            .iter()
            .map(|cell| match cell {
                Cell::Text(t) => Some((*t).to_owned()),
                _ => None,
            })
            .collect();
        rows.push((line, cells));
        Ok(())
    })?;
    out.rows = rows;
    out.blank_rows = pass.blank_rows;
    Ok(out)
}
