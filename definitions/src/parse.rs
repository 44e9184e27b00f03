//! Parsers for the gene and exemption TSV files (format in `README.md`).

use tailor_schemas::Position;

use crate::error::ParseErrorKind;
use crate::{GeneDefinition, GeneExemptions, NamedAllele, UnphasedPriority, VariantDefinition};

/// First line of a gene definition file.
pub(crate) const GENE_MARKER: &str = "##tailor_definitions=1";
/// First line of an exemptions file.
pub(crate) const EXEMPTIONS_MARKER: &str = "##tailor_exemptions=1";

/// A parse failure at a 1-based line.
pub(crate) type LineError = (usize, ParseErrorKind);

/// The lines of `text` with their 1-based numbers, past the header, without
/// comment (`#`) or blank lines.
fn records(text: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.starts_with('#') && !line.trim().is_empty())
        .map(|(i, line)| (i + 1, line.split('\t').collect()))
}

fn check_marker(text: &str, marker: &'static str) -> Result<(), LineError> {
    match text.lines().next() {
        Some(first) if first.trim_end() == marker => Ok(()),
        _ => Err((1, ParseErrorKind::BadMarker { expected: marker })),
    }
}

fn header<'a>(text: &'a str, key: &'static str) -> Result<&'a str, LineError> {
    let prefix = format!("##{key}=");
    text.lines()
        .take_while(|line| line.starts_with('#'))
        .find_map(|line| line.strip_prefix(prefix.as_str()))
        .map(str::trim_end)
        .ok_or((1, ParseErrorKind::MissingHeader { key }))
}

fn expect_columns(line: usize, fields: &[&str], expected: usize) -> Result<(), LineError> {
    if fields.len() == expected {
        Ok(())
    } else {
        Err((
            line,
            ParseErrorKind::ColumnCount {
                record: fields.first().copied().unwrap_or_default().to_owned(),
                found: fields.len(),
                expected,
            },
        ))
    }
}

fn optional(cell: &str) -> Option<String> {
    (cell != ".").then(|| cell.to_owned())
}

fn list(cell: &str, separator: char) -> Vec<String> {
    if cell == "." {
        Vec::new()
    } else {
        cell.split(separator).map(str::to_owned).collect()
    }
}

fn position(line: usize, cell: &str) -> Result<Position, LineError> {
    cell.parse::<u64>()
        .ok()
        .and_then(|value| Position::new(value).ok())
        .ok_or_else(|| (line, ParseErrorKind::BadPosition(cell.to_owned())))
}

/// Columns of a variant record after the record type (and gene, in
/// exemptions): pos, rsid, ref, alts, cpic_pos, cpic_alleles, cpic_to_vcf, hgvs.
const VARIANT_COLUMNS: usize = 8;

fn variant(line: usize, cells: &[&str]) -> Result<VariantDefinition, LineError> {
    let cpic_to_vcf = list(cells[6], ';')
        .into_iter()
        .map(|pair| match pair.split_once('=') {
            Some((cpic, vcf)) => Ok((cpic.to_owned(), vcf.to_owned())),
            None => Err((line, ParseErrorKind::BadMapping(pair.clone()))),
        })
        .collect::<Result<_, _>>()?;
    Ok(VariantDefinition {
        position: position(line, cells[0])?,
        rsid: optional(cells[1]),
        reference: cells[2].to_owned(),
        alts: list(cells[3], ','),
        cpic_position: position(line, cells[4])?,
        cpic_alleles: list(cells[5], ','),
        cpic_to_vcf,
        hgvs: optional(cells[7]),
    })
}

fn named_allele(line: usize, cells: &[&str], variants: usize) -> Result<NamedAllele, LineError> {
    let mut allele = NamedAllele {
        name: cells[0].to_owned(),
        id: optional(cells[1]),
        reference: false,
        structural_variant: false,
        hidden_core: false,
        alleles: vec![None; variants],
    };
    for flag in list(cells[2], ',') {
        match flag.as_str() {
            "reference" => allele.reference = true,
            "structural_variant" => allele.structural_variant = true,
            "hidden_core" => allele.hidden_core = true,
            _ => return Err((line, ParseErrorKind::UnknownFlag(flag))),
        }
    }
    for cell in list(cells[3], ';') {
        let parsed = cell
            .split_once(':')
            .and_then(|(index, value)| Some((index.parse::<usize>().ok()?, value)))
            .filter(|(index, value)| *index < variants && !value.is_empty());
        match parsed {
            Some((index, value)) => allele.alleles[index] = Some(value.to_owned()),
            None => return Err((line, ParseErrorKind::BadAlleleCell(cell))),
        }
    }
    Ok(allele)
}

/// Parses one gene definition file.
pub(crate) fn gene(text: &str) -> Result<GeneDefinition, LineError> {
    check_marker(text, GENE_MARKER)?;
    let mut gene = GeneDefinition {
        gene: header(text, "gene")?.to_owned(),
        chromosome: header(text, "chromosome")?.to_owned(),
        genome_build: header(text, "genome_build")?.to_owned(),
        version: header(text, "version")?.to_owned(),
        source: header(text, "source")?.to_owned(),
        release: header(text, "release")?.to_owned(),
        variants: Vec::new(),
        named_alleles: Vec::new(),
        suballeles: Vec::new(),
    };
    // Variants come first, so an allele's cells can be checked against them.
    let mut pending_alleles = Vec::new();
    for (line, fields) in records(text) {
        match fields[0] {
            "variant" => {
                expect_columns(line, &fields, 1 + VARIANT_COLUMNS)?;
                gene.variants.push(variant(line, &fields[1..])?);
            }
            "allele" => {
                expect_columns(line, &fields, 5)?;
                pending_alleles.push((line, fields));
            }
            "suballele" => {
                expect_columns(line, &fields, 3)?;
                gene.suballeles
                    .push((fields[1].to_owned(), fields[2].to_owned()));
            }
            other => return Err((line, ParseErrorKind::UnknownRecord(other.to_owned()))),
        }
    }
    for (line, fields) in pending_alleles {
        let allele = named_allele(line, &fields[1..], gene.variants.len())?;
        gene.named_alleles.push(allele);
    }
    Ok(gene)
}

/// Parses an exemptions file into per-gene exemptions, in file order.
pub(crate) fn exemptions(text: &str) -> Result<Vec<GeneExemptions>, LineError> {
    check_marker(text, EXEMPTIONS_MARKER)?;
    let mut all: Vec<GeneExemptions> = Vec::new();
    for (line, fields) in records(text) {
        if fields.len() < 3 {
            return Err((
                line,
                ParseErrorKind::ColumnCount {
                    record: fields[0].to_owned(),
                    found: fields.len(),
                    expected: 3,
                },
            ));
        }
        let gene = fields[1];
        let index = match all.iter().position(|e| e.gene == gene) {
            Some(index) => index,
            None => {
                all.push(GeneExemptions::none(gene));
                all.len() - 1
            }
        };
        let entry = &mut all[index];
        match fields[0] {
            "required_position" => entry.required_positions.push(position(line, fields[2])?),
            "amp1_position" => entry.amp1_positions.push(position(line, fields[2])?),
            "ignored_allele" => entry.ignored_alleles.push(fields[2].to_owned()),
            "amp1_allele" => entry.amp1_alleles.push(fields[2].to_owned()),
            "ignored_position" | "extra_position" => {
                expect_columns(line, &fields, 2 + VARIANT_COLUMNS)?;
                let parsed = variant(line, &fields[2..])?;
                if fields[0] == "ignored_position" {
                    entry.ignored_positions.push(parsed);
                } else {
                    entry.extra_positions.push(parsed);
                }
            }
            "unphased_priority" => {
                expect_columns(line, &fields, 4)?;
                entry.unphased_priorities.push(UnphasedPriority {
                    diplotypes: list(fields[2], ';'),
                    pick: fields[3].to_owned(),
                });
            }
            other => return Err((line, ParseErrorKind::UnknownRecord(other.to_owned()))),
        }
    }
    Ok(all)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOY: &str = "##tailor_definitions=1\n##gene=CYP3A5\n##chromosome=chr1\n\
##genome_build=GRCh38\n##version=test\n##source=TEST\n##release=none\n\
variant\t1\trs1\tA\tG\t1\tA,G\tA=A;G=G\t.\n\
variant\t2\t.\tC\tT,Y\t2\tC,T\t.\tg.2C>T\n\
allele\t*1\t.\treference\t0:A;1:C\n\
allele\t*2\tPA1\t.\t1:Y\n";

    #[test]
    fn parses_a_gene() {
        let gene = gene(TOY).unwrap();
        assert_eq!(gene.gene, "CYP3A5");
        assert_eq!(gene.variants.len(), 2);
        assert_eq!(gene.variants[1].alts, vec!["T", "Y"]);
        assert_eq!(gene.variants[0].rsid.as_deref(), Some("rs1"));
        assert_eq!(gene.variants[1].rsid, None);
        let star2 = gene.named_allele("*2").unwrap();
        assert_eq!(star2.alleles, vec![None, Some("Y".to_owned())]);
        assert!(gene.reference_allele().unwrap().reference);
    }

    #[test]
    fn rejects_a_cell_past_the_variants() {
        let bad = TOY.replace("1:Y", "5:Y");
        assert_eq!(
            gene(&bad).unwrap_err(),
            (11, ParseErrorKind::BadAlleleCell("5:Y".into()))
        );
    }

    #[test]
    fn rejects_missing_marker_and_header() {
        assert_eq!(gene("variant\n").unwrap_err().0, 1);
        let no_gene = TOY.replace("##gene=CYP3A5\n", "");
        assert_eq!(
            gene(&no_gene).unwrap_err().1,
            ParseErrorKind::MissingHeader { key: "gene" }
        );
    }

    #[test]
    fn rejects_short_records() {
        let bad = TOY.replace("allele\t*2\tPA1\t.\t1:Y", "allele\t*2");
        assert!(matches!(
            gene(&bad).unwrap_err().1,
            ParseErrorKind::ColumnCount { expected: 5, .. }
        ));
    }

    #[test]
    fn parses_exemptions() {
        let text = "##tailor_exemptions=1\nrequired_position\tNAT2\t18400194\n\
unphased_priority\tNAT2\t*1/*6;*4/*34\t*1/*6\nignored_allele\tG6PD\tMediterranean Haplotype\n";
        let all = exemptions(text).unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].required_positions[0].get(), 18_400_194);
        assert_eq!(all[0].unphased_priorities[0].pick, "*1/*6");
        assert!(all[1].ignores_allele("mediterranean haplotype"));
    }
}
