//! The stage: genotypes tables in, calls table out.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use tailor_definitions::Definitions;
use tailor_schemas::calls::{self, flags};
use tailor_tables::{TableMetadata, TableWriter};

use crate::error::{Error, Result};
use crate::genotypes::{Genotypes, Row};
use crate::lowest_function::lowest_function_diplotype;
use crate::output::{batch, CallRow};
use crate::outside::{read_outside_calls, OutsideCall};
use crate::phenotype::{PhenotypeTables, Sex};
use crate::{
    match_gene, CompiledGene, GeneMatch, HapB3Warning, NoCallReason, Options, SampleAllele,
};

/// What a run did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Samples called.
    pub samples: usize,
    /// Genes called.
    pub genes: usize,
    /// Rows written (sample x gene).
    pub rows: usize,
    /// Rows with a diplotype.
    pub called: usize,
    /// Rows with more than one candidate.
    pub ambiguous: usize,
    /// Rows whose unphased expansion hit [`crate::MAX_BRANCH_POINTS`].
    pub expansion_limited: usize,
    /// Rows taken from the outside-call file.
    pub outside: usize,
}

/// Calls every gene for every sample of the genotypes tables `inputs` and
/// writes `output` (the calls table, atomically).
///
/// # Errors
/// [`Error::NoInput`]; [`Error::Table`] or [`Error::Column`] for an
/// unreadable or foreign table; [`Error::OutsideCall`] naming a bad line.
pub fn run(
    options: &Options,
    definitions: &Definitions,
    inputs: &[PathBuf],
    output: &Path,
) -> Result<Summary> {
    if inputs.is_empty() {
        return Err(Error::NoInput);
    }
    let wanted = |gene: &str| {
        definitions.gene(gene).is_some()
            && (options.genes.is_empty() || options.genes.iter().any(|g| g == gene))
    };
    let genotypes = Genotypes::read(inputs, &wanted)?;
    let rows = call_genotypes(options, definitions, &genotypes)?;
    let mut summary = Summary {
        samples: genotypes.samples.len(),
        genes: rows
            .iter()
            .map(|r| r.gene.as_str())
            .collect::<BTreeSet<_>>()
            .len(),
        rows: rows.len(),
        ..Summary::default()
    };
    for r in &rows {
        summary.called += usize::from(r.diplotype.is_some());
        summary.ambiguous += usize::from(r.candidates.len() > 1);
        summary.expansion_limited += usize::from(r.flags.contains(&flags::EXPANSION_LIMIT));
        summary.outside += usize::from(r.source == "outside");
    }
    let version = definitions.version();
    let mut metadata = TableMetadata::new(calls::TABLE, calls::SCHEMA_VERSION);
    metadata.definitions_version = Some(version.clone());
    metadata.inputs = genotypes.identities.clone();
    metadata.parameters = parameters(options);
    let mut writer = TableWriter::create(output, calls::schema(), &metadata)?;
    for chunk in rows.chunks(65_536) {
        let b = batch(chunk, &version).map_err(|source| tailor_tables::Error::Arrow {
            path: output.to_path_buf(),
            source,
        })?;
        writer.write(&b)?;
    }
    writer.finish()?;
    Ok(summary)
}

fn parameters(options: &Options) -> serde_json::Value {
    let outside = options
        .outside_calls
        .as_ref()
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned());
    serde_json::json!({
        "top_candidate_only": options.matching.top_candidate_only,
        "find_combinations": options.matching.find_combinations,
        "outside_calls": outside,
        "genes": options.genes,
        "samples_with_sex": options.sex.len(),
    })
}

/// Calls every sample x gene; rows sorted by sample then gene.
fn call_genotypes(
    options: &Options,
    definitions: &Definitions,
    genotypes: &Genotypes,
) -> Result<Vec<CallRow>> {
    let builtin = Definitions::embedded().ok();
    let tables = PhenotypeTables::embedded();
    let outside = match &options.outside_calls {
        Some(path) => read_outside_calls(path, genotypes.samples.len())?,
        None => Default::default(),
    };
    let wanted = |gene: &str| options.genes.is_empty() || options.genes.iter().any(|g| g == gene);
    let mut rows = Vec::new();
    for definition in definitions.genes() {
        let gene = definition.gene.as_str();
        if !wanted(gene) {
            continue;
        }
        let Some(by_sample) = genotypes.by_gene.get(gene) else {
            continue;
        };
        let priorities = builtin
            .as_ref()
            .is_some_and(|b| !b.exemptions(gene).unphased_priorities.is_empty());
        let Some(compiled) =
            CompiledGene::new(definition, &definitions.exemptions(gene), priorities)
        else {
            continue;
        };
        let index: HashMap<u32, usize> = compiled
            .variants()
            .iter()
            .enumerate()
            .map(|(i, v)| (v.position.get(), i))
            .collect();
        let empty: Vec<Row> = Vec::new();
        let aligned: Vec<Vec<Option<SampleAllele>>> = (0..genotypes.samples.len())
            .into_par_iter()
            .map(|s| {
                let sample_rows = by_sample.get(&s).unwrap_or(&empty);
                let mut aligned: Vec<Option<SampleAllele>> = vec![None; compiled.variants().len()];
                for row in sample_rows {
                    if let Some(&i) = index.get(&row.pos) {
                        if aligned[i].is_none() {
                            aligned[i] = row.sample(&genotypes.alleles);
                        }
                    }
                }
                aligned
            })
            .collect();
        // Matching is a pure function of the genotypes: samples with the
        // same genotypes at every position (most of a cohort, for most
        // genes) are matched once.
        let mut distinct: HashMap<&[Option<SampleAllele>], usize> = HashMap::new();
        let mut unique: Vec<&[Option<SampleAllele>]> = Vec::new();
        let which: Vec<usize> = aligned
            .iter()
            .map(|a| {
                *distinct.entry(a.as_slice()).or_insert_with(|| {
                    unique.push(a.as_slice());
                    unique.len() - 1
                })
            })
            .collect();
        let results: Vec<_> = unique
            .par_iter()
            .map(|a| match_gene(&compiled, a, options.matching))
            .collect();
        let gene_rows: Vec<CallRow> = which
            .par_iter()
            .enumerate()
            .map(|(s, &u)| {
                let sample = &genotypes.samples[s];
                let sex = options.sex.get(sample).copied();
                call_row(sample, gene, &results[u], &tables, sex)
            })
            .collect();
        rows.extend(gene_rows);
    }
    apply_outside_calls(&mut rows, &outside, genotypes, &tables, options);
    rows.sort_by(|a, b| {
        a.sample_id
            .cmp(&b.sample_id)
            .then_with(|| a.gene.cmp(&b.gene))
    });
    Ok(rows)
}

fn call_row(
    sample: &str,
    gene: &str,
    result: &GeneMatch,
    tables: &PhenotypeTables,
    sex: Option<Sex>,
) -> CallRow {
    let mut row = CallRow {
        sample_id: sample.to_owned(),
        gene: gene.to_owned(),
        candidates: result.diplotypes.iter().map(|d| d.name.clone()).collect(),
        haplotype_matches: result.haplotype_matches.clone(),
        phased: result.effectively_phased && result.no_call != Some(NoCallReason::NoData),
        missing_positions: result.missing_positions.clone(),
        source: "vcf",
        ..CallRow::default()
    };
    let mut f: Vec<&'static str> = Vec::new();
    if let Some(reason) = result.no_call {
        f.push(flags::NO_CALL);
        f.push(match reason {
            NoCallReason::NoData => flags::NO_DATA,
            NoCallReason::MissingRequiredPosition => flags::MISSING_REQUIRED_POSITION,
            NoCallReason::PartialGenotype => flags::PARTIAL_GENOTYPE,
            NoCallReason::NoMatch => flags::NO_MATCH,
            NoCallReason::LowestFunctionUnphased => flags::LOWEST_FUNCTION_UNPHASED,
            NoCallReason::ExpansionLimit => flags::EXPANSION_LIMIT,
        });
    }
    if result.diplotypes.len() > 1 {
        f.push(flags::AMBIGUOUS);
    }
    if !result.missing_positions.is_empty() && result.no_call != Some(NoCallReason::NoData) {
        f.push(flags::MISSING_POSITIONS);
    }
    if result
        .diplotypes
        .iter()
        .any(|d| d.combination && !d.partial)
    {
        f.push(flags::COMBINATION);
    }
    if result.diplotypes.iter().any(|d| d.partial) {
        f.push(flags::PARTIAL);
    }
    if !result.undocumented_positions.is_empty() {
        f.push(flags::UNDOCUMENTED_VARIANT);
        if result.undocumented_as_reference {
            f.push(flags::UNDOCUMENTED_AS_REFERENCE);
        }
    }
    if result.priority_pick {
        f.push(flags::UNPHASED_PRIORITY);
    }
    if gene == "CYP2D6" {
        f.push(flags::SNV_ONLY);
    }
    for warning in &result.hapb3_warnings {
        f.push(match warning {
            HapB3Warning::ExonicOnly => flags::HAPB3_EXONIC_ONLY,
            HapB3Warning::IntronicMismatchExonic => flags::HAPB3_INTRONIC_MISMATCH_EXONIC,
        });
    }
    let called = if result.lowest_function {
        lowest_function_diplotype(gene, result, tables).map(|lowest| {
            let inferred = result.diplotypes.first().map(|d| &d.name) != Some(&lowest.name());
            if inferred {
                f.push(flags::LOWEST_FUNCTION);
            }
            (lowest.haplotype_1, lowest.haplotype_2, lowest.score)
        })
    } else {
        result
            .diplotypes
            .first()
            .map(|d| (d.haplotype_1.clone(), d.haplotype_2.clone(), Some(d.score)))
    };
    if let Some((haplotype_1, haplotype_2, score)) = called {
        let p = tables.phenotype(gene, &haplotype_1, haplotype_2.as_deref(), sex);
        row.diplotype = Some(match &haplotype_2 {
            Some(h2) => format!("{haplotype_1}/{h2}"),
            None => haplotype_1.clone(),
        });
        row.haplotype_1 = Some(haplotype_1);
        row.haplotype_2 = haplotype_2;
        row.match_score = score;
        row.function_1 = p.function_1;
        row.function_2 = p.function_2;
        row.activity_score = p.activity_score;
        row.phenotype = p.phenotype;
        if p.sex_unknown {
            f.push(flags::SEX_UNKNOWN);
        }
        if row.phenotype.is_none() && !matches!(gene, "CYP4F2" | "IFNL3" | "VKORC1") {
            f.push(flags::NO_PHENOTYPE);
        }
    }
    row.flags = f;
    row
}

fn apply_outside_calls(
    rows: &mut Vec<CallRow>,
    outside: &crate::outside::OutsideCalls,
    genotypes: &Genotypes,
    tables: &PhenotypeTables,
    options: &Options,
) {
    for (sample, genes) in outside {
        let samples: Vec<&String> = match sample {
            Some(s) => vec![s],
            None => genotypes.samples.iter().collect(),
        };
        for s in samples {
            for call in genes.values() {
                let row = outside_row(s, call, tables, options.sex.get(s).copied());
                rows.retain(|r| !(r.sample_id == *s && r.gene == call.gene));
                rows.push(row);
            }
        }
    }
}

fn outside_row(
    sample: &str,
    call: &OutsideCall,
    tables: &PhenotypeTables,
    sex: Option<Sex>,
) -> CallRow {
    let (h1, h2) = match call.diplotype.as_deref() {
        Some(d) => match d.split_once('/') {
            Some((a, b)) => (Some(a.to_owned()), Some(b.to_owned())),
            None => (Some(d.to_owned()), None),
        },
        None => (None, None),
    };
    let mut row = CallRow {
        sample_id: sample.to_owned(),
        gene: call.gene.clone(),
        diplotype: call.diplotype.clone(),
        haplotype_1: h1.clone(),
        haplotype_2: h2.clone(),
        candidates: call.diplotype.iter().cloned().collect(),
        flags: vec![flags::OUTSIDE_CALL],
        source: "outside",
        ..CallRow::default()
    };
    if let Some(h1) = &h1 {
        let p = tables.phenotype(&call.gene, h1, h2.as_deref(), sex);
        row.function_1 = p.function_1;
        row.function_2 = p.function_2;
        row.activity_score = p.activity_score;
        row.phenotype = p.phenotype;
    }
    if call.phenotype.is_some() {
        row.phenotype.clone_from(&call.phenotype);
    }
    if call.activity_score.is_some() {
        row.activity_score = call.activity_score;
    }
    row
}
