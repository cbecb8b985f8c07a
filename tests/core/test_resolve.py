"""Resolution is a function of the link and the vault: resolved once per target, it is the same
as resolved link by link (property-based, on generated vaults); suggestions for a dangling link are
difflib's, found faster."""

from __future__ import annotations

import difflib
import random
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from kbtools.notes import read_note
from kbtools.resolve import NameIndex, close_matches, find_target, resolve

NAMES = ["Alpha", "alpha", "Élan", "Elan", "Beta", "dossier/Beta", "Gamma.md", "Nulle part", "image.png", "torch.compile"]
FOLDERS = ["", "dossier/", "autre/"]
links = st.sampled_from(NAMES).flatmap(lambda n: st.sampled_from([f"[[{n}]]", f"[[{n}#Titre]]", f"[[{n}|texte]]", f"[{n}]({n.replace(' ', '%20')}.md)"]))
notes = st.lists(st.tuples(st.sampled_from(FOLDERS), st.sampled_from(NAMES[:6]), st.sampled_from(NAMES), st.lists(links, max_size=4)), min_size=1, max_size=6)


@settings(max_examples=120, deadline=None)
@given(specs=notes)
def test_resolving_once_per_target_equals_resolving_each_link(specs, tmp_path_factory):
    root: Path = tmp_path_factory.mktemp("coffre")
    read = []
    for k, (folder, title, alias, body) in enumerate(specs):
        path = root / folder / f"n{k}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\ntitle: '{title}'\naliases: ['{alias}']\n---\n# Titre\n\n" + " ".join(body) + "\n", encoding="utf-8")
        note, _ = read_note(root, path)
        read.append(note)
    index = NameIndex(read, ["image.png"])
    edges, diags = resolve(read, index)
    expected = []  # (source, link, target) for every link that names exactly one note
    unresolved = 0  # links naming no note or several, or a missing file
    for note in read:
        for link in note.links:
            found = find_target(note, link.link, index, link.markdown)
            if found.attachment_wanted:
                unresolved += not found.attachments
            elif len(found.notes) == 1:
                expected.append((note.path, link.line, link.col, found.notes[0].path))
            else:
                unresolved += 1
    assert [(e.source.path, e.link.line, e.link.col, e.target.path) for e in edges] == expected
    assert sum(1 for d in diags if d.code in ("KB102", "KB103", "KB114")) == unresolved


words = st.text(alphabet=st.sampled_from(list("abcdeé '-/0")), max_size=14)


@settings(max_examples=300, deadline=None)
@given(words, st.lists(words, max_size=30), st.integers(1, 6), st.sampled_from([0.0, 0.3, 0.55, 0.6, 0.8, 1.0]))
def test_close_matches_equal_difflibs(word, names, n, cutoff):
    assert close_matches(word, names, n, cutoff) == difflib.get_close_matches(word, names, n, cutoff)


def test_close_matches_on_many_titles_equal_difflibs():
    rng = random.Random(4)
    letters = "aàbcdeéèfgilmnoprstuz  "
    names = list(dict.fromkeys("".join(rng.choice(letters) for _ in range(rng.randint(3, 40))) for _ in range(3000)))
    for word in [*names[:40], "reseau de neurones", "tenseur", "x", "optimiseur adam"]:
        assert close_matches(word, names, 6, 0.55) == difflib.get_close_matches(word, names, 6, 0.55)
