//! A column of small integer codes (a subgroup, a therapy) with a missing
//! value, stored in the narrowest width its codes need: one byte per row
//! while every code is below 255, two below 65,535, four otherwise. A
//! 500,000-row cohort's carrier subgroups of 20 genes take 10 MB, not the
//! 80 MB of `Vec<Option<u32>>`.

/// Codes per row, `None` for a missing value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Codes {
    /// Codes below `u8::MAX` (`u8::MAX` is missing).
    Narrow(Vec<u8>),
    /// Codes below `u16::MAX` (`u16::MAX` is missing).
    Medium(Vec<u16>),
    /// Codes below `u32::MAX` (`u32::MAX` is missing).
    Wide(Vec<u32>),
}

impl Default for Codes {
    fn default() -> Self {
        Self::Narrow(Vec::new())
    }
}

impl Codes {
    /// Empty, with room for `rows` one-byte codes.
    pub fn with_capacity(rows: usize) -> Self {
        Self::Narrow(Vec::with_capacity(rows))
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        match self {
            Self::Narrow(v) => v.len(),
            Self::Medium(v) => v.len(),
            Self::Wide(v) => v.len(),
        }
    }

    /// The code of row `i`.
    ///
    /// # Panics
    /// If `i` is out of range, as slice indexing does.
    pub fn get(&self, i: usize) -> Option<u32> {
        match self {
            Self::Narrow(v) => (v[i] != u8::MAX).then(|| u32::from(v[i])),
            Self::Medium(v) => (v[i] != u16::MAX).then(|| u32::from(v[i])),
            Self::Wide(v) => (v[i] != u32::MAX).then_some(v[i]),
        }
    }

    /// The codes, row by row.
    pub fn iter(&self) -> impl Iterator<Item = Option<u32>> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    /// Appends a row, widening the storage when `code` needs it. A code of
    /// `u32::MAX` cannot be told from a missing value: callers number at
    /// most `u32::MAX` distinct values.
    pub fn push(&mut self, code: Option<u32>) {
        let code = code.unwrap_or(u32::MAX);
        if let Self::Narrow(v) = self {
            match u8::try_from(code) {
                Ok(c) if c != u8::MAX => return v.push(c),
                _ if code == u32::MAX => return v.push(u8::MAX),
                _ => self.widen(),
            }
        }
        if let Self::Medium(v) = self {
            match u16::try_from(code) {
                Ok(c) if c != u16::MAX => return v.push(c),
                _ if code == u32::MAX => return v.push(u16::MAX),
                _ => self.widen(),
            }
        }
        if let Self::Wide(v) = self {
            v.push(code);
        }
    }

    /// Replaces every code `c` by `map[c]` (missing stays missing; a code
    /// mapped to `None` becomes missing), in the width the new codes need.
    pub fn remap(&self, map: &[Option<u32>]) -> Self {
        let mut out = Self::with_capacity(self.len());
        for code in self.iter() {
            out.push(code.and_then(|c| map[c as usize]));
        }
        out
    }

    /// Bytes of code storage per row (1, 2 or 4).
    #[cfg(test)]
    pub fn bytes_per_row(&self) -> usize {
        match self {
            Self::Narrow(_) => 1,
            Self::Medium(_) => 2,
            Self::Wide(_) => 4,
        }
    }

    /// Moves the codes to the next wider storage.
    fn widen(&mut self) {
        *self = match std::mem::take(self) {
            Self::Narrow(v) => Self::Medium(
                v.into_iter()
                    .map(|c| if c == u8::MAX { u16::MAX } else { u16::from(c) })
                    .collect(),
            ),
            Self::Medium(v) => Self::Wide(
                v.into_iter()
                    .map(|c| {
                        if c == u16::MAX {
                            u32::MAX
                        } else {
                            u32::from(c)
                        }
                    })
                    .collect(),
            ),
            wide @ Self::Wide(_) => wide,
        };
    }
}

impl FromIterator<Option<u32>> for Codes {
    fn from_iter<I: IntoIterator<Item = Option<u32>>>(iter: I) -> Self {
        let mut codes = Self::default();
        for code in iter {
            codes.push(code);
        }
        codes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_byte_a_row_until_a_code_needs_more() {
        let mut codes: Codes = [Some(0), None, Some(254)].into_iter().collect();
        assert_eq!(codes.bytes_per_row(), 1);
        assert_eq!(codes.iter().collect::<Vec<_>>(), [Some(0), None, Some(254)]);
        codes.push(Some(255));
        assert_eq!(codes.bytes_per_row(), 2);
        codes.push(Some(65_535));
        assert_eq!(codes.bytes_per_row(), 4);
        codes.push(None);
        assert_eq!(
            codes.iter().collect::<Vec<_>>(),
            [Some(0), None, Some(254), Some(255), Some(65_535), None]
        );
        assert_eq!(codes.len(), 6);
    }

    #[test]
    fn missing_survives_widening_and_remap_narrows_again() {
        let codes: Codes = [None, Some(300), Some(2)].into_iter().collect();
        assert_eq!(codes.bytes_per_row(), 2);
        assert_eq!(codes.get(0), None);
        let mut map = vec![None; 301];
        map[300] = Some(1);
        map[2] = Some(0);
        let remapped = codes.remap(&map);
        assert_eq!(remapped.bytes_per_row(), 1);
        assert_eq!(
            remapped.iter().collect::<Vec<_>>(),
            [None, Some(1), Some(0)]
        );
        assert_eq!(Codes::default().len(), 0);
    }
}
