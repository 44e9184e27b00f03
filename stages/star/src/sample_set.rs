//! A set of cohort samples by index, a bit each: per gene, which samples'
//! genotypes came from aligned reads.

/// Cohort sample indices, a bit per sample (a 500,000-sample cohort
/// takes 62.5 KB).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct SampleSet {
    words: Vec<u64>,
}

impl SampleSet {
    /// Adds sample `s`.
    pub(crate) fn insert(&mut self, s: usize) {
        let (word, bit) = (s / 64, s % 64);
        if word >= self.words.len() {
            self.words.resize(word + 1, 0);
        }
        self.words[word] |= 1 << bit;
    }

    /// Whether sample `s` is in the set.
    pub(crate) fn contains(&self, s: usize) -> bool {
        self.words
            .get(s / 64)
            .is_some_and(|word| word & (1 << (s % 64)) != 0)
    }
}

#[cfg(test)]
mod tests {
    use super::SampleSet;

    #[test]
    fn holds_exactly_the_samples_inserted() {
        let mut set = SampleSet::default();
        assert!(!set.contains(0));
        for s in [0, 63, 64, 130] {
            set.insert(s);
        }
        let members: Vec<usize> = (0..200).filter(|&s| set.contains(s)).collect();
        assert_eq!(members, vec![0, 63, 64, 130]);
    }
}
