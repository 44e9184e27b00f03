#!/usr/bin/env python3
"""Convert PharmCAT allele definition tables into tailor's definition files.

Usage: convert_pharmcat.py PHARMCAT_ALLELES_DIR OUT_DIR [RELEASE]

RELEASE names the PharmCAT release the tables came from (e.g. "PharmCAT 3.1.1");
it is recorded in every file and in every output tailor writes.

Reads `<GENE>_translation.json` and `exemptions.json` (PharmCAT formatVersion 2)
and writes one `<GENE>.tsv` per gene plus `exemptions.tsv`, in the format that
`definitions/README.md` documents. The output is deterministic: running it twice
on the same input gives the same bytes, which the test suite checks against the
files embedded in the binary.
"""

import json
import pathlib
import sys

FORMAT_VERSION = 1


def cell(value):
    """A TSV cell: '.' for empty, never a tab or newline."""
    if value is None or value == "":
        return "."
    text = str(value)
    if "\t" in text or "\n" in text:
        raise ValueError(f"tab or newline in {text!r}")
    return text


def variant_fields(v):
    alts = ",".join(v["alts"]) if v["alts"] else "."
    mapping = ";".join(f"{k}={val}" for k, val in sorted((v.get("cpicToVcfAlleleMap") or {}).items()))
    cpic = ",".join(v.get("cpicAlleles") or [])
    return [
        str(v["position"]),
        cell(v.get("rsid")),
        v["ref"],
        alts,
        str(v.get("cpicPosition", v["position"])),
        cell(cpic),
        cell(mapping),
        cell(v.get("chromosomeHgvsName")),
    ]


def allele_fields(a, hidden=False):
    flags = []
    if a.get("reference"):
        flags.append("reference")
    if a.get("structuralVariant"):
        flags.append("structural_variant")
    if hidden:
        flags.append("hidden_core")
    cells = ";".join(
        f"{i}:{allele}" for i, allele in enumerate(a["alleles"]) if allele is not None
    )
    return [a["name"], cell(a.get("id")), cell(",".join(flags)), cell(cells)]


def convert_gene(path, out_dir, release):
    d = json.loads(path.read_text())
    gene = d["gene"]
    lines = [
        f"##tailor_definitions={FORMAT_VERSION}",
        f"##gene={gene}",
        f"##chromosome={d['chromosome']}",
        f"##genome_build={d.get('genomeBuild') or 'unknown'}",
        f"##version={d.get('version') or 'unknown'}",
        f"##source={d.get('source') or 'unknown'}",
        f"##release={release}",
        "#record\tpos\trsid\tref\talts\tcpic_pos\tcpic_alleles\tcpic_to_vcf\thgvs",
        "#record\tname\tid\tflags\talleles",
        "#record\tsuballele\tallele",
    ]
    for v in d["variants"]:
        if v["chromosome"] != d["chromosome"]:
            raise ValueError(f"{path}: variant on {v['chromosome']}")
        lines.append("\t".join(["variant"] + variant_fields(v)))
    for a in d["namedAlleles"]:
        lines.append("\t".join(["allele"] + allele_fields(a)))
    for a in d.get("hiddenCoreAlleles") or []:
        lines.append("\t".join(["allele"] + allele_fields(a, hidden=True)))
    for sub, core in sorted((d.get("suballelesMap") or {}).items()):
        lines.append(f"suballele\t{sub}\t{core}")
    (out_dir / f"{gene}.tsv").write_text("\n".join(lines) + "\n")
    return gene


def convert_exemptions(path, out_dir):
    d = json.loads(path.read_text())
    lines = [
        f"##tailor_exemptions={FORMAT_VERSION}",
        "#record\tgene\tvalue...",
    ]
    for gene in sorted(d):
        e = d[gene]
        for pos in e.get("requiredPositions") or []:
            lines.append(f"required_position\t{gene}\t{pos}")
        for v in e.get("ignoredPositions") or []:
            lines.append("\t".join(["ignored_position", gene] + variant_fields(v)))
        for v in e.get("extraPositions") or []:
            lines.append("\t".join(["extra_position", gene] + variant_fields(v)))
        for name in e.get("ignoredAlleles") or []:
            lines.append(f"ignored_allele\t{gene}\t{name}")
        for p in e.get("unphasedDiplotypePriorities") or []:
            lines.append(f"unphased_priority\t{gene}\t{';'.join(p['list'])}\t{p['pick']}")
        for name in e.get("amp1Alleles") or []:
            lines.append(f"amp1_allele\t{gene}\t{name}")
        for pos in e.get("amp1Positions") or []:
            lines.append(f"amp1_position\t{gene}\t{pos}")
    (out_dir / "exemptions.tsv").write_text("\n".join(lines) + "\n")


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    src = pathlib.Path(sys.argv[1])
    out = pathlib.Path(sys.argv[2])
    release = sys.argv[3] if len(sys.argv) == 4 else "unknown"
    out.mkdir(parents=True, exist_ok=True)
    genes = [convert_gene(p, out, release) for p in sorted(src.glob("*_translation.json"))]
    exemptions = src / "exemptions.json"
    if exemptions.exists():
        convert_exemptions(exemptions, out)
    print(f"converted {len(genes)} genes: {' '.join(genes)}", file=sys.stderr)


if __name__ == "__main__":
    main()
