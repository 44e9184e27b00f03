//! Typed access to the columns of a batch read back from a table.

use std::path::Path;

use arrow_array::{Array, BooleanArray, Float64Array, ListArray, RecordBatch, StringArray};

use crate::{Error, Result};

/// A batch of `path`'s table, with typed column lookups that name the file
/// when a column is missing.
pub(crate) struct Columns<'a> {
    batch: &'a RecordBatch,
    path: &'a Path,
}

impl<'a> Columns<'a> {
    /// Lookups over `batch` of the table at `path`.
    pub(crate) fn new(batch: &'a RecordBatch, path: &'a Path) -> Self {
        Self { batch, path }
    }

    fn get<T: Array + 'static>(&self, name: &str, kind: &'static str) -> Result<&'a T> {
        self.batch
            .column_by_name(name)
            .and_then(|c| c.as_any().downcast_ref::<T>())
            .ok_or_else(|| Error::Column {
                path: self.path.to_path_buf(),
                column: name.to_owned(),
                kind,
            })
    }

    /// A text column.
    pub(crate) fn text(&self, name: &str) -> Result<&'a StringArray> {
        self.get(name, "text")
    }

    /// A number column.
    pub(crate) fn number(&self, name: &str) -> Result<&'a Float64Array> {
        self.get(name, "number")
    }

    /// A true/false column.
    pub(crate) fn boolean(&self, name: &str) -> Result<&'a BooleanArray> {
        self.get(name, "true/false")
    }

    /// The value at `i` of the text column `name` (`array`), read with
    /// its vocabulary's `parse`.
    pub(crate) fn parse<T>(
        &self,
        name: &str,
        array: &StringArray,
        i: usize,
        parse: fn(&str) -> Option<T>,
    ) -> Result<T> {
        let text = if array.is_null(i) { "" } else { array.value(i) };
        parse(text).ok_or_else(|| Error::Value {
            path: self.path.to_path_buf(),
            column: name.to_owned(),
            row: i,
            value: text.to_owned(),
        })
    }

    /// A list-of-text column.
    pub(crate) fn list(&self, name: &str) -> Result<&'a ListArray> {
        self.get(name, "list of text")
    }
}

/// The text at `i`, if not null.
pub(crate) fn text_at(a: &StringArray, i: usize) -> Option<String> {
    (!a.is_null(i)).then(|| a.value(i).to_owned())
}

/// The number at `i`, if not null and finite.
pub(crate) fn number_at(a: &Float64Array, i: usize) -> Option<f64> {
    (!a.is_null(i) && a.value(i).is_finite()).then(|| a.value(i))
}

/// The texts of the list at `i` (empty when null).
pub(crate) fn list_at(a: &ListArray, i: usize) -> Vec<String> {
    if a.is_null(i) {
        return Vec::new();
    }
    let values = a.value(i);
    values
        .as_any()
        .downcast_ref::<StringArray>()
        .map(|s| s.iter().flatten().map(str::to_owned).collect())
        .unwrap_or_default()
}
