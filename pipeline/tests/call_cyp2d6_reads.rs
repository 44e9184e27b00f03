//! CYP2D6 copy number and structure in `tailor call` on aligned reads
//! (issue 11): simulated BAMs with 0-4 copies, *5, duplications and the
//! *36+*10, *68+*4 and *13 hybrids against their truth.tsv; the real
//! SIM001 and HG03130 locus extracts; exome-like files `not_callable`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use arrow_array::{Array, Float64Array, ListArray, StringArray, UInt8Array};
use common::{column, run_expect, tailor, temp_dir};
use tailor_schemas::{calls, copy_number};

/// One sample's CYP2D6 row of the calls table.
#[derive(Debug)]
struct Cyp2d6Call {
    diplotype: Option<String>,
    copy_number: Option<u8>,
    phenotype: Option<String>,
    flags: Vec<String>,
    /// The SNV candidates (printed with a failing case).
    candidates: Vec<String>,
    source: String,
}

/// One sample's row of copy_number.parquet.
#[derive(Debug)]
struct CopyNumberRow {
    copy_number: Option<u8>,
    method: String,
    /// The stage's flags and its CYP2D6 shares at the 3′ end, the body and
    /// the 5′ end (only printed, with a failing case).
    #[allow(dead_code)]
    flags: Vec<String>,
    #[allow(dead_code)]
    shares: [Option<f64>; 3],
}

fn text(batch: &arrow_array::RecordBatch, name: &str, i: usize) -> Option<String> {
    let a = column::<StringArray>(batch, name);
    (!a.is_null(i)).then(|| a.value(i).to_owned())
}

fn count(batch: &arrow_array::RecordBatch, name: &str, i: usize) -> Option<u8> {
    let a = column::<UInt8Array>(batch, name);
    (!a.is_null(i)).then(|| a.value(i))
}

/// The strings of the list column `name` at row `i`.
fn strings(batch: &arrow_array::RecordBatch, name: &str, i: usize) -> Vec<String> {
    let list = column::<ListArray>(batch, name).value(i);
    let list = list.as_any().downcast_ref::<StringArray>().unwrap();
    (0..list.len()).map(|j| list.value(j).to_owned()).collect()
}

/// sample -> its CYP2D6 row of `path` (a calls table).
fn cyp2d6_calls(path: &Path) -> HashMap<String, Cyp2d6Call> {
    let table = tailor_tables::read_table(path).unwrap();
    table.expect_table(path, calls::TABLE).unwrap();
    let mut rows = HashMap::new();
    for batch in &table.batches {
        for i in 0..batch.num_rows() {
            if text(batch, calls::GENE, i).as_deref() != Some("CYP2D6") {
                continue;
            }
            let call = Cyp2d6Call {
                diplotype: text(batch, calls::DIPLOTYPE, i),
                copy_number: count(batch, calls::COPY_NUMBER, i),
                phenotype: text(batch, calls::PHENOTYPE, i),
                flags: strings(batch, calls::FLAGS, i),
                candidates: strings(batch, calls::CANDIDATES, i),
                source: text(batch, calls::SOURCE, i).unwrap(),
            };
            rows.insert(text(batch, calls::SAMPLE_ID, i).unwrap(), call);
        }
    }
    rows
}

/// sample -> its row of copy_number.parquet at `path`.
fn copy_numbers(path: &Path) -> HashMap<String, CopyNumberRow> {
    let table = tailor_tables::read_table(path).unwrap();
    table.expect_table(path, copy_number::TABLE).unwrap();
    let mut rows = HashMap::new();
    for batch in &table.batches {
        for i in 0..batch.num_rows() {
            let row = CopyNumberRow {
                copy_number: count(batch, copy_number::COPY_NUMBER, i),
                method: text(batch, copy_number::METHOD, i).unwrap(),
                flags: strings(batch, copy_number::FLAGS, i),
                shares: [
                    copy_number::CYP2D6_SHARE_3PRIME,
                    copy_number::CYP2D6_SHARE,
                    copy_number::CYP2D6_SHARE_5PRIME,
                ]
                .map(|name| {
                    let a = column::<Float64Array>(batch, name);
                    (!a.is_null(i)).then(|| a.value(i))
                }),
            };
            rows.insert(text(batch, copy_number::SAMPLE_ID, i).unwrap(), row);
        }
    }
    rows
}

/// truth.tsv's CYP2D6 rows: sample -> column -> value.
fn truth(path: &Path) -> BTreeMap<String, BTreeMap<String, String>> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    lines
        .map(|line| {
            header
                .iter()
                .zip(line.split('\t'))
                .map(|(k, v)| ((*k).to_owned(), v.to_owned()))
                .collect::<BTreeMap<String, String>>()
        })
        .filter(|row| row["gene"] == "CYP2D6")
        .map(|row| (row["sample_id"].clone(), row))
        .collect()
}

/// A diplotype as the multiset of its gene copies, so that equivalent
/// notations compare equal (../shared/data/bam/README.md, "How to score"):
/// `*1/*4x2` = `*1/*4+*4`, `*10/*36x2` = `*36/*36+*10`. The *5 deletion
/// is no copy: `*4x2/*5` and `*4/*4` are the same two genes, which copy
/// number cannot place on chromosomes.
fn copies(diplotype: &str) -> Vec<String> {
    let mut copies = Vec::new();
    for gene in diplotype.split(['/', '+']).filter(|g| *g != "*5") {
        match gene.split_once('x') {
            Some((allele, n)) => {
                let n: usize = n.parse().unwrap();
                copies.extend(std::iter::repeat_n(allele.to_owned(), n));
            }
            None => copies.push(gene.to_owned()),
        }
    }
    copies.sort();
    copies
}

/// The hybrid allele truth.tsv's `hybrid` names (`star36` -> `*36`).
fn hybrid_allele(kind: &str) -> String {
    format!("*{}", kind.trim_start_matches("star"))
}

const HYBRIDS: [&str; 3] = ["*36", "*68", "*13"];

/// `tailor simulate --bam reads` in `dir` with `extra` arguments, then
/// `tailor call` on its samplesheet.
fn simulate_and_call(dir: &Path, extra: &[&str]) {
    let mut simulate = tailor(dir);
    simulate.args(["simulate", "-q", "-o", "sim", "--bam", "reads"]);
    run_expect(simulate.args(extra), 0);
    run_expect(
        tailor(dir).args([
            "call",
            "-q",
            "-o",
            "out",
            "--samplesheet",
            "reads/samplesheet.tsv",
            "--sex",
            "sim/sex.tsv",
        ]),
        0,
    );
}

/// Rates over the simulated cohort, with the failing samples.
#[derive(Debug, Default)]
struct Scores {
    copy_number: (usize, usize, Vec<String>),
    /// Copy numbers called, but not the truth's (the others missed are
    /// withheld).
    copy_number_wrong: Vec<String>,
    hybrid_flagged: (usize, usize, Vec<String>),
    hybrid_as_non_hybrid: Vec<String>,
    duplicated_allele: (usize, usize, Vec<String>),
    /// Duplications whose call names a duplicated allele, not the truth's.
    duplicated_named_wrong: Vec<String>,
    diplotype: (usize, usize, Vec<String>),
    /// Structured calls flagged ambiguous whose first candidate is not the
    /// truth but another candidate is (no read tells them apart).
    ambiguous_with_truth: Vec<String>,
}

fn tally(score: &mut (usize, usize, Vec<String>), right: bool, case: impl FnOnce() -> String) {
    score.1 += 1;
    if right {
        score.0 += 1;
    } else {
        score.2.push(case());
    }
}

fn rate(score: &(usize, usize, Vec<String>)) -> f64 {
    score.0 as f64 / score.1 as f64
}

/// `name right/total (rate)`.
fn summary(name: &str, score: &(usize, usize, Vec<String>)) -> String {
    format!("{name} {}/{} ({:.3})", score.0, score.1, rate(score))
}

fn score(dir: &Path) -> Scores {
    let calls = cyp2d6_calls(&dir.join("out/calls.parquet"));
    let numbers = copy_numbers(&dir.join("out/copy_number.parquet"));
    let mut scores = Scores::default();
    for (sample, t) in truth(&dir.join("reads/truth.tsv")) {
        let call = &calls[&sample];
        let number = &numbers[&sample];
        let case = || format!("{sample} truth {t:?} call {call:?} {number:?}");
        assert_eq!(call.source, "bam", "{}", case());
        assert_eq!(call.copy_number, number.copy_number, "{}", case());
        let diplotype = call.diplotype.as_deref().unwrap_or("");
        let hybrids: Vec<String> = t["hybrid"]
            .split(',')
            .filter(|h| !h.is_empty())
            .map(hybrid_allele)
            .collect();
        if hybrids.is_empty() {
            let expected: u8 = t["copy_number"].parse().unwrap();
            if number.copy_number.is_some_and(|n| n != expected) {
                scores.copy_number_wrong.push(case());
            }
            tally(
                &mut scores.copy_number,
                number.copy_number == Some(expected),
                case,
            );
        } else {
            let named = hybrids.iter().all(|h| diplotype.contains(h.as_str()));
            let flagged = call.flags.iter().any(|f| f == "hybrid_unresolved");
            tally(&mut scores.hybrid_flagged, named || flagged, case);
            // A structured call (copy number measured) without a hybrid in
            // it; rows whose copy number is not callable keep their SNV
            // candidates flagged snv_only, with no phenotype.
            let structured = call.copy_number.is_some() && call.diplotype.is_some();
            if structured && !HYBRIDS.iter().any(|h| diplotype.contains(h)) {
                scores.hybrid_as_non_hybrid.push(case());
            }
        }
        // A duplication is seen when there are more copies than
        // chromosomes: `*2x2/*5` is two *2 genes, the same reads as *2/*2.
        let duplicated = &t["duplicated_allele"];
        if !duplicated.is_empty() && t["copy_number"].parse::<u8>().unwrap() > 2 {
            let mut called = diplotype
                .split(['/', '+'])
                .filter_map(|g| g.split_once('x').map(|(a, _)| a))
                .peekable();
            let names_one = called.peek().is_some();
            let named = called.all(|a| duplicated.split(',').any(|d| d == a))
                && duplicated
                    .split(',')
                    .all(|d| diplotype.contains(&format!("{d}x")));
            if names_one && !named {
                scores.duplicated_named_wrong.push(case());
            }
            tally(&mut scores.duplicated_allele, named, case);
        }
        if call.diplotype.is_some() && call.copy_number.is_some() {
            let truth = copies(&t["diplotype"]);
            let right = copies(diplotype) == truth;
            let among = call.flags.iter().any(|f| f == "ambiguous")
                && call.candidates.iter().any(|c| copies(c) == truth);
            if !right && among {
                scores.ambiguous_with_truth.push(case());
            } else {
                tally(&mut scores.diplotype, right, case);
            }
        }
    }
    scores
}

/// The structure frequencies of the simulated cohorts: every structure
/// frequent.
const STRUCTURES: &str =
    "deletion=0.25,duplication=0.2,star36_star10=0.08,star68_star4=0.08,star13=0.06";

/// Simulates `samples` people at 30x with seed `seed` and every structure
/// frequent, calls them, and scores the calls against the truth (printed
/// with every failing case).
fn simulate_and_score(samples: usize, seed: u64) -> Scores {
    let dir = temp_dir();
    let (samples, seed) = (samples.to_string(), seed.to_string());
    simulate_and_call(
        dir.path(),
        &[
            "--samples",
            &samples,
            "--seed",
            &seed,
            "--depth",
            "30",
            "--cyp2d6-structures",
            STRUCTURES,
        ],
    );
    let truth = truth(&dir.path().join("reads/truth.tsv"));
    for n in ["0", "1", "2", "3", "4"] {
        assert!(
            truth
                .values()
                .any(|t| t["copy_number"] == n && t["hybrid"].is_empty()),
            "no non-hybrid sample with {n} copies"
        );
    }
    for kind in ["star36", "star68", "star13"] {
        assert!(truth.values().any(|t| t["hybrid"].contains(kind)), "{kind}");
    }
    let scores = score(dir.path());
    eprintln!(
        "{}, {}, hybrids called as non-hybrid {}, {} (named wrong {}), {}",
        summary("copy number", &scores.copy_number),
        summary("hybrids flagged", &scores.hybrid_flagged),
        scores.hybrid_as_non_hybrid.len(),
        summary("duplicated allele", &scores.duplicated_allele),
        scores.duplicated_named_wrong.len(),
        summary("diplotypes", &scores.diplotype),
    );
    eprintln!(
        "copy numbers wrong {}, ambiguous with the truth a candidate {}",
        scores.copy_number_wrong.len(),
        scores.ambiguous_with_truth.len()
    );
    for case in scores
        .copy_number
        .2
        .iter()
        .chain(&scores.hybrid_flagged.2)
        .chain(&scores.hybrid_as_non_hybrid)
        .chain(&scores.duplicated_allele.2)
        .chain(&scores.diplotype.2)
        .chain(&scores.ambiguous_with_truth)
    {
        eprintln!("  {case}");
    }
    scores
}

/// No wrong structural call: no copy number other than the truth's, no
/// hybrid called as a non-hybrid and no duplicated allele named wrong.
fn assert_no_wrong_calls(scores: &Scores) {
    assert!(
        scores.copy_number_wrong.is_empty(),
        "{:?}",
        scores.copy_number_wrong
    );
    assert!(
        scores.hybrid_as_non_hybrid.is_empty(),
        "{:?}",
        scores.hybrid_as_non_hybrid
    );
    assert!(
        scores.duplicated_named_wrong.is_empty(),
        "{:?}",
        scores.duplicated_named_wrong
    );
}

/// 60 simulated people at 30x with every structure frequent: 0-4 copies,
/// duplications, *36+*10, *68+*4 and *13.
#[test]
fn simulated_structures_against_truth() {
    let scores = simulate_and_score(60, 11);
    // What the copy-number stage reaches on this cohort (seed 11), with the
    // acceptance targets of issue 11 quoted with each. The 4 duplicated
    // alleles not named are all flagged or withheld, none named wrong.
    // Target: exact copy number in >= 99 % of non-hybrid samples.
    assert_eq!(
        scores.copy_number.0, scores.copy_number.1,
        "{:?}",
        scores.copy_number
    );
    // Target: hybrids flagged or named in >= 95 %.
    assert_eq!(
        scores.hybrid_flagged.0, scores.hybrid_flagged.1,
        "{:?}",
        scores.hybrid_flagged
    );
    // Target: a hybrid never called as a non-hybrid allele; nor any other
    // wrong call.
    assert_no_wrong_calls(&scores);
    // Target: the duplicated allele named right in >= 95 % (21 of 22 here;
    // the others flagged, none named wrong).
    assert_eq!(
        (scores.duplicated_allele.0, scores.duplicated_allele.1),
        (21, 22),
        "{:?}",
        scores.duplicated_allele
    );
    // Every structured diplotype equals the truth's (54 here).
    assert_eq!(
        (scores.diplotype.0, scores.diplotype.1),
        (54, 54),
        "{:?}",
        scores.diplotype
    );
    assert_eq!(scores.copy_number.1, 36);
    assert_eq!(scores.hybrid_flagged.1, 24);
}

/// Simulates and scores 200 people at `seed`: no wrong structural call,
/// the right calls `[copy number, hybrids flagged, duplicated allele,
/// structured diplotypes]` as given, and `wrong` structured diplotypes.
fn assert_200_people(seed: u64, right: [usize; 4], wrong: usize) {
    let scores = simulate_and_score(200, seed);
    assert_no_wrong_calls(&scores);
    let counts = [
        scores.copy_number.0,
        scores.hybrid_flagged.0,
        scores.duplicated_allele.0,
        scores.diplotype.0,
    ];
    assert_eq!(counts, right);
    assert_eq!(scores.hybrid_flagged.0, scores.hybrid_flagged.1);
    assert_eq!(scores.diplotype.1 - scores.diplotype.0, wrong);
}

/// The 200-person cohort of the README's rates (seed 23), run by hand:
/// `cargo test --release -p tailor --test call_cyp2d6_reads -- --ignored
/// --nocapture` (about 5 minutes on 2 shared cores, so CI keeps 60). The
/// two *13/*68+*4 read as *4/*10 are hybrid_unresolved
/// (`cyp2d6_hidden_hybrids.rs`); the two *10/*17 at 2 copies, which no
/// read tells from `*2/*64`, and the *10/*17x2 are called by the
/// population prior (`frequency_prior`); the duplicated allele stays
/// below the 95 % target (duplications beside hybrids): see the README.
#[test]
#[ignore = "200 simulated people take minutes; run by hand for the README's rates"]
fn simulated_structures_against_truth_at_200_people() {
    assert_200_people(23, [127, 73, 54, 185], 0);
}

/// A second 200-person cohort (seed 5), run by hand as the one above. Its
/// two wrong diplotypes are older than issue 11's duplication work: two
/// `*5/*10` called `*4/*5` (one copy, *4's 1846G>A position missing, so
/// the candidates `*4/*4` to `*150/*150` tie, the population prior gives
/// `*10` 58 %, and PharmCAT's first wins), flagged `ambiguous` and without
/// a phenotype, as the candidates differ in function.
#[test]
#[ignore = "200 simulated people take minutes; run by hand for the README's rates"]
fn simulated_structures_against_truth_at_200_people_seed_5() {
    assert_200_people(5, [113, 87, 44, 176], 2);
}

/// A third 200-person cohort (seed 7), run by hand as the ones above: a
/// check that the copy-number model and the population prior were not
/// fitted to seeds 5 and 23. Its wrong diplotype is a `*5/*9` at one copy
/// called `*1/*5` from the SNVs (*9's 3-base deletion not seen), as
/// before issue 11's structure work.
#[test]
#[ignore = "200 simulated people take minutes; run by hand for the README's rates"]
fn simulated_structures_against_truth_at_200_people_seed_7() {
    assert_200_people(7, [133, 67, 44, 182], 1);
}

/// Exome-like coverage: copy number `not_callable`, the SNV call kept
/// without a phenotype, no confident structural call.
#[test]
fn exome_like_files_are_not_callable() {
    let dir = temp_dir();
    simulate_and_call(
        dir.path(),
        &["--samples", "6", "--seed", "5", "--exome-fraction", "1"],
    );
    let calls = cyp2d6_calls(&dir.path().join("out/calls.parquet"));
    let numbers = copy_numbers(&dir.path().join("out/copy_number.parquet"));
    assert_eq!((calls.len(), numbers.len()), (6, 6));
    for (sample, number) in &numbers {
        assert_eq!(number.method, "not_callable", "{sample}");
        assert_eq!(number.copy_number, None, "{sample}");
        let call = &calls[sample];
        assert_eq!(
            (call.copy_number, &call.phenotype),
            (None, &None),
            "{sample}"
        );
        assert!(
            call.flags.iter().any(|f| f == "copy_number_not_callable"),
            "{sample}: {call:?}"
        );
        let diplotype = call.diplotype.as_deref().unwrap_or("");
        assert!(
            !diplotype.contains('x') && !HYBRIDS.iter().any(|h| diplotype.contains(h)),
            "{sample}: {call:?}"
        );
    }
}

/// CYP2D6 calls and copy-number rows of `tailor call --genes CYP2D6` on
/// the real files `samples` (sample, path under ../shared/data/bam)
/// through a samplesheet, or `None` after printing why the data are
/// missing.
type Tables = (HashMap<String, Cyp2d6Call>, HashMap<String, CopyNumberRow>);

fn call_real_files(samples: &[(&str, &str)]) -> Option<Tables> {
    let bam = common::shared_data()?.join("bam");
    let dir = temp_dir();
    let mut sheet = String::from("sample_id\tpath\n");
    for (sample, file) in samples {
        sheet.push_str(&format!("{sample}\t{}\n", bam.join(file).display()));
    }
    std::fs::write(dir.path().join("samples.tsv"), sheet).unwrap();
    run_expect(
        tailor(dir.path()).args([
            "call",
            "-q",
            "-o",
            "out",
            "--genes",
            "CYP2D6",
            "--samplesheet",
            "samples.tsv",
        ]),
        0,
    );
    Some((
        cyp2d6_calls(&dir.path().join("out/calls.parquet")),
        copy_numbers(&dir.path().join("out/copy_number.parquet")),
    ))
}

/// The real locus extracts SIM001 (StellarPGx's simulation), HG03130 and
/// NA18505 (NYGC 30x): `*17/*29`, `*17/*29` and `*1/*45` (the 1000 Genomes
/// panel's genotypes) at 2 copies, structured from the reads.
#[test]
fn real_locus_extracts_give_their_diplotypes_at_two_copies() {
    let expected = [
        ("SIM001", "stellarpgx/SIM001.bam", "*17/*29"),
        ("HG03130", "stellarpgx/HG03130.bam", "*17/*29"),
        ("NA18505", "stellarpgx/NA18505.bam", "*1/*45"),
    ];
    let files: Vec<(&str, &str)> = expected.iter().map(|(s, f, _)| (*s, *f)).collect();
    let Some((calls, numbers)) = call_real_files(&files) else {
        return;
    };
    assert_eq!(calls.len(), 3);
    for (sample, _, diplotype) in expected {
        let call = &calls[sample];
        assert_eq!(call.diplotype.as_deref(), Some(diplotype), "{sample}");
        assert_eq!(call.copy_number, Some(2), "{sample}");
        assert_eq!(call.source, "bam", "{sample}");
        assert_eq!(numbers[sample].method, "cyp2d7_reference", "{sample}");
        assert!(!call.flags.iter().any(|f| f == "snv_only"), "{sample}");
    }
}

/// Targeted real files (exome-like, HiFi capture and amplicon) and the
/// HiFi NA20129 whose 55 reads do not settle 2 against 3 copies: no copy
/// number, the SNV candidates kept without a phenotype; both HG01190 files
/// (`*68+*4/*5`), NA18565 (`*10/*36x2`) and NA17244 (`*2x2/*4x2` with a
/// hybrid) are flagged `hybrid_unresolved`. The copy-number stage's share
/// tests on targeted data also flag NA18945 (`*1/*5`) and NA19239
/// (`*15/*17`), which have no hybrid: on exome-like data the exons' shares
/// differ with capture, so a hybrid is never excluded there (a flag, never
/// a call).
#[test]
fn real_files_without_a_copy_number_keep_snv_calls_and_hybrid_flags() {
    let files = [
        ("himoon/HG01190.cyp2d6.bam", true),
        ("himoon/NA18565.cyp2d6.bam", true),
        ("himoon/NA18945.cyp2d6.bam", true),
        ("himoon/NA19239.cyp2d6.bam", true),
        ("pangu/HG01190_target_capture.GRCh38.bam", true),
        ("pangu/NA17244_amp_hifi.GRCh38.bam", true),
        ("pangu/NA20129_wgs.GRCh38.bam", false),
    ];
    let samples: Vec<(String, &str)> = files
        .iter()
        .enumerate()
        .map(|(i, (file, _))| (format!("S{i}"), *file))
        .collect();
    let samples: Vec<(&str, &str)> = samples.iter().map(|(s, f)| (s.as_str(), *f)).collect();
    let Some((calls, _)) = call_real_files(&samples) else {
        return;
    };
    let mut flagged = Vec::new();
    for (i, (file, _)) in files.iter().enumerate() {
        let call = &calls[&format!("S{i}")];
        assert_eq!((call.copy_number, &call.phenotype), (None, &None), "{file}");
        let has = |flag: &str| call.flags.iter().any(|f| f == flag);
        assert!(
            has("copy_number_not_callable") && has("snv_only"),
            "{file}: {call:?}"
        );
        flagged.push((*file, has("hybrid_unresolved")));
    }
    let expected: Vec<(&str, bool)> = files.to_vec();
    assert_eq!(flagged, expected);
    assert_eq!(calls["S3"].diplotype.as_deref(), Some("*15/*17"));
}

/// A *13 beside a duplication (`*10x2/*13`, `*13/*35x2`): its CYP2D7 5′
/// end leaves CYP2D6's exon 1 positions to the full genes, whose allele
/// there reads homozygous (and CYP2D7's 31A shows from the fragments that
/// cross the breakpoint). Before the matcher took that into account these
/// were no match, or `*1/*35` beside `*1/*2`; a `*13/*43x2` (*43 is one
/// exon 1 position) needs the *13's CYP2D6 part read as the full genes'.
/// Now every one whose copy
/// numbers show the *13 is named with its duplicated allele; the others
/// are `hybrid_unresolved`, never a call.
#[test]
fn star13_beside_a_duplication_names_the_duplicated_allele() {
    let dir = temp_dir();
    simulate_and_call(
        dir.path(),
        &[
            "--samples",
            "40",
            "--seed",
            "2",
            "--depth",
            "30",
            "--cyp2d6-structures",
            "star13=0.5,duplication=0.45,deletion=0",
        ],
    );
    let calls = cyp2d6_calls(&dir.path().join("out/calls.parquet"));
    let numbers = copy_numbers(&dir.path().join("out/copy_number.parquet"));
    let (mut named, mut unresolved) = (Vec::new(), 0);
    for (sample, t) in truth(&dir.path().join("reads/truth.tsv")) {
        if t["hybrid"] != "star13" || t["duplicated_allele"].is_empty() {
            continue;
        }
        let (call, number) = (&calls[&sample], &numbers[&sample]);
        let case = format!("{sample} truth {t:?} call {call:?} {number:?}");
        if number.flags.iter().any(|f| f == "hybrid_cyp2d7_5prime") {
            assert_eq!(
                call.diplotype.as_deref().map(copies),
                Some(copies(&t["diplotype"])),
                "{case}"
            );
            named.push(t["diplotype"].clone());
        } else {
            assert_eq!(call.diplotype, None, "{case}");
            assert!(
                call.flags.iter().any(|f| f == "hybrid_unresolved"),
                "{case}"
            );
            unresolved += 1;
        }
    }
    eprintln!("named {named:?}, unresolved {unresolved}");
    // 22 named (3 *10x2/*13, *13/*99x2 and *4x2/*13 were no match or
    // unresolved before), 1 whose copy numbers leave the hybrid unresolved.
    assert_eq!((named.len(), unresolved), (22, 1), "{named:?}");
}
