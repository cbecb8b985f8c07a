# /// script
# dependencies = []
#
# [tool.kb]
# title = "Titre sans guillemet fermant
# timeout = 30
# ///
"""Un en-tête TOML invalide."""

print("jamais collecté")
