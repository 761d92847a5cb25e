// Passerelle's network explorer: draws a region's organizations and referrals with Cytoscape.js,
// filtered by target group, age and day, shows an organization's services and referrals when it
// is clicked, and highlights the pathways from one organization to a kind of service. It uses the
// public GraphQL API only, and no file from outside this server.
"use strict";

const KIND_COLOURS = {
  ASSOCIATION: "#2a9d8f", NGO: "#264653", PUBLIC_AUTHORITY: "#e76f51", PUBLIC_SERVICE: "#f4a261", EDUCATION_PROVIDER: "#8ab17d",
  EMPLOYER: "#b5838d", FAITH_BASED: "#6d597a", NETWORK: "#457b9d", FUNDER: "#e9c46a", VOLUNTEER_GROUP: "#90be6d", OTHER: "#999999",
};

const $ = (id) => document.getElementById(id);

async function ask(query, variables) {
  const response = await fetch("/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/graphql-response+json, application/json" },
    body: JSON.stringify({ query, variables }),
  });
  // A proxy's error page is not GraphQL: say what answered.
  if (!/json/.test(response.headers.get("content-type") || "")) throw new Error(`Passerelle answered ${response.status} ${response.statusText}`);
  const body = await response.json();
  if (body.errors && body.errors.length) throw new Error(body.errors.map((e) => e.message).join("; "));
  return body.data;
}

// Only the latest answer of each kind is shown: a slow earlier one is dropped when it comes.
const latest = { network: 0, organization: 0, pathways: 0 };

// The filters the graph was drawn with: pathways are asked with the same.
let shown = { profile: null, asOf: null };

function say(message) {
  $("status").textContent = message || "";
}

function profile() {
  const targetGroup = $("targetGroup").value || null;
  const age = $("age").value === "" ? null : Number($("age").value);
  return targetGroup === null && age === null ? null : { targetGroup, age };
}

const cy = cytoscape({
  container: $("graph"),
  style: [
    { selector: "node", style: { label: "data(name)", "background-color": "data(colour)", "font-size": 11, "text-wrap": "wrap", "text-max-width": 120, "text-valign": "bottom", "text-margin-y": 4 } },
    { selector: "edge", style: { width: 2, "line-color": "#9aa7b4", "target-arrow-color": "#9aa7b4", "target-arrow-shape": "triangle", "curve-style": "bezier" } },
    { selector: ".dimmed", style: { opacity: 0.2 } },
    { selector: "node.on-pathway", style: { "border-width": 4, "border-color": "#d62828" } },
    { selector: "edge.on-pathway", style: { width: 4, "line-color": "#d62828", "target-arrow-color": "#d62828" } },
    { selector: "node:selected", style: { "border-width": 3, "border-color": "#0b3b5c" } },
  ],
  layout: { name: "grid" },
});
window.passerelleGraph = cy; // for the browser tests and the curious

async function showNetwork() {
  say("");
  document.body.dataset.ready = "false";
  const mine = ++latest.network;
  latest.pathways++; // a pathway asked for the graph being replaced is not shown on the new one
  const region = $("region").value || null;
  const asOf = $("asOf").value || null;
  const asked = profile();
  try {
    const data = await ask(
      `query Explorer($region: String, $profile: ProfileInput, $asOf: Date) {
        network(region: $region, profile: $profile, asOf: $asOf) {
          organizations { id slug name kind }
          referrals { id from { id } to { id } categories status }
        }
      }`,
      { region, profile: asked, asOf },
    );
    if (mine !== latest.network) return;
    shown = { profile: asked, asOf };
    cy.elements().remove();
    cy.add(data.network.organizations.map((o) => ({ data: { id: o.id, slug: o.slug, name: o.name, kind: o.kind, colour: KIND_COLOURS[o.kind] || "#999" } })));
    cy.add(data.network.referrals.map((r) => ({ data: { id: r.id, source: r.from.id, target: r.to.id, categories: r.categories.join(", ") } })));
    cy.layout({ name: "cose", animate: false, nodeDimensionsIncludeLabels: true }).run();
    $("from").replaceChildren(...data.network.organizations.map((o) => new Option(o.name, o.slug)));
    const kinds = [...new Set(data.network.organizations.map((o) => o.kind))].sort();
    $("legend").replaceChildren(
      ...kinds.map((kind) => {
        const item = document.createElement("li");
        const dot = document.createElement("span");
        dot.style.background = KIND_COLOURS[kind] || "#999";
        item.append(dot, kind.toLowerCase().replace(/_/g, " "));
        return item;
      }),
    );
    $("pathways").replaceChildren();
    $("details").replaceChildren();
    document.body.dataset.ready = "true";
  } catch (error) {
    if (mine === latest.network) say(`Could not load the network: ${error.message}`);
  }
}

async function showOrganization(id) {
  say("");
  const mine = ++latest.organization;
  try {
    const data = await ask(
      `query Organization($id: ID!) {
        organization(id: $id) {
          name kind description
          services { name category eligibility { targetGroups minAge maxAge } }
          referralsOut { to { name } categories status verifiedOn }
          referralsIn { from { name } categories status verifiedOn }
        }
      }`,
      { id },
    );
    if (mine !== latest.organization) return;
    const o = data.organization;
    const section = $("details");
    if (!o) {
      section.replaceChildren(Object.assign(document.createElement("p"), { textContent: "This organization is no longer in Passerelle: show the network again." }));
      return;
    }
    const h = document.createElement("h2");
    h.textContent = o.name;
    const list = (title, items) => {
      const wrap = document.createElement("div");
      const head = document.createElement("h3");
      head.textContent = title;
      const ul = document.createElement("ul");
      for (const text of items.length ? items : ["none"]) {
        const li = document.createElement("li");
        li.textContent = text;
        ul.append(li);
      }
      wrap.append(head, ul);
      return wrap;
    };
    const ages = (e) => (e.minAge === null && e.maxAge === null ? "" : ` ${e.minAge ?? 0}–${e.maxAge ?? "…"} y`);
    const groups = (e) => (e.targetGroups.length ? ` (${e.targetGroups.join(", ").toLowerCase()})` : "");
    // A coordinator asks "is this channel still real?": when it was last confirmed, or that it never was.
    const channel = (r) => `${r.categories.join(", ").toLowerCase()} (${r.status.toLowerCase()}; ${r.verifiedOn ? `confirmed ${r.verifiedOn}` : "never confirmed"})`;
    section.replaceChildren(
      h,
      list("Services", o.services.map((s) => `${s.name} — ${s.category.toLowerCase()}${groups(s.eligibility)}${ages(s.eligibility)}`)),
      list("Sends people to", o.referralsOut.map((r) => `${r.to.name}: ${channel(r)}`)),
      list("Receives people from", o.referralsIn.map((r) => `${r.from.name}: ${channel(r)}`)),
    );
  } catch (error) {
    if (mine !== latest.organization) return;
    $("details").replaceChildren();
    say(`Could not load the organization: ${error.message}`);
  }
}

async function findPathways() {
  say("");
  const mine = ++latest.pathways;
  cy.elements().removeClass("on-pathway dimmed");
  if (!$("from").value) {
    say("Choose an organization to start from (show a region that has some).");
    return;
  }
  try {
    const data = await ask(
      `query Pathways($from: ID!, $category: ServiceCategory, $profile: ProfileInput, $asOf: Date) {
        pathways(from: $from, toCategory: $category, profile: $profile, asOf: $asOf, maxHops: 4, limit: 10) {
          hops organizations { id name } referrals { id }
        }
      }`,
      { from: $("from").value, category: $("category").value, profile: shown.profile, asOf: shown.asOf },
    );
    if (mine !== latest.pathways) return;
    const found = data.pathways;
    // Pathways may go on into other regions: their organizations there are listed, not drawn.
    const leaving = found.filter((p) => p.organizations.some((o) => cy.getElementById(o.id).empty())).length;
    $("pathways").replaceChildren(
      ...(found.length
        ? found.map((p) => {
            const li = document.createElement("li");
            li.textContent = p.organizations.map((o) => o.name).join(" → ");
            return li;
          })
        : [Object.assign(document.createElement("li"), { textContent: "No pathway within 4 referrals for this profile." })]),
      ...(leaving ? [Object.assign(document.createElement("li"), { className: "note", textContent: `${leaving} of them go on outside this region: only their part in it is highlighted.` })] : []),
    );
    if (found.length) {
      cy.elements().addClass("dimmed");
      for (const p of found) {
        for (const o of p.organizations) cy.getElementById(o.id).removeClass("dimmed").addClass("on-pathway");
        for (const r of p.referrals) cy.getElementById(r.id).removeClass("dimmed").addClass("on-pathway");
      }
    }
  } catch (error) {
    if (mine === latest.pathways) say(`Could not find pathways: ${error.message}`);
  }
}

cy.on("tap", "node", (event) => showOrganization(event.target.id()));
$("filters").addEventListener("submit", (event) => {
  event.preventDefault();
  showNetwork();
});
$("find").addEventListener("click", findPathways);

(async () => {
  try {
    const data = await ask(`{ regions { slug name } }`);
    $("region").replaceChildren(...data.regions.map((r) => new Option(r.name, r.slug)));
    const wanted = new URLSearchParams(location.search).get("region") || "correze";
    if (data.regions.some((r) => r.slug === wanted)) $("region").value = wanted;
    await showNetwork();
  } catch (error) {
    say(`Could not reach Passerelle: ${error.message}`);
  }
})();
