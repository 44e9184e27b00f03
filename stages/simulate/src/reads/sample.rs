//! One sample's reads: its chromosomes as sources, reads drawn from each,
//! written as one sorted, indexed BAM or CRAM.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use tailor_definitions::cyp2d_locus::{DifferingSite, SiteKind};

use crate::cohort::{Person, HAPLOID};
use crate::error::Result;
use crate::panel::GenePanel;
use crate::reads::bam::{write_alignment_file, AlignmentFile};
use crate::reads::fragment::{simulate_source, ReadSettings};
use crate::reads::locus::{locus_parts, LocusPart};
use crate::reads::reference::Reference;
use crate::reads::source::{build_source, Edit, Source, SourceJunction};
use crate::reads::structure::Cyp2d6Structure;

/// Most CYP2D6 gene copies one person carries (3 on one chromosome).
const MAX_COPIES: u8 = 4;

/// What is fixed for every sample of a cohort.
pub(crate) struct Cohort<'a> {
    /// The gene panels.
    pub panels: &'a [GenePanel],
    /// The simulated reference.
    pub reference: &'a Reference,
    /// The CYP2D locus island's index and its 1-based closed span.
    pub locus: Option<(usize, (u32, u32))>,
    /// CYP2D6/CYP2D7 differing sites (for hybrid breakpoints).
    pub sites: &'a [DifferingSite],
    /// Index of the CYP2D6 panel, and its `*10` and `*4` haplotypes.
    pub cyp2d6: Option<Cyp2d6Panel>,
    /// Exome-like capture targets (contig, 0-based start, end).
    pub targets: &'a [(usize, u32, u32)],
    /// How reads are drawn.
    pub settings: ReadSettings,
}

/// Where CYP2D6 is among the panels.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Cyp2d6Panel {
    /// Panel index.
    pub panel: usize,
    /// Haplotype index of `*10`, if drawable.
    pub star10: Option<u16>,
    /// Haplotype index of `*4`, if drawable.
    pub star4: Option<u16>,
}

impl Cyp2d6Panel {
    /// The structure actually simulated: a tandem whose partner allele is
    /// not drawable falls back to a single copy.
    pub fn usable(&self, structure: Cyp2d6Structure) -> Cyp2d6Structure {
        let missing = match structure {
            Cyp2d6Structure::Star36Star10 => self.star10.is_none(),
            Cyp2d6Structure::Star68Star4 => self.star4.is_none(),
            _ => false,
        };
        if missing {
            Cyp2d6Structure::Single
        } else {
            structure
        }
    }

    /// The haplotype index the chromosome's CYP2D6 copies carry.
    pub fn allele(&self, structure: Cyp2d6Structure, drawn: u16) -> u16 {
        match structure {
            Cyp2d6Structure::Star36Star10 => self.star10.unwrap_or(drawn),
            Cyp2d6Structure::Star68Star4 => self.star4.unwrap_or(drawn),
            _ => drawn,
        }
    }
}

/// One sample's draws: CYP2D6 structures and coverage kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct SampleDraw {
    /// CYP2D6 structure of each chromosome.
    pub structures: [Cyp2d6Structure; 2],
    /// Whether coverage is exome-like.
    pub exome: bool,
}

/// The edits haplotype `copy` (0 or 1) of `person` carries on contig `tid`,
/// sorted; CYP2D6 carries `cyp2d6_allele` instead of the drawn allele.
fn edits<'a>(
    cohort: &Cohort<'a>,
    person: &Person,
    copy: usize,
    tid: usize,
    cyp2d6_allele: Option<u16>,
) -> Vec<Edit<'a>> {
    let mut edits = Vec::new();
    for (g, panel) in cohort.panels.iter().enumerate() {
        if cohort.reference.tid(&panel.chrom) != Some(tid) {
            continue;
        }
        let mut haplotype = person.haplotypes[g][copy];
        if cohort.cyp2d6.map(|c| c.panel) == Some(g) {
            haplotype = cyp2d6_allele.unwrap_or(haplotype);
        }
        if haplotype == HAPLOID {
            continue;
        }
        let indices = &panel.haplotypes[usize::from(haplotype)].indices;
        for (site, &index) in panel.sites.iter().zip(indices) {
            if index != 0 {
                edits.push(Edit {
                    start: site.pos - 1,
                    ref_len: site.alleles[0].len() as u32,
                    alt: site.alleles[usize::from(index)].as_bytes(),
                });
            }
        }
    }
    edits.sort_by_key(|e| e.start);
    edits
}

/// The edits of one locus part: the allele's `edits` if the part carries
/// them, and at a hybrid's junction CYP2D7's bases at the differing SNV
/// sites of its CYP2D7 side (where the allele's edits are left out).
fn part_edits<'a>(
    part: &LocusPart,
    edits: &[Edit<'a>],
    sites: &'a [DifferingSite],
) -> Vec<Edit<'a>> {
    let on_cyp2d7_side = |position: u32| {
        part.junction
            .is_some_and(|j| (j.cyp2d7_side.0..=j.cyp2d7_side.1).contains(&position))
    };
    let mut out: Vec<Edit<'a>> = if part.edited {
        edits
            .iter()
            .filter(|e| !on_cyp2d7_side(e.start + 1))
            .copied()
            .collect()
    } else {
        Vec::new()
    };
    out.extend(
        sites
            .iter()
            .filter(|s| s.kind == SiteKind::Snv && on_cyp2d7_side(s.cyp2d6_position))
            .filter_map(|s| {
                Some(Edit {
                    start: s.cyp2d6_position - 1,
                    ref_len: 1,
                    alt: std::slice::from_ref(s.cyp2d7_base.as_ref()?),
                })
            }),
    );
    out.sort_by_key(|e| e.start);
    out
}

/// Every source of `person`'s reads.
pub(crate) fn sources(cohort: &Cohort<'_>, person: &Person, draw: &SampleDraw) -> Vec<Source> {
    let mut sources = Vec::new();
    for (index, island) in cohort.reference.islands.iter().enumerate() {
        let chrom = cohort.reference.contigs[island.tid].0;
        let copies = if person.male && crate::cohort::is_x(chrom) {
            1
        } else {
            2
        };
        for copy in 0..copies {
            let structure = draw.structures[copy];
            let cyp2d6_allele = cohort
                .cyp2d6
                .map(|c| c.allele(structure, person.haplotypes[c.panel][copy]));
            let edits = edits(cohort, person, copy, island.tid, cyp2d6_allele);
            match cohort.locus {
                Some((locus_island, span)) if locus_island == index => {
                    for part in locus_parts(structure, span, cohort.sites) {
                        let part_edits = part_edits(&part, &edits, cohort.sites);
                        let mut source = build_source(
                            index,
                            island,
                            (part.span.0 - 1, part.span.1),
                            &part_edits,
                        );
                        source.junction = part.junction.map(|j| SourceJunction {
                            crossing: j.crossing - 1,
                            cyp2d7_side: (j.cyp2d7_side.0 - 1, j.cyp2d7_side.1),
                        });
                        sources.push(source);
                    }
                }
                _ => sources.push(build_source(
                    index,
                    island,
                    (island.start, island.end()),
                    &edits,
                )),
            }
        }
    }
    if draw.exome {
        for source in &mut sources {
            source.set_targets(cohort.targets);
        }
    }
    sources
}

/// Draws the sample's structures and coverage kind.
pub(crate) fn draw_sample(
    cohort: &Cohort<'_>,
    options: &crate::reads::ReadOptions,
    rng: &mut ChaCha8Rng,
) -> SampleDraw {
    let mut structures = [Cyp2d6Structure::Single; 2];
    if let Some(cyp2d6) = cohort.cyp2d6 {
        for structure in &mut structures {
            *structure = cyp2d6.usable(options.structures.draw(rng));
        }
        // At most 4 CYP2D6 copies per person: the second chromosome gives way.
        if structures.iter().map(|s| s.copies()).sum::<u8>() > MAX_COPIES {
            structures[1] = Cyp2d6Structure::Single;
        }
    }
    SampleDraw {
        structures,
        exome: rng.gen_bool(options.exome_fraction),
    }
}

/// Simulates and writes one sample's reads; returns the reads written.
pub(crate) fn write_sample(
    cohort: &Cohort<'_>,
    file: &AlignmentFile<'_>,
    person: &Person,
    draw: &SampleDraw,
    rng: &mut ChaCha8Rng,
) -> Result<usize> {
    let mut reads = Vec::new();
    let mut next_pair = 0;
    for source in sources(cohort, person, draw) {
        let island = &cohort.reference.islands[source.island];
        simulate_source(
            &source,
            island,
            &cohort.settings,
            rng,
            &mut next_pair,
            &mut reads,
        );
    }
    write_alignment_file(file, &mut reads)?;
    Ok(reads.len())
}
