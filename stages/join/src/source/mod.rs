//! Reading a clinical (or sample-map) table as named columns of cells,
//! whatever its format: CSV, TSV (either optionally gzipped) or Parquet.
//!
//! The format is recognised from the content (gzip and Parquet magic bytes),
//! the delimiter from the configuration, the file name or the header line.

mod column_view;
mod parquet_table;
mod text_table;

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

pub(crate) use column_view::ColumnView;
pub(crate) use parquet_table::ParquetTable;
pub(crate) use text_table::TextTable;

/// Why a cell is missing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Missing {
    /// A null in a typed (Parquet) column, a NaN, or a row shorter than
    /// the columns asked for.
    Null,
    /// Text matching the NA token at this index of [`crate::value::NaTokens`].
    Token(usize),
}

/// One cell as read, before its role gives it a type.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Cell<'a> {
    /// Null, NaN, or text matching an NA token.
    Na(Missing),
    /// Text, trimmed.
    Text(&'a str),
    /// An integer from a typed (Parquet) column.
    Integer(i128),
    /// A float from a typed (Parquet) column.
    Number(f64),
    /// A boolean from a typed (Parquet) column.
    Bool(bool),
}

/// What one pass over a table saw.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Pass {
    /// Data rows given to the callback.
    pub rows: u64,
    /// Rows whose every field was empty (skipped).
    pub blank_rows: u64,
}

/// A table being read.
pub(crate) enum Source {
    /// CSV or TSV, maybe gzipped.
    Text(TextTable),
    /// Parquet.
    Parquet(ParquetTable),
}

/// The table's format, as reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Format {
    /// Comma-separated.
    Csv,
    /// Tab-separated.
    Tsv,
    /// Semicolon-separated.
    Ssv,
    /// Other single-byte delimiter.
    Delimited,
    /// Apache Parquet.
    Parquet,
}

impl Source {
    /// Opens `path`, reading its header.
    pub(crate) fn open(
        path: &Path,
        delimiter: Option<u8>,
        na: &crate::value::NaTokens,
    ) -> Result<Self> {
        let mut magic = [0u8; 4];
        let mut file = File::open(path).map_err(io(path, "opening"))?;
        let n = read_up_to(&mut file, &mut magic).map_err(io(path, "reading"))?;
        if n == 0 {
            return Err(Error::EmptyFile {
                path: path.to_path_buf(),
            });
        }
        if n == 4 && &magic == b"PAR1" {
            return Ok(Self::Parquet(ParquetTable::open(path, na.clone())?));
        }
        let gzip = n >= 2 && magic[..2] == [0x1f, 0x8b];
        Ok(Self::Text(TextTable::open(
            path,
            gzip,
            delimiter,
            na.clone(),
        )?))
    }

    /// Column names, trimmed, in file order (unnamed columns are `""`).
    pub(crate) fn columns(&self) -> &[String] {
        match self {
            Self::Text(t) => t.columns(),
            Self::Parquet(p) => p.columns(),
        }
    }

    /// The format.
    pub(crate) fn format(&self) -> Format {
        match self {
            Self::Text(t) => t.format(),
            Self::Parquet(_) => Format::Parquet,
        }
    }

    /// Calls `f(line, cells)` for every non-blank row, with the cells of the
    /// `wanted` column indices in that order. `line` is the 1-based line of
    /// the record (text) or the 1-based row number (Parquet).
    ///
    /// # Errors
    /// Read errors, ragged rows, non-UTF-8 text, [`Error::HeaderOnly`] if no
    /// data row, and whatever `f` returns.
    pub(crate) fn for_each_row(
        self,
        wanted: &[usize],
        f: &mut dyn FnMut(u64, &[Cell<'_>]) -> Result<()>,
    ) -> Result<Pass> {
        let (path, pass) = match self {
            Self::Text(t) => {
                let path = t.path().to_path_buf();
                (path, t.for_each_row(wanted, f)?)
            }
            Self::Parquet(p) => {
                let path = p.path().to_path_buf();
                (path, p.for_each_row(wanted, f)?)
            }
        };
        if pass.rows == 0 {
            return Err(Error::HeaderOnly { path });
        }
        Ok(pass)
    }
}

/// Finds `name` among `columns`, failing if it is there twice.
pub(crate) fn find_column(path: &Path, columns: &[String], name: &str) -> Result<Option<usize>> {
    let mut found = columns.iter().enumerate().filter(|(_, c)| *c == name);
    let first = found.next().map(|(i, _)| i);
    if found.next().is_some() {
        return Err(Error::DuplicateColumn {
            path: path.to_path_buf(),
            column: name.to_owned(),
        });
    }
    Ok(first)
}

/// Most column names an error message lists.
const LISTED_COLUMNS: usize = 20;
/// Most characters of one column name an error message quotes.
const COLUMN_CHARS: usize = 40;

/// The named columns, comma-separated, for error messages: at most
/// [`LISTED_COLUMNS`], each cut to [`COLUMN_CHARS`] characters. When none
/// of `configured` is among them the first line is probably data (a table
/// without a header line), and its cells, a patient id among them, are not
/// quoted at all.
pub(crate) fn list_columns(columns: &[String], configured: &[&str]) -> String {
    if !columns.iter().any(|c| configured.contains(&c.as_str())) {
        return format!(
            "{} fields, none of them a configured column, so they are not quoted: \
             the first line may be data; the table needs a header line",
            columns.len()
        );
    }
    let named: Vec<String> = columns
        .iter()
        .filter(|c| !c.is_empty())
        .map(|c| format!("\"{}\"", tailor_schemas::excerpt(c, COLUMN_CHARS)))
        .collect();
    if named.is_empty() {
        return "(none)".to_owned();
    }
    let mut listed = named
        .iter()
        .take(LISTED_COLUMNS)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if named.len() > LISTED_COLUMNS {
        listed.push_str(&format!(" and {} more", named.len() - LISTED_COLUMNS));
    }
    listed
}

pub(crate) fn io(path: &Path, action: &'static str) -> impl FnOnce(std::io::Error) -> Error {
    let path: PathBuf = path.to_path_buf();
    move |source| Error::Io {
        path,
        action,
        source,
    }
}

/// Reads until `buffer` is full or the reader ends; returns the bytes read.
pub(crate) fn read_up_to(reader: &mut dyn Read, buffer: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match reader.read(&mut buffer[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}
