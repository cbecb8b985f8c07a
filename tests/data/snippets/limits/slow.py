# /// script
# dependencies = []
#
# [tool.kb]
# title = "Trop lent"
# timeout = 2
# ///
"""Dort bien plus longtemps que son délai."""

import time

print("je dors", flush=True)
time.sleep(60)
