/* Graph view of the knowledge base (global page and local graph of each note).
 *
 * Draws the JSON the kb mkdocs plugin writes (positions are computed at build time) with
 * cytoscape. Titles come from notes anyone can write: they only ever reach the page through
 * textContent, option.value or cytoscape's canvas text, never innerHTML.
 *
 * Material's instant navigation swaps the page content and re-runs its scripts, so this file
 * may run several times: the second run only scans for new graphs.
 *
 * The global graph groups notes by hub (compound nodes), shows the labels of hubs and of the
 * most linked notes at any zoom and the others once zoomed in. Clicking a note (or finding it)
 * focuses it: the rest dims; clicking it again opens it. The focus and the filters live in the
 * page's query string (?note=…&relations=…&types=…), read back when the page is drawn.
 */
(function () {
  "use strict";

  if (window.kbGraph) {
    window.kbGraph.scan();
    return;
  }

  const instances = new Map(); // container element → cytoscape instance
  let counter = 0;
  let subscribed = false;

  function make(tag, className, text) {
    const el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  }

  // The same folding as the site's French collation: accents and case do not matter.
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  // Cytoscape reads neither 8-digit hex nor alpha: the canvas normalises a theme colour to rgb().
  const probe = document.createElement("canvas").getContext("2d");
  function solid(colour, fallback) {
    probe.fillStyle = fallback;
    probe.fillStyle = colour; // an invalid colour leaves the fallback
    const m = /^rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(probe.fillStyle);
    return m ? "rgb(" + m[1] + ", " + m[2] + ", " + m[3] + ")" : probe.fillStyle;
  }

  function themeColours(el) {
    const css = getComputedStyle(el);
    const read = (name, fallback) => solid(css.getPropertyValue(name).trim() || fallback, fallback);
    return {
      fg: read("--md-default-fg-color", "#222"),
      bg: read("--md-default-bg-color", "#fff"),
      accent: read("--md-accent-fg-color", "#ff6e42"),
    };
  }

  // Labels that keep the same size on screen whatever the zoom (hubs, major notes, groups).
  const STEADY_PX = 12;
  const GROUP_PX = 14;
  const GROUP_WIDTH = 240; // on screen, before the name of a group wraps

  function graphStyle(colours, big, grouped) {
    return [
      {
        selector: "node",
        style: {
          "background-color": "data(colour)",
          label: "data(label)",
          color: colours.fg,
          "font-size": big ? 9 : 11,
          "min-zoomed-font-size": big || grouped ? 9 : 0,
          "text-valign": "bottom",
          "text-margin-y": 3,
          "text-outline-color": colours.bg,
          "text-outline-width": 2,
          "text-wrap": "ellipsis",
          "text-max-width": 160,
          width: "data(size)",
          height: "data(size)",
        },
      },
      { selector: "node.kb-focus", style: { "border-width": 3, "border-color": colours.accent, "font-weight": "bold" } },
      {
        selector: "node:parent",
        style: {
          shape: "round-rectangle",
          "background-color": colours.fg,
          "background-opacity": 0.04,
          "border-width": 1,
          "border-color": colours.fg,
          "border-opacity": 0.25,
          padding: 14,
          label: "data(label)",
          "text-valign": "top",
          "text-halign": "center",
          "text-margin-y": -4,
          "font-weight": "bold",
          "font-size": GROUP_PX,
          "min-zoomed-font-size": 0,
          "text-wrap": "wrap",
          "text-max-width": GROUP_WIDTH,
          // The box holds its notes, not their labels: labels grow when zoomed out (steadyLabels).
          "compound-sizing-wrt-labels": "exclude",
        },
      },
      { selector: "node.kb-major", style: { "min-zoomed-font-size": 0, "font-size": STEADY_PX, "font-weight": "bold" } },
      { selector: "node.kb-near", style: { "min-zoomed-font-size": 0, "font-size": STEADY_PX } },
      { selector: "node.kb-found", style: { "border-width": 4, "border-color": colours.accent, "z-index": 10 } },
      {
        selector: "edge",
        style: {
          width: 1.5,
          "line-color": "data(colour)",
          "target-arrow-color": "data(colour)",
          "target-arrow-shape": big ? "none" : "triangle",
          "arrow-scale": 0.8,
          "curve-style": big ? "haystack" : "bezier",
          opacity: 0.6,
          "font-size": 10,
          color: colours.fg,
          "text-outline-color": colours.bg,
          "text-outline-width": 2,
        },
      },
      { selector: "edge.kb-across", style: { opacity: 0.18 } },
      { selector: "edge.kb-near", style: { opacity: 0.9, width: 2, "z-index": 15 } },
      { selector: "edge.kb-hover", style: { label: "data(label)", opacity: 1, width: 2.5, "z-index": 20 } },
      { selector: "node.kb-dim", style: { opacity: 0.15, label: "" } },
      { selector: "node:parent.kb-dim", style: { opacity: 0.35, label: "data(label)" } },
      { selector: "edge.kb-dim", style: { opacity: 0.04 } },
      { selector: ".kb-off", style: { display: "none" } },
    ];
  }

  // A real link, so that material's instant navigation handles it like any other.
  function go(el, url) {
    const a = make("a");
    a.href = url;
    a.hidden = true;
    el.appendChild(a);
    a.click();
    a.remove();
  }

  function filterBox(title, entries, onChange, shown) {
    const box = make("fieldset", "kb-graph__filter");
    box.appendChild(make("legend", "", title));
    for (const [key, [label, colour]] of Object.entries(entries)) {
      const item = make("label", "kb-graph__choice");
      const input = make("input");
      input.type = "checkbox";
      input.checked = shown.has(key);
      input.value = key;
      input.addEventListener("change", () => {
        if (input.checked) shown.add(key);
        else shown.delete(key);
        onChange();
      });
      const swatch = make("span", "kb-graph__swatch");
      swatch.style.background = colour;
      item.append(input, swatch, make("span", "", label));
      box.appendChild(item);
    }
    return { box, shown };
  }

  function elementsOf(data, root) {
    const degree = data.nodes.map(() => 0);
    for (const [s, t] of data.edges) {
      degree[s] += 1;
      degree[t] += 1;
    }
    const elements = [];
    // Compound nodes: one box per hub, named after it (notes under no hub stay outside).
    const groups = data.groups || [];
    const boxed = groups.length > 1;
    if (boxed) {
      groups.forEach((head, g) => {
        if (head !== null) elements.push({ group: "nodes", data: { id: "g" + g, label: data.nodes[head][0], box: true } });
      });
    }
    const major = new Set(data.major || []);
    data.nodes.forEach((n, i) => {
      const [label, type, url, x, y] = n;
      const size = (i === data.focus ? 22 : 12) + Math.min(20, 2 * Math.sqrt(degree[i])) + (type === "hub" && boxed ? 8 : 0);
      const g = data.group ? data.group[i] : null;
      const node = {
        group: "nodes",
        data: { id: "n" + i, label, type, path: url, url: root + url, colour: data.types[type][1], size },
        position: { x, y },
        classes: [i === data.focus ? "kb-focus" : "", major.has(i) && !(boxed && groups.includes(i)) ? "kb-major" : ""].join(" ").trim(),
      };
      if (boxed && groups[g] !== null) node.data.parent = "g" + g;
      elements.push(node);
    });
    data.edges.forEach(([s, t, kind], i) => {
      const [label, colour] = data.relations[kind];
      const across = data.group && data.group[s] !== data.group[t];
      elements.push({ group: "edges", data: { id: "e" + i, source: "n" + s, target: "n" + t, kind, label, colour }, classes: across ? "kb-across" : "" });
    });
    return elements;
  }

  // The query string of the page: ',' and '/' are left readable.
  function encode(value) {
    return encodeURIComponent(value).replace(/%2C/gi, ",").replace(/%2F/gi, "/");
  }

  function readState(keys) {
    const query = new URLSearchParams(window.location.search);
    const list = (name, known) => (query.has(name) ? query.get(name).split(",").filter((k) => known.includes(k)) : null);
    return { note: query.get("note"), relations: list("relations", keys.relations), types: list("types", keys.types) };
  }

  function writeState(state) {
    const query = new URLSearchParams(window.location.search);
    for (const name of ["note", "relations", "types"]) query.delete(name);
    const parts = query.toString() ? [query.toString()] : [];
    for (const [name, value] of Object.entries(state)) if (value !== null) parts.push(name + "=" + encode(value));
    const url = window.location.pathname + (parts.length ? "?" + parts.join("&") : "") + window.location.hash;
    // material's instant navigation keeps its own data in history.state: keep it too.
    window.history.replaceState(window.history.state, "", url);
  }

  function sameSet(a, b) {
    return a.size === b.size && [...a].every((k) => b.has(k));
  }

  function draw(el, data) {
    const big = data.nodes.length > 300;
    const global = el.classList.contains("kb-graph--global");
    const grouped = (data.groups || []).length > 1;
    const toolbar = make("div", "kb-graph__toolbar");
    const search = make("input", "kb-graph__search");
    search.type = "search";
    search.placeholder = "Chercher une note…";
    search.setAttribute("aria-label", "Chercher une note par son titre");
    const datalist = make("datalist");
    datalist.id = "kb-graph-titles-" + ++counter;
    search.setAttribute("list", datalist.id);
    for (const n of data.nodes) {
      const option = document.createElement("option");
      option.value = n[0];
      datalist.appendChild(option);
    }
    const canvas = make("div", "kb-graph__canvas");
    // The drawing is an image to assistive technologies; its text equivalent is on the page.
    canvas.setAttribute("role", "img");
    const focusNode = data.focus !== null && data.focus !== undefined ? data.nodes[data.focus][0] : null;
    canvas.setAttribute(
      "aria-label",
      focusNode !== null
        ? "Graphe local de « " + focusNode + " » : " + (data.nodes.length - 1) + " notes voisines, listées dans les panneaux de relations."
        : "Dessin du graphe : " + data.nodes.length + " notes et " + data.edges.length + " relations.",
    );
    if (el.dataset.kbDescribedby) canvas.setAttribute("aria-describedby", el.dataset.kbDescribedby);
    const status = make("p", "kb-graph__status");
    status.setAttribute("aria-live", "polite");
    const reset = make("button", "kb-graph__reset md-button", "Tout montrer");
    reset.type = "button";
    reset.hidden = true;
    // In the page before cytoscape starts: it measures its container once, at start.
    toolbar.append(search, datalist, reset);
    el.replaceChildren(toolbar, canvas, status);

    const cy = window.cytoscape({
      container: canvas,
      elements: elementsOf(data, el.dataset.kbRoot || ""),
      layout: { name: "preset", fit: true, padding: 30 },
      style: graphStyle(themeColours(el), big, grouped),
      minZoom: 0.05,
      maxZoom: 4,
      boxSelectionEnabled: false,
      autoungrabify: true,
      textureOnViewport: big,
      hideEdgesOnViewport: big,
    });

    const keys = { relations: Object.keys(data.relations), types: Object.keys(data.types) };
    const defaults = {
      relations: new Set(keys.relations.filter((k) => !(data.off || []).includes(k))),
      types: new Set(keys.types),
    };
    const wanted = global ? readState(keys) : { note: null, relations: null, types: null };
    const relations = filterBox("Relations", data.relations, changed, new Set(wanted.relations || defaults.relations));
    const types = filterBox("Types", data.types, changed, new Set(wanted.types || defaults.types));
    let selected = null; // the focused note of the global graph

    function apply() {
      cy.batch(() => {
        cy.nodes().forEach((n) => n.data("box") || n.toggleClass("kb-off", !types.shown.has(n.data("type"))));
        cy.edges().forEach((e) => e.toggleClass("kb-off", !relations.shown.has(e.data("kind"))));
      });
    }

    function record() {
      if (!global) return;
      const list = (box, name) => (sameSet(box.shown, defaults[name]) ? null : [...box.shown].join(","));
      writeState({ note: selected ? selected.data("path") : null, relations: list(relations, "relations"), types: list(types, "types") });
    }

    function changed() {
      apply();
      if (selected) highlight(selected);
      record();
    }

    // Dim everything but the note and its neighbours by the relations shown.
    function highlight(node) {
      cy.batch(() => {
        cy.elements().removeClass("kb-dim kb-near kb-found");
        if (!node) return;
        const edges = node.connectedEdges().not(".kb-off");
        const near = edges.connectedNodes().not(".kb-off").union(node);
        cy.elements().addClass("kb-dim");
        near.removeClass("kb-dim").addClass("kb-near");
        near.parents().removeClass("kb-dim");
        edges.removeClass("kb-dim").addClass("kb-near");
        node.removeClass("kb-off").addClass("kb-found");
      });
    }

    // The note and its neighbours by the relations shown: what a focus brings into view.
    function neighbourhood(node) {
      return node.connectedEdges().not(".kb-off").connectedNodes().not(".kb-off").union(node);
    }
    function notTooClose() {
      if (cy.zoom() > 2) cy.zoom({ level: 2, renderedPosition: selected ? selected.renderedPosition() : undefined });
    }

    function select(node, center) {
      selected = node;
      highlight(node);
      reset.hidden = !node;
      if (!node) {
        el.dataset.kbSelected = "";
        status.textContent = "";
        record();
        return;
      }
      if (center) cy.animate({ fit: { eles: neighbourhood(node), padding: 40 } }, { duration: 250, complete: notTooClose });
      el.dataset.kbSelected = node.data("label");
      const neighbours = node.connectedEdges().not(".kb-off").connectedNodes().not(node).not(".kb-off").length;
      status.replaceChildren(make("span", "", "Note choisie : "));
      const open = make("a", "", node.data("label"));
      open.href = node.data("url");
      status.append(open, make("span", "", " — " + neighbours + (neighbours > 1 ? " voisines" : " voisine") + " en vue ; cliquez-la à nouveau pour l’ouvrir."));
      record();
    }
    reset.addEventListener("click", () => {
      select(null);
      search.value = "";
      cy.animate({ fit: { padding: 30 } }, { duration: 250 });
    });

    // Hubs, major notes and group names keep a readable size on screen at any zoom.
    let pending = false;
    function steadyLabels() {
      pending = false;
      const zoom = cy.zoom();
      const steady = (px) => Math.max(px, px / zoom);
      cy.style()
        .selector("node.kb-major, node.kb-near")
        .style({ "font-size": steady(STEADY_PX), "text-max-width": steady(160) })
        .selector("node:parent")
        .style({ "font-size": steady(GROUP_PX), "text-max-width": steady(GROUP_WIDTH) })
        .update();
    }
    if (grouped) {
      cy.on("zoom", () => {
        if (!pending) {
          pending = true;
          window.requestAnimationFrame(steadyLabels);
        }
      });
    }

    function find() {
      const query = fold(search.value.trim());
      cy.nodes().removeClass("kb-found");
      if (!query) return;
      const notes = cy.nodes().filter((n) => !n.data("box"));
      let hits = notes.filter((n) => fold(n.data("label")) === query);
      if (hits.empty()) hits = notes.filter((n) => fold(n.data("label")).includes(query));
      if (hits.empty()) {
        status.textContent = "Aucune note ne correspond à « " + search.value + " ».";
        el.dataset.kbSelected = "";
        return;
      }
      const node = hits[0];
      if (global) {
        select(node, true);
        return;
      }
      node.removeClass("kb-off").addClass("kb-found");
      cy.animate({ center: { eles: node }, zoom: Math.max(cy.zoom(), 1.2) }, { duration: 250 });
      el.dataset.kbSelected = node.data("label");
      status.replaceChildren(make("span", "", "Trouvé : "));
      const open = make("a", "", node.data("label"));
      open.href = node.data("url");
      status.appendChild(open);
    }
    search.addEventListener("change", find);
    search.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter") {
        ev.preventDefault();
        find();
      }
    });

    // Cytoscape caches where its canvas sits on screen, and a page swapped by instant navigation
    // can move it unnoticed: measure again whenever the pointer comes in.
    canvas.addEventListener("pointerenter", () => cy.resize());
    cy.on("tap", "node", (ev) => {
      const node = ev.target;
      if (node.data("box")) return;
      if (global && node !== selected) select(node, false);
      else go(el, node.data("url"));
    });
    cy.on("tap", (ev) => {
      if (global && ev.target === cy && selected) select(null);
    });
    cy.on("mouseover", "edge", (ev) => ev.target.addClass("kb-hover"));
    cy.on("mouseout", "edge", (ev) => ev.target.removeClass("kb-hover"));
    cy.on("mouseover", "node", (ev) => {
      if (ev.target.data("box")) return;
      ev.target.connectedEdges().addClass("kb-hover");
      canvas.style.cursor = "pointer";
    });
    cy.on("mouseout", "node", (ev) => {
      ev.target.connectedEdges().removeClass("kb-hover");
      canvas.style.cursor = "";
    });

    apply();
    toolbar.append(relations.box, types.box);
    cy.resize(); // the filters above took room
    cy.fit(undefined, 30);
    if (grouped) {
      // Names of groups grow as the view zooms out: fit again once they have their size.
      steadyLabels();
      cy.fit(undefined, 30);
      steadyLabels();
    }
    if (wanted.note !== null) {
      const node = cy.nodes().filter((n) => n.data("path") === wanted.note)[0];
      if (node) {
        select(node, false);
        cy.fit(neighbourhood(node), 40);
        notTooClose();
        if (grouped) steadyLabels();
      } else {
        status.textContent = "La note demandée par l’adresse n’est pas dans le graphe.";
      }
    }
    if (data.hidden) {
      status.textContent = data.hidden + " autres voisins ne sont pas dessinés : les panneaux ci-dessus les listent tous.";
    }
    instances.set(el, cy);
    el.dataset.kbNodes = String(cy.nodes(":childless").length); // notes, not the boxes of groups
    el.dataset.kbEdges = String(cy.edges().length);
    el.dataset.kbReady = "1";
  }

  function load(el) {
    el.dataset.kbReady = "loading";
    fetch(el.dataset.kbGraph)
      .then((response) => {
        if (!response.ok) throw new Error(response.status + " " + response.statusText);
        return response.json();
      })
      .then((data) => draw(el, data))
      .catch((error) => {
        el.dataset.kbReady = "error";
        el.replaceChildren(make("p", "kb-graph__status", "Le graphe n’a pas pu être chargé (" + error.message + ")."));
      });
  }

  function scan() {
    for (const [el, cy] of instances) {
      if (!el.isConnected) {
        cy.destroy();
        instances.delete(el);
      }
    }
    if (typeof window.cytoscape !== "function") {
      waitForRenderer();
      return;
    }
    document.querySelectorAll("[data-kb-graph]:not([data-kb-ready])").forEach(load);
  }

  // After an instant navigation the page's scripts are inserted again and load in any order:
  // when this one runs first, scan again once the renderer has loaded.
  function waitForRenderer() {
    for (const script of document.querySelectorAll('script[src*="/vendor/cytoscape"]')) {
      if (!script.dataset.kbWaiting) {
        script.dataset.kbWaiting = "1";
        script.addEventListener("load", scan, { once: true });
      }
    }
  }

  // Material's palette toggle changes the colours the canvas was drawn with.
  new MutationObserver(() => {
    for (const [el, cy] of instances) {
      cy.style(graphStyle(themeColours(el), cy.nodes().length > 300, cy.nodes(":parent").length > 0));
      cy.emit("zoom"); // labels of steady size get theirs back
    }
  }).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });

  function subscribe() {
    if (!subscribed && window.document$ && typeof window.document$.subscribe === "function") {
      subscribed = true;
      window.document$.subscribe(scan);
    }
  }

  window.kbGraph = { scan, instances };
  subscribe();
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => {
      subscribe();
      scan();
    });
  } else {
    scan();
  }
})();
