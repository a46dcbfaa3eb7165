"""scripts/drill.py, small: searchers keep searching while an index job is SIGKILLed and re-run."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import needs_corpus

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.slow
@pytest.mark.corpus
@needs_corpus
def test_searches_never_fail_and_nothing_is_lost_when_an_index_job_is_killed():
    run = subprocess.run(
        [
            sys.executable,
            "scripts/drill.py",
            "--json",
            "--clients",
            "3",
            "--seconds",
            "5",
            "--base",
            "200",
            "--articles",
            "1200",
            "--commit-every",
            "400",
            "--kill-at",
            "400",
            "--no-entities",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    figures = json.loads(run.stdout.strip().splitlines()[-1])
    assert run.returncode == 0, figures
    assert figures["failed"] == 0 and figures["requests"] > 100
    assert figures["expected"] == figures["in_index"] == 1400
    assert figures["lost"] == 0 and figures["duplicated_or_extra"] == 0
    assert 400 <= figures["visible_at_kill"] < 1200  # killed between two commits
    assert "rejected 0" in figures["rerun"] and f"unchanged {figures['visible_at_kill']:,}" in figures["rerun"]
