# /// script
# dependencies = []
#
# [tool.kb]
# title = "Trop gourmand"
# timeout = 30
# ///
"""Alloue de la mémoire par blocs de 20 Mio, jusqu'à 1 Gio au plus."""

import time

blocks = []
for _ in range(50):
    blocks.append(b"x" * (20 * 2**20))  # written bytes, so they count in the RSS
    time.sleep(0.02)
print("jamais arrêté")
