#!/usr/bin/env python3
"""Derives the GRCh38 reference bases of the CYP2D6/CYP2D7/CYP2D8 locus and
the sites where CYP2D6 and CYP2D7 differ, from public aligned reads.

These machines have no GRCh38 FASTA, but every aligned read carries the
reference bases it was aligned against in its CIGAR and MD tag. Reads from
the public BAMs described in ../shared/data/bam/README.md (1000 Genomes NYGC
30x, StellarPGx's simulated SIM001, hiMoon's exome-like 1000 Genomes files)
are decoded position by position; every position must be reported
identically by every read that covers it (the script fails otherwise).

CYP2D6 and CYP2D7 (same strand, about 97 % identical) are then aligned
globally (Needleman-Wunsch, match 2, mismatch -3, gap open -5, gap extend -1)
over their gene spans (PyPGx gene table, GRCh38) plus 500 bp each side, and
every aligned column where the two differ is written out.

Usage: derive_cyp2d_locus.py SHARED_BAM_DIR definitions/locus
Writes OUT_DIR/CYP2D_locus.tsv and OUT_DIR/CYP2D6_CYP2D7_sites.tsv (the
project's own formats, documented in their headers). Needs samtools.
"""
import collections
import re
import subprocess
import sys

LOCUS = ("chr22", 42106000, 42165600)
CYP2D6 = (42126499, 42130881)
CYP2D7 = (42139576, 42144483)
FLANK = 500
SOURCES = [
    ("stellarpgx/HG03130.bam", "chr22"),
    ("stellarpgx/NA18505.bam", "chr22"),
    ("stellarpgx/SIM001.bam", "chr22"),
    ("himoon/NA19239.cyp2d6.bam", "22"),
    ("himoon/NA18565.cyp2d6.bam", "22"),
    ("himoon/HG01190.cyp2d6.bam", "22"),
    ("himoon/NA18945.cyp2d6.bam", "22"),
]


def reference_of_read(pos, cigar, seq, md):
    """The reference base at each aligned (M/=/X) position of one read."""
    aligned = []
    rpos, qpos = pos, 0
    for n, op in re.findall(r"(\d+)([MIDNSHP=X])", cigar):
        n = int(n)
        if op in "M=X":
            aligned.extend((rpos + i, seq[qpos + i]) for i in range(n))
            rpos += n
            qpos += n
        elif op in "IS":
            qpos += n
        elif op in "DN":
            rpos += n
    bases, i = {}, 0
    for number, _deleted, mismatch in re.findall(r"(\d+)|(\^[A-Z]+)|([A-Z])", md):
        if number:
            for _ in range(int(number)):
                p, b = aligned[i]
                bases[p] = b
                i += 1
        elif mismatch:
            bases[aligned[i][0]] = mismatch
            i += 1
    return bases


def locus_sequence(bam_dir):
    votes = collections.defaultdict(collections.Counter)
    for path, contig in SOURCES:
        region = f"{contig}:{LOCUS[1]}-{LOCUS[2]}"
        out = subprocess.run(
            ["samtools", "view", "-F", "0xF04", f"{bam_dir}/{path}", region],
            capture_output=True, text=True, check=True,
        ).stdout
        for line in out.splitlines():
            f = line.split("\t")
            md = [t[5:] for t in f[11:] if t.startswith("MD:Z:")]
            if not md or f[5] == "*":
                continue
            for p, b in reference_of_read(int(f[3]), f[5], f[9], md[0]).items():
                if LOCUS[1] <= p <= LOCUS[2]:
                    votes[p][b] += 1
    seq = []
    for p in range(LOCUS[1], LOCUS[2] + 1):
        counts = votes.get(p)
        if not counts:
            sys.exit(f"no read covers {LOCUS[0]}:{p}")
        if len(counts) != 1:
            sys.exit(f"reads disagree on the reference at {LOCUS[0]}:{p}: {dict(counts)}")
        seq.append(next(iter(counts)))
    return "".join(seq)


def align(a, b):
    """Global alignment with affine gaps (Gotoh); returns aligned strings."""
    match, mismatch, gap_open, gap_extend = 2, -3, -5, -1
    n, m = len(a), len(b)
    neg = -10**9
    # three score rows; traceback per cell: 2 bits per matrix
    M = [neg] * (m + 1); X = [neg] * (m + 1); Y = [neg] * (m + 1)
    M[0] = 0
    for j in range(1, m + 1):
        Y[j] = gap_open + (j - 1) * gap_extend
    tb = []
    for i in range(1, n + 1):
        nM = [neg] * (m + 1); nX = [neg] * (m + 1); nY = [neg] * (m + 1)
        nX[0] = gap_open + (i - 1) * gap_extend
        row = bytearray(m + 1)
        ai = a[i - 1]
        for j in range(1, m + 1):
            s = match if ai == b[j - 1] else mismatch
            pm, px, py = M[j - 1], X[j - 1], Y[j - 1]
            best, src = pm, 0
            if px > best: best, src = px, 1
            if py > best: best, src = py, 2
            nM[j] = best + s
            xo, xe = M[j] + gap_open, X[j] + gap_extend
            nX[j] = xo if xo >= xe else xe
            xsrc = 0 if xo >= xe else 1
            yo, ye = nM[j - 1] + gap_open, nY[j - 1] + gap_extend
            nY[j] = yo if yo >= ye else ye
            ysrc = 0 if yo >= ye else 2
            row[j] = src | (xsrc << 2) | (ysrc << 4)
        tb.append(row)
        M, X, Y = nM, nX, nY
    i, j = n, m
    state = max((M[m], 0), (X[m], 1), (Y[m], 2))[1]
    out_a, out_b = [], []
    while i > 0 or j > 0:
        if i == 0:
            state = 2
        elif j == 0:
            state = 1
        if state == 0:
            cell = tb[i - 1][j]
            out_a.append(a[i - 1]); out_b.append(b[j - 1])
            state = cell & 3
            i -= 1; j -= 1
        elif state == 1:
            cell = tb[i - 1][j]
            out_a.append(a[i - 1]); out_b.append("-")
            state = 0 if ((cell >> 2) & 3) == 0 else 1
            i -= 1
        else:
            cell = tb[i - 1][j] if i > 0 else 0
            out_a.append("-"); out_b.append(b[j - 1])
            state = 0 if ((cell >> 4) & 3) == 0 else 2
            j -= 1
    return "".join(reversed(out_a)), "".join(reversed(out_b))


def main():
    bam_dir, out_dir = sys.argv[1], sys.argv[2]
    seq = locus_sequence(bam_dir)
    start = LOCUS[1]
    with open(f"{out_dir}/CYP2D_locus.tsv", "w") as out:
        out.write("##tailor_reference=1\n")
        out.write(f"##region={LOCUS[0]}:{LOCUS[1]}-{LOCUS[2]}\n")
        out.write("##genome_build=GRCh38\n")
        out.write("##derived_by=definitions/tools/derive_cyp2d_locus.py from the MD tags of public reads (see NOTICE)\n")
        out.write("#start\tbases\n")
        for k in range(0, len(seq), 100):
            out.write(f"{start + k}\t{seq[k:k + 100]}\n")
    d6 = (CYP2D6[0] - FLANK, CYP2D6[1] + FLANK)
    d7 = (CYP2D7[0] - FLANK, CYP2D7[1] + FLANK)
    a = seq[d6[0] - start:d6[1] - start + 1]
    b = seq[d7[0] - start:d7[1] - start + 1]
    al_a, al_b = align(a, b)
    pa, pb = d6[0], d7[0]
    rows = []
    for x, y in zip(al_a, al_b):
        if x != y:
            kind = "snv" if x != "-" and y != "-" else ("cyp2d7_gap" if y == "-" else "cyp2d6_gap")
            rows.append((pa if x != "-" else pa - 1, pb if y != "-" else pb - 1, x, y, kind))
        if x != "-":
            pa += 1
        if y != "-":
            pb += 1
    # End gaps only say that one span was cut wider than the other.
    while rows and rows[0][4] != "snv" and (rows[0][0] == d6[0] - 1 or rows[0][1] == d7[0] - 1):
        rows.pop(0)
    while rows and rows[-1][4] != "snv" and (rows[-1][0] == d6[1] or rows[-1][1] == d7[1]):
        rows.pop()
    with open(f"{out_dir}/CYP2D6_CYP2D7_sites.tsv", "w") as out:
        out.write("##tailor_cyp2d_sites=1\n")
        out.write("##genome_build=GRCh38\n")
        out.write(f"##cyp2d6_span={LOCUS[0]}:{d6[0]}-{d6[1]}\n")
        out.write(f"##cyp2d7_span={LOCUS[0]}:{d7[0]}-{d7[1]}\n")
        out.write("##alignment=global, affine gaps (match 2, mismatch -3, open -5, extend -1)\n")
        out.write("##gap rows: the position is that of the last aligned base before the gap\n")
        out.write("#cyp2d6_pos\tcyp2d7_pos\tcyp2d6_base\tcyp2d7_base\tkind\n")
        for r in rows:
            out.write("\t".join(map(str, r)) + "\n")
    print(f"locus {len(seq)} bp; {len(rows)} differing columns "
          f"({sum(r[4] == 'snv' for r in rows)} SNVs)", file=sys.stderr)


if __name__ == "__main__":
    main()
