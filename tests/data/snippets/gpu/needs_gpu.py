# /// script
# dependencies = []
#
# [tool.kb]
# title = "Réservé au GPU"
# device = "gpu"
# timeout = 30
# ///
"""Ne tourne que là où nvidia-smi voit un GPU."""

print("sur GPU")
