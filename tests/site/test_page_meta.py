"""What of a page's frontmatter reaches the theme (kbtools.site.page_meta), without a build."""

from __future__ import annotations

from pathlib import Path

import material
import pytest

from kbtools.site.page_meta import DECLARABLE, THEME_KEYS, Theme, clean_meta, key_finder

MATERIAL = Path(material.__file__).parent / "templates"
XSS = '<img src=x onerror=alert("x")>'


def _theme(*declared: str, custom_dir: Path | None = None, extra: dict | None = None) -> Theme:
    return Theme.from_config([str(MATERIAL)], str(custom_dir) if custom_dir else None, extra or {}, list(declared))


def _where(key: str) -> tuple[int, int]:
    return {"subtitle": (4, 1), "status": (5, 3)}.get(key, (9, 9))


def test_schema_keys_are_kept_as_escaped_text() -> None:
    meta = {"title": XSS, "tags": [XSS, "PyTorch"], "description": XSS, "author": [XSS, "Ana"], "date_creation": "2026-01-01"}
    out = clean_meta(meta, _theme(), "n.md", _where)
    assert out.diagnostics == []
    assert out.meta == {
        "title": "&lt;img src=x onerror=alert(&#34;x&#34;)&gt;",
        "tags": ["&lt;img src=x onerror=alert(&#34;x&#34;)&gt;", "PyTorch"],
        "description": "&lt;img src=x onerror=alert(&#34;x&#34;)&gt;",
        "author": "&lt;img src=x onerror=alert(&#34;x&#34;)&gt;, Ana",
        "date_creation": "2026-01-01",
    }


def test_undeclared_theme_keys_are_dropped_with_kb130_where_written() -> None:
    out = clean_meta({"subtitle": XSS, "status": "new", "hide": ["toc"]}, _theme(), "docs/n.md", _where)
    assert out.meta == {}
    assert [d.format() for d in out.diagnostics] == [
        "docs/n.md:4:1: KB130 error: frontmatter key 'subtitle' is read by the theme: left out of the page "
        "(declare it in mkdocs.yml: plugins: - kb: theme_keys: [subtitle])",
        "docs/n.md:5:3: KB130 error: frontmatter key 'status' is read by the theme: left out of the page "
        "(declare it in mkdocs.yml: plugins: - kb: theme_keys: [status])",
        "docs/n.md:9:9: KB130 error: frontmatter key 'hide' is read by the theme: left out of the page "
        "(declare it in mkdocs.yml: plugins: - kb: theme_keys: [hide])",
    ]


@pytest.mark.parametrize("key", ["location", "revision_date", "git_revision_date_localized", "git_creation_date_localized", "social"])
def test_keys_that_cannot_be_declared_are_always_dropped(key: str) -> None:
    out = clean_meta({key: XSS}, _theme(*DECLARABLE), "n.md", _where)
    assert out.meta == {}
    assert [(d.code, d.hint) for d in out.diagnostics] == [("KB130", "kb never hands it to the theme")]


def test_unknown_keys_are_dropped_silently() -> None:
    # kb check reports them (KB110); the theme never sees them
    assert clean_meta({"cssclass": "x", "whatever": XSS}, _theme(*DECLARABLE), "n.md", _where).meta == {"cssclass": "x"}


@pytest.mark.parametrize(
    ("key", "value", "kept"),
    [
        ("hide", ["toc", "navigation"], ["toc", "navigation"]),
        ("search", {"exclude": True}, {"exclude": True}),
        ("search", {"boost": 2}, {"boost": 2}),
        ("icon", "material/school", "material/school"),
        ("icon", "fontawesome/brands/python", "fontawesome/brands/python"),
        ("subtitle", "Sous-titre <b>gras</b>", "Sous-titre &lt;b&gt;gras&lt;/b&gt;"),
        ("status", "new", "new"),
        ("status", "deprecated", "deprecated"),
        ("template", "main.html", "main.html"),
    ],
)
def test_declared_keys_with_valid_values_reach_the_theme(key: str, value: object, kept: object) -> None:
    out = clean_meta({key: value}, _theme(key), "n.md", _where)
    assert out.diagnostics == []
    assert out.meta == {key: kept}


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("hide", "toc"),  # material tests `"toc" in hide`: a string would match by substring
        ("hide", ["toc", XSS]),
        ("search", {"boost": XSS}),
        ("search", {"exclude": "yes"}),
        ("search", {"exclude": True, "other": 1}),
        ("search", "exclude"),
        ("icon", "../../../../etc/passwd"),
        ("icon", "material/absent-icon-name"),
        ("icon", 'material/school"><img src=x>'),
        ("subtitle", ["a", "b"]),
        ("status", '"><img src=x onerror=alert(1)>'),
        ("status", "encrypted"),  # reserved by material for encrypted pages
        ("template", "redirect.html"),
        ("template", "absent.html"),
        ("template", "../../../etc/passwd"),
        ("template", "blog-post.html"),  # needs the blog plugin's context
    ],
)
def test_declared_keys_with_invalid_values_are_refused_with_kb131(key: str, value: object) -> None:
    out = clean_meta({key: value}, _theme(*DECLARABLE), "n.md", _where)
    assert out.meta == {}
    assert [d.code for d in out.diagnostics] == ["KB131"]
    assert out.diagnostics[0].is_error


def test_statuses_of_extra_status_and_templates_of_custom_dir_are_accepted(tmp_path: Path) -> None:
    (tmp_path / "landing.html").write_text("{% extends 'main.html' %}", encoding="utf-8")
    (tmp_path / "redirect.html").write_text("", encoding="utf-8")
    theme = _theme("status", "template", custom_dir=tmp_path, extra={"status": {"beta": "En test", "<x>": "no"}})
    assert clean_meta({"status": "beta", "template": "landing.html"}, theme, "n.md", _where).meta == {"status": "beta", "template": "landing.html"}
    refused = clean_meta({"status": "<x>", "template": "redirect.html"}, theme, "n.md", _where)
    assert [d.code for d in refused.diagnostics] == ["KB131", "KB131"]


def test_every_page_meta_key_material_reads_is_known() -> None:
    """Any ``page.meta.X`` / ``nav_item.meta.X`` of material's templates, and any ``page.meta.get("X")``
    of its search plugin, is in THEME_KEYS or the schema: a theme version that reads a new key fails here."""
    import re

    from kbtools import schema

    read: set[str] = set()
    for template in MATERIAL.rglob("*.html"):
        read |= set(re.findall(r"\b(?:page|nav_item)\.meta\.([a-z_]+)", template.read_text(encoding="utf-8")))
    search = (MATERIAL.parent / "plugins" / "search" / "plugin.py").read_text(encoding="utf-8")
    read |= set(re.findall(r"page\.meta\.get\(\"([a-z_]+)\"", search))
    assert {"hide", "subtitle", "status", "icon", "location", "search", "tags"} <= read  # the scan sees them
    read |= {"template"}  # mkdocs' own build: page.meta.get('template')
    assert read - {"get"} <= set(THEME_KEYS) | set(schema.KNOWN_KEYS)


def test_key_finder_finds_multimarkdown_keys() -> None:
    where = key_finder("template: redirect.html\n  Location: x\n\n# Titre\n")
    assert where("template") == (1, 1)
    assert where("location") == (2, 3)
    assert where("absent") == (1, 1)
