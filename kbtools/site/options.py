"""Settings of the ``kb`` plugin in ``mkdocs.yml``::

    plugins:
      - kb:
          node_modules: node_modules   # where `npm ci` installed the graph renderer
          nav: true                    # replace mkdocs' nav by the one built from the graph
          local_graph_max_bytes: 50000 # budget of graph data per note page
          exports: true                # kb.ttl, kb.jsonld and kb.nt at the site root
          theme_keys: []               # frontmatter keys handed to the theme, checked: hide, search,
                                       # icon, subtitle, status, template (see page_meta.py)
"""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from .page_meta import DECLARABLE


class KBPluginConfig(Config):
    node_modules = c.Type(str, default="node_modules")  # relative to the folder of mkdocs.yml
    nav = c.Type(bool, default=True)
    local_graph_max_bytes = c.Type(int, default=50_000)
    exports = c.Type(bool, default=True)
    theme_keys = c.ListOfItems(c.Choice(sorted(DECLARABLE)), default=[])
