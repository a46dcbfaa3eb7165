"""Organization names found by their construction (search.entities.org_names)."""

import pytest

from search.entities import make_extractor
from search.entities.org_names import find_org_names
from search.model import Article


def names(text: str) -> list[str]:
    return [text[s:e] for s, e in find_org_names(text)]


@pytest.mark.parametrize(
    "text,expected",
    [
        # long official names, whole (the tagger cuts them)
        ("أعلنت الهيئة العامة للسياحة والتراث الوطني عن", ["الهيئة العامة للسياحة والتراث الوطني"]),
        ("في اعتصام نظمه منتدى التفكير العربي وسط لندن", ["منتدى التفكير العربي"]),
        # a place's name is definite: «غرفة جدة», «جامعة تبوك», but not a club («نادي مانشستر …»)
        ("كشف عضو لجنة بغرفة جدة محمد ماطر", ["غرفة جدة"]),
        ("المنعقد بجامعة الملك عبد العزيز لهذا العام", ["جامعة الملك عبد العزيز"]),  # a compound name in two words
        ("وقال مدير جامعة تبوك إن", ["جامعة تبوك"]),
        ("فاز نادي مانشستر يونايتد أمس", []),
        # «والذي», «والتي» («and which») and «والدكتور» («and Dr») end a name
        ("وأعلن اتحاد بوليفيا لكرة القدم والذي يشرف على", ["اتحاد بوليفيا لكرة القدم"]),
        ("ووافق مجلس الوزراء والتي تضم", ["مجلس الوزراء"]),
        ("وحضر رئيس مؤسسة قطر والدكتور أحمد", ["مؤسسة قطر"]),
        # «والعمدة السابق»: «and the former mayor», no part of the party's name
        ("الأمين العام السابق لحزب الاستقلال والعمدة السابق لمدينة فاس", ["حزب الاستقلال"]),
        ("وقال المجلس الأعلى للقضاء إن", ["المجلس الأعلى للقضاء"]),
        ("أكدت وزارة التجارة والصناعة أن", ["وزارة التجارة والصناعة"]),
        # a plural nisba or «العرب» after the members' noun is part of the name
        ("وقالت جمعية القضاة التونسيين إن", ["جمعية القضاة التونسيين"]),
        ("أعلن اتحاد الكتاب العرب أن", ["اتحاد الكتاب العرب"]),
        ("اجتمع مجلس الوزراء الاثنين", ["مجلس الوزراء"]),  # a day is no nisba
        # a clitic on the head stays outside the name
        ("صرح متحدث باسم ووزارة الداخلية السعودية", ["وزارة الداخلية السعودية"]),
        ("وفقا لوزارة الصحة", ["وزارة الصحة"]),
        # a royal title takes the name after it
        ("وزع مركز الملك سلمان للإغاثة والأعمال الإنسانية", ["مركز الملك سلمان للإغاثة والأعمال الإنسانية"]),
        ("تخرج في جامعة الملك سعود", ["جامعة الملك سعود"]),
        ("أعلنت الإدارة العامة لشؤون الزراعة أن", ["الإدارة العامة لشؤون الزراعة"]),
        # the name stops before a verbal noun, a person's title, a preposition, punctuation
        ("وقرر مجلس الوزراء الموافقة على", ["مجلس الوزراء"]),
        ("وقال المتحدث باسم وزارة الداخلية اللواء منصور التركي", ["وزارة الداخلية"]),
        ("بيان وزارة الخارجية، في", ["وزارة الخارجية"]),
        # two bodies joined by و are two names
        ("وزارة التجارة وللهيئة الملكية للجبيل وينبع", ["وزارة التجارة", "للهيئة الملكية للجبيل"]),
        # part of a body: the name is the inner one
        ("رئيس مجلس إدارة الشركة الوطنية الموحدة للتوزيع", ["الشركة الوطنية الموحدة للتوزيع"]),
        # a definite head needs three words, or a country's demonym
        ("صوت البرلمان العراقي على", ["البرلمان العراقي"]),
        ("وكانت الشركة اليابانية قد", []),  # «the Japanese company» of the sentence before
        ("بطولة الاتحاد السعودي لكرة القدم", ["الاتحاد السعودي لكرة القدم"]),
        ("وزارة الخارجية لتعزيز التعاون", ["وزارة الخارجية"]),  # a purpose, not part of the name
        # after a deputy's title the «ل…» complement is the deputy's remit
        ("بحضور وكيل وزارة الصحة للخدمات العلاجية", ["وزارة الصحة"]),
        ("ووكيل وزارة الصحة للصحة العامة الدكتور عبدالعزيز بن سعيد", ["وزارة الصحة"]),  # «and the deputy»
        ("وكيل أمانة الرياض للخدمات", ["أمانة الرياض"]),
        ("وقالت منظمة العفو الدولية العام الماضي إن", ["منظمة العفو الدولية"]),  # «last year»
        ("مدير مركز الملك سلمان للإغاثة", ["مركز الملك سلمان للإغاثة"]),
        ("حل الفريق في المركز الأول", []),
        ("وحضر أعضاء هيئة التدريس والطلاب الحفل", []),  # a generic phrase extended is still generic
        ("التنظيم الإرهابي", []),
        # a guard is named by one word (and its country); it is also part of other bodies' names
        ("أعلن الحرس الوطني عن مناورات", ["الحرس الوطني"]),
        ("أنقذ الحرس البحري التونسي 40 مهاجرا", ["الحرس البحري التونسي"]),
        ("وقال حرس الحدود إنهم أحبطوا", ["حرس الحدود"]),
        ("وصلت وحدات من الحرس الجمهوري الموالي للرئيس", ["الحرس الجمهوري"]),
        ("وأعلنت وزارة الحرس الوطني أن", ["وزارة الحرس الوطني"]),
        ("وقالت الإدارة العامة للحرس الوطني إن", ["الإدارة العامة للحرس الوطني"]),
        ("وأحاط به الحرس الشخصي للرئيس", []),  # anyone's bodyguard
        # everyday phrases with the same shape
        ("اجتمع مجلس الإدارة", []),
        ("عضو هيئة التدريس", []),
        ("حركة المرور في الرياض", []),
        ("", []),
    ],
)
def test_org_names(text, expected):
    assert names(text) == expected


def test_offsets_are_into_the_original_text_with_harakat():
    text = "قالت وَزارةُ الدّاخليّة إن"
    ((start, end),) = find_org_names(text)
    assert text[start:end] == "وَزارةُ الدّاخليّة"


def test_extractor_prefers_known_aliases_then_constructions_then_the_tagger():
    extractor = make_extractor()
    found = extractor(
        Article(
            id="x",
            title="",
            body=(
                "أعلنت الهيئة العامة للسياحة والتراث الوطني اليوم عن برنامج جديد. "
                "وقالت منظمة الأمم المتحدة للطفولة إن الأطفال في خطر."
            ),
        )
    )
    assert "الهيئه-العامه-للسياحه-والتراث-الوطني" in found["org"]
    assert "اليونيسف" in found["org"]  # the alias, not the construction
    assert not any(k.startswith("منظمه-الامم") for k in found["org"])


def test_a_known_name_inside_an_official_name_is_part_of_it():
    found = make_extractor()(
        Article(
            id="k", title="", body=("وصلت مساعدات من مستودعات مركز الملك سلمان للإغاثة والأعمال الإنسانية إلى عدن.")
        )
    )
    assert found["org"] == ["مركز-الملك-سلمان-للاغاثه-والاعمال-الانسانيه"]
    assert found["person"] == []  # «الملك سلمان» here names the centre, not the king


def test_a_tagged_name_is_cut_at_an_institution_inside_it_and_runs_on_past_its_complement():
    from search.entities.org_names import inner_institution, past_complements

    toks = "كلية طب فاينبرج بجامعة نورث ويسترن في شيكاغو".split()
    assert inner_institution(toks, 2, 6) == 3
    toks = "من كلية بايلور للطب من".split()
    assert past_complements(toks, 3) == 4
    toks = "معهد ماساتشوستس للعلوم والتقنية في".split()
    assert past_complements(toks, 2) == 4
    toks = "جامعة جوتنبيرج والمتحف الوطني".split()  # two bodies, not one name
    assert past_complements(toks, 2) == 2
