/* Graph view of the knowledge base (global page and local graph of each note).
 *
 * Draws the JSON the kb mkdocs plugin writes (positions are computed at build time) with
 * cytoscape. Titles come from notes anyone can write: they only ever reach the page through
 * textContent, option.value or cytoscape's canvas text, never innerHTML.
 *
 * Material's instant navigation swaps the page content and re-runs its scripts, so this file
 * may run several times: the second run only scans for new graphs.
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

  function graphStyle(colours, big) {
    return [
      {
        selector: "node",
        style: {
          "background-color": "data(colour)",
          label: "data(label)",
          color: colours.fg,
          "font-size": big ? 9 : 11,
          "min-zoomed-font-size": big ? 7 : 0,
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
      { selector: "edge.kb-hover", style: { label: "data(label)", opacity: 1, width: 2.5, "z-index": 20 } },
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

  function filterBox(title, entries, onChange, off) {
    const box = make("fieldset", "kb-graph__filter");
    box.appendChild(make("legend", "", title));
    const shown = new Set(Object.keys(entries).filter((key) => !off.includes(key)));
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
    data.nodes.forEach((n, i) => {
      const [label, type, url, x, y] = n;
      const size = (i === data.focus ? 22 : 12) + Math.min(20, 2 * Math.sqrt(degree[i]));
      elements.push({
        group: "nodes",
        data: { id: "n" + i, label, type, url: root + url, colour: data.types[type][1], size },
        position: { x, y },
        classes: i === data.focus ? "kb-focus" : "",
      });
    });
    data.edges.forEach(([s, t, kind], i) => {
      const [label, colour] = data.relations[kind];
      elements.push({ group: "edges", data: { id: "e" + i, source: "n" + s, target: "n" + t, kind, label, colour } });
    });
    return elements;
  }

  function draw(el, data) {
    const big = data.nodes.length > 300;
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
    const status = make("p", "kb-graph__status");
    status.setAttribute("aria-live", "polite");
    // In the page before cytoscape starts: it measures its container once, at start.
    toolbar.append(search, datalist);
    el.replaceChildren(toolbar, canvas, status);

    const cy = window.cytoscape({
      container: canvas,
      elements: elementsOf(data, el.dataset.kbRoot || ""),
      layout: { name: "preset", fit: true, padding: 30 },
      style: graphStyle(themeColours(el), big),
      minZoom: 0.05,
      maxZoom: 4,
      boxSelectionEnabled: false,
      autoungrabify: true,
      textureOnViewport: big,
      hideEdgesOnViewport: big,
    });

    const relations = filterBox("Relations", data.relations, apply, data.off || []);
    const types = filterBox("Types", data.types, apply, []);
    function apply() {
      cy.batch(() => {
        cy.nodes().forEach((n) => n.toggleClass("kb-off", !types.shown.has(n.data("type"))));
        cy.edges().forEach((e) => e.toggleClass("kb-off", !relations.shown.has(e.data("kind"))));
      });
    }

    function find() {
      const query = fold(search.value.trim());
      cy.nodes().removeClass("kb-found");
      if (!query) return;
      let hits = cy.nodes().filter((n) => fold(n.data("label")) === query);
      if (hits.empty()) hits = cy.nodes().filter((n) => fold(n.data("label")).includes(query));
      if (hits.empty()) {
        status.textContent = "Aucune note ne correspond à « " + search.value + " ».";
        el.dataset.kbSelected = "";
        return;
      }
      const node = hits[0];
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
    cy.on("tap", "node", (ev) => go(el, ev.target.data("url")));
    cy.on("mouseover", "edge", (ev) => ev.target.addClass("kb-hover"));
    cy.on("mouseout", "edge", (ev) => ev.target.removeClass("kb-hover"));
    cy.on("mouseover", "node", (ev) => {
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
    if (data.hidden) {
      status.textContent = data.hidden + " autres voisins ne sont pas dessinés : les panneaux ci-dessus les listent tous.";
    }
    instances.set(el, cy);
    el.dataset.kbNodes = String(cy.nodes().length);
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
    for (const [el, cy] of instances) cy.style(graphStyle(themeColours(el), cy.nodes().length > 300));
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
