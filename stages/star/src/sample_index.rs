//! A per-sample index, stored as narrow as its values allow.
//!
//! Per gene, each cohort sample keeps the index of its genotype vector,
//! then of its call row. A gene has a few hundred distinct vectors and a
//! few distinct rows in a cohort of any size, so the index almost always
//! fits in a byte: one byte a sample and gene instead of four, which is 60
//! bytes a sample over the 20 genes called, 30 MB at 500,000 people. The
//! storage widens (u8, then u16, then u32) the first time a value needs it.

/// Per cohort sample, an index (0 until set), in the narrowest of `u8`,
/// `u16` and `u32` that holds every value set so far.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum SampleIndex {
    /// Every value is below 256.
    U8(Vec<u8>),
    /// Every value is below 65,536.
    U16(Vec<u16>),
    /// Any value.
    U32(Vec<u32>),
}

impl SampleIndex {
    /// `samples` samples, each at index 0.
    pub(crate) fn zeros(samples: usize) -> Self {
        Self::U8(vec![0; samples])
    }

    /// The number of samples.
    pub(crate) fn len(&self) -> usize {
        match self {
            Self::U8(v) => v.len(),
            Self::U16(v) => v.len(),
            Self::U32(v) => v.len(),
        }
    }

    /// Grows or shrinks to `samples` samples; added samples are at 0.
    pub(crate) fn resize(&mut self, samples: usize) {
        match self {
            Self::U8(v) => v.resize(samples, 0),
            Self::U16(v) => v.resize(samples, 0),
            Self::U32(v) => v.resize(samples, 0),
        }
    }

    /// Sample `s`'s index (0 past the end).
    pub(crate) fn get(&self, s: usize) -> u32 {
        match self {
            Self::U8(v) => v.get(s).map_or(0, |&i| u32::from(i)),
            Self::U16(v) => v.get(s).map_or(0, |&i| u32::from(i)),
            Self::U32(v) => v.get(s).copied().unwrap_or(0),
        }
    }

    /// Sets sample `s`'s index to `value`, widening the storage if
    /// `value` needs it; `s` past the end is ignored.
    pub(crate) fn set(&mut self, s: usize, value: u32) {
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
    pub(crate) fn iter(&self) -> impl Iterator<Item = u32> + '_ {
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
    fn resizing_adds_zeros_and_out_of_range_is_zero_and_ignored() {
        let mut index = SampleIndex::zeros(1);
        index.set(0, 300);
        index.resize(3);
        assert_eq!(index.len(), 3);
        assert_eq!(index.iter().collect::<Vec<_>>(), [300, 0, 0]);
        index.set(5, 9);
        assert_eq!(index.get(5), 0);
        assert_eq!(index.len(), 3);
    }
}
