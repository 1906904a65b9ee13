"""The real-world acceptance corpus (../shared/corpus/realworld): lectern's CLI read every
document as cases.json, written by reading the documents, says it should."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import shared_file

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_every_realworld_document_is_read_as_its_case_says() -> None:
    tool = shared_file("tools", "realworld-check")
    shared_file("corpus", "realworld", "cases.json")
    lectern = Path(sys.executable).parent / "lectern"
    if not lectern.exists():
        pytest.skip(f"{lectern} is absent: `make` installs lectern's command into .venv")
    run = subprocess.run([sys.executable, str(tool), "--lectern", str(lectern), "--jobs", "2"],
                         cwd=ROOT, capture_output=True, text=True, timeout=600)
    failures = [line for line in run.stdout.splitlines() if line.startswith("FAIL")]
    assert run.returncode == 0 and not failures, "\n".join(failures) or run.stderr[-2000:]
    assert "checks pass" in run.stdout
