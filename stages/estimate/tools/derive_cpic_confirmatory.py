#!/usr/bin/env python3
"""Writes stages/estimate/data/cpic_confirmatory.tsv from PyPGx's cpic-table.csv.

Usage: derive_cpic_confirmatory.py ../shared/data/pypgx/cpic-table.csv > stages/estimate/data/cpic_confirmatory.tsv

Keeps the gene-drug pairs at CPIC level A, A/B or B, and of each only the
facts tailor uses: gene, drug, ATC codes, CPIC level and its status, the FDA
label status, the guideline's address and the PubMed ids of its
publications, in tailor's own tab-separated format (see data/NOTICE).
"""
import csv
import sys

LEVELS = {"A", "A/B", "B"}


def main(path: str) -> None:
    out = sys.stdout
    out.write(
        "# CPIC gene-drug pairs at level A, A/B or B: the confirmatory family of tailor estimate.\n"
        "# Facts extracted from PyPGx cpic-table.csv (see NOTICE) by tools/derive_cpic_confirmatory.py. "
        "Columns: gene, drug, ATC codes (comma-separated), CPIC level, level status, FDA label status, "
        "guideline address, PubMed ids (comma-separated).\n"
    )
    out.write("gene\tdrug\tatc\tlevel\tstatus\tfda_label\tguideline\tpmids\n")
    with open(path, newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["CPICLevel"] in LEVELS]
    rows.sort(key=lambda r: (r["Gene"], r["Drug"]))
    for r in rows:
        atc = ",".join(a.strip() for a in r["ATC"].split(",") if a.strip())
        pmids = ",".join(p.strip() for p in r["PMID"].split(";") if p.strip())
        fields = [r["Gene"], r["Drug"], atc, r["CPICLevel"], r["CPICLevelStatus"],
                  r["FDALabel"].strip(), r["Guideline"].strip(), pmids]
        out.write("\t".join(fields) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
