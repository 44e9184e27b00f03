//! One calls-table row: from the matcher's result for a sample x gene, or
//! from an outside call.

use tailor_schemas::calls::{flags, CallSource};
use tailor_schemas::Sex;

use crate::lowest_function::lowest_function_diplotype;
use crate::output::CallRow;
use crate::outside::OutsideCall;
use crate::phenotype::PhenotypeTables;
use crate::{GeneMatch, HapB3Warning, NoCallReason};

/// The row of `sample` for `gene` from the matcher's `result`
/// (`sex` for G6PD's phenotype). CYP2D6, called from SNVs alone, keeps its
/// candidates but gets no activity score or phenotype (flag
/// `phenotype_withheld`) unless `cyp2d6_phenotype_from_snvs`.
pub(crate) fn call_row(
    sample: &str,
    gene: &str,
    result: &GeneMatch,
    tables: &PhenotypeTables,
    sex: Option<Sex>,
    cyp2d6_phenotype_from_snvs: bool,
) -> CallRow {
    let mut row = CallRow {
        sample_id: sample.to_owned(),
        gene: gene.to_owned(),
        candidates: result.diplotypes.iter().map(|d| d.name.clone()).collect(),
        haplotype_matches: result.haplotype_matches.clone(),
        phased: result.effectively_phased && result.no_call != Some(NoCallReason::NoData),
        missing_positions: result.missing_positions.clone(),
        source: CallSource::Vcf,
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
        if gene == "CYP2D6" && !cyp2d6_phenotype_from_snvs {
            row.activity_score = None;
            row.phenotype = None;
            f.push(flags::PHENOTYPE_WITHHELD);
        } else if row.phenotype.is_none() {
            f.push(flags::NO_PHENOTYPE);
        }
    }
    row.flags = f;
    row
}

/// The row of `sample` from an outside `call` (`sex` for G6PD's
/// phenotype): it replaces the matcher's row for the gene. An invalid
/// call's row has no diplotype, phenotype or activity score (flags
/// `no_call`, `outside_call_invalid`).
pub(crate) fn outside_row(
    sample: &str,
    call: &OutsideCall,
    tables: &PhenotypeTables,
    sex: Option<Sex>,
) -> CallRow {
    let mut row = CallRow {
        sample_id: sample.to_owned(),
        gene: call.gene.clone(),
        flags: vec![flags::OUTSIDE_CALL],
        source: CallSource::Outside,
        ..CallRow::default()
    };
    if call.invalid.is_some() {
        row.flags
            .extend([flags::NO_CALL, flags::OUTSIDE_CALL_INVALID]);
        return row;
    }
    let (h1, h2) = match call.diplotype.as_deref() {
        Some(d) => match d.split_once('/') {
            Some((a, b)) => (Some(a.to_owned()), Some(b.to_owned())),
            None => (Some(d.to_owned()), None),
        },
        None => (None, None),
    };
    row.diplotype.clone_from(&call.diplotype);
    row.haplotype_1.clone_from(&h1);
    row.haplotype_2.clone_from(&h2);
    row.candidates = call.diplotype.iter().cloned().collect();
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
    if row.phenotype.is_none() {
        row.flags.push(flags::NO_PHENOTYPE);
    }
    row
}
