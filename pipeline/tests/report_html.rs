//! `tailor report` on the demo cohort: a self-contained page with a forest
//! plot per confirmatory gene-drug test, the planted CYP2C19 x clopidogrel
//! finding, no raw id and no count from 1 to 10; and it renders in
//! headless Chromium.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use arrow_array::{Array, BooleanArray, Float64Array, StringArray};
use tailor_schemas::subgroup_effects as col;

/// Runs `tailor demo` into `dir/demo`; returns its shareable output folder.
fn demo(dir: &Path) -> PathBuf {
    let out = common::run_expect(common::tailor(dir).args(["demo", "-o", "demo"]), 0);
    assert!(
        common::stderr(&out).contains("report:"),
        "{}",
        common::stderr(&out)
    );
    dir.join("demo/out")
}

/// (gene, contrast, outcome) of every confirmatory therapy test with at
/// least one shown estimate.
fn confirmatory_tests(effects: &Path) -> BTreeSet<(String, String, String)> {
    let table = tailor_tables::read_table(effects).unwrap();
    let mut tests = BTreeSet::new();
    for batch in &table.batches {
        let text = |name| common::column::<StringArray>(batch, name);
        let (gene, kind, contrast, outcome, family) = (
            text(col::GENE),
            text(col::CONTRAST_KIND),
            text(col::CONTRAST),
            text(col::OUTCOME),
            text(col::FAMILY),
        );
        let effect = common::column::<Float64Array>(batch, col::EFFECT);
        let primary = common::column::<BooleanArray>(batch, col::PRIMARY);
        let suppressed = common::column::<BooleanArray>(batch, col::SUPPRESSED);
        for i in 0..batch.num_rows() {
            if kind.value(i) == "therapy_vs_comparator"
                && family.value(i) == "confirmatory"
                && primary.value(i)
                && !suppressed.value(i)
                && !effect.is_null(i)
            {
                tests.insert((
                    gene.value(i).to_owned(),
                    contrast.value(i).to_owned(),
                    outcome.value(i).to_owned(),
                ));
            }
        }
    }
    tests
}

/// The text of every element marked as a count (`class="... count"`).
fn counts(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (i, _) in html.match_indices("count\"") {
        let rest = &html[i..];
        let Some(open) = rest.find('>') else { continue };
        let Some(close) = rest[open..].find('<') else {
            continue;
        };
        found.push(rest[open + 1..open + close].trim().to_owned());
    }
    found
}

/// The `<article>` of the test headed `heading`.
fn article<'a>(html: &'a str, heading: &str) -> &'a str {
    let at = html
        .find(&format!("<h3>{heading}</h3>"))
        .unwrap_or_else(|| panic!("no article headed {heading}"));
    let end = html[at..].find("</article>").unwrap();
    &html[at..at + end]
}

#[test]
fn demo_report_is_self_contained_private_and_shows_the_planted_finding() {
    let dir = common::temp_dir();
    let out = demo(dir.path());
    let report = out.join("report.html");
    let html = std::fs::read_to_string(&report).unwrap();

    // Nothing loaded from outside the file.
    for banned in [
        "<script", "<link", "@import", "url(", " src=", "<img", "<iframe",
    ] {
        assert!(!html.contains(banned), "the report contains {banned}");
    }
    for (i, _) in html.match_indices("href=\"") {
        let target = &html[i + 6..];
        assert!(
            target.starts_with('#') || target.starts_with("https://cpicpgx.org/"),
            "link to {}",
            &target[..target.find('"').unwrap()]
        );
    }

    // A forest plot per confirmatory test with an estimate.
    let tests = confirmatory_tests(&out.join("subgroup_effects.parquet"));
    assert_eq!(tests.len(), 3, "{tests:?}");
    for (gene, contrast, outcome) in &tests {
        let text = article(&html, &format!("{gene} x {contrast}: {outcome}"));
        assert!(
            text.contains("<svg role=\"img\""),
            "{gene} {outcome}: no plot"
        );
        assert!(text.contains("confirmatory"));
    }

    // The planted finding, with the guideline beside it.
    let planted = article(&html, "CYP2C19 x clopidogrel vs ticagrelor: mace");
    assert!(planted.contains("favours ticagrelor"), "{planted}");
    assert!(planted.contains("CPIC level A"));
    assert!(planted.contains("FDA label: Actionable PGx"));
    assert!(planted.contains("https://cpicpgx.org/guidelines/"));

    // No raw id: neither the patients' nor the samples'.
    let clinical = std::fs::read_to_string(dir.path().join("demo/clinical.csv")).unwrap();
    let ids: Vec<&str> = clinical
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next())
        .collect();
    assert_eq!(ids.len(), 2000);
    let sexes = std::fs::read_to_string(dir.path().join("demo/sex.tsv")).unwrap();
    let samples: Vec<&str> = sexes
        .lines()
        .skip(1)
        .filter_map(|l| l.split('\t').next())
        .collect();
    for id in ids.iter().chain(&samples) {
        assert!(!html.contains(id), "the report holds the raw id {id}");
    }

    // No count from 1 to 10, and every count element holds a count.
    let shown = counts(&html);
    assert!(shown.len() > 100, "{}", shown.len());
    for count in &shown {
        if let Ok(n) = count.parse::<u64>() {
            assert!(!(1..=10).contains(&n), "a count of {n} is shown");
        } else {
            assert!(
                ["suppressed", "<11", "-"].contains(&count.as_str()),
                "count {count:?}"
            );
        }
    }

    // Never world-readable.
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&report).unwrap().permissions().mode();
    assert_eq!(mode & 0o007, 0, "mode {mode:o}");
}

#[test]
fn report_renders_in_headless_chromium() {
    let Some(chromium) = common::chromium() else {
        return;
    };
    let dir = common::temp_dir();
    let out = demo(dir.path());
    let report = out.join("report.html");
    let shot = dir.path().join("report.png");
    let profile = dir.path().join("chromium-profile");
    let url = format!("file://{}", report.display());
    let flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--enable-logging=stderr",
        "--v=0",
    ];
    let run = Command::new(&chromium)
        .args(flags)
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--screenshot={}", shot.display()))
        .arg("--window-size=1100,2400")
        .arg(&url)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let log = String::from_utf8_lossy(&run.stderr);
    let console: Vec<&str> = log.lines().filter(|l| l.contains("CONSOLE")).collect();
    assert!(
        console.is_empty(),
        "the page wrote to the console: {console:?}"
    );

    // Not blank: a good share of the pixels is not the white background.
    let decoder = png::Decoder::new(std::fs::File::open(&shot).unwrap());
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size()];
    let frame = reader.next_frame(&mut pixels).unwrap();
    let channels = frame.color_type.samples();
    let inked = pixels[..frame.buffer_size()]
        .chunks(channels)
        .filter(|p| p.iter().take(3).any(|&c| c < 200))
        .count();
    let total = (frame.width * frame.height) as usize;
    assert!(
        inked * 100 > total,
        "{inked} of {total} pixels inked: blank page?"
    );
    // The plots' colour is on the page (the bars are Okabe-Ito blue).
    let blue = pixels[..frame.buffer_size()]
        .chunks(channels)
        .filter(|p| p[0] < 20 && (100..130).contains(&p[1]) && (160..195).contains(&p[2]))
        .count();
    assert!(blue > 1000, "{blue} blue pixels: were the plots drawn?");

    // The DOM Chromium built holds every plot of the file.
    let dom = Command::new(&chromium)
        .args(flags)
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(&url)
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&dom.stdout);
    let html = std::fs::read_to_string(&report).unwrap();
    assert_eq!(dom.matches("<svg").count(), html.matches("<svg").count());
    assert!(dom.matches("<svg").count() >= 20 + 3);
}

#[test]
fn report_without_its_tables_exits_3_naming_the_missing_one() {
    let dir = common::temp_dir();
    std::fs::create_dir_all(dir.path().join("empty")).unwrap();
    let out = common::run_expect(common::tailor(dir.path()).args(["report", "empty"]), 3);
    let message = common::stderr(&out);
    assert!(message.contains("cohort.parquet: not found"), "{message}");
    assert!(!dir.path().join("empty/report.html").exists());
}
