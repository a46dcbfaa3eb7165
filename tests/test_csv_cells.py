"""Every CSV Arshif writes is safe in a spreadsheet: no cell starts a formula (issue 15, item 2)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from conftest import REPO
from search.web.csv_cells import csv_line, safe_cell

DANGEROUS = [
    '=HYPERLINK("http://evil.example","click")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\tتبويب",
    "\rرجوع",
]


@pytest.mark.parametrize("value", DANGEROUS)
def test_a_formula_start_becomes_text(value):
    assert safe_cell(value) == "'" + value
    assert list(csv.reader(io.StringIO(csv_line([value, "x"]))))[0][0] == "'" + value


@pytest.mark.parametrize(
    "value, expected",
    [("الرياض", "الرياض"), ("a=b", "a=b"), ("", ""), (None, ""), (12, "12"), ("'quoted", "'quoted"), (" =x", " =x")],
)
def test_other_cells_are_left_alone(value, expected):
    assert safe_cell(value) == expected


@pytest.fixture(scope="module")
def hostile_client(tmp_path_factory):
    """An index whose titles, sources and ids start like formulas (text written for this test)."""
    folder = tmp_path_factory.mktemp("hostile")
    archive = folder / "hostile.jsonl"
    with archive.open("w", encoding="utf-8") as out:
        for n, title in enumerate(DANGEROUS):
            out.write(
                json.dumps(
                    {
                        "id": f"-{n}",
                        "title": title,
                        "body": f"خبر عن النفط رقم {n}",
                        "date": f"2020-01-0{n + 1}",
                        "source": "@outlet",
                        "url": None,
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
    index = folder / "index"
    result = subprocess.run(
        [sys.executable, "-m", "search", "index", "-q", "--no-entities", "--index", str(index), str(archive)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    from search.config import Settings
    from search.web import create_app

    app = create_app(Settings(index=str(index)))
    app.config["TESTING"] = True
    return app.test_client()


def cells(response) -> list[list[str]]:
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline="")))


@pytest.mark.parametrize("path", ["/search.csv?q=النفط", "/export.csv?q=النفط"])
def test_search_and_export_csv_neutralise_formulas(hostile_client, path):
    rows = cells(hostile_client.get(path))[1:]
    assert len(rows) == len(DANGEROUS)
    titles = {row[1] for row in rows}
    assert {"'" + value for value in DANGEROUS if not value[0].isspace()} <= titles  # (ingest strips spaces)
    assert {row[0] for row in rows} == {f"'-{n}" for n in range(len(DANGEROUS))} and rows[0][3] == "'@outlet"
    for row in rows:
        assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row), row


def test_batch_csv_neutralises_the_lines_themselves(hostile_client):
    rows = cells(hostile_client.post("/batch.csv", data={"lines": "=1+1\n@x\nالنفط"}))
    assert [row[0] for row in rows[1:]] == ["'=1+1", "'@x", "النفط"]
