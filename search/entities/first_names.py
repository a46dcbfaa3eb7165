"""The most common first names in Arabic news (facts of the language, written for this project).

One of them alone says little: «محمد» or «عبدالله» is a different man in every other article.
The list is used three times: the country matcher reads «محمد المصري» as a family name, not
Egypt (search.entities.countries, without «علي», which is also the preposition «على»); a person
facet never holds one of these names alone, unless the article names a single person with it in
full (search.entities); and «أحمد علي» is not offered to editors as a short form of «أحمد بن علي»
(search.entities.merge_suggestions).

`NASAB`, the words that chain a name to the father's, serves the country matcher, the merge
suggestions and the rules that extend or cut a person's name (search.entities, people_places).
"""

from search.arabic import normalize

COMMON_FIRST_NAMES = frozenset(
    normalize(w)
    for w in (
        "محمد أحمد محمود مصطفى عبدالله عبدالرحمن عبدالعزيز عبدالرحيم عبدالكريم عبداللطيف عبدالمجيد "
        "عبدالإله خالد سعد سعود سعيد فهد فيصل سلطان سلمان ناصر منصور ماجد مشعل نايف بندر تركي "
        "عمر عثمان حسن حسين إبراهيم إسماعيل يوسف يعقوب موسى عيسى صالح سليمان سامي سمير هشام "
        "وليد طارق طلال زياد عادل عماد جمال كمال رشيد رياض عصام أيمن أسامة ياسر يحيى زكريا "
        "حمد حمدان راشد مبارك جاسم قاسم هاني فؤاد نبيل نادر مازن باسم عزيز حاتم حامد حازم "
        "فاطمة عائشة مريم نورة سارة هند ليلى علي"
    ).split()
)

# «son of», «daughter of»: the words that chain a name to the father's (سلمان بن عبدالعزيز).
NASAB = frozenset(normalize(w) for w in "بن ابن بنت".split())
