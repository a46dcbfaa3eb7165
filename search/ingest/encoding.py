"""Bytes to text for archives of mixed age: UTF-8 first, then Windows-1256, then a detector.

Older Arabic archives are often Windows-1256 (CP1256). Every byte is valid CP1256, so a
successful decode proves nothing; instead the result must be mostly Arabic letters. Checked
against charset-normalizer, which also picks cp1256 for such text but costs milliseconds per
call and is therefore only the fallback for data that is neither UTF-8 nor Arabic CP1256.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import charset_normalizer

SAMPLE_BYTES = 8192
_CONTROL_BYTES = bytes([*range(9), *range(14, 32), 127])  # no tab, newlines, form feed
_NON_TEXT = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ufffd]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_ARABIC_SHARE = 0.8  # of non-ASCII characters, for a CP1256 decode to count as Arabic
_NON_TEXT_SHARE = 0.05  # above this share of control/replacement characters: binary
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# What UTF-16 text of an Arabic archive is made of: ASCII, Latin-1, Arabic (with its
# presentation forms) and general punctuation. Binary data read as UTF-16 is mostly CJK.
_UTF16_TEXT = re.compile(
    "[\t\n\r\x20-\x7e\xa0-\xff\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\u2000-\u206f\ufb50-\ufdff\ufe70-\ufeff]"
)
_UTF16_TEXT_SHARE = 0.95


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str

    @property
    def note(self) -> str | None:
        """The remark an article carries when its text was not Unicode-encoded."""
        if self.encoding in ("utf-8", "utf-16"):
            return None
        if self.encoding == "replace":
            return "undecodable bytes replaced"
        return f"decoded as {self.encoding}"


def has_utf16_bom(data: bytes) -> bool:
    return data.startswith(_UTF16_BOMS)


def looks_binary(sample: bytes) -> bool:
    """NUL or many control bytes in the sample (do not call on UTF-16, which is full of NULs)."""
    if not sample:
        return False
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > _NON_TEXT_SHARE * len(sample)


def utf16_without_bom(sample: bytes) -> str | None:
    """ "utf-16-le" or "utf-16-be" when `sample` (a file's first bytes, no byte-order mark) reads
    as text in that byte order, else None. Only asked of data with NUL bytes, which UTF-8 text
    never has and UTF-16 text of ASCII or Arabic always has."""
    sample = sample[: SAMPLE_BYTES // 2 * 2][: len(sample) // 2 * 2]
    if b"\x00" not in sample:
        return None
    for encoding in ("utf-16-le", "utf-16-be"):
        text = sample.decode(encoding, errors="replace")
        if text and len(_UTF16_TEXT.findall(text)) >= _UTF16_TEXT_SHARE * len(text):
            return encoding
    return None


def decode(data: bytes, declared: str | None = None) -> Decoded | None:
    """The text of `data`, or None when it is binary. `declared` is a charset the file names."""
    if has_utf16_bom(data):
        return _unless_binary(Decoded(data.decode("utf-16", errors="replace"), "utf-16"))
    if utf16 := utf16_without_bom(data[:SAMPLE_BYTES]):
        return _unless_binary(Decoded(data.decode(utf16, errors="replace"), utf16))
    if looks_binary(data[:SAMPLE_BYTES]):
        return None
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    for candidate in (_declared(data, declared), _arabic_cp1256(data), _detected(data)):
        if candidate:
            return _unless_binary(candidate)
    return _unless_binary(Decoded(data.decode("utf-8", errors="replace"), "replace"))


def _declared(data: bytes, declared: str | None) -> Decoded | None:
    if not declared:
        return None
    try:
        name = codecs.lookup(declared).name
        return Decoded(data.decode(name), name)
    except (LookupError, UnicodeDecodeError):
        return None


def _arabic_cp1256(data: bytes) -> Decoded | None:
    text = data.decode("cp1256")
    sample = text[:65536]
    non_ascii = len(_NON_ASCII.findall(sample))
    if non_ascii and len(_ARABIC.findall(sample)) >= _ARABIC_SHARE * non_ascii:
        return Decoded(text, "cp1256")
    return None


def _detected(data: bytes) -> Decoded | None:
    best = charset_normalizer.from_bytes(data).best()
    return Decoded(str(best), best.encoding) if best else None


def _unless_binary(decoded: Decoded) -> Decoded | None:
    sample = decoded.text[:SAMPLE_BYTES]
    if sample and len(_NON_TEXT.findall(sample)) > _NON_TEXT_SHARE * len(sample):
        return None
    return decoded
