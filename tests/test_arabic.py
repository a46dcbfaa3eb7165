"""Arabic analysis: a table of inputs and the tokens a journalist's search depends on."""

import pytest

from search.arabic import STOPWORDS, analyze, normalize, stem_variants, tokenize

NORMALIZE = [
    ("مُحَمَّدٌ", "محمد"),  # harakat
    ("الســـلام", "السلام"),  # tatweel
    ("أحمد إبراهيم آمال ٱلله", "احمد ابراهيم امال الله"),  # alef forms
    ("مستشفى", "مستشفي"),  # alef maksura
    ("المملكة", "المملكه"),  # teh marbuta
    ("کتاب یوم", "كتاب يوم"),  # Persian keheh and yeh
    ("٢٠١٥ ۱۹۹۰", "2015 1990"),  # Eastern digits, Arabic and Persian
    ("سلام\u200f", "سلام"),  # RLM
    ("CNN وBBC", "cnn وbbc"),  # Latin lowercased
    ("الرحمٰن", "الرحمن"),  # superscript alef
    ("ﻻ", "لا"),  # presentation form (NFKC)
]


@pytest.mark.parametrize("raw,expected", NORMALIZE)
def test_normalize(raw, expected):
    assert normalize(raw) == expected


STEMS = [
    # word, the stem a search for its base form must share
    ("الفلسطينيين", "فلسط"),
    ("فلسطين", "فلسط"),
    ("فلسطينيون", "فلسط"),
    ("السعودية", "سعود"),
    ("السعوديين", "سعود"),
    ("المعلمات", "معلم"),
    ("والمعلمون", "معلم"),
    ("بالكويت", "كويت"),
    ("والكويت", "كويت"),
    ("الانتخابات", "انتخاب"),
    ("انتخابات", "انتخاب"),
    ("ايران", "ايران"),
    ("الإيرانيون", "ايران"),  # two-letter suffix must leave 4 letters
    ("لبنان", "لبنان"),
    ("التعاون", "تعاون"),
]


@pytest.mark.parametrize("word,stem", STEMS)
def test_stem_shared_by_inflections(word, stem):
    assert stem in stem_variants(normalize(word))


@pytest.mark.parametrize("word,bare", [("بمصر", "مصر"), ("وبمصر", "مصر"), ("لغزه", "غزه"), ("كمصر", "مصر")])
def test_bare_proclitic_gives_second_variant(word, bare):
    variants = stem_variants(normalize(word))
    assert bare in variants and len(variants) == 2


@pytest.mark.parametrize("name", ["بيروت", "بريطانيا", "لندن"])
def test_names_starting_with_clitic_letters_keep_their_own_stem(name):
    assert stem_variants(normalize(name))[0] == normalize(name)


def test_stopwords_are_normalized_and_dropped_from_stems():
    assert "الي" in STOPWORDS and "علي" in STOPWORDS and "إلى" not in STOPWORDS
    analysis = analyze("ذهب إلى المدرسة في الصباح")
    assert analysis.exact == ["ذهب", "الي", "المدرسه", "في", "الصباح"]
    assert analysis.stem[1] == () and analysis.stem[3] == ()
    assert "مدرس" in analysis.stem_text().split()


def test_tokens_carry_offsets_into_the_original_text():
    text = "قال الرئيسُ: «مصرُ» ستُشارك، 2015!"
    tokens = list(tokenize(text))
    assert [text[t.start : t.end] for t in tokens] == ["قال", "الرئيسُ", "مصرُ", "ستُشارك", "2015"]
    assert [t.exact for t in tokens] == ["قال", "الرئيس", "مصر", "ستشارك", "2015"]


def test_punctuation_and_symbols_separate_words():
    assert analyze("السعودية/الإمارات-قطر،البحرين").exact == ["السعوديه", "الامارات", "قطر", "البحرين"]


def test_overlong_token_is_cut():
    assert len(analyze("ا" * 500).exact[0]) == 40


def test_empty_and_none():
    assert analyze(None).exact == [] and analyze("  ،،  ").exact == []
