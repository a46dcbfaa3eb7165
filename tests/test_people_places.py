"""A person the tagger found that holds a country, city or demonym: which of the two is right."""

import pytest

from search.entities.canonical import name_words
from search.entities.countries import find_countries
from search.entities.people_places import reconcile
from search.entities.pipeline import _person_name, make_extractor
from search.model import Article


def _reconciled(text: str, person: str):
    """(country keys kept, person names kept) when the tagger calls `person` (a piece of `text`)
    a person."""
    start = text.index(person)
    mention = {"start": start, "end": start + len(person), "facet": "person", "name": person, "key": person}
    countries, people = reconcile(text, find_countries(text), [mention], _person_name, name_words())
    return sorted({c.key for c in countries}), [p["name"] for p in people]


@pytest.mark.parametrize(
    "text,person,countries,people",
    [
        # a family name that is a demonym or a place: the country is wrong
        ("وسجل الهدف اللاعب إسماعيل مغربي في الدقيقة العاشرة.", "إسماعيل مغربي", [], ["إسماعيل مغربي"]),
        ("وقال عبدالله بن محمد السويد إن المشروع تأخر.", "عبدالله بن محمد السويد", [], ["عبدالله بن محمد السويد"]),
        ("وأضاف تركي الصهيل أن الجمعية بدأت عملها.", "تركي الصهيل", [], ["تركي الصهيل"]),
        ("وكتب الخليل بن أحمد أول معجم عربي.", "الخليل بن أحمد", [], ["الخليل بن أحمد"]),
        # a nationality or a place in front of the name: both are right
        ("وسجل والكاميروني صامويل إيتو هدفين.", "والكاميروني صامويل إيتو", ["CM"], ["صامويل إيتو"]),
        ("وقال المبعوث الأممي بالسودان فولكر بيرتس إن الحوار مستمر.", "بالسودان فولكر بيرتس", ["SD"], ["فولكر بيرتس"]),
        # a place after a preposition: the name ends before it
        ("وافتتح مستشفى الملك سلمان العسكري بتبوك قسما جديدا.", "سلمان العسكري بتبوك", ["SA"], ["سلمان العسكري"]),
        # nothing but a place, or a phrase with a nationality in it: no person
        ("وصلت الطائرة إلى بيونغ يانغ صباح اليوم.", "بيونغ يانغ", ["KP"], []),
        ("واعتقل قياديان أفغانيان في المدينة.", "قياديان أفغانيان", ["AF"], []),
    ],
)
def test_a_place_inside_a_person_name(text, person, countries, people):
    assert _reconciled(text, person) == (countries, people)


def test_a_family_name_is_no_country_of_the_article():
    found = make_extractor()(
        Article(
            id="m", title="", body=("وسجل الهدف الأول للاتحاد اللاعب إسماعيل مغربي في الدقيقة العاشرة من المباراة.")
        )
    )
    assert found["country"] == []
    assert [found["labels"][f"person:{key}"] for key in found["person"]] == ["إسماعيل مغربي"]
