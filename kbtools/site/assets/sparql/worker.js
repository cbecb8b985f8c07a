/* The SPARQL engine of the « Interroger en SPARQL » page: Oxigraph's WebAssembly build, in a
 * module worker so that loading the graph and running a long query never freeze the page.
 *
 * Messages in: {id, type: "load", url, prefixes} then {id, type: "query", text}.
 * Messages out: {id, ok: true, ...} or {id, ok: false, error, line?, col?}.
 * The store is read-only: only Store.query is ever called, never update.
 */
import init, { Store } from "../vendor/oxigraph/web.js";
import { isUpdate, prologue, queryForm } from "./syntax.js";

const POSITION = /error at (\d+):(\d+):?\s*/;
let store = null;
let prefixes = {};

async function load(url) {
  await init(); // fetches web_bg.wasm beside web.js (import.meta.url)
  const started = performance.now();
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} : ${response.status} ${response.statusText}`);
  const text = await response.text();
  const fresh = new Store();
  // A fresh store nobody else reads: no transaction needed around the bulk load.
  fresh.load(text, { format: "text/turtle", no_transaction: true });
  store = fresh;
  return { triples: store.size, bytes: text.length, ms: performance.now() - started };
}

function query(text) {
  if (!store) throw new Error("le graphe n’est pas encore chargé");
  if (isUpdate(text)) throw new Error("lecture seule : les mises à jour SPARQL sont refusées");
  const head = prologue(prefixes, text);
  const shift = head.split("\n").length - 1; // PREFIX lines put before the user's first line
  const form = queryForm(text);
  const started = performance.now();
  try {
    if (form === "CONSTRUCT" || form === "DESCRIBE") {
      const data = store.query(head + text, { results_format: "application/n-triples", use_default_graph_as_union: true });
      return { form, data, ms: performance.now() - started };
    }
    const data = store.query(head + text, { results_format: "json", use_default_graph_as_union: true });
    return { form, data, ms: performance.now() - started };
  } catch (error) {
    throw positioned(String(error && error.message ? error.message : error), shift);
  }
}

// Oxigraph says "error at LINE:COL: expected …" about the text it parsed, prologue included.
function positioned(message, shift) {
  const m = POSITION.exec(message);
  const failure = new Error(message.replace(POSITION, "").replace(/\s+/g, " ").trim() || message);
  if (m) {
    failure.line = Math.max(1, Number(m[1]) - shift);
    failure.col = Number(m[2]);
  }
  return failure;
}

self.onmessage = async (event) => {
  const { id, type } = event.data;
  try {
    let answer;
    if (type === "load") {
      prefixes = event.data.prefixes || {};
      answer = await load(event.data.url);
    } else if (type === "query") {
      answer = query(event.data.text);
    } else {
      throw new Error(`unknown message ${type}`);
    }
    self.postMessage({ id, ok: true, ...answer });
  } catch (error) {
    self.postMessage({ id, ok: false, error: String(error.message || error), line: error.line, col: error.col });
  }
};
