"""The best partial matches of an all-words query, and the words each of them lacks.

A short keyword query means every word («النفط السعودية أرامكو»), so its count can be trusted. When
few or no articles hold them all, a journalist should not meet a dead end: the page then lists,
after the real matches and apart from them, the articles that hold most of the words, each marked
with the words it lacks. The count stays that of the articles with every word.

Which words a document lacks is read from the document itself, with the same analysis and the
same matching rules as the engines (a word matches its exact form or one of its stems; a phrase
matches consecutive exact forms), so both engines give the same answer.
"""

from __future__ import annotations

from search.arabic import Analysis, analyze
from search.query.parser import AnyOf, Clause, ParsedQuery, Phrase, Term

PARTIAL_BELOW = 10  # offer partial matches when fewer articles than this hold every word
PARTIAL_SIZE = 10  # how many partial matches a page shows


def wants_partial(query: ParsedQuery | None, total: int) -> bool:
    return query is not None and query.all_words and total < PARTIAL_BELOW


def _fields(doc: dict, field: str | None) -> list[Analysis]:
    names = (field,) if field else ("title", "body")
    return [analyze(doc.get(name) or "") for name in names]


def _in(clause: Clause, analyses: dict[str | None, list[Analysis]], doc: dict) -> bool:
    if isinstance(clause, AnyOf):
        return any(_in(option, analyses, doc) for option in clause.options)
    fields = analyses.get(clause.field)
    if fields is None:  # each field analysed once per document, whatever the number of clauses
        fields = analyses[clause.field] = _fields(doc, clause.field)
    if isinstance(clause, Term):
        stems = set(clause.stems)
        return any(clause.exact in a.exact or any(stems.intersection(s) for s in a.stem) for a in fields)
    n = len(clause.words)
    return any(tuple(a.exact[i : i + n]) == clause.words for a in fields for i in range(len(a.exact) - n + 1))


def _typed(clause: Clause) -> str:
    if isinstance(clause, AnyOf):
        return " OR ".join(_typed(option) for option in clause.options)
    if isinstance(clause, Phrase):
        return clause.typed or " ".join(clause.words)
    return clause.typed or clause.exact


def missing_words(query: ParsedQuery, doc: dict) -> list[str]:
    """The required words or phrases of `query` that `doc` does not hold, as the user typed them."""
    analyses: dict[str | None, list[Analysis]] = {}
    return [_typed(clause) for clause in query.must if not _in(clause, analyses, doc)]


def share_held(query: ParsedQuery, doc: dict) -> float:
    """The share of the query's words and phrases (required or ranked) that `doc` holds."""
    clauses = query.must + query.should
    analyses: dict[str | None, list[Analysis]] = {}
    return sum(_in(c, analyses, doc) for c in clauses) / len(clauses) if clauses else 0.0
