//! Many short strings (patient ids, episode ids, sample names) in one
//! buffer, addressed by index: no heap allocation per string, so holding a
//! cohort's ids costs their bytes plus one offset each.

/// Strings (or missing values) appended one after another.
#[derive(Clone, Debug, Default)]
pub(crate) struct StringTable {
    /// Every string's bytes, concatenated.
    bytes: String,
    /// Where each string ends in `bytes`.
    ends: Vec<usize>,
    /// Indices of missing entries, ascending (rare: ids that were NA).
    missing: Vec<usize>,
}

impl StringTable {
    /// Appends `text` (or a missing entry).
    pub(crate) fn push(&mut self, text: Option<&str>) {
        match text {
            Some(text) => self.bytes.push_str(text),
            None => self.missing.push(self.ends.len()),
        }
        self.ends.push(self.bytes.len());
    }

    /// Appends the text of `value` as [`std::fmt::Display`] writes it.
    pub(crate) fn push_display(&mut self, value: impl std::fmt::Display) {
        use std::fmt::Write as _;
        // Writing into a String cannot fail.
        let _ = write!(self.bytes, "{value}");
        self.ends.push(self.bytes.len());
    }

    /// The string at `index`; `None` if missing or out of range.
    pub(crate) fn get(&self, index: usize) -> Option<&str> {
        let end = *self.ends.get(index)?;
        if self.missing.binary_search(&index).is_ok() {
            return None;
        }
        let start = match index.checked_sub(1) {
            Some(previous) => self.ends[previous],
            None => 0,
        };
        self.bytes.get(start..end)
    }

    /// Gives back the capacity grown beyond the entries held.
    pub(crate) fn shrink_to_fit(&mut self) {
        self.bytes.shrink_to_fit();
        self.ends.shrink_to_fit();
        self.missing.shrink_to_fit();
    }

    /// How many entries were appended.
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_strings_and_missing_entries_apart() {
        let mut table = StringTable::default();
        table.push(Some("P1"));
        table.push(None);
        table.push(Some(""));
        table.push_display(42);
        assert_eq!(table.len(), 4);
        assert_eq!(table.get(0), Some("P1"));
        assert_eq!(table.get(1), None);
        assert_eq!(table.get(2), Some(""));
        assert_eq!(table.get(3), Some("42"));
        assert_eq!(table.get(4), None);
    }
}
