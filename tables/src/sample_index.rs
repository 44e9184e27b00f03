//! A per-sample index column, stored as narrow as its values allow.
//!
//! Per gene, each cohort sample keeps an index: of its genotype vector and
//! call row in `tailor call`, of its distinct call in `tailor join`. A gene
//! has a few hundred distinct values in a cohort of any size, so the index
//! almost always fits in a byte: one byte a sample and gene instead of
//! four, 60 bytes a sample over 20 genes, 30 MB at 500,000 people. The
//! storage widens (u8, then u16, then u32) the first time a value needs it.

/// Per sample, an index (0 until set), in the narrowest of `u8`, `u16` and
/// `u32` that holds every value set so far.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SampleIndex {
    /// Every value is below 256.
    U8(Vec<u8>),
    /// Every value is below 65,536.
    U16(Vec<u16>),
    /// Any value.
    U32(Vec<u32>),
}

impl Default for SampleIndex {
    fn default() -> Self {
        Self::zeros(0)
    }
}

impl SampleIndex {
    /// `samples` samples, each at index 0.
    #[must_use]
    pub fn zeros(samples: usize) -> Self {
        Self::U8(vec![0; samples])
    }

    /// The number of samples.
    #[must_use]
    pub fn len(&self) -> usize {
        match self {
            Self::U8(v) => v.len(),
            Self::U16(v) => v.len(),
            Self::U32(v) => v.len(),
        }
    }

    /// Whether there is no sample.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Grows or shrinks to `samples` samples; added samples are at 0.
    pub fn resize(&mut self, samples: usize) {
        match self {
            Self::U8(v) => v.resize(samples, 0),
            Self::U16(v) => v.resize(samples, 0),
            Self::U32(v) => v.resize(samples, 0),
        }
    }

    /// Adds one sample at index 0.
    pub fn push_zero(&mut self) {
        match self {
            Self::U8(v) => v.push(0),
            Self::U16(v) => v.push(0),
            Self::U32(v) => v.push(0),
        }
    }

    /// Frees the spare capacity left by growth.
    pub fn shrink_to_fit(&mut self) {
        match self {
            Self::U8(v) => v.shrink_to_fit(),
            Self::U16(v) => v.shrink_to_fit(),
            Self::U32(v) => v.shrink_to_fit(),
        }
    }

    /// Sample `s`'s index (0 past the end).
    #[must_use]
    pub fn get(&self, s: usize) -> u32 {
        match self {
            Self::U8(v) => v.get(s).map_or(0, |&i| u32::from(i)),
            Self::U16(v) => v.get(s).map_or(0, |&i| u32::from(i)),
            Self::U32(v) => v.get(s).copied().unwrap_or(0),
        }
    }

    /// Sets sample `s`'s index to `value`, widening the storage if `value`
    /// needs it; `s` past the end is ignored.
    pub fn set(&mut self, s: usize, value: u32) {
        if s >= self.len() {
            return;
        }
        match self {
            Self::U8(v) => match u8::try_from(value) {
                Ok(narrow) => v[s] = narrow,
                Err(_) => {
                    *self = Self::U16(v.iter().map(|&i| u16::from(i)).collect());
                    self.set(s, value);
                }
            },
            Self::U16(v) => match u16::try_from(value) {
                Ok(narrow) => v[s] = narrow,
                Err(_) => {
                    *self = Self::U32(v.iter().map(|&i| u32::from(i)).collect());
                    self.set(s, value);
                }
            },
            Self::U32(v) => v[s] = value,
        }
    }

    /// Every sample's index, in sample order.
    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        (0..self.len()).map(|s| self.get(s))
    }
}

#[cfg(test)]
mod tests {
    use super::SampleIndex;

    #[test]
    fn widens_only_when_a_value_needs_it_and_keeps_every_value() {
        let mut index = SampleIndex::zeros(4);
        index.set(1, 255);
        assert!(matches!(index, SampleIndex::U8(_)));
        index.set(2, 256);
        assert!(matches!(index, SampleIndex::U16(_)));
        index.set(3, 70_000);
        assert!(matches!(index, SampleIndex::U32(_)));
        assert_eq!(index.iter().collect::<Vec<_>>(), [0, 255, 256, 70_000]);
        // Small values after widening stay as set.
        index.set(3, 1);
        assert_eq!(index.get(3), 1);
    }

    #[test]
    fn resizing_and_pushing_add_zeros_and_out_of_range_is_zero_and_ignored() {
        let mut index = SampleIndex::zeros(1);
        index.set(0, 300);
        index.resize(2);
        index.push_zero();
        assert_eq!(index.len(), 3);
        assert_eq!(index.iter().collect::<Vec<_>>(), [300, 0, 0]);
        index.set(5, 9);
        assert_eq!(index.get(5), 0);
        assert_eq!(index.len(), 3);
        assert!(SampleIndex::default().is_empty());
    }
}
