# /// script
# dependencies = []
#
# [tool.kb]
# title = "Un exemple à deux variantes"
# illustrates = ["Tenseur"]
# device = "any"
# timeout = 30
# matrix = { KB_FLAVOUR = ["sucre", "sel"] }
# ///
"""Affiche la variante reçue par l'environnement."""

import os

print("saveur", os.environ["KB_FLAVOUR"])
