"""The fixture vault with questions inside a note: ``sparql`` blocks added to a copy of its hub."""

from __future__ import annotations

from pathlib import Path

from .helpers import SITE_URL, write_project

HUB = "docs/hubs/frameworks.md"
HUB_URL = "hubs/frameworks/"
XSS = "<img src=x onerror=alert(1)>"

# (info string, query) in the order of the note; the expected answers are written in the tests.
BLOCKS = [
    ('sparql title="Les frameworks de <b>ce</b> carrefour"', "SELECT ?note ?titre WHERE {\n  ?note kb:isPartOf ?this ; skos:prefLabel ?titre\n}\nORDER BY ?titre"),
    ('sparql title="Les titres des parties"', "SELECT ?titre ?n ?partie_de WHERE { ?n kb:isPartOf ?p ; skos:prefLabel ?titre . ?p skos:prefLabel ?partie_de }\nORDER BY ?titre ?partie_de"),
    ("sparql", "SELECT (COUNT(?n) AS ?nombre_de_parties) WHERE { ?n kb:isPartOf ?this }"),
    ('sparql title="Est-ce un carrefour ?"', "ASK { ?this a kb:Hub }"),
    ('sparql title="Parties, en triplets"', "CONSTRUCT { ?f skos:broader ?this } WHERE { ?f kb:isPartOf ?this }"),
    ('sparql title="Un exemple à ne pas lancer" norun', "INSERT DATA { <https://x.invalid/a> <https://x.invalid/b> 'c' }"),
]


def blocks_markdown(blocks: list[tuple[str, str]] = BLOCKS) -> str:
    return "".join(f"\n```{info}\n{text}\n```\n" for info, text in blocks)


def write_query_project(root: Path, site_url: str = SITE_URL, extra: str = "") -> Path:
    """The fixture project (without its two deliberate faults, so that it builds strictly) whose
    hub « Frameworks » ends with :data:`BLOCKS`, then ``extra``."""
    config = write_project(root, site_url=site_url)
    (root / "docs/concepts/casse.md").unlink()
    retro = root / "docs/concepts/retropropagation.md"
    retro.write_text(retro.read_text(encoding="utf-8").replace("[[Note absente]]", "une note à venir"), encoding="utf-8")
    hub = root / HUB
    hub.write_text(hub.read_text(encoding="utf-8") + "\n## Questions\n" + blocks_markdown() + extra, encoding="utf-8")
    return config
