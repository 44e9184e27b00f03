//! The star stage: PharmCAT-exact star-allele diplotypes and phenotypes.
//!
//! [`run`] reads genotypes tables (written by `tailor ingest`) and writes the
//! calls table ([`tailor_schemas::calls`]): one row per sample x gene with the
//! diplotype, every best-scoring candidate in PharmCAT's order, the score,
//! missing positions, haplotype functions, activity score, phenotype and
//! flags. Matching follows PharmCAT's `NamedAlleleMatcher` exactly; the
//! lower-level [`match_gene`] calls one sample x gene. DPYD and RYR1 follow
//! its lowest-function path, DPYD's HapB3 its `DpydHapB3Matcher`, and their
//! `diplotype` is the lowest-function one of PharmCAT's
//! `LowestFunctionGeneCaller`.
//!
//! # Limits
//!
//! - Unphased genotypes are matched without expanding them into every
//!   haplotype sequence they allow (PharmCAT's way, exponential in
//!   heterozygous positions): the named alleles compatible with the
//!   genotypes are paired and each pair checked to explain them, with
//!   PharmCAT's scores and order (`allele_pairs.rs`). Unphased DPYD/RYR1
//!   get their lowest-function haplotype list from the strands each allele
//!   matches too (`possible_alleles.rs`). The paths that match sequence by
//!   sequence still expand: `--combinations`, DPYD/RYR1 with phase sets,
//!   and the rare unphased DPYD/RYR1 data the strands do not settle
//!   (`possible_alleles.rs`), up to [`MAX_BRANCH_POINTS`] branching points
//!   (unphased heterozygous positions plus phase sets); beyond that their
//!   row is a no call flagged `expansion_limit` (phase the input to call
//!   it).
//! - CYP2D6 is called from SNVs and indels only (flag `snv_only`): no copy
//!   number, deletions (*5) or hybrids; use `--outside-calls` for those.
//!   Such rows keep their candidates but get no activity score or
//!   phenotype (flag `phenotype_withheld`) unless
//!   [`Options::cyp2d6_phenotype_from_snvs`] is set.
//!   [`structure_cyp2d6`] joins the SNV call with a copy number from reads;
//!   [`Options::cyp2d6_reads`] does so for the calls table's CYP2D6 rows.
//! - RYR1's allele functions come from PyPGx's table (49 alleles; PharmCAT
//!   3.1.1 ships none). An allele outside it has no function: its row gets
//!   no phenotype (flag `no_phenotype`), and the lowest-function choice
//!   treats it as not malignant-hyperthermia associated.
//!
//! ```
//! use tailor_definitions::Definitions;
//! use tailor_star::{match_gene, CompiledGene, MatchOptions, SampleAllele};
//!
//! let definitions = Definitions::embedded().unwrap();
//! let gene = definitions.gene("CYP2C19").unwrap();
//! let compiled = CompiledGene::new(gene, &definitions.exemptions("CYP2C19"), false).unwrap();
//! // Reference everywhere except *2's variants (c.681G>A, rs12769205, ...),
//! // heterozygous and phased on one strand. The reference strand is *38.
//! let genotypes: Vec<_> = gene
//!     .variants
//!     .iter()
//!     .map(|v| {
//!         let alt = gene.named_allele("*2").and_then(|a| {
//!             let i = gene.variant_index(v.position)?;
//!             a.alleles[i].clone()
//!         });
//!         // An IUPAC cell (`R`) allows the reference base: keep it.
//!         let alt = alt.filter(|a| a.len() > 1 || "ACGT".contains(a.as_str()));
//!         let alt = alt.unwrap_or_else(|| v.reference.clone());
//!         Some(SampleAllele::diploid(&v.reference, &alt, true, None))
//!     })
//!     .collect();
//! let call = match_gene(&compiled, &genotypes, MatchOptions::default());
//! assert_eq!(call.names(), ["*2/*38"]);
//! ```

mod allele_pairs;
#[cfg(test)]
mod allele_pairs_exactness;
mod call_writer;
mod caller;
mod cell_hasher;
mod columns;
mod combination;
mod compiled;
mod complement_pairs;
mod cyp2d6_candidates;
mod cyp2d6_hidden_hybrids;
mod cyp2d6_prior;
mod cyp2d6_reads;
mod cyp2d6_star13;
mod cyp2d6_structure;
mod diplotype;
mod duplicated_allele;
mod error;
mod genotype_tables;
mod genotypes;
mod hapb3;
mod iupac;
mod lowest_function;
#[cfg(test)]
mod lowest_function_exactness;
mod match_data;
mod matcher;
mod name_order;
mod options;
mod output;
mod outside;
mod outside_vocabulary;
mod phenotype;
mod possible_alleles;
mod rows;
mod run;
mod sample;
mod sample_set;
mod structured_haplotype;

pub use call_writer::BLOCK_ROWS as CALLS_BATCH_ROWS;
pub use caller::{Caller, GeneCaller, GeneCalls};
pub use compiled::CompiledGene;
pub use cyp2d6_reads::{Cyp2d6Reads, HeterozygousSite};
pub use cyp2d6_structure::{structure_cyp2d6, AlleleBalance, CopyNumberEvidence, StructuredCall};
pub use error::{Error, OutsideCallError, Result};
pub use hapb3::HapB3Warning;
pub use match_data::MAX_BRANCH_POINTS;
pub use matcher::{match_gene, Diplotype, GeneMatch, MatchOptions, NoCallReason};
pub use name_order::compare_haplotype_names;
pub use options::Options;
pub use output::{batch as calls_batch, CallRow};
pub use outside::{
    read_outside_calls, CallsBySample, OutsideCall, OutsideCallProblem, OutsideCalls,
};
pub use phenotype::{Phenotype, PhenotypeTables};
pub use run::{run, Summary};
pub use sample::SampleAllele;
pub use structured_haplotype::StructuredHaplotype;
