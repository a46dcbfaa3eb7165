"""Editors' changes to the overrides file, one at a time: checked, written whole, and recorded.

Each change (merge A into B, undo a merge, rename, give an English label, block, unblock, refuse a
suggested merge) is applied to the file as it is on disk under a lock, the result is checked like
any overrides file (search.entities.overrides.parse_overrides) and replaces the old one at once
(a reader never sees half a file). One JSON line per change goes to the history beside it
(`entity_overrides.history.jsonl`): when, who, what, and the value it replaced.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from search.entities.overrides import OverridesError, forget_loaded, is_ref, overrides_path, parse_overrides

ACTIONS = ("merge", "unmerge", "rename", "label_en", "block", "unblock", "reject")
MAX_LABEL = 200


class EditError(ValueError):
    """A change that cannot be made as asked; the message says why, for the editor, in Arabic, and
    `detail` (the file checker's words: a file name, a line, JSON) is shown apart, left to right."""

    def __init__(self, message: str, detail: str = ""):
        super().__init__(f"{message} {detail}".strip())
        self.message, self.detail = message, detail


@dataclass(frozen=True)
class Edit:
    action: str  # one of ACTIONS
    ref: str  # "kind:key" the change is about
    value: str = ""  # merge/reject: the other "kind:key"; rename/label_en: the label ("" removes it)


def history_path(path: Path | None = None) -> Path:
    path = path or overrides_path()
    return path.with_name(path.stem + ".history.jsonl")


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """One writer at a time, across the web app's worker processes."""
    with open(path.with_name(path.name + ".lock"), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def printable_text(text: str | None) -> str:
    """What an editor typed, as one line: characters that do not print dropped, spaces collapsed."""
    return " ".join("".join(c for c in (text or "") if c.isprintable()).split())


def _clean_label(text: str) -> str:
    label = printable_text(text)
    if len(label) > MAX_LABEL:
        raise EditError(f"الاسم أطول من {MAX_LABEL} حرفًا")
    return label


def _change(data: dict[str, Any], edit: Edit) -> Any:
    """Apply `edit` to the file's sections in place; the value it replaced (for the history)."""
    kind = edit.ref.split(":", 1)[0]
    if edit.action in ("merge", "reject"):
        if edit.value.split(":", 1)[0] != kind or edit.value == edit.ref:
            raise EditError(f"لا يُدمج «{edit.ref}» إلا في قيمة من النوع نفسه ({kind})")
    if edit.action == "merge":
        merge = data.setdefault("merge", {})
        before = merge.get(edit.ref)
        merge[edit.ref] = edit.value
        # a value merged into `edit.ref` follows it; B merged into A undone, not a cycle
        for source, target in list(merge.items()):
            if target == edit.ref:
                merge[source] = edit.value
        if merge.get(edit.value) == edit.ref:
            del merge[edit.value]
        return before
    if edit.action == "unmerge":
        return data.get("merge", {}).pop(edit.ref, None)
    if edit.action in ("rename", "label_en"):
        section = data.setdefault(edit.action, {})
        before = section.get(edit.ref)
        label = _clean_label(edit.value)
        if label:
            section[edit.ref] = label
        else:
            section.pop(edit.ref, None)
        return before
    if edit.action == "block":
        block = data.setdefault("block", [])
        if edit.ref in block:
            return True
        block.append(edit.ref)
        return False
    if edit.action == "unblock":
        block = data.get("block", [])
        if edit.ref not in block:
            return False
        block.remove(edit.ref)
        return True
    if edit.action == "reject":
        pair = [edit.ref, edit.value]
        rejected = data.setdefault("rejected", [])
        if pair not in rejected:
            rejected.append(pair)
        return None
    raise EditError(f"تغيير غير معروف «{edit.action}»")


def apply_edit(edit: Edit, who: str, path: Path | None = None) -> None:
    """Make one change to the overrides file and record it. EditError when the change is not
    possible (a broken file on disk is never overwritten: an editor fixes it first)."""
    path = path or overrides_path()
    if edit.action not in ACTIONS:
        raise EditError(f"تغيير غير معروف «{edit.action}»")
    for ref in (edit.ref, *([edit.value] if edit.action in ("merge", "reject") else [])):
        if not is_ref(ref):
            raise EditError(f"«{ref}» ليست قيمة من الأشخاص أو المنظمات")
    with _locked(path):
        text = path.read_text(encoding="utf-8") if path.exists() else "{}"
        try:
            data = parse_overrides(text, path.name)
        except OverridesError as error:
            raise EditError("ملف التصحيحات معطوب، أصلحه أولًا:", str(error)) from None
        before = _change(data, edit)
        new_text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        try:
            parse_overrides(new_text, path.name)
        except OverridesError as error:
            raise EditError("لم يُحفظ التغيير لأنه يُفسد ملف التصحيحات:", str(error)) from None
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_text(new_text, encoding="utf-8")
        os.replace(temporary, path)
        record = {
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
            "who": who,
            "action": edit.action,
            "ref": edit.ref,
            "value": edit.value,
            "before": before,
        }
        with history_path(path).open("a", encoding="utf-8") as history:
            history.write(json.dumps(record, ensure_ascii=False) + "\n")
    forget_loaded()


def read_history(limit: int = 50, path: Path | None = None) -> list[dict[str, Any]]:
    """The last `limit` changes, newest first (lines that do not parse are skipped)."""
    target = history_path(path)
    if not target.exists():
        return []
    records = []
    for line in target.read_text(encoding="utf-8").splitlines()[-limit:]:
        try:
            records.append(json.loads(line))
        except ValueError:
            continue
    return records[::-1]
