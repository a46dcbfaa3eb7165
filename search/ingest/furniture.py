"""Page furniture that some outlets' feeds leave inside the article body.

A share widget at the top of Okaz articles («شارك من خلال تويتر فيسبوك …»), the carousel buttons
of Ain Alyoum («Next Previous»), and the SMS contact footer of Al-Madina and Okaz columns («…
إلى 88591 - Stc 635031 - Mobily 737221 - Zain»). They are not the article: the tagger took
Google («جوجل بلس»), STC and Mobily from them as entities of articles not about them, searches
for those names matched them, and readers saw them in the text. Each pattern is an exact
template, anchored at the start or the end of the body, so nothing else is cut; a columnist's
e-mail before the footer stays.
"""

from __future__ import annotations

import re


def _template(words: str) -> str:
    """A regex for a fixed phrase whose words the feeds break with spaces or newlines alike."""
    return r"\s+".join(words.split())


_LEADS = (
    re.compile("^" + _template("شارك من خلال تويتر فيسبوك جوجل بلس اكتب رأيك") + r"\s*"),  # Okaz
    re.compile(r"^Next\s+Previous\s*"),  # Ain Alyoum
)
_TAILS = (
    # Al-Madina: «للتواصل مع الكاتب ارسل رسالة SMS تبدأ بالرمز (20) ثم مسافة ثم نص الرسالة إلى
    # 88591 - Stc 635031 - Mobily 737221 - Zain»
    re.compile(
        r"\s*"
        + _template("للتواصل مع الكاتب ارسل رسالة SMS تبدأ بالرمز")
        + r"\s+\(\d+\)\s+"
        + _template("ثم مسافة ثم نص الرسالة إلى")
        + r"[\s\d\-]*Stc[\s\d\-]*Mobily[\s\d\-]*Zain\s*$"
    ),
    # Okaz: «للتواصل أرسل [رسالة نصية] sms إلى 88548 الاتصالات، 636250 موبايلي، 738303 زين تبدأ
    # بالرمز 153 مسافة ثم الرسالة»
    re.compile(
        r"\s*"
        + _template("للتواصل أرسل")
        + r"(?:\s+رسالة\s+نصية)?\s+sms\s+إلى\s[^=]{0,80}?زين\s+"
        + _template("تبدأ بالرمز")
        + r"\s+\d+\s+"
        + _template("مسافة ثم الرسالة")
        + r"\s*$",
        re.IGNORECASE,
    ),
)


_LEAD_STARTS = ("شارك", "Next")
_TAIL_MARK = "للتواصل"
_TAIL_SPAN = 400  # the footers are shorter; only this end of the body is searched


def strip_furniture(body: str) -> str:
    """The body without the outlets' share widgets, carousel buttons and SMS footers. Bodies
    without them (nearly all) cost two string tests."""
    if body.startswith(_LEAD_STARTS):
        for pattern in _LEADS:
            body = pattern.sub("", body, count=1)
    cut = max(0, len(body) - _TAIL_SPAN)
    end = body[cut:]
    if _TAIL_MARK in end:
        tail = end
        for pattern in _TAILS:
            tail = pattern.sub("", tail, count=1)
        if tail != end:
            body = (body[:cut] + tail).rstrip()
    return body
