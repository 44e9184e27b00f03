#!/usr/bin/env python3
"""Writes schemas/README.md from the doc comments of schemas/src/<table>.rs.

Each table module documents its columns as `/// doc` lines above
`pub const NAME: &str = "column";`, and flag vocabularies in a `pub mod flags`.
Run from the repository root after changing a schema:

    python3 schemas/tools/gen_readme.py > schemas/README.md

`schemas/tests/readme.rs` fails when a column is missing from the README.
"""

import pathlib
import re

TABLES = ["genotypes", "calls", "copy_number", "cohort", "join_report", "subgroup_rates", "subgroup_effects", "balance", "overlap", "models", "model_terms"]
SRC = pathlib.Path(__file__).resolve().parents[1] / "src"
CONST = re.compile(r'^\s*pub const ([A-Z0-9_]+): &str = "([^"]+)";')


def parse(path):
    """Module doc, columns [(name, doc)] and vocabularies {module: [(value, doc)]}."""
    module_doc, columns, vocab = [], [], {}
    doc, current_mod, depth = [], None, 0
    for line in path.read_text().splitlines():
        stripped = line.strip()
        if stripped.startswith("//!"):
            module_doc.append(stripped[3:].strip())
            continue
        if stripped.startswith("#[cfg(test)]"):
            break
        m = re.match(r"pub mod (\w+)", stripped)
        if m:
            current_mod, depth = m.group(1), 0
            vocab[current_mod] = []
        if current_mod is not None:
            depth += line.count("{") - line.count("}")
        if stripped.startswith("///"):
            doc.append(stripped[3:].strip())
            continue
        m = CONST.match(line)
        if m:
            name, value = m.groups()
            text = " ".join(doc)
            if current_mod is not None:
                vocab[current_mod].append((value, text))
            elif name not in ("TABLE", "ROLES_KEY"):
                columns.append((value, text))
        doc = []
        if current_mod is not None and depth <= 0 and "}" in line:
            current_mod = None
    return module_doc, columns, vocab


def main():
    out = [
        "# tailor's tables",
        "",
        "Every table is Parquet (zstd), one file per stage, with key-value metadata:",
        "`tailor.table`, `tailor.schema_version`, `tailor.version`,",
        "`tailor.definitions_version` (where the table depends on the allele",
        "definitions), `tailor.parameters` (JSON) and `tailor.inputs` (JSON: each",
        "input's path as given, size, and SHA-256 — of the header and index for",
        "indexed genomic files, of the whole file for tables and with",
        "`--hash-inputs`). Positions are 1-based. Files are written atomically",
        "and with mode 0640.",
        "",
        "A table written by `tailor ingest` or `tailor call` with `--shard K/N`",
        "also has `tailor.shard` (`K/N`); `tailor merge` removes it, so merged",
        "shards carry the unsharded run's metadata. With `-r/-R`,",
        "`tailor.parameters` lists the regions (`chr:beg-end`).",
        "",
        "Generated from the doc comments in `schemas/src/` by",
        "`schemas/tools/gen_readme.py`; edit those, not this file.",
        "",
    ]
    for table in TABLES:
        module_doc, columns, vocab = parse(SRC / f"{table}.rs")
        out.append(f"## {table}")
        out.append("")
        out.extend(module_doc)
        out.append("")
        if columns:
            out.append("| column | meaning |")
            out.append("|---|---|")
            for name, doc in columns:
                cell = doc.replace("|", "\\|")
                out.append(f"| `{name}` | {cell} |")
            out.append("")
        for module, values in vocab.items():
            if not values:
                continue
            out.append(f"Values of `{module}`:")
            out.append("")
            for value, doc in values:
                out.append(f"- `{value}`: {doc}")
            out.append("")
    print("\n".join(out).rstrip() + "\n")


if __name__ == "__main__":
    main()
