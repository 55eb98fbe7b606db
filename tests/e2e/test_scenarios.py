"""The shared acceptance scenarios, run through their own runner against the installed `hjemmel`."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
HJEMMEL = Path(sys.executable).with_name("hjemmel")


def test_delte_scenarier_passerer() -> None:
    """`run_scenarios.py --hjemmel-cmd <installed hjemmel> -j 2 scenarios/` passes every scenario."""
    runner, scenarier = SHARED / "tools" / "run_scenarios.py", SHARED / "scenarios"
    if not SHARED.is_dir():
        pytest.skip(f"the shared acceptance folder {SHARED} is not present in this checkout")
    assert runner.is_file(), f"{runner} is missing"
    assert scenarier.is_dir(), f"{scenarier} is missing"

    p = subprocess.run([sys.executable, str(runner), "--hjemmel-cmd", str(HJEMMEL), "-j", "2", str(scenarier)],
                       capture_output=True, text=True, timeout=900, cwd=ROOT)

    utskrift = p.stdout + p.stderr
    linjer = p.stdout.strip().splitlines()
    assert linjer, utskrift
    summering = re.fullmatch(r"(\d+) passed, (\d+) failed", linjer[-1])
    assert summering, f"unexpected last line {linjer[-1]!r}\n{utskrift}"
    bestatt, feilet = map(int, summering.groups())
    assert (feilet, p.returncode) == (0, 0), utskrift
    assert bestatt >= 4, utskrift
    assert "Traceback" not in p.stderr, p.stderr
