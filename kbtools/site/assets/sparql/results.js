/* Results of the SPARQL page: terms as text and links, the table, the SPARQL 1.1 CSV, the curl
 * command, and whether a result can be drawn as a graph.
 *
 * Every value comes from the graph, which anyone editing a note writes: it reaches the page
 * through textContent and attribute setters only, and only http(s) IRIs become links.
 */

export const MAX_ROWS = 1000; // rows drawn in the table; the downloads hold them all

/** Site IRIs are page addresses: "https://site/concepts/x/" → "<root>concepts/x/". */
export function siteHref(iri, site, root) {
  return site && iri.startsWith(site) ? root + iri.slice(site.length) : null;
}

/** "kb:Framework" for IRIs in a pre-declared namespace (as kbtools.query.term_text does). */
export function compact(iri, prefixes) {
  for (const [name, ns] of Object.entries(prefixes)) {
    if (iri.startsWith(ns) && /^[\p{L}\p{N}_.-]*$/u.test(iri.slice(ns.length))) return `${name}:${iri.slice(ns.length)}`;
  }
  return iri;
}

export function termText(term, prefixes) {
  if (!term) return "";
  if (term.type === "uri") return compact(term.value, prefixes);
  if (term.type === "bnode") return "_:" + term.value;
  return term.value;
}

function cell(term, ctx) {
  const td = document.createElement("td");
  if (!term) return td;
  const label = termText(term, ctx.prefixes);
  if (term.type === "uri") {
    const local = siteHref(term.value, ctx.site, ctx.root);
    if (local !== null || /^https?:\/\//i.test(term.value)) {
      const a = document.createElement("a");
      a.href = local !== null ? local : term.value;
      a.textContent = label;
      if (local === null) {
        a.className = "kb-sparql__external";
        a.rel = "nofollow noopener";
      }
      td.append(a);
    } else {
      td.textContent = label;
    }
    td.title = term.value;
  } else {
    td.textContent = label;
    if (term["xml:lang"]) td.title = "@" + term["xml:lang"];
    else if (term.datatype) td.title = compact(term.datatype, ctx.prefixes);
    if (/#(integer|decimal|double|float|int|long)$/.test(term.datatype || "")) td.className = "kb-sparql__number";
  }
  return td;
}

/** The table of a SELECT result (at most MAX_ROWS rows). */
export function table(json, ctx) {
  const vars = json.head.vars || [];
  const el = document.createElement("table"); // no class: material styles only table:not([class])
  const head = el.createTHead().insertRow();
  for (const v of vars) {
    const th = document.createElement("th");
    th.textContent = "?" + v;
    head.append(th);
  }
  const body = el.createTBody();
  for (const row of json.results.bindings.slice(0, MAX_ROWS)) {
    const tr = body.insertRow();
    for (const v of vars) tr.append(cell(row[v], ctx));
  }
  return el;
}

function csvField(value) {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** SPARQL 1.1 Query Results CSV: plain values, CRLF line ends. */
export function toCsv(json) {
  const vars = json.head.vars || [];
  const lines = [vars.map(csvField).join(",")];
  for (const row of json.results.bindings) {
    lines.push(vars.map((v) => csvField(row[v] ? (row[v].type === "bnode" ? "_:" : "") + row[v].value : "")).join(","));
  }
  return lines.join("\r\n") + "\r\n";
}

function shellQuote(text) {
  return "'" + text.replace(/'/g, "'\\''") + "'";
}

/** The same query against a SPARQL server (the pre-declared prefixes written out). */
export function curlCommand(endpoint, fullText, form) {
  const accept = form === "CONSTRUCT" || form === "DESCRIBE" ? "application/n-triples" : "application/sparql-results+json";
  return `curl -sS ${shellQuote(endpoint)} -H ${shellQuote("Accept: " + accept)} --data-urlencode ${shellQuote("query=" + fullText)}`;
}

/** Edges to draw, or null: two IRI columns, or ?s ?p ?o with IRIs at both ends. */
export function graphEdges(json) {
  const vars = json.head.vars || [];
  const rows = json.results.bindings;
  const linkable = (t) => t && (t.type === "uri" || t.type === "bnode");
  let from;
  let to;
  let via = null;
  if (vars.length === 2) [from, to] = vars;
  else if (vars.length === 3 && ["s", "p", "o"].every((v) => vars.includes(v))) [from, via, to] = ["s", "p", "o"];
  else return null;
  const edges = rows.filter((r) => linkable(r[from]) && linkable(r[to]));
  if (!edges.length || edges.length < rows.filter((r) => r[from] && r[to]).length) return null;
  const id = (t) => (t.type === "bnode" ? "_:" : "") + t.value; // the graph view asks titles of IRIs only
  return edges.map((r) => ({ source: id(r[from]), target: id(r[to]), label: via && r[via] ? r[via].value : "" }));
}

/** « 3,4 ms » */
export function duration(ms) {
  return ms.toLocaleString("fr-FR", { maximumFractionDigits: ms < 10 ? 1 : 0 }) + " ms";
}

/** « 12 résultats en 3,4 ms » */
export function summary(count, ms, noun = "résultat") {
  const what = count === 0 ? `aucun ${noun}` : `${count.toLocaleString("fr-FR")} ${noun}${count > 1 ? "s" : ""}`;
  return `${what[0].toUpperCase()}${what.slice(1)} en ${duration(ms)}`;
}
