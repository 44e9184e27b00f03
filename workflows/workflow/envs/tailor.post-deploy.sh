#!/usr/bin/env bash
# Builds tailor into the conda environment Snakemake just created (its
# prefix is $CONDA_PREFIX), from the repository this workflow is part of.
set -euo pipefail
repository="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cargo install --locked --path "$repository/pipeline" --root "$CONDA_PREFIX"
