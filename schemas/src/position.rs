//! A 1-based genomic position.

use std::fmt;
use std::num::NonZeroU32;

/// A 1-based genomic position, as in VCF's POS column.
///
/// htslib and BED use 0-based positions; readers convert them at the boundary
/// and never store them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position(NonZeroU32);

/// A position that is not a valid 1-based coordinate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PositionError {
    /// Zero, or a negative number, is not a 1-based position.
    #[error("position {value} is not a 1-based coordinate (must be at least 1)")]
    NotPositive {
        /// The value given.
        value: i64,
    },
    /// Larger than any chromosome tailor handles (u32::MAX).
    #[error("position {value} is beyond the largest supported coordinate")]
    TooLarge {
        /// The value given.
        value: i64,
    },
}

impl Position {
    /// A position from a 1-based value.
    ///
    /// # Errors
    /// [`PositionError`] if `value` is 0 or does not fit in 32 bits.
    pub fn new(value: u64) -> Result<Self, PositionError> {
        Self::try_from(i64::try_from(value).unwrap_or(i64::MAX))
    }

    /// A position from htslib's 0-based coordinate.
    ///
    /// # Errors
    /// [`PositionError`] if `zero_based` is negative or too large.
    pub fn from_zero_based(zero_based: i64) -> Result<Self, PositionError> {
        Self::try_from(zero_based.saturating_add(1))
    }

    /// The 1-based value.
    pub fn get(self) -> u32 {
        self.0.get()
    }

    /// The 0-based value, as htslib expects it.
    pub fn zero_based(self) -> u32 {
        self.0.get() - 1
    }
}

impl TryFrom<i64> for Position {
    type Error = PositionError;

    fn try_from(value: i64) -> Result<Self, Self::Error> {
        if value < 1 {
            return Err(PositionError::NotPositive { value });
        }
        let narrow = u32::try_from(value).map_err(|_| PositionError::TooLarge { value })?;
        NonZeroU32::new(narrow)
            .map(Position)
            .ok_or(PositionError::NotPositive { value })
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_between_bases() {
        let pos = Position::from_zero_based(99).unwrap();
        assert_eq!(pos.get(), 100);
        assert_eq!(pos.zero_based(), 99);
    }

    #[test]
    fn rejects_zero_and_negative() {
        assert_eq!(
            Position::new(0),
            Err(PositionError::NotPositive { value: 0 })
        );
        assert!(Position::from_zero_based(-1).is_err());
        assert!(Position::new(u64::from(u32::MAX) + 1).is_err());
    }
}
