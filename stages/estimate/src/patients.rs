//! Numbering the cohort's patients (ids themselves are never kept): the
//! code of a row is the number of distinct patients before its patient's
//! first row. `tailor join` writes the cohort sorted by patient id, so a
//! patient's rows are adjacent and one pass comparing each id with the
//! previous one numbers them in constant memory; a table that is not
//! sorted is read a second time, with a map of every id.

use std::collections::HashMap;
use std::path::Path;

use tailor_schemas::cohort;
use tailor_tables::TableBatches;

use crate::column_view::Text;
use crate::Result;

/// A code per row, and whether some patient has several rows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Patients {
    /// Patient code per row.
    pub codes: Vec<u32>,
    /// Whether some patient has several rows.
    pub repeated: bool,
}

/// How a pass numbers ids.
trait Numbering {
    /// The code of `id` and whether it was seen before, or `None` when
    /// this numbering cannot go on (sorted ids out of order).
    fn code(&mut self, id: &str) -> Option<(u32, bool)>;
}

/// Ids sorted: only the previous one is kept.
#[derive(Default)]
struct Adjacent {
    previous: Option<(Box<str>, u32)>,
    next: u32,
}

impl Numbering for Adjacent {
    fn code(&mut self, id: &str) -> Option<(u32, bool)> {
        match &self.previous {
            Some((p, code)) if **p == *id => return Some((*code, true)),
            Some((p, _)) if **p > *id => return None,
            _ => {}
        }
        let code = self.next;
        self.next += 1;
        self.previous = Some((id.into(), code));
        Some((code, false))
    }
}

/// Any order: every id is kept.
#[derive(Default)]
struct Mapped(HashMap<Box<str>, u32>);

impl Numbering for Mapped {
    fn code(&mut self, id: &str) -> Option<(u32, bool)> {
        let next = u32::try_from(self.0.len()).unwrap_or(u32::MAX);
        let code = *self.0.entry(id.into()).or_insert(next);
        Some((code, code != next))
    }
}

/// Numbers the patients of the cohort table at `path`, reading only its
/// patient id column (a null id counts as the empty id).
///
/// # Errors
/// As [`TableBatches::open`]; [`crate::Error::Column`] for a missing or
/// mistyped id column.
pub fn number_patients(path: &Path) -> Result<Patients> {
    match pass(path, &mut Adjacent::default())? {
        Some(patients) => Ok(patients),
        None => Ok(pass(path, &mut Mapped::default())?.unwrap_or_default()),
    }
}

/// One pass over the id column, or `None` when `numbering` gave up.
fn pass(path: &Path, numbering: &mut impl Numbering) -> Result<Option<Patients>> {
    let mut patients = Patients::default();
    for batch in TableBatches::open(path, Some(&[cohort::PATIENT_ID]))? {
        let batch = batch?;
        let ids = Text::of(path, &batch, cohort::PATIENT_ID)?;
        for i in 0..batch.num_rows() {
            let Some((code, seen)) = numbering.code(ids.get(i).unwrap_or_default()) else {
                return Ok(None);
            };
            patients.codes.push(code);
            patients.repeated |= seen;
        }
    }
    Ok(Some(patients))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(numbering: &mut impl Numbering, ids: &[&str]) -> Option<Vec<(u32, bool)>> {
        ids.iter().map(|id| numbering.code(id)).collect()
    }

    #[test]
    fn sorted_ids_number_as_a_map_does() {
        let ids = ["", "a", "a", "b", "c", "c", "c"];
        let adjacent = number(&mut Adjacent::default(), &ids);
        assert_eq!(adjacent, number(&mut Mapped::default(), &ids));
        assert_eq!(
            adjacent.expect("sorted"),
            [
                (0, false),
                (1, false),
                (1, true),
                (2, false),
                (3, false),
                (3, true),
                (3, true)
            ]
        );
    }

    #[test]
    fn unsorted_ids_need_the_map() {
        let ids = ["b", "a", "b"];
        assert_eq!(number(&mut Adjacent::default(), &ids), None);
        assert_eq!(
            number(&mut Mapped::default(), &ids),
            Some(vec![(0, false), (1, false), (0, true)])
        );
    }
}
