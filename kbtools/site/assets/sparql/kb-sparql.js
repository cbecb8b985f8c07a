/* « Interroger en SPARQL »: the knowledge base queried in the browser, offline.
 *
 * The page's container (written by the kb mkdocs plugin) carries the data this needs: where
 * kb.ttl is, the site's IRI base and root, the pre-declared prefixes and the example questions.
 * Oxigraph runs in a module worker (worker.js). Values from the graph only reach the page as
 * text (results.js); an update is refused before it is sent.
 *
 * Material's instant navigation may bring the page back without reloading: a module runs once
 * per document, so later visits are found by the scan that document$ triggers.
 */
import { Editor } from "./editor.js";
import { Engine } from "./engine.js";
import { MAX_ROWS, compact, curlCommand, duration, graphEdges, siteHref, summary, table, toCsv } from "./results.js";
import { isUpdate, prologue, queryForm } from "./syntax.js";

const instances = new Map(); // container element → its SparqlPage
const DEFAULT_QUERY = "SELECT ?note ?titre\nWHERE {\n  ?note kb:path ?chemin ;\n        skos:prefLabel ?titre .\n}\nORDER BY ?titre\nLIMIT 50\n";
const READ_ONLY =
  "Cette page est en lecture seule : les mises à jour SPARQL (INSERT, DELETE, LOAD, CLEAR, DROP…) ne sont pas exécutées. " +
  "Pour modifier le graphe, utilisez « kb query --allow-update » sur votre copie de la base.";

function make(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

function button(label, className, onClick) {
  const el = make("button", "md-button " + className, label);
  el.type = "button";
  el.addEventListener("click", onClick);
  return el;
}

/** The text a permalink carries: "#q=…" (or "?q=…"), else null. */
function linkedQuery() {
  if (location.hash.startsWith("#q=")) {
    try {
      return decodeURIComponent(location.hash.slice(3));
    } catch {
      return null; // a hand-edited, badly encoded link: start from the default query
    }
  }
  return new URLSearchParams(location.search).get("q");
}

class SparqlPage {
  constructor(el) {
    this.el = el;
    const data = el.dataset;
    this.queries = JSON.parse(data.kbQueries || "[]");
    this.prefixes = JSON.parse(data.kbPrefixes || "{}");
    this.ctx = { prefixes: this.prefixes, site: data.kbSite || "", root: data.kbRoot || "" };
    this.dataUrl = new URL(data.kbSparql, document.baseURI).href;
    this.urls = [];
    this.build();
    const linked = linkedQuery();
    this.editor.value = linked ?? DEFAULT_QUERY;
    this.start();
    if (linked !== null) {
      this.describe(this.queries.find((q) => q.text === linked)); // opened from a question's page
      this.run();
    }
  }

  build() {
    const el = this.el;
    const bar = make("div", "kb-sparql__bar");
    const label = make("label", "kb-sparql__label", "Exemples ");
    this.menu = make("select", "kb-sparql__examples");
    this.menu.append(new Option("Choisir une question…", ""));
    for (const q of this.queries) this.menu.append(new Option(q.title, q.name));
    this.menu.addEventListener("change", () => this.pick(this.menu.value));
    label.append(this.menu);
    bar.append(label);
    this.about = make("p", "kb-sparql__about");
    this.about.hidden = true;
    const prefixes = make("p", "kb-sparql__prefixes", "Préfixes déjà déclarés : " + Object.keys(this.prefixes).join(", ") + ". Ctrl+Entrée exécute la requête.");
    el.replaceChildren(bar, this.about);
    this.editor = new Editor(el, () => this.run());
    const actions = make("div", "kb-sparql__actions");
    this.runButton = button("Exécuter", "md-button--primary kb-sparql__run", () => this.run());
    this.stopButton = button("Arrêter", "kb-sparql__stop", () => this.restart());
    this.stopButton.hidden = true;
    this.permalink = make("a", "kb-sparql__permalink", "Lien permanent");
    actions.append(
      this.runButton,
      this.stopButton,
      button("Copier le lien", "kb-sparql__copy-link", () => this.copy(this.link(), "Lien copié")),
      button("Copier en curl", "kb-sparql__copy-curl", () => this.copyCurl()),
      this.permalink,
    );
    this.curl = make("details", "kb-sparql__curl");
    this.curlText = make("code");
    const pre = make("pre");
    pre.append(this.curlText);
    this.curl.append(make("summary", "", "Commande curl pour un serveur SPARQL"), pre);
    this.status = make("p", "kb-sparql__status", "Chargement du graphe…");
    this.status.setAttribute("role", "status");
    this.error = make("div", "kb-sparql__error admonition failure");
    this.error.setAttribute("role", "alert");
    this.error.hidden = true;
    this.tools = make("div", "kb-sparql__tools");
    this.output = make("div", "kb-sparql__output");
    this.graph = make("div", "kb-sparql__graph");
    this.graph.hidden = true;
    el.append(prefixes, actions, this.curl, this.status, this.error, this.tools, this.output, this.graph);
    this.refreshLinks();
  }

  start() {
    this.el.dataset.kbReady = "loading";
    this.engine = new Engine();
    this.ready = this.engine.call({ type: "load", url: this.dataUrl, prefixes: this.prefixes }).then(
      (info) => {
        const time = info.ms < 1000 ? duration(info.ms) : (info.ms / 1000).toLocaleString("fr-FR", { maximumFractionDigits: 1 }) + " s";
        this.status.textContent = `Graphe chargé : ${info.triples.toLocaleString("fr-FR")} triplets en ${time}.`;
        // Read by the tests and benchmarks/sparql_browser.py: graph size, fetch + parse time, when it was ready.
        Object.assign(this.el.dataset, { kbTriples: String(info.triples), kbLoadMs: info.ms.toFixed(1), kbReadyAt: performance.now().toFixed(1) });
        this.el.dataset.kbReady = "1";
        return info;
      },
      (error) => {
        this.el.dataset.kbReady = "error";
        this.status.textContent = "";
        this.showError(`Le graphe n’a pas pu être chargé (${error.message}).`);
        throw error;
      },
    );
    this.ready.catch(() => {}); // reported above; run() reports it again if asked
  }

  restart() {
    this.engine.stop();
    this.start();
  }

  pick(name) {
    const q = this.queries.find((item) => item.name === name);
    if (!q) return;
    this.editor.value = q.text;
    this.describe(q);
    this.run();
  }

  describe(q) {
    if (!q) return;
    this.menu.value = q.name;
    this.about.replaceChildren(document.createTextNode(q.description + " "));
    if (q.page) {
      const answered = make("a", "", "Réponse précalculée");
      answered.href = q.page;
      this.about.append(answered);
    }
    this.about.hidden = false;
  }

  link() {
    return location.origin + location.pathname + "#q=" + encodeURIComponent(this.editor.value);
  }

  fullText() {
    return prologue(this.prefixes, this.editor.value) + this.editor.value;
  }

  refreshLinks() {
    this.permalink.href = this.link();
    this.curlText.textContent = curlCommand(this.el.dataset.kbEndpoint, this.fullText(), queryForm(this.editor.value));
  }

  copyCurl() {
    this.refreshLinks();
    this.curl.open = true;
    this.copy(this.curlText.textContent, "Commande curl copiée");
  }

  copy(text, done) {
    const say = (message) => (this.status.textContent = message);
    if (!navigator.clipboard) return say("Copie impossible ici : sélectionnez le texte.");
    navigator.clipboard.writeText(text).then(
      () => say(done),
      () => say("Copie refusée par le navigateur : sélectionnez le texte."),
    );
  }

  showError(message, line, col, heading = "Erreur") {
    const title = make("p", "admonition-title", line ? `Erreur de syntaxe ligne ${line}, colonne ${col}` : heading);
    const detail = make("p", "kb-sparql__error-text", message);
    this.error.replaceChildren(title, detail);
    if (line) {
      this.editor.markError(line, col);
      detail.append(" ", button("Aller à l’erreur", "kb-sparql__goto", () => this.editor.focusError()));
    }
    this.error.hidden = false;
  }

  clear() {
    for (const url of this.urls) URL.revokeObjectURL(url);
    this.urls = [];
    this.error.hidden = true;
    this.tools.replaceChildren();
    this.output.replaceChildren();
    this.graph.hidden = true;
    this.graph.replaceChildren();
    if (this.cy) this.cy.destroy();
    this.cy = null;
  }

  async run() {
    const text = this.editor.value;
    const turn = (this.turn = (this.turn || 0) + 1); // an answer to an older run is dropped
    this.clear();
    this.refreshLinks();
    if (!text.trim()) return this.finish("error", "La requête est vide.");
    if (isUpdate(text)) return this.finish("refused", READ_ONLY);
    this.el.dataset.kbState = "running";
    this.status.textContent = "Exécution…";
    this.runButton.disabled = true;
    this.stopButton.hidden = false;
    try {
      await this.ready;
      const started = performance.now();
      const answer = await this.engine.call({ type: "query", text });
      if (turn === this.turn) this.show(answer, performance.now() - started);
    } catch (error) {
      if (turn === this.turn) this.finish("error", error.message, error.line, error.col);
    } finally {
      if (turn === this.turn) {
        this.runButton.disabled = false;
        this.stopButton.hidden = true;
      }
    }
  }

  finish(state, message, line, col) {
    this.status.textContent = "";
    this.showError(message, line, col, state === "refused" ? "Requête refusée" : "Erreur");
    this.el.dataset.kbState = state;
  }

  download(label, text, name, type) {
    const url = URL.createObjectURL(new Blob([text], { type }));
    this.urls.push(url);
    const a = make("a", "md-button kb-sparql__download", label);
    Object.assign(a, { href: url, download: name });
    a.dataset.kbFormat = name.split(".").pop();
    this.tools.append(a);
  }

  show(answer, ms) {
    let count;
    if (answer.form === "CONSTRUCT" || answer.form === "DESCRIBE") {
      count = answer.data.split("\n").filter((line) => line.trim()).length;
      const pre = make("pre", "kb-sparql__triples");
      pre.append(make("code", "", answer.data));
      this.output.append(pre);
      this.status.textContent = summary(count, ms, "triplet");
      this.download("Télécharger en N-Triples", answer.data, "resultats.nt", "application/n-triples");
    } else {
      const json = JSON.parse(answer.data);
      if (typeof json.boolean === "boolean") {
        count = 1;
        this.output.append(make("p", "kb-sparql__boolean", json.boolean ? "Oui (true)" : "Non (false)"));
        this.status.textContent = `Réponse en ${duration(ms)}`;
      } else {
        count = json.results.bindings.length;
        this.output.append(table(json, this.ctx));
        const cut = count > MAX_ROWS ? ` (les ${MAX_ROWS.toLocaleString("fr-FR")} premiers affichés ; le CSV et le JSON les contiennent tous)` : "";
        this.status.textContent = summary(count, ms) + cut;
        this.download("Télécharger en CSV", toCsv(json), "resultats.csv", "text/csv");
        this.offerGraph(json);
      }
      this.download("Télécharger en JSON", JSON.stringify(json, null, 2), "resultats.json", "application/sparql-results+json");
    }
    this.el.dataset.kbRows = String(count);
    this.el.dataset.kbMs = ms.toFixed(2);
    this.el.dataset.kbState = "done";
  }

  offerGraph(json) {
    const edges = graphEdges(json);
    if (!edges) return;
    this.tools.append(button("Voir en graphe", "kb-sparql__show-graph", () => this.drawGraph(edges)));
  }

  async drawGraph(edges) {
    this.graph.hidden = false;
    this.graph.replaceChildren();
    const { drawGraph, nodeLabels, MAX_EDGES } = await import("./graphview.js");
    const iris = [...new Set(edges.slice(0, MAX_EDGES).flatMap((e) => [e.source, e.target]))].filter((iri) => !iri.startsWith("_:"));
    const labels = await nodeLabels(this.engine, iris);
    if (this.cy) this.cy.destroy();
    try {
      this.cy = await drawGraph(this.graph, edges, {
        rendererUrl: new URL(this.el.dataset.kbCytoscape, document.baseURI).href,
        labels,
        href: (iri) => siteHref(iri, this.ctx.site, this.ctx.root),
        shortName: (iri) => compact(iri, this.prefixes),
      });
      this.graph.dataset.kbReady = "1";
    } catch (error) {
      this.graph.replaceChildren(make("p", "kb-sparql__status", error.message));
    }
  }
}

function scan() {
  for (const [el, page] of instances) {
    if (!el.isConnected) {
      page.engine.stop(); // frees the worker's copy of the graph
      if (page.cy) page.cy.destroy();
      instances.delete(el);
    }
  }
  document.querySelectorAll("[data-kb-sparql]").forEach((el) => {
    if (!instances.has(el)) instances.set(el, new SparqlPage(el));
  });
}

// A permalink opened on the page already open (or pasted in the address bar).
window.addEventListener("hashchange", () => {
  const text = linkedQuery();
  if (text === null) return;
  for (const [el, page] of instances) {
    if (el.isConnected && text !== page.editor.value) {
      page.editor.value = text;
      page.run();
    }
  }
});

window.kbSparql = { scan, instances };
if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(scan);
scan();
