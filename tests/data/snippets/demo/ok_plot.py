# /// script
# requires-python = ">=3.11"
# dependencies = ["matplotlib>=3.8"]
#
# [tool.kb]
# title = "Une courbe matplotlib"
# illustrates = ["Tenseur"]
# device = "cpu"
# timeout = 60
# env = { KB_DEMO = "42" }
# ///
"""Trace une courbe et l'enregistre en PNG."""

import os

import matplotlib.pyplot as plt

print("bonjour", os.environ["KB_DEMO"], os.environ["MPLBACKEND"], os.environ["PYTHONHASHSEED"])

# La figure va dans le dossier courant : le runner la récupère.
fig, ax = plt.subplots()
ax.plot([0, 1, 2], [0, 1, 4])
fig.savefig("courbe.png")
