"""The query parser and the URL <-> state round trip."""

import pytest

from search.query.parser import LONG_QUERY_WORDS, AnyOf, Phrase, Term, parse
from search.query.state import MAX_PAGE, MAX_SIZE, SearchState


def exacts(clauses):
    return [c.exact if isinstance(c, Term) else c.words if isinstance(c, Phrase) else "OR" for c in clauses]


def test_short_query_means_all_words():
    q = parse("النفط السعودية")
    assert exacts(q.must) == ["النفط", "السعوديه"] and not q.should


def test_stopwords_only_rank_in_a_short_query():
    q = parse("النفط في السعودية")
    assert exacts(q.must) == ["النفط", "السعوديه"] and exacts(q.optional) == ["في"]


def test_only_stopwords_are_required_when_nothing_else_is_typed():
    assert exacts(parse("في").must) == ["في"]


def test_long_query_ranks_by_matches_with_a_floor():
    q = parse("منظمة التعاون الإسلامي تستنكر تصريحات المالكي ضد المملكة")
    assert not q.must and len(q.should) == 7 and exacts(q.optional) == ["ضد"]
    assert 1 <= q.minimum_should_match < len(q.should)


def test_quotes_in_a_pasted_headline_rank_rather_than_filter():
    q = parse("«تعليم الرياض» تودع سفيرات الحزم بليلة نجدية")
    assert not q.must and Phrase(("تعليم", "الرياض")) in q.optional
    assert {"تعليم", "الرياض"} <= {c.exact for c in q.should}
    assert len(q.should) >= LONG_QUERY_WORDS
    # in a short query the same quotes are a filter
    assert parse("«تعليم الرياض» نجدية").must[0] == Phrase(("تعليم", "الرياض"))


def test_phrase_with_any_quote_style():
    for text in ('"ولي العهد"', "«ولي العهد»", "“ولي العهد”"):
        assert parse(text).must == (Phrase(("ولي", "العهد")),)


def test_or_groups_neighbours():
    q = parse("سوريا OR العراق إيران")
    assert isinstance(q.must[0], AnyOf) and exacts(q.must[0].options) == ["سوريا", "العراق"]
    assert exacts(q.must[1:]) == ["ايران"]


def test_exclusion_and_field():
    q = parse('داعش -سوريا -"الأمم المتحدة" title:العراق')
    assert exacts(q.must) == ["داعش", "العراق"] and q.must[1].field == "title"
    assert exacts(q.must_not) == ["سوريا", ("الامم", "المتحده")]


def test_explicit_operators_keep_long_queries_strict():
    q = parse("+مصر منظمة التعاون الإسلامي تستنكر تصريحات")
    assert len(q.must) == 6 and not q.should


def test_unknown_field_is_text():
    q = parse("foo:bar")
    assert q.must == (Phrase(("foo", "bar")),)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        '"',
        "«",
        "-",
        "OR",
        "OR OR",
        "title:",
        '-""',
        "()",
        "*",
        "\x00",
        "ا" * 5000,
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        'title:"unterminated',
    ],
)
def test_parser_never_fails(text):
    q = parse(text)
    # whatever it is given, a query it can send: no empty phrase or word, at most MAX_CLAUSES parts
    clauses = q.must + q.should + q.optional + q.must_not
    assert len(clauses) <= 64
    assert all((c.exact if isinstance(c, Term) else c.words if isinstance(c, Phrase) else c.options) for c in clauses)


def test_highlight_forms_include_stems():
    assert {"الفلسطينيين", "فلسط"} <= parse("الفلسطينيين").highlight


# --- URL <-> state -------------------------------------------------------------------------


def state(**args):
    return SearchState.from_args({k: v if isinstance(v, list) else [v] for k, v in args.items()})


def test_canonical_url_is_sorted_and_stable():
    a = SearchState.from_args({"source": ["Okaz", "Al-Riyadh"], "q": ["مصر"], "country": ["SY"]})
    b = SearchState.from_args({"country": ["SY"], "q": ["  مصر "], "source": ["Al-Riyadh", "Okaz", "Okaz"]})
    assert a.url() == b.url()
    assert a.query_string().split("&")[:3] == ["country=SY", "q=%D9%85%D8%B5%D8%B1", "source=Al-Riyadh"]


@pytest.mark.parametrize(
    "qs",
    [
        {
            "q": ["مصر"],
            "source": ["Okaz"],
            "not_country": ["IQ"],
            "from": ["2015-07-01"],
            "to": ["2015-07-31"],
            "sort": ["newest"],
            "page": ["3"],
        },
        {"year": ["2015", "2016"], "month": ["2015-07"]},
        {"q": ['"ولي العهد" -سوريا']},
        {},
    ],
)
def test_round_trip(qs):
    first = SearchState.from_args(qs)
    again = SearchState.from_args({k: [v for kk, v in first.params() if kk == k] for k, _ in first.params()})
    assert again == first and again.url() == first.url()


def test_defaults_are_left_out():
    assert state(q="مصر", sort="relevance", page="1", size="20").url() == "/search?q=%D9%85%D8%B5%D8%B1"
    assert state(sort="newest").url() == "/search"


def test_malformed_parameters_are_ignored_or_clamped_with_a_note():
    s = state(page="-4", size="100000", sort="random", year="20x5", month="2015-7", to="not-a-date", foo="1")
    assert s.page == 1 and s.size == MAX_SIZE and s.sort is None and s.filters == () and s.date_to is None
    assert len(s.notes) == 7
    assert state(page="999999").page == MAX_PAGE


def test_partial_dates_cover_their_period():
    s = state(**{"from": "2015-02", "to": "2016-02"})
    assert (s.date_from, s.date_to) == ("2015-02-01", "2016-02-29")
    s = state(**{"from": "2016", "to": "2015"})
    assert (s.date_from, s.date_to) == ("2015-01-01", "2016-12-31") and s.notes


def test_transitions_reset_paging_and_move_values_between_select_and_exclude():
    s = state(q="مصر", source="Okaz", page="4")
    assert s.with_value("source", "Al-Riyadh").page == 1
    excluded = s.with_exclusion("source", "Okaz")
    assert excluded.selected("source") == () and excluded.excluded("source") == ("Okaz",)
    assert excluded.with_value("source", "Okaz").excluded("source") == ()
    assert s.without_value("source", "Okaz").url() == "/search?q=%D9%85%D8%B5%D8%B1"
    assert s.without_filters().url() == "/search?q=%D9%85%D8%B5%D8%B1"


def test_request_carries_the_state():
    request = state(q="مصر", country="EG", not_source="Okaz", page="2").to_request()
    assert request.offset == 20 and request.size == 20 and request.sort == "relevance"
    assert request.filters == (("country", ("EG",)),) and request.excludes == (("source", ("Okaz",)),)
    assert state().to_request().sort == "newest" and state().to_request().browsing


@pytest.mark.parametrize(
    "qs",
    [
        {},
        {"q": ["مصر"], "source": ["A", "B"], "not_source": ["C"], "page": ["3"], "sort": ["oldest"], "country": ["EG"]},
        {"source": ["A"], "not_source": ["C"], "year": ["2015"]},
        {
            "person": ["جون-كيري"],
            "not_person": ["ب"],
            "org": ["الامم-المتحده"],
            "not_country": ["US", "FR"],
            "year": ["2015"],
            "from": ["2015-01-01"],
        },
    ],
)
@pytest.mark.parametrize("facet", ["source", "country", "person", "org", "year", "month"])
def test_fast_facet_links_equal_the_state_transitions(qs, facet):
    s = SearchState.from_args(qs)
    links = s.facet_links(facet)
    for key in ("A", "B", "C", "D", "ج د", "EG", "US", "جون-كيري", "ب", "2015", "x&y=z"):
        toggle = s.without_value(facet, key) if key in s.selected(facet) else s.with_value(facet, key)
        exclude = s.without_exclusion(facet, key) if key in s.excluded(facet) else s.with_exclusion(facet, key)
        assert links(key) == (toggle.url(), exclude.url())


# --- query understanding: questions, names, proximity, partial matches ---------------------------


@pytest.mark.parametrize(
    "text",
    [
        "من هو جمال أحمد حمزة خاشقجي؟",
        "- متى ولد جمال خاشقجي",
        "كم عدد سكان مصر",
        "ما عاصمة فرنسا?",
        "هل تنخفض أسعار النفط",
    ],
)
def test_a_question_is_ranked_not_all_words(text):
    """A question of a few words must not lose the passage that lacks one of them."""
    q = parse(text)
    assert q.kind == "question" and not q.must and q.should and q.minimum_should_match == 1


def test_a_keyword_query_that_starts_with_a_preposition_is_not_a_question():
    assert parse("في الدوحة المفاوضات").kind == "keywords"


def test_a_long_name_is_matched_whole_not_as_pasted_text():
    """Name particles (بن، آل، أبو، عبد) do not make a name a five-word headline."""
    q = parse("سلمان بن عبدالعزيز آل سعود")
    assert q.kind == "keywords" and len(q.must) == 5 and not q.should
    assert parse("منظمة التعاون الإسلامي تستنكر تصريحات المالكي").kind == "text"


def test_adjacent_words_of_a_keyword_query_rank_as_phrases():
    q = parse("وزارة الخارجية الأمريكية")
    assert Phrase(("وزاره", "الخارجيه", "الامريكيه")) in q.proximity  # the whole query
    assert Phrase(("وزاره", "الخارجيه")) in q.proximity  # each pair of neighbours
    assert Phrase(("الخارجيه", "الامريكيه")) in q.proximity
    # a stopword between two words widens the window by one
    assert parse("الحرب في سوريا").proximity[-1] == Phrase(("الحرب", "سوريا"), None, 1)
    # stopwords belong to a name typed whole: «سي إن إن»
    assert Phrase(("سي", "ان", "ان")) in parse("سي إن إن").proximity


def test_no_proximity_in_questions_or_pasted_text():
    assert not parse("من هو جمال خاشقجي؟").proximity
    assert not parse("منظمة التعاون الإسلامي تستنكر تصريحات المالكي ضد المملكة").proximity


def test_relaxed_query_needs_some_of_the_words():
    q = parse('النفط "ولي العهد" أرامكو')
    assert q.all_words
    relaxed = q.relaxed(2)
    assert not relaxed.must and relaxed.should == q.must and relaxed.minimum_should_match == 2
    assert not parse("النفط").all_words and not parse("النفط OR الغاز").all_words


def test_missing_words_are_read_from_the_document_as_the_engines_match():
    from search.query.partial import missing_words, share_held

    q = parse('النفط السعودية "ولي العهد" أرامكو')
    doc = {"title": "السعوديون يترقبون", "body": "قال ولي  في مصر العهد إن النفطي"}
    assert missing_words(q, doc) == ["ولي العهد", "أرامكو"]  # as typed; the phrase is broken up
    assert missing_words(q, {"title": "", "body": "وبأرامكو ولي العهد السعودية والنفط"}) == []
    assert share_held(q, doc) == 0.5


def test_a_keyword_query_carries_the_keys_it_would_have_as_a_name():
    """The indexer's own canonical key: titles stripped, spellings merged (آلان / آلن)."""
    assert ("person", "جون-الن") in parse("الجنرال جون آلان").entities
    assert parse("جون آلن").entities[0] == parse("جون آلان").entities[0] == ("person", "جون-الن")
    assert ("org", "وزاره-الخارجيه") in parse("وزارة الخارجية").entities
    assert not parse("في").entities and not parse("من هو جون آلن؟").entities
    assert not parse("جون -آلن").entities


def test_function_words_of_a_question_are_not_highlighted():
    assert {"خاشقجي", "جمال"} <= parse("من هو جمال خاشقجي؟").highlight
    assert not {"من", "هو"} & parse("من هو جمال خاشقجي؟").highlight
    assert "في" in parse("في الدوحة").highlight  # typed as a keyword, it is marked
