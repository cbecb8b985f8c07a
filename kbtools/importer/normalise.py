"""Values as the vault writes them: tag and author names from strings, lists and mappings, each once."""

from __future__ import annotations

from ..ids import title_key


def strings(value: object) -> list[str]:
    """The non-empty strings of a value or a list, spaces collapsed."""
    items = value if isinstance(value, list) else [value]
    return [" ".join(v.split()) for v in items if isinstance(v, str) and v.strip()]


def dedupe(values: list[str]) -> list[str]:
    """Each name once, ignoring case, accents and apostrophe style; the first spelling wins."""
    seen: dict[str, str] = {}
    for v in values:
        seen.setdefault(title_key(v), v)
    return list(seen.values())


def normalise_tags(values: list[object]) -> list[str]:
    """Strings from strings, lists and ``{name, slug}`` mappings; ``#`` stripped; de-duplicated
    ignoring case and accents (the graph gives such tags one IRI anyway)."""
    out: list[str] = []
    for value in values:
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, dict):
                item = next((item[k] for k in ("name", "label", "title", "slug") if isinstance(item.get(k), str) and item[k].strip()), None)
            if not isinstance(item, str):
                continue
            parts = item.split(",") if "," in item else [item]
            out.extend(" ".join(p.strip().lstrip("#").split()) for p in parts)
    return dedupe([t for t in out if t])


def authors(values: list[object]) -> list[str]:
    """Names from strings, lists and ``{name: …}`` mappings, each once."""
    names: list[str] = []
    for value in values:
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict):
                item = item.get("name")
            if isinstance(item, str) and item.strip():
                names.append(" ".join(item.split()))
    return dedupe(names)


def align_tags(tags: list[str], known: dict[str, str]) -> tuple[list[str], list[str]]:
    """Tags spelled as the vault already spells them (``pytorch`` → ``PyTorch``), and what changed."""
    out, changed = [], []
    for tag in tags:
        spelled = known.get(title_key(tag), tag)
        if spelled != tag:
            changed.append(f"{tag} → {spelled}")
        out.append(spelled)
    return out, changed
