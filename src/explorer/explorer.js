// Passerelle's network explorer: a region's organizations and referrals as a graph and a table,
// filtered by target group, age and day; search, an organization's details and neighbourhood,
// pathways, the analyses (coverage, age cliffs, closure impact, network health, changes between
// roundtables) and downloads of what is shown. It uses the public API only (api.js) and no file
// from outside this server. The address keeps what is shown (?region=&targetGroup=&age=&asOf=&view=;
// region= empty: every region).
import { ANALYSES, NEEDS_REGION } from "./analyses.js";
import { ApiProblem, apiKey, ask, csv, download, save } from "./api.js";
import { $, el } from "./dom.js";
import { clearMarks, createGraph, draw, focus, highlight, KIND_COLOURS, relabel } from "./graph.js";
import * as views from "./views.js";
import { LANGUAGES, startingLanguage, VOCABULARY_GROUPS, wordsFor } from "./words.js";

const LANGUAGE = "passerelle.language";
/**
 * Most organizations drawn as a graph: 1,000 take 5 to 10 s to lay out in a browser here, and every
 * region of a Europe-wide network is 20,000.
 */
const MAX_DRAWN = 1500;
const VIEWS = new Set(["graph", "table", ...Object.keys(ANALYSES)]);
/** What the address asked for, read before the page rewrites it. */
const wanted = new URLSearchParams(location.search);
let words = wordsFor(startingLanguage(localStorage.getItem(LANGUAGE), navigator.languages));

const cy = createGraph($("graph"));
const state = {
  regions: [],
  /** What the graph was drawn with, and what it got: the views and downloads use the same. */
  shown: null,
  rows: [],
  sort: { key: "name", descending: false },
  view: "graph",
  /** The organization shown in the details (its last answer), its closure's answer, the last pathways. */
  organization: null,
  closure: null,
  pathways: null,
  /** The last answer of each analysis view, drawn again when the language changes. */
  answers: {},
  /** What the status line says, said again in a new language. */
  said: { key: "", values: {}, kind: "info" },
};
// Only the latest answer of each kind is shown: a slower earlier one is dropped when it comes.
const latest = { network: 0, organization: 0, closure: 0, pathways: 0, search: 0, analysis: 0 };

// ---------------------------------------------------------------- words and states

function translate() {
  document.documentElement.lang = words.language;
  document.title = `Passerelle — ${words.t("title")}`;
  for (const node of document.querySelectorAll("[data-t]")) node.textContent = words.t(node.dataset.t);
  for (const node of document.querySelectorAll("[data-placeholder]")) node.placeholder = words.t(node.dataset.placeholder);
  for (const node of document.querySelectorAll("[data-title]")) node.title = words.t(node.dataset.title);
  for (const select of document.querySelectorAll("select[data-vocabulary]")) {
    const value = select.value;
    const none = select.dataset.none ? [new Option(words.t(select.dataset.none), "")] : [];
    select.replaceChildren(...none, ...VOCABULARY_GROUPS[select.dataset.vocabulary].map((code) => new Option(words.label(code), code)));
    select.value = value;
    if (select.selectedIndex < 0) select.selectedIndex = 0;
  }
  const everywhere = $("coverage-from").options[0];
  if (everywhere) everywhere.text = words.t("coverageEverywhere");
  const allRegions = [...$("region").options].find((o) => o.value === "");
  if (allRegions) allRegions.text = words.t("allRegions");
  $("graph").setAttribute("aria-label", words.t("graphView"));
  $("search-results").replaceChildren();
  legend();
}

/** Says `key` (a sentence of words.js) with `values`, in the reader's language; "" says nothing. */
function say(key, values = {}, kind = "info") {
  state.said = { key, values, kind };
  $("status").textContent = key ? words.t(key, values) : "";
  $("status").dataset.kind = kind;
}

/** Says what went wrong in words, and asks for a key when that is what is missing. */
function trouble(error, what) {
  if (!(error instanceof ApiProblem)) error = new ApiProblem("answer", error.message || String(error));
  // The server's own words (in English) end a sentence of ours: without their final full stop.
  const why = error.message.replace(/\.+$/, "");
  if (error.kind === "key") return askForKey(apiKey.get() ? words.t("keyWrong", { why }) : "");
  if (error.kind === "forbidden") return say("keyForbidden", { why }, "error");
  if (error.kind === "unreachable") return say("unreachable", { why }, "error");
  say("failed", { what: words.t(what), why }, "error");
}

function askForKey(problem) {
  $("key-panel").hidden = false;
  $("key-problem").textContent = problem;
  $("key").focus();
  say("");
}

function ready(value) {
  document.body.dataset.ready = value ? "true" : "false";
}

// ---------------------------------------------------------------- filters and address

function filters() {
  const targetGroup = $("targetGroup").value || null;
  const age = $("age").value === "" ? null : Number($("age").value);
  return {
    region: $("region").value || null,
    profile: targetGroup === null && age === null ? null : { targetGroup, age },
    asOf: $("asOf").value || null,
  };
}

function remember() {
  const url = new URL(location.href);
  const f = state.shown;
  const values = { region: f.region ?? "", targetGroup: f.profile?.targetGroup, age: f.profile?.age, asOf: f.asOf, view: state.view === "graph" ? null : state.view };
  for (const [name, value] of Object.entries(values)) value === null || value === undefined ? url.searchParams.delete(name) : url.searchParams.set(name, value);
  history.replaceState(null, "", url);
}

// ---------------------------------------------------------------- the network

const NETWORK = `query Explorer($region: String, $profile: ProfileInput, $asOf: Date) {
  network(region: $region, profile: $profile, asOf: $asOf) {
    organizations { id slug name kind services { category } }
    referrals { id from { id } to { id } status }
    partnerships { id kind organizations { id } }
  }
}`;

async function showNetwork() {
  ready(false);
  const mine = ++latest.network;
  // Answers asked about the graph being replaced are not shown on the new one.
  for (const kind of ["organization", "closure", "pathways", "analysis"]) latest[kind]++;
  const asked = filters();
  const age = asked.profile?.age;
  if (age !== null && age !== undefined && !(Number.isInteger(age) && age >= 0 && age <= 120)) {
    ready(true);
    return say("ageInvalid", {}, "error");
  }
  say("loading");
  let data;
  try {
    data = await ask(NETWORK, asked);
  } catch (error) {
    if (mine === latest.network) trouble(error, "networkWhat");
    return;
  }
  if (mine !== latest.network) return;
  const network = data.network;
  state.shown = { ...asked, network };
  state.rows = views.tableRows(network);
  Object.assign(state, { organization: null, closure: null, pathways: null, answers: {} });
  remember();
  const organizationOptions = network.organizations.map((o) => new Option(o.name, o.id)).sort((a, b) => a.text.localeCompare(b.text, words.language));
  $("from").replaceChildren(...organizationOptions);
  $("coverage-from").replaceChildren(new Option(words.t("coverageEverywhere"), ""), ...organizationOptions.map((o) => new Option(o.text, o.value)));
  $("pathways").replaceChildren();
  $("details").replaceChildren(el("p", {}, words.t("clickHint")));
  if (!network.organizations.length) {
    cy.elements().remove();
    say(asked.region ? "emptyRegion" : "noRegion", { region: regionName(asked.region) }, "empty");
  } else if (network.organizations.length > MAX_DRAWN) {
    // A browser lays out a few thousand at most: the table, the analyses and the downloads still hold them all.
    cy.elements().remove();
    say("tooMany", { count: network.organizations.length, most: MAX_DRAWN }, "empty");
  } else {
    say("drawing", { count: network.organizations.length });
    await draw(cy, network, words.label);
    if (mine !== latest.network) return;
    say("");
  }
  legend();
  await showView(state.view);
  if (mine === latest.network) ready(true);
}

function regionName(slug) {
  return state.regions.find((r) => r.slug === slug)?.name ?? slug ?? "";
}

function legend() {
  const kinds = state.shown ? [...new Set(state.shown.network.organizations.map((o) => o.kind))].sort() : [];
  const item = (className, text, colour) => {
    const sample = el("span", { className: `sample ${className}`, "aria-hidden": "true" });
    if (colour) sample.style.background = colour;
    return el("li", {}, sample, text);
  };
  $("legend").replaceChildren(
    ...kinds.map((kind) => item("dot", words.label(kind), KIND_COLOURS[kind] || "#999")),
    item("arrow", words.t("legendReferral")),
    item("arrow pilot", words.t("legendPilot")),
    item("membership", words.t("legendPartnership")),
    item("ring pathway", words.t("legendPathway")),
    item("ring focus", words.t("legendFocus")),
    item("ring closure", words.t("legendClosure")),
  );
}

// ---------------------------------------------------------------- an organization

const ORGANIZATION = `query Organization($id: ID!) {
  organization(id: $id) {
    id name kind description region { name }
    services { name category eligibility { targetGroups minAge maxAge } }
    referralsOut { to { name } categories status since until verifiedOn eligibility { targetGroups minAge maxAge } }
    referralsIn { from { name } categories status since until verifiedOn eligibility { targetGroups minAge maxAge } }
    partnerships { kind organizations { name } }
  }
}`;

async function pick(id) {
  const mine = ++latest.organization;
  latest.closure++; // a closure asked for the organization shown before is not shown for this one
  state.closure = null;
  const node = cy.getElementById(id);
  if (node.nonempty()) {
    cy.nodes().unselect();
    node.select();
  }
  try {
    const data = await ask(ORGANIZATION, { id });
    if (mine !== latest.organization) return;
    state.organization = data.organization;
    renderDetails();
    if (data.organization && cy.getElementById(id).nonempty()) $("from").value = id;
  } catch (error) {
    if (mine === latest.organization) trouble(error, "organizationWhat");
  }
}

function renderDetails() {
  const o = state.organization;
  if (!o) return $("details").replaceChildren(el("p", {}, words.t(state.shown ? "goneNow" : "clickHint")));
  $("details").replaceChildren(...views.details(o, words, {
    onFocus: (hops, direction) => focus(cy, o.id, hops, direction),
    onClosure: () => closeWhatIf(o),
  }));
  if (state.closure) $("closure-impact").replaceChildren(...views.closure(o.name, state.closure, words));
}

async function closeWhatIf(o) {
  const mine = ++latest.closure;
  const { region, profile, asOf } = state.shown;
  try {
    const data = await ask(
      `query Closure($o: [ID!]!, $region: String, $profile: ProfileInput, $asOf: Date) {
        closureImpact(organizations: $o, region: $region, profile: $profile, asOf: $asOf) {
          referralsLost { id from { name } to { name } }
          coverageLost { category providersBefore providersAfter }
          routesLost { from { name } category hopsBefore }
          isolated { id name }
        }
      }`,
      { o: [o.id], region, profile, asOf },
    );
    if (mine !== latest.closure) return; // another organization, or another graph, since
    state.closure = data.closureImpact;
    renderDetails();
    clearMarks(cy);
    highlight(cy, [o.id, ...state.closure.isolated.map((i) => i.id)], state.closure.referralsLost.map((r) => r.id), "lost");
    cy.getElementById(o.id).removeClass("lost").addClass("closed");
  } catch (error) {
    if (mine === latest.closure) trouble(error, "analysisWhat");
  }
}

// ---------------------------------------------------------------- pathways and search

async function findPathways() {
  const mine = ++latest.pathways;
  clearMarks(cy);
  if (!$("from").value || !state.shown) return;
  const { profile, asOf } = state.shown;
  try {
    const data = await ask(
      `query Pathways($from: ID!, $category: ServiceCategory, $profile: ProfileInput, $asOf: Date) {
        pathways(from: $from, toCategory: $category, profile: $profile, asOf: $asOf, maxHops: 4, limit: 10) { hops organizations { id name } referrals { id } }
      }`,
      { from: $("from").value, category: $("category").value, profile, asOf },
    );
    if (mine !== latest.pathways) return;
    state.pathways = data.pathways;
    renderPathways();
    const found = state.pathways;
    if (found.length) highlight(cy, found.flatMap((p) => p.organizations.map((o) => o.id)), found.flatMap((p) => p.referrals.map((r) => r.id)));
  } catch (error) {
    if (mine === latest.pathways) trouble(error, "pathwaysWhat");
  }
}

function renderPathways() {
  const found = state.pathways;
  if (!found) return $("pathways").replaceChildren();
  // Pathways may go on into other regions: their organizations there are listed, not drawn.
  const leaving = found.filter((p) => p.organizations.some((o) => cy.getElementById(o.id).empty())).length;
  $("pathways").replaceChildren(
    ...(found.length ? found.map((p) => el("li", {}, p.organizations.map((o) => o.name).join(" → "))) : [el("li", {}, words.t("noPathway"))]),
    ...(leaving ? [el("li", { className: "note" }, words.t("pathwaysLeaving", { count: leaving }))] : []),
  );
}

let searchTimer = 0;
async function search() {
  const text = $("search").value.trim();
  const mine = ++latest.search;
  if (text.length < 2) return $("search-results").replaceChildren();
  try {
    const data = await ask(`query Search($text: String!) { organizations(filter: { search: $text }, first: 8) { edges { node { id name region { slug name } } } } }`, { text });
    if (mine !== latest.search) return;
    const found = data.organizations.edges.map((e) => e.node);
    if (!found.length) return $("search-results").replaceChildren(el("li", {}, words.t("noMatch", { text })));
    const here = state.shown?.region;
    const named = (o) => (!here ? o.name : !o.region ? words.t("searchNoRegion", { name: o.name }) : o.region.slug !== here ? words.t("searchOutside", { name: o.name }) : o.name);
    $("search-results").replaceChildren(...found.map((o) => el("li", {}, el("button", { type: "button", className: "link", onclick: () => goTo(o) }, named(o)))));
  } catch (error) {
    if (mine === latest.search) trouble(error, "networkWhat");
  }
}

async function goTo(o) {
  $("search-results").replaceChildren();
  // Another region's organization: that region; one of no region (a transnational body): every region, where it is drawn.
  const region = o.region ? o.region.slug : "";
  if (state.shown && (state.shown.region ?? "") !== region) {
    $("region").value = region;
    await showNetwork();
  }
  if (cy.getElementById(o.id).nonempty()) focus(cy, o.id, 1, "both");
  await pick(o.id);
}

// ---------------------------------------------------------------- views

async function showView(view) {
  state.view = view;
  for (const tab of document.querySelectorAll("#views [role=tab]")) {
    const on = tab.dataset.view === view;
    tab.setAttribute("aria-selected", String(on));
    tab.tabIndex = on ? 0 : -1;
  }
  $("graph").hidden = view !== "graph";
  for (const name of ["table", ...Object.keys(ANALYSES)]) $(`${name}-view`).hidden = view !== name;
  if (!state.shown) return;
  remember();
  if (view === "graph") return cy.resize();
  if (view === "table") return renderTable();
  if (NEEDS_REGION.has(view) && !state.shown.region) return RENDER[view](null);
  const mine = ++latest.analysis;
  try {
    const answer = await ANALYSES[view](state.shown, { from: $("coverage-from").value || null });
    if (mine !== latest.analysis) return;
    state.answers[view] = answer;
    RENDER[view](answer);
  } catch (error) {
    if (mine === latest.analysis) trouble(error, "analysisWhat");
  }
}

function renderTable() {
  $("table-view").replaceChildren(views.table(state.rows, state.sort, words, {
    onSort: (key) => {
      state.sort = { key, descending: state.sort.key === key ? !state.sort.descending : false };
      renderTable();
      $("table-view").querySelector(`th[aria-sort]:not([aria-sort=none]) button`)?.focus();
    },
    onPick: pick,
  }));
}

/** Draws each analysis's answer (null: the view needs one region and every region is shown). */
const RENDER = {
  coverage(answer) {
    if (!answer) return $("coverage-result").replaceChildren(el("p", {}, words.t("chooseRegion")));
    const fromName = answer.from ? state.shown.network.organizations.find((o) => o.id === answer.from)?.name : null;
    $("coverage-result").replaceChildren(...views.coverage(answer.cells, answer.age, fromName, words));
  },
  cliffs(answer) {
    if (!answer) return $("cliffs-result").replaceChildren(el("p", {}, words.t("chooseRegion")));
    // The slider reaches the last age at which something is lost (cliffs go up to 120).
    $("cliffs-age").max = String(Math.max(30, ...answer.map((c) => c.age)));
    renderCliffs();
  },
  summary: (answer) => $("summary-view").replaceChildren(...views.summary(answer, words)),
  changes: (answer) => $("changes-view").replaceChildren(...views.changes(answer, words)),
};

function renderCliffs() {
  const age = Number($("cliffs-age").value);
  $("cliffs-age-shown").textContent = String(age);
  if (state.answers.cliffs) $("cliffs-result").replaceChildren(...views.cliffs(state.answers.cliffs, age, words));
}

async function downloadShown(format) {
  if (!state.shown) return;
  try {
    if (format === "csv") return save(csv(views.tableCsv(state.rows, state.sort, words), words.csvSeparator), `organizations-${state.shown.region || "all"}.csv`);
    const { region, profile, asOf } = state.shown;
    await download(format, { region, targetGroup: profile?.targetGroup, age: profile?.age, asOf });
  } catch (error) {
    trouble(error, "downloadWhat");
  }
}

/** The page in another language: everything shown is drawn again from the answers it has. */
function changeLanguage(language) {
  localStorage.setItem(LANGUAGE, language);
  words = wordsFor(language);
  translate();
  relabel(cy, words.label);
  say(state.said.key, state.said.values, state.said.kind);
  if (!state.shown) return;
  if (state.organization) renderDetails();
  renderPathways();
  if (state.view === "table") renderTable();
  else if (state.answers[state.view]) RENDER[state.view](state.answers[state.view]);
  else if (NEEDS_REGION.has(state.view) && !state.shown.region) RENDER[state.view](null);
}

// ---------------------------------------------------------------- wiring

cy.on("tap", "node", (event) => {
  if (!event.target.data("partnership")) pick(event.target.id());
});
$("filters").addEventListener("submit", (event) => {
  event.preventDefault();
  showNetwork();
});
$("find").addEventListener("click", findPathways);
$("search-form").addEventListener("submit", (event) => {
  event.preventDefault();
  search();
});
$("search").addEventListener("input", () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(search, 250);
});
$("coverage-from").addEventListener("change", () => showView("coverage"));
$("cliffs-age").addEventListener("input", renderCliffs);
for (const tab of document.querySelectorAll("#views [role=tab]")) tab.addEventListener("click", () => showView(tab.dataset.view));
$("views").addEventListener("keydown", (event) => {
  // Arrow keys move between tabs, as in any tab list.
  if (event.key !== "ArrowRight" && event.key !== "ArrowLeft") return;
  const tabs = [...document.querySelectorAll("#views [role=tab]")];
  const at = tabs.findIndex((t) => t.dataset.view === state.view);
  const next = tabs[(at + (event.key === "ArrowRight" ? 1 : tabs.length - 1)) % tabs.length];
  next.focus();
  showView(next.dataset.view);
});
for (const button of document.querySelectorAll("[data-download]")) button.addEventListener("click", () => downloadShown(button.dataset.download));
$("language").replaceChildren(...Object.entries(LANGUAGES).map(([code, name]) => new Option(name, code)));
$("language").value = words.language;
$("language").addEventListener("change", () => changeLanguage($("language").value));
$("key-form").addEventListener("submit", (event) => {
  event.preventDefault();
  if (!$("key").value.trim()) return askForKey(words.t("keyEmpty"));
  apiKey.set($("key").value);
  $("key").value = "";
  $("key-panel").hidden = true;
  start();
});
$("key-forget").addEventListener("click", () => {
  apiKey.set("");
  location.reload();
});

async function start() {
  $("key-in-use").hidden = !apiKey.get();
  try {
    const data = await ask(`{ regions { slug name } }`);
    state.regions = data.regions;
  } catch (error) {
    return trouble(error, "networkWhat");
  }
  // Every region at once, last: partnerships across regions (transnational bodies) are drawn there.
  $("region").replaceChildren(...state.regions.map((r) => new Option(r.name, r.slug)), new Option(words.t("allRegions"), ""));
  if (!state.regions.length) return say("noRegion", {}, "empty");
  const region = wanted.get("region");
  if (region !== null && region !== "" && !state.regions.some((r) => r.slug === region)) {
    // Not silently another region: say which one is missing and let the reader choose.
    ready(true);
    return say("unknownRegion", { region }, "error");
  }
  $("region").value = region ?? (state.regions.some((r) => r.slug === "correze") ? "correze" : state.regions[0].slug);
  if (wanted.get("targetGroup")) $("targetGroup").value = wanted.get("targetGroup");
  if (wanted.get("age")) $("age").value = wanted.get("age");
  if (wanted.get("asOf")) $("asOf").value = wanted.get("asOf");
  if (VIEWS.has(wanted.get("view"))) state.view = wanted.get("view");
  await showNetwork();
}

translate();
showView(state.view);
start();
