"""A vault of hostile notes (tests/data/hostile_vault) built into a site: nothing the authors wrote
can run a script, the theme is handed no key it would print raw, ``--strict`` says where each
refused key is written, and the build never stops on a Jinja traceback.

The same vault is driven in Chromium by test_hostile_browser.py.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import FIXTURE_VAULT, ROOT, Built, build_project, write_project

HOSTILE_VAULT = ROOT / "tests" / "data" / "hostile_vault"
DECLARED = "      theme_keys: [hide, search, icon, subtitle, status, template]\n"
# Elements no page may hold in its content (the article: material's search box is a form).
FORBIDDEN = ("iframe", "object", "embed", "form", "base", "frame", "frameset", "applet")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("hostile-site")
    write_project(root, vault=HOSTILE_VAULT)
    return build_project(root)


def _declare(config: Path, line: str = DECLARED) -> None:
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"(  - kb:\n      node_modules: .*\n)", lambda m: m.group(1) + line, text), encoding="utf-8")


def _kb_messages(built: Built, code: str) -> list[str]:
    return [w for w in built.warnings() if f" {code} " in w]


def _hazards(html: str) -> list[str]:
    """Everything in a page that a browser could run: handlers, script URLs, dangerous elements, scripts that mention alert."""
    from bs4 import BeautifulSoup

    found = []
    soup = BeautifulSoup(html, "html.parser")
    for el in soup.find_all(True):
        for name, value in el.attrs.items():
            value = " ".join(value) if isinstance(value, list) else str(value)
            if name.lower().startswith("on"):
                found.append(f"<{el.name} {name}>")
            if name.lower() in ("href", "src", "action", "formaction", "data", "xlink:href", "srcdoc") and re.match(
                r"\s*(javascript|vbscript|data):", value, re.I
            ):
                found.append(f"<{el.name} {name}={value[:40]}>")
        if (el.get("id") == "__config" and el.name != "script") or el.get("id") == "kbGraph":
            found.append(f"<{el.name} id={el.get('id')}> stands in for the site's own")
        if el.name in FORBIDDEN and (el.find_parent("article") is not None or soup.find("article") is None):
            found.append(f"<{el.name}>")
        if el.name == "script":
            data = el.get("type", "") in ("application/ld+json", "application/json")
            # data blocks may quote the notes, but never with a character that could close the block
            if ("<" in el.get_text() or "-->" in el.get_text()) if data else "alert" in el.get_text():
                found.append(f"<script type={el.get('type', '')}>alert…")
        if el.name == "meta" and el.get("http-equiv", "").lower() == "refresh":
            found.append("<meta refresh>")
    return found


def test_build_survives_unknown_icon_and_template(hostile: Built) -> None:
    # no Jinja traceback: every note has its page, built with the usual template
    for page in ("notes/icone", "notes/gabarit", "notes/redirection", "notes/corps", "notes/cles-du-theme", "ordinaire"):
        assert (hostile.site / page / "index.html").is_file(), page
    redirect = (hostile.site / "notes/redirection/index.html").read_text(encoding="utf-8")
    assert "window.location.replace" not in redirect and "md-content" in redirect


def test_no_page_holds_anything_that_runs(hostile: Built) -> None:
    pages = hostile.html_files()
    assert len(pages) > 15
    assert {str(p.relative_to(hostile.site)): h for p in pages if (h := _hazards(p.read_text(encoding="utf-8")))} == {}


def test_hazard_scan_sees_the_hostile_inputs(tmp_path: Path) -> None:
    """The scan above is not blind: the raw inputs of the hostile body trip it."""
    body = (HOSTILE_VAULT / "notes/corps.md").read_text(encoding="utf-8")
    found = _hazards(body)
    for needle in ("onerror", "onload", "<iframe>", "<form>", "<object>", "<embed>", "href=javascript", "href=data", "<script>alert", "ontoggle", "onfocus", "id=__config", "id=kbGraph"):
        assert any(needle in f for f in found), needle


def test_every_refused_theme_key_is_reported_where_it_is_written(hostile: Built) -> None:
    refused = {(m.split(":")[0].split("docs/")[-1], int(m.split(":")[1]), int(m.split(":")[2]), re.search(r"key '(\w+)'", m).group(1)) for m in _kb_messages(hostile, "KB130")}
    assert refused == {
        ("notes/cles-du-theme.md", 4, 1, "subtitle"),
        ("notes/cles-du-theme.md", 5, 1, "status"),
        ("notes/cles-du-theme.md", 6, 1, "hide"),
        ("notes/cles-du-theme.md", 7, 1, "search"),
        ("notes/cles-du-theme.md", 8, 1, "revision_date"),
        ("notes/cles-du-theme.md", 9, 1, "git_creation_date_localized"),
        ("notes/redirection.md", 4, 1, "template"),
        ("notes/redirection.md", 5, 1, "location"),
        ("notes/icone.md", 4, 1, "icon"),
        ("notes/gabarit.md", 4, 1, "template"),
        ("ordinaire.md", 1, 1, "template"),  # MultiMarkdown metadata of a page without frontmatter
        ("ordinaire.md", 2, 1, "location"),
        ("ordinaire.md", 3, 1, "subtitle"),
    }


def test_tags_reach_the_search_index_escaped(hostile: Built) -> None:
    index = json.loads((hostile.site / "search/search_index.json").read_text(encoding="utf-8"))
    tagged = [d for d in index["docs"] if d["location"].startswith("notes/etiquette/") and "tags" in d]
    assert tagged and all(d["tags"] == ["&lt;img src=x onerror=alert(&#34;tag&#34;)&gt;", "motpiege", "&lt;b&gt;gras&lt;/b&gt;"] for d in tagged)
    assert not any("<img" in json.dumps(d.get("tags", [])) for d in index["docs"])


def test_theme_keys_when_declared_are_checked(tmp_path: Path) -> None:
    write_project(tmp_path, vault=HOSTILE_VAULT)
    _declare(tmp_path / "mkdocs.yml")
    (tmp_path / "docs/notes/valide.md").write_text(
        "---\ntitle: Clés valides\ntype: concept\nsubtitle: 'Sous-titre <b>gras</b>'\nstatus: new\nicon: material/school\n"
        "hide: [toc]\nsearch: {boost: 2}\ndate_creation: '2026-01-01'\ndate_modification: '2026-01-02'\n---\n\nDes clés valides.\n",
        encoding="utf-8",
    )
    built = build_project(tmp_path)
    refused = {re.search(r"'(\w+)' value", m).group(1) for m in _kb_messages(built, "KB131")}
    # cles-du-theme: subtitle is text (kept, escaped); status, hide and search are refused; the icon and the two templates too
    assert refused == {"status", "hide", "search", "icon", "template"}
    assert sorted(re.search(r"key '(\w+)'", m).group(1) for m in _kb_messages(built, "KB130")) == [
        "git_creation_date_localized", "location", "location", "revision_date",
    ]  # fmt: skip
    page = (built.site / "notes/valide/index.html").read_text(encoding="utf-8")
    assert "<small>Sous-titre &lt;b&gt;gras&lt;/b&gt;</small>" in page  # in the navigation, escaped
    assert 'class="md-status md-status--new"' in page
    assert 'data-md-type="toc" hidden>' in page  # hide: [toc]
    assert 'data-md-type="toc" hidden>' not in nav_of(built, "notes/corps")
    assert not _hazards(page)
    nav = (built.site / "notes/cles-du-theme/index.html").read_text(encoding="utf-8")
    assert "<small>&lt;img src=x onerror=alert(&#34;subtitle&#34;)&gt;</small>" in nav


def test_unknown_theme_keys_in_the_config_stop_the_build(tmp_path: Path) -> None:
    write_project(tmp_path, vault=HOSTILE_VAULT)
    _declare(tmp_path / "mkdocs.yml", "      theme_keys: [hide, location]\n")
    done = _mkdocs(tmp_path)
    assert done.returncode != 0
    assert "theme_keys" in done.stderr and "location" in done.stderr and "Traceback" not in done.stderr


def nav_of(built: Built, url: str) -> str:
    return (built.site / url / "index.html").read_text(encoding="utf-8")


def _mkdocs(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1", "HOME": str(root), "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(root / "mkdocs.yml"), *args], cwd=root, capture_output=True, text=True, timeout=300, env=env)


def test_strict_build_fails_on_a_theme_key_and_passes_without(tmp_path: Path) -> None:
    write_project(tmp_path, vault=HOSTILE_VAULT)
    docs = tmp_path / "docs"
    for extra in ("cles-du-theme", "redirection", "icone", "gabarit"):
        (docs / "notes" / f"{extra}.md").unlink()
    (docs / "ordinaire.md").unlink()
    (docs / "index.md").write_text("# Coffre\n\nVoir [[Corps piégé]] et [[Étiquette piégée]].\n", encoding="utf-8")
    done = _mkdocs(tmp_path, "--strict")
    assert done.returncode == 0, done.stderr  # hostile bodies and tags are made safe: nothing to fail on
    note = docs / "notes/corps.md"
    note.write_text(note.read_text(encoding="utf-8").replace("type: concept\n", "type: concept\nsubtitle: x\n"), encoding="utf-8")
    done = _mkdocs(tmp_path, "--strict")
    assert done.returncode != 0
    assert "notes/corps.md:4:1: KB130 error: frontmatter key 'subtitle' is read by the theme" in done.stderr
    assert "Traceback" not in done.stderr


def test_content_tooltips_is_turned_off(tmp_path: Path) -> None:
    write_project(tmp_path, vault=FIXTURE_VAULT)
    config = tmp_path / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("    - content.code.copy\n", "    - content.code.copy\n    - content.tooltips\n"), encoding="utf-8")
    built = build_project(tmp_path)
    assert [w for w in _kb_messages(built, "KB132")] == [
        f"{os.path.relpath(config)}:14:7: KB132 error: theme feature content.tooltips shows title attributes as HTML: it is turned off (remove it from theme.features)"
    ]
    assert '"content.tooltips"' not in (built.site / "index.html").read_text(encoding="utf-8")


def test_a_note_written_during_the_build_gets_its_page(tmp_path: Path) -> None:
    """``kb import`` writing into the vault while mkdocs builds: the pipeline reads a note that
    mkdocs did not list. It used to be a KeyError in site/model.py; now the note is listed."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files

    from kbtools.site import build
    from kbtools.site.options import KBPluginConfig

    write_project(tmp_path)
    config = load_config(str(tmp_path / "mkdocs.yml"))
    files = get_files(config)  # what mkdocs lists before on_files
    late = tmp_path / "docs/concepts/tardive.md"
    late.write_text(
        "---\ntitle: Note tardive\ntype: concept\nisPartOf: '[[Concepts]]'\ndate_creation: '2026-01-01'\ndate_modification: '2026-01-01'\n---\n\nÉcrite pendant la construction.\n",
        encoding="utf-8",
    )
    options = KBPluginConfig()
    options.load_dict({})
    options.validate()
    config.plugins._current_plugin = "kb"
    site = build.prepare(files, config, options)
    assert site.model.url("concepts/tardive.md") == "concepts/tardive/"
    assert files.get_file_from_path("concepts/tardive.md") is not None


def test_a_note_mkdocs_excludes_still_gets_its_page(tmp_path: Path) -> None:
    """mkdocs leaves ``templates/`` out by default; the pipeline reads the note there, and the
    other pages link to it: it is built rather than being a KeyError."""
    write_project(tmp_path)
    (tmp_path / "docs/templates").mkdir()
    (tmp_path / "docs/templates/modele.md").write_text(
        "---\ntitle: Modèle\ntype: concept\nisPartOf: '[[Concepts]]'\ndate_creation: '2026-01-01'\ndate_modification: '2026-01-01'\n---\n\nUn modèle.\n",
        encoding="utf-8",
    )
    built = build_project(tmp_path)
    assert (built.site / "templates/modele/index.html").is_file()
    assert "templates/modele/" in (built.site / "hubs/concepts/index.html").read_text(encoding="utf-8")  # the parts panel links it
