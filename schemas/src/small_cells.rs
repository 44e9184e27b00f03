//! The small-cell rule shared by every shareable output: a count from 1 to
//! the threshold `k` (10 by default) is never shown, and where counts add up
//! to a total that is also shown, enough other counts are hidden with it
//! that subtraction cannot recover it (complementary suppression).

use crate::vocabulary::vocabulary;

vocabulary! {
    /// Why a row's numbers are hidden: the values of the
    /// `suppression_reason` columns.
    pub enum SuppressionReason {
        /// A count of the row is from 1 to `k`.
        SmallCell => "small_cell",
        /// Hidden with a small cell so that subtraction cannot recover it.
        Complementary => "complementary",
        /// Derived from a suppressed rate cell.
        DerivedFromSuppressedCell => "derived_from_suppressed_cell",
    }
}

/// The default threshold `k`: counts from 1 to 10 are hidden.
pub const DEFAULT_THRESHOLD: u64 = 10;

/// Smallest count shown as a number (besides zero) under the default rule.
pub const SMALL_CELL_LIMIT: u64 = DEFAULT_THRESHOLD + 1;

/// Whether `count` is a small cell under threshold `k` (1..=k).
pub fn is_small(count: u64, k: u64) -> bool {
    (1..=k).contains(&count)
}

/// A count under the small-cell rule: `0`, `"<k+1"` for 1..=k, or the count.
pub fn small_cell(count: u64, k: u64) -> String {
    if is_small(count, k) {
        format!("<{}", k + 1)
    } else {
        count.to_string()
    }
}

/// Which counts of a partition (counts adding up to a total that is also
/// shown) are hidden under threshold `k`: none when no count is small
/// (1..=k); otherwise the small ones and the smallest other non-zero ones,
/// until at least two are hidden and their sum `S` reaches `n + k - 1` for
/// `n` hidden counts. The total gives away `S`; every hidden count is then
/// anything from 1 to `S - (n - 1) >= k`, and since all hidden counts read
/// the same, subtraction pins none of them down.
pub fn partition_masks(counts: &[u64], k: u64) -> Vec<bool> {
    let mut hidden: Vec<bool> = counts.iter().map(|&c| is_small(c, k)).collect();
    if !hidden.contains(&true) {
        return hidden;
    }
    let mut others: Vec<usize> = (0..counts.len())
        .filter(|&i| !hidden[i] && counts[i] > 0)
        .collect();
    others.sort_by_key(|&i| (counts[i], i));
    let enough = |hidden: &[bool]| {
        let n = hidden.iter().filter(|h| **h).count() as u64;
        let sum: u64 = counts
            .iter()
            .zip(hidden)
            .filter(|(_, h)| **h)
            .map(|(c, _)| c)
            .sum();
        n >= 2 && sum >= n + k - 1
    };
    for i in others {
        if enough(&hidden) {
            break;
        }
        hidden[i] = true;
    }
    hidden
}

#[cfg(test)]
mod tests {
    use super::{partition_masks, small_cell, DEFAULT_THRESHOLD as K};

    #[test]
    fn small_counts_and_their_complements_are_hidden() {
        let (s, h) = (false, true);
        assert_eq!(partition_masks(&[990, 0, 12], K), [s, s, s]);
        assert_eq!(partition_masks(&[990, 3, 12], K), [s, h, h]);
        assert_eq!(partition_masks(&[990, 3, 12, 400], K), [s, h, h, s]);
        assert_eq!(partition_masks(&[0, 3, 0], K), [s, h, s]);
        assert_eq!(partition_masks(&[1, 1, 500], K), [h, h, h]);
        assert_eq!(partition_masks(&[10, 10, 30, 500], K), [h, h, s, s]);
        assert_eq!(partition_masks(&[3, 40, 50], 0), [s, s, s]);
        assert_eq!(partition_masks(&[3, 40, 50], 2), [s, s, s]);
        assert_eq!(partition_masks(&[2, 40, 50], 2), [h, h, s]);
    }

    #[test]
    fn small_cells_read_as_below_the_limit() {
        assert_eq!(small_cell(0, K), "0");
        assert_eq!(small_cell(1, K), "<11");
        assert_eq!(small_cell(10, K), "<11");
        assert_eq!(small_cell(11, K), "11");
        assert_eq!(small_cell(5, 5), "<6");
    }
}
