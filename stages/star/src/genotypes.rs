//! Genotypes batches (in memory, or read from genotypes tables) as each
//! gene's matcher input: the cohort, and one gene's genotype cells.

use std::collections::{HashMap, HashSet};
use std::hash::BuildHasherDefault;
use std::path::Path;
use std::sync::Arc;

use arrow_array::{Array, RecordBatch};

use crate::cell_hasher::CellHasher;
use crate::columns::{value, Columns};
use crate::error::Result;
use crate::sample_set::SampleSet;
use crate::SampleAllele;
use tailor_tables::SampleIndex;

/// What a genotype row holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
enum Kind {
    #[default]
    Missing,
    Diploid,
    Haploid,
    /// `./1`: one strand missing.
    Partial,
}

/// One sample's genotype at one definition position, reduced to what the
/// matcher needs; alleles are indices into [`GeneGenotypes::alleles`]
/// (interned: a cohort repeats a few allele strings millions of times).
/// Small and `Copy`, so a sample's genotypes hash and compare cheaply.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
struct Cell {
    kind: Kind,
    allele_1: u32,
    allele_2: u32,
    phased: bool,
    phase_set: Option<i64>,
}

impl Cell {
    /// The matcher's view of this cell (`None`: missing).
    fn sample(&self, alleles: &[String]) -> Option<SampleAllele> {
        let get = |i: u32| alleles.get(i as usize).map_or(".", String::as_str);
        match self.kind {
            Kind::Missing => None,
            Kind::Diploid => Some(SampleAllele::diploid(
                get(self.allele_1),
                get(self.allele_2),
                self.phased,
                self.phase_set,
            )),
            Kind::Haploid => Some(SampleAllele::haploid(get(self.allele_1))),
            // `./1` keeps its called allele in its own slot, so the
            // missing strand stays the one the VCF says.
            Kind::Partial => Some(match (get(self.allele_1), get(self.allele_2)) {
                (".", called) if called != "." => {
                    SampleAllele::half_missing(called, false, self.phased)
                }
                (called, _) => SampleAllele::half_missing(called, true, self.phased),
            }),
        }
    }
}

/// The cohort being called: its samples, which every gene has a row for.
#[derive(Debug, Default)]
pub(crate) struct Genotypes {
    /// Sample names in first-seen order (shared with the caller's owner).
    pub samples: Arc<[String]>,
    /// Indices into `samples`, sorted by name: a name is found by binary
    /// search, with 4 bytes a sample instead of a second copy of each name.
    by_name: Vec<u32>,
}

impl Genotypes {
    /// The cohort of `samples` (first occurrence kept; distinct names are
    /// kept as they are, not copied).
    pub(crate) fn new(samples: Arc<[String]>) -> Self {
        let mut seen = HashSet::with_capacity(samples.len());
        let first: Vec<bool> = samples.iter().map(|s| seen.insert(s.as_str())).collect();
        drop(seen);
        let samples: Arc<[String]> = if first.iter().all(|&first| first) {
            samples
        } else {
            samples
                .iter()
                .zip(first)
                .filter(|&(_, first)| first)
                .map(|(sample, _)| sample.clone())
                .collect()
        };
        let mut by_name: Vec<u32> = (0..samples.len())
            .filter_map(|s| u32::try_from(s).ok())
            .collect();
        by_name.sort_unstable_by(|&a, &b| samples[a as usize].cmp(&samples[b as usize]));
        Self { samples, by_name }
    }

    /// Every sample as `(name, index)`, in name order (from the name index:
    /// no sorted copy of the cohort is made).
    pub(crate) fn in_name_order(&self) -> impl Iterator<Item = (&str, usize)> + '_ {
        self.by_name.iter().map(|&s| {
            let s = s as usize;
            (self.samples[s].as_str(), s)
        })
    }

    /// `name`'s index, if it is in the cohort.
    pub(crate) fn index_of(&self, name: &str) -> Option<usize> {
        self.by_name
            .binary_search_by(|&s| self.samples[s as usize].as_str().cmp(name))
            .ok()
            .map(|i| self.by_name[i] as usize)
    }
}

/// The id of the all-missing genotype vector in [`GeneGenotypes`].
const ALL_MISSING: u32 = 0;

/// One gene's genotypes for every sample of the cohort, aligned with the
/// gene's definition positions, held compactly: each sample keeps only the
/// id of its genotype vector, and each distinct vector is stored once (a
/// cohort of any size shares a few hundred per gene), so memory grows by
/// one or two bytes per sample ([`SampleIndex`]), not by the sample's cells.
pub(crate) struct GeneGenotypes {
    /// (1-based position, index into the definition positions), sorted.
    positions: Vec<(u32, usize)>,
    /// Distinct cell vectors -> their id (ids count up from [`ALL_MISSING`]).
    vectors: HashMap<Box<[Cell]>, u32, BuildHasherDefault<CellHasher>>,
    /// Per cohort sample, the id of its vector (grown as samples appear).
    which: SampleIndex,
    /// The sample whose rows are being added, and its cells so far.
    current: Option<usize>,
    scratch: Vec<Cell>,
    /// Interned allele strings, upper case.
    alleles: Vec<String>,
    /// Per definition position, the allele ids seen there (a handful).
    seen: Vec<Vec<u32>>,
    /// The samples with a genotype row called from aligned reads.
    from_reads: SampleSet,
}

impl GeneGenotypes {
    /// No genotypes yet (every cell missing) for `samples` samples at the
    /// definition positions `positions` (1-based, in definition order).
    pub(crate) fn new(positions: &[u32], samples: usize) -> Self {
        let mut sorted: Vec<(u32, usize)> =
            positions.iter().enumerate().map(|(i, &p)| (p, i)).collect();
        // A position listed twice resolves to its last index.
        sorted.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        sorted.dedup_by_key(|p| p.0);
        let missing = vec![Cell::default(); positions.len()];
        let mut vectors = HashMap::default();
        vectors.insert(missing.clone().into_boxed_slice(), ALL_MISSING);
        Self {
            positions: sorted,
            vectors,
            which: SampleIndex::zeros(samples),
            current: None,
            scratch: missing,
            alleles: Vec::new(),
            seen: vec![Vec::new(); positions.len()],
            from_reads: SampleSet::default(),
        }
    }

    /// Adds the rows of `batch` whose gene is `gene` (`path` names the batch
    /// in errors). A sample's first non-missing row at a position wins.
    pub(crate) fn add_batch(
        &mut self,
        path: &Path,
        batch: &RecordBatch,
        gene: &str,
        cohort: &Genotypes,
    ) -> Result<()> {
        let c = Columns::new(path, batch)?;
        // Rows come sample by sample: look a sample up once per run.
        let mut current: Option<(&str, Option<usize>)> = None;
        for row in 0..batch.num_rows() {
            if !c.is_complete(row) || c.gene.value(row) != gene {
                continue;
            }
            let name = c.sample.value(row);
            let s = match current {
                Some((last, s)) if last == name => s,
                _ => {
                    let s = cohort.index_of(name);
                    current = Some((name, s));
                    s
                }
            };
            let Some(s) = s else { continue };
            if c.is_from_reads(row) {
                self.from_reads.insert(s);
            }
            let pos = c.pos.value(row);
            let Ok(k) = self.positions.binary_search_by_key(&pos, |p| p.0) else {
                continue;
            };
            let i = self.positions[k].1;
            self.start_sample(s);
            if self.scratch[i].kind != Kind::Missing {
                continue;
            }
            self.scratch[i] = self.cell(&c, row, i);
        }
        // The current sample stays open: its rows may go on in the next batch.
        Ok(())
    }

    /// Makes `s` the sample whose cells are in `scratch`: the previous one
    /// is stored, and `s` starts from what it has so far.
    fn start_sample(&mut self, s: usize) {
        if self.current == Some(s) {
            return;
        }
        self.end_sample();
        if s >= self.which.len() {
            self.which.resize(s + 1);
        }
        let id = self.which.get(s);
        if id != ALL_MISSING {
            if let Some((cells, _)) = self.vectors.iter().find(|(_, &v)| v == id) {
                self.scratch.copy_from_slice(cells);
            }
        }
        self.current = Some(s);
    }

    /// Stores the current sample's cells as its vector (interned).
    fn end_sample(&mut self) {
        let Some(s) = self.current.take() else {
            return;
        };
        let next = u32::try_from(self.vectors.len()).unwrap_or(u32::MAX);
        let id = match self.vectors.get(self.scratch.as_slice()) {
            Some(&id) => id,
            None => {
                self.vectors
                    .insert(self.scratch.clone().into_boxed_slice(), next);
                next
            }
        };
        self.which.set(s, id);
        self.scratch.fill(Cell::default());
    }
    /// The cell of `row`, at definition position `i`.
    fn cell(&mut self, c: &Columns<'_>, row: usize, i: usize) -> Cell {
        let (a1, a2) = (value(c.allele_1, row), value(c.allele_2, row));
        let ploidy = if c.ploidy.is_null(row) {
            0
        } else {
            c.ploidy.value(row)
        };
        // ingest writes `./1` with the called allele in its slot and the
        // other null.
        let (kind, first, second) = match (a1, a2) {
            _ if c.is_partial(row) => (Kind::Partial, a1.unwrap_or("."), a2.unwrap_or(".")),
            (Some(a), Some(b)) if ploidy >= 2 => (Kind::Diploid, a, b),
            (Some(a), _) | (None, Some(a)) => (Kind::Haploid, a, "."),
            (None, None) => return Cell::default(),
        };
        Cell {
            kind,
            allele_1: self.intern(i, first),
            allele_2: self.intern(i, second),
            phased: !c.phased.is_null(row) && c.phased.value(row),
            phase_set: (!c.phase_set.is_null(row)).then(|| c.phase_set.value(row)),
        }
    }

    /// The id of `allele` (compared ignoring case) at position `i`.
    fn intern(&mut self, i: usize, allele: &str) -> u32 {
        let alleles = &self.alleles;
        if let Some(&id) = self.seen[i]
            .iter()
            .find(|&&id| alleles[id as usize].eq_ignore_ascii_case(allele))
        {
            return id;
        }
        let id = u32::try_from(self.alleles.len()).unwrap_or(u32::MAX);
        self.alleles.push(allele.to_ascii_uppercase());
        self.seen[i].push(id);
        id
    }

    /// The samples with a genotype row called from aligned reads (taken:
    /// the set is empty afterwards).
    pub(crate) fn take_from_reads(&mut self) -> SampleSet {
        std::mem::take(&mut self.from_reads)
    }

    /// The distinct genotype vectors of the cohort's first `samples`
    /// samples (aligned with the definition positions, as the matcher takes
    /// them, in order of first use) and, per sample, the index of its
    /// vector. Most of a cohort shares a few vectors for most genes.
    pub(crate) fn distinct(
        mut self,
        samples: usize,
    ) -> (Vec<Vec<Option<SampleAllele>>>, SampleIndex) {
        self.end_sample();
        self.which.resize(samples);
        let mut cells: Vec<Option<Box<[Cell]>>> = vec![None; self.vectors.len()];
        for (vector, id) in self.vectors.drain() {
            if let Some(slot) = cells.get_mut(id as usize) {
                *slot = Some(vector);
            }
        }
        // Renumber in order of first use, dropping vectors no sample kept.
        let mut renumbered: Vec<Option<u32>> = vec![None; cells.len()];
        let mut unique: Vec<Vec<Option<SampleAllele>>> = Vec::new();
        let mut which = SampleIndex::zeros(samples);
        for (s, id) in self.which.iter().enumerate() {
            let id = id as usize;
            let new = *renumbered[id].get_or_insert_with(|| {
                let vector = cells[id].as_deref().unwrap_or_default();
                unique.push(vector.iter().map(|c| c.sample(&self.alleles)).collect());
                u32::try_from(unique.len() - 1).unwrap_or(u32::MAX)
            });
            which.set(s, new);
        }
        (unique, which)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::sync::Arc;

    use arrow_array::builder::{ListBuilder, StringBuilder};
    use arrow_array::{ArrayRef, BooleanArray, Int64Array, StringArray, UInt32Array, UInt8Array};
    use tailor_schemas::genotypes as col;

    use super::*;
    use crate::error::Error;

    /// One genotypes row: sample, gene, pos, alleles, ploidy, phased, flags.
    type Spec<'a> = (
        &'a str,
        &'a str,
        u32,
        Option<&'a str>,
        Option<&'a str>,
        u8,
        bool,
        &'a [&'a str],
    );

    /// A batch with the columns the matcher reads (a subset of the schema).
    fn batch(rows: &[Spec<'_>]) -> RecordBatch {
        let strings = |f: &dyn Fn(&Spec<'_>) -> Option<String>| -> ArrayRef {
            Arc::new(rows.iter().map(f).collect::<StringArray>())
        };
        let mut flags = ListBuilder::new(StringBuilder::new());
        for row in rows {
            for flag in row.7 {
                flags.values().append_value(flag);
            }
            flags.append(true);
        }
        let columns: Vec<(&str, ArrayRef)> = vec![
            (col::SAMPLE_ID, strings(&|r| Some(r.0.to_owned()))),
            (col::GENE, strings(&|r| Some(r.1.to_owned()))),
            (
                col::POS,
                Arc::new(rows.iter().map(|r| r.2).collect::<UInt32Array>()),
            ),
            (col::ALLELE_1, strings(&|r| r.3.map(str::to_owned))),
            (col::ALLELE_2, strings(&|r| r.4.map(str::to_owned))),
            (
                col::PLOIDY,
                Arc::new(rows.iter().map(|r| r.5).collect::<UInt8Array>()),
            ),
            (
                col::PHASED,
                Arc::new(rows.iter().map(|r| Some(r.6)).collect::<BooleanArray>()),
            ),
            (
                col::PHASE_SET,
                Arc::new(Int64Array::from(vec![None; rows.len()])),
            ),
            (col::FLAGS, Arc::new(flags.finish())),
        ];
        RecordBatch::try_from_iter(columns).unwrap()
    }

    fn cohort() -> Genotypes {
        Genotypes::new(vec!["S1".to_owned(), "S2".to_owned(), "S3".to_owned()].into())
    }

    fn add(rows: &[Spec<'_>]) -> GeneGenotypes {
        let mut genotypes = GeneGenotypes::new(&[100, 200], 3);
        genotypes
            .add_batch(Path::new("t"), &batch(rows), "G", &cohort())
            .unwrap();
        genotypes
    }

    #[test]
    fn first_non_missing_row_wins_and_foreign_rows_are_ignored() {
        let genotypes = add(&[
            ("S1", "G", 100, None, None, 2, false, &[]),
            ("S1", "G", 100, Some("A"), Some("g"), 2, true, &[]),
            ("S1", "G", 100, Some("T"), Some("T"), 2, true, &[]),
            ("S1", "OTHER", 200, Some("T"), Some("T"), 2, true, &[]),
            ("S1", "G", 300, Some("T"), Some("T"), 2, true, &[]),
            (
                "NOT_IN_COHORT",
                "G",
                200,
                Some("T"),
                Some("T"),
                2,
                true,
                &[],
            ),
        ]);
        let (vectors, which) = genotypes.distinct(3);
        let s1 = &vectors[which.get(0) as usize];
        assert_eq!(s1[0], Some(SampleAllele::diploid("A", "G", true, None)));
        assert_eq!(s1[1], None);
        // S2 and S3 have no rows: one all-missing vector.
        assert_eq!(which.get(1), which.get(2));
        assert_eq!(vectors[which.get(1) as usize], vec![None, None]);
    }

    #[test]
    fn rows_become_diploid_haploid_partial_or_missing() {
        let genotypes = add(&[
            ("S1", "G", 100, Some("A"), None, 1, true, &[]),
            (
                "S1",
                "G",
                200,
                Some("A"),
                None,
                2,
                false,
                &[col::flags::PARTIAL_CALL],
            ),
            (
                "S2",
                "G",
                100,
                None,
                None,
                2,
                false,
                &[col::flags::PARTIAL_CALL],
            ),
            ("S2", "G", 200, Some("C"), Some("T"), 2, false, &[]),
            (
                "S3",
                "G",
                100,
                None,
                Some("T"),
                2,
                true,
                &[col::flags::PARTIAL_CALL],
            ),
        ]);
        let (vectors, which) = genotypes.distinct(3);
        let s1 = &vectors[which.get(0) as usize];
        assert_eq!(s1[0], Some(SampleAllele::haploid("A")));
        assert_eq!(s1[1], Some(SampleAllele::half_missing("A", true, false)));
        let s2 = &vectors[which.get(1) as usize];
        assert_eq!(s2[0], Some(SampleAllele::half_missing(".", true, false)));
        assert_eq!(s2[1], Some(SampleAllele::diploid("C", "T", false, None)));
        // `.|T`: the first strand is the missing one.
        let s3 = &vectors[which.get(2) as usize];
        assert_eq!(s3[0], Some(SampleAllele::half_missing("T", false, true)));
    }

    #[test]
    fn samples_with_the_same_genotypes_share_a_vector_whatever_the_case() {
        let genotypes = add(&[
            ("S1", "G", 100, Some("a"), Some("G"), 2, false, &[]),
            ("S2", "G", 100, Some("A"), Some("g"), 2, false, &[]),
            ("S3", "G", 100, Some("A"), Some("A"), 2, false, &[]),
        ]);
        let (vectors, which) = genotypes.distinct(3);
        assert_eq!(vectors.len(), 2);
        assert_eq!(which.iter().collect::<Vec<_>>(), [0, 0, 1]);
    }

    #[test]
    fn rows_split_over_batches_or_out_of_order_give_the_same_vectors() {
        let rows: [Spec<'_>; 6] = [
            ("S1", "G", 100, Some("A"), Some("G"), 2, false, &[]),
            ("S1", "G", 200, Some("C"), Some("C"), 2, false, &[]),
            ("S2", "G", 100, Some("A"), Some("G"), 2, false, &[]),
            ("S2", "G", 200, Some("C"), Some("T"), 2, false, &[]),
            ("S3", "G", 100, Some("A"), Some("G"), 2, false, &[]),
            ("S3", "G", 200, Some("C"), Some("C"), 2, false, &[]),
        ];
        let whole = add(&rows).distinct(3);
        // S1's rows in two batches; S2's first row after S3's rows.
        let mut split = GeneGenotypes::new(&[100, 200], 3);
        for part in [&rows[..1], &rows[1..2], &rows[4..], &rows[2..4]] {
            split
                .add_batch(Path::new("t"), &batch(part), "G", &cohort())
                .unwrap();
        }
        let mut shuffled = GeneGenotypes::new(&[100, 200], 3);
        let order = [rows[2], rows[0], rows[5], rows[3], rows[1], rows[4]];
        shuffled
            .add_batch(Path::new("t"), &batch(&order), "G", &cohort())
            .unwrap();
        assert_eq!(whole.1.iter().collect::<Vec<_>>(), [0, 1, 0]);
        assert_eq!(whole.0.len(), 2);
        assert_eq!(split.distinct(3), whole);
        assert_eq!(shuffled.distinct(3), whole);
    }

    #[test]
    fn the_cohort_comes_in_name_order_with_its_indices() {
        let cohort = Genotypes::new(vec!["S3".to_owned(), "S1".to_owned(), "S2".to_owned()].into());
        let order: Vec<_> = cohort.in_name_order().collect();
        assert_eq!(order, [("S1", 1), ("S2", 2), ("S3", 0)]);
    }

    #[test]
    fn a_missing_column_is_named() {
        let rows = batch(&[("S1", "G", 100, Some("A"), Some("A"), 2, false, &[])]);
        let without = rows.project(&[0, 1, 2, 3, 5, 6, 7, 8]).unwrap();
        let mut genotypes = GeneGenotypes::new(&[100], 3);
        let error = genotypes
            .add_batch(Path::new("t.parquet"), &without, "G", &cohort())
            .unwrap_err();
        assert!(
            matches!(error, Error::Column { column, .. } if column == col::ALLELE_2),
            "{error}"
        );
    }
}
