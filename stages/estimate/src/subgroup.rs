//! Assigning each row to a subgroup of a gene, or excluding it with a reason.
//!
//! - no call (flag `no_call`, or no value for the grouping): excluded,
//!   counted as `no_call`;
//! - ambiguous: kept in a phenotype grouping when the candidates share the
//!   phenotype (the cohort then carries it), otherwise excluded as
//!   `ambiguous`; always excluded from a diplotype grouping;
//! - CYP2D6 from SNVs alone (flag `snv_only`, source neither `bam` nor
//!   `outside`): excluded as `cyp2d6_snv_only` unless configured otherwise;
//! - carrier grouping with a phenotype it cannot classify: `not_classified`.

use std::borrow::Cow;
use std::collections::BTreeMap;

use tailor_schemas::calls::CallSource;
use tailor_schemas::single_variant::SingleVariant;

use crate::codes::Codes;
use crate::column_view::{FLAG_AMBIGUOUS, FLAG_NO_CALL, FLAG_SNV_ONLY};
use crate::levels::{Levels, LevelsBuilder};
use crate::subgroup_merge::Partition;
use crate::subgroup_order::{order_labels, Ordered};
use crate::{Error, Grouping, Options, Result};

/// The reference subgroup of a gene without a configured one, as a
/// priority (lower first): the subgroup with normal function, or the
/// reference-allele homozygote (`*1/*1`; CYP2C19 `*1/*1`, else `*38/*38`,
/// *38 being its reference sequence; `Reference/Reference`; a
/// single-variant gene's `C/C`, `C` being the reference allele its cohort
/// column names, VKORC1 `C/C (-1639 GG)`), or an activity score of 2 (its
/// bin), or `non_carrier`. `None` for any other label: with none of these
/// the gene has no reference (the largest subgroup is never picked
/// silently) and no subgroup-vs-reference rows.
fn default_reference(
    gene: &str,
    single_variant: Option<&SingleVariant>,
    grouping: Grouping,
    label: &str,
    options: &Options,
) -> Option<u8> {
    let first = |yes: bool| yes.then_some(0);
    match grouping {
        Grouping::Phenotype => first(matches!(
            label,
            "Normal Metabolizer" | "Normal Function" | "Normal"
        )),
        Grouping::Diplotype if single_variant.is_some() => first(
            single_variant
                .and_then(SingleVariant::reference_label)
                .is_some_and(|r| r == label),
        ),
        Grouping::Diplotype => match label.split_once('/') {
            Some((a, b)) if a == b => match a {
                "*1" => Some(0),
                "*38" if gene == "CYP2C19" => Some(1),
                _ => first(a == "Reference"),
            },
            _ => None,
        },
        Grouping::ActivityScore if options.activity_score_bins.is_empty() => first(label == "2"),
        Grouping::ActivityScore => first(label == bin_label(2.0, &options.activity_score_bins)),
        Grouping::Carrier => first(label == "non_carrier"),
    }
}

/// A gene's subgroups.
#[derive(Clone, Debug)]
pub struct Subgroups {
    /// HGNC symbol.
    pub gene: String,
    /// The grouping used (phenotype falls back to diplotype for a gene
    /// without phenotypes).
    pub grouping: Grouping,
    /// The variant of a single-variant gene (its cohort column's metadata).
    pub single_variant: Option<SingleVariant>,
    /// Subgroup labels in display order (see `subgroup_order`).
    pub labels: Vec<String>,
    /// How many leading subgroups lie on the functional scale (the others
    /// have no neighbour to merge into).
    pub on_scale: usize,
    /// The reference subgroup: the configured one, else the documented
    /// default; `None` when neither occurs.
    pub reference: Option<u32>,
    /// The subgroups shown for each outcome (in the cohort's outcome
    /// order), after merging (see `subgroup_merge`); filled by the stage
    /// once the outcomes are read.
    pub by_outcome: Vec<Partition>,
    /// Subgroup of each row (`of_row.get(i)`), a byte a row for up to 254
    /// subgroups.
    pub of_row: Codes,
    /// Rows excluded, by reason.
    pub excluded: BTreeMap<&'static str, u64>,
}

/// One row's call of a gene, as the cohort table holds it.
#[derive(Clone, Copy, Debug, Default)]
pub struct GeneCall<'a> {
    /// Phenotype.
    pub phenotype: Option<&'a str>,
    /// Diplotype.
    pub diplotype: Option<&'a str>,
    /// Activity score.
    pub activity_score: Option<f64>,
    /// Flag bits ([`FLAG_NO_CALL`], ...).
    pub flags: u8,
    /// Source (`vcf`, `bam`, `outside`).
    pub source: Option<&'a str>,
}

/// `1`, `1.5`, `0.25`: an activity score as a label.
pub fn score_label(score: f64) -> String {
    let rounded = (score * 1000.0).round() / 1000.0;
    let text = format!("{rounded:.3}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

fn bin_label(score: f64, edges: &[f64]) -> String {
    match edges.iter().rposition(|&e| score >= e) {
        None => format!(
            "(-inf, {})",
            score_label(edges.first().copied().unwrap_or(0.0))
        ),
        Some(i) if i + 1 == edges.len() => format!("[{}, inf)", score_label(edges[i])),
        Some(i) => format!("[{}, {})", score_label(edges[i]), score_label(edges[i + 1])),
    }
}

/// A phenotype as a subgroup label: `Likely Poor Metabolizer` counts as
/// `Poor Metabolizer` when `merge_likely` (CPIC gives a likely phenotype the
/// phenotype's recommendation).
pub fn phenotype_label(phenotype: &str, merge_likely: bool) -> &str {
    match phenotype.strip_prefix("Likely ") {
        Some(rest) if merge_likely && !rest.is_empty() => rest,
        _ => phenotype,
    }
}

/// Carrier status read from a CPIC phenotype.
pub fn carrier_label(phenotype: &str) -> Option<&'static str> {
    let p = phenotype.to_lowercase();
    if p.contains("intermediate") || p.contains("poor") || p.contains("decreased") {
        Some("carrier")
    } else if p.contains("normal") || p.contains("rapid") || p.contains("increased") {
        Some("non_carrier")
    } else {
        None
    }
}

/// The subgroup label of one row under `grouping`, or why it is excluded.
fn label<'a>(
    gene: &str,
    grouping: Grouping,
    call: &GeneCall<'a>,
    options: &Options,
) -> Result<Cow<'a, str>, &'static str> {
    let flags = call.flags;
    if flags & FLAG_NO_CALL != 0 {
        return Err("no_call");
    }
    if gene == "CYP2D6"
        && flags & FLAG_SNV_ONLY != 0
        && !options.include_cyp2d6_snv_only
        && !call
            .source
            .and_then(CallSource::parse)
            .is_some_and(CallSource::beyond_snvs)
    {
        return Err("cyp2d6_snv_only");
    }
    let missing = if flags & FLAG_AMBIGUOUS != 0 {
        "ambiguous"
    } else {
        "no_call"
    };
    match grouping {
        Grouping::Phenotype => call
            .phenotype
            .map(|p| Cow::Borrowed(phenotype_label(p, options.merge_likely)))
            .ok_or(missing),
        Grouping::Diplotype if flags & FLAG_AMBIGUOUS != 0 => Err("ambiguous"),
        Grouping::Diplotype => call.diplotype.map(Cow::Borrowed).ok_or("no_call"),
        Grouping::ActivityScore => match call.activity_score {
            Some(score) if options.activity_score_bins.is_empty() => {
                Ok(Cow::Owned(score_label(score)))
            }
            Some(score) => Ok(Cow::Owned(bin_label(score, &options.activity_score_bins))),
            None => Err(missing),
        },
        Grouping::Carrier => match call.phenotype {
            Some(p) => carrier_label(p).map(Cow::Borrowed).ok_or("not_classified"),
            None => Err(missing),
        },
    }
}

/// Labels under one grouping, row by row.
#[derive(Debug)]
struct Labelling {
    grouping: Grouping,
    labels: LevelsBuilder,
    excluded: BTreeMap<&'static str, u64>,
}

impl Labelling {
    fn new(grouping: Grouping) -> Self {
        Self {
            grouping,
            labels: LevelsBuilder::default(),
            excluded: BTreeMap::new(),
        }
    }

    fn push(&mut self, gene: &str, call: &GeneCall<'_>, options: &Options) {
        match label(gene, self.grouping, call, options) {
            Ok(l) => self.labels.push(Some(&l)),
            Err(reason) => {
                *self.excluded.entry(reason).or_default() += 1;
                self.labels.push(None);
            }
        }
    }
}

/// Assigns the rows of one gene to subgroups as they are read, so that a
/// gene's columns never need to be held whole: only a code per row is kept.
#[derive(Debug)]
pub struct Assigner<'o> {
    gene: String,
    options: &'o Options,
    labelling: Labelling,
    /// With phenotype grouping, the diplotype labelling, kept while no row
    /// has a phenotype (a gene without phenotypes falls back to it).
    fallback: Option<Labelling>,
    any_diplotype: bool,
    single_variant: Option<SingleVariant>,
}

impl<'o> Assigner<'o> {
    /// An assigner for `gene` under `options`.
    pub fn new(gene: &str, options: &'o Options) -> Self {
        Self {
            gene: gene.to_owned(),
            options,
            labelling: Labelling::new(options.grouping_of(gene)),
            fallback: (options.grouping_of(gene) == Grouping::Phenotype)
                .then(|| Labelling::new(Grouping::Diplotype)),
            any_diplotype: false,
            single_variant: None,
        }
    }

    /// Notes that the gene is defined by one variant (its diplotypes read
    /// `C/T`): its default reference is the reference-allele homozygote.
    pub fn single_variant(self, single_variant: Option<SingleVariant>) -> Self {
        Self {
            single_variant,
            ..self
        }
    }

    /// Assigns the next row.
    pub fn push(&mut self, call: &GeneCall<'_>) {
        self.labelling.push(&self.gene, call, self.options);
        if call.phenotype.is_some() {
            self.fallback = None;
        }
        if let Some(fallback) = &mut self.fallback {
            fallback.push(&self.gene, call, self.options);
        }
        self.any_diplotype |= call.diplotype.is_some();
    }

    /// The subgroups of the rows pushed, in display order, with the
    /// reference chosen (`by_outcome` is left empty).
    ///
    /// # Errors
    /// [`Error::UnknownName`] when a configured reference subgroup does not
    /// occur (`path` names the cohort in the message).
    pub fn finish(self, path: &std::path::Path) -> Result<Subgroups> {
        let Labelling {
            grouping,
            labels,
            excluded,
        } = match self.fallback {
            Some(fallback) if self.any_diplotype => fallback,
            _ => self.labelling,
        };
        let Levels { codes, levels } = labels.finish();
        let gene = self.gene;
        let options = self.options;
        let Ordered { order, on_scale } = order_labels(
            grouping,
            &levels,
            options.subgroup_order.get(&gene).map(Vec::as_slice),
        );
        let mut position = vec![None; levels.len()];
        for (display, &sorted) in order.iter().enumerate() {
            position[sorted] = Some(display as u32);
        }
        let labels: Vec<String> = order.iter().map(|&i| levels[i].clone()).collect();
        let index = |wanted: &dyn Fn(&str) -> bool| labels.iter().position(|l| wanted(l));
        let reference = match options.reference_subgroups.get(&gene) {
            Some(configured) => {
                Some(
                    index(&|l| l == configured.as_str()).ok_or_else(|| Error::UnknownName {
                        path: path.to_path_buf(),
                        setting: "reference_subgroups",
                        value: format!("{gene} = {configured}"),
                        available: labels.join(", "),
                    })?,
                )
            }
            None => (0..labels.len())
                .filter_map(|s| {
                    let variant = self.single_variant.as_ref();
                    default_reference(&gene, variant, grouping, &labels[s], options).map(|p| (p, s))
                })
                .min()
                .map(|(_, s)| s),
        };
        Ok(Subgroups {
            gene,
            grouping,
            single_variant: self.single_variant,
            labels,
            on_scale,
            reference: reference.map(|r| r as u32),
            by_outcome: Vec::new(),
            of_row: codes.remap(&position),
            excluded,
        })
    }
}

impl Subgroups {
    /// The label of subgroup `s` as shown for outcome `o`.
    pub fn label(&self, o: usize, s: u32) -> &str {
        &self.by_outcome[o].labels[s as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Five rows: two calls, a no call, an ambiguous call with a shared
    /// phenotype, an ambiguous CYP2D6-from-SNVs call.
    fn calls() -> [GeneCall<'static>; 5] {
        let call = |phenotype, diplotype, activity_score, flags| GeneCall {
            phenotype,
            diplotype,
            activity_score,
            flags,
            source: Some("vcf"),
        };
        [
            call(Some("Poor Metabolizer"), Some("*2/*2"), Some(0.0), 0),
            call(Some("Normal Metabolizer"), Some("*1/*1"), Some(2.0), 0),
            call(None, None, None, FLAG_NO_CALL),
            call(Some("Normal Metabolizer"), None, Some(1.5), FLAG_AMBIGUOUS),
            call(None, None, None, FLAG_AMBIGUOUS | FLAG_SNV_ONLY),
        ]
    }

    fn assign(gene: &str, calls: &[GeneCall<'_>], options: &Options) -> Result<Subgroups> {
        assign_with(gene, calls, options, None)
    }

    fn assign_with(
        gene: &str,
        calls: &[GeneCall<'_>],
        options: &Options,
        variant: Option<SingleVariant>,
    ) -> Result<Subgroups> {
        let mut assigner = Assigner::new(gene, options).single_variant(variant);
        for call in calls {
            assigner.push(call);
        }
        assigner.finish(std::path::Path::new("c"))
    }

    #[test]
    fn phenotype_keeps_concordant_ambiguous() {
        let s = assign("CYP2C19", &calls(), &Options::default()).expect("ok");
        assert_eq!(s.labels, ["Normal Metabolizer", "Poor Metabolizer"]);
        assert_eq!(
            s.of_row.iter().collect::<Vec<_>>(),
            [Some(1), Some(0), None, Some(0), None]
        );
        assert_eq!(s.of_row.bytes_per_row(), 1);
        assert_eq!(s.reference, Some(0));
        assert_eq!(s.excluded.get("no_call"), Some(&1));
        assert_eq!(s.excluded.get("ambiguous"), Some(&1));
    }

    #[test]
    fn cyp2d6_snv_only_and_diplotype() {
        let options = Options::builder().grouping(Grouping::Diplotype).build();
        let s = assign("CYP2D6", &calls(), &options).expect("ok");
        assert_eq!(s.excluded.get("cyp2d6_snv_only"), Some(&1));
        assert_eq!(s.excluded.get("ambiguous"), Some(&1));
        assert_eq!(
            s.reference.map(|r| s.labels[r as usize].as_str()),
            Some("*1/*1")
        );
    }

    #[test]
    fn labels() {
        assert_eq!(score_label(1.0), "1");
        assert_eq!(score_label(0.25), "0.25");
        assert_eq!(bin_label(1.2, &[0.0, 1.0, 2.0]), "[1, 2)");
        assert_eq!(bin_label(2.5, &[0.0, 1.0, 2.0]), "[2, inf)");
        assert_eq!(
            carrier_label("Likely Intermediate Metabolizer"),
            Some("carrier")
        );
        assert_eq!(carrier_label("Indeterminate"), None);
        assert_eq!(
            phenotype_label("Likely Poor Metabolizer", true),
            "Poor Metabolizer"
        );
        assert_eq!(
            phenotype_label("Likely Poor Metabolizer", false),
            "Likely Poor Metabolizer"
        );
        assert_eq!(
            phenotype_label("Poor Metabolizer", true),
            "Poor Metabolizer"
        );
        let bad = Options::builder()
            .reference_subgroup("CYP2C19", "Rapid")
            .build();
        assert!(assign("CYP2C19", &calls(), &bad).is_err());
    }

    fn diplotypes(list: &[&'static str]) -> Vec<GeneCall<'static>> {
        list.iter()
            .map(|&d| GeneCall {
                diplotype: Some(d),
                ..GeneCall::default()
            })
            .collect()
    }

    fn reference_label(s: &Subgroups) -> Option<&str> {
        s.reference.map(|r| s.labels[r as usize].as_str())
    }

    /// Normal function or the reference-allele homozygote, never the
    /// largest subgroup: CYP2C19 `*1/*1`, else `*38/*38` (its reference
    /// sequence); DPYD `Reference/Reference`; a single-variant gene's
    /// reference homozygote (VKORC1 `C/C (-1639 GG)`) when its column
    /// names the reference allele; none of these: no reference.
    #[test]
    fn default_references_by_gene_and_grouping() {
        let by_diplotype = Options::builder().grouping(Grouping::Diplotype).build();
        let dips = diplotypes(&["*1/*2", "*1/*2", "*1/*1", "*38/*38", "*2/*2"]);
        let s = assign("CYP2C19", &dips, &by_diplotype).expect("ok");
        assert_eq!(reference_label(&s), Some("*1/*1"));
        let s = assign("CYP2C19", &dips[3..], &by_diplotype).expect("ok");
        assert_eq!(reference_label(&s), Some("*38/*38"));
        let s = assign("CYP2C9", &dips[3..], &by_diplotype).expect("ok");
        assert_eq!(reference_label(&s), None);
        let s = assign("CYP2C9", &dips, &by_diplotype).expect("ok");
        assert_eq!(reference_label(&s), Some("*1/*1"));
        let dips = diplotypes(&["Reference/c.1905+1G>A", "Reference/Reference"]);
        let s = assign("DPYD", &dips, &by_diplotype).expect("ok");
        assert_eq!(reference_label(&s), Some("Reference/Reference"));
        let dips = diplotypes(&["C/T (-1639 AG)", "C/T (-1639 AG)", "C/C (-1639 GG)"]);
        let vkorc1 = SingleVariant {
            rsid: "rs9923231".into(),
            reference: Some("C".into()),
        };
        let s = assign_with("VKORC1", &dips, &by_diplotype, Some(vkorc1)).expect("ok");
        assert_eq!(reference_label(&s), Some("C/C (-1639 GG)"));
        assert_eq!(
            s.single_variant.map(|v| v.rsid).as_deref(),
            Some("rs9923231")
        );
        let dips = diplotypes(&["A/G", "A/G", "G/G", "A/A"]);
        let variant = |reference: Option<&str>| SingleVariant {
            rsid: "rs1".into(),
            reference: reference.map(str::to_owned),
        };
        let s = assign_with("VKORC1", &dips, &by_diplotype, Some(variant(Some("G")))).expect("ok");
        assert_eq!(reference_label(&s), Some("G/G"));
        let s = assign_with("VKORC1", &dips, &by_diplotype, Some(variant(None))).expect("ok");
        assert_eq!(reference_label(&s), None);
        let s = assign_with("VKORC1", &dips, &by_diplotype, None).expect("ok");
        assert_eq!(reference_label(&s), None);
        let dips = diplotypes(&["*1/*2", "*1/*2", "*1/*3"]);
        let s = assign("CYP2C9", &dips, &by_diplotype).expect("ok");
        assert_eq!(reference_label(&s), None);
        let scores = Options::builder().grouping(Grouping::ActivityScore).build();
        let s = assign("CYP2C19", &calls(), &scores).expect("ok");
        assert_eq!(s.labels, ["2", "1.5", "0"]);
        assert_eq!(reference_label(&s), Some("2"));
        let binned = Options {
            activity_score_bins: vec![0.0, 1.25, 2.25],
            ..scores
        };
        let s = assign("CYP2C19", &calls(), &binned).expect("ok");
        assert_eq!(s.labels, ["[1.25, 2.25)", "[0, 1.25)"]);
        assert_eq!(reference_label(&s), Some("[1.25, 2.25)"));
    }

    /// A gene's own grouping overrides the default; a configured
    /// reference is used as given.
    #[test]
    fn gene_grouping_and_a_configured_reference() {
        let options = Options::builder()
            .gene_grouping("CYP2D6", Grouping::Carrier)
            .reference_subgroup("CYP2C19", "Poor Metabolizer")
            .build();
        let rows = &calls()[..2];
        let s = assign("CYP2C19", rows, &options).expect("ok");
        assert_eq!(s.grouping, Grouping::Phenotype);
        assert_eq!(s.labels, ["Normal Metabolizer", "Poor Metabolizer"]);
        assert_eq!(reference_label(&s), Some("Poor Metabolizer"));
        let s = assign("CYP2D6", rows, &options).expect("ok");
        assert_eq!(s.grouping, Grouping::Carrier);
        assert_eq!(s.labels, ["non_carrier", "carrier"]);
        assert_eq!(reference_label(&s), Some("non_carrier"));
    }

    #[test]
    fn a_gene_without_phenotypes_falls_back_to_diplotypes() {
        let without = calls().map(|c| GeneCall {
            phenotype: None,
            ..c
        });
        let s = assign("CYP2C19", &without, &Options::default()).expect("ok");
        assert_eq!(s.grouping, Grouping::Diplotype);
        assert_eq!(s.labels, ["*1/*1", "*2/*2"]);
        assert_eq!(s.reference, Some(0));
        assert_eq!(s.excluded.get("ambiguous"), Some(&2));
        let none = without.map(|c| GeneCall {
            diplotype: None,
            ..c
        });
        let s = assign("CYP2C19", &none, &Options::default()).expect("ok");
        assert_eq!(s.grouping, Grouping::Phenotype);
        assert!(s.labels.is_empty());
        assert_eq!(s.reference, None);
    }
}
