/* « Voir en graphe »: the edges of a result drawn with the renderer the site's graph pages use
 * (cytoscape, vendored by the kb plugin). It is loaded on the first click only.
 */

export const MAX_EDGES = 1500; // past this a force layout is a hairball and takes seconds

let loading = null;

function loadRenderer(url) {
  if (typeof window.cytoscape === "function") return Promise.resolve();
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = url;
      script.onload = () => resolve();
      script.onerror = () => {
        loading = null;
        reject(new Error("le moteur de dessin du graphe n’a pas pu être chargé"));
      };
      document.head.append(script);
    });
  }
  return loading;
}

// Cytoscape reads neither 8-digit hex nor alpha: the canvas normalises a theme colour (as kb-graph.js does).
function solid(colour, fallback) {
  const probe = document.createElement("canvas").getContext("2d");
  probe.fillStyle = fallback;
  probe.fillStyle = colour; // an invalid colour leaves the fallback
  const m = /^rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(probe.fillStyle);
  return m ? `rgb(${m[1]}, ${m[2]}, ${m[3]})` : probe.fillStyle;
}

function colours(el) {
  const css = getComputedStyle(el);
  const read = (name, fallback) => solid(css.getPropertyValue(name).trim() || fallback, fallback);
  return { fg: read("--md-default-fg-color", "#222"), node: read("--md-primary-fg-color", "#3f51b5"), edge: read("--md-default-fg-color--lighter", "#bbb") };
}

/**
 * Draw ``edges`` ({source, target, label}) into ``el``; ``labels`` maps an IRI to its title,
 * ``href`` gives the page of a site IRI (or null). Returns the cytoscape instance.
 */
export async function drawGraph(el, edges, { rendererUrl, labels, href, shortName }) {
  await loadRenderer(rendererUrl);
  const nodes = new Map();
  const elements = [];
  const node = (iri) => {
    if (!nodes.has(iri)) {
      nodes.set(iri, true);
      const page = href(iri);
      elements.push({ data: { id: iri, label: labels.get(iri) || shortName(iri), ...(page ? { href: page } : {}) } });
    }
  };
  edges.slice(0, MAX_EDGES).forEach((e, i) => {
    node(e.source);
    node(e.target);
    elements.push({ data: { id: "e" + i, source: e.source, target: e.target, label: e.label ? shortName(e.label) : "" } });
  });
  const c = colours(el);
  const cy = window.cytoscape({
    container: el,
    elements,
    layout: { name: nodes.size > 300 ? "grid" : "cose", animate: false },
    style: [
      {
        selector: "node",
        style: { "background-color": c.node, label: "data(label)", color: c.fg, "font-size": 10, "text-valign": "bottom", "text-wrap": "ellipsis", "text-max-width": 140, width: 14, height: 14 },
      },
      { selector: "node[href]", style: { "border-width": 2, "border-color": c.fg } },
      {
        selector: "edge",
        style: { width: 1.2, "line-color": c.edge, "target-arrow-color": c.edge, "target-arrow-shape": "triangle", "curve-style": "bezier", label: "data(label)", "font-size": 8, color: c.fg, "text-rotation": "autorotate" },
      },
    ],
  });
  cy.on("tap", "node", (event) => {
    const target = event.target.data("href");
    if (target) window.location.href = target;
  });
  el.dataset.kbNodes = String(nodes.size);
  el.dataset.kbEdges = String(Math.min(edges.length, MAX_EDGES));
  return cy;
}

/** Titles of the nodes, asked of the same store (prefLabel, else rdfs:label): IRI → title. */
export async function nodeLabels(engine, iris) {
  const found = new Map();
  if (!iris.length) return found;
  const values = iris.map((iri) => `<${iri}>`).join(" ");
  const text = `SELECT ?s (SAMPLE(?l) AS ?label) WHERE { VALUES ?s { ${values} } ?s skos:prefLabel|rdfs:label ?l } GROUP BY ?s`;
  try {
    const answer = await engine.call({ type: "query", text });
    for (const row of JSON.parse(answer.data).results.bindings) found.set(row.s.value, row.label.value);
  } catch {
    // Without titles the nodes show their IRIs.
  }
  return found;
}
