//! The cohort's rows: each merged clinical row whose patient has exactly
//! one genotyped sample, under its output id (pseudonym or trimmed id), in
//! output order (by id, then episode id). A row costs two indices, an
//! index into the output order and, with a key, its 32-byte pseudonyms.

use std::cmp::Ordering;

use crate::clinical::{file_path, FileStats};
use crate::clinical_rows::ClinicalRows;
use crate::findings::Findings;
use crate::merge::Merged;
use crate::options::PseudonymKey;
use crate::patients::{Genotyped, Patients};
use crate::pseudonym::{episode_pseudonym, pseudonym_bytes};
use crate::report::{Location, WarningKind};

/// One cohort row: its merged clinical row and its calls sample.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Entry {
    /// The merged clinical row (see [`Merged`]).
    pub row: u32,
    /// Sample index in the calls table.
    pub sample: u32,
}

/// A row's output id (or episode id), as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum OutputId<'a> {
    /// An HMAC pseudonym, written as 64 lowercase hex digits (whose order
    /// is the order of the bytes).
    Pseudonym(&'a [u8; 32]),
    /// The trimmed id as read (no key given).
    Plain(&'a str),
}

/// The cohort's rows.
#[derive(Debug, Default)]
pub(crate) struct Cohort {
    /// The rows, in merged (patient, episode) order.
    entries: Vec<Entry>,
    /// With a key: each entry's patient pseudonym.
    pseudonyms: Vec<[u8; 32]>,
    /// With a key and episodes: each entry's episode pseudonym.
    episode_pseudonyms: Vec<[u8; 32]>,
    /// Indices into `entries`, in output order.
    order: Vec<u32>,
    /// Input rows merged into other rows (from several tables).
    pub merged_rows: u64,
}

impl Cohort {
    /// Rows in the cohort.
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// The rows, in output order.
    pub(crate) fn entries(&self) -> impl Iterator<Item = Entry> + '_ {
        self.order.iter().map(|&i| self.entries[i as usize])
    }

    /// The rows of output positions `range`.
    pub(crate) fn chunk(&self, start: usize, end: usize) -> impl Iterator<Item = Entry> + '_ {
        self.order[start..end]
            .iter()
            .map(|&i| self.entries[i as usize])
    }

    /// Output id and episode id of the entry at `index` (into `entries`).
    fn ids<'a>(
        &'a self,
        rows: &'a ClinicalRows,
        index: usize,
    ) -> (Option<OutputId<'a>>, Option<OutputId<'a>>) {
        let row = self.entries[index].row as usize;
        match self.pseudonyms.get(index) {
            Some(p) => (
                Some(OutputId::Pseudonym(p)),
                self.episode_pseudonyms.get(index).map(OutputId::Pseudonym),
            ),
            None => (
                rows.patient(row).map(OutputId::Plain),
                rows.episode(row).map(OutputId::Plain),
            ),
        }
    }

    /// Output id and episode id of the rows of output positions
    /// `start..end`, in output order.
    pub(crate) fn chunk_ids<'a>(
        &'a self,
        rows: &'a ClinicalRows,
        start: usize,
        end: usize,
    ) -> impl Iterator<Item = (Option<OutputId<'a>>, Option<OutputId<'a>>)> + 'a {
        self.order[start..end]
            .iter()
            .map(move |&i| self.ids(rows, i as usize))
    }

    /// Distinct output ids (patients written).
    pub(crate) fn patients(&self, rows: &ClinicalRows) -> u64 {
        let mut count = 0;
        let mut last = None;
        for &i in &self.order {
            let (id, _) = self.ids(rows, i as usize);
            if last != Some(id) {
                count += 1;
                last = Some(id);
            }
        }
        count
    }
}

/// Builds the cohort from the merged rows: a patient without a genotyped
/// sample, or with several, is excluded (each of its input rows recorded
/// in `findings`).
pub(crate) fn build_cohort(
    rows: &ClinicalRows,
    merged: &Merged,
    patients: &Patients<'_>,
    key: Option<&PseudonymKey>,
    files: &[FileStats],
    findings: &mut Findings,
) -> Cohort {
    let mut cohort = Cohort {
        entries: Vec::with_capacity(merged.rows.len()),
        ..Cohort::default()
    };
    if key.is_some() {
        cohort.pseudonyms.reserve_exact(merged.rows.len());
        if rows.episodes.is_some() {
            cohort.episode_pseudonyms.reserve_exact(merged.rows.len());
        }
    }
    // Rows come sorted by patient: one HMAC per patient.
    let mut last: Option<(&str, [u8; 32])> = None;
    for &row in &merged.rows {
        let patient = rows.patient(row as usize).unwrap_or_default();
        let sample = match patients.genotyped(patient) {
            Genotyped::One(sample) => sample,
            excluded => {
                let kind = match excluded {
                    Genotyped::Several => WarningKind::SeveralSamplesPerPatient,
                    _ => WarningKind::ClinicalWithoutGenotypes,
                };
                // Each input row in its own file, for the per-file counts.
                for source in merged.sources(row) {
                    let source = source as usize;
                    let location = Location {
                        file: file_path(files, rows.file(source)).display().to_string(),
                        line: Some(rows.line(source)),
                    };
                    findings.add(kind, None, 1, Some(location));
                }
                continue;
            }
        };
        cohort.merged_rows += merged.rows_of(row) - 1;
        if let Some(key) = key {
            let id = match last {
                Some((raw, id)) if raw == patient => id,
                _ => pseudonym_bytes(key, patient),
            };
            last = Some((patient, id));
            cohort.pseudonyms.push(id);
            if let Some(episode) = rows.episode(row as usize) {
                cohort
                    .episode_pseudonyms
                    .push(episode_pseudonym(key, patient, episode));
            }
        }
        cohort.entries.push(Entry { row, sample });
    }
    let mut order: Vec<u32> = (0..cohort.entries.len())
        .filter_map(|i| u32::try_from(i).ok())
        .collect();
    // Stable, as ties (none are expected) keep the merged order.
    order.sort_by(|&a, &b| -> Ordering {
        cohort
            .ids(rows, a as usize)
            .cmp(&cohort.ids(rows, b as usize))
    });
    cohort.order = order;
    cohort
}
