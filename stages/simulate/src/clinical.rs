//! The clinical table, with a planted, clinically plausible effect.
//!
//! Each person is one patient with one antiplatelet episode after an acute
//! coronary syndrome: clopidogrel (ATC B01AC04) or ticagrelor (B01AC24),
//! clopidogrel more often in older patients (about 2/3 overall).
//! Clopidogrel is a prodrug that CYP2C19 activates; ticagrelor needs no
//! activation. So, as in the CPIC clopidogrel guideline:
//!
//! - `mace` (binary, major adverse cardiovascular event within a year):
//!   logistic, baseline risk about 8% at age 65 (female), +0.03 per year of
//!   age, +0.25 for males, -0.16 (OR 0.85) on ticagrelor, and on
//!   clopidogrel +[`MACE_LOG_OR_PER_LOF`] per CYP2C19 no-function allele
//!   (half for a decreased-function allele). The per-allele odds ratio (3)
//!   is larger than observational studies report (about 1.5-2), so that
//!   the default 2,000-person demo detects it.
//! - `platelet_reactivity` (continuous, P2Y12 reaction units, lower is
//!   better): clopidogrel 180 + 60 per no-function allele (SD 50);
//!   ticagrelor 60 (SD 30), whatever the genotype.
//! - `bleeding` (time to event, days, censored at 365): hazard 5% a year on
//!   clopidogrel, 1.3 times that on ticagrelor, whatever the genotype; 5% of
//!   patients are lost to follow-up at a uniform time.
//!
//! Covariates `age` (years) and `sex` (female/male, the same sex as the
//! VCF's chrX ploidy). About 1% of ages, 2% of `mace` and 3% of
//! `platelet_reactivity` values are `NA`. No other gene has any effect.

use std::io::Write;

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::cohort::{Person, HAPLOID};
use crate::panel::GenePanel;

/// Log odds ratio of `mace` per CYP2C19 no-function allele on clopidogrel.
pub const MACE_LOG_OR_PER_LOF: f64 = 1.1;

/// The clinical table's header line.
pub(crate) const HEADER: &str =
    "patient_id,therapy,age,sex,mace,platelet_reactivity,bleeding_days,bleeding_event";

/// CYP2C19 no-function allele count (decreased function counts half).
fn loss_of_function(person: &Person, panels: &[GenePanel]) -> f64 {
    let Some(g) = panels.iter().position(|p| p.gene == "CYP2C19") else {
        return 0.0;
    };
    person.haplotypes[g]
        .iter()
        .filter(|&&h| h != HAPLOID)
        .map(|&h| {
            let function = panels[g].haplotypes[usize::from(h)]
                .function
                .to_ascii_lowercase();
            if function.starts_with("no function") {
                1.0
            } else if function.starts_with("decreased function") {
                0.5
            } else {
                0.0
            }
        })
        .sum()
}

fn logistic(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// Writes the header and one CSV row per person to `out`.
pub(crate) fn write_clinical_csv(
    out: &mut impl Write,
    people: &[Person],
    panels: &[GenePanel],
    rng: &mut ChaCha8Rng,
) -> std::io::Result<()> {
    writeln!(out, "{HEADER}")?;
    for person in people {
        let lof = loss_of_function(person, panels);
        let age: f64 = (65.0 + 10.0 * standard_normal(rng))
            .clamp(30.0, 95.0)
            .round();
        let male = person.male;
        let clopidogrel = rng.gen_bool(logistic(0.69 + 0.03 * (age - 65.0)).clamp(0.0, 1.0));
        let mut lp = (0.08f64 / 0.92).ln() + 0.03 * (age - 65.0) + if male { 0.25 } else { 0.0 };
        if clopidogrel {
            lp += MACE_LOG_OR_PER_LOF * lof;
        } else {
            lp += 0.85f64.ln();
        }
        let mace = rng.gen_bool(logistic(lp).clamp(0.0, 1.0));
        let reactivity = if clopidogrel {
            180.0 + 60.0 * lof + 50.0 * standard_normal(rng)
        } else {
            60.0 + 30.0 * standard_normal(rng)
        }
        .max(0.0);
        let rate = 0.05 / 365.0 * if clopidogrel { 1.0 } else { 1.3 };
        let u: f64 = rng.gen_range(f64::MIN_POSITIVE..1.0);
        let event_day = -u.ln() / rate;
        let lost = rng.gen_bool(0.05);
        let lost_day: f64 = rng.gen_range(1.0..365.0);
        let censor = if lost { lost_day } else { 365.0 };
        let (days, event) = if event_day <= censor {
            (event_day.ceil().max(1.0), 1)
        } else {
            (censor.floor(), 0)
        };
        let age_na = rng.gen_bool(0.01);
        let mace_na = rng.gen_bool(0.02);
        let reactivity_na = rng.gen_bool(0.03);
        let therapy = if clopidogrel {
            "clopidogrel"
        } else {
            "ticagrelor"
        };
        let sex = if male { "male" } else { "female" };
        let age = if age_na {
            "NA".to_owned()
        } else {
            format!("{age:.0}")
        };
        let mace = if mace_na {
            "NA".to_owned()
        } else {
            u8::from(mace).to_string()
        };
        let reactivity = if reactivity_na {
            "NA".to_owned()
        } else {
            format!("{reactivity:.1}")
        };
        writeln!(
            out,
            "{},{therapy},{age},{sex},{mace},{reactivity},{days:.0},{event}",
            person.sample_id
        )?;
    }
    Ok(())
}

/// A standard normal draw (Box-Muller; one draw per call, so the stream
/// of draws does not depend on caching).
fn standard_normal(rng: &mut ChaCha8Rng) -> f64 {
    let u1: f64 = rng.gen_range(f64::MIN_POSITIVE..1.0);
    let u2: f64 = rng.gen();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}
