"""The engines under test: the `engine` fixture (conftest.py registers this module as a plugin)
and the twelve articles it holds, shared by tests/test_engine_behaviour.py and the story tests.

The embedded engine (tantivy) is always tested. Elasticsearch is tested when ARSHIF_ES_URL points
at a node (see tests/test_engine_behaviour.py); each run uses a throwaway alias
`arshif-test-<random>` and deletes its indices afterwards. The articles are short sentences written
for these tests (not corpus text); their dates are all different, so that every date order is fully
determined, and one is undated.
"""

from __future__ import annotations

import os
import uuid

import pytest

from conftest import es_url
from search.document import build_document
from search.engines.base import SearchRequest
from search.model import Article
from search.query.parser import parse

# id, date, source, category, title, body, entities
ARTICLES = [
    (
        "a01",
        "2020-01-15",
        "الصباح",
        "سياسة",
        "جولة جديدة من المفاوضات في الدوحة",
        "بدأت في الدوحة جولة جديدة من المفاوضات بين الوفدين، وقال وزير الخارجية إن الأجواء إيجابية.",
        {"country": ["QA", "US"], "person": ["khalid-nasser"], "org": ["un"]},
    ),
    (
        "a02",
        "2020-03-02",
        "الصباح",
        "سياسة",
        "تونس تستعد للانتخابات البرلمانية",
        "تستعد تونس لإجراء الانتخابات البرلمانية الشهر المقبل وسط إقبال متوقع من الناخبين.",
        {"country": ["TN"]},
    ),
    (
        "a03",
        "2020-06-20",
        "المساء",
        "سياسة",
        "الانتخابات البرلمانية في مصر",
        "أعلنت اللجنة العليا موعد الانتخابات البرلمانية المقبلة في مصر.",
        {"country": ["EG"]},
    ),
    (
        "a04",
        "2021-02-11",
        "المساء",
        "اقتصاد",
        "ارتفاع أسعار النفط",
        "ارتفعت أسعار النفط في الأسواق العالمية بعد قرار خفض الإنتاج.",
        {"country": ["SA"], "org": ["opec"]},
    ),
    (
        "a05",
        "2021-05-05",
        "الصباح",
        "اقتصاد",
        "نمو الاقتصاد المصري",
        "قال تقرير إن الاقتصاد المصري نما بنسبة جيدة رغم تراجع السياحة.",
        {"country": ["EG"]},
    ),
    (
        "a06",
        "2021-08-30",
        "الأفق",
        "كوارث",
        "زلزال قوي يضرب جنوب تركيا",
        "ضرب زلزال قوي جنوب تركيا وأرسل الهلال الأحمر فرق الإنقاذ.",
        {"country": ["TR"], "org": ["red-crescent"]},
    ),
    (
        "a07",
        "2022-01-09",
        "الأفق",
        "كوارث",
        "فيضانات تغمر قرى باكستانية",
        "غمرت الفيضانات عشرات القرى بعد أمطار غزيرة استمرت أياما.",
        {"country": ["PK"]},
    ),
    (
        "a08",
        "2022-04-18",
        "الأفق",
        "سياسة",
        "وزير الخارجية يزور واشنطن",
        "وصل وزير الخارجية خالد ناصر إلى واشنطن لبحث ملف المفاوضات.",
        {"country": ["US", "QA"], "person": ["khalid-nasser"]},
    ),
    (
        "a09",
        "2022-09-01",
        "المساء",
        "رياضة",
        "المنتخب يفوز في المباراة الافتتاحية",
        "فاز المنتخب في المباراة الافتتاحية للبطولة أمام جمهور كبير.",
        {"country": ["QA"]},
    ),
    (
        "a10",
        "2023-03-14",
        "الصباح",
        "سياسة",
        "لقاء في نيويورك",
        "التقى وزير السياحة في نيويورك بوفد من الخارجية لبحث ملفات عدة.",
        {"country": ["US"], "org": ["un"]},
    ),
    (
        "a11",
        "2023-07-07",
        "المساء",
        "تعليم",
        "عودة الطلاب إلى المدارس",
        "عاد الطلاب إلى المدارس بعد العطلة الصيفية وسط استعدادات واسعة.",
        {"country": ["JO"]},
    ),
    (
        "a12",
        None,
        "الأفق",
        "تعليم",
        "المفاوضون يختتمون جولة المحادثات",
        "اختتم المفاوضون جولة المحادثات دون اتفاق على الملفات العالقة.",
        {"country": ["JO"]},
    ),
]
ENTITIES = {a[0]: a[6] for a in ARTICLES}
ALL_IDS = {a[0] for a in ARTICLES}
BY_DATE = [a[0] for a in sorted((a for a in ARTICLES if a[1]), key=lambda a: a[1] or "")]  # oldest first
UNDATED = "a12"


def extractor(article: Article) -> dict:
    """A tiny stand-in for the entity extractor: the keys written beside each article above."""
    found = ENTITIES.get(article.id, {})
    return {
        "country": found.get("country", []),
        "person": found.get("person", []),
        "org": found.get("org", []),
        "mentions": [],
    }


def article(row, **changes) -> Article:
    doc_id, date, source, category, title, body, _ = row
    art = Article(
        id=doc_id,
        title=title,
        body=body,
        date=date,
        source=source,
        category=category,
        url=f"https://example.org/{doc_id}",
    )
    for key, value in changes.items():
        setattr(art, key, value)
    return art


def documents():
    return [build_document(article(row), extractor) for row in ARTICLES]


# --- engines -------------------------------------------------------------------------------------


def open_tantivy(tmp_path, monkeypatch):
    from search.engines.tantivy_engine import TantivyEngine

    engine = TantivyEngine(tmp_path / "index", writable=True)
    return engine, engine.close


def open_elasticsearch(tmp_path, monkeypatch):
    es_url()  # skips without a node (fails under `make test-es`)
    from search.config import Settings
    from search.engines.elasticsearch_engine import ElasticsearchEngine

    alias = f"arshif-test-{uuid.uuid4().hex[:10]}"
    if not os.environ.get("ARSHIF_ES_REPLICAS"):
        monkeypatch.setenv("ARSHIF_ES_REPLICAS", "0")  # a test cluster is often a single node
    settings = Settings.from_env(engine="elasticsearch", es_index=alias)
    engine = ElasticsearchEngine.from_settings(settings, writable=True)

    def cleanup():
        try:
            names = sorted(engine.versions()) + [f"{alias}-entity-labels"]
            engine.client.indices.delete(index=",".join(names), ignore_unavailable=True)
        finally:
            engine.client.close()

    return engine, cleanup


OPENERS = {"tantivy": open_tantivy, "elasticsearch": open_elasticsearch}


@pytest.fixture(params=["tantivy", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)])
def engine(request, tmp_path, monkeypatch):
    """A fresh, writable engine holding the twelve articles."""
    eng, cleanup = OPENERS[request.param](tmp_path, monkeypatch)
    try:
        assert eng.upsert(documents()) == []
        eng.commit()
        yield eng
    finally:
        cleanup()


def search(engine, q: str | None = None, **kwargs):
    kwargs.setdefault("size", 50)
    kwargs.setdefault("sort", "relevance" if q else "newest")
    return engine.search(SearchRequest(query=parse(q) if q else None, **kwargs))


def ids(result) -> list[str]:
    return [hit.id for hit in result.hits]


def idset(result) -> set[str]:
    return set(ids(result))
