//! The CYP2D6/CYP2D7/CYP2D8 locus: its GRCh38 reference bases and the sites
//! where CYP2D6 and CYP2D7 differ.
//!
//! Copy number and hybrid detection for CYP2D6 need to tell CYP2D6 reads from
//! CYP2D7 reads, and simulated reads need the locus's sequence. These
//! machines have no GRCh38 FASTA, so `tools/derive_cyp2d_locus.py` derives
//! both from public aligned reads: every read carries the reference bases it
//! was aligned against in its CIGAR and MD tag, and CYP2D6 and CYP2D7 are then
//! aligned to each other (see the script and `NOTICE`). The results are
//! embedded as `locus/CYP2D_locus.tsv` and `locus/CYP2D6_CYP2D7_sites.tsv` (beside, not inside, the definition files of `data/`).
//!
//! ```
//! use tailor_definitions::cyp2d_locus::{differing_sites, locus, SiteKind};
//!
//! let locus = locus().unwrap();
//! // CYP2D6 *4 (1846G>A) is chr22:42128945 C>T on the forward strand.
//! assert_eq!(locus.base(42_128_945), Some(b'C'));
//! let sites = differing_sites().unwrap();
//! assert!(sites.iter().filter(|s| s.kind == SiteKind::Snv).count() > 150);
//! ```

use crate::error::{Error, ParseErrorKind, Result};

/// A closed GRCh38 interval, 1-based and inclusive at both ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// Chromosome, GRCh38 naming.
    pub chromosome: &'static str,
    /// First position.
    pub start: u32,
    /// Last position.
    pub end: u32,
}

impl Span {
    /// Number of bases.
    pub fn len(&self) -> u32 {
        self.end - self.start + 1
    }

    /// Whether the span is empty (never, for the spans defined here).
    pub fn is_empty(&self) -> bool {
        self.end < self.start
    }
}

const fn chr22(start: u32, end: u32) -> Span {
    Span {
        chromosome: "chr22",
        start,
        end,
    }
}

/// The CYP2D6 transcript span (first to last exon; minus strand), GRCh38,
/// from PyPGx's gene table (MIT).
pub const CYP2D6_GENE: Span = chr22(42_126_499, 42_130_810);

/// CYP2D6's body, GRCh38: exon 2 to exon 8 with their introns, where every
/// copy the copy number counts is CYP2D6 sequence. Below it lies exon 9
/// (CYP2D7's in a *36), above it exon 1, the end of intron 1 and the
/// promoter (CYP2D6's on a *68 upstream of its CYP2D7 remainder, CYP2D7's
/// on a *13).
pub const CYP2D6_BODY: Span = chr22(42_126_851, 42_130_499);

/// The CYP2D7 pseudogene's transcript span, GRCh38, from PyPGx's gene table.
pub const CYP2D7_GENE: Span = chr22(42_139_576, 42_144_483);

/// CYP2D6 exons in genome order (exon 9 first: the gene is on the minus
/// strand), GRCh38, from PyPGx's gene table.
pub const CYP2D6_EXONS: [Span; 9] = [
    chr22(42_126_499, 42_126_752),
    chr22(42_126_851, 42_126_992),
    chr22(42_127_447, 42_127_634),
    chr22(42_127_842, 42_127_983),
    chr22(42_128_174, 42_128_350),
    chr22(42_128_784, 42_128_944),
    chr22(42_129_033, 42_129_185),
    chr22(42_129_738, 42_129_909),
    chr22(42_130_612, 42_130_810),
];

/// CYP2D7 exons in genome order (exon 9 first), GRCh38, from PyPGx's gene
/// table.
pub const CYP2D7_EXONS: [Span; 9] = [
    chr22(42_139_576, 42_140_456),
    chr22(42_140_555, 42_140_696),
    chr22(42_141_152, 42_141_339),
    chr22(42_141_534, 42_141_675),
    chr22(42_141_868, 42_142_044),
    chr22(42_142_479, 42_142_639),
    chr22(42_142_728, 42_142_880),
    chr22(42_143_410, 42_143_581),
    chr22(42_144_284, 42_144_483),
];

/// Depth-normalisation windows for whole-genome copy number: 20 kb inside
/// each of the three genes PyPGx uses as copy-number controls (EGFR, RYR1,
/// VDR; PyPGx gene table, `Control = TRUE`), each starting at the gene's
/// second exon. They are single-copy-pair in almost everyone, unique in the
/// genome (no paralog), and spread over three chromosomes, so one
/// sample's local artefact or aneuploid cell line moves the median little.
pub const CONTROL_WINDOWS: [Span; 3] = [
    Span {
        chromosome: "chr7",
        start: 55_142_286,
        end: 55_162_285,
    },
    Span {
        chromosome: "chr19",
        start: 38_440_745,
        end: 38_460_744,
    },
    Span {
        chromosome: "chr12",
        start: 47_846_335,
        end: 47_866_334,
    },
];

const LOCUS_FILE: &str = "CYP2D_locus.tsv";
const LOCUS: &str = include_str!("../locus/CYP2D_locus.tsv");
const SITES_FILE: &str = "CYP2D6_CYP2D7_sites.tsv";
const SITES: &str = include_str!("../locus/CYP2D6_CYP2D7_sites.tsv");

/// A stretch of GRCh38 reference sequence on one chromosome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferenceStretch {
    /// Chromosome, GRCh38 naming (`chr22`).
    pub chromosome: String,
    /// 1-based position of the first base.
    pub start: u32,
    /// Upper-case bases `A`, `C`, `G`, `T` (or `N`).
    pub bases: Vec<u8>,
}

impl ReferenceStretch {
    /// 1-based position of the last base.
    pub fn end(&self) -> u32 {
        self.start + self.bases.len() as u32 - 1
    }

    /// The base at a 1-based position, if the stretch covers it.
    pub fn base(&self, position: u32) -> Option<u8> {
        let offset = position.checked_sub(self.start)?;
        self.bases.get(offset as usize).copied()
    }

    /// The bases from `start` to `end` inclusive (1-based), if covered.
    pub fn slice(&self, start: u32, end: u32) -> Option<&[u8]> {
        let from = start.checked_sub(self.start)? as usize;
        let to = end.checked_sub(self.start)? as usize;
        self.bases.get(from..=to)
    }
}

/// How CYP2D6 and CYP2D7 differ at one aligned column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SiteKind {
    /// Both genes have a base and the bases differ.
    Snv,
    /// CYP2D6 has a base that CYP2D7 lacks.
    Cyp2d7Gap,
    /// CYP2D7 has a base that CYP2D6 lacks.
    Cyp2d6Gap,
}

/// One aligned column where CYP2D6 and CYP2D7 differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DifferingSite {
    /// CYP2D6 position (GRCh38, 1-based); for a [`SiteKind::Cyp2d6Gap`] the
    /// last CYP2D6 base before the gap.
    pub cyp2d6_position: u32,
    /// CYP2D7 position; for a [`SiteKind::Cyp2d7Gap`] the last CYP2D7 base
    /// before the gap.
    pub cyp2d7_position: u32,
    /// The CYP2D6 base, `None` in a CYP2D6 gap.
    pub cyp2d6_base: Option<u8>,
    /// The CYP2D7 base, `None` in a CYP2D7 gap.
    pub cyp2d7_base: Option<u8>,
    /// The kind of difference.
    pub kind: SiteKind,
}

/// The GRCh38 reference bases of the CYP2D6/CYP2D7/CYP2D8 locus.
pub fn locus() -> Result<ReferenceStretch> {
    let mut chromosome = None;
    let mut start = None;
    let mut bases = Vec::new();
    for (index, line) in LOCUS.lines().enumerate() {
        let line_number = index + 1;
        if let Some(region) = line.strip_prefix("##region=") {
            chromosome = region.split(':').next().map(str::to_owned);
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        let (position, chunk) = two_fields(LOCUS_FILE, line_number, line)?;
        let position = number(LOCUS_FILE, line_number, position)?;
        let expected = start.unwrap_or(position) + bases.len() as u32;
        if position != expected || !chunk.bytes().all(|b| b"ACGTN".contains(&b)) {
            return Err(malformed(
                LOCUS_FILE,
                line_number,
                "not the next run of bases",
            ));
        }
        start.get_or_insert(position);
        bases.extend_from_slice(chunk.as_bytes());
    }
    match (chromosome, start) {
        (Some(chromosome), Some(start)) => Ok(ReferenceStretch {
            chromosome,
            start,
            bases,
        }),
        _ => Err(malformed(LOCUS_FILE, 1, "no ##region= line or no bases")),
    }
}

/// The aligned columns where CYP2D6 and CYP2D7 differ, in CYP2D6 order.
pub fn differing_sites() -> Result<Vec<DifferingSite>> {
    let mut sites = Vec::new();
    for (index, line) in SITES.lines().enumerate() {
        if line.starts_with('#') {
            continue;
        }
        let line_number = index + 1;
        let fields: Vec<&str> = line.split('\t').collect();
        let [d6, d7, b6, b7, kind] = fields[..] else {
            return Err(malformed(SITES_FILE, line_number, "expected 5 columns"));
        };
        let kind = match kind {
            "snv" => SiteKind::Snv,
            "cyp2d7_gap" => SiteKind::Cyp2d7Gap,
            "cyp2d6_gap" => SiteKind::Cyp2d6Gap,
            _ => return Err(malformed(SITES_FILE, line_number, "unknown kind")),
        };
        sites.push(DifferingSite {
            cyp2d6_position: number(SITES_FILE, line_number, d6)?,
            cyp2d7_position: number(SITES_FILE, line_number, d7)?,
            cyp2d6_base: base(SITES_FILE, line_number, b6)?,
            cyp2d7_base: base(SITES_FILE, line_number, b7)?,
            kind,
        });
    }
    Ok(sites)
}

fn two_fields<'a>(file: &str, line_number: usize, line: &'a str) -> Result<(&'a str, &'a str)> {
    line.split_once('\t')
        .ok_or_else(|| malformed(file, line_number, "expected 2 columns"))
}

fn number(file: &str, line_number: usize, text: &str) -> Result<u32> {
    text.parse()
        .map_err(|_| malformed(file, line_number, "not a position"))
}

fn base(file: &str, line_number: usize, text: &str) -> Result<Option<u8>> {
    match text.as_bytes() {
        b"-" => Ok(None),
        [b @ (b'A' | b'C' | b'G' | b'T')] => Ok(Some(*b)),
        _ => Err(malformed(file, line_number, "not a base")),
    }
}

fn malformed(file: &str, line: usize, what: &'static str) -> Error {
    Error::Parse {
        file: file.into(),
        line,
        kind: ParseErrorKind::Malformed { what },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locus_spans_cyp2d6_and_cyp2d7_and_agrees_with_the_definitions() {
        let locus = locus().unwrap();
        assert_eq!(locus.chromosome, "chr22");
        assert_eq!((locus.start, locus.end()), (42_106_000, 42_165_600));
        let definitions = crate::Definitions::embedded().unwrap();
        let cyp2d6 = definitions.gene("CYP2D6").unwrap();
        for variant in &cyp2d6.variants {
            let start = variant.position.get();
            let end = start + variant.reference.len() as u32 - 1;
            assert_eq!(
                locus.slice(start, end),
                Some(variant.reference.as_bytes()),
                "reference at {}",
                variant.position
            );
        }
    }

    #[test]
    fn differing_sites_carry_the_locus_bases() {
        let locus = locus().unwrap();
        let sites = differing_sites().unwrap();
        assert_eq!(sites.len(), 287);
        for site in &sites {
            if let Some(b) = site.cyp2d6_base {
                assert_eq!(locus.base(site.cyp2d6_position), Some(b));
            }
            if let Some(b) = site.cyp2d7_base {
                assert_eq!(locus.base(site.cyp2d7_position), Some(b));
            }
        }
        let snvs = sites.iter().filter(|s| s.kind == SiteKind::Snv).count();
        assert_eq!(snvs, 196);
    }

    #[test]
    fn exons_lie_inside_their_genes_in_order() {
        for (gene, exons) in [(CYP2D6_GENE, CYP2D6_EXONS), (CYP2D7_GENE, CYP2D7_EXONS)] {
            assert_eq!(exons[0].start, gene.start);
            assert_eq!(exons[8].end, gene.end);
            assert!(exons.windows(2).all(|w| w[0].end < w[1].start));
        }
        assert!(CONTROL_WINDOWS.iter().all(|w| w.len() == 20_000));
    }
}
