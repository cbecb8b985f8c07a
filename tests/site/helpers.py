"""Helpers of the site tests: write a small mkdocs project around a copy of a vault, build it."""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[2]
FIXTURE_VAULT = ROOT / "tests" / "data" / "site_vault"
NODE_MODULES = ROOT / "node_modules"
CHROMIUM = Path("/usr/bin/chromium")
# Flags for headless Chromium on a machine with no network but loopback and no GPU.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
SITE_URL = "https://essai.invalid/"

MKDOCS_YML = """site_name: Base d'essai
site_url: {site_url}
docs_dir: docs
site_dir: site
theme:
  name: material
  language: fr
  font: false
  features:
    - navigation.instant
    - navigation.sections
    - navigation.indexes
    - content.code.copy
plugins:
  - search:
      lang: fr
  - kb:
      node_modules: {node_modules}
      exclude: [index.md, apropos.md]  # pages of the site that are not notes
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - tables
  - toc:
      permalink: true
  - pymdownx.superfences
  - pymdownx.highlight
"""


def write_project(root: Path, vault: Path = FIXTURE_VAULT, node_modules: Path = NODE_MODULES, site_url: str = SITE_URL) -> Path:
    """``root/mkdocs.yml`` and ``root/docs`` (a copy of ``vault``); returns the config file."""
    shutil.copytree(vault, root / "docs")
    config = root / "mkdocs.yml"
    config.write_text(MKDOCS_YML.format(site_url=site_url, node_modules=node_modules), encoding="utf-8")
    return config


@dataclass
class Built:
    """A built project: where it is, and what mkdocs logged while building it."""

    root: Path
    records: list[logging.LogRecord] = field(default_factory=list)

    @property
    def site(self) -> Path:
        return self.root / "site"

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    def page(self, url: str) -> BeautifulSoup:
        """The parsed HTML of a page, by its URL (``frameworks/pytorch/``)."""
        return BeautifulSoup((self.site / url / "index.html").read_text(encoding="utf-8"), "html.parser")

    def warnings(self) -> list[str]:
        return [r.getMessage() for r in self.records if r.levelno >= logging.WARNING]

    def html_files(self) -> list[Path]:
        return sorted(self.site.rglob("*.html"))


def build_project(root: Path, strict: bool = False) -> Built:
    """Build in-process with mkdocs' own API, keeping every log record."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from kbtools.site.render_cache import KeepRecords

    keep = KeepRecords()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(keep)
    try:
        build(load_config(str(root / "mkdocs.yml"), strict=strict))
    finally:
        logger.removeHandler(keep)
    return Built(root, keep.records)


def knowledge_base(root: Path):
    """The knowledge base of a project, read as the plugin reads it."""
    from kbtools.config import load_config
    from kbtools.pipeline import build_knowledge_base

    return build_knowledge_base(load_config(root / "docs", root / "mkdocs.yml", SITE_URL))
