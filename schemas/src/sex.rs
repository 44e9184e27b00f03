//! A sample's sex, as `--sex` gives it, and the run's map of them.

use std::sync::Arc;

/// A sample's sex, as far as its X chromosome goes: a male's chrX
/// genotypes are haploid (ingest), and G6PD's phenotype depends on it
/// (call).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sex {
    /// One X chromosome (hemizygous).
    Male,
    /// Two X chromosomes.
    Female,
}

/// Each sample's sex by sample name (samples of unknown sex left out),
/// read once per run and shared by the stages: a clone shares the map.
/// Names are held sorted, one boxed string each, and found by binary
/// search: about 50 bytes a sample, where a `HashMap<String, Sex>` took 70
/// to 100 and `tailor call` held two.
///
/// ```
/// use tailor_schemas::{SampleSexes, Sex};
///
/// let sexes = SampleSexes::new(vec![("NA12878".into(), Sex::Female), ("HG00096".into(), Sex::Male)]);
/// assert_eq!(sexes.get("HG00096"), Some(Sex::Male));
/// assert_eq!(sexes.get("HG00097"), None);
/// assert_eq!(sexes.len(), 2);
/// ```
#[derive(Clone, Debug, Default)]
pub struct SampleSexes {
    /// Sorted by name, one entry a name.
    by_name: Arc<[(Box<str>, Sex)]>,
}

impl SampleSexes {
    /// The map of `entries`; a name given twice keeps its first sex
    /// (readers reject repeated names before).
    pub fn new(entries: Vec<(String, Sex)>) -> Self {
        let mut by_name: Vec<(Box<str>, Sex)> = entries
            .into_iter()
            .map(|(name, sex)| (name.into_boxed_str(), sex))
            .collect();
        // Stable: the first of a repeated name stays first.
        by_name.sort_by(|a, b| a.0.cmp(&b.0));
        by_name.dedup_by(|later, first| later.0 == first.0);
        Self {
            by_name: by_name.into(),
        }
    }

    /// The sex of `sample`, if known.
    pub fn get(&self, sample: &str) -> Option<Sex> {
        self.by_name
            .binary_search_by(|(name, _)| (**name).cmp(sample))
            .ok()
            .map(|i| self.by_name[i].1)
    }

    /// Samples of known sex.
    pub fn len(&self) -> usize {
        self.by_name.len()
    }

    /// Whether no sample has a known sex.
    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_names_and_keeps_the_first_of_a_repeat() {
        let sexes = SampleSexes::new(vec![
            ("B".into(), Sex::Male),
            ("A".into(), Sex::Female),
            ("B".into(), Sex::Female),
        ]);
        assert_eq!(sexes.len(), 2);
        assert_eq!(sexes.get("A"), Some(Sex::Female));
        assert_eq!(sexes.get("B"), Some(Sex::Male));
        assert_eq!(sexes.get(""), None);
        assert!(SampleSexes::default().is_empty());
        let shared = sexes.clone();
        assert!(Arc::ptr_eq(&shared.by_name, &sexes.by_name));
    }
}
