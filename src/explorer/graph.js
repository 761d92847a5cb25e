// The graph view: a region's organizations and walkable referrals (arrows) and its partnerships (a
// diamond joined to each member, no arrow), drawn by Cytoscape.js with the fCoSE layout, which stays
// legible at a thousand organizations. Labels show once the zoom makes them readable.
/* global cytoscape, cytoscapeFcose */

export const KIND_COLOURS = {
  ASSOCIATION: "#2a9d8f", NGO: "#264653", PUBLIC_AUTHORITY: "#e76f51", PUBLIC_SERVICE: "#f4a261", EDUCATION_PROVIDER: "#8ab17d",
  EMPLOYER: "#b5838d", FAITH_BASED: "#6d597a", NETWORK: "#457b9d", FUNDER: "#e9c46a", VOLUNTEER_GROUP: "#90be6d", OTHER: "#999999",
};
export const PATHWAY = "#d62828";
export const FOCUS = "#0b3b5c";

cytoscape.use(cytoscapeFcose);

const STYLE = [
  {
    selector: "node",
    style: {
      label: "data(name)", "background-color": "data(colour)", width: 22, height: 22, "font-size": 12, "text-wrap": "wrap", "text-max-width": 140,
      "text-valign": "bottom", "text-margin-y": 4, "min-zoomed-font-size": 9, "text-background-color": "#f7f9fb", "text-background-opacity": 0.8, "text-background-padding": 1,
    },
  },
  { selector: "node.partnership", style: { shape: "diamond", width: 14, height: 14, "background-color": "#6c757d", label: "data(name)", "font-size": 10, color: "#555" } },
  { selector: "edge", style: { width: 1.5, "line-color": "#8d99a6", "target-arrow-color": "#8d99a6", "target-arrow-shape": "triangle", "arrow-scale": 0.9, "curve-style": "bezier" } },
  { selector: "edge.pilot", style: { "line-style": "dashed" } },
  { selector: "edge.membership", style: { "target-arrow-shape": "none", "line-style": "dotted", "line-color": "#adb5bd", width: 1.5 } },
  { selector: ".dimmed", style: { opacity: 0.08, "text-opacity": 0 } },
  { selector: "node.on-pathway", style: { "border-width": 4, "border-color": PATHWAY } },
  { selector: "edge.on-pathway", style: { width: 4, "line-color": PATHWAY, "target-arrow-color": PATHWAY } },
  { selector: "node.in-focus", style: { "border-width": 3, "border-color": FOCUS } },
  { selector: "node.closed", style: { "background-color": "#fff", "border-width": 3, "border-color": PATHWAY, "border-style": "dashed" } },
  { selector: "edge.lost", style: { "line-color": PATHWAY, "target-arrow-color": PATHWAY, "line-style": "dashed", width: 3 } },
  { selector: "node:selected", style: { "border-width": 4, "border-color": FOCUS } },
];

export function createGraph(container) {
  const cy = cytoscape({ container, style: STYLE, minZoom: 0.02, maxZoom: 4, boxSelectionEnabled: false });
  window.passerelleGraph = cy; // for the browser tests and the curious
  return cy;
}

/** Draws a network answer; resolves when laid out and fitted. */
export function draw(cy, network, label) {
  cy.elements().remove();
  const present = new Set(network.organizations.map((o) => o.id));
  const elements = network.organizations.map((o) => ({ group: "nodes", data: { id: o.id, slug: o.slug, name: o.name, kind: o.kind, colour: KIND_COLOURS[o.kind] || "#999" } }));
  for (const r of network.referrals) {
    elements.push({ group: "edges", classes: r.status === "PILOT" ? "pilot" : "", data: { id: r.id, source: r.from.id, target: r.to.id, status: r.status } });
  }
  // A partnership is drawn as a diamond joined to each of its members shown: n lines, not n² pairs.
  for (const p of network.partnerships) {
    const members = p.organizations.filter((o) => present.has(o.id));
    if (members.length < 2) continue;
    const hub = `partnership:${p.id}`;
    elements.push({ group: "nodes", classes: "partnership", data: { id: hub, name: label(p.kind), kind: p.kind, partnership: true } });
    for (const o of members) elements.push({ group: "edges", classes: "membership", data: { id: `${hub}:${o.id}`, source: hub, target: o.id } });
  }
  cy.add(elements);
  const many = network.referrals.length > 800;
  // Straight lines draw much faster than curves; curves keep two opposite referrals apart. Many
  // lines are drawn thin and light, so that the organizations stay visible among them.
  cy.style().selector("edge").style({ "curve-style": many ? "straight" : "bezier", width: many ? 0.6 : 1.5, opacity: many ? 0.45 : 1, "arrow-scale": many ? 0.5 : 0.9 }).update();
  return layout(cy);
}

/**
 * The lines the layout pulls on: all of them, or in a dense network each organization's first two
 * (every line drawn still). fCoSE runs at least five iterations per node, each costing more the
 * more lines pull the drawing into a blob: at 1,000 organizations and 5,000 referrals it took
 * 30 to 55 s in headless Chromium here, on such a backbone about 5 s, clusters kept apart the same.
 */
export function backbone(cy) {
  const edges = cy.edges();
  if (edges.length <= 2 * cy.nodes().length) return cy.elements();
  const held = new Map();
  const kept = edges.filter((edge) => {
    const a = edge.source().id();
    const b = edge.target().id();
    if ((held.get(a) ?? 0) >= 2 && (held.get(b) ?? 0) >= 2) return false;
    held.set(a, (held.get(a) ?? 0) + 1);
    held.set(b, (held.get(b) ?? 0) + 1);
    return true;
  });
  return cy.nodes().union(kept);
}

export function layout(cy) {
  const n = cy.nodes().length;
  if (n === 0) return Promise.resolve();
  const large = n > 300;
  const running = backbone(cy).layout({
    name: n <= 2 ? "grid" : "fcose",
    quality: "default",
    animate: false,
    randomize: true,
    // A thousand organizations: more room between them.
    nodeDimensionsIncludeLabels: !large,
    idealEdgeLength: large ? 120 : 90,
    nodeRepulsion: large ? 40000 : 6000,
    tile: true,
    fit: true,
    padding: 30,
  });
  const done = running.promiseOn("layoutstop");
  const started = performance.now();
  running.run();
  return done.then(() => {
    cy.fit(undefined, 30);
    cy.scratch("passerelle", { layoutMs: performance.now() - started }); // for the browser tests and the curious
  });
}

/** Names shown in the reader's language again, without a new layout. */
export function relabel(cy, label) {
  cy.nodes(".partnership").forEach((hub) => hub.data("name", label(hub.data("kind"))));
}

export function clearMarks(cy) {
  cy.elements().removeClass("dimmed on-pathway in-focus closed lost");
}

/** The organizations within `hops` referrals of `id`, following `direction` (out, in or both). */
export function neighbourhood(cy, id, hops, direction) {
  const start = cy.getElementById(id);
  let reached = start;
  let frontier = start;
  for (let i = 0; i < hops && frontier.nonempty(); i++) {
    let edges = cy.collection();
    if (direction !== "in") edges = edges.union(frontier.outgoers("edge").not(".membership"));
    if (direction !== "out") edges = edges.union(frontier.incomers("edge").not(".membership"));
    const next = edges.connectedNodes().difference(reached);
    reached = reached.union(next).union(edges);
    frontier = next;
  }
  return reached;
}

const MAX_FOCUS_ZOOM = 1.25;

export function focus(cy, id, hops, direction) {
  clearMarks(cy);
  const shown = neighbourhood(cy, id, hops, direction);
  cy.elements().difference(shown).addClass("dimmed");
  shown.nodes().addClass("in-focus");
  cy.fit(shown, 60);
  // A small neighbourhood is not blown up to fill the canvas: at most labels of 15 px.
  if (cy.zoom() > MAX_FOCUS_ZOOM) {
    cy.zoom(MAX_FOCUS_ZOOM);
    cy.center(shown);
  }
  return shown.nodes().length;
}

export function highlight(cy, organizationIds, referralIds, kind = "on-pathway") {
  cy.elements().addClass("dimmed");
  for (const id of organizationIds) cy.getElementById(id).removeClass("dimmed").addClass(kind);
  for (const id of referralIds) cy.getElementById(id).removeClass("dimmed").addClass(kind);
}
