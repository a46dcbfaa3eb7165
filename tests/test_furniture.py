"""Outlet page furniture is not article text (search/ingest/furniture.py)."""

from search.ingest.furniture import strip_furniture
from search.ingest.records import make_article

BODY = "أعلنت وزارة الصحة اليوم عن خطة جديدة."


def test_share_widget_and_carousel_buttons_at_the_top_are_dropped():
    assert strip_furniture("شارك من خلال تويتر فيسبوك جوجل بلس اكتب رأيك " + BODY) == BODY
    assert strip_furniture("Next Previous\n" + BODY) == BODY


def test_sms_contact_footers_are_dropped_and_the_columnists_email_stays():
    madina = (
        BODY + "\n\nwriter@example.com\nللتواصل مع الكاتب ارسل رسالة SMS\nتبدأ بالرمز (20) ثم مسافة"
        " ثم نص الرسالة إلى\n88591 - Stc\n635031 - Mobily\n737221 - Zain"
    )
    assert strip_furniture(madina) == BODY + "\n\nwriter@example.com"
    okaz = (
        BODY + "\n\nللتواصل أرسل رسالة نصية sms إلى 88548 الاتصالات أو 636250 موبايلي أو 738303 زين"
        " تبدأ بالرمز 160 مسافة ثم الرسالة"
    )
    assert strip_furniture(okaz) == BODY


def test_the_same_words_inside_an_article_stay():
    text = "قال إن المستخدمين شاركوا عبر تويتر فيسبوك جوجل بلس. " + BODY
    assert strip_furniture(text) == text


def test_an_article_made_only_of_furniture_is_rejected_as_empty():
    assert make_article(body="Next Previous", origin="t", max_body_chars=1000).reason == "missing body"
