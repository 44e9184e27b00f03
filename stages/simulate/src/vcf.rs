//! Writing the cohort as a bgzip-compressed, tabix-indexed, phased VCF
//! through rust-htslib, to temporary names renamed into place.

use std::path::{Path, PathBuf};

use rust_htslib::bcf::{self, Format, Header};

use crate::cohort::{Person, HAPLOID};
use crate::error::{Error, Result};
use crate::hts_index::{build_index, write_with_index, IndexKind};
use crate::panel::GenePanel;

/// GRCh38 lengths of the chromosomes the definitions use (assembly
/// sequence report), in VCF header order.
pub(crate) const GRCH38: [(&str, u64); 24] = [
    ("chr1", 248_956_422),
    ("chr2", 242_193_529),
    ("chr3", 198_295_559),
    ("chr4", 190_214_555),
    ("chr5", 181_538_259),
    ("chr6", 170_805_979),
    ("chr7", 159_345_973),
    ("chr8", 145_138_636),
    ("chr9", 138_394_717),
    ("chr10", 133_797_422),
    ("chr11", 135_086_622),
    ("chr12", 133_275_309),
    ("chr13", 114_364_328),
    ("chr14", 107_043_718),
    ("chr15", 101_991_189),
    ("chr16", 90_338_345),
    ("chr17", 83_257_441),
    ("chr18", 80_373_285),
    ("chr19", 58_617_616),
    ("chr20", 64_444_167),
    ("chr21", 46_709_983),
    ("chr22", 50_818_468),
    ("chrX", 156_040_895),
    ("chrY", 57_227_415),
];

/// The rank of a contig in [`GRCH38`] order.
pub(crate) fn contig_rank(chrom: &str) -> Option<usize> {
    GRCH38.iter().position(|(name, _)| *name == chrom)
}

/// htslib's GT encoding of a phased allele index.
fn phased(index: u16) -> i32 {
    ((i32::from(index) + 1) << 1) | 1
}

/// htslib's "vector end" marker (a shorter ploidy than the record's).
const VECTOR_END: i32 = i32::MIN + 1;

/// Writes `people` at every site of `panels` to `path` (bgzip VCF) and its
/// tabix index `path.tbi`. `panels` must be in coordinate order.
pub(crate) fn write_vcf(
    path: &Path,
    panels: &[GenePanel],
    people: &[Person],
    header_lines: &[String],
) -> Result<PathBuf> {
    let index_path = PathBuf::from(format!("{}.tbi", path.display()));
    write_with_index(path, &index_path, |data, index| {
        write_and_index(data, index, panels, people, header_lines)
    })?;
    Ok(index_path)
}

fn write_and_index(
    path: &Path,
    index: &Path,
    panels: &[GenePanel],
    people: &[Person],
    header_lines: &[String],
) -> Result<()> {
    let htslib = |action| Error::htslib(path, action);
    let mut header = Header::new();
    for line in header_lines {
        header.push_record(line.as_bytes());
    }
    let mut contigs: Vec<&str> = Vec::new();
    for panel in panels {
        if !contigs.contains(&panel.chrom.as_str()) {
            contigs.push(&panel.chrom);
        }
    }
    for contig in &contigs {
        let length = GRCH38
            .iter()
            .find(|(name, _)| name == contig)
            .map(|(_, l)| *l)
            .unwrap_or(0);
        header.push_record(
            format!("##contig=<ID={contig},length={length},assembly=GRCh38>").as_bytes(),
        );
    }
    header.push_record(b"##INFO=<ID=GENE,Number=1,Type=String,Description=\"Pharmacogene whose allele definitions include this position\">");
    header.push_record(b"##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype (phased: haplotype 1 | haplotype 2)\">");
    for person in people {
        header.push_sample(person.sample_id.as_bytes());
    }
    {
        let mut writer = bcf::Writer::from_path(path, &header, false, Format::Vcf)
            .map_err(htslib("creating"))?;
        let mut record = writer.empty_record();
        let mut gt: Vec<i32> = Vec::with_capacity(people.len() * 2);
        for (g, panel) in panels.iter().enumerate() {
            let rid = writer
                .header()
                .name2rid(panel.chrom.as_bytes())
                .map_err(htslib("looking up a contig"))?;
            for (s, site) in panel.sites.iter().enumerate() {
                record.clear();
                record.set_rid(Some(rid));
                record.set_pos(i64::from(site.pos) - 1);
                if let Some(rsid) = &site.rsid {
                    record
                        .set_id(rsid.as_bytes())
                        .map_err(htslib("setting ID"))?;
                }
                let alleles: Vec<&[u8]> = site.alleles.iter().map(|a| a.as_bytes()).collect();
                record
                    .set_alleles(&alleles)
                    .map_err(htslib("setting alleles"))?;
                record
                    .push_info_string(b"GENE", &[panel.gene.as_bytes()])
                    .map_err(htslib("setting INFO/GENE"))?;
                gt.clear();
                for person in people {
                    let [h1, h2] = person.haplotypes[g];
                    gt.push(phased(panel.haplotypes[usize::from(h1)].indices[s]));
                    gt.push(if h2 == HAPLOID {
                        VECTOR_END
                    } else {
                        phased(panel.haplotypes[usize::from(h2)].indices[s])
                    });
                }
                record
                    .push_format_integer(b"GT", &gt)
                    .map_err(htslib("setting GT"))?;
                writer.write(&record).map_err(htslib("writing a record"))?;
            }
        }
    }
    build_index(path, index, IndexKind::Tabix)
}
