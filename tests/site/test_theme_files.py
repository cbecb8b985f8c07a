"""The theme's static files are listed once per process (kbtools.site.theme_files), and listed
again when the writer's theme overrides change: mkdocs' own listing is the reference."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import load_config
from mkdocs.structure.files import Files

from kbtools.site.theme_files import ThemeListing

from .helpers import write_project


def _theme_files(config) -> list[str]:
    files = Files([])
    files.add_files_from_theme(config.theme.get_env(), config)
    return sorted(f.src_uri for f in files)


def _config(root: Path):
    return load_config(str(root / "mkdocs.yml"))


def test_the_theme_is_listed_once_and_again_when_an_override_changes(tmp_path: Path) -> None:
    root = write_project(tmp_path / "project").parent
    overrides = root / "overrides"
    (overrides / "assets").mkdir(parents=True)
    (overrides / "assets" / "extra.css").write_text("body { color: black; }\n", encoding="utf-8")
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(text.replace("  name: material\n", "  name: material\n  custom_dir: overrides\n", 1), encoding="utf-8")

    reference = _theme_files(_config(root))  # mkdocs alone
    assert "assets/extra.css" in reference
    assert any(n.startswith("assets/javascripts/bundle.") for n in reference)  # material's own

    listing = ThemeListing()
    for _ in range(2):  # a config per build, as mkdocs serve loads it
        config = _config(root)
        listing.install(config.theme)
        assert _theme_files(config) == reference
    assert listing.hits == 1

    (overrides / "assets" / "more.css").write_text("p { margin: 0; }\n", encoding="utf-8")
    config = _config(root)
    listing.install(config.theme)
    found = _theme_files(config)
    assert found == sorted([*reference, "assets/more.css"])
    assert found == _theme_files(_config(root))  # mkdocs alone, again
    assert listing.hits == 1


def test_other_listings_are_passed_through(tmp_path: Path) -> None:
    root = write_project(tmp_path / "project").parent
    config = _config(root)
    ThemeListing().install(config.theme)
    env = config.theme.get_env()
    assert "main.html" in env.list_templates(filter_func=lambda name: name.endswith(".html"))
    assert env.list_templates(extensions=["html"]) == _config(root).theme.get_env().list_templates(extensions=["html"])
