//! The stage: genotypes tables in, calls table out; writing the calls.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use tailor_definitions::Definitions;
use tailor_schemas::calls::{self, flags};
use tailor_tables::{InputIdentity, TableMetadata, TableWriter};

use crate::caller::{Caller, GeneCalls};
use crate::error::{Error, Result};
use crate::genotype_tables::GenotypeTables;
use crate::genotypes::Genotypes;
use crate::lowest_function::lowest_function_diplotype;
use crate::output::{batch, CallRow};
use crate::outside::{read_outside_calls, OutsideCall};
use crate::phenotype::{PhenotypeTables, Sex};
use crate::{GeneMatch, HapB3Warning, NoCallReason, Options};

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
    let tables = GenotypeTables::read(inputs)?;
    let caller = Caller::new(options, definitions, tables.samples);
    let genes = tables
        .by_gene
        .iter()
        .filter_map(|(gene, batches)| caller.call_gene(gene, batches).transpose())
        .collect::<Result<Vec<_>>>()?;
    caller.write(genes, tables.identities, output)
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

impl Caller<'_> {
    /// Writes the calls table `output` (atomically) from every gene's calls:
    /// one row per sample x gene, sorted by sample then gene, with the
    /// outside calls of [`Options::outside_calls`] in place of the matcher's.
    /// `inputs` are recorded as the table's provenance.
    ///
    /// # Errors
    /// [`Error::OutsideCall`] naming a bad line, [`Error::Io`];
    /// [`Error::Table`] if the table cannot be written.
    pub fn write(
        &self,
        genes: Vec<GeneCalls>,
        inputs: Vec<InputIdentity>,
        output: &Path,
    ) -> Result<Summary> {
        let options = self.options;
        let rows = self.call_rows(genes)?;
        let mut summary = Summary {
            samples: self.cohort.samples.len(),
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
        let version = self.definitions.version();
        let mut metadata = TableMetadata::new(calls::TABLE, calls::SCHEMA_VERSION);
        metadata.definitions_version = Some(version.clone());
        metadata.inputs = inputs;
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

    /// Every sample x gene's row, sorted by sample then gene.
    fn call_rows(&self, mut genes: Vec<GeneCalls>) -> Result<Vec<CallRow>> {
        let options = self.options;
        let samples = &self.cohort.samples;
        let tables = PhenotypeTables::embedded();
        let outside = match &options.outside_calls {
            Some(path) => read_outside_calls(path, samples.len())?,
            None => Default::default(),
        };
        genes.sort_by(|a, b| a.gene.cmp(&b.gene));
        let sex: Vec<Option<Sex>> = samples
            .iter()
            .map(|s| options.sex.get(s).copied())
            .collect();
        // Per gene, one row per distinct (match, sex), made once (phenotype
        // lookups included) and copied to each sample that has it.
        let templates: Vec<(Vec<CallRow>, Vec<usize>)> = genes
            .iter()
            .map(|g| {
                let mut rows: Vec<CallRow> = Vec::new();
                let mut made: Vec<Vec<(Option<Sex>, usize)>> = vec![Vec::new(); g.results.len()];
                let which = g
                    .which
                    .iter()
                    .enumerate()
                    .map(|(s, &u)| {
                        let u = u as usize;
                        if let Some(&(_, t)) = made[u].iter().find(|(x, _)| *x == sex[s]) {
                            return t;
                        }
                        rows.push(call_row(
                            &samples[s],
                            &g.gene,
                            &g.results[u],
                            &tables,
                            sex[s],
                        ));
                        made[u].push((sex[s], rows.len() - 1));
                        rows.len() - 1
                    })
                    .collect();
                (rows, which)
            })
            .collect();
        let mut order: Vec<usize> = (0..samples.len()).collect();
        order.sort_by(|&a, &b| samples[a].cmp(&samples[b]));
        let mut rows = Vec::with_capacity(samples.len() * genes.len());
        for s in order {
            for (gene_rows, which) in &templates {
                let template = &gene_rows[which[s]];
                rows.push(CallRow {
                    sample_id: samples[s].clone(),
                    ..template.clone()
                });
            }
        }
        apply_outside_calls(&mut rows, &outside, &self.cohort, &tables, options);
        // Already in order unless outside calls were added (a linear pass).
        rows.sort_by(|a, b| {
            a.sample_id
                .cmp(&b.sample_id)
                .then_with(|| a.gene.cmp(&b.gene))
        });
        Ok(rows)
    }
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
