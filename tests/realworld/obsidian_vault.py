"""A vault written the way Obsidian writes notes, generated (file names in NFD need exact bytes).

File names with spaces, accents in NFD (as macOS stores them), curly apostrophes, ``#``-free
punctuation, most notes without frontmatter, embeds, attachments, block references, and the
Breadcrumbs/Dataview keys ``up``, ``related``, ``created``, ``updated`` declared in the config.
"""

from __future__ import annotations

import base64
import unicodedata
from pathlib import Path

NFD = lambda s: unicodedata.normalize("NFD", s)  # noqa: E731

# A 1×1 PNG.
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")

MKDOCS_PLUGIN = """      relations: {up: isPartOf, parent: subClassOf, related: seeAlso}
      dates: {created: date_creation, updated: date_modification}
      ignore_keys: [cssclasses, banner]
"""

NOTES: dict[str, str] = {
    "Frameworks.md": (
        "# Frameworks\n\nLes frameworks de la base :\n\n"
        "- [[Présentation de JAX]]\n- [[Frameworks/Présentation de PyTorch.md|PyTorch]]\n"
        # a name with '#' cannot be a wikilink target (Obsidian forbids it): a Markdown link names it
        "- [C++ et C#](Notes/C%2B%2B%20%26%20C%23%20%3F.md)\n\n"
        "![[Présentation de JAX#Installation]]\n"
    ),
    NFD("Frameworks/Présentation de JAX.md"): (
        "---\nup: '[[Frameworks]]'\nrelated:\n  - '[[Présentation de PyTorch]]'\ncreated: 2025-01-02\nupdated: 2025-02-03\n"
        "tags: [jax, '#apprentissage/profond']\naliases: [JAX]\ncssclasses: [large]\n---\n"
        "# Présentation de JAX\n\nJAX compose `grad`, `jit` et `vmap`. ^resume\n\n## Installation\n\n```bash\npip install jax  # [[pas un lien]]\n```\n\n"
        "Voir aussi [[100 % l'IA]] et le schéma :\n\n![[schéma réseau.png|200]]\n"
    ),
    "Frameworks/Présentation de PyTorch.md": (
        "# Présentation de PyTorch\n\n| Cadre | Note |\n| --- | --- |\n| JAX | [[Présentation de JAX\\|JAX]] |\n| blocs | [[Blocs#^bloc-1\\|le bloc]] |\n\n"
        "Le résumé de JAX : ![[Présentation de JAX#^resume]]\n\n"
        "Le plan : [[plan.pdf]] et la carte [[Carte.canvas]].\n\n    [[Lien en code indenté]]\n"
    ),
    "Notes/C++ & C# ?.md": (
        "Deux langages. Retour vers [[Frameworks]] et [JAX en lien Markdown](../Frameworks/Pr%C3%A9sentation%20de%20JAX.md#installation).\n"
    ),
    "Notes/Blocs.md": "---\nparent: '[[Frameworks]]'\n---\nUn paragraphe repéré. ^bloc-1\n\nLien local : [[#^bloc-1]] et [[Blocs#^bloc-1|le même]].\n",
    "Ελληνικά/深度学习.md": "---\ntags: [深度学习, Βαθιά μάθηση, C++, C#, C]\n---\nNotes en d'autres écritures. [Brouillon](../Notes/Brouillon%20%5Bv2%5D%20%7Bx%7D.md).\n",
    "Notes/Brouillon [v2] {x}.md": "Un nom avec crochets et accolades, lié en Markdown depuis [[深度学习]].\n",
    "100 % l’IA.md": "---\ntitle: 100 % l’IA\ncreated: '2025-03-01'\n---\nUne note au titre typographique. Voir ![[Blocs#^bloc-1]].\n",
}
FILES: dict[str, bytes] = {
    "attachments/schéma réseau.png": PNG,
    "plan.pdf": b"%PDF-1.4\n%%EOF\n",
    "Carte.canvas": b'{"nodes":[],"edges":[]}',
    ".obsidian/app.json": b"{}",
}


def write_obsidian_vault(root: Path) -> Path:
    """Write the vault under ``root`` (created); returns ``root``."""
    for name, text in NOTES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for name, data in FILES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root
