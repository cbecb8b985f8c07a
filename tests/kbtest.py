"""Paths of the test data and a way to run the real ``kb`` entry point, shared by the tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
VALID = DATA / "vaults" / "valid"
INVALID = DATA / "vaults" / "invalid"
TEST_SITE = "https://kb.test/"


def run_kb(*args: str, cwd: Path | None = None, input: str | None = None) -> subprocess.CompletedProcess:
    """Run the console script's code path (``kbtools.cli:main``) in a subprocess, as a user would."""
    code = "import sys; from kbtools.cli import main; sys.exit(main())"
    return subprocess.run(
        [sys.executable, "-c", code, *args], cwd=cwd or ROOT, capture_output=True, text=True, input=input, timeout=300
    )
