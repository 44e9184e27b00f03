//! Resolving patients: each calls sample's patient (through the sample map,
//! or the sample name itself) and, for a patient id, its genotyped samples.
//! Samples are kept ordered by patient, so a lookup is a binary search and
//! costs no map entry (or id copy) per patient.

use crate::calls::Calls;
use crate::clinical_rows::ClinicalRows;
use crate::findings::Findings;
use crate::report::{Location, WarningKind};
use crate::sample_map::SampleMap;

/// Whether a patient has no genotyped sample, one, or several.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Genotyped {
    /// No calls sample maps to the patient.
    None,
    /// Exactly this calls sample.
    One(u32),
    /// More than one sample: the join cannot tell which to use.
    Several,
}

/// The calls' samples and their patients.
pub(crate) struct Patients<'a> {
    calls: &'a Calls,
    map: Option<&'a SampleMap>,
    /// Samples that have a patient, ordered by (patient, sample).
    by_patient: Vec<u32>,
}

impl<'a> Patients<'a> {
    /// Orders the samples of `calls` by patient.
    pub(crate) fn new(calls: &'a Calls, map: Option<&'a SampleMap>) -> Self {
        let mut patients = Self {
            calls,
            map,
            by_patient: Vec::new(),
        };
        let mut by_patient: Vec<u32> = (0..calls.samples.len())
            .filter(|&s| patients.patient(s).is_some())
            .filter_map(|s| u32::try_from(s).ok())
            .collect();
        by_patient.sort_unstable_by(|&a, &b| {
            let key = |s: u32| (patients.patient(s as usize), s);
            key(a).cmp(&key(b))
        });
        patients.by_patient = by_patient;
        patients
    }

    /// The patient of calls sample `sample`: the map's, or the sample name
    /// itself; `None` if the map does not list the sample.
    pub(crate) fn patient(&self, sample: usize) -> Option<&'a str> {
        let name = self.calls.samples.get(sample)?;
        match self.map {
            Some(map) => map.patients.get(name).map(|p| &**p),
            None => Some(name),
        }
    }

    /// The genotyped samples of `patient`.
    pub(crate) fn genotyped(&self, patient: &str) -> Genotyped {
        let start = self
            .by_patient
            .partition_point(|&s| self.patient(s as usize) < Some(patient));
        let mut matching = self.by_patient[start..]
            .iter()
            .take_while(|&&s| self.patient(s as usize) == Some(patient));
        match (matching.next(), matching.next()) {
            (None, _) => Genotyped::None,
            (Some(&sample), None) => Genotyped::One(sample),
            (Some(_), Some(_)) => Genotyped::Several,
        }
    }

    /// Records the samples the map does not list and the genotyped
    /// patients without any clinical row (`by_patient`: the clinical rows
    /// with a patient id, ordered by it), in sample order.
    pub(crate) fn check_samples(
        &self,
        rows: &ClinicalRows,
        by_patient: &[u32],
        calls_file: &str,
        findings: &mut Findings,
    ) {
        let has_clinical = |patient: &str| {
            let at = by_patient.partition_point(|&r| rows.patient(r as usize) < Some(patient));
            by_patient
                .get(at)
                .is_some_and(|&r| rows.patient(r as usize) == Some(patient))
        };
        for sample in 0..self.calls.samples.len() {
            let kind = match self.patient(sample) {
                None => WarningKind::SamplesNotInMap,
                Some(patient) if !has_clinical(patient) => WarningKind::GenotypedWithoutClinical,
                Some(_) => continue,
            };
            let location = Location {
                file: calls_file.to_owned(),
                line: self.calls.first_row.get(sample).copied(),
            };
            findings.add(kind, None, 1, Some(location));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn calls(samples: &[&str]) -> Calls {
        let mut calls = Calls::default();
        for (row, sample) in samples.iter().enumerate() {
            calls.samples.push(Some(sample));
            calls.first_row.push(row as u64 + 1);
        }
        calls
    }

    #[test]
    fn finds_one_several_or_no_sample_per_patient() {
        let calls = calls(&["S3", "S1", "S2"]);
        let mut map = SampleMap::default();
        map.patients.insert("S1".into(), "P1".into());
        map.patients.insert("S2".into(), "P2".into());
        map.patients.insert("S3".into(), "P2".into());
        let by_name = Patients::new(&calls, None);
        assert_eq!(by_name.patient(0), Some("S3"));
        assert_eq!(by_name.genotyped("S2"), Genotyped::One(2));
        assert_eq!(by_name.genotyped("S4"), Genotyped::None);
        let mapped = Patients::new(&calls, Some(&map));
        assert_eq!(mapped.genotyped("P1"), Genotyped::One(1));
        assert_eq!(mapped.genotyped("P2"), Genotyped::Several);
        assert_eq!(mapped.genotyped("S1"), Genotyped::None);
        let mut partial = SampleMap::default();
        partial.patients.insert("S1".into(), "P1".into());
        let partial = Patients::new(&calls, Some(&partial));
        assert_eq!(partial.patient(0), None);
        assert_eq!(partial.genotyped("P1"), Genotyped::One(1));
    }
}
