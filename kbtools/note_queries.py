"""Questions inside notes: fenced ``sparql`` blocks of a note, run on the graph when it is built.

A note may hold a fenced block whose info string starts with ``sparql``::

    ```sparql title="Les bibliothèques construites sur PyTorch"
    SELECT ?bibliotheque WHERE { ?b kb:isPartOf ?this ; skos:prefLabel ?bibliotheque }
    ```

:func:`answer_notes`, called by :func:`kbtools.pipeline.build_knowledge_base`, runs every such
block on the knowledge base's graph (:func:`kbtools.query.run_local`, read-only, no ``SERVICE``
nor ``LOAD``, within :data:`TIMEOUT_S` seconds each) and keeps the answers for the site, which
renders them as tables (:mod:`kbtools.site.query_blocks`). A block that cannot be answered is a
diagnostic at its place in the note (KB301 syntax, KB302 update, KB305 time limit, KB306/KB307
network, KB308 misuse of ``?this``, KB309 unreadable info string), so ``kb check`` and
``mkdocs build --strict`` both fail on it. In Obsidian the block stays a code block.

``?this`` (or ``$this``) is the note itself. Before the query runs, each occurrence of that
variable *token* is replaced by the note's IRI, found by the SPARQL tokenizer of
:mod:`kbtools.query` (strings, IRIs, comments and longer names such as ``?thisNote`` are left
alone): ``<IRI>`` in patterns and expressions, ``(<IRI> AS ?this)`` where the variable is
projected (``SELECT ?this …``), ``(<IRI>)`` after ``GROUP BY``/``ORDER BY``. Binding it
(``AS ?this``, ``VALUES ?this``) is refused (KB308). The resulting text is a plain query: the
one the site runs, shows the result of, and opens in the SPARQL page.

Info string: ``sparql`` then ``key="value"`` attributes (read with :mod:`shlex`): ``title`` is
shown above the result; the word ``norun`` keeps the block a plain code block, never run.
"""

from __future__ import annotations

import re
import shlex
from bisect import bisect_right
from dataclasses import dataclass, field

from .body import Fence
from .diagnostics import Diagnostic, KBError
from .ids import RelPath
from .query import Result, run_local, tokens

LANGUAGE = "sparql"
NORUN = "norun"
TIMEOUT_S = 10.0  # per block: notes are read by everyone, their queries must stay cheap
THIS = "this"
_IRIREF = re.compile(r"[^<>\"{}|^`\\\x00-\x20]*")
_PROJECTION_ENDS = frozenset({"WHERE", "FROM"})
_MODIFIER_ENDS = frozenset({"LIMIT", "OFFSET", "HAVING", "VALUES", "ORDER", "GROUP"})


@dataclass
class NoteQuery:
    """One ``sparql`` block of a note and its answer.

    ``text`` is the query as written; ``run_text`` the query that runs (``?this`` replaced), empty
    when it could not be made; ``line`` the 1-based line of the opening fence in the note's file.
    ``result`` is None when the block failed (``error`` says why, in French, without file paths)
    or is marked ``norun``.
    """

    text: str
    title: str = ""
    line: int = 0
    run_text: str = ""
    this: str = ""  # the note's IRI, when the query uses ?this
    norun: bool = False
    result: Result | None = None
    error: str = ""
    diagnostics: list[Diagnostic] = field(default_factory=list)


def is_query_fence(fence: Fence) -> bool:
    """Whether a fenced block is a SPARQL block (info string starting with ``sparql``, any case)."""
    words = fence.info.split(maxsplit=1)
    return bool(words) and words[0].lower() == LANGUAGE


def read_info(info: str) -> tuple[str, bool, bool]:
    """``(title, norun, readable)`` from an info string such as ``sparql title="Titre" norun``.

    Attributes are split as a POSIX shell would (quotes group words); unknown attributes are
    ignored, as code-block extensions do. An unbalanced quote makes ``readable`` false.
    """
    rest = info.split(maxsplit=1)[1] if len(info.split(maxsplit=1)) > 1 else ""
    try:
        words = shlex.split(rest)
    except ValueError:
        return "", False, False
    title, norun = "", False
    for word in words:
        key, sep, value = word.partition("=")
        if sep and key.lower() == "title":
            title = " ".join(value.split())
        elif not sep and word.lower() == NORUN:
            norun = True
    return title, norun, True


class ThisMisused(Exception):
    """``?this`` stands where the note's IRI cannot: ``offset`` is where, in the written text."""

    def __init__(self, offset: int, message: str, hint: str):
        super().__init__(message)
        self.offset, self.message, self.hint = offset, message, hint


@dataclass(frozen=True, slots=True)
class Edit:
    """A replaced token: ``[start, end)`` in the written text became ``[new_start, new_end)``."""

    start: int
    end: int
    new_start: int
    new_end: int


def bind_this(text: str, iri: str) -> tuple[str, list[Edit]]:
    """``text`` with every ``?this``/``$this`` variable token replaced by ``<iri>`` (see the module
    docstring for the forms used where a bare IRI is not allowed), and the edits made.

    Raises :class:`ThisMisused` when the query binds ``?this`` (``AS ?this``, ``VALUES ?this``)
    or when ``iri`` cannot be written as a SPARQL IRI.
    """
    out: list[str] = []
    edits: list[Edit] = []
    pos = 0
    size = 0  # length of the text written so far
    depth = 0  # parentheses
    projections: list[int] = []  # paren depth of each open SELECT clause
    modifier: int | None = None  # paren depth of an open GROUP BY / ORDER BY
    previous = ""  # the previous word or punctuation, upper-cased
    in_values = False  # inside the variable list of VALUES
    for m in tokens(text):
        token = m.group(0)
        word = (m.group("word") or "").upper()
        if token == "(":
            depth += 1
        elif token == ")":
            depth -= 1
            in_values = False
        elif token in ("{", "}") or word in _PROJECTION_ENDS:
            if projections and projections[-1] == depth:
                projections.pop()
            if modifier is not None and modifier == depth:
                modifier = None
            in_values = False
        if word == "SELECT":
            projections.append(depth)
        elif word == "BY" and previous in ("GROUP", "ORDER"):
            modifier = depth
        elif word in _MODIFIER_ENDS and modifier is not None:
            modifier = None
        if token[:1] in "?$" and token[1:] == THIS:
            if previous == "AS":
                raise ThisMisused(m.start(), "?this is this note and cannot be bound (AS ?this)", "give the expression another name")
            if previous == "VALUES" or in_values:
                raise ThisMisused(m.start(), "?this is this note and cannot take VALUES", "use another variable, or <IRI> of the note itself")
            if not _IRIREF.fullmatch(iri):
                raise ThisMisused(m.start(), f"this note's IRI cannot be written in SPARQL: {iri!r}", "check site_url in mkdocs.yml")
            if projections and projections[-1] == depth:
                new = f"(<{iri}> AS {token})"
            elif modifier is not None and modifier == depth:
                new = f"(<{iri}>)"
            else:
                new = f"<{iri}>"
            piece = text[pos : m.start()]
            out += [piece, new]
            size += len(piece)
            edits.append(Edit(m.start(), m.end(), size, size + len(new)))
            size += len(new)
            pos = m.end()
        if previous == "VALUES" and token == "(":
            in_values = True
        previous = word or token
    out.append(text[pos:])
    return "".join(out), edits


def uses_this(text: str) -> bool:
    """Whether the query names the ``?this`` variable (as a token, not inside a string or IRI)."""
    return any(m.group(0)[:1] in "?$" and m.group(0)[1:] == THIS for m in tokens(text))


def answer_block(graph, text: str, iri: str, source: str = "<block>", timeout: float | None = TIMEOUT_S) -> NoteQuery:
    """Run one block's query text on ``graph`` for the note of IRI ``iri``.

    Parsing, the refusals (update, ``SERVICE``, ``LOAD``) and the evaluation all happen in
    :func:`~kbtools.query.run_local`'s time-limited child. Diagnostics of the answer are
    positioned in ``text`` (1-based line and column, ``source`` as path); :func:`answer_notes`
    moves them into the note's file. Never raises for a bad query.
    """
    answer = NoteQuery(text)
    try:
        edits: list[Edit] = []
        answer.run_text = text
        if uses_this(text):
            try:
                answer.run_text, edits = bind_this(text, iri)
            except ThisMisused as exc:
                line, col = _line_col(text, exc.offset)
                raise KBError(Diagnostic(source, line, col, "KB308", exc.message, exc.hint)) from None
            answer.this = iri
        try:
            answer.result = run_local(graph, answer.run_text, source, timeout=timeout)
        except KBError as exc:
            if edits and any(_is_syntax(d) for d in exc.diagnostics):
                raise _syntax_as_written(graph, text, answer.run_text, edits, exc, source, timeout) from None
            raise
    except KBError as exc:
        answer.run_text = ""  # nothing to open in the editor
        answer.diagnostics = [_for_notes(d) for d in exc.diagnostics]
    return answer


def _is_syntax(d: Diagnostic) -> bool:
    return d.code == "KB301" and d.message.startswith("SPARQL syntax error")


def _syntax_as_written(graph, text: str, run_text: str, edits: list[Edit], exc: KBError, source: str, timeout: float | None) -> KBError:
    """A syntax error of the text with ``?this`` replaced: the text as written has it too (its own
    error is reported, at its own place), or the replacement caused it (KB308 at that ``?this``)."""
    try:
        run_local(graph, text, source, timeout=timeout)
    except KBError as written:
        if any(_is_syntax(d) for d in written.diagnostics):
            return written
    syntax = next(d for d in exc.diagnostics if _is_syntax(d))
    offset = _offset(run_text, syntax.line, syntax.col)
    edit = max((e for e in edits if e.new_start <= offset), key=lambda e: e.new_start, default=edits[0])
    line, col = _line_col(text, edit.start)
    return KBError(Diagnostic(source, line, col, "KB308", "?this cannot stand here: it is replaced by this note's IRI",
                              "use ?this where an IRI may be written (patterns, expressions, SELECT, DESCRIBE)"))


# What kb query says of these names command-line options; a block in a note has none.
_FOR_NOTES = {
    "KB302": ("this is a SPARQL Update; a block in a note may only ask", "write a SELECT, ASK, CONSTRUCT or DESCRIBE query"),
    "KB305": (None, "simplify the query: a block in a note has a time limit"),
    "KB306": (None, "a block in a note never queries another server"),
    "KB307": (None, "a block in a note never downloads data"),
}


def _for_notes(d: Diagnostic) -> Diagnostic:
    if d.code not in _FOR_NOTES:
        return d
    message, hint = _FOR_NOTES[d.code]
    return Diagnostic(d.path, d.line, d.col, d.code, message or d.message, hint, d.severity)


def answer_notes(kb, timeout: float | None = TIMEOUT_S) -> tuple[dict[RelPath, list[NoteQuery]], list[Diagnostic]]:
    """Every ``sparql`` block of every note of ``kb`` (a :class:`~kbtools.pipeline.KnowledgeBase`),
    answered on ``kb.graph``; the answers by note path, in the order of the note, and the
    diagnostics of the blocks that failed, positioned in the notes' files."""
    answers: dict[RelPath, list[NoteQuery]] = {}
    diagnostics: list[Diagnostic] = []
    for note in kb.notes:
        fences = [f for f in note.parsed.fences if is_query_fence(f)]
        if not fences:
            continue
        lines = note.body.split("\n")
        found = answers[note.path] = []
        for fence in fences:
            title, norun, readable = read_info(fence.info)
            line = note.body_line + fence.line
            if not readable:
                diagnostics.append(Diagnostic(note.file, line, 1, "KB309", "unbalanced quote in the info string of this sparql block",
                                              'write the title as title="…"'))
            if norun:
                found.append(NoteQuery(fence.content, title, line, norun=True))
                continue
            answer = answer_block(kb.graph, fence.content, kb.iri(note), note.file, timeout)
            answer.title, answer.line = title, line
            answer.error = "\n".join(_shown(d) for d in answer.diagnostics)
            answer.diagnostics = [_in_note(d, note.file, line, fence, lines) for d in answer.diagnostics]
            diagnostics += answer.diagnostics
            found.append(answer)
    return answers, diagnostics


def _in_note(d: Diagnostic, file: str, fence_line: int, fence: Fence, lines: list[str]) -> Diagnostic:
    """A diagnostic of the query text moved to the note's file: line ``fence_line + d.line``, the
    column shifted by what precedes the block's content on that line (indentation, ``> ``). A
    position past the last line (the parser's "end of text") is put at the end of the last line."""
    content = fence.content.rstrip("\n").split("\n")
    line, col = d.line, d.col
    if line > len(content):
        line, col = len(content), len(content[-1]) + 1
    if 0 < line and fence.line + line < len(lines) and content[line - 1]:
        col += max(lines[fence.line + line].find(content[line - 1]), 0)
    return Diagnostic(file, fence_line + line, col, d.code, d.message, d.hint, d.severity)


def _shown(d: Diagnostic) -> str:
    """What the page shows of a failure: position in the block and message, no file path."""
    return f"ligne {d.line}, colonne {d.col} : {d.message}" + (f" ({d.hint})" if d.hint else "")


def _starts(text: str) -> list[int]:
    return [0] + [m.end() for m in re.finditer("\n", text)]


def _line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of an offset of ``text``."""
    starts = _starts(text)
    line = bisect_right(starts, offset) - 1
    return line + 1, offset - starts[line] + 1


def _offset(text: str, line: int, col: int) -> int:
    """The offset of a 1-based line and column of ``text`` (clamped to the text)."""
    starts = _starts(text)
    return min(starts[min(max(line, 1), len(starts)) - 1] + max(col, 1) - 1, len(text))
