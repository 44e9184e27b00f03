//! Typed, row-addressable views of one batch's columns of the cohort
//! table, and the check that the file's columns have the types the views
//! read (an all-null column written as Arrow `Null` reads as missing).

use std::path::Path;

use arrow_array::cast::AsArray;
use arrow_array::types::Float64Type;
use arrow_array::{
    Array, BooleanArray, Float64Array, GenericListArray, LargeStringArray, RecordBatch,
    StringArray, StringViewArray,
};
use arrow_schema::{DataType, Schema};
use tailor_schemas::calls::flags;

use crate::{Error, Result};

/// Bit of a gene's flags: the call is a no call.
pub const FLAG_NO_CALL: u8 = 1;
/// Bit of a gene's flags: several diplotypes fit.
pub const FLAG_AMBIGUOUS: u8 = 2;
/// Bit of a gene's flags: CYP2D6 called from SNVs alone.
pub const FLAG_SNV_ONLY: u8 = 4;

/// The Arrow type a column must have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expected {
    /// Text: `Utf8`, `LargeUtf8` or `Utf8View`.
    Utf8,
    /// `Float64`.
    Float64,
    /// `Boolean`.
    Boolean,
    /// A list of text (the flags).
    Flags,
}

impl Expected {
    /// The name in error messages.
    pub fn name(self) -> &'static str {
        match self {
            Self::Utf8 => "Utf8",
            Self::Float64 => "Float64",
            Self::Boolean => "Boolean",
            Self::Flags => "List<Utf8>",
        }
    }

    fn accepts(self, data_type: &DataType) -> bool {
        let text = |t: &DataType| matches!(t, DataType::Utf8 | DataType::LargeUtf8);
        match (self, data_type) {
            (_, DataType::Null) => true,
            (Self::Utf8, t) => text(t) || *t == DataType::Utf8View,
            (Self::Float64, t) => *t == DataType::Float64,
            (Self::Boolean, t) => *t == DataType::Boolean,
            (Self::Flags, DataType::List(item)) => text(item.data_type()),
            (Self::Flags, _) => false,
        }
    }
}

/// Checks that `schema` (of the file at `path`) has column `name` of the
/// `expected` type.
///
/// # Errors
/// [`Error::Column`] naming the file and column otherwise.
pub fn check_column(path: &Path, schema: &Schema, name: &str, expected: Expected) -> Result<()> {
    let problem = match schema.field_with_name(name) {
        Err(_) => "is missing".to_owned(),
        Ok(field) if expected.accepts(field.data_type()) => return Ok(()),
        Ok(field) => format!("has type {}", field.data_type()),
    };
    Err(Error::Column {
        path: path.to_path_buf(),
        column: name.to_owned(),
        problem,
        expected: expected.name(),
    })
}

/// Column `name` of `batch` if it has the `expected` type, else the error
/// [`check_column`] gives.
fn column<'a>(
    path: &Path,
    batch: &'a RecordBatch,
    name: &str,
    expected: Expected,
) -> Result<&'a dyn Array> {
    check_column(path, &batch.schema(), name, expected)?;
    batch
        .column_by_name(name)
        .map(|a| a.as_ref())
        .ok_or_else(|| Error::Column {
            path: path.to_path_buf(),
            column: name.to_owned(),
            problem: "is missing".to_owned(),
            expected: expected.name(),
        })
}

/// A text column of one batch.
pub enum Text<'a> {
    /// `Utf8`.
    Utf8(&'a StringArray),
    /// `LargeUtf8`.
    Large(&'a LargeStringArray),
    /// `Utf8View`.
    View(&'a StringViewArray),
    /// All null.
    Null,
}

impl<'a> Text<'a> {
    /// Column `name` of `batch` (from the file at `path`).
    ///
    /// # Errors
    /// [`Error::Column`] if it is missing or not text.
    pub fn of(path: &Path, batch: &'a RecordBatch, name: &str) -> Result<Self> {
        let array = column(path, batch, name, Expected::Utf8)?;
        Ok(match array.data_type() {
            DataType::Utf8 => Self::Utf8(array.as_string()),
            DataType::LargeUtf8 => Self::Large(array.as_string()),
            DataType::Utf8View => Self::View(array.as_string_view()),
            _ => Self::Null,
        })
    }

    /// The value of row `i`.
    pub fn get(&self, i: usize) -> Option<&'a str> {
        match self {
            Self::Utf8(a) => a.is_valid(i).then(|| a.value(i)),
            Self::Large(a) => a.is_valid(i).then(|| a.value(i)),
            Self::View(a) => a.is_valid(i).then(|| a.value(i)),
            Self::Null => None,
        }
    }
}

/// A `Float64` column of one batch; non-finite values read as missing.
pub struct Floats<'a>(Option<&'a Float64Array>);

impl<'a> Floats<'a> {
    /// Column `name` of `batch` (from the file at `path`).
    ///
    /// # Errors
    /// [`Error::Column`] if it is missing or not `Float64`.
    pub fn of(path: &Path, batch: &'a RecordBatch, name: &str) -> Result<Self> {
        let array = column(path, batch, name, Expected::Float64)?;
        Ok(Self(array.as_primitive_opt::<Float64Type>()))
    }

    /// The value of row `i`, if present and finite.
    pub fn get(&self, i: usize) -> Option<f64> {
        self.0
            .filter(|a| a.is_valid(i))
            .map(|a| a.value(i))
            .filter(|x| x.is_finite())
    }
}

/// A `Boolean` column of one batch.
pub struct Booleans<'a>(Option<&'a BooleanArray>);

impl<'a> Booleans<'a> {
    /// Column `name` of `batch` (from the file at `path`).
    ///
    /// # Errors
    /// [`Error::Column`] if it is missing or not `Boolean`.
    pub fn of(path: &Path, batch: &'a RecordBatch, name: &str) -> Result<Self> {
        let array = column(path, batch, name, Expected::Boolean)?;
        Ok(Self(array.as_boolean_opt()))
    }

    /// The value of row `i`.
    pub fn get(&self, i: usize) -> Option<bool> {
        self.0.filter(|a| a.is_valid(i)).map(|a| a.value(i))
    }
}

/// A gene's flags column of one batch, read as bits ([`FLAG_NO_CALL`],
/// [`FLAG_AMBIGUOUS`], [`FLAG_SNV_ONLY`]; other flags are not used here).
pub struct Flags<'a>(Option<&'a GenericListArray<i32>>);

impl<'a> Flags<'a> {
    /// Column `name` of `batch` (from the file at `path`).
    ///
    /// # Errors
    /// [`Error::Column`] if it is missing or not a list of text.
    pub fn of(path: &Path, batch: &'a RecordBatch, name: &str) -> Result<Self> {
        let array = column(path, batch, name, Expected::Flags)?;
        Ok(Self(array.as_list_opt::<i32>()))
    }

    /// The flag bits of row `i` (0 for a null list).
    pub fn get(&self, i: usize) -> u8 {
        let Some(list) = self.0.filter(|l| l.is_valid(i)) else {
            return 0;
        };
        let item = list.value(i);
        let bits = |flag: Option<&str>| match flag {
            Some(flags::NO_CALL) => FLAG_NO_CALL,
            Some(flags::AMBIGUOUS) => FLAG_AMBIGUOUS,
            Some(flags::SNV_ONLY) => FLAG_SNV_ONLY,
            _ => 0,
        };
        match item.data_type() {
            DataType::Utf8 => item.as_string::<i32>().iter().fold(0, |b, f| b | bits(f)),
            DataType::LargeUtf8 => item.as_string::<i64>().iter().fold(0, |b, f| b | bits(f)),
            _ => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_schema::Field;
    use std::sync::Arc;

    #[test]
    fn missing_and_mistyped_columns_are_named() {
        let schema = Schema::new(vec![Field::new("age", DataType::Int64, true)]);
        let path = Path::new("cohort.parquet");
        let message = |name, expected| {
            check_column(path, &schema, name, expected)
                .expect_err("error")
                .to_string()
        };
        assert_eq!(
            message("age", Expected::Float64),
            "cohort.parquet: column \"age\" has type Int64; expected Float64"
        );
        assert_eq!(
            message("sex", Expected::Utf8),
            "cohort.parquet: column \"sex\" is missing; expected Utf8"
        );
    }

    #[test]
    fn views_read_values_nulls_and_non_finite_as_missing() {
        let batch = RecordBatch::try_from_iter([
            ("t", Arc::new(StringArray::from(vec![Some("a"), None])) as _),
            (
                "x",
                Arc::new(Float64Array::from(vec![Some(f64::NAN), Some(2.5)])) as _,
            ),
            ("n", Arc::new(arrow_array::NullArray::new(2)) as _),
        ])
        .expect("batch");
        let path = Path::new("c");
        let text = Text::of(path, &batch, "t").expect("text");
        assert_eq!((text.get(0), text.get(1)), (Some("a"), None));
        let floats = Floats::of(path, &batch, "x").expect("floats");
        assert_eq!((floats.get(0), floats.get(1)), (None, Some(2.5)));
        assert_eq!(Booleans::of(path, &batch, "n").expect("null").get(1), None);
        assert_eq!(Flags::of(path, &batch, "n").expect("null").get(0), 0);
        assert!(Booleans::of(path, &batch, "x").is_err());
    }
}
