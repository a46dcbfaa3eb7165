"""Latin and Arabic spellings of a name meet on one consonant skeleton (the search box's
suggestions for names typed in English)."""

import pytest

from search.web.sound_keys import arabic_keys, is_latin, latin_key, span_keys


@pytest.mark.parametrize(
    "latin, arabic",
    [
        ("John Allen", "جون آلن"),
        ("Erdogan", "أردوغان"),
        ("Bashar al-Assad", "بشار الأسد"),
        ("Bashar Assad", "بشار الأسد"),
        ("Abdulaziz", "عبد العزيز"),
        ("Mohammed bin Salman", "محمد بن سلمان"),
        ("Ghannouchi", "الغنوشي"),
        ("Netanyahu", "نتنياهو"),
        ("Vladimir Putin", "فلاديمير بوتين"),
        ("Khalid", "خالد"),
        ("Hassan Rouhani", "حسن روحاني"),
        ("Ban Ki-moon", "بان كي مون"),
        ("Béji Caïd Essebsi", "الباجي قايد السبسي"),
    ],
)
def test_a_transliteration_has_the_skeleton_of_the_arabic_name(latin, arabic):
    assert latin_key(latin) in arabic_keys(arabic.split())


@pytest.mark.parametrize("latin, arabic", [("John Kerry", "جون آلن"), ("Obama", "بوتين"), ("Salman", "سليم")])
def test_other_names_do_not(latin, arabic):
    assert latin_key(latin) not in arabic_keys(arabic.split())


def test_first_and_last_words_stand_for_a_name():
    keys = span_keys("باراك حسين أوباما".split(), True, {})
    assert latin_key("Obama") in keys and latin_key("Barack") in keys and latin_key("Barack Obama") not in keys
    org = span_keys("أرامكو السعودية".split(), False, {})
    assert latin_key("Aramco") in org and latin_key("Saudia") not in org  # organizations: first words only


def test_letters_that_are_no_name():
    assert latin_key("cmd") == "" and latin_key("=HYPERLINK") != ""
    assert is_latin("Kuwait") and not is_latin("الكويت Kuwait") and not is_latin("2015")
