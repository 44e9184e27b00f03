//! Which of an input's samples a stage reads: `-s/-S` (bcftools'
//! conventions), then `--shard K/N` over what they leave.

use std::collections::HashSet;

use crate::Shard;

/// Samples named by `-s LIST` or `-S FILE`: to keep, or (`^` prefix) to
/// drop.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum SampleList {
    /// Every sample.
    #[default]
    All,
    /// Only these samples (kept in input order, not list order).
    Include(Vec<String>),
    /// Every sample but these.
    Exclude(Vec<String>),
}

/// The samples a stage reads, and which shard of them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SampleSelection {
    /// `-s/-S`.
    pub list: SampleList,
    /// Ignore listed names the input does not have (bcftools'
    /// `--force-samples`); otherwise they are an error.
    pub force: bool,
    /// `--shard K/N`, applied to the samples the list leaves.
    pub shard: Option<Shard>,
}

/// A listed sample the input does not have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "sample {name:?} (from -s/-S) is not in the input; check the spelling, or add \
     --force-samples to ignore names the input lacks"
)]
pub struct UnknownSample {
    /// The name as listed (given by the user, so it may be quoted back).
    pub name: String,
}

impl SampleSelection {
    /// Whether every sample is read.
    pub fn is_all(&self) -> bool {
        self.list == SampleList::All && self.shard.is_none()
    }

    /// The positions of the selected samples among `samples` (input
    /// order), ascending.
    ///
    /// # Errors
    /// [`UnknownSample`] for the first listed name `samples` lacks, unless
    /// [`Self::force`].
    pub fn select(&self, samples: &[String]) -> Result<Vec<usize>, UnknownSample> {
        let listed = match &self.list {
            SampleList::All => None,
            SampleList::Include(names) | SampleList::Exclude(names) => Some(names),
        };
        let names: HashSet<&str> = listed.into_iter().flatten().map(String::as_str).collect();
        if !self.force {
            let present: HashSet<&str> = samples.iter().map(String::as_str).collect();
            if let Some(name) = listed
                .into_iter()
                .flatten()
                .find(|n| !present.contains(n.as_str()))
            {
                return Err(UnknownSample { name: name.clone() });
            }
        }
        let keep = |name: &str| match &self.list {
            SampleList::All => true,
            SampleList::Include(_) => names.contains(name),
            SampleList::Exclude(_) => !names.contains(name),
        };
        let selected: Vec<usize> = samples
            .iter()
            .enumerate()
            .filter(|(_, name)| keep(name))
            .map(|(i, _)| i)
            .collect();
        Ok(match self.shard {
            Some(shard) => selected[shard.block(selected.len())].to_vec(),
            None => selected,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cohort() -> Vec<String> {
        ["HG1", "HG2", "HG3", "HG4", "HG5"]
            .map(String::from)
            .to_vec()
    }

    fn list(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn include_keeps_input_order() {
        let selection = SampleSelection {
            list: SampleList::Include(list(&["HG4", "HG2"])),
            ..SampleSelection::default()
        };
        assert_eq!(selection.select(&cohort()).unwrap(), [1, 3]);
    }

    #[test]
    fn exclude_then_shard() {
        let selection = SampleSelection {
            list: SampleList::Exclude(list(&["HG1"])),
            shard: Some(Shard::new(2, 3).unwrap()),
            ..SampleSelection::default()
        };
        // HG2..HG5 in blocks of 2: shard 2 is HG4, HG5.
        assert_eq!(selection.select(&cohort()).unwrap(), [3, 4]);
    }

    #[test]
    fn unknown_names_fail_unless_forced() {
        let mut selection = SampleSelection {
            list: SampleList::Include(list(&["HG2", "NA0"])),
            ..SampleSelection::default()
        };
        assert_eq!(
            selection.select(&cohort()).unwrap_err().name,
            "NA0".to_owned()
        );
        selection.force = true;
        assert_eq!(selection.select(&cohort()).unwrap(), [1]);
        assert!(!selection.is_all());
        assert!(SampleSelection::default().is_all());
    }
}
