"""Merges suggested to editors: short forms of a person's name that stand for one full name."""

import pytest

from search.entities.merge_suggestions import suggest_merges


def _pairs(counts, **kw):
    return {(s.short, s.full) for s in suggest_merges(counts, **kw)}


def test_surnames_and_names_without_their_nasab_point_to_the_full_name():
    counts = {
        "الباجي-قايد-السبسي": 58,
        "قايد-السبسي": 32,
        "السبسي": 31,
        "عبدالله-بن-عبدالعزيز-الربيعه": 92,
        "عبدالله-الربيعه": 71,
        "مشعل-بن-ماجد-بن-عبدالعزيز": 58,
        "مشعل-بن-ماجد": 30,
    }
    assert _pairs(counts) == {
        ("قايد-السبسي", "الباجي-قايد-السبسي"),
        ("السبسي", "الباجي-قايد-السبسي"),
        ("عبدالله-الربيعه", "عبدالله-بن-عبدالعزيز-الربيعه"),
        ("مشعل-بن-ماجد", "مشعل-بن-ماجد-بن-عبدالعزيز"),
    }


def test_no_merge_when_the_short_form_is_shared_or_names_someone_else():
    counts = {
        # a tribal surname many people carry
        "سالم-الدوسري": 69,
        "عبدالعزيز-الدوسري": 46,
        "سعود-الدوسري": 39,
        "الدوسري": 40,
        # the father: «عبدالعزيز آل سعود» in «سلمان بن عبدالعزيز آل سعود»
        "سلمان-بن-عبدالعزيز-ال-سعود": 1498,
        "عبدالعزيز-ال-سعود": 22,
        # a full name seen 3 times does not explain a short one seen 122 times
        "سعود-بن-خالد-الفيصل": 3,
        "سعود-الفيصل": 122,
        # a first name and a father's name
        "احمد-بن-علي": 10,
        "احمد-علي": 32,
        # a common first name alone
        "محمد-بن-سلمان": 573,
        "محمد": 60,
    }
    assert _pairs(counts) == set()


@pytest.mark.slow
def test_the_command_lists_the_merges_of_an_index(tmp_path):
    """`arshif entities --suggest-merges` on a real index: articles that name the Tunisian
    president in full and articles that call him by his surname only."""
    from test_indexer import arshif, write_jsonl

    archive, index = tmp_path / "a.jsonl", tmp_path / "index"
    full = "وقال الرئيس التونسي الباجي قايد السبسي إن الحكومة ستواصل الإصلاحات الاقتصادية."
    short = "واستقبل السبسي في قصر قرطاج وفدا من رجال الأعمال. وقال السبسي إن تونس ترحب بالمستثمرين."
    write_jsonl(
        archive,
        [{"id": f"f{i}", "title": "", "body": full} for i in range(4)]
        + [{"id": f"s{i}", "title": "", "body": short} for i in range(2)],
    )
    assert arshif("index", "-q", "--index", str(index), str(archive)).returncode == 0
    listed = arshif("entities", "--suggest-merges", "--index", str(index))
    assert listed.returncode == 0, listed.stderr
    assert '2\t"person:السبسي": "person:الباجي-قايد-السبسي",' in listed.stdout
