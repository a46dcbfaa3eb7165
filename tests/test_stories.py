"""Stories (search.stories): versions of one news item grouped at index time, with stable keys.

The articles below were written for these tests (not corpus text): a wire story and its lightly
edited versions, template cables that differ only in the country and head of state, and
unrelated news.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from search.document import build_document
from search.engines.tantivy_engine import TantivyEngine
from search.model import Article
from search.stories import (
    BANDS,
    StoryAssigner,
    band_key,
    band_numbers,
    containments,
    read_sketch,
    shingle_hashes,
    sketch_band_numbers,
    sketch_fields,
    story_key,
    word_hashes,
)

REPO = Path(__file__).resolve().parents[1]

WIRE = (
    "أعلنت وزارة الصحة اليوم الاثنين عن افتتاح مستشفى جديد في مدينة تبوك بسعة ثلاثمئة سرير، "
    "ويضم المستشفى أقساما للطوارئ والعناية المركزة وجراحة القلب وطب الأطفال. وقال المتحدث الرسمي "
    "باسم الوزارة إن المشروع كلف أربعمئة مليون ريال وإنه سيخدم أكثر من نصف مليون نسمة في المنطقة "
    "والمحافظات التابعة لها، مضيفا أن تشغيل المستشفى سيبدأ تدريجيا خلال الأسابيع المقبلة بعد "
    "اكتمال تجهيز الأقسام وتعيين الكوادر الطبية والفنية اللازمة. وأشار إلى أن الوزارة تعمل على "
    "إنشاء عشرة مستشفيات أخرى في مناطق المملكة خلال العامين المقبلين ضمن خطة لرفع عدد الأسرة "
    "وتحسين الخدمات الصحية المقدمة للمواطنين والمقيمين في المناطق البعيدة عن المدن الكبرى."
)
# the same story as another outlet ran it: its own opening, a word changed here and there, cut short
WIRE_EDITED = (
    "تبوك - واس: أعلنت وزارة الصحة يوم الاثنين عن افتتاح مستشفى جديد في مدينة تبوك بسعة ثلاثمئة "
    "سرير، ويضم المستشفى أقساما للطوارئ والعناية المركزة وجراحة القلب وطب الأطفال. وقال المتحدث "
    "الرسمي باسم الوزارة إن المشروع كلف أربعمئة مليون ريال وإنه سيخدم أكثر من نصف مليون نسمة في "
    "المنطقة والمحافظات التابعة لها، مضيفا أن تشغيل المستشفى سيبدأ تدريجيا خلال الأسابيع القادمة."
)
UNRELATED = (
    "فاز المنتخب الوطني لكرة اليد على نظيره الكويتي بفارق خمسة أهداف في المباراة التي جرت مساء "
    "أمس ضمن منافسات البطولة الخليجية، وتصدر المنتخب مجموعته برصيد ست نقاط قبل الجولة الأخيرة التي "
    "يلتقي فيها المنتخب العماني يوم الخميس المقبل على الصالة الرئيسية في العاصمة."
)
OTHER_NEWS = (
    "قررت الهيئة العامة للطيران المدني زيادة عدد الرحلات الداخلية بين المدن الرئيسية خلال موسم الصيف "
    "لتلبية الطلب المتزايد على السفر، وأوضحت أن الخطوط الوطنية ستضيف أربع طائرات مستأجرة إلى أسطولها. "
    "وفي شأن آخر افتتحت أمانة المدينة حديقة عامة على مساحة عشرين ألف متر مربع تضم ممرات للمشي وملاعب "
    "للأطفال ومسطحات خضراء، فيما أعلنت جامعة المنطقة بدء التسجيل في برامج الدراسات العليا للعام الجديد "
    "عبر بوابتها الإلكترونية حتى نهاية الشهر. كما ناقش المجلس البلدي في جلسته الأسبوعية مشروعات تصريف "
    "مياه الأمطار وصيانة الطرق في الأحياء الجنوبية، وطالب الأعضاء بتسريع تنفيذ العقود المتأخرة ومحاسبة "
    "المقاولين المتعثرين، وقرروا رفع توصياتهم إلى الوزارة قبل نهاية الربع الحالي من العام."
)
CABLE = (
    "بعث خادم الحرمين الشريفين برقية تهنئة لفخامة الرئيس {name} رئيس جمهورية {country} بمناسبة ذكرى "
    "استقلال بلاده. وأعرب الملك باسمه واسم شعب وحكومة المملكة العربية السعودية عن أصدق التهاني وأطيب "
    "التمنيات بالصحة والسعادة لفخامته ولحكومة وشعب {country} الصديق اطراد التقدم والازدهار. كما بعث "
    "ولي العهد برقية تهنئة مماثلة عبر فيها عن أبلغ التهاني وأطيب التمنيات بموفور الصحة والسعادة."
)


def doc(doc_id: str, body: str, date: str = "2020-05-04", source: str = "صحيفة أ", countries=(), lead_countries=()):
    mentions = [["country", c, "body", 60, 66] for c in lead_countries]
    return build_document(
        Article(id=doc_id, body=body, title=doc_id, date=date, source=source),
        entities={"country": list(countries), "mentions": mentions},
    )


def assign(*docs) -> dict[str, str]:
    StoryAssigner().assign(list(docs))
    return {d["id"]: d["story"] for d in docs}


# --- sketches ----------------------------------------------------------------------------------------


def test_band_keys_are_fixed_numbers_across_machines_and_releases():
    """Band keys are stored in the index: an index written today must be found by the next version."""
    words = "اعلنت وزاره الصحه اليوم عن افتتاح مستشفي جديد".split()
    keys = band_numbers(np.unique(shingle_hashes(word_hashes(words))))
    assert len(keys) == BANDS and keys.dtype == np.uint64
    assert [int(k) for k in keys[:3]] == [2628837413, 6106334115, 12715863211]
    assert int(word_hashes(["مستشفي"])[0]) == 1248600569
    assert story_key("saudinewsnet-00547aa58e06") == "d51f16c801e0605"


def test_a_sketch_round_trips_through_its_bytes():
    fields = sketch_fields(
        "نص قصير عن الاقتصاد".split(), "2015-07-01", "عكاظ", countries=["SA", "EG"], lead_countries=["EG"]
    )
    sketch = read_sketch("x", "k", fields["story_sketch"])
    assert sketch.source == "عكاظ" and sketch.day is not None and sketch.countries == {"SA", "EG"}
    assert sketch.lead_countries == {"EG"} and sketch.lead_words() == ["قصير", "الاقتصاد"]
    assert len(fields["story_band"]) == BANDS and all(len(k) == 10 for k in fields["story_band"])
    assert [band_key(int(n)) for n in sketch_band_numbers(sketch)] == fields["story_band"]  # read back


def test_containment_forgives_a_version_cut_short():
    full, cut, other = (
        read_sketch(i, "", doc(i, body)["story_sketch"])
        for i, body in (("a", WIRE), ("b", WIRE_EDITED), ("c", UNRELATED))
    )
    near, far = containments(full, [cut, other])
    assert near > 0.6 and far == 0.0


# --- assignment --------------------------------------------------------------------------------------


def test_versions_of_one_story_share_the_founders_key():
    stories = assign(doc("a", WIRE), doc("b", WIRE_EDITED, source="صحيفة ب"), doc("c", UNRELATED))
    assert stories["a"] == stories["b"] == story_key("a")
    assert stories["c"] == story_key("c")


def test_the_same_archive_gives_the_same_keys_again():
    first = assign(doc("a", WIRE), doc("b", WIRE_EDITED, source="صحيفة ب"), doc("c", UNRELATED))
    again = assign(doc("a", WIRE), doc("b", WIRE_EDITED, source="صحيفة ب"), doc("c", UNRELATED))
    assert first == again


def test_cables_to_two_countries_are_two_stories():
    colombia = doc(
        "co", CABLE.format(name="خوان مانويل سانتوس", country="كولومبيا"), countries=["CO", "SA"], lead_countries=["CO"]
    )
    chile = doc(
        "cl",
        CABLE.format(name="ميشيل باشليت", country="تشيلي"),
        source="صحيفة ب",
        countries=["CL", "SA"],
        lead_countries=["CL"],
    )
    chile_again = doc(
        "cl2",
        CABLE.format(name="ميشيل باشليت", country="تشيلي"),
        source="صحيفة ج",
        countries=["CL", "SA"],
        lead_countries=["CL"],
    )
    stories = assign(colombia, chile, chile_again)
    assert stories["co"] != stories["cl"] and stories["cl2"] == stories["cl"]


def test_an_item_of_a_news_digest_is_not_a_version_of_the_story():
    """A roundup that quotes the story among other news contains it, but is not another version of it."""
    short = WIRE_EDITED.split("، مضيفا")[0]
    filler = " ".join(reversed(OTHER_NEWS.split()))  # more words, other shingles
    digest = doc(
        "d", " ".join([short, UNRELATED, OTHER_NEWS, filler, " ".join(reversed(UNRELATED.split()))]), source="صحيفة ب"
    )
    stories = assign(doc("a", short), digest)
    assert stories["d"] != stories["a"]


def test_a_story_spans_a_few_days_only():
    stories = assign(doc("a", WIRE, date="2020-05-04"), doc("b", WIRE_EDITED, date="2020-05-20", source="صحيفة ب"))
    assert stories["a"] != stories["b"]


def test_an_outlets_similar_article_on_another_day_is_another_story():
    """A follow-up on the same subject, sharing its background paragraph: the outlet's next article
    is other news, even if another outlet's copy of the first one is dated that day."""
    first = doc("w1", WIRE, date="2020-05-04")
    follow_up = WIRE_EDITED.split("، مضيفا")[0] + "، " + UNRELATED  # about half of it is shared
    next_day = doc("w2", follow_up, date="2020-05-05")
    other_outlet = doc("w3", WIRE_EDITED, date="2020-05-05", source="صحيفة ب")
    stories = assign(first, next_day, other_outlet)
    assert stories["w3"] == stories["w1"] and stories["w2"] != stories["w1"]


def test_boilerplate_shared_by_thousands_stays_fast():
    docs = [doc(f"n{i}", f"نص الخبر الجديد رقم {i} عن الاقتصاد والأسواق اليوم") for i in range(3000)]
    assigner = StoryAssigner()
    for start in range(0, len(docs), 200):
        assigner.assign(docs[start : start + 200])
    assert len({d["story"] for d in docs}) > 1


# --- the index job -----------------------------------------------------------------------------------


def arshif(*args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "search", *args], cwd=REPO, capture_output=True, text=True, timeout=300
    )


def write_archive(path: Path, rows) -> None:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")


ROWS = [
    {"id": "w1", "title": "مستشفى جديد في تبوك", "body": WIRE, "date": "2020-05-04", "source": "صحيفة أ"},
    {"id": "x1", "title": "المنتخب يفوز", "body": UNRELATED, "date": "2020-05-04", "source": "صحيفة أ"},
    {"id": "w2", "title": "افتتاح مستشفى بتبوك", "body": WIRE_EDITED, "date": "2020-05-04", "source": "صحيفة ب"},
]


def stories_of(index: Path) -> dict[str, str]:
    engine = TantivyEngine(index)
    return {d["id"]: d["story"] for d in engine.story_docs("story", [story_key(i) for i in ("w1", "x1", "w2", "w3")])}


def test_keys_do_not_depend_on_the_workers(tmp_path):
    archive = tmp_path / "a.jsonl"
    write_archive(archive, ROWS * 1)
    one, two = tmp_path / "one", tmp_path / "two"
    assert arshif("index", "-q", "--no-entities", "--workers", "1", "--index", str(one), str(archive)).returncode == 0
    assert arshif("index", "-q", "--no-entities", "--workers", "2", "--index", str(two), str(archive)).returncode == 0
    assert stories_of(one) == stories_of(two)
    assert stories_of(one)["w2"] == stories_of(one)["w1"] == story_key("w1")


def test_an_article_added_later_joins_its_story_without_renaming_it(tmp_path):
    first, later, index = tmp_path / "a.jsonl", tmp_path / "b.jsonl", tmp_path / "index"
    write_archive(first, ROWS)
    assert arshif("index", "-q", "--no-entities", "--index", str(index), str(first)).returncode == 0
    before = stories_of(index)
    write_archive(
        later,
        [
            {
                "id": "w3",
                "title": "وزارة الصحة تفتتح مستشفى",
                "source": "صحيفة د",
                "date": "2020-05-05",
                "body": WIRE_EDITED.replace("القادمة", "المقبلة"),
            }
        ],
    )
    run = arshif("index", "-q", "--no-entities", "--index", str(index), str(later))
    assert run.returncode == 0 and "indexed 1," in run.stdout
    after = stories_of(index)
    assert after["w3"] == before["w1"] == after["w1"] == after["w2"]
    assert after["x1"] == before["x1"]
    assert TantivyEngine(index).story_sizes([before["w1"]]) == {before["w1"]: 3}


@pytest.mark.parametrize("size", [1, 2])
def test_collapsed_pages_hold_one_hit_per_story(tmp_path, size):
    archive, index = tmp_path / "a.jsonl", tmp_path / "index"
    write_archive(archive, ROWS)
    assert arshif("index", "-q", "--no-entities", "--index", str(index), str(archive)).returncode == 0
    from search.engines.base import SearchRequest

    engine = TantivyEngine(index)
    pages = [engine.search(SearchRequest(sort="newest", collapse=True, size=size, offset=o)) for o in (0, size)]
    assert all(p.total == 3 and p.stories == 2 for p in pages)
    shown = [h.doc["story"] for p in pages for h in p.hits]
    assert len(shown) == 2 and len(set(shown)) == 2
