"""The « non exécuté ici » badge: a ``<!-- kb:no-run raison -->`` marker before a Python block, shown.

The marker (see :mod:`kbtools.snippets.note_blocks`) is an HTML comment, which the sanitiser
would drop; the site replaces it by a visible line saying that the block below is not run by the
tests, and why. Blocks without a marker are run by the tests (``pytest docs``).
"""

from __future__ import annotations

from ..snippets.note_blocks import NO_RUN, body_blocks
from .markup import text

LABEL = "non exécuté ici"


def badge(reason: str) -> str:
    """The badge's HTML: ``<p class="kb-not-run">⏸ non exécuté ici : raison</p>`` (reason escaped)."""
    shown = f"{LABEL} : {reason}" if reason else f"{LABEL} (raison non donnée)"
    return f'<p class="kb-not-run" title="Ce bloc n\'est pas exécuté par les tests du site">⏸ {text(shown)}</p>'


def render_no_run(markdown: str) -> str:
    """``markdown`` (a page body, no frontmatter) with the marker of each Python block made a badge.

    Only markers that stand before a Python fence are replaced (a marker shown inside a code
    block stays text); the badge keeps the marker's indentation and is followed by a blank line,
    so that the fence after it is still a fence.
    """
    if "kb:no-run" not in markdown:
        return markdown
    lines = markdown.split("\n")
    for block in body_blocks(markdown):
        if block.marker_line is None:
            continue
        index = block.marker_line - 1
        m = NO_RUN.match(lines[index])
        if m is None:  # cannot happen: body_blocks matched this very line
            continue
        lines[index] = m.group("indent") + badge(block.reason or "") + "\n"
    return "\n".join(lines)
