"""Generated vaults: any file name (Unicode, spaces, punctuation, NFD, case twins) and any link form
are read, checked, turned into a graph and exported without an exception; every note's IRI is
valid and leads to its page URL."""

from __future__ import annotations

import shutil
import tempfile
import unicodedata
from pathlib import Path
from urllib.parse import quote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kbtools.config import load_config
from kbtools.export import export
from kbtools.ids import iri_to_uri, page_url
from kbtools.pipeline import build_knowledge_base

_NAME_CHARS = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="/\\\x00")
_NAMES = st.text(_NAME_CHARS, min_size=1, max_size=24).filter(lambda s: s.strip() and not s.startswith(".") and len(s.encode()) < 200)


def _link(name: str, folder: str, form: int, other: str) -> str:
    stem = name
    forms = [
        f"[[{stem}]]",
        f"[[{stem}.md]]",
        f"[[{folder}/{stem}]]",
        f"[[{stem}#Titre]]",
        f"[[{stem}#^bloc]]",
        f"![[{stem}]]",
        f"| a | [[{stem}\\|libellé]] |",
        f"[texte](<{folder}/{stem}.md>)",
        f"[texte]({quote(folder + '/' + stem + '.md')})",
        f"![[{other}.png|120]]",
    ]
    return forms[form % len(forms)]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    names=st.lists(_NAMES, min_size=1, max_size=6, unique=True),
    forms=st.lists(st.integers(0, 9), min_size=1, max_size=8),
    nfd=st.booleans(),
    frontmatter=st.booleans(),
)
def test_any_names_and_links_never_raise(names, forms, nfd, frontmatter):
    root = Path(tempfile.mkdtemp())
    try:
        vault = root / "docs"
        for i, name in enumerate(names):
            folder = "dossier" if i % 2 else "autre dossier"
            stored = unicodedata.normalize("NFD", name) if nfd else name
            path = vault / folder / f"{stored}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            target = names[(i + 1) % len(names)]
            links = "\n\n".join(_link(target, "dossier" if ((i + 1) % len(names)) % 2 else "autre dossier", f, name) for f in forms)
            head = f"---\ntitle: {name!r}\ntags: [{name!r}]\n---\n" if frontmatter and "'" not in name else ""
            try:
                path.write_text(f"{head}# Titre\n\nUn bloc. ^bloc\n\n{links}\n", encoding="utf-8")
            except OSError:
                continue  # a name this file system refuses
        kb = build_knowledge_base(load_config(vault, site_url="https://essai.invalid/"))
        for note in kb.notes:
            iri = kb.iri(note)
            assert iri_to_uri(iri) == "https://essai.invalid/" + page_url(note.path)
        export(kb.graph, root / "out", ["ttl", "nt"])
        assert (root / "out" / "kb.nt").stat().st_size > 0
    finally:
        shutil.rmtree(root, ignore_errors=True)
