//! The `tailor.toml` written next to the simulated cohort: `tailor run`
//! reads it to chain ingest, call, join (pseudonymised with the generated
//! key) and estimate.

/// File names of the simulated cohort, relative to the output directory.
pub mod file_names {
    /// The phased, bgzip-compressed cohort VCF.
    pub const VCF: &str = "cohort.vcf.gz";
    /// The simulated diplotypes: sample_id, gene, haplotype_1, haplotype_2,
    /// function_1, function_2 (haplotype_2 empty when haploid).
    pub const TRUTH: &str = "truth.tsv";
    /// sample, sex (male/female), for G6PD on chrX.
    pub const SEX: &str = "sex.tsv";
    /// The clinical table.
    pub const CLINICAL: &str = "clinical.csv";
    /// The pipeline configuration.
    pub const CONFIG: &str = "tailor.toml";
    /// The pseudonymisation key (64 hex digits, mode 0600).
    pub const KEY: &str = "join.key";
}

/// The configuration text for a cohort simulated with `seed` and `samples`.
pub(crate) fn config_toml(seed: u64, samples: usize) -> String {
    format!(
        r#"# tailor run tailor.toml: the whole pipeline on the cohort `tailor simulate`
# wrote here ({samples} people, seed {seed}). Paths are relative to this file.

[run]
inputs = ["{vcf}"]
clinical = ["{clinical}"]
sex = "{sex}"
output = "out"
pseudonymise = true

[ingest]
absent_as_reference = false

[call]
combinations = false

[join]
sample_id = "patient_id"
therapy = "therapy"
key_file = "{key}"

[[join.outcomes]]
name = "mace"
kind = "binary"

[[join.outcomes]]
name = "platelet_reactivity"
kind = "continuous"
unit = "PRU"

[[join.outcomes]]
name = "bleeding"
kind = "time_to_event"
time_column = "bleeding_days"
event_column = "bleeding_event"
unit = "days"

[[join.covariates]]
name = "age"
kind = "numeric"

[[join.covariates]]
name = "sex"
kind = "categorical"
reference = "female"

[estimate]
# Carrier of a no- or decreased-function allele vs not: two large subgroups
# per gene, the grouping the demo's tests measure. `grouping = "phenotype"`
# also runs on this cohort: Likely X counts as X, and a subgroup too small
# to show merges into its neighbour (or drops out, with a warning).
grouping = "carrier"
comparator = "ticagrelor"
covariates = ["age", "sex"]
km_horizon = 365.0

[estimate.therapy_atc]
clopidogrel = "B01AC04"
ticagrelor = "B01AC24"
"#,
        vcf = file_names::VCF,
        clinical = file_names::CLINICAL,
        sex = file_names::SEX,
        key = file_names::KEY,
    )
}
