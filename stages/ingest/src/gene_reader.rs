//! Reading one gene's definition positions from one input.

use std::ops::Range;
use std::path::Path;

use rust_htslib::bcf::{self, Read as _, Record};
use tailor_schemas::Position;

use crate::allele::{project, Projected};
use crate::contig::aliases;
use crate::genotype::{decode, Merged, MergedCall, Slot, VECTOR_END};
use crate::input::Input;
use crate::{Error, Result};

/// Bases read before each definition position, so that a deletion starting
/// a little earlier and overlapping it is seen (and flagged). A longer
/// deletion is not.
const PADDING: u64 = 100;

/// Windows closer than this are read with one index query.
const MERGE_GAP: u64 = 500;

/// GT values kept per sample: tailor reads the first two alleles.
const GT_WIDTH: usize = 2;

/// htslib's missing value for integer FORMAT fields.
const INT_MISSING: i32 = i32::MIN;

/// One definition position of a gene, as ingest needs it.
#[derive(Clone, Debug)]
pub(crate) struct Site {
    /// 1-based position.
    pub pos: Position,
    /// Last reference base the definition spans.
    pub end: Position,
    /// The definition's REF.
    pub reference: String,
    /// Alleles the definitions document here (REF and ALTs).
    pub documented: Vec<String>,
}

/// A gene's sites on its contig, sorted by position.
#[derive(Clone, Debug)]
pub(crate) struct GeneSites {
    /// HGNC symbol.
    pub gene: String,
    /// Contig in the definitions' spelling.
    pub chrom: String,
    /// Sites, sorted.
    pub sites: Vec<Site>,
}

impl GeneSites {
    fn span(&self) -> Option<(u64, u64)> {
        let start = self.sites.iter().map(|s| s.pos.zero_based()).min()?;
        let end = self.sites.iter().map(|s| s.end.zero_based()).max()?;
        Some((u64::from(start), u64::from(end)))
    }
}

/// The VCF record(s) used at a site.
#[derive(Clone, Debug, Default)]
pub(crate) struct RecordMeta {
    /// REF of the record.
    pub vcf_ref: String,
    /// ALTs of the record, comma-separated.
    pub vcf_alt: String,
    /// QUAL, when present.
    pub quality: Option<f32>,
    /// FILTER as text (`PASS`, `.`, or names joined by `;`).
    pub filter: String,
    /// FILTER is PASS or missing.
    pub pass: bool,
}

/// A sample's genotype at one site from one input.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct SampleCall {
    /// Merged over the records at the site.
    pub merged: MergedCall,
    /// FORMAT/PS of a phased call.
    pub phase_set: Option<i64>,
    /// FORMAT/DP.
    pub depth: Option<i32>,
    /// FORMAT/GQ.
    pub genotype_quality: Option<i32>,
    /// Index into [`SiteCalls::records`] of the first record giving a genotype.
    pub record: u8,
    /// A record used was not PASS.
    pub non_pass: bool,
    /// The sample carries an indel that overlaps this site but starts before it.
    pub unnormalised_indel: bool,
}

/// Everything one input says about one site.
#[derive(Clone, Debug, Default)]
pub(crate) struct SiteCalls {
    /// Alleles in the definition's representation; 0 is the definition REF.
    pub alleles: Vec<String>,
    /// Records starting at the site, in file order.
    pub records: Vec<RecordMeta>,
    /// A record's REF disagreed with the definition: the site is dropped.
    pub ref_mismatch: bool,
    /// Per sample of the input read, from [`GeneInput::first_sample`]
    /// (empty until a record is seen).
    pub calls: Vec<SampleCall>,
}

/// Which positions of a contig an input has records around.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Coverage {
    /// First record position on the contig (1-based).
    pub first: Option<u32>,
    /// Last record position on the contig (1-based), or at least one past
    /// the gene when records follow it.
    pub last: Option<u32>,
}

impl Coverage {
    /// Whether `pos` lies between the first and last record.
    pub fn covers(&self, pos: Position) -> bool {
        matches!((self.first, self.last), (Some(first), Some(last)) if first <= pos.get() && pos.get() <= last)
    }

    /// Extends the coverage to include a record at `pos`.
    pub fn include(&mut self, pos: u32) {
        self.first = Some(self.first.map_or(pos, |f| f.min(pos)));
        self.last = Some(self.last.map_or(pos, |l| l.max(pos)));
    }
}

/// One input's calls for one gene.
#[derive(Clone, Debug)]
pub(crate) struct GeneInput {
    /// Per site, aligned with [`GeneSites::sites`].
    pub sites: Vec<SiteCalls>,
    /// The span of records on the gene's contig.
    pub coverage: Coverage,
    /// Whether the input has the gene's contig at all.
    pub has_contig: bool,
    /// The input's sample index of each site's first call.
    pub first_sample: usize,
}

impl GeneInput {
    /// The call of the input's sample `local` at site `k`, if read.
    pub fn call(&self, k: usize, local: usize) -> Option<&SampleCall> {
        self.sites
            .get(k)?
            .calls
            .get(local.checked_sub(self.first_sample)?)
    }

    /// Whether this input has anything on the gene: a genotype, a REF
    /// mismatch or coverage. One that has not gives no row a value.
    pub fn says_anything(&self) -> bool {
        self.coverage.first.is_some()
            || self
                .sites
                .iter()
                .any(|site| site.ref_mismatch || !site.calls.is_empty())
    }
}

/// Accumulates records into a [`GeneInput`].
pub(crate) struct Accumulator<'a> {
    gene: &'a GeneSites,
    samples: usize,
    /// The samples whose calls are kept.
    kept: Range<usize>,
    pass_only: bool,
    out: GeneInput,
    gt: Vec<i32>,
}

impl<'a> Accumulator<'a> {
    /// An empty accumulator for `gene` in an input with `samples` samples,
    /// keeping the calls of the samples `kept`.
    pub fn new(gene: &'a GeneSites, samples: usize, kept: Range<usize>, pass_only: bool) -> Self {
        let sites = gene
            .sites
            .iter()
            .map(|site| SiteCalls {
                alleles: vec![site.reference.to_ascii_uppercase()],
                ..SiteCalls::default()
            })
            .collect();
        Self {
            gene,
            samples,
            out: GeneInput {
                sites,
                coverage: Coverage::default(),
                has_contig: false,
                first_sample: kept.start,
            },
            kept,
            pass_only,
            gt: Vec::new(),
        }
    }

    /// The result.
    pub fn finish(self) -> GeneInput {
        self.out
    }

    /// Adds one record of the gene's contig.
    pub fn add(&mut self, record: &Record) {
        let pos = record.pos() + 1;
        let Ok(pos) = u32::try_from(pos) else {
            return;
        };
        let end = pos.saturating_add(u32::try_from(record.rlen().max(1) - 1).unwrap_or(0));
        let first = self.gene.sites.partition_point(|s| s.pos.get() < pos);
        // Sites strictly inside the record's span, after its start.
        let mut overlapped = self.gene.sites[first..]
            .iter()
            .enumerate()
            .take_while(|(_, s)| s.pos.get() <= end)
            .map(|(i, s)| (first + i, s.pos.get()))
            .peekable();
        let Some(&(index, site_pos)) = overlapped.peek() else {
            return;
        };
        let alleles = record.alleles();
        let is_indel = alleles
            .iter()
            .skip(1)
            .any(|alt| alt.len() != alleles[0].len());
        if !load_gt(record, &mut self.gt, self.samples) {
            return;
        }
        if site_pos == pos {
            self.add_at_site(index, record, &alleles);
        }
        if is_indel {
            let later: Vec<usize> = overlapped
                .filter(|(_, p)| *p > pos)
                .map(|(i, _)| i)
                .collect();
            self.flag_unnormalised(&later);
        }
    }

    fn add_at_site(&mut self, index: usize, record: &Record, alleles: &[&[u8]]) {
        let site = &self.gene.sites[index];
        let calls = &mut self.out.sites[index];
        let record_ref = String::from_utf8_lossy(alleles[0]);
        // Map each record allele to a merged slot value.
        let mut mapped = Vec::with_capacity(alleles.len());
        mapped.push(Merged::Reference);
        for alt in &alleles[1..] {
            let alt = String::from_utf8_lossy(alt);
            let projected = if alt.starts_with('<') || alt == "*" {
                Projected::Allele(alt.into_owned())
            } else {
                project(&site.reference, &record_ref, &alt)
            };
            match projected {
                Projected::RefMismatch => {
                    calls.ref_mismatch = true;
                    return;
                }
                Projected::Allele(allele) if allele == calls.alleles[0] => {
                    mapped.push(Merged::Reference);
                }
                Projected::Allele(allele) => {
                    let i = match calls.alleles.iter().position(|a| *a == allele) {
                        Some(i) => i,
                        None => {
                            calls.alleles.push(allele);
                            calls.alleles.len() - 1
                        }
                    };
                    mapped.push(Merged::Alternate(u16::try_from(i).unwrap_or(u16::MAX)));
                }
            }
        }
        let meta = record_meta(record, alleles);
        let pass = meta.pass;
        if calls.records.len() >= usize::from(u8::MAX) {
            return;
        }
        let record_index = u8::try_from(calls.records.len()).unwrap_or(u8::MAX);
        calls.records.push(meta);
        if calls.calls.is_empty() {
            calls.calls = vec![SampleCall::default(); self.kept.len()];
        }
        let phase_sets = integer_format(record, b"PS", self.samples);
        let depths = integer_format(record, b"DP", self.samples);
        let qualities = integer_format(record, b"GQ", self.samples);
        let width = GT_WIDTH;
        for (call, sample) in calls.calls.iter_mut().zip(self.kept.clone()) {
            let values = &self.gt[sample * width..(sample + 1) * width];
            let decoded = decode(values);
            let drop_it = self.pass_only && !pass;
            let mut slots = [Merged::Unset; 2];
            for (slot, value) in slots
                .iter_mut()
                .zip(decoded.slots)
                .take(usize::from(decoded.ploidy))
            {
                *slot = match value {
                    _ if drop_it => Merged::Missing,
                    Slot::Missing => Merged::Missing,
                    Slot::Allele(a) => mapped
                        .get(usize::from(a))
                        .copied()
                        .unwrap_or(Merged::Missing),
                };
            }
            if decoded.ploidy == 0 {
                continue;
            }
            let first_use = call.merged.records == 0;
            call.merged
                .add(slots, decoded.ploidy, decoded.phased || decoded.ploidy == 1);
            call.non_pass |= !pass;
            if first_use {
                call.record = record_index;
                call.depth = value_at(&depths, sample);
                call.genotype_quality = value_at(&qualities, sample);
            }
            if decoded.phased {
                if let Some(ps) = value_at(&phase_sets, sample) {
                    call.phase_set.get_or_insert(i64::from(ps));
                }
            }
        }
    }

    fn flag_unnormalised(&mut self, sites: &[usize]) {
        if sites.is_empty() {
            return;
        }
        let width = GT_WIDTH;
        for &index in sites {
            let calls = &mut self.out.sites[index];
            if calls.calls.is_empty() {
                calls.calls = vec![SampleCall::default(); self.kept.len()];
            }
            for (call, sample) in calls.calls.iter_mut().zip(self.kept.clone()) {
                let decoded = decode(&self.gt[sample * width..(sample + 1) * width]);
                let carries = decoded.slots[..usize::from(decoded.ploidy)]
                    .iter()
                    .any(|s| matches!(s, Slot::Allele(a) if *a > 0));
                call.unnormalised_indel |= carries;
            }
        }
    }
}

/// Copies the record's GT values into `buffer`, [`GT_WIDTH`] values per
/// sample (rust-htslib trims each sample's values at the vector end, so a
/// haploid call has one value; it is padded back). False when the record
/// has no GT.
fn load_gt(record: &Record, buffer: &mut Vec<i32>, samples: usize) -> bool {
    buffer.clear();
    let Ok(values) = record.format(b"GT").integer() else {
        return false;
    };
    if values.len() != samples {
        return false;
    }
    for sample in values.iter() {
        let mut padded = [VECTOR_END; GT_WIDTH];
        for (slot, value) in padded.iter_mut().zip(sample.iter()) {
            *slot = *value;
        }
        buffer.extend_from_slice(&padded);
    }
    true
}

/// One integer per sample of a FORMAT field, if the record has it.
fn integer_format(record: &Record, tag: &[u8], samples: usize) -> Vec<i32> {
    match record.format(tag).integer() {
        Ok(values) if values.len() == samples => values
            .iter()
            .map(|v| v.first().copied().unwrap_or(INT_MISSING))
            .collect(),
        _ => Vec::new(),
    }
}

fn value_at(values: &[i32], sample: usize) -> Option<i32> {
    values
        .get(sample)
        .copied()
        .filter(|v| *v != INT_MISSING && *v != INT_MISSING + 1)
}

fn record_meta(record: &Record, alleles: &[&[u8]]) -> RecordMeta {
    let header = record.header();
    let names: Vec<String> = record
        .filters()
        .map(|id| String::from_utf8_lossy(&header.id_to_name(id)).into_owned())
        .collect();
    let pass = names.is_empty() || names.iter().all(|n| n == "PASS");
    let filter = if names.is_empty() {
        ".".to_owned()
    } else {
        names.join(";")
    };
    let quality = record.qual();
    RecordMeta {
        vcf_ref: String::from_utf8_lossy(alleles[0]).into_owned(),
        vcf_alt: alleles[1..]
            .iter()
            .map(|a| String::from_utf8_lossy(a))
            .collect::<Vec<_>>()
            .join(","),
        quality: (!quality.is_nan() && !rust_htslib::bcf::record::Numeric::is_missing(&quality))
            .then_some(quality),
        filter,
        pass,
    }
}

/// 0-based inclusive windows to fetch: each site's span with [`PADDING`]
/// before it, merged when close. Reading only these (not the whole gene)
/// keeps large genes such as RYR1 from parsing every record between sites.
fn windows(gene: &GeneSites) -> Vec<(u64, u64)> {
    let mut windows: Vec<(u64, u64)> = Vec::new();
    for site in &gene.sites {
        let from = u64::from(site.pos.zero_based()).saturating_sub(PADDING);
        let to = u64::from(site.end.zero_based());
        match windows.last_mut() {
            Some(last) if from <= last.1 + MERGE_GAP => last.1 = last.1.max(to),
            _ => windows.push((from, to)),
        }
    }
    windows
}

/// Reads `gene` from an indexed `input` through `index`, with a reader of
/// its pool, keeping the calls of its samples `kept`; an input whose header
/// lacks the gene's contig is not read.
pub(crate) fn read_indexed(
    input: &Input,
    index: &Path,
    gene: &GeneSites,
    pass_only: bool,
    kept: Range<usize>,
) -> Result<GeneInput> {
    let accumulator = Accumulator::new(gene, input.samples.len(), kept, pass_only);
    if !input.has_contig(&gene.chrom) || gene.span().is_none() {
        return Ok(accumulator.finish());
    }
    input.readers.with(&input.path, index, |reader| {
        read_gene(reader, &input.path, index, gene, accumulator)
    })
}

/// Reads `gene` into `accumulator` with `reader`, open on `path` through
/// `index`.
fn read_gene(
    reader: &mut bcf::IndexedReader,
    path: &Path,
    index: &Path,
    gene: &GeneSites,
    mut accumulator: Accumulator<'_>,
) -> Result<GeneInput> {
    let bad_index = |reason: String| Error::BadIndex {
        path: path.to_path_buf(),
        index: index.to_path_buf(),
        reason,
    };
    let rid = aliases(&gene.chrom)
        .iter()
        .find_map(|name| reader.header().name2rid(name.as_bytes()).ok());
    let (Some(rid), Some((start, end))) = (rid, gene.span()) else {
        return Ok(accumulator.finish());
    };
    accumulator.out.has_contig = true;
    let region = format!("{}:{}-{}", gene.chrom, start + 1, end + 1);
    let bad_record = |reason: String| Error::BadRecord {
        path: path.to_path_buf(),
        record: region.clone(),
        reason,
    };
    let mut record = reader.empty_record();
    // Coverage: the first record on the contig, and the last site that has
    // a record at or after it, so `covers` is exact for every site.
    let mut coverage = Coverage::default();
    let mut record_from = |reader: &mut bcf::IndexedReader, from: u64| -> Result<Option<u32>> {
        if reader.fetch(rid, from, None).is_err() {
            return Ok(None);
        }
        match reader.read(&mut record) {
            Some(result) => {
                result.map_err(|e| bad_record(e.to_string()))?;
                Ok(u32::try_from(record.pos() + 1).ok())
            }
            None => Ok(None),
        }
    };
    coverage.first = record_from(reader, 0)?;
    let mut window_record = reader.empty_record();
    let mut done_to: Option<u64> = None;
    // The last record start read in the windows (0-based).
    let mut last_start: Option<u64> = None;
    for (from, to) in windows(gene) {
        reader
            .fetch(rid, from, Some(to))
            .map_err(|e| bad_index(e.to_string()))?;
        let mut previous = 0;
        while let Some(result) = reader.read(&mut window_record) {
            result.map_err(|e| bad_record(e.to_string()))?;
            let pos0 = u64::try_from(window_record.pos()).unwrap_or(0);
            if window_record.rid() != Some(rid) || window_record.pos() < previous {
                return Err(bad_index(format!(
                    "records out of order near {}:{}: the file is unsorted or the index is stale",
                    gene.chrom,
                    pos0 + 1
                )));
            }
            previous = window_record.pos();
            last_start = last_start.max(Some(pos0));
            // A long record overlapping two windows was read with the first.
            if done_to.is_some_and(|end| pos0 <= end) {
                continue;
            }
            accumulator.add(&window_record);
        }
        done_to = Some(to);
    }
    // Whether a site has a record at or after it is monotone over the
    // sites: true up to the last record start seen in the windows, and
    // found by a binary search (one index query each) beyond it.
    let seen = last_start.map_or(0, |last| {
        gene.sites
            .partition_point(|s| u64::from(s.pos.zero_based()) <= last)
    });
    let (mut low, mut high) = (seen, gene.sites.len());
    while low < high {
        let mid = (low + high) / 2;
        if record_from(reader, u64::from(gene.sites[mid].pos.zero_based()))?.is_some() {
            low = mid + 1;
        } else {
            high = mid;
        }
    }
    coverage.last = low.checked_sub(1).map(|i| gene.sites[i].pos.get());
    accumulator.out.coverage = coverage;
    Ok(accumulator.finish())
}

/// The name of contig `rid`, if the header has it. (rust-htslib's
/// `rid2name` reads past the end for `rid == contig_count`.)
pub(crate) fn contig_name(header: &bcf::header::HeaderView, rid: u32) -> Option<String> {
    (rid < header.contig_count())
        .then(|| header.rid2name(rid).ok())
        .flatten()
        .map(|name| String::from_utf8_lossy(name).into_owned())
}

/// Reads every gene from an unindexed `path` in one pass over all records.
pub(crate) fn read_streaming(
    path: &Path,
    genes: &[GeneSites],
    samples: usize,
    pass_only: bool,
) -> Result<Vec<GeneInput>> {
    let mut reader = bcf::Reader::from_path(path).map_err(|e| Error::NotVcf {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    let spans: Vec<Option<(u64, u64)>> = genes.iter().map(GeneSites::span).collect();
    let mut accumulators: Vec<Accumulator> = genes
        .iter()
        .map(|g| Accumulator::new(g, samples, 0..samples, pass_only))
        .collect();
    // Per contig id: the genes on it and the span of its records. Grown as
    // records arrive: htslib adds contigs a header does not declare.
    let mut contig_genes: Vec<Vec<usize>> = Vec::new();
    let mut coverage: Vec<Coverage> = Vec::new();
    let mut record = reader.empty_record();
    let mut last_good: Option<(u32, u64)> = None;
    while let Some(result) = reader.read(&mut record) {
        result.map_err(|e| Error::BadRecord {
            path: path.to_path_buf(),
            record: match last_good {
                Some((rid, pos)) => format!(
                    "after {}:{pos}",
                    contig_name(reader.header(), rid).unwrap_or_default()
                ),
                None => "the first record".to_owned(),
            },
            reason: e.to_string(),
        })?;
        let Some(rid) = record.rid() else { continue };
        let index = rid as usize;
        while contig_genes.len() <= index {
            let name = u32::try_from(contig_genes.len())
                .ok()
                .and_then(|r| contig_name(record.header(), r))
                .unwrap_or_default();
            contig_genes.push(
                genes
                    .iter()
                    .enumerate()
                    .filter(|(_, g)| aliases(&g.chrom).contains(&name))
                    .map(|(i, _)| i)
                    .collect(),
            );
            coverage.push(Coverage::default());
        }
        let pos0 = u64::try_from(record.pos()).unwrap_or(0);
        if let Ok(pos) = u32::try_from(pos0 + 1) {
            coverage[index].include(pos);
        }
        for &g in &contig_genes[index] {
            accumulators[g].out.has_contig = true;
            if let Some((start, end)) = spans[g] {
                if pos0 + PADDING >= start && pos0 <= end {
                    accumulators[g].add(&record);
                }
            }
        }
        last_good = Some((rid, pos0 + 1));
    }
    let mut out: Vec<GeneInput> = accumulators.into_iter().map(Accumulator::finish).collect();
    // Coverage is per contig: give each gene its contig's span.
    for (rid, genes_here) in contig_genes.iter().enumerate() {
        for &g in genes_here {
            if coverage[rid].first.is_some() {
                out[g].coverage = coverage[rid];
            }
        }
    }
    Ok(out)
}
