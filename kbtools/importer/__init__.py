"""``kb import``: bring outside texts into the vault as notes in its own dialect.

Each input goes through: :mod:`.decode` (bytes → text, or KB501) → :mod:`.detect` (which shape)
→ :mod:`.repair` (mojibake, lost dashes, BOM, CRLF…) → one parser per shape (:mod:`.obsidian`,
:mod:`.cms`, :mod:`.commentjson`, :mod:`.markdown`, :mod:`.plaintext`) → :mod:`.mapping`
(fields → frontmatter, the rest under ``origin:``) → :mod:`.plan` (path, title, clash, status)
→ :mod:`.linking` (relations, wikilinks) → :mod:`.writer` (the vault's dialect, atomic writes)
→ :mod:`.report`. :mod:`.command` runs them in that order.
"""

from .command import run_import

__all__ = ["run_import"]
