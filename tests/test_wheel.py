"""A wheel of Arshif, installed in a fresh virtual environment, serves its pages.

templates/, static/ and index_config/ live beside the package; a wheel used to ship an app without
them. The new environment takes the already-installed dependencies from this one (a .pth line, not
a download) and Arshif itself only from the wheel, run from a folder outside the checkout.
"""

from __future__ import annotations

import json
import site
import subprocess
import sys
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow

ARTICLES = [
    {
        "id": "w1",
        "title": "افتتاح معرض الكتاب في الرباط",
        "body": "افتتح معرض الكتاب أبوابه في الرباط بمشاركة واسعة.",
        "date": "2021-02-03",
        "source": "الصباح",
    },
    {
        "id": "w2",
        "title": "أمطار غزيرة في الرباط",
        "body": "هطلت أمطار غزيرة على الرباط أمس.",
        "date": "2021-02-04",
        "source": "الأفق",
    },
]

SERVE_A_PAGE = """
import json, sys
import search
from search.web import create_app
from search.config import Settings
client = create_app(Settings(index=sys.argv[1])).test_client()
page = client.get("/search?q=الرباط")
css = client.get("/static/arshif.css")
print(json.dumps({"package": search.__file__, "status": page.status_code, "page": page.get_data(as_text=True),
                  "css": css.status_code}))
"""


def test_a_wheel_in_a_fresh_venv_serves_the_search_page(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(wheels),
            str(REPO),
        ],
        check=True,
        cwd=tmp_path,
        timeout=600,
    )
    wheel = next(wheels.glob("arshif-*.whl"))
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    new_site = Path(
        subprocess.check_output(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], text=True
        ).strip()
    )
    (new_site / "dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    subprocess.run([python, "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)], check=True, timeout=600)

    archive = tmp_path / "archive.jsonl"
    archive.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in ARTICLES), "utf-8")
    index = tmp_path / "index"
    subprocess.run(
        [env_dir / "bin" / "arshif", "index", "-q", "--no-entities", "--index", str(index), str(archive)],
        check=True,
        cwd=tmp_path,
        timeout=600,
    )
    out = subprocess.run(
        [python, "-c", SERVE_A_PAGE, str(index)], capture_output=True, text=True, check=True, cwd=tmp_path, timeout=600
    )
    served = json.loads(out.stdout.strip().splitlines()[-1])
    assert str(env_dir) in served["package"]  # the wheel's code, not this checkout's
    assert served["status"] == 200 and served["css"] == 200
    assert "افتتاح معرض الكتاب" in served["page"] and 'dir="rtl"' in served["page"]
