"""Parse what a journalist types into an engine-neutral query.

Syntax (documented in the README): words (all must match in a short query), `"exact phrase"`
(also «…» and “…”), `A OR B`, `-word` / `-"phrase"` to exclude, `+word` to require a word in a
long query, `title:word` / `title:"phrase"` to search titles only. Anything else is text: the
parser never fails, whatever it is given.

Short queries mean all words (kind "keywords"; when few articles hold them all, the results add
the best partial matches, see search.query.partial). A question (an interrogative first, or a
question mark: kind "question") and a long natural-language query (LONG_QUERY_WORDS content words
or more, name particles not counted, no OR, -, + or field operators: kind "text") must not come
back empty because one word is missing, so their words become optional and hits are ranked by how
many match, with at least `minimum_should_match` of them (one, for a question). A keyword query
also ranks its words higher where they stand together (`proximity`: ranking only). Quotes in such
a text (pasted headlines are full of «quotes») make the phrase rank first without filtering on it:
measured on the dev set, treating them as filters cost 0.02 MRR@10 and left pasted headlines with
one hit.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field, replace

from search.arabic import analyze_query_word
from search.query import ranking

LONG_QUERY_WORDS = 5
# The connective words of Arabic names (normalized: آل is ال, أبو is ابو).
NAME_PARTICLES = frozenset({"بن", "بنت", "ابن", "ال", "ابو", "ابي", "ام", "عبد"})
MAX_QUERY_CHARS = 1000
MAX_CLAUSES = 64
FIELDS = ("title", "body")

_OPEN_QUOTES = '"«“„'
_CLOSE_FOR = {'"': '"', "«": "»", "“": "”", "„": "”"}
_CHUNK = re.compile(
    r"(?P<sign>[-+]?)(?:(?P<field>[A-Za-z]+):)?"
    r'(?:(?P<q>["«“„])(?P<phrase>[^"»”]*)["»”]?|(?P<word>[^\s"«»“”„]+))'
)


@dataclass(frozen=True, slots=True)
class Term:
    exact: str  # normalized surface form
    stems: tuple[str, ...]  # stem variants; empty for a stopword
    field: str | None = None  # "title" / "body" / None (both)
    typed: str = dataclasses.field(default="", compare=False)  # as the user wrote it, for messages

    @property
    def is_stopword(self) -> bool:
        return not self.stems


@dataclass(frozen=True, slots=True)
class Phrase:
    words: tuple[str, ...]  # normalized surface forms, in order
    field: str | None = None
    slop: int = 0  # gaps allowed between the words (proximity clauses)
    typed: str = dataclasses.field(default="", compare=False)


@dataclass(frozen=True, slots=True)
class AnyOf:
    options: tuple[Term | Phrase, ...]


Clause = Term | Phrase | AnyOf


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    must: tuple[Clause, ...] = ()  # every one must match
    should: tuple[Clause, ...] = ()  # at least `minimum_should_match` of these must match
    optional: tuple[Clause, ...] = ()  # ranking only (stopwords of the query)
    must_not: tuple[Clause, ...] = ()
    proximity: tuple[Phrase, ...] = ()  # ranking only: adjacent query words standing together
    minimum_should_match: int = 0  # of `should`; at least 1 when `must` is empty
    kind: str = "keywords"  # "keywords", "question" or "text" (pasted, sentence-like)
    # ranking only: the facet keys a keyword query would have as a person or an organization
    # («جون آلان» -> ("person", "جون-الن")): articles about it rank above those that mention it
    entities: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()  # what the parser changed, shown to the user
    highlight: frozenset[str] = field(default=frozenset())  # exact forms and stems to highlight

    @property
    def is_empty(self) -> bool:
        return not (self.must or self.should or self.optional)

    @property
    def all_words(self) -> bool:
        """A keyword query whose hits must hold each of two or more words or phrases."""
        return len(self.must) >= 2 and not self.should

    def relaxed(self, at_least: int = 1) -> ParsedQuery:
        """The same words, `at_least` of them enough: partial matches of an all-words query."""
        return replace(self, must=(), should=self.must, minimum_should_match=at_least, notes=())


def _clause_for(chunk_text: str, is_phrase: bool, field_name: str | None) -> Term | Phrase | None:
    tokens = analyze_query_word(chunk_text) if not is_phrase else []
    if is_phrase:
        for word in chunk_text.split():
            tokens.extend(analyze_query_word(word))
    if not tokens:
        return None
    if len(tokens) == 1 and not is_phrase:
        token = tokens[0]
        return Term(token.exact, token.stems, field_name, chunk_text)
    return Phrase(tuple(t.exact for t in tokens), field_name, typed=chunk_text)


def _highlight_forms(clauses) -> set[str]:
    forms: set[str] = set()
    for clause in clauses:
        if isinstance(clause, AnyOf):
            forms |= _highlight_forms(clause.options)
        elif isinstance(clause, Term):
            forms.add(clause.exact)
            forms.update(clause.stems)
        else:
            forms.update(clause.words)
    return forms


def parse(text: str | None) -> ParsedQuery:
    """Parse a user query. Never raises; an empty or all-punctuation query gives an empty query."""
    notes: list[str] = []
    text = (text or "").strip()
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        notes.append(f"query cut to {MAX_QUERY_CHARS} characters")
    positive: list[tuple[Clause, bool]] = []  # (clause, forced with +)
    negative: list[Clause] = []
    explicit = False
    pending_or = False
    for match in _CHUNK.finditer(text):
        sign, field_name = match.group("sign"), (match.group("field") or "").lower() or None
        is_phrase = match.group("q") is not None
        raw = match.group("phrase") if is_phrase else match.group("word")
        if field_name and field_name not in FIELDS:
            raw = f"{match.group('field')}:{raw}"  # not a field we know: plain text
            field_name = None
        if not is_phrase and not sign and not field_name and raw == "OR":
            pending_or = bool(positive)
            explicit = True
            continue
        chunk = _clause_for(raw, is_phrase, field_name)
        if chunk is None:
            pending_or = False
            continue
        explicit = explicit or bool(sign) or bool(field_name)
        if sign == "-":
            negative.append(chunk)
            pending_or = False
            continue
        if pending_or and positive:
            previous, forced = positive.pop()
            options = previous.options if isinstance(previous, AnyOf) else (previous,)
            positive.append((AnyOf(options + (chunk,)), forced or sign == "+"))
        else:
            positive.append((chunk, sign == "+"))
        pending_or = False

    if len(positive) + len(negative) > MAX_CLAUSES:
        positive = positive[:MAX_CLAUSES]
        negative = negative[: max(0, MAX_CLAUSES - len(positive))]
        notes.append(f"only the first {MAX_CLAUSES} words are used")

    must: list[Clause] = []
    should: list[Clause] = []
    optional: list[Clause] = []
    content = [c for c, _ in positive if not (isinstance(c, Term) and c.is_stopword)]
    only_stopwords = bool(positive) and not content
    question = not explicit and bool(content) and is_question(text, positive)
    # name particles do not make a query long: «سلمان بن عبدالعزيز آل سعود» is a name to match whole
    weight = sum(not (isinstance(c, Term) and c.exact in NAME_PARTICLES) for c in content)
    long_query = (weight >= LONG_QUERY_WORDS or question) and not explicit
    for clause, forced in positive:
        stop = isinstance(clause, Term) and clause.is_stopword
        if forced or (isinstance(clause, Phrase) and not long_query) or (stop and only_stopwords):
            must.append(clause)
        elif stop:
            optional.append(clause)
        elif long_query and isinstance(clause, Phrase):
            # in pasted text, quotes are typography as often as syntax: the phrase ranks first,
            # its words count like the other words of the query
            optional.append(clause)
            for word in clause.words:
                term = _clause_for(word, False, clause.field)
                if isinstance(term, Term):
                    (optional if term.is_stopword else should).append(term)
        elif long_query:
            should.append(clause)
        else:
            must.append(clause)
    # Proximity helps a keyword query (a name: «جون آلن» should mean the man, not two words apart);
    # in a question or a pasted headline, measured, it ranks the passages that repeat a name above
    # the one that answers (scripts/eval_retrieval.py: questions -0.02, headlines -0.01).
    proximity = () if long_query else _proximity_pairs(positive)
    msm = (QUESTION_MSM if question else minimum_should_match(len(should))) if should else 0
    return ParsedQuery(
        must=tuple(must),
        should=tuple(should),
        optional=tuple(optional),
        must_not=tuple(negative),
        proximity=proximity,
        minimum_should_match=msm,
        notes=tuple(notes),
        kind="question" if question else "text" if long_query else "keywords",
        entities=() if long_query or explicit else _entity_keys(positive),
        # in a question or pasted text its function words (من، هو، في) would be marked everywhere
        highlight=frozenset(
            _highlight_forms(must + should + [c for c in optional if not (long_query and isinstance(c, Term))])
        ),
    )


def _entity_keys(positive: list[tuple[Clause, bool]]) -> tuple[tuple[str, str], ...]:
    """The keys the indexer would give the query's words as a person's or an organization's name
    (the same canonical functions: titles and clitics stripped, spellings merged)."""
    terms = [c for c, _ in positive if isinstance(c, Term) and c.field is None]
    if len(terms) != len(positive) or len(terms) > MAX_NAME_WORDS or all(t.is_stopword for t in terms):
        return ()
    words = [t.typed for t in terms]
    from search.entities.canonical import display_name, entity_key  # the tagger's package, loaded once

    keys = []
    for kind in ("person", "org"):
        name = display_name(" ".join(words), kind)
        if name:
            keys.append((kind, entity_key(name, kind)))
    return tuple(keys)


MAX_PROXIMITY_PAIRS = 16
MAX_NAME_WORDS = 8


def _proximity_pairs(positive: list[tuple[Clause, bool]]) -> tuple[Phrase, ...]:
    """Each two consecutive content words of the query (stopwords between them widen the window):
    a document where they stand together is what «جون آلن» means, even without quotes."""
    pairs: list[Phrase] = []
    previous: Term | None = None
    gap = 0
    for clause, _ in positive:
        if isinstance(clause, Term) and clause.field is None and clause.is_stopword:
            gap += 1
            continue
        if isinstance(clause, Term) and clause.field is None:
            if previous is not None and previous.exact != clause.exact:
                pairs.append(Phrase((previous.exact, clause.exact), None, gap + ranking.PROXIMITY_SLOP))
            previous = clause
        else:
            previous = None
        gap = 0
    terms = [c for c, _ in positive if isinstance(c, Term) and c.field is None]
    if 2 < len(terms) == len(positive) <= MAX_NAME_WORDS:
        # the whole query as one phrase, its stopwords too: «سي إن إن», «وزارة الخارجية الأمريكية»
        pairs.insert(0, Phrase(tuple(t.exact for t in terms), None, ranking.PROXIMITY_SLOP))
    return tuple(dict.fromkeys(pairs))[:MAX_PROXIMITY_PAIRS]


QUESTION_MSM = 1
# Interrogatives (normalized) that open a question: من هو، ما هي، متى، أين، كيف، هل، لماذا، كم، أي…
INTERROGATIVES = frozenset(
    {
        "من",
        "ما",
        "ماذا",
        "متي",
        "اين",
        "كيف",
        "هل",
        "لماذا",
        "لما",
        "كم",
        "اي",
        "ماهو",
        "ماهي",
        "مامعني",
        "بكم",
        "لمن",
        "ممن",
        "مما",
        "الام",
        "علام",
        "فيم",
    }
)


def is_question(text: str, positive) -> bool:
    """A question: it has a question mark, or its first word is an interrogative."""
    if "؟" in text or "?" in text:
        return True
    first = positive[0][0] if positive else None
    return isinstance(first, Term) and first.exact in INTERROGATIVES


def minimum_should_match(content_words: int) -> int:
    """How many words of a long query a hit must contain: enough to stay on topic, never all."""
    return 1 if content_words < 1 else max(1, content_words // 3)
