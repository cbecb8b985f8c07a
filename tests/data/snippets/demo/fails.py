# /// script
# dependencies = []
#
# [tool.kb]
# title = "Un exemple qui échoue"
# illustrates = ["Tenseur"]
# timeout = 30
# ///
"""Divise par zéro dans une fonction."""

import sys


def divide(a, b):
    return a / b  # line 15: the failing line


print("avant l'erreur")
print("un avertissement", file=sys.stderr)
print(divide(1, 0))
