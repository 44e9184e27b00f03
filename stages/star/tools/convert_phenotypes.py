#!/usr/bin/env python3
"""Convert haplotype function and phenotype tables into tailor's phenotype files.

Usage: convert_phenotypes.py SHARED_DATA_DIR OUT_DIR

Reads PharmCAT's `pharmcat/phenotype/<GENE>.json` (CPIC function, activity and
diplotype -> phenotype lookups) and, for CYP2D6, G6PD and RYR1 (absent there),
PyPGx's `pypgx/allele-table.csv` and `pypgx/equation-table.csv`, mapped to the
CPIC vocabulary of `pharmcat/phenotypes.tsv`. Writes one `<GENE>.tsv` per gene:

    ##tailor_phenotypes=1
    ##gene=<GENE>
    ##rule=lookup|activity|g6pd|ryr1
    ##source=<where the facts came from>
    haplotype <TAB> name <TAB> function <TAB> activity_value ('.' if none)
    diplotype <TAB> name_1 <TAB> name_2 <TAB> phenotype <TAB> activity_score ('.')
    activity <TAB> low <TAB> high ('.' = open) <TAB> phenotype   (low <= score < high)

Output is deterministic (sorted), so rerunning gives the same bytes.
"""

import csv
import json
import pathlib
import sys

PYPGX_FUNCTION = {
    "Normal Function": "Normal function",
    "No Function": "No function",
    "Decreased Function": "Decreased function",
    "Increased Function": "Increased function",
    "Uncertain Function": "Uncertain function",
    "Unknown Function": "Unknown function",
    "Class I (Deficient with CNSHA)": "Deficient with CNSHA",
    "Class II (Deficient)": "Deficient",
    "Class III (Deficient)": "Deficient",
    "Class IV (Normal)": "Normal",
    "Malignant Hyperthermia Associated": "Malignant Hyperthermia Associated",
}


def cell(v):
    if v is None or v == "":
        return "."
    s = str(v)
    if "\t" in s or "\n" in s:
        raise ValueError(repr(s))
    return s


def number(v):
    if v is None or v in ("", "N/A", "n/a"):
        return "."
    try:
        return repr(float(v))
    except ValueError:
        return "."


def header(gene, rule, source):
    return [
        "##tailor_phenotypes=1",
        f"##gene={gene}",
        f"##rule={rule}",
        f"##source={source}",
    ]


def from_pharmcat(path):
    d = json.loads(path.read_text())
    gene = d["gene"]
    lines = header(gene, "lookup", f"PharmCAT 3.1.1 phenotype/{path.name} (CPIC CC0; ClinPGx CC BY-SA 4.0), version {d.get('version')}")
    rows = []
    for a in d.get("namedAlleles") or []:
        rows.append(["haplotype", a["name"], cell(a.get("functionValue")), number(a.get("activityValue"))])
    rows.sort()
    dips = []
    for dip in d.get("diplotypes") or []:
        names = []
        for name, count in dip["diplotypekey"].items():
            names += [name] * count
        if len(names) == 1:
            names.append("")
        names.sort()
        dips.append(["diplotype", names[0], cell(names[1]), cell(dip.get("generesult")), number(dip.get("activityScore"))])
    dips.sort()
    return gene, lines + ["\t".join(r) for r in rows + dips]


def from_pypgx(shared, gene, rule):
    rows = []
    with open(shared / "pypgx/allele-table.csv", newline="") as f:
        for r in csv.DictReader(f):
            if r["Gene"] != gene:
                continue
            function = PYPGX_FUNCTION.get(r["Function"].strip())
            if function is None:
                continue
            rows.append(["haplotype", r["StarAllele"], function, number(r["ActivityScore"])])
    rows.sort()
    lines = header(gene, rule, "PyPGx allele-table.csv and equation-table.csv (MIT), mapped to CPIC vocabulary")
    rules = []
    if rule == "activity":
        with open(shared / "pypgx/equation-table.csv", newline="") as f:
            for r in csv.DictReader(f):
                if r["Gene"] != gene:
                    continue
                eq = r["Equation"].replace(" ", "")
                if "==" in eq:
                    v = float(eq.split("==")[1])
                    rules.append(["activity", repr(v), repr(v + 1e-9), r["Phenotype"]])
                    continue
                parts = eq.split("score")
                low = parts[0].rstrip("<=") or None
                high = parts[1].lstrip("<") or None
                rules.append(["activity", cell(low and repr(float(low))), cell(high and repr(float(high))), r["Phenotype"]])
        rules.sort(key=lambda r: float(r[1]))
    return lines + ["\t".join(r) for r in rows + rules]


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    shared = pathlib.Path(sys.argv[1])
    out = pathlib.Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    genes = []
    for path in sorted((shared / "pharmcat/phenotype").glob("*.json")):
        gene, lines = from_pharmcat(path)
        (out / f"{gene}.tsv").write_text("\n".join(lines) + "\n")
        genes.append(gene)
    for gene, rule in [("CYP2D6", "activity"), ("G6PD", "g6pd"), ("RYR1", "ryr1")]:
        (out / f"{gene}.tsv").write_text("\n".join(from_pypgx(shared, gene, rule)) + "\n")
        genes.append(gene)
    print("converted", len(genes), "genes:", " ".join(sorted(genes)))


if __name__ == "__main__":
    main()
