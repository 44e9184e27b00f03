//! Every clinical row read, held column by column: ids in two string
//! tables, each slot a typed [`Column`], text values as codes into one
//! [`Dictionary`]. A row costs its id bytes, an offset per id, its line
//! and a few bytes per slot, with no heap allocation of its own.

use crate::column::{Column, Value};
use crate::dictionary::{Code, Dictionary};
use crate::layout::Layout;
use crate::string_table::StringTable;

/// The clinical rows of every file, in file order then line order, so a
/// row's index orders rows as (file, line) does.
#[derive(Debug)]
pub(crate) struct ClinicalRows {
    /// Patient id of each row (trimmed; missing if NA).
    pub patients: StringTable,
    /// Episode id of each row, when episodes are configured.
    pub episodes: Option<StringTable>,
    /// 1-based line (text) or row (Parquet) of each row.
    lines: Vec<u64>,
    /// Index of the first row of each file.
    file_starts: Vec<usize>,
    /// One column per slot of the [`Layout`].
    pub columns: Vec<Column>,
    /// The text values of every column.
    pub dictionary: Dictionary,
}

impl ClinicalRows {
    /// No rows yet, with a column per slot of `layout`.
    pub(crate) fn new(layout: &Layout, episodes: bool) -> Self {
        Self {
            patients: StringTable::default(),
            episodes: episodes.then(StringTable::default),
            lines: Vec::new(),
            file_starts: Vec::new(),
            columns: layout.slots.iter().map(Column::for_slot).collect(),
            dictionary: Dictionary::default(),
        }
    }

    /// Marks where the next file's rows begin.
    pub(crate) fn start_file(&mut self) {
        self.file_starts.push(self.lines.len());
    }

    /// Records the line of the row whose ids and values were just pushed.
    pub(crate) fn push_line(&mut self, line: u64) {
        self.lines.push(line);
    }

    /// Gives back the capacity the vectors grew beyond the rows read.
    pub(crate) fn shrink_to_fit(&mut self) {
        self.patients.shrink_to_fit();
        if let Some(episodes) = &mut self.episodes {
            episodes.shrink_to_fit();
        }
        self.lines.shrink_to_fit();
        for column in &mut self.columns {
            column.shrink_to_fit();
        }
    }

    /// Rows held.
    pub(crate) fn len(&self) -> usize {
        self.lines.len()
    }

    /// Index of the file `row` came from.
    pub(crate) fn file(&self, row: usize) -> usize {
        self.file_starts
            .partition_point(|&start| start <= row)
            .saturating_sub(1)
    }

    /// Line (or Parquet row) of `row` in its file.
    pub(crate) fn line(&self, row: usize) -> u64 {
        self.lines.get(row).copied().unwrap_or(0)
    }

    /// Patient id of `row`, if not NA.
    pub(crate) fn patient(&self, row: usize) -> Option<&str> {
        self.patients.get(row)
    }

    /// Episode id of `row`, if configured and not NA.
    pub(crate) fn episode(&self, row: usize) -> Option<&str> {
        self.episodes.as_ref().and_then(|e| e.get(row))
    }

    /// The value of `slot` in `row`.
    pub(crate) fn value(&self, row: usize, slot: usize) -> Value {
        self.columns.get(slot).map_or(Value::Na, |c| c.get(row))
    }

    /// Whether rows `a` and `b` hold the same value in every slot.
    pub(crate) fn same_values(&self, a: usize, b: usize) -> bool {
        self.columns.iter().all(|c| c.get(a) == c.get(b))
    }

    /// The text of a code.
    pub(crate) fn text(&self, code: Code) -> &str {
        self.dictionary.text(code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::JoinConfig;

    #[test]
    fn rows_know_their_file_and_line() {
        let layout = Layout::new(&JoinConfig::new("id", "drug")).unwrap();
        let mut rows = ClinicalRows::new(&layout, false);
        for (file, lines) in [[2, 3], [2, 5]].iter().enumerate() {
            rows.start_file();
            for &line in lines {
                rows.patients.push(Some(&format!("P{file}")));
                let code = rows.dictionary.code("x");
                rows.columns[0].push(Value::Text(code));
                rows.push_line(line);
            }
        }
        assert_eq!(rows.len(), 4);
        assert_eq!(
            (0..4).map(|r| rows.file(r)).collect::<Vec<_>>(),
            [0, 0, 1, 1]
        );
        assert_eq!(rows.line(3), 5);
        assert_eq!(rows.patient(2), Some("P1"));
        assert_eq!(rows.episode(2), None);
        assert!(rows.same_values(0, 3));
        assert_eq!(rows.text(1), "x");
    }
}
