/* The query editor: a plain <textarea> (so typing, undo, selection and accessibility are the
 * browser's own) over a box that shows the same text highlighted. The textarea's text is
 * transparent; both share font, padding and scroll, so the caret sits on the coloured text.
 */
import { offsetOf, tokenize } from "./syntax.js";

function span(type, text, extra) {
  const el = document.createElement("span");
  el.className = `kb-sparql__tok kb-sparql__tok--${type}${extra ? " " + extra : ""}`;
  el.textContent = text;
  return el;
}

export class Editor {
  constructor(parent, onRun) {
    this.box = document.createElement("div");
    this.box.className = "kb-sparql__editor";
    // A <div>, not <pre><code>: material would give the overlay a copy button of its own.
    this.overlay = document.createElement("div");
    this.overlay.className = "kb-sparql__highlight";
    this.overlay.setAttribute("aria-hidden", "true");
    this.input = document.createElement("textarea");
    this.input.className = "kb-sparql__input";
    this.input.spellcheck = false;
    this.input.autocapitalize = "off";
    this.input.setAttribute("autocomplete", "off");
    this.input.setAttribute("aria-label", "Requête SPARQL (Ctrl+Entrée pour exécuter)");
    this.box.append(this.overlay, this.input);
    parent.append(this.box);
    this.error = null; // offset of the last syntax error, marked until the text changes
    this.input.addEventListener("input", () => {
      this.error = null;
      this.paint();
    });
    this.input.addEventListener("scroll", () => this.sync());
    // Tab keeps moving the focus (no keyboard trap); Ctrl+Entrée (⌘+Entrée) runs the query.
    this.input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        onRun();
      }
    });
  }

  get value() {
    return this.input.value;
  }

  set value(text) {
    this.input.value = text;
    this.error = null;
    this.paint();
  }

  /** Mark the 1-based position of a syntax error and put the caret there. */
  markError(line, col) {
    this.error = offsetOf(this.input.value, line, col);
    this.paint();
  }

  focusError() {
    if (this.error === null) return;
    this.input.focus();
    this.input.setSelectionRange(this.error, this.error);
  }

  paint() {
    const text = this.input.value;
    const out = document.createDocumentFragment();
    for (const token of tokenize(text)) {
      const end = token.start + token.text.length;
      if (this.error !== null && this.error >= token.start && this.error < end) {
        const cut = this.error - token.start;
        if (cut) out.append(span(token.type, token.text.slice(0, cut)));
        out.append(span(token.type, token.text.slice(cut), "kb-sparql__tok--error"));
      } else {
        out.append(span(token.type, token.text));
      }
    }
    if (this.error !== null && this.error >= text.length) out.append(span("space", " ", "kb-sparql__tok--error"));
    out.append("\n"); // a final newline in the textarea still has a line in the overlay
    this.overlay.replaceChildren(out);
    this.fit();
    this.sync();
  }

  // The editor grows with the query, up to the height the stylesheet allows, then scrolls.
  fit() {
    this.input.style.height = "auto";
    this.input.style.height = this.input.scrollHeight + 2 + "px";
  }

  sync() {
    this.overlay.scrollTop = this.input.scrollTop;
    this.overlay.scrollLeft = this.input.scrollLeft;
  }
}
