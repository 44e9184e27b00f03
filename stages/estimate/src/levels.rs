//! Interning a text column as it streams past: each distinct value is kept
//! once, each row as a small code ([`Codes`]); at the end the values are
//! sorted and the codes renumbered to match, so codes do not depend on the
//! order rows were read in.

use std::collections::HashMap;

use crate::codes::Codes;

/// Distinct values seen so far and a code per row.
#[derive(Debug, Default)]
pub struct LevelsBuilder {
    index: HashMap<Box<str>, u32>,
    codes: Codes,
}

/// Codes per row into `levels`, sorted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Levels {
    /// Code per row (`None`: missing).
    pub codes: Codes,
    /// Distinct values, sorted.
    pub levels: Vec<String>,
}

impl LevelsBuilder {
    /// Appends a row.
    pub fn push(&mut self, value: Option<&str>) {
        let code = value.map(|v| match self.index.get(v) {
            Some(&c) => c,
            None => {
                let c = u32::try_from(self.index.len()).unwrap_or(u32::MAX);
                self.index.insert(v.into(), c);
                c
            }
        });
        self.codes.push(code);
    }

    /// The sorted levels, with the codes renumbered into them.
    pub fn finish(self) -> Levels {
        let mut by_value: Vec<(Box<str>, u32)> = self.index.into_iter().collect();
        by_value.sort_unstable();
        let mut remap = vec![None; by_value.len()];
        for (sorted, (_, first_seen)) in by_value.iter().enumerate() {
            remap[*first_seen as usize] = Some(sorted as u32);
        }
        Levels {
            codes: self.codes.remap(&remap),
            levels: by_value.into_iter().map(|(v, _)| v.into()).collect(),
        }
    }
}

impl Levels {
    /// The code of `value`, if it occurs.
    pub fn code(&self, value: &str) -> Option<u32> {
        self.levels
            .binary_search_by(|l| l.as_str().cmp(value))
            .ok()
            .map(|i| i as u32)
    }
}

/// The count of each of `levels` levels among `rows` (codes `codes`),
/// and the reference level: `preferred` when some of the rows have it,
/// else the most frequent (ties to the lower code); `None` without levels.
pub fn reference_level(
    codes: &[Option<u32>],
    levels: usize,
    rows: &[usize],
    preferred: Option<u32>,
) -> (Option<u32>, Vec<u64>) {
    let mut counts = vec![0u64; levels];
    for &i in rows {
        if let Some(code) = codes[i] {
            counts[code as usize] += 1;
        }
    }
    let reference = preferred.filter(|r| counts[*r as usize] > 0).or_else(|| {
        (0..levels)
            .max_by(|&a, &b| counts[a].cmp(&counts[b]).then(b.cmp(&a)))
            .map(|l| l as u32)
    });
    (reference, counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_is_the_preferred_present_level_else_the_most_frequent() {
        let codes = [Some(1), Some(2), Some(2), None, Some(1)];
        let rows = [0, 1, 2, 3, 4];
        assert_eq!(
            reference_level(&codes, 3, &rows, Some(1)),
            (Some(1), vec![0, 2, 2])
        );
        assert_eq!(reference_level(&codes, 3, &rows, Some(0)).0, Some(1));
        assert_eq!(reference_level(&codes, 3, &[1, 2], None).0, Some(2));
        assert_eq!(reference_level(&codes, 0, &[], None).0, None);
    }

    #[test]
    fn codes_follow_the_sorted_values() {
        let mut builder = LevelsBuilder::default();
        for v in [Some("b"), None, Some("a"), Some("b"), Some("c")] {
            builder.push(v);
        }
        let levels = builder.finish();
        assert_eq!(levels.levels, ["a", "b", "c"]);
        assert_eq!(
            levels.codes.iter().collect::<Vec<_>>(),
            [Some(1), None, Some(0), Some(1), Some(2)]
        );
        assert_eq!(levels.code("c"), Some(2));
        assert_eq!(levels.code("d"), None);
    }
}
