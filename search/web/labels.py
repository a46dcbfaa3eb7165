"""Human labels for facet keys (Arabic first, English where known)."""

from __future__ import annotations

from functools import lru_cache

AR_MONTHS = (
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
)
EN_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# The corpus' categories are each source's own English labels; these are their Arabic names.
CATEGORY_AR = {
    "culture": "ثقافة",
    "economy": "اقتصاد",
    "politic": "سياسة",
    "politics": "سياسة",
    "sport": "رياضة",
    "sports": "رياضة",
    "society": "مجتمع",
    "technology": "تكنولوجيا",
    "science": "علوم",
    "religion": "دين",
    "internationalNews": "أخبار دولية",
    "localNews": "أخبار محلية",
    "diverse": "منوعات",
    "science-technology": "علوم وتكنولوجيا",
    "tamazight": "أمازيغية",
}


@lru_cache(maxsize=1)
def _country_labels():
    try:
        from search.entities.countries import country_labels
    except ImportError:
        return None
    return country_labels


def facet_label(
    facet: str, key: str, entity_labels: dict[str, str] | None = None, overrides=None
) -> tuple[str, str | None]:
    """(Arabic label, English label or None) for one facet value. A caller labelling many person
    or organization values passes `overrides` (load_overrides(), read once for all of them)."""
    if facet == "month" and len(key) == 7:
        year, month = key[:4], int(key[5:7])
        if 1 <= month <= 12:
            return f"{AR_MONTHS[month - 1]} {year}", f"{EN_MONTHS[month - 1]} {year}"
    if facet == "category":
        return CATEGORY_AR.get(key, key), key
    if facet == "country":
        labels = _country_labels()
        if labels:
            try:
                return labels(key)
            except KeyError:
                pass
        return key, None
    if facet in ("person", "org"):
        if overrides is None:
            from search.entities.overrides import load_overrides

            overrides = load_overrides()
        return entity_label(facet, key, entity_labels, overrides), overrides.english(facet, key)
    return key, None


def entity_label(facet: str, key: str, entity_labels: dict[str, str] | None, overrides) -> str:
    """The label of a person or organization key: the editors' rename or alias label, else the
    label the indexer saved, else the key itself (for a caller labelling many keys at once)."""
    saved = (entity_labels or {}).get(f"{facet}:{key}") or key.replace("-", " ")
    return overrides.label(facet, key, saved)


def articles_ar(count: int) -> str:
    """«مقالة واحدة», «مقالتان», «3 مقالات», «1,047 مقالة»: the count with the noun Arabic wants."""
    return _counted(count, "مقالة واحدة", "مقالتان", "مقالات", "مقالة")


def stories_ar(count: int) -> str:
    """«قصة واحدة», «قصتان», «3 قصص», «1,047 قصة» (as `articles_ar`)."""
    return _counted(count, "قصة واحدة", "قصتان", "قصص", "قصة")


def others_ar(count: int) -> str:
    """«مقالة أخرى», «مقالتان أخريان», «3 مقالات أخرى», «11 مقالة أخرى»: a story's other versions."""
    return _counted(count, "مقالة أخرى", "مقالتان أخريان", "مقالات أخرى", "مقالة أخرى")


def _counted(count: int, one: str, two: str, few: str, many: str) -> str:
    """Arabic counting: a word for one and for two, the plural from 3 to 10, the singular past 10."""
    if count == 1:
        return one
    if count == 2:
        return two
    if 3 <= count <= 10:
        return f"{count} {few}"
    return f"{count:,} {many}"
