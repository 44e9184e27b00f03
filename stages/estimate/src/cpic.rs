//! The confirmatory family: CPIC level A, A/B and B gene-drug pairs,
//! embedded from `data/cpic_confirmatory.tsv` (see `data/NOTICE`).

use std::collections::BTreeMap;

const TABLE: &str = include_str!("../data/cpic_confirmatory.tsv");

pub use tailor_schemas::subgroup_effects::Family;

/// One CPIC pair.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CpicPair {
    /// HGNC symbol.
    pub gene: String,
    /// Drug name, lower case.
    pub drug: String,
    /// ATC codes.
    pub atc: Vec<String>,
    /// CPIC level (`A`, `A/B`, `B`).
    pub level: String,
    /// FDA label status (`Testing required`, `Actionable PGx`, ...), when
    /// the label has one.
    pub fda_label: Option<String>,
    /// The CPIC guideline's address, when published.
    pub guideline: Option<String>,
    /// PubMed ids of the guideline's publications.
    pub pmids: Vec<String>,
}

/// The embedded confirmatory pairs.
pub fn confirmatory_pairs() -> Vec<CpicPair> {
    TABLE
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("gene\t") && !l.trim().is_empty())
        .filter_map(|line| {
            let mut f = line.split('\t');
            let gene = f.next()?.to_owned();
            let drug = f.next()?.to_lowercase();
            let atc = f
                .next()?
                .split(',')
                .filter(|a| !a.is_empty())
                .map(str::to_owned)
                .collect();
            let level = f.next()?.to_owned();
            let _status = f.next();
            let text = |field: Option<&str>| field.filter(|t| !t.is_empty()).map(str::to_owned);
            let fda_label = text(f.next());
            let guideline = text(f.next());
            let pmids = f
                .next()
                .unwrap_or_default()
                .split(',')
                .filter(|p| !p.is_empty())
                .map(str::to_owned)
                .collect();
            Some(CpicPair {
                gene,
                drug,
                atc,
                level,
                fda_label,
                guideline,
                pmids,
            })
        })
        .collect()
}

/// Classifies gene x therapy pairs: a therapy matches a pair by drug name
/// (case-insensitive), by being an ATC code of the pair, or through the
/// configured `therapy_atc` map.
#[derive(Clone, Debug)]
pub struct FamilyLookup {
    pairs: Vec<CpicPair>,
    therapy_atc: BTreeMap<String, String>,
}

impl FamilyLookup {
    /// The lookup over the embedded pairs.
    pub fn new(therapy_atc: &BTreeMap<String, String>) -> Self {
        Self {
            pairs: confirmatory_pairs(),
            therapy_atc: therapy_atc.clone(),
        }
    }

    /// The CPIC level of `gene` x `therapy`, if confirmatory.
    pub fn level(&self, gene: &str, therapy: &str) -> Option<&str> {
        self.pair(gene, therapy).map(|p| p.level.as_str())
    }

    /// The CPIC pair `gene` x `therapy` matches, if confirmatory.
    pub fn pair(&self, gene: &str, therapy: &str) -> Option<&CpicPair> {
        let name = therapy.trim().to_lowercase();
        let atc = self
            .therapy_atc
            .get(therapy)
            .map(|a| a.trim().to_uppercase());
        let upper = therapy.trim().to_uppercase();
        self.pairs.iter().find(|p| {
            p.gene == gene
                && (p.drug == name
                    || p.atc.contains(&upper)
                    || atc
                        .as_ref()
                        .is_some_and(|code| p.atc.iter().any(|a| a == code)))
        })
    }

    /// The CPIC facts of every confirmatory pair among `genes` x
    /// `therapies`, as the JSON array of the effects table's metadata entry
    /// `tailor.estimate.cpic_guidelines` (`gene`, `drug` as the cohort names
    /// the therapy, `level`, `fda_label`, `guideline`, `pmids`).
    pub fn guidelines<'a>(
        &self,
        genes: impl Iterator<Item = &'a str>,
        therapies: &[String],
    ) -> serde_json::Value {
        let mut entries = Vec::new();
        for gene in genes {
            for therapy in therapies {
                if let Some(p) = self.pair(gene, therapy) {
                    entries.push(serde_json::json!({
                        "gene": gene,
                        "drug": therapy,
                        "level": p.level,
                        "fda_label": p.fda_label,
                        "guideline": p.guideline,
                        "pmids": p.pmids,
                    }));
                }
            }
        }
        serde_json::Value::Array(entries)
    }

    /// The family of `gene` x `therapy`.
    pub fn family(&self, gene: &str, therapy: &str) -> Family {
        if self.level(gene, therapy).is_some() {
            Family::Confirmatory
        } else {
            Family::Exploratory
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_table_parses() {
        let pairs = confirmatory_pairs();
        assert_eq!(pairs.len(), 139);
        let clopidogrel = pairs
            .iter()
            .find(|p| p.gene == "CYP2C19" && p.drug == "clopidogrel")
            .unwrap();
        assert_eq!(clopidogrel.level, "A");
        assert_eq!(clopidogrel.fda_label.as_deref(), Some("Actionable PGx"));
        assert!(clopidogrel
            .guideline
            .as_deref()
            .is_some_and(|g| g.starts_with("https://cpicpgx.org/guidelines/")));
        assert!(!clopidogrel.pmids.is_empty());
        let lookup = FamilyLookup::new(&BTreeMap::from([(
            "Plavix".to_owned(),
            "B01AC04".to_owned(),
        )]));
        assert_eq!(
            lookup.family("CYP2C19", "Clopidogrel"),
            Family::Confirmatory
        );
        assert_eq!(lookup.family("CYP2C19", "B01AC04"), Family::Confirmatory);
        assert_eq!(lookup.family("CYP2C19", "Plavix"), Family::Confirmatory);
        assert_eq!(lookup.family("CYP2C19", "ticagrelor"), Family::Exploratory);
        assert_eq!(lookup.family("SLCO1B1", "clopidogrel"), Family::Exploratory);
    }
}
