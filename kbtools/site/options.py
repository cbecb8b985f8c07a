"""Settings of the ``kb`` plugin in ``mkdocs.yml``::

    plugins:
      - kb:
          node_modules: node_modules   # only if kbtools lacks its copy of the JavaScript (development)
          nav: true                    # replace mkdocs' nav by the one built from the graph
          local_graph_max_bytes: 50000 # budget of graph data per note page
          exports: true                # kb.ttl, kb.jsonld and kb.nt at the site root
          relations: {up: isPartOf}    # the vault's frontmatter keys for the relations
          dates: {created: date_creation, updated: date_modification}
          ignore_keys: [banner]        # keys that carry nothing for the graph (no KB110)
          exclude: [index.md, "templates/*"]  # vault paths that are no notes
          max_note_bytes: 4194304      # a larger note is refused (KB005)
          theme_keys: []               # frontmatter keys handed to the theme, checked: hide, search,
                                       # icon, subtitle, status, template (see page_meta.py)

The CLI reads the same settings from ``mkdocs.yml`` (:func:`kbtools.config.plugin_options`).
"""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from ..config import MAX_NOTE_BYTES
from .page_meta import DECLARABLE


class KBPluginConfig(Config):
    node_modules = c.Type(str, default="node_modules")  # relative to the folder of mkdocs.yml
    nav = c.Type(bool, default=True)
    local_graph_max_bytes = c.Type(int, default=50_000)
    exports = c.Type(bool, default=True)
    relations = c.Type(dict, default={})
    dates = c.Type(dict, default={})
    ignore_keys = c.Type(list, default=[])
    exclude = c.Type(list, default=[])
    max_note_bytes = c.Type(int, default=MAX_NOTE_BYTES)
    theme_keys = c.ListOfItems(c.Choice(sorted(DECLARABLE)), default=[])
