"""The index job: read an archive, analyze it on every core, and upsert it into an engine.

Idempotent: a document is identified by its id (or a content hash when it has none) and carries a
hash of its content, so re-running on the same input writes nothing, and a changed article
replaces its old version. Bad input never stops the run: it is counted and written to a rejects
report with its file and line.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import os
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from threadpoolctl import threadpool_limits
from tqdm import tqdm

from search.document import build_document, document_id, has_entity_part, unchanged
from search.engines.base import Engine
from search.ingest import estimate_total, iter_records
from search.model import Article, Reject
from search.schema import ENTITY_FACETS
from search.stories import StoryAssigner

if TYPE_CHECKING:  # imported by the workers that extract entities, not with this module
    from search.entities import EntityExtractor

BATCH_SIZE = 200
COMMIT_EVERY = 10_000  # documents; each commit makes progress visible to the running web app


@dataclass
class IndexSummary:
    indexed: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    notices: int = 0
    seconds: float = 0.0
    report_path: str | None = None
    problems: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, origin, message)

    @property
    def read(self) -> int:
        return self.indexed + self.updated + self.unchanged

    def line(self) -> str:
        rate = self.read / self.seconds if self.seconds else 0.0
        text = (
            f"indexed {self.indexed:,}, updated {self.updated:,}, unchanged {self.unchanged:,}, "
            f"rejected {self.rejected:,} ({self.read:,} documents in {self.seconds:.1f} s, {rate:,.0f} docs/s)"
        )
        if self.notices:
            text += f"; {self.notices:,} notices"
        return text


# --- analysis workers -------------------------------------------------------------------------

_worker_extractor: EntityExtractor | None = None


def _init_worker(with_entities: bool) -> None:
    global _worker_extractor
    _worker_extractor = _load_extractor() if with_entities else None
    # One BLAS thread per worker: the workers already use every core, and BLAS threads in each
    # would contend (2.5x slower indexing on 2 cores). Set after loading the extractor, which is
    # what loads numpy's BLAS when the parent has not: a limit only reaches loaded libraries.
    threadpool_limits(1)
    gc.freeze()  # the loaded model and tables are never garbage: keep them out of collections


@contextmanager
def few_collections() -> Iterator[None]:
    """Analysis fills large caches (token features, normalized forms) that never become garbage,
    and with the default thresholds the cyclic collector re-scans them over and over: about a
    tenth of the indexing time. Collect less often while the job runs (the workers inherit it)."""
    before = gc.get_threshold()
    gc.set_threshold(50_000, 20, 20)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _load_extractor() -> EntityExtractor | None:
    try:
        from search.entities import make_extractor
    except ImportError:
        return None
    return make_extractor()


def _check_entity_model() -> None:
    """Refuse a tagger model trained with another Arabic analysis here, in the parent: raised in
    a worker's initializer, the error would make the pool start workers forever."""
    try:
        from search.entities.tagger import Tagger
    except ImportError:
        return
    Tagger.check_model()


def _facets_of_an_older_version(engine: Engine, doc_id: str, stored: str) -> bool:
    """A run without entities meets an article whose stored hash has no entity part, but which
    has facets: an index built before document version 3, whose hashes cannot tell its text
    apart. Rewriting it would drop its countries, people and organizations, so it is kept."""
    if has_entity_part(stored):
        return False
    found = engine.get(doc_id)
    return found is not None and any(found.get(facet) for facet in ENTITY_FACETS)


def _analyze_batch(articles: list[Article]) -> list[dict]:
    if _worker_extractor is None:
        return [build_document(article) for article in articles]
    entities = _worker_extractor.extract_batch(articles)
    return [build_document(article, entities=found) for article, found in zip(articles, entities, strict=True)]


def _batches(records: Iterable[Article | Reject], summary: IndexSummary) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for record in records:
        if isinstance(record, Reject):
            summary.rejected += 1
            summary.problems.append(("rejected", record.origin, record.reason))
            continue
        record.id = document_id(record)
        for note in record.notes:
            summary.notices += 1
            summary.problems.append(("notice", record.origin, note))
        batch.append(record)
        if len(batch) >= BATCH_SIZE:
            yield batch
            batch = []
    if batch:
        yield batch


# --- the job ----------------------------------------------------------------------------------


@few_collections()
def run_index(
    engine: Engine,
    paths: list[str],
    *,
    workers: int | None = None,
    with_entities: bool = True,
    report_dir: Path | None = None,
    progress: bool = True,
    max_body_chars: int = 100_000,
) -> IndexSummary:
    summary = IndexSummary()
    started = time.perf_counter()
    workers = workers or max(1, min(os.cpu_count() or 1, 4))
    total = estimate_total(paths)
    bar = tqdm(total=total, unit="docs", desc="indexing", disable=not progress, smoothing=0.1, dynamic_ncols=True)
    batches = _batches(iter_records(paths, max_body_chars=max_body_chars), summary)
    since_commit = 0
    seen_in_run: dict[str, str] = {}
    labels: dict[str, Counter] = {}  # id -> hash written in this run (not yet visible to searchers)
    if with_entities:
        _check_entity_model()
    ctx = mp.get_context("fork")
    analyzed: Iterator[list[dict]]
    if workers > 1:
        pool = ctx.Pool(workers, initializer=_init_worker, initargs=(with_entities,))
        analyzed = pool.imap(_analyze_batch, batches, chunksize=1)
    else:
        pool = None
        _init_worker(with_entities)
        analyzed = map(_analyze_batch, batches)
    upsert_rejects = shown_refused = 0  # the bar counts records read, refused ones included
    # stories are assigned here, in input order, whatever the workers' scheduling: stable keys.
    # An engine that cannot look up stories (scripts/parity.py's pair of engines) gets them from
    # this run alone.
    stories = StoryAssigner(engine if hasattr(engine, "story_docs") else None)
    kept_older = 0
    try:
        for docs in analyzed:
            known = engine.existing_hashes([d["id"] for d in docs])
            changed = []
            for doc in docs:
                for ref, name in doc.pop("_labels", {}).items():
                    labels.setdefault(ref, Counter())[name] += 1
                previous = seen_in_run.get(doc["id"], known.get(doc["id"]))
                if previous is None:
                    summary.indexed += 1
                    changed.append(doc)
                elif unchanged(previous, doc["hash"]):
                    summary.unchanged += 1
                elif not with_entities and _facets_of_an_older_version(engine, doc["id"], previous):
                    summary.unchanged += 1
                    kept_older += 1
                else:
                    summary.updated += 1
                    changed.append(doc)
                seen_in_run[doc["id"]] = doc["hash"]
            stories.assign(changed)
            for doc_id, reason in engine.upsert(changed):
                summary.rejected += 1
                upsert_rejects += 1
                summary.problems.append(("rejected", doc_id, reason))
            since_commit += len(changed)
            if since_commit >= COMMIT_EVERY:
                engine.commit()
                stories.committed()
                since_commit = 0
            refused = summary.rejected - upsert_rejects  # at reading, counted by _batches
            bar.update(len(docs) + refused - shown_refused)
            shown_refused = refused
            bar.set_postfix(
                new=summary.indexed, upd=summary.updated, same=summary.unchanged, rej=summary.rejected, refresh=False
            )
        bar.update(summary.rejected - upsert_rejects - shown_refused)  # refused after the last batch
        if kept_older:
            summary.notices += 1
            message = (
                f"{kept_older:,} articles indexed with entities by an older version were left as they are "
                "(this run, without entities, cannot tell whether their text changed): run `arshif index` "
                "once with entities to update them"
            )
            summary.problems.append(("notice", "index", message))
    finally:
        if pool is not None:
            pool.terminate()
        if labels:
            engine.save_entity_labels({ref: names.most_common(1)[0][0] for ref, names in labels.items()})
        engine.commit()
        bar.close()
    summary.seconds = time.perf_counter() - started
    if summary.problems and report_dir is not None:
        summary.report_path = str(write_report(summary, report_dir))
    return summary


def write_report(summary: IndexSummary, report_dir: Path) -> Path:
    """A tab-separated report: kind, origin (file:line), message. One line per problem."""
    report_dir.mkdir(parents=True, exist_ok=True)
    path = report_dir / time.strftime("rejects-%Y%m%d-%H%M%S.tsv")
    with path.open("w", encoding="utf-8") as out:
        out.write("kind\torigin\tmessage\n")
        for kind, origin, message in summary.problems:
            clean = message.replace("\t", " ").replace("\n", " ")
            out.write(f"{kind}\t{origin}\t{clean}\n")
    return path
