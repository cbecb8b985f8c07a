"""The HTML sanitiser (kbtools.sanitize), without a browser: what Markdown and the theme make stays,
what could run a script goes. The hostile inputs are the ones of issue #12."""

from __future__ import annotations

import markdown
import pytest
from bs4 import BeautifulSoup, Comment, NavigableString

from kbtools.sanitize import clean_html, clean_label, clean_markdown_html

# The extensions of the project's mkdocs.yml, plus those a vault commonly turns on.
EXTENSIONS = [
    "admonition",
    "attr_list",
    "md_in_html",
    "tables",
    "footnotes",
    "def_list",
    "toc",
    "pymdownx.details",
    "pymdownx.superfences",
    "pymdownx.highlight",
    "pymdownx.inlinehilite",
    "pymdownx.tabbed",
    "pymdownx.tasklist",
    "pymdownx.arithmatex",
    "pymdownx.mark",
    "pymdownx.keys",
]
CONFIGS = {
    "toc": {"permalink": True},
    "pymdownx.highlight": {"anchor_linenums": True},
    "pymdownx.tabbed": {"alternate_style": True},
    "pymdownx.arithmatex": {"generic": True},
}

LEGIT = """\
# Titre { #ancre .classe }

Du **gras**, de l'*italique*, du `code`, ==surligné==, ++ctrl+alt+del++, une note[^1] et $a^2$.

[Un lien](https://pytorch.org "PyTorch") · [relatif](../autre/#section) · [courriel](mailto:a@b.invalid)
· ![figure](figures/courbe.png){ loading=lazy width=300 }

| gauche | centre | droite |
|:-------|:------:|-------:|
| a      | b      | c      |

!!! warning "Attention"
    Une admonition avec une liste :

    - [x] fait
    - [ ] à faire

??? success "Sortie enregistrée"
    ```text
    époque 1 : perte 0.5
    ```

=== "PyTorch"

    ```python title="mlp.py" linenums="1"
    import torch
    x = torch.ones(2)  # commentaire
    ```

=== "JAX"

    ```python
    import jax.numpy as jnp
    ```

Terme
:   Définition.

$$
\\sum_i x_i
$$

<div class="kb-snippet" markdown data-snippet="pytorch/mlp">
**Un bloc** du plugin, avec <span class="kb-dangling" title="lien pendant : [[X]]">X</span>
et <a class="kb-link" href="../x/">un lien</a> · <a href="../../notebooks/x.ipynb" download>Télécharger</a>
</div>

[^1]: La note de bas de page.
"""


def _render(text: str) -> str:
    return markdown.markdown(text, extensions=EXTENSIONS, extension_configs=CONFIGS)


def _tree(html: str) -> list[str]:
    """Elements, attributes and text as a browser would read them, serialisation aside."""
    out: list[str] = []

    def walk(el, depth: int) -> None:
        for child in el.children:
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                if text := " ".join(str(child).split()):
                    out.append("  " * depth + repr(text))
                continue
            if child.name == "tbody" and not child.attrs:  # a browser adds it to a table without one
                walk(child, depth)
                continue
            attrs = {k: " ".join(v) if isinstance(v, list) else v for k, v in sorted(child.attrs.items())}
            if "style" in attrs:  # the sanitiser rewrites "text-align: left;" as "text-align:left"
                attrs["style"] = attrs["style"].replace(" ", "").rstrip(";")
            attrs.pop("markdown", None)  # md_in_html's marker: no meaning in a page
            out.append("  " * depth + f"<{child.name} {attrs}>")
            walk(child, depth + 1)

    walk(BeautifulSoup(html, "html.parser"), 0)
    return out


def test_markdown_and_theme_output_is_kept_whole() -> None:
    html = _render(LEGIT)
    # the rendering really holds what the allowlist must keep
    for needle in ('class="tabbed-set', 'type="radio"', "<details", 'class="admonition warning"', 'class="headerlink"',
                   'id="__codelineno-', 'class="footnote-ref"', 'style="text-align: right;"', 'type="checkbox"',
                   'class="arithmatex"', "<mark>", 'class="keys"', 'data-snippet="pytorch/mlp"', "download", 'loading="lazy"'):  # fmt: skip
        assert needle in html, needle
    assert _tree(clean_html(html)) == _tree(html)


@pytest.mark.parametrize(
    ("hostile", "gone"),
    [
        ("<script>alert(1)</script>", "alert"),
        ("<img src=x onerror=alert(1)>", "onerror"),
        ('<iframe srcdoc="<script>alert(1)</script>"></iframe>', "iframe"),
        ("<svg onload=alert(1)><circle r=5 /></svg>", "onload"),
        ('<a href="javascript:alert(1)">x</a>', "javascript"),
        ('<a href="JaVaScRiPt:alert(1)">x</a>', "alert"),
        ('<a href="jav&#x09;ascript:alert(1)">x</a>', "alert"),
        ('<a href="vbscript:msgbox(1)">x</a>', "vbscript"),
        ('<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">x</a>', "data:"),
        ('<img src="data:image/svg+xml,&lt;svg onload=alert(1)&gt;">', "data:"),
        ('<form action="javascript:alert(1)"><button formaction="javascript:alert(2)">x</button></form>', "form"),
        ('<p style="background:url(javascript:alert(1));width:expression(alert(2))">x</p>', "alert"),
        ("<details open ontoggle=alert(1)><summary>s</summary></details>", "ontoggle"),
        ("<input autofocus onfocus=alert(1)>", "onfocus"),
        ('<input type="text" value="x">', "text"),
        ('<object data="javascript:alert(1)"></object><embed src="javascript:alert(2)">', "alert"),
        ('<meta http-equiv="refresh" content="0;url=javascript:alert(1)">', "refresh"),
        ('<base href="javascript:alert(1)//">', "base"),
        ("<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>", "onerror"),
        ('<a href="https://x.invalid" target="_blank">x</a>', "_blank"),
        ('<div data-md-component="search" data-kb-graph="1">x</div>', "data-"),
        ("<style>body{display:none}</style>", "display"),
        ("<!-- --!><img src=x onerror=alert(1)> -->", "onerror"),
        ('<div id="__config">{"search": "evil.js"}</div>', "__config"),  # would replace material's configuration
        ('<p id="kbGraph">x</p><a name="location$">y</a><label for="__search">z</label>', "kbgraph"),
    ],
)
def test_what_could_run_a_script_is_removed(hostile: str, gone: str) -> None:
    cleaned = clean_html(f"<p>avant</p>{hostile}<p>après</p>")
    assert gone.lower() not in cleaned.lower()
    assert "<p>avant</p>" in cleaned and "<p>après</p>" in cleaned  # the rest of the page is left alone


def test_reserved_names_are_dropped_and_markdown_names_kept() -> None:
    cleaned = clean_html('<p id="kbGraph">a</p><a name="location$">b</a><label for="__search">c</label><h2 id="kb-graph">d</h2>')
    assert cleaned == '<p>a</p><a>b</a><label>c</label><h2 id="kb-graph">d</h2>'
    kept = '<input id="__tabbed_1_1" name="__tabbed_1" type="radio"><span id="__span-0-1"><a id="__codelineno-0-1" name="__codelineno-0-1"></a></span>'
    assert _tree(clean_html(kept)) == _tree(kept)


def test_markdown_links_with_a_script_scheme_lose_their_href() -> None:
    html = _render("[clic](javascript:alert(1)) [ok](https://example.invalid)")
    assert "javascript:" in html  # Python-Markdown itself lets it through
    cleaned = clean_html(html)
    assert "javascript" not in cleaned
    assert 'href="https://example.invalid"' in cleaned


def test_attr_list_event_handlers_are_removed() -> None:
    html = _render('[lien](https://example.invalid){ onclick="alert(1)" .bouton }')
    assert "onclick" in html
    assert _tree(clean_html(html)) == _tree('<p><a class="bouton" href="https://example.invalid">lien</a></p>')


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("<img src=x onerror=alert(1)>", ""),
        ("<b>PyTorch</b>", "PyTorch"),
        ("Deep  Learning", "Deep Learning"),
        ("a &amp; b", "a & b"),
        ("&lt;script&gt;x", "script x"),
        ("l'IA", "l'IA"),
    ],
)
def test_labels_keep_their_text_only(tag: str, expected: str) -> None:
    assert clean_label(tag) == expected


def test_markdown_html_pieces_are_cleaned_and_code_left_alone() -> None:
    source = (
        "Intro <span class=\"x\" onclick=\"evil()\">texte</span> et `<img src=x onerror=alert(1)>` en code.\n"
        "\n"
        "<script>alert(1)</script>\n"
        "\n"
        "Un [lien](javascript:alert(1)) et ![i](data:image/svg+xml,abc).\n"
        "\n"
        "[ref]: javascript:alert(3)\n"
        "\n"
        "<!-- kb:snippet pytorch/mlp -->\n"
        "\n"
        "```html\n"
        "<script>alert('code')</script>\n"
        "```\n"
    )
    out, changes = clean_markdown_html(source)
    assert out == (
        "Intro <span class=\"x\">texte</span> et `<img src=x onerror=alert(1)>` en code.\n"
        "\n"
        "\n"
        "Un [lien](#javascript:alert(1)) et ![i](#data:image/svg+xml,abc).\n"
        "\n"
        "[ref]: #javascript:alert(3)\n"
        "\n"
        "<!-- kb:snippet pytorch/mlp -->\n"
        "\n"
        "```html\n"
        "<script>alert('code')</script>\n"
        "```\n"
    )
    assert [c.line for c in changes] == [1, 3, 5, 7]


def test_tags_inside_wikilinks_are_names_and_stay() -> None:
    source = "Voir [[<img src=x onerror=alert(1)>]] et <img src=x onerror=alert(2)>.\n"
    out, changes = clean_markdown_html(source)
    assert out == 'Voir [[<img src=x onerror=alert(1)>]] et <img src="x">.\n'
    assert [c.before for c in changes] == ["<img src=x onerror=alert(2)>"]


def test_clean_markdown_leaves_plain_markdown_unchanged() -> None:
    assert clean_markdown_html(LEGIT) == (LEGIT, [])
