"""A tagger model is tied to the Arabic analysis it was trained with (search.entities.model_version):
under another analysis version it is refused with a message that says what to do, and an index
run stops before it writes anything."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from search.cli import main
from search.entities import model_version
from search.entities.neural import NEURAL_FILE
from search.entities.tagger import DATA_DIR, MODEL_FILE, Tagger


def restamp(path, member: str, version) -> None:
    with np.load(path, allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    config = json.loads(bytes(arrays[member]).decode("utf-8"))
    config[model_version.KEY] = version
    arrays[member] = np.frombuffer(json.dumps(config).encode("utf-8"), dtype=np.uint8)
    np.savez_compressed(path, **arrays)


@pytest.fixture
def model_copy(tmp_path):
    for name in (MODEL_FILE, NEURAL_FILE):
        shutil.copy(DATA_DIR / name, tmp_path / name)
    return tmp_path


def test_the_packaged_models_record_the_current_analysis_version():
    Tagger.check_model()  # raises if a retrained model was committed without its version


@pytest.mark.parametrize("stale", ["crf", "neural"])
def test_a_model_trained_with_another_analysis_is_refused(model_copy, stale):
    if stale == "crf":
        restamp(model_copy / MODEL_FILE, "config", 0)
    else:
        restamp(model_copy / NEURAL_FILE, "meta", None)
    with pytest.raises(model_version.ModelMismatch) as refused:
        Tagger.check_model(model_copy)
    message = str(refused.value)
    assert ("version 0" if stale == "crf" else "(none recorded)") in message
    assert "scripts/train_ner.py" in message
    with pytest.raises(model_version.ModelMismatch):
        Tagger.load(model_copy)


def test_an_index_run_stops_before_writing_with_a_clear_message(tmp_path, monkeypatch, capsys):
    archive = tmp_path / "a.jsonl"
    archive.write_text(
        json.dumps(
            {"id": "a1", "title": "عنوان", "body": "نص الخبر عن الكويت", "date": "2020-01-01"}, ensure_ascii=False
        )
        + "\n",
        "utf-8",
    )
    monkeypatch.setattr(model_version, "ANALYSIS_VERSION", model_version.ANALYSIS_VERSION + 1)
    code = main(["index", "-q", "--index", str(tmp_path / "index"), str(archive)])
    err = capsys.readouterr().err
    assert code == 2
    assert "trained with Arabic analysis version" in err and "Traceback" not in err
    assert not (tmp_path / "index").exists()  # refused before the index is opened


def test_a_reindex_stops_before_it_creates_a_new_version(tmp_path, monkeypatch, capsys):
    """`arshif reindex` (Elasticsearch) checks the tagger before it asks the cluster for anything:
    the node here does not even exist, and the answer is about the model."""
    archive = tmp_path / "a.jsonl"
    archive.write_text(json.dumps({"id": "a1", "title": "عنوان", "body": "نص", "date": "2020-01-01"}) + "\n", "utf-8")
    monkeypatch.setenv("ARSHIF_ES_URL", "http://127.0.0.1:9")
    monkeypatch.setattr(model_version, "ANALYSIS_VERSION", model_version.ANALYSIS_VERSION + 1)
    assert main(["reindex", str(archive)]) == 2
    assert "trained with Arabic analysis version" in capsys.readouterr().err
