//! Folding one gene's records, one at a time, into a [`GeneInput`].

use std::collections::BTreeSet;
use std::ops::Range;
use std::path::Path;

use rust_htslib::bcf::Record;

use crate::allele::{project, Projected};
use crate::gene_input::{Coverage, FormatInt, GeneInput, GeneSites, SampleCall, SiteCalls};
use crate::gene_reader::contig_name;
use crate::genotype::{decode, Merged, Slot};
use crate::htslib_view::{format_fields, id_name};
use crate::input::{Declared, Input, Undeclared};
use crate::record_fields::{
    integer_format, load_gt, record_meta, value_at, Polyploid, GT_WIDTH, UNDECLARED,
};
use crate::spill::{SpillStats, SpillWriter, SpilledGene};
use crate::Error;

/// FORMAT fields ingest reads as numbers.
const NUMERIC_FORMATS: [&[u8]; 4] = [b"GT", b"PS", b"DP", b"GQ"];

/// What is wrong with a record, before the file and record are named.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Defect {
    /// A FORMAT field ingest reads whose values are not numbers.
    FormatType(String),
    /// A genotype with more than two alleles.
    Polyploid(Polyploid),
}

impl Defect {
    /// The error naming `path`, `record` and, for a genotype, the sample.
    pub fn into_error(self, path: &Path, record: &Record, samples: &[String]) -> Error {
        let location = format!(
            "{}:{}",
            record
                .rid()
                .and_then(|rid| contig_name(record.header(), rid))
                .unwrap_or_else(|| "?".to_owned()),
            record.pos() + 1
        );
        let path = path.to_path_buf();
        match self {
            Defect::FormatType(format) => Error::BadRecord {
                path,
                record: location,
                reason: format!("FORMAT/{format} does not hold numbers"),
            },
            Defect::Polyploid(Polyploid { sample, ploidy }) => Error::Ploidy {
                path,
                record: location,
                sample: samples
                    .get(sample)
                    .cloned()
                    .unwrap_or_else(|| format!("#{}", sample + 1)),
                ploidy,
            },
        }
    }
}

/// Checks the record's FORMAT fields before htslib decodes any: the ones
/// ingest reads as numbers must hold numbers when the header says they do
/// (otherwise `bcf_get_format_values` calls `exit`). Undeclared ids, which
/// htslib reads as text and tailor therefore ignores, go into `undeclared`.
fn check_formats(
    record: &Record,
    declared: &Declared,
    undeclared: &mut BTreeSet<String>,
) -> Result<(), Defect> {
    let header = record.header();
    for field in format_fields(record) {
        let Some(name) = id_name(header, field.id) else {
            // An id the header lacks (a damaged BCF record): not one the
            // header declares, so htslib never decodes it as numbers here.
            undeclared.insert(UNDECLARED.to_owned());
            continue;
        };
        // GT is the one field htslib always decodes the same way.
        if name != b"GT" && !declared.formats.contains(name) {
            undeclared.insert(String::from_utf8_lossy(name).into_owned());
            continue;
        }
        if NUMERIC_FORMATS.contains(&name) && (!field.is_numeric() || field.values < 1) {
            return Err(Defect::FormatType(
                String::from_utf8_lossy(name).into_owned(),
            ));
        }
    }
    Ok(())
}

/// Accumulates records into a [`GeneInput`].
pub(crate) struct Accumulator<'a> {
    gene: &'a GeneSites,
    samples: usize,
    /// The samples whose calls are kept.
    kept: Range<usize>,
    pass_only: bool,
    declared: &'a Declared,
    out: GeneInput,
    gt: Vec<i32>,
    undeclared: Undeclared,
    /// Where finished sites' calls go, when spilling.
    spill: Option<Spill>,
}

/// The sites already written to the spill file.
struct Spill {
    writer: SpillWriter,
    /// Sites before this one are written (or had no calls).
    written: usize,
    /// Per site, the offset of its calls in the file.
    offsets: Vec<Option<u64>>,
    /// Records decoded and the most calls held.
    stats: SpillStats,
}

impl<'a> Accumulator<'a> {
    /// An empty accumulator for `gene` in an input with `samples` samples,
    /// keeping the calls of the samples `kept`; `declared` is what the
    /// input's header declares.
    pub fn new(
        gene: &'a GeneSites,
        declared: &'a Declared,
        samples: usize,
        kept: Range<usize>,
        pass_only: bool,
    ) -> Self {
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
            declared,
            gt: Vec::new(),
            undeclared: Undeclared::default(),
            spill: None,
        }
    }

    /// Writes each site's calls to a temporary file once no later record
    /// can change them ([`Accumulator::spill_before`]), so that only the
    /// open sites' calls are held; [`Accumulator::finish_spilled`] then
    /// gives the gene.
    ///
    /// # Errors
    /// The temporary file cannot be created.
    pub fn spilling(mut self) -> std::io::Result<Self> {
        self.spill = Some(Spill {
            writer: SpillWriter::new()?,
            written: 0,
            offsets: vec![None; self.gene.sites.len()],
            stats: SpillStats::default(),
        });
        Ok(self)
    }

    /// Spills the calls of the sites before `pos` (1-based): records come
    /// in position order and a record changes only sites at or after its
    /// start, so these are final. Does nothing unless spilling.
    ///
    /// # Errors
    /// Writing the temporary file failed.
    pub fn spill_before(&mut self, pos: u64) -> std::io::Result<()> {
        let Some(spill) = self.spill.as_mut() else {
            return Ok(());
        };
        let held = self.out.sites[spill.written..]
            .iter()
            .map(|site| site.calls.len())
            .sum::<usize>();
        spill.stats.peak_calls = spill.stats.peak_calls.max(held);
        let sites = &self.gene.sites;
        while spill.written < sites.len() && u64::from(sites[spill.written].pos.get()) < pos {
            let calls = std::mem::take(&mut self.out.sites[spill.written].calls);
            if !calls.is_empty() {
                spill.offsets[spill.written] = Some(spill.writer.write_site(&calls)?);
            }
            spill.written += 1;
        }
        Ok(())
    }

    /// The result of a spilling accumulator; undeclared FILTER and FORMAT
    /// ids seen are noted on `input`.
    ///
    /// # Errors
    /// Writing the temporary file failed.
    pub fn finish_spilled(mut self, input: &Input) -> std::io::Result<SpilledGene> {
        self.spill_before(u64::MAX)?;
        let spill = self.spill.take().ok_or_else(no_spill)?;
        let file = spill.writer.finish()?;
        Ok(SpilledGene::new(
            self.finish(input),
            spill.offsets,
            file,
            spill.stats,
        ))
    }

    /// The result; undeclared FILTER and FORMAT ids seen are noted on
    /// `input`.
    pub fn finish(self, input: &Input) -> GeneInput {
        input.note_undeclared(self.undeclared);
        self.out
    }

    /// Marks that the input has the gene's contig.
    pub fn set_has_contig(&mut self) {
        self.out.has_contig = true;
    }

    /// Sets the span of records on the gene's contig.
    pub fn set_coverage(&mut self, coverage: Coverage) {
        self.out.coverage = coverage;
    }

    /// Adds one record of the gene's contig.
    ///
    /// # Errors
    /// A [`Defect`] of a record overlapping a site: undeclared or damaged
    /// FORMAT fields, a genotype of ploidy above 2.
    pub fn add(&mut self, record: &Record) -> Result<(), Defect> {
        let pos = record.pos() + 1;
        let Ok(pos) = u32::try_from(pos) else {
            return Ok(());
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
            return Ok(());
        };
        check_formats(record, self.declared, &mut self.undeclared.formats)?;
        let alleles = record.alleles();
        let Some(record_ref) = alleles.first() else {
            return Ok(());
        };
        let is_indel = alleles
            .iter()
            .skip(1)
            .any(|alt| alt.len() != record_ref.len());
        if let Some(spill) = self.spill.as_mut() {
            spill.stats.records += 1;
        }
        if !load_gt(record, &mut self.gt, self.samples).map_err(Defect::Polyploid)? {
            return Ok(());
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
        Ok(())
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
        let meta = record_meta(record, alleles, self.declared, &mut self.undeclared.filters);
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
                call.depth = FormatInt::new(value_at(&depths, sample));
                call.genotype_quality = FormatInt::new(value_at(&qualities, sample));
            }
            if decoded.phased && call.phase_set.get().is_none() {
                call.phase_set = FormatInt::new(value_at(&phase_sets, sample));
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

/// The error of [`Accumulator::finish_spilled`] on an accumulator made
/// without [`Accumulator::spilling`].
fn no_spill() -> std::io::Error {
    std::io::Error::other("the accumulator was not spilling")
}
