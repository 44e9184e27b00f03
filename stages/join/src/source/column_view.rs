//! Cell access to an Arrow column of any readable type, with dictionary
//! keys resolved once per batch.

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Float32Type, Float64Type, Int16Type, Int32Type, Int64Type, Int8Type, UInt16Type, UInt32Type,
    UInt64Type, UInt8Type,
};
use arrow_array::Array;
use arrow_schema::DataType;

use super::{Cell, Missing};
use crate::value::NaTokens;

/// A column of one batch.
pub(crate) enum ColumnView<'a> {
    /// A plain column.
    Plain(&'a dyn Array),
    /// A dictionary column: values, and each row's key (None: null).
    Dictionary {
        values: &'a dyn Array,
        keys: Vec<Option<usize>>,
    },
}

impl<'a> ColumnView<'a> {
    /// A view of `array`.
    pub(crate) fn new(array: &'a dyn Array) -> Self {
        match array.as_any_dictionary_opt() {
            Some(dictionary) => {
                let keys = dictionary
                    .normalized_keys()
                    .into_iter()
                    .enumerate()
                    .map(|(row, key)| (!array.is_null(row)).then_some(key))
                    .collect();
                Self::Dictionary {
                    values: dictionary.values().as_ref(),
                    keys,
                }
            }
            None => Self::Plain(array),
        }
    }

    /// The cell at `row`; text is trimmed and matched against `na`.
    pub(crate) fn cell(&self, row: usize, na: &NaTokens) -> Cell<'a> {
        match self {
            Self::Plain(array) => plain_cell(*array, row, na),
            Self::Dictionary { values, keys } => match keys.get(row).copied().flatten() {
                Some(key) => plain_cell(*values, key, na),
                None => Cell::Na(Missing::Null),
            },
        }
    }

    /// The text at `row`, untrimmed (None: null or not text).
    pub(crate) fn text(&self, row: usize) -> Option<&'a str> {
        match self {
            Self::Plain(array) => plain_text(*array, row),
            Self::Dictionary { values, keys } => {
                plain_text(*values, keys.get(row).copied().flatten()?)
            }
        }
    }
}

fn plain_text(array: &dyn Array, row: usize) -> Option<&str> {
    if array.is_null(row) {
        return None;
    }
    match array.data_type() {
        DataType::Utf8 => Some(array.as_string::<i32>().value(row)),
        DataType::LargeUtf8 => Some(array.as_string::<i64>().value(row)),
        DataType::Utf8View => Some(array.as_string_view().value(row)),
        _ => None,
    }
}

fn plain_cell<'a>(array: &'a dyn Array, row: usize, na: &NaTokens) -> Cell<'a> {
    if array.is_null(row) {
        return Cell::Na(Missing::Null);
    }
    if let Some(text) = plain_text(array, row) {
        let text = text.trim();
        return match na.matching(text) {
            Some(token) => Cell::Na(Missing::Token(token)),
            None => Cell::Text(text),
        };
    }
    let float = |x: f64| {
        if x.is_nan() {
            Cell::Na(Missing::Null)
        } else {
            Cell::Number(x)
        }
    };
    match array.data_type() {
        DataType::Boolean => Cell::Bool(array.as_boolean().value(row)),
        DataType::Int8 => Cell::Integer(array.as_primitive::<Int8Type>().value(row).into()),
        DataType::Int16 => Cell::Integer(array.as_primitive::<Int16Type>().value(row).into()),
        DataType::Int32 => Cell::Integer(array.as_primitive::<Int32Type>().value(row).into()),
        DataType::Int64 => Cell::Integer(array.as_primitive::<Int64Type>().value(row).into()),
        DataType::UInt8 => Cell::Integer(array.as_primitive::<UInt8Type>().value(row).into()),
        DataType::UInt16 => Cell::Integer(array.as_primitive::<UInt16Type>().value(row).into()),
        DataType::UInt32 => Cell::Integer(array.as_primitive::<UInt32Type>().value(row).into()),
        DataType::UInt64 => Cell::Integer(array.as_primitive::<UInt64Type>().value(row).into()),
        DataType::Float32 => float(array.as_primitive::<Float32Type>().value(row).into()),
        DataType::Float64 => float(array.as_primitive::<Float64Type>().value(row)),
        _ => Cell::Na(Missing::Null),
    }
}
