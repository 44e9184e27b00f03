//! The diplotype PharmCAT looks recommendations up with for DPYD and RYR1
//! (its `LowestFunctionGeneCaller`): each haplotype is reduced to its
//! lowest-function named allele, and of several candidate diplotypes the
//! lowest-function one is kept. Unphased samples, which have only a list of
//! possible haplotypes, get the two lowest-function alleles of that list.

use std::cmp::Ordering;

use crate::name_order::compare_haplotype_names;
use crate::phenotype::PhenotypeTables;
use crate::GeneMatch;

/// A lowest-function diplotype.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct LowestFunction {
    /// The two haplotypes in PharmCAT's name order (`None`: one only).
    pub haplotype_1: String,
    /// Second haplotype.
    pub haplotype_2: Option<String>,
    /// Match score of the candidate it came from (`None` from the
    /// unphased haplotype list).
    pub score: Option<i32>,
}

impl LowestFunction {
    /// `a/b`.
    pub(crate) fn name(&self) -> String {
        match &self.haplotype_2 {
            Some(h2) => format!("{}/{h2}", self.haplotype_1),
            None => self.haplotype_1.clone(),
        }
    }
}

/// How one gene ranks haplotypes, lowest function first.
struct Ranking<'a> {
    gene: &'a str,
    tables: &'a PhenotypeTables,
}

impl Ranking<'_> {
    fn malignant(&self, haplotype: &str) -> bool {
        self.tables
            .function(self.gene, haplotype)
            .is_some_and(|f| f.contains("Malignant"))
    }

    /// DPYD: by activity value (an allele without one first, as PharmCAT's
    /// null-first comparison does); RYR1: malignant first; then by name.
    fn haplotypes(&self, a: &str, b: &str) -> Ordering {
        let by_function = if self.gene == "RYR1" {
            self.malignant(b).cmp(&self.malignant(a))
        } else {
            let value = |h: &str| self.tables.activity_value(self.gene, h);
            match (value(a), value(b)) {
                (Some(x), Some(y)) => x.total_cmp(&y),
                (x, y) => x.is_some().cmp(&y.is_some()),
            }
        };
        by_function.then_with(|| compare_haplotype_names(a, b))
    }

    /// The lowest-function allele of one haplotype's components.
    fn lowest<'n>(&self, names: &'n [String]) -> Option<&'n str> {
        names
            .iter()
            .map(String::as_str)
            .min_by(|a, b| self.haplotypes(a, b))
    }

    /// DPYD: lower activity score first (an allele without one counts 2);
    /// RYR1: more malignant alleles first; then by names.
    fn diplotypes(&self, a: (&str, &str), b: (&str, &str)) -> Ordering {
        let by_function = if self.gene == "RYR1" {
            let count =
                |(x, y): (&str, &str)| u8::from(self.malignant(x)) + u8::from(self.malignant(y));
            count(b).cmp(&count(a))
        } else {
            let value = |h: &str| self.tables.activity_value(self.gene, h).unwrap_or(2.0);
            let score = |(x, y): (&str, &str)| value(x) + value(y);
            score(a).total_cmp(&score(b))
        };
        by_function
            .then_with(|| compare_haplotype_names(a.0, b.0))
            .then_with(|| compare_haplotype_names(a.1, b.1))
    }
}

/// The lowest-function diplotype of a DPYD or RYR1 call, or `None` when the
/// call has neither candidates nor a haplotype list.
pub(crate) fn lowest_function_diplotype(
    gene: &str,
    call: &GeneMatch,
    tables: &PhenotypeTables,
) -> Option<LowestFunction> {
    let ranking = Ranking { gene, tables };
    let ordered = |a: &str, b: Option<&str>, score| {
        let (h1, h2) = match b {
            Some(b) if compare_haplotype_names(b, a) == Ordering::Less => (b, Some(a)),
            _ => (a, b),
        };
        LowestFunction {
            haplotype_1: h1.to_owned(),
            haplotype_2: h2.map(str::to_owned),
            score,
        }
    };
    if call.diplotypes.is_empty() {
        let mut names: Vec<&str> = call.haplotype_matches.iter().map(String::as_str).collect();
        names.sort_by(|a, b| ranking.haplotypes(a, b));
        let first = *names.first()?;
        return Some(ordered(first, names.get(1).copied(), None));
    }
    let mut best: Option<(&str, Option<&str>, i32)> = None;
    for d in &call.diplotypes {
        let Some(h1) = ranking.lowest(&d.components_1) else {
            continue;
        };
        let h2 = d.components_2.as_deref().and_then(|c| ranking.lowest(c));
        let better = match best {
            None => true,
            Some((b1, b2, _)) => ranking.diplotypes(pair(h1, h2), pair(b1, b2)) == Ordering::Less,
        };
        if better {
            best = Some((h1, h2, d.score));
        }
    }
    best.map(|(h1, h2, score)| ordered(h1, h2, Some(score)))
}

/// Both haplotypes of a diplotype (the first twice when it has one only).
fn pair<'x>(first: &'x str, second: Option<&'x str>) -> (&'x str, &'x str) {
    (first, second.unwrap_or(first))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Diplotype;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    fn candidate(first: &[&str], second: &[&str], score: i32) -> Diplotype {
        Diplotype {
            name: String::new(),
            haplotype_1: String::new(),
            haplotype_2: None,
            score,
            combination: false,
            partial: false,
            components_1: names(first),
            components_2: Some(names(second)),
        }
    }

    fn call(diplotypes: Vec<Diplotype>, haplotypes: &[&str]) -> GeneMatch {
        GeneMatch {
            diplotypes,
            no_call: None,
            phased: false,
            effectively_phased: false,
            missing_positions: Vec::new(),
            undocumented_positions: Vec::new(),
            undocumented_as_reference: false,
            priority_pick: false,
            haplotype_matches: names(haplotypes),
            lowest_function: true,
            hapb3_warnings: Vec::new(),
        }
    }

    fn pair(l: &LowestFunction) -> (&str, Option<&str>) {
        (&l.haplotype_1, l.haplotype_2.as_deref())
    }

    #[test]
    fn dpyd_takes_the_lowest_activity_component_and_candidate() {
        let tables = PhenotypeTables::embedded();
        // *2A (0) beats *9A (1) within a combination.
        let combination = call(
            vec![candidate(
                &["Reference"],
                &["c.85T>C (*9A)", "c.1905+1G>A (*2A)"],
                9,
            )],
            &[],
        );
        let l = lowest_function_diplotype("DPYD", &combination, &tables).unwrap();
        assert_eq!(pair(&l), ("Reference", Some("c.1905+1G>A (*2A)")));
        assert_eq!(l.score, Some(9));
        // Of two candidates, the lower activity sum (0.5 + 1 < 1 + 1).
        let two = call(
            vec![
                candidate(&["Reference"], &["c.62G>A"], 4),
                candidate(&["c.2846A>T"], &["Reference"], 3),
            ],
            &[],
        );
        let l = lowest_function_diplotype("DPYD", &two, &tables).unwrap();
        assert_eq!(pair(&l), ("Reference", Some("c.2846A>T")));
        assert_eq!(l.score, Some(3));
        // Unphased: the two lowest of the possible haplotypes.
        let list = call(Vec::new(), &["c.62G>A", "c.2846A>T", "c.61C>T"]);
        let l = lowest_function_diplotype("DPYD", &list, &tables).unwrap();
        assert_eq!(pair(&l), ("c.61C>T", Some("c.2846A>T")));
        assert_eq!(l.score, None);
        assert!(lowest_function_diplotype("DPYD", &call(Vec::new(), &[]), &tables).is_none());
    }

    #[test]
    fn ryr1_puts_malignant_alleles_first() {
        let tables = PhenotypeTables::embedded();
        // Malignant first; the rest by name only (PharmCAT does not rank
        // uncertain function below normal), so Reference comes next.
        let list = call(Vec::new(), &["Reference", "c.1589G>A", "c.1021G>A"]);
        let l = lowest_function_diplotype("RYR1", &list, &tables).unwrap();
        assert_eq!(pair(&l), ("Reference", Some("c.1021G>A")));
        let two = call(
            vec![
                candidate(&["Reference"], &["c.1589G>A"], 5),
                candidate(&["Reference"], &["c.103T>C"], 5),
            ],
            &[],
        );
        let l = lowest_function_diplotype("RYR1", &two, &tables).unwrap();
        assert_eq!(pair(&l), ("Reference", Some("c.103T>C")));
    }
}
