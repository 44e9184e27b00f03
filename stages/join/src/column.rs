//! One clinical column held as a typed vector (a byte per yes/no value, a
//! float per number, a dictionary code per text value): no heap allocation
//! per cell, whatever the cohort's size.

use crate::dictionary::{Code, Dictionary};
use crate::layout::{Slot, SlotKind};
use crate::value::{shape, Shape};

/// One typed value of a slot, text by its [`Dictionary`] code.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Value {
    /// Missing (NA token, null, or column absent from this file).
    Na,
    /// Yes/no.
    Bool(bool),
    /// A number.
    Number(f64),
    /// Text.
    Text(Code),
}

/// A missing number: a NaN with a payload neither parsing nor arithmetic
/// produces, so that a number column needs no separate validity.
const NA_BITS: u64 = 0x7ff8_0000_7a11_0001;

fn number_or_na(x: f64) -> Value {
    if x.to_bits() == NA_BITS {
        Value::Na
    } else {
        Value::Number(x)
    }
}

/// The cells of one slot, row by row.
#[derive(Clone, Debug)]
pub(crate) enum Column {
    /// Yes/no values.
    Bool(Vec<Option<bool>>),
    /// Numbers ([`NA_BITS`] when missing).
    Number(Vec<f64>),
    /// Text codes (0 when missing).
    Text(Vec<Code>),
    /// A covariate whose kind is inferred after reading: numbers and text
    /// side by side until [`Column::infer`] settles it.
    Mixed {
        /// Numbers ([`NA_BITS`] where the cell is text or missing).
        numbers: Vec<f64>,
        /// Text codes (0 where the cell is a number or missing).
        texts: Vec<Code>,
    },
}

impl Column {
    /// An empty column for the values the reader gives `slot`.
    pub(crate) fn for_slot(slot: &Slot) -> Self {
        match slot.kind {
            _ if slot.constant.is_some() => Self::Text(Vec::new()),
            SlotKind::Text => Self::Text(Vec::new()),
            SlotKind::Binary => Self::Bool(Vec::new()),
            SlotKind::Number | SlotKind::Time => Self::Number(Vec::new()),
            SlotKind::Auto => Self::Mixed {
                numbers: Vec::new(),
                texts: Vec::new(),
            },
        }
    }

    /// Appends `value`. The reader converts each cell to its slot's kind,
    /// so a value of another type (never given) is stored as missing.
    pub(crate) fn push(&mut self, value: Value) {
        match self {
            Self::Bool(v) => v.push(match value {
                Value::Bool(b) => Some(b),
                _ => None,
            }),
            Self::Number(v) => v.push(match value {
                Value::Number(x) => x,
                _ => f64::from_bits(NA_BITS),
            }),
            Self::Text(v) => v.push(match value {
                Value::Text(code) => code,
                _ => 0,
            }),
            Self::Mixed { numbers, texts } => {
                let (x, code) = match value {
                    Value::Number(x) => (x, 0),
                    Value::Text(code) => (f64::from_bits(NA_BITS), code),
                    _ => (f64::from_bits(NA_BITS), 0),
                };
                numbers.push(x);
                texts.push(code);
            }
        }
    }

    /// Gives back the capacity grown beyond the cells held.
    pub(crate) fn shrink_to_fit(&mut self) {
        match self {
            Self::Bool(v) => v.shrink_to_fit(),
            Self::Number(v) => v.shrink_to_fit(),
            Self::Text(v) => v.shrink_to_fit(),
            Self::Mixed { numbers, texts } => {
                numbers.shrink_to_fit();
                texts.shrink_to_fit();
            }
        }
    }

    /// The value at `row` (missing past the end).
    pub(crate) fn get(&self, row: usize) -> Value {
        match self {
            Self::Bool(v) => match v.get(row) {
                Some(Some(b)) => Value::Bool(*b),
                _ => Value::Na,
            },
            Self::Number(v) => v.get(row).map_or(Value::Na, |&x| number_or_na(x)),
            Self::Text(v) => match v.get(row) {
                Some(&code) if code != 0 => Value::Text(code),
                _ => Value::Na,
            },
            Self::Mixed { numbers, texts } => match texts.get(row) {
                Some(&code) if code != 0 => Value::Text(code),
                _ => numbers.get(row).map_or(Value::Na, |&x| number_or_na(x)),
            },
        }
    }

    /// Replaces the value at `row` (a missing one, when rows are merged)
    /// with `value`, of this column's type.
    pub(crate) fn set(&mut self, row: usize, value: Value) {
        match (self, value) {
            (Self::Bool(v), Value::Bool(b)) => {
                if let Some(cell) = v.get_mut(row) {
                    *cell = Some(b);
                }
            }
            (Self::Number(v), Value::Number(x)) => {
                if let Some(cell) = v.get_mut(row) {
                    *cell = x;
                }
            }
            (Self::Text(v), Value::Text(code)) => {
                if let Some(cell) = v.get_mut(row) {
                    *cell = code;
                }
            }
            (Self::Mixed { numbers, texts }, value) => {
                if let (Some(x), Some(code)) = (numbers.get_mut(row), texts.get_mut(row)) {
                    (*x, *code) = match value {
                        Value::Number(n) => (n, 0),
                        Value::Text(c) => (f64::from_bits(NA_BITS), c),
                        _ => (f64::from_bits(NA_BITS), 0),
                    };
                }
            }
            _ => {}
        }
    }

    /// The first row whose value is text that reads as a number in a
    /// malformed way, and whether any value is plain text (not number-like).
    fn scan_texts(texts: &[Code], dictionary: &Dictionary, decimal: char) -> Scan {
        let mut scan = Scan::default();
        for (row, &code) in texts.iter().enumerate() {
            if code == 0 {
                continue;
            }
            match shape(dictionary.text(code), decimal) {
                Shape::Number(_) => {}
                Shape::Malformed(e) => {
                    scan.malformed.get_or_insert((row, e));
                }
                Shape::Text => scan.any_text = true,
            }
        }
        scan
    }

    /// Settles a [`Column::Mixed`] covariate: categorical ([`Column::Text`],
    /// numbers written as text) when any value is text, otherwise numeric
    /// ([`Column::Number`], text that reads as a number converted). Other
    /// columns are left as they are.
    ///
    /// # Errors
    /// The row and reason of the first malformed number-like text of a
    /// column that would be numeric.
    pub(crate) fn infer(
        &mut self,
        dictionary: &mut Dictionary,
        decimal: char,
    ) -> Result<Inferred, (usize, crate::value::ValueError)> {
        let Self::Mixed { numbers, texts } = self else {
            return Ok(Inferred::Unchanged);
        };
        let scan = Self::scan_texts(texts, dictionary, decimal);
        if scan.any_text {
            let codes = numbers
                .iter()
                .zip(texts.iter())
                .map(|(&x, &code)| match number_or_na(x) {
                    Value::Number(x) if code == 0 => dictionary.code(&x.to_string()),
                    _ => code,
                })
                .collect();
            *self = Self::Text(codes);
            return Ok(Inferred::Categorical);
        }
        if let Some(malformed) = scan.malformed {
            return Err(malformed);
        }
        let values = numbers
            .iter()
            .zip(texts.iter())
            .map(|(&x, &code)| match shape(dictionary.text(code), decimal) {
                Shape::Number(n) if code != 0 => n,
                _ => x,
            })
            .collect();
        *self = Self::Number(values);
        Ok(Inferred::Numeric)
    }
}

/// What [`Column::infer`] decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Inferred {
    /// Not an inferred column.
    Unchanged,
    /// Some value is text: a categorical covariate.
    Categorical,
    /// Every value reads as a number.
    Numeric,
}

/// What scanning a column's text values found.
#[derive(Default)]
struct Scan {
    malformed: Option<(usize, crate::value::ValueError)>,
    any_text: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mixed() -> Column {
        Column::Mixed {
            numbers: Vec::new(),
            texts: Vec::new(),
        }
    }

    #[test]
    fn stores_and_reads_back_each_type() {
        let mut numbers = Column::Number(Vec::new());
        numbers.push(Value::Number(1.5));
        numbers.push(Value::Na);
        numbers.push(Value::Number(f64::NAN));
        assert_eq!(numbers.get(0), Value::Number(1.5));
        assert_eq!(numbers.get(1), Value::Na);
        assert!(matches!(numbers.get(2), Value::Number(x) if x.is_nan()));
        assert_eq!(numbers.get(3), Value::Na);
        numbers.set(1, Value::Number(2.0));
        assert_eq!(numbers.get(1), Value::Number(2.0));
        let mut flags = Column::Bool(Vec::new());
        flags.push(Value::Bool(false));
        flags.push(Value::Na);
        assert_eq!(flags.get(0), Value::Bool(false));
        assert_eq!(flags.get(1), Value::Na);
        let mut texts = Column::Text(Vec::new());
        texts.push(Value::Text(3));
        texts.push(Value::Na);
        assert_eq!(texts.get(0), Value::Text(3));
        assert_eq!(texts.get(1), Value::Na);
    }

    /// An inferred column holding `text`, 61 and a missing value.
    fn text_and_number(dictionary: &mut Dictionary, text: &str) -> Column {
        let mut column = mixed();
        column.push(Value::Text(dictionary.code(text)));
        column.push(Value::Number(61.0));
        column.push(Value::Na);
        column
    }

    #[test]
    fn infers_categorical_when_any_value_is_text() {
        let mut dictionary = Dictionary::default();
        let mut column = text_and_number(&mut dictionary, "60 - 69");
        assert_eq!(
            column.infer(&mut dictionary, '.'),
            Ok(Inferred::Categorical)
        );
        assert_eq!(column.get(1), Value::Text(dictionary.code("61")));
        assert_eq!(column.get(2), Value::Na);
    }

    #[test]
    fn infers_numeric_and_refuses_malformed_numbers() {
        let mut dictionary = Dictionary::default();
        let mut column = text_and_number(&mut dictionary, "62.5");
        assert_eq!(column.infer(&mut dictionary, '.'), Ok(Inferred::Numeric));
        assert_eq!(column.get(0), Value::Number(62.5));
        let mut bad = mixed();
        bad.push(Value::Number(1.0));
        bad.push(Value::Text(dictionary.code("1 234")));
        assert_eq!(
            bad.infer(&mut dictionary, '.'),
            Err((1, crate::value::ValueError::GroupedDigits))
        );
        let mut text = Column::Text(Vec::new());
        assert_eq!(text.infer(&mut dictionary, '.'), Ok(Inferred::Unchanged));
    }
}
