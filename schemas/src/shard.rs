//! `--shard K/N`: the K-th of N contiguous blocks of samples.

use std::fmt;
use std::num::NonZeroUsize;
use std::ops::Range;
use std::str::FromStr;

/// Name of the key-value metadata entry that marks a table as one shard of
/// a cohort (`3/7`); `tailor merge` removes it, so a merged table's metadata
/// is the unsharded run's.
pub const SHARD_KEY: &str = "tailor.shard";

/// Shard `index` of `count` (both 1-based, as bcftools and Snakemake users
/// write them): samples in input order are cut into `count` contiguous
/// blocks of `ceil(n / count)` samples, and shard K gets the K-th block
/// (the last blocks may be shorter, or empty when `count` exceeds `n`).
///
/// ```
/// use tailor_schemas::Shard;
///
/// let shard: Shard = "2/3".parse().unwrap();
/// assert_eq!(shard.block(10), 4..8);
/// assert_eq!(shard.to_string(), "2/3");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Shard {
    index: NonZeroUsize,
    count: NonZeroUsize,
}

/// Why a `--shard` value is not `K/N` with `1 <= K <= N`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ShardError {
    /// Not two whole numbers separated by `/`.
    #[error("{value:?} is not K/N (e.g. 3/40: the third of 40 shards)")]
    NotKOverN {
        /// The value given.
        value: String,
    },
    /// K is 0 or greater than N.
    #[error(
        "shard {index}/{count}: K must be between 1 and N ({count}); shards are numbered from 1"
    )]
    OutOfRange {
        /// K as given.
        index: usize,
        /// N as given.
        count: usize,
    },
}

impl Shard {
    /// Shard `index` of `count`, both 1-based.
    ///
    /// # Errors
    /// [`ShardError::OutOfRange`] unless `1 <= index <= count`.
    pub fn new(index: usize, count: usize) -> Result<Self, ShardError> {
        let out = ShardError::OutOfRange { index, count };
        let (Some(i), Some(n)) = (NonZeroUsize::new(index), NonZeroUsize::new(count)) else {
            return Err(out);
        };
        if index > count {
            return Err(out);
        }
        Ok(Self { index: i, count: n })
    }

    /// K, 1-based.
    pub fn index(self) -> usize {
        self.index.get()
    }

    /// N.
    pub fn count(self) -> usize {
        self.count.get()
    }

    /// The positions (0-based, in input order) of this shard's samples
    /// among `samples` samples.
    pub fn block(self, samples: usize) -> Range<usize> {
        let size = samples.div_ceil(self.count());
        let start = ((self.index() - 1) * size).min(samples);
        let end = (self.index() * size).min(samples);
        start..end
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl FromStr for Shard {
    type Err = ShardError;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        let not = || ShardError::NotKOverN {
            value: value.to_owned(),
        };
        let (k, n) = value.split_once('/').ok_or_else(not)?;
        let k: usize = k.trim().parse().map_err(|_| not())?;
        let n: usize = n.trim().parse().map_err(|_| not())?;
        Self::new(k, n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_cover_every_sample_once_in_order() {
        for samples in [0, 1, 5, 10, 2504] {
            for count in [1, 3, 7, 40] {
                let mut next = 0;
                for index in 1..=count {
                    let block = Shard::new(index, count).unwrap().block(samples);
                    assert_eq!(block.start, next);
                    assert!(block.len() <= samples.div_ceil(count));
                    next = block.end;
                }
                assert_eq!(next, samples);
            }
        }
    }

    #[test]
    fn ten_samples_in_seven_shards_leave_the_last_two_empty() {
        let blocks: Vec<_> = (1..=7)
            .map(|k| Shard::new(k, 7).unwrap().block(10))
            .collect();
        assert_eq!(blocks[0], 0..2);
        assert_eq!(blocks[4], 8..10);
        assert!(blocks[5].is_empty() && blocks[6].is_empty());
    }

    #[test]
    fn parse_rejects_what_is_not_one_based_k_of_n() {
        assert_eq!("3/40".parse::<Shard>().unwrap(), Shard::new(3, 40).unwrap());
        assert!(matches!(
            "0/3".parse::<Shard>(),
            Err(ShardError::OutOfRange { index: 0, count: 3 })
        ));
        assert!(matches!(
            "4/3".parse::<Shard>(),
            Err(ShardError::OutOfRange { .. })
        ));
        assert!(matches!(
            "3".parse::<Shard>(),
            Err(ShardError::NotKOverN { .. })
        ));
        assert!(matches!(
            "a/b".parse::<Shard>(),
            Err(ShardError::NotKOverN { .. })
        ));
        assert!("1/0".parse::<Shard>().is_err());
    }
}
