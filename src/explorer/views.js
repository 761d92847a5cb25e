// What the explorer shows beside the graph, each made from an API answer: the organizations' table,
// an organization's details, the analyses (coverage heat table, age cliffs, closure impact, network
// health, changes between roundtables). Pure DOM builders: the page (explorer.js) asks, these draw.
import { el, listOf } from "./dom.js";
import { VOCABULARY_GROUPS } from "./words.js";

// ---------------------------------------------------------------- the table

export const TABLE_COLUMNS = [
  { key: "name", text: "name", value: (row) => row.name },
  { key: "kind", text: "kind", value: (row, w) => w.label(row.kind) },
  { key: "services", text: "servicesCol", value: (row, w) => row.categories.map((c) => w.label(c)).join(", ") },
  { key: "in", text: "referralsIn", value: (row) => row.in, numeric: true },
  { key: "out", text: "referralsOut", value: (row) => row.out, numeric: true },
];

/** One row per organization of a network answer: its services' categories and walkable referrals in and out. */
export function tableRows(network) {
  const counts = new Map(network.organizations.map((o) => [o.id, { in: 0, out: 0 }]));
  for (const r of network.referrals) {
    if (counts.has(r.from.id)) counts.get(r.from.id).out++;
    if (counts.has(r.to.id)) counts.get(r.to.id).in++;
  }
  return network.organizations.map((o) => ({
    id: o.id, slug: o.slug, name: o.name, kind: o.kind,
    categories: [...new Set(o.services.map((s) => s.category))].sort(),
    ...counts.get(o.id),
  }));
}

export function sortRows(rows, sort, words) {
  const column = TABLE_COLUMNS.find((c) => c.key === sort.key) || TABLE_COLUMNS[0];
  const collator = new Intl.Collator(words.language, { sensitivity: "base", numeric: true });
  const sign = sort.descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    const x = column.value(a, words);
    const y = column.value(b, words);
    const order = column.numeric ? x - y : collator.compare(x, y);
    return sign * order || collator.compare(a.name, b.name);
  });
}

/** The sortable table; `onSort(key)` when a heading is pressed, `onPick(id)` when an organization is. */
export function table(rows, sort, words, { onSort, onPick }) {
  const head = el("tr", {}, ...TABLE_COLUMNS.map((c) => {
    const sorted = sort.key === c.key ? (sort.descending ? "descending" : "ascending") : undefined;
    return el("th", { scope: "col", "aria-sort": sorted || "none" }, el("button", { type: "button", onclick: () => onSort(c.key) }, words.t(c.text), sorted ? (sort.descending ? " ▼" : " ▲") : ""));
  }));
  const body = sortRows(rows, sort, words).map((row) =>
    el("tr", { "data-id": row.id },
      el("th", { scope: "row" }, el("button", { type: "button", className: "link", onclick: () => onPick(row.id) }, row.name)),
      ...TABLE_COLUMNS.slice(1).map((c) => el("td", { className: c.numeric ? "number" : "" }, c.value(row, words)))),
  );
  return el("table", { className: "organizations" },
    el("caption", {}, words.t("tableCount", { count: rows.length })),
    el("thead", {}, head), el("tbody", {}, ...body));
}

/** The table as CSV rows, in the order and the words shown (the slug first: the organization's identifier in Passerelle). */
export function tableCsv(rows, sort, words) {
  const header = ["slug", ...TABLE_COLUMNS.map((c) => words.t(c.text))];
  return [header, ...sortRows(rows, sort, words).map((r) => [r.slug, ...TABLE_COLUMNS.map((c) => c.value(r, words))])];
}

// ---------------------------------------------------------------- an organization

export function details(o, words, { onFocus, onClosure }) {
  const colon = words.t("colon");
  const ages = (e) => (e.minAge === null && e.maxAge === null ? "" : words.t("ages", { min: e.minAge ?? 0, max: e.maxAge ?? "…" }));
  const groups = (e) => e.targetGroups.map((g) => words.label(g)).join(", ");
  /** Who may go through a service or a channel: its groups and ages, in words ("" for anyone). */
  const who = (e) => [groups(e), ages(e)].filter(Boolean).join(", ");
  // A coordinator asks "who may go, since when, and is this channel still real?": its eligibility,
  // its period, when it was last confirmed (or that it never was).
  const channel = (r) => {
    const facts = [
      words.label(r.status),
      who(r.eligibility),
      r.since ? words.t("since", { date: words.day(r.since) }) : "",
      r.until ? words.t("until", { date: words.day(r.until) }) : "",
      r.verifiedOn ? words.t("confirmed", { date: words.day(r.verifiedOn) }) : words.t("neverConfirmed"),
    ];
    return `${r.categories.map((c) => words.label(c)).join(", ")} (${facts.filter(Boolean).join("; ")})`;
  };
  const hops = el("select", { id: "focus-hops", "aria-label": words.t("hops") }, ...[1, 2, 3].map((n) => el("option", { value: n }, `${n} ${words.t(n === 1 ? "hop" : "hops")}`)));
  const direction = el("select", { id: "focus-direction", "aria-label": words.t("direction") },
    el("option", { value: "both" }, words.t("both")), el("option", { value: "out" }, words.t("downstream")), el("option", { value: "in" }, words.t("upstream")));
  return [
    el("h2", {}, o.name),
    el("p", { className: "kind" }, words.label(o.kind), o.region ? ` · ${o.region.name}` : ""),
    o.description ? el("p", {}, o.description) : null,
    el("div", { className: "actions" },
      el("button", { type: "button", id: "focus", onclick: () => onFocus(Number(hops.value), direction.value) }, words.t("focus")), hops, direction,
      el("button", { type: "button", id: "closure", onclick: onClosure }, words.t("whatIfCloses"))),
    el("div", { id: "closure-impact", "aria-live": "polite" }),
    listOf(words.t("services"), o.services.map((s) => `${s.name} — ${words.label(s.category)}${who(s.eligibility) ? ` (${who(s.eligibility)})` : ""}`), words.t("none")),
    listOf(words.t("sendsTo"), o.referralsOut.map((r) => `${r.to.name}${colon}${channel(r)}`), words.t("none")),
    listOf(words.t("receivesFrom"), o.referralsIn.map((r) => `${r.from.name}${colon}${channel(r)}`), words.t("none")),
    listOf(words.t("partnerships"), o.partnerships.map((p) => `${words.label(p.kind)}${colon}${p.organizations.map((m) => m.name).join(", ")}`), words.t("none")),
  ].filter(Boolean); // replaceChildren would write a null as the text "null"
}

export function closure(name, impact, words) {
  const nothing = !impact.coverageLost.length && !impact.routesLost.length && !impact.isolated.length && !impact.referralsLost.length;
  if (nothing) return [el("h3", {}, words.t("closureTitle", { name })), el("p", {}, words.t("closureNothing"))];
  return [
    el("h3", {}, words.t("closureTitle", { name })),
    listOf(words.t("coverageLost"), impact.coverageLost.map((c) => `${words.label(c.category)}${words.t("colon")}${c.providersBefore} → ${c.providersAfter}${c.providersAfter === 0 ? ` (${words.t("noLongerOffered")})` : ""}`), words.t("none")),
    listOf(words.t("routesLost"), impact.routesLost.map((r) => `${r.from.name} → ${words.label(r.category)}`), words.t("none")),
    listOf(words.t("isolated"), impact.isolated.map((o) => o.name), words.t("none")),
    listOf(words.t("referralsLost"), impact.referralsLost.map((r) => `${r.from.name} → ${r.to.name}`), words.t("none")),
  ];
}

// ---------------------------------------------------------------- analyses

/** Categories down, target groups across: each cell the providers (and, from an organization, how many it reaches). */
export function coverage(cells, age, fromName, words) {
  const groups = VOCABULARY_GROUPS.targetGroups;
  const byKey = new Map(cells.map((c) => [`${c.category}/${c.targetGroup}`, c]));
  const cell = (category, group) => {
    const c = byKey.get(`${category}/${group}`);
    if (!c) return el("td", {}, "");
    const shown = fromName ? c.reachableCount : c.providerCount;
    const state = shown === 0 ? "gap" : shown === 1 ? "single" : "covered";
    const words_ = shown === 0 ? words.t("coverageGap") : shown === 1 ? words.t("coverageSingle") : words.t("coverageCell", { count: shown });
    const title = [words.t("coverageCell", { count: c.providerCount }), fromName ? words.t("coverageReach", { reach: c.reachableCount }) : "", ...c.providers.map((p) => p.name)].filter(Boolean).join("\n");
    return el("td", { className: `heat ${state}`, title, "data-category": category, "data-group": group },
      el("span", { className: "count" }, String(shown)), el("span", { className: "visually-hidden" }, ` ${words_}`));
  };
  return [
    el("h2", {}, age === null ? words.t("coverageTitleAny") : words.t("coverageTitle", { age })),
    el("p", {}, fromName ? `${words.t("coverageFrom")} ${fromName}` : words.t("coverageEverywhere")),
    el("ul", { className: "key" },
      el("li", { className: "heat gap" }, `0 — ${words.t("coverageGap")}`), el("li", { className: "heat single" }, `1 — ${words.t("coverageSingle")}`),
      el("li", { className: "heat covered" }, `2+ — ${words.t("coverageSeveral")}`)),
    el("table", { className: "coverage" },
      el("thead", {}, el("tr", {}, el("td", {}), ...groups.map((g) => el("th", { scope: "col" }, words.label(g))))),
      el("tbody", {}, ...VOCABULARY_GROUPS.categories.map((category) =>
        el("tr", {}, el("th", { scope: "row" }, words.label(category)), ...groups.map((g) => cell(category, g)))))),
  ];
}

/** The cliffs up to `age`: one line per category lost on turning each age. */
export function cliffs(found, age, words) {
  const shown = found.filter((c) => c.age <= age);
  if (!shown.length) return [el("p", {}, words.t("cliffsNone"))];
  return [el("ol", { className: "cliffs" }, ...shown.map((c) =>
    el("li", { className: c.age === age ? "current" : "" },
      el("strong", {}, words.t("cliffsRow", { age: c.age, category: words.label(c.category), before: c.providersBefore, after: c.providersAfter })),
      c.lost.length ? ` — ${words.t("cliffsLost", { names: c.lost.map((o) => o.name).join(", ") })}` : "")))];
}

export function summary(s, words) {
  const percent = (x) => `${words.number(Math.round(x * 1000) / 10)} %`;
  const figures = [
    ["organizations", s.organizationCount], ["referrals", s.referralCount], ["density", percent(s.density)], ["reciprocity", percent(s.reciprocity)],
    ["components", s.components], ["largestComponent", s.largestComponent], ["centralizationIn", words.number(s.inDegreeCentralization)], ["centralizationOut", words.number(s.outDegreeCentralization)],
  ];
  return [
    el("h2", {}, words.t("summaryTitle")),
    // Each figure with what it means, for a coordinator who is not a network analyst.
    el("dl", { className: "figures" }, ...figures.flatMap(([key, value]) => [
      el("dt", {}, words.t(key)),
      el("dd", {}, el("span", { "data-figure": key }, String(value)), el("span", { className: "hint" }, words.t(`${key}Help`))),
    ])),
    listOf(words.t("brokers"), s.brokers.map((o) => o.name), words.t("none")),
    listOf(words.t("isolatedOrgs"), s.isolated.map((o) => o.name), words.t("none")),
  ];
}

/** Each roundtable of the region's platforms, with the referrals opened and closed since the one before. */
export function changes(platforms, words) {
  const meetings = platforms.flatMap((p) => p.meetings.map((m) => ({ ...m, platform: p.name }))).sort((a, b) => (a.date < b.date ? 1 : -1));
  if (!meetings.length) return [el("h2", {}, words.t("changesTitle")), el("p", {}, words.t("changesNoPlatform"))];
  const referral = (r) => `${r.from.name} → ${r.to.name} (${r.categories.map((c) => words.label(c)).join(", ")})`;
  return [
    el("h2", {}, words.t("changesTitle")),
    el("p", {}, words.t("changesHow")),
    ...meetings.map((m) => {
      const c = m.networkChanges;
      const head = el("h3", {}, words.t("meeting", { title: m.title, date: words.day(m.date) }));
      if (!c) return el("section", { className: "meeting" }, head, el("p", {}, words.t("changesFirst")));
      const colon = words.t("colon");
      const counts = el("p", {}, `${words.t("organizations")}${colon}${c.before.organizationCount} → ${c.after.organizationCount} · ${words.t("referrals")}${colon}${c.before.referralCount} → ${c.after.referralCount} · ${words.t("components")}${colon}${c.before.components} → ${c.after.components}`);
      const none = !c.opened.length && !c.closed.length;
      return el("section", { className: "meeting" }, head, counts,
        none ? el("p", {}, words.t("changesNoChange")) : [
          listOf(words.t("changesOpened"), c.opened.map(referral), words.t("none")),
          listOf(words.t("changesClosed"), c.closed.map(referral), words.t("none")),
        ]);
    }),
  ];
}
