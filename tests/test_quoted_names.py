"""Organizations named in quotes after what they are, and news outlets quoted as a source."""

import pytest

from search.entities import make_extractor
from search.entities.quoted_names import find_quoted_orgs
from search.model import Article


@pytest.mark.parametrize(
    "text,names",
    [
        ("والدراسة التي أجراها فريق بمعهد»باستور» في فرنسا", ["معهد باستور"]),  # head kept
        ('وأعلنت مجموعة "فولكس فاغن" الألمانية أمس', ["فولكس فاغن"]),  # the name alone
        ("نشرته صحيفة «الحياة» اللندنية", ["الحياة"]),
        ("وقال لـ«عكاظ» إن المشروع تأخر", ["عكاظ"]),  # an outlet quoted
        ("وأضاف الأحمري لـ»المدينة» أن السوق", ["المدينة"]),
        ('وقال لـ"أحمد" إن الوقت حان', []),  # not an outlet
        ('واعتبرها منظمة "إرهابية" محظورة', []),  # scare quotes
        ('وسجل لاعب الاتحاد "وأحمد عطيف" هدفا', []),  # a quote ran on
        ('فريق "تغلب على" منافسه', []),  # a quoted phrase
    ],
)
def test_quoted_names(text, names):
    assert [name for _, _, name in find_quoted_orgs(text)] == names


def test_an_outlet_quoted_as_a_source_is_an_organization_of_the_article():
    found = make_extractor()(
        Article(id="q", title="", body=('وأكد المتحدث الإعلامي بالشؤون الصحية لـ"الوطن" واقعة الاعتداء على الطبيب.'))
    )
    assert "الوطن" in found["org"]
    assert found["labels"]["org:الوطن"] == "الوطن"


def test_iranian_agencies_are_one_organization_each():
    found = make_extractor()(
        Article(
            id="t",
            title="",
            body=("ونقلت وكالة تسنيم الايرانية للانباء عن قائد الحرس الثوري قوله إن القرار غير مقبول."),
        )
    )
    assert "وكاله-تسنيم" in found["org"]
