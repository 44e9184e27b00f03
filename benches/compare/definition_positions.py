"""Writes every definition position (CHROM<TAB>POS), as `bcftools -R`/`-T`
reads them, to the file named by the first argument. Run from the
repository root."""

import glob
import sys

rows = set()
for path in glob.glob("definitions/data/*.tsv"):
    chrom = None
    for line in open(path):
        if line.startswith("##chromosome="):
            chrom = line.strip().split("=", 1)[1]
        elif line.startswith("variant\t"):
            rows.add((chrom, int(line.split("\t")[1])))
with open(sys.argv[1], "w") as out:
    out.writelines(f"{chrom}\t{pos}\n" for chrom, pos in sorted(rows))
