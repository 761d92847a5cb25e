import { XMLParser } from "fast-xml-parser";
import { startTestApp, TestApp } from "../helpers/app";
import { escapeXml } from "../../src/graph/downloads";
import { send } from "../helpers/http";

let app: TestApp;
let base: string;
/** Seed organization ids by slug. */
let ids: Record<string, string>;

beforeAll(async () => {
  app = await startTestApp({ seed: true });
  base = (await app.listen({ NODE_ENV: "test" })).base;
  const rows: { id: string; slug: string }[] = await app.db.query(`SELECT id, slug FROM organizations`);
  ids = Object.fromEntries(rows.map((r) => [r.slug, r.id]));
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

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => ["key", "node", "edge", "data", "attributes", "attribute", "attvalue"].includes(name),
});

const get = (path: string) => send(`${base}${path}`);

/** GraphML as plain maps: nodes and edges with their data by attr.name. */
function readGraphml(text: string) {
  const doc = parser.parse(text);
  const root = doc.graphml;
  const keys: any[] = root.key;
  const keyName = new Map(keys.map((k) => [k["@id"], { name: k["@attr.name"], for: k["@for"] }]));
  const dataOf = (element: any, domain: string) =>
    Object.fromEntries(
      (element.data ?? []).map((d: any) => {
        const key = keyName.get(d["@key"]);
        expect(key).toBeDefined(); // every data key is declared...
        expect(key!.for).toBe(domain); // ...for its kind of element
        return [key!.name, typeof d === "string" ? d : (d["#text"] ?? "")];
      }),
    );
  const graph = root.graph;
  return {
    root,
    keys,
    graph,
    nodes: (graph.node ?? []).map((n: any) => ({ id: n["@id"], ...dataOf(n, "node") })),
    edges: (graph.edge ?? []).map((e: any) => ({ id: e["@id"], source: e["@source"], target: e["@target"], ...dataOf(e, "edge") })),
  };
}

function readGexf(text: string) {
  const root = parser.parse(text).gexf;
  const graph = root.graph;
  const declared = new Map<string, Map<string, string>>(
    graph.attributes.map((a: any) => [a["@class"], new Map(a.attribute.map((x: any) => [x["@id"], x["@title"]]))]),
  );
  const valuesOf = (element: any, domain: string) =>
    Object.fromEntries(
      (element.attvalues?.attvalue ?? []).map((v: any) => {
        const title = declared.get(domain)?.get(v["@for"]);
        expect(title).toBeDefined();
        return [title, v["@value"]];
      }),
    );
  return {
    root,
    graph,
    declared,
    nodes: (graph.nodes?.node ?? []).map((n: any) => ({ id: n["@id"], label: n["@label"], ...valuesOf(n, "node") })),
    edges: (graph.edges?.edge ?? []).map((e: any) => ({ id: e["@id"], source: e["@source"], target: e["@target"], ...valuesOf(e, "edge") })),
  };
}

function expectEdgesBetweenNodes(nodes: { id: string }[], edges: { source: string; target: string }[]) {
  const declared = new Set(nodes.map((n) => n.id));
  for (const e of edges) {
    expect(declared.has(e.source)).toBe(true);
    expect(declared.has(e.target)).toBe(true);
  }
}

const hasReferral = (edges: { source: string; target: string }[]) =>
  edges.some((e) => e.source === ids["chemins-singuliers"] && e.target === ids.mosaik);

describe("GET /export/network.graphml", () => {
  it("when the Corrèze network is exported, then it parses as GraphML with declared keys, its five organizations by name and the referral", async () => {
    const { text, ...response } = await get("/export/network.graphml?region=correze");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/graphml+xml; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="network-correze.graphml"');
    const g = readGraphml(text);
    expect(g.root["@xmlns"]).toBe("http://graphml.graphdrawing.org/xmlns");
    expect(g.graph["@edgedefault"]).toBe("directed");
    for (const k of g.keys) expect(["string", "int"]).toContain(k["@attr.type"]);
    expect(g.keys.filter((k) => k["@for"] === "node").map((k) => k["@attr.name"]).sort()).toEqual(["kind", "label", "name", "region", "slug"]);
    // Nodes by slug order, labelled with the organization's name.
    expect(g.nodes).toEqual(CORREZE_NODES.map((n) => ({ id: ids[n.slug], ...n, name: n.label, region: "correze" })));
    expectEdgesBetweenNodes(g.nodes, g.edges);
    expect(hasReferral(g.edges)).toBe(true);
    const edge = g.edges.find((e: any) => e.source === ids["chemins-singuliers"]);
    expect(edge).toMatchObject({
      referral: edge.id,
      categories: "LANGUAGE_LEARNING,VOCATIONAL_ORIENTATION",
      status: "ACTIVE",
      targetGroups: "RESETTLED_REFUGEE",
      minAge: "16",
      maxAge: "25",
    });
    expect(edge.since).toBeUndefined(); // null: no <data>
  });

  it("when no region is given, then every organization of the seed is a node and the file is network-all", async () => {
    const { text, ...response } = await get("/export/network.graphml");
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="network-all.graphml"');
    const g = readGraphml(text);
    expect(g.nodes).toHaveLength(11);
    expect(g.nodes.find((n: any) => n.slug === "icmc-europe").region).toBe("");
    expectEdgesBetweenNodes(g.nodes, g.edges);
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

  it("when the export is served, then it is streamed in chunks", async () => {
    const response = await get("/export/network.graphml");
    expect(response.headers.get("transfer-encoding")).toBe("chunked");
    expect(response.headers.get("content-length")).toBeNull();
  });
});

describe("GET /export/network.gexf", () => {
  it("when the Corrèze network is exported, then it parses as GEXF 1.3 with declared attributes, five labelled nodes and the referral", async () => {
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
    expect([...g.declared.get("node")!.values()].sort()).toEqual(["kind", "name", "region", "slug"]);
    expect([...g.declared.get("edge")!.values()]).toEqual(
      expect.arrayContaining(["referral", "categories", "status", "since", "until", "targetGroups", "minAge", "maxAge"]),
    );
    expect(g.nodes).toEqual(CORREZE_NODES.map((n) => ({ id: ids[n.slug], ...n, name: n.label, region: "correze" })));
    expect(g.edges).toHaveLength(1);
    expectEdgesBetweenNodes(g.nodes, g.edges);
    expect(hasReferral(g.edges)).toBe(true);
    expect(g.edges[0]).toMatchObject({ status: "ACTIVE", minAge: "16", maxAge: "25" });
  });
});

describe("GET /export/network.json", () => {
  it("when the Corrèze network is exported, then it is Cytoscape.js JSON whose edges join its nodes", async () => {
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
    expect(edges).toHaveLength(1);
    expect(edges[0]).toMatchObject({
      source: ids["chemins-singuliers"],
      target: ids.mosaik,
      categories: ["LANGUAGE_LEARNING", "VOCATIONAL_ORIENTATION"],
      status: "ACTIVE",
      since: null,
      until: null,
    });
  });

  it("when nothing matches, then it is still valid JSON with empty lists", async () => {
    const { text } = await get("/export/network.json?region=isere");
    expect(JSON.parse(text)).toEqual({ elements: { nodes: [], edges: [] } });
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

  it("when a parameter is unknown, repeated or an empty region, then 400 names it", async () => {
    await refused("/export/network.json?regoin=correze", 400, "BAD_USER_INPUT", "regoin");
    await refused("/export/network.json?age=3&age=4", 400, "BAD_USER_INPUT", "age");
    await refused("/export/network.json?region=", 400, "BAD_USER_INPUT", "region");
  });

  it("when the region does not exist, then 404 NOT_FOUND", async () => {
    await refused("/export/network.graphml?region=atlantis", 404, "NOT_FOUND", "region");
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
