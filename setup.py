"""Packaging step pyproject.toml cannot express: ship ``ontology/`` inside the package.

The vocabulary, the SHACL shapes, the JSON-LD context and the named queries live at the root
of the repository (the project edits them there); an installed kbtools finds its copy as
``kbtools/ontology`` (:func:`kbtools.config.packaged_ontology`), so that ``plugins: [kb]`` works
in any project. The site's JavaScript is shipped as package data (``kbtools/site/vendor``).
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildPyWithOntology(build_py):
    def run(self) -> None:
        super().run()
        source = ROOT / "ontology"
        if source.is_dir():  # an sdist carries it too (MANIFEST.in)
            shutil.copytree(source, Path(self.build_lib) / "kbtools" / "ontology", dirs_exist_ok=True)


setup(cmdclass={"build_py": BuildPyWithOntology})
