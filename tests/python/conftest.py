"""Shared helpers for tailor's Python tests (run with pytest from the repo root).

Tests that need optional packages call `require(name)`: the test is skipped
with the reason printed, unless TAILOR_REQUIRE_ALL=1, when it fails instead.
The `tailor_bin` fixture finds the binary: $TAILOR_BIN, else
target/{release,debug}/tailor (built with `cargo build` if missing).
"""

import importlib
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def require(module):
    """Import `module`, or skip (fail with TAILOR_REQUIRE_ALL=1) when missing."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        reason = f"python package {module!r} is not installed ({exc})"
        if os.environ.get("TAILOR_REQUIRE_ALL") == "1":
            pytest.fail(reason)
        print(f"SKIP: {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="session")
def tailor_bin():
    env = os.environ.get("TAILOR_BIN")
    if env:
        return pathlib.Path(env)
    for profile in ("release", "debug"):
        candidate = ROOT / "target" / profile / "tailor"
        if candidate.exists():
            return candidate
    subprocess.run(["cargo", "build", "-p", "tailor"], cwd=ROOT, check=True)
    return ROOT / "target" / "debug" / "tailor"
