//! Haplotype functions, activity scores and phenotypes (CPIC vocabulary),
//! from the embedded tables in `data/` (see `tools/convert_phenotypes.py`).

use std::collections::HashMap;

use tailor_schemas::Sex;

/// Genes PharmCAT calls without a CPIC phenotype: grouped by diplotype.
const NO_PHENOTYPE: [&str; 3] = ["CYP4F2", "IFNL3", "VKORC1"];

/// CPIC's phenotype for a diplotype whose function cannot be told.
const INDETERMINATE: &str = "Indeterminate";

macro_rules! embedded {
    ($($gene:literal),* $(,)?) => {
        &[$(($gene, include_str!(concat!("../data/", $gene, ".tsv")))),*]
    };
}

const EMBEDDED: &[(&str, &str)] = embedded!(
    "ABCG2", "CACNA1S", "CFTR", "CYP2B6", "CYP2C19", "CYP2C9", "CYP2D6", "CYP3A4", "CYP3A5",
    "DPYD", "G6PD", "IFNL3", "MT-RNR1", "NAT2", "NUDT15", "RYR1", "SLCO1B1", "TPMT", "UGT1A1",
    "VKORC1",
);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Rule {
    Lookup,
    Activity,
    G6pd,
    Ryr1,
}

#[derive(Clone, Debug)]
struct GenePhenotypes {
    rule: Rule,
    functions: HashMap<String, (String, Option<f64>)>,
    diplotypes: HashMap<(String, String), (String, Option<f64>)>,
    activity: Vec<(f64, Option<f64>, String)>,
}

/// The phenotype of one diplotype.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Phenotype {
    /// Function of haplotype 1.
    pub function_1: Option<String>,
    /// Function of haplotype 2.
    pub function_2: Option<String>,
    /// Activity score, where CPIC defines one.
    pub activity_score: Option<f64>,
    /// Phenotype (CPIC vocabulary).
    pub phenotype: Option<String>,
    /// Whether the sex was needed but unknown.
    pub sex_unknown: bool,
}

/// The embedded phenotype tables of every gene.
#[derive(Clone, Debug)]
pub struct PhenotypeTables {
    genes: HashMap<String, GenePhenotypes>,
}

impl PhenotypeTables {
    /// Parses the embedded tables (checked by this crate's tests).
    pub fn embedded() -> Self {
        let genes = EMBEDDED
            .iter()
            .map(|(gene, text)| ((*gene).to_owned(), parse(text)))
            .collect();
        Self { genes }
    }

    /// Whether `gene` has a phenotype table.
    pub fn knows_gene(&self, gene: &str) -> bool {
        self.genes.contains_key(gene)
    }

    /// Function of one haplotype (`Normal function`), if known.
    pub fn function(&self, gene: &str, haplotype: &str) -> Option<&str> {
        self.genes
            .get(gene)?
            .functions
            .get(haplotype)
            .map(|(f, _)| f.as_str())
    }

    /// Activity value of one haplotype (CPIC's, e.g. DPYD `0.5`), if defined.
    pub fn activity_value(&self, gene: &str, haplotype: &str) -> Option<f64> {
        self.genes.get(gene)?.functions.get(haplotype)?.1
    }

    /// The phenotype of an activity score (genes with CPIC activity
    /// scores: CYP2C9, CYP2D6, DPYD), e.g. for a CYP2D6 duplication.
    pub fn phenotype_of_activity(&self, gene: &str, score: f64) -> Option<String> {
        activity_phenotype(self.genes.get(gene)?, score)
    }

    /// Functions, activity score and phenotype of a diplotype
    /// (`haplotype_2` is `None` when haploid).
    pub fn phenotype(
        &self,
        gene: &str,
        haplotype_1: &str,
        haplotype_2: Option<&str>,
        sex: Option<Sex>,
    ) -> Phenotype {
        let Some(table) = self.genes.get(gene) else {
            return Phenotype::default();
        };
        let function = |h: &str| table.functions.get(h).map(|(f, _)| f.clone());
        let mut out = Phenotype {
            function_1: function(haplotype_1),
            function_2: haplotype_2.and_then(function),
            ..Phenotype::default()
        };
        if NO_PHENOTYPE.contains(&gene) {
            return out;
        }
        match table.rule {
            Rule::Lookup => {
                let (a, b) = sorted_pair(haplotype_1, haplotype_2.unwrap_or(""));
                if let Some((phenotype, score)) = table.diplotypes.get(&(a, b)) {
                    out.phenotype = Some(phenotype.clone());
                    out.activity_score = *score;
                }
            }
            Rule::Activity => {
                let value = |h: &str| table.functions.get(h).and_then(|(_, v)| *v);
                let score = match haplotype_2 {
                    Some(h2) => value(haplotype_1).zip(value(h2)).map(|(a, b)| a + b),
                    None => value(haplotype_1),
                };
                out.activity_score = score;
                let known = |h: &str| table.functions.contains_key(h);
                out.phenotype = match score {
                    Some(s) => activity_phenotype(table, s),
                    // CPIC: an allele of uncertain or unknown function (one
                    // without an activity value) leaves the phenotype
                    // Indeterminate.
                    None if known(haplotype_1) && haplotype_2.is_none_or(known) => {
                        Some(INDETERMINATE.to_owned())
                    }
                    None => None,
                };
            }
            Rule::G6pd => {
                out.phenotype = g6pd(
                    out.function_1.as_deref(),
                    out.function_2.as_deref(),
                    haplotype_2.is_none(),
                    sex,
                );
                out.sex_unknown = sex.is_none() && out.phenotype.as_deref() == Some(INDETERMINATE);
            }
            Rule::Ryr1 => {
                let functions = [out.function_1.as_deref(), out.function_2.as_deref()];
                if functions.iter().any(Option::is_none) && haplotype_2.is_some() {
                    return out;
                }
                let mhs = functions
                    .iter()
                    .flatten()
                    .any(|f| f.contains("Malignant Hyperthermia"));
                out.phenotype = Some(
                    if mhs {
                        "Malignant Hyperthermia Susceptibility"
                    } else {
                        "Uncertain Susceptibility"
                    }
                    .to_owned(),
                );
            }
        }
        out
    }
}

/// The phenotype of an activity score in the gene's activity bins.
fn activity_phenotype(table: &GenePhenotypes, score: f64) -> Option<String> {
    table
        .activity
        .iter()
        .find(|(low, high, _)| score >= *low && high.is_none_or(|h| score < h))
        .map(|(_, _, p)| p.clone())
}

/// CPIC's G6PD phenotype: hemizygous males take their allele's function;
/// females are Normal, Variable (one deficient allele) or Deficient.
fn g6pd(f1: Option<&str>, f2: Option<&str>, haploid: bool, sex: Option<Sex>) -> Option<String> {
    let class = |f: &str| -> Option<u8> {
        match f {
            "Normal" => Some(0),
            "Deficient" => Some(1),
            "Deficient with CNSHA" => Some(2),
            _ => None,
        }
    };
    let phenotype = |c: u8| match c {
        0 => "Normal",
        1 => "Deficient",
        _ => "Deficient with CNSHA",
    };
    if haploid || sex == Some(Sex::Male) {
        if !haploid && f1 != f2 {
            return Some(INDETERMINATE.to_owned());
        }
        return f1.and_then(class).map(|c| phenotype(c).to_owned());
    }
    let (c1, c2) = (f1.and_then(class)?, f2.and_then(class)?);
    // Sex unknown: two alleles of one class give that phenotype whatever
    // the sex; a heterozygous call needs it (female: Variable).
    if sex.is_none() && c1 != c2 {
        return Some(INDETERMINATE.to_owned());
    }
    Some(
        match (c1.min(c2), c1.max(c2)) {
            (0, 0) => "Normal",
            (0, _) => "Variable",
            (_, 2) => "Deficient with CNSHA",
            _ => "Deficient",
        }
        .to_owned(),
    )
}

fn sorted_pair(a: &str, b: &str) -> (String, String) {
    if b.is_empty() || a <= b {
        (a.to_owned(), b.to_owned())
    } else {
        (b.to_owned(), a.to_owned())
    }
}

fn optional(cell: Option<&str>) -> Option<&str> {
    cell.filter(|c| *c != ".")
}

fn number(cell: Option<&str>) -> Option<f64> {
    optional(cell).and_then(|c| c.parse().ok())
}

fn parse(text: &str) -> GenePhenotypes {
    let mut out = GenePhenotypes {
        rule: Rule::Lookup,
        functions: HashMap::new(),
        diplotypes: HashMap::new(),
        activity: Vec::new(),
    };
    for line in text.lines() {
        if let Some(rule) = line.strip_prefix("##rule=") {
            out.rule = match rule {
                "activity" => Rule::Activity,
                "g6pd" => Rule::G6pd,
                "ryr1" => Rule::Ryr1,
                _ => Rule::Lookup,
            };
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        match f.first().copied() {
            Some("haplotype") if f.len() >= 4 => {
                if let Some(function) = optional(f.get(2).copied()) {
                    out.functions.insert(
                        f[1].to_owned(),
                        (function.to_owned(), number(f.get(3).copied())),
                    );
                }
            }
            Some("diplotype") if f.len() >= 5 => {
                if let Some(phenotype) = optional(f.get(3).copied()) {
                    let b = optional(f.get(2).copied()).unwrap_or("");
                    out.diplotypes.insert(
                        sorted_pair(f[1], b),
                        (phenotype.to_owned(), number(f.get(4).copied())),
                    );
                }
            }
            Some("activity") if f.len() >= 4 => {
                if let Some(low) = number(f.get(1).copied()) {
                    out.activity
                        .push((low, number(f.get(2).copied()), f[3].to_owned()));
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_activity_and_sex_rules() {
        let t = PhenotypeTables::embedded();
        let p = t.phenotype("CYP2C19", "*2", Some("*1"), None);
        assert_eq!(p.phenotype.as_deref(), Some("Intermediate Metabolizer"));
        assert_eq!(p.function_1.as_deref(), Some("No function"));
        let p = t.phenotype("CYP2C9", "*1", Some("*3"), None);
        assert_eq!(p.activity_score, Some(1.0));
        let p = t.phenotype("CYP2D6", "*1", Some("*4"), None);
        assert_eq!(p.activity_score, Some(1.0));
        assert_eq!(p.phenotype.as_deref(), Some("Intermediate Metabolizer"));
        let p = t.phenotype(
            "VKORC1",
            "rs9923231 reference (C)",
            Some("rs9923231 variant (T)"),
            None,
        );
        assert_eq!(p.phenotype, None);
    }

    /// CYP2D6 *22 is of uncertain function and *103 of unknown function
    /// (no activity value): CPIC calls such diplotypes Indeterminate; an
    /// allele the tables lack gives no phenotype.
    #[test]
    fn cyp2d6_with_an_allele_of_uncertain_function_is_indeterminate() {
        let t = PhenotypeTables::embedded();
        assert_eq!(t.function("CYP2D6", "*22"), Some("Uncertain function"));
        assert_eq!(t.function("CYP2D6", "*103"), Some("Unknown function"));
        for other in ["*1", "*4", "*103"] {
            let p = t.phenotype("CYP2D6", other, Some("*22"), None);
            assert_eq!(p.phenotype.as_deref(), Some("Indeterminate"), "{other}/*22");
            assert_eq!(p.activity_score, None);
        }
        let p = t.phenotype("CYP2D6", "*1", Some("*999"), None);
        assert_eq!(p.phenotype, None);
    }

    /// PharmCAT's VKORC1 table names rs9923231 genotypes as
    /// `schemas::single_variant` shows them (`C/T (-1639 AG)`).
    #[test]
    fn vkorc1_names_match_pharmcat_table() {
        let t = PhenotypeTables::embedded();
        let table = &t.genes["VKORC1"];
        assert_eq!(table.diplotypes.len(), 3);
        for ((a, b), (name, _)) in &table.diplotypes {
            let genotype =
                tailor_schemas::single_variant::Genotype::parse(&format!("{a}/{b}")).expect("ok");
            assert!(genotype.label.ends_with(&format!(" ({name})")), "{a}/{b}");
        }
    }

    #[test]
    fn haploid_g6pd_takes_its_allele() {
        assert_eq!(
            g6pd(Some("Deficient"), None, true, Some(Sex::Male)).as_deref(),
            Some("Deficient")
        );
        assert_eq!(
            g6pd(Some("Normal"), Some("Deficient"), false, Some(Sex::Female)).as_deref(),
            Some("Variable")
        );
        assert_eq!(
            g6pd(Some("Normal"), Some("Normal"), false, None).as_deref(),
            Some("Normal")
        );
        assert_eq!(
            g6pd(Some("Normal"), Some("Deficient"), false, None).as_deref(),
            Some("Indeterminate")
        );
    }
}
