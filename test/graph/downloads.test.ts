import { XMLParser } from "fast-xml-parser";
import { startTestApp, TestApp } from "../helpers/app";
import { escapeXml } from "../../src/graph/downloads";
import { send } from "../helpers/http";
import { expectEdgesBetweenNodes, partnershipEdgeId, partnershipsOf, readGexf, readGraphml, referralsOf } from "./network-files";

let app: TestApp;
let base: string;
/** Seed organization ids by slug, and slugs by id. */
let ids: Record<string, string>;
let slugs: Record<string, string>;
/** The seed's partnership of MOSAIK and the Mission Locale, the only one within Corrèze. */
let youthPartnership: string;
/** The seed's one referral, Chemins Singuliers → MOSAIK. */
let seedReferral: string;

beforeAll(async () => {
  app = await startTestApp({ seed: true });
  base = (await app.listen({ NODE_ENV: "test" })).base;
  const rows: { id: string; slug: string }[] = await app.db.query(`SELECT id, slug FROM organizations`);
  ids = Object.fromEntries(rows.map((r) => [r.slug, r.id]));
  slugs = Object.fromEntries(rows.map((r) => [r.id, r.slug]));
  const [youth]: { id: string }[] = await app.db.query(`SELECT id FROM partnerships WHERE description LIKE 'MOSAIK%'`);
  youthPartnership = youth.id;
  const referrals: { id: string }[] = await app.db.query(`SELECT id FROM referrals`);
  expect(referrals).toHaveLength(1);
  seedReferral = referrals[0].id;
});
afterAll(() => app.close());

const CORREZE = ["chemins-singuliers", "entraide-pierre-valdo", "institut-don-bosco", "mission-locale", "mosaik"];
/** The Corrèze organizations of the seed: slug, name (the label analysts see), kind. */
const CORREZE_NODES = [
  { slug: "chemins-singuliers", label: "Chemins Singuliers", kind: "ASSOCIATION" },
  { slug: "entraide-pierre-valdo", label: "Entraide Pierre Valdo", kind: "NGO" },
  { slug: "institut-don-bosco", label: "Institut Don Bosco", kind: "ASSOCIATION" },
  { slug: "mission-locale", label: "Mission Locale", kind: "PUBLIC_SERVICE" },
  { slug: "mosaik", label: "MOSAIK", kind: "ASSOCIATION" },
];
const YOUTH_DESCRIPTION = "MOSAIK's programme of language courses and vocational orientation for young people aged 16–25, run with the Mission Locale.";
/** The seed's three partnerships as undirected pairs, by slug in document (slug) order: Share SIRA's five members make ten. */
const ALL_PARTNERSHIP_PAIRS = [
  "anka|entraide-pierre-valdo",
  "anka|fundacion-cepaim",
  "anka|icmc-europe",
  "anka|iom",
  "entraide-pierre-valdo|fundacion-cepaim",
  "entraide-pierre-valdo|icmc-europe",
  "entraide-pierre-valdo|icmc-europe",
  "entraide-pierre-valdo|iom",
  "fundacion-cepaim|icmc-europe",
  "fundacion-cepaim|iom",
  "icmc-europe|iom",
  "mission-locale|mosaik",
];
const EDGE_ATTRIBUTE_NAMES = [
  "relation",
  "referral",
  "categories",
  "status",
  "since",
  "until",
  "verifiedOn",
  "targetGroups",
  "minAge",
  "maxAge",
  "partnership",
  "partnershipKind",
  "partnershipDescription",
];

const get = (path: string) => send(`${base}${path}`);

const hasReferral = (edges: { source: string; target: string }[]) =>
  edges.some((e) => e.source === ids["chemins-singuliers"] && e.target === ids.mosaik);

/** An undirected edge as "sourceSlug|targetSlug". */
const pair = (e: { source: string; target: string }) => `${slugs[e.source]}|${slugs[e.target]}`;

describe("GET /export/network.graphml", () => {
  it("when the Corrèze network is exported, then it parses as GraphML with declared keys, its five organizations by name, the referral and the undirected partnership", async () => {
    const { text, ...response } = await get("/export/network.graphml?region=correze");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/graphml+xml; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="network-correze.graphml"');
    const g = readGraphml(text);
    expect(g.root["@xmlns"]).toBe("http://graphml.graphdrawing.org/xmlns");
    expect(g.graph["@edgedefault"]).toBe("directed");
    expect(g.keys).toHaveLength(5 + EDGE_ATTRIBUTE_NAMES.length);
    const typeOf = (domain: string) => Object.fromEntries(g.keys.filter((k) => k["@for"] === domain).map((k) => [k["@attr.name"], k["@attr.type"]]));
    expect(typeOf("node")).toEqual({ label: "string", slug: "string", name: "string", kind: "string", region: "string" });
    // GraphML has no date type: days are strings, YYYY-MM-DD.
    expect(typeOf("edge")).toEqual({ ...Object.fromEntries(EDGE_ATTRIBUTE_NAMES.map((name) => [name, "string"])), minAge: "int", maxAge: "int" });
    // Nodes by slug order, labelled with the organization's name.
    expect(g.nodes).toEqual(CORREZE_NODES.map((n) => ({ id: ids[n.slug], ...n, name: n.label, region: "correze" })));
    expectEdgesBetweenNodes(g.nodes, g.edges);
    expect(hasReferral(g.edges)).toBe(true);
    expect(referralsOf(g.edges)).toEqual([
      {
        id: seedReferral,
        source: ids["chemins-singuliers"],
        target: ids.mosaik,
        directed: undefined, // the graph's default: directed
        relation: "referral",
        referral: seedReferral,
        categories: "LANGUAGE_LEARNING,VOCATIONAL_ORIENTATION",
        status: "ACTIVE",
        targetGroups: "RESETTLED_REFUGEE",
        minAge: "16",
        maxAge: "25",
        // since, until and verifiedOn are null in the seed: no <data>
      },
    ]);
    // The partnership within Corrèze, undirected; the Coordination and Share SIRA ones reach outside it.
    expect(partnershipsOf(g.edges)).toEqual([
      {
        id: partnershipEdgeId(youthPartnership, ids["mission-locale"], ids.mosaik),
        source: ids["mission-locale"],
        target: ids.mosaik,
        directed: "false",
        relation: "partnership",
        partnership: youthPartnership,
        partnershipKind: "PARTNERSHIP",
        partnershipDescription: YOUTH_DESCRIPTION,
      },
    ]);
    expect(g.edges).toHaveLength(2);
  });

  it("when no region is given, then every organization of the seed is a node and the file is network-all", async () => {
    const { text, ...response } = await get("/export/network.graphml");
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="network-all.graphml"');
    const g = readGraphml(text);
    expect(g.nodes).toHaveLength(11);
    expect(g.nodes.find((n: any) => n.slug === "icmc-europe").region).toBe("");
    expectEdgesBetweenNodes(g.nodes, g.edges);
    // Every seed partnership has all its members here: one undirected edge per two members.
    const partnerships = partnershipsOf(g.edges);
    expect(partnerships.map(pair).sort()).toEqual(ALL_PARTNERSHIP_PAIRS);
    expect(partnerships.every((e: any) => e.directed === "false" && e.id === partnershipEdgeId(e.partnership, e.source, e.target))).toBe(true);
    expect(new Set(g.edges.map((e: any) => e.id)).size).toBe(g.edges.length);
    expect(referralsOf(g.edges)).toHaveLength(1);
  });

  it("when the profile is outside the referral's eligibility, then the edge is dropped; within asOf it stays", async () => {
    const older = readGraphml((await get("/export/network.graphml?region=correze&targetGroup=RESETTLED_REFUGEE&age=30")).text);
    expect(older.nodes).toHaveLength(5);
    expect(hasReferral(older.edges)).toBe(false);
    const young = readGraphml((await get("/export/network.graphml?region=correze&targetGroup=RESETTLED_REFUGEE&age=19")).text);
    expect(hasReferral(young.edges)).toBe(true);
    const dated = readGraphml((await get("/export/network.graphml?region=correze&asOf=2021-09-23")).text);
    expect(hasReferral(dated.edges)).toBe(true);
  });

  it("when filters are given, then the file's name says what it holds, so that downloads with other filters do not overwrite it", async () => {
    const named = async (search: string) => (await get(`/export/network.gexf?${search}`)).headers.get("content-disposition");
    expect(await named("region=correze&targetGroup=RESETTLED_REFUGEE&age=19&asOf=2021-09-23&relations=partnerships")).toBe(
      'attachment; filename="network-correze-resettled-refugee-age-19-2021-09-23-partnerships.gexf"',
    );
    expect(await named("age=0")).toBe('attachment; filename="network-all-age-0.gexf"');
    expect(await named("relations=referrals,partnerships")).toBe('attachment; filename="network-all.gexf"');
  });

  it("when the export is served, then it is streamed in chunks", async () => {
    const response = await get("/export/network.graphml");
    expect(response.headers.get("transfer-encoding")).toBe("chunked");
    expect(response.headers.get("content-length")).toBeNull();
  });
});

describe("GET /export/network.gexf", () => {
  it("when the Corrèze network is exported, then it parses as GEXF 1.3 with declared attributes, five labelled nodes, the referral and the undirected partnership", async () => {
    const { text, ...response } = await get("/export/network.gexf?region=correze");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/gexf+xml; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="network-correze.gexf"');
    const g = readGexf(text);
    expect(g.root["@xmlns"]).toBe("http://gexf.net/1.3");
    expect(g.root["@version"]).toBe("1.3");
    expect(g.graph["@defaultedgetype"]).toBe("directed");
    expect(g.graph["@mode"]).toBe("static");
    // The label is <node label="...">, so no attribute repeats it.
    expect(g.types.get("node")).toEqual({ slug: "string", name: "string", kind: "string", region: "string" });
    // GEXF 1.3's attribute types have no date: days are strings, YYYY-MM-DD.
    expect(g.types.get("edge")).toEqual({ ...Object.fromEntries(EDGE_ATTRIBUTE_NAMES.map((name) => [name, "string"])), minAge: "integer", maxAge: "integer" });
    expect(g.nodes).toEqual(CORREZE_NODES.map((n) => ({ id: ids[n.slug], ...n, name: n.label, region: "correze" })));
    expectEdgesBetweenNodes(g.nodes, g.edges);
    expect(hasReferral(g.edges)).toBe(true);
    expect(g.edges).toEqual([
      {
        id: seedReferral,
        source: ids["chemins-singuliers"],
        target: ids.mosaik,
        type: undefined, // defaultedgetype: directed
        relation: "referral",
        referral: seedReferral,
        categories: "LANGUAGE_LEARNING,VOCATIONAL_ORIENTATION",
        status: "ACTIVE",
        targetGroups: "RESETTLED_REFUGEE",
        minAge: "16",
        maxAge: "25",
      },
      {
        id: partnershipEdgeId(youthPartnership, ids["mission-locale"], ids.mosaik),
        source: ids["mission-locale"],
        target: ids.mosaik,
        type: "undirected",
        relation: "partnership",
        partnership: youthPartnership,
        partnershipKind: "PARTNERSHIP",
        partnershipDescription: YOUTH_DESCRIPTION,
      },
    ]);
  });

  it("when the whole network is exported, then each seed partnership is an undirected edge between each two of its members", async () => {
    const g = readGexf((await get("/export/network.gexf")).text);
    const partnerships = partnershipsOf(g.edges);
    expect(partnerships.map(pair).sort()).toEqual(ALL_PARTNERSHIP_PAIRS);
    expect(partnerships.every((e: any) => e.type === "undirected")).toBe(true);
    expect(referralsOf(g.edges).every((e: any) => e.type === undefined)).toBe(true);
    expect(new Set(g.edges.map((e: any) => e.id)).size).toBe(g.edges.length);
  });
});

describe("GET /export/network.json", () => {
  it("when the Corrèze network is exported, then it is Cytoscape.js JSON whose nodes are named and whose referral and partnership edges join them", async () => {
    const { text, ...response } = await get("/export/network.json?region=correze");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="network-correze.json"');
    const { elements } = JSON.parse(text);
    const nodes = elements.nodes.map((n: any) => n.data);
    const edges = elements.edges.map((e: any) => e.data);
    expect(nodes.map((n: any) => n.slug)).toEqual(CORREZE);
    expect(nodes).toEqual(CORREZE_NODES.map((n) => ({ id: ids[n.slug], ...n, name: n.label, region: "correze" })));
    expectEdgesBetweenNodes(nodes, edges);
    expect(edges).toEqual([
      {
        id: seedReferral,
        source: ids["chemins-singuliers"],
        target: ids.mosaik,
        relation: "referral",
        directed: true,
        categories: ["LANGUAGE_LEARNING", "VOCATIONAL_ORIENTATION"],
        status: "ACTIVE",
        since: null,
        until: null,
        verifiedOn: null,
        targetGroups: ["RESETTLED_REFUGEE"],
        minAge: 16,
        maxAge: 25,
      },
      {
        id: partnershipEdgeId(youthPartnership, ids["mission-locale"], ids.mosaik),
        source: ids["mission-locale"],
        target: ids.mosaik,
        relation: "partnership",
        directed: false,
        partnership: youthPartnership,
        partnershipKind: "PARTNERSHIP",
        partnershipDescription: YOUTH_DESCRIPTION,
      },
    ]);
  });

  it("when nothing matches, then it is still valid JSON with empty lists", async () => {
    const { text } = await get("/export/network.json?region=isere");
    expect(JSON.parse(text)).toEqual({ elements: { nodes: [], edges: [] } });
  });
});

describe("relations", () => {
  // The whole network: the seed's referral and its three partnerships (twelve undirected pairs).
  it("when relations=referrals, then the GraphML is wholly directed: the referral, no partnership edge, no per-edge flag", async () => {
    const { text, ...response } = await get("/export/network.graphml?relations=referrals");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="network-all-referrals.graphml"');
    const g = readGraphml(text);
    expect(g.graph["@edgedefault"]).toBe("directed");
    expect(g.graph.desc).toMatch(/^Referral network of every region as of \d{4}-\d{2}-\d{2} without partnerships \(Passerelle export\)$/);
    expect(g.nodes).toHaveLength(11);
    expect(g.edges.map((e: any) => [e.id, e.relation, e.directed])).toEqual([[seedReferral, "referral", undefined]]);
    expect(hasReferral(g.edges)).toBe(true);
    expect(text).not.toContain('directed="false"');
  });

  it("when relations=partnerships, then the GraphML is wholly undirected: only partnership edges, none with a flag of its own", async () => {
    const g = readGraphml((await get("/export/network.graphml?relations=partnerships")).text);
    expect(g.graph["@edgedefault"]).toBe("undirected");
    expect(g.graph.desc).toMatch(/^Partnership network of every region as of /);
    expect(g.nodes).toHaveLength(11);
    expectEdgesBetweenNodes(g.nodes, g.edges);
    expect(referralsOf(g.edges)).toEqual([]);
    expect(partnershipsOf(g.edges).map(pair).sort()).toEqual(ALL_PARTNERSHIP_PAIRS);
    expect(g.edges).toHaveLength(ALL_PARTNERSHIP_PAIRS.length);
    expect(g.edges.every((e: any) => e.directed === undefined)).toBe(true);
    // The declared keys stay the same whatever the relations.
    expect(g.keys).toHaveLength(5 + EDGE_ATTRIBUTE_NAMES.length);
  });

  it("when relations=referrals, then the GEXF is wholly directed, with no partnership edge", async () => {
    const { text, ...response } = await get("/export/network.gexf?region=correze&relations=referrals");
    expect(response.status).toBe(200);
    const g = readGexf(text);
    expect(g.graph["@defaultedgetype"]).toBe("directed");
    expect(g.nodes).toHaveLength(5);
    expect(g.edges.map((e: any) => [e.id, e.relation, e.type])).toEqual([[seedReferral, "referral", undefined]]);
  });

  it("when relations=partnerships, then the GEXF's default edge type is undirected and it holds only partnership edges, none typed", async () => {
    const g = readGexf((await get("/export/network.gexf?relations=partnerships")).text);
    expect(g.graph["@defaultedgetype"]).toBe("undirected");
    expect(g.root.meta.description).toMatch(/^Partnership network of every region as of /);
    expectEdgesBetweenNodes(g.nodes, g.edges);
    expect(partnershipsOf(g.edges).map(pair).sort()).toEqual(ALL_PARTNERSHIP_PAIRS);
    expect(g.edges).toHaveLength(ALL_PARTNERSHIP_PAIRS.length);
    expect(g.edges.every((e: any) => e.type === undefined)).toBe(true);
  });

  it("when relations=referrals or partnerships, then the Cytoscape JSON holds that kind of edge only", async () => {
    const referrals = JSON.parse((await get("/export/network.json?relations=referrals")).text);
    expect(referrals.elements.nodes).toHaveLength(11);
    expect(referrals.elements.edges.map((e: any) => [e.data.id, e.data.relation, e.data.directed])).toEqual([[seedReferral, "referral", true]]);
    const partnerships = JSON.parse((await get("/export/network.json?relations=partnerships")).text);
    expect(partnerships.elements.nodes).toHaveLength(11);
    const edges = partnerships.elements.edges.map((e: any) => e.data);
    expect(edges.every((e: any) => e.relation === "partnership" && e.directed === false)).toBe(true);
    expect(edges.map(pair).sort()).toEqual(ALL_PARTNERSHIP_PAIRS);
  });

  it("when relations names both, in either order, then the file is the one given without it", async () => {
    for (const extension of ["graphml", "gexf", "json"]) {
      const without = (await get(`/export/network.${extension}?region=correze`)).text;
      expect((await get(`/export/network.${extension}?region=correze&relations=referrals,partnerships`)).text).toBe(without);
      expect((await get(`/export/network.${extension}?region=correze&relations=partnerships,referrals`)).text).toBe(without);
    }
  });
});

describe("refusals", () => {
  async function refused(path: string, status: number, code: string, param: string) {
    const { text, ...response } = await get(path);
    expect(response.status).toBe(status);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const body = JSON.parse(text);
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0].extensions).toMatchObject({ code, requestId: response.headers.get("x-request-id") });
    if (code === "BAD_USER_INPUT") expect(body.errors[0].extensions.fields[0].field).toBe(param);
    expect(body.errors[0].message.startsWith(`${param}: `)).toBe(true);
  }

  it("when age, targetGroup or asOf is bad, then 400 BAD_USER_INPUT names the parameter", async () => {
    for (const age of ["abc", "-1", "121", "30.5", ""]) await refused(`/export/network.graphml?age=${age}`, 400, "BAD_USER_INPUT", "age");
    await refused("/export/network.gexf?targetGroup=REFUGEE", 400, "BAD_USER_INPUT", "targetGroup");
    await refused("/export/network.json?targetGroup=resettled_refugee", 400, "BAD_USER_INPUT", "targetGroup");
    for (const asOf of ["2021-02-30", "23/09/2021", "2021-9-23"]) await refused(`/export/network.json?asOf=${asOf}`, 400, "BAD_USER_INPUT", "asOf");
  });

  it("when relations is not referrals, partnerships or both, then 400 BAD_USER_INPUT names it and lists the values it takes", async () => {
    for (const [extension, relations] of [["graphml", "referral"], ["gexf", "edges"], ["json", ""], ["json", "referrals,"], ["graphml", "Referrals"], ["gexf", "referrals+partnerships"]]) {
      await refused(`/export/network.${extension}?relations=${encodeURIComponent(relations)}`, 400, "BAD_USER_INPUT", "relations");
    }
    const { message } = (await get("/export/network.json?relations=partnership")).body.errors[0];
    expect(message).toBe('relations: must be referrals, partnerships, or referrals,partnerships (both, the default), got "partnership"');
  });

  it("when a parameter is unknown, repeated or an empty region, then 400 names it", async () => {
    await refused("/export/network.json?regoin=correze", 400, "BAD_USER_INPUT", "regoin");
    await refused("/export/network.json?age=3&age=4", 400, "BAD_USER_INPUT", "age");
    await refused("/export/network.graphml?relations=referrals&relations=partnerships", 400, "BAD_USER_INPUT", "relations");
    await refused("/export/network.json?region=", 400, "BAD_USER_INPUT", "region");
  });

  it("when the region does not exist, then 404 NOT_FOUND", async () => {
    await refused("/export/network.graphml?region=atlantis", 404, "NOT_FOUND", "region");
    const near = JSON.parse((await get(`/export/network.graphml?region=${encodeURIComponent("Corrèze")}`)).text);
    expect(near.errors[0].message).toBe('region: no region "Corrèze" exists: did you mean "correze"? Regions are named by their slug (Corrèze: correze); or leave region out for the whole network.');
  });

  it("when an unknown file is asked under /export/, then 404 lists the three files", async () => {
    const { text, ...response } = await get("/export/network.csv");
    expect(response.status).toBe(404);
    const message: string = JSON.parse(text).errors[0].message;
    for (const file of ["network.graphml", "network.gexf", "network.json"]) expect(message).toContain(file);
  });

  it("when the export is POSTed, then 405 allowing GET", async () => {
    const response = await send(`${base}/export/network.json`, { method: "POST", body: "{}", headers: { "content-type": "application/json" } });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET");
    expect(response.body.errors[0].extensions.code).toBe("BAD_USER_INPUT");
  });
});

describe("XML escaping", () => {
  it("when a name holds & < > and quotes, then it round-trips through GraphML, GEXF and JSON", async () => {
    const name = `Ça & <Co> "quoted"`;
    await app.ok(
      `mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }`,
      { input: { name, slug: "ca-co-quoted", kind: "ASSOCIATION", region: "vaucluse" } },
      app.tokens.admin,
    );
    const graphml = readGraphml((await get("/export/network.graphml?region=vaucluse")).text);
    expect(graphml.nodes.map((n: any) => [n.label, n.name])).toEqual([[name, name]]);
    const gexf = readGexf((await get("/export/network.gexf?region=vaucluse")).text);
    expect(gexf.nodes.map((n: any) => [n.label, n.name])).toEqual([[name, name]]);
    const json = JSON.parse((await get("/export/network.json?region=vaucluse")).text);
    expect(json.elements.nodes[0].data.label).toBe(name);
  });

  it("when text holds apostrophes, line breaks and characters XML 1.0 forbids, then they are escaped or stripped", () => {
    const escaped = escapeXml(`l'a\u0001b\uFFFE\uD800c\r\n\t😀`);
    expect(escaped).toBe("l&apos;abc&#13;&#10;&#9;😀");
    const decoding = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@", htmlEntities: true, trimValues: false });
    const parsed = decoding.parse(`<a v="${escaped}">${escaped}</a>`).a;
    expect(parsed["@v"]).toBe("l'abc\r\n\t😀");
    expect(parsed["#text"]).toBe("l'abc\r\n\t😀");
  });
});

describe("READ_REQUIRES_AUTH", () => {
  let guardedBase: string;
  beforeAll(async () => {
    guardedBase = (await app.listen({ NODE_ENV: "test", READ_REQUIRES_AUTH: "true" })).base;
  });

  it("when reads need a key and none is sent, then 401 UNAUTHENTICATED and no data", async () => {
    const response = await send(`${guardedBase}/export/network.json?region=correze`);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe("Bearer");
    const body = response.body;
    expect(body.errors[0].extensions.code).toBe("UNAUTHENTICATED");
    expect(body.errors[0].message).toContain("READ_REQUIRES_AUTH");
    expect(body.elements).toBeUndefined();
  });

  it("when the token is unknown, then 401 even where reads are open", async () => {
    const response = await send(`${base}/export/network.json`, { headers: { authorization: "Bearer psl_aaaaaaaaaaaa_" + "A".repeat(43) } });
    expect(response.status).toBe(401);
  });

  it("when a viewer key is sent, then the export is served", async () => {
    const response = await send(`${guardedBase}/export/network.json?region=correze`, { headers: { authorization: `Bearer ${app.tokens.viewer}` } });
    expect(response.status).toBe(200);
    const body = response.body;
    expect(body.elements.nodes).toHaveLength(CORREZE.length);
  });
});
