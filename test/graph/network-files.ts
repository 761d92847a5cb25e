import { XMLParser } from "fast-xml-parser";

// Reading the network files back as an analyst's tool would (test/graph/downloads*.test.ts): GraphML
// and GEXF parsed into nodes and edges with their attributes by name, every one declared.

export const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => ["key", "node", "edge", "data", "attributes", "attribute", "attvalue"].includes(name),
});

/** GraphML as plain maps: nodes and edges with their data by attr.name. */
export function readGraphml(text: string) {
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
    edges: (graph.edge ?? []).map((e: any) => ({ id: e["@id"], source: e["@source"], target: e["@target"], directed: e["@directed"], ...dataOf(e, "edge") })),
  };
}

export function readGexf(text: string) {
  const root = parser.parse(text).gexf;
  const graph = root.graph;
  const declared = new Map<string, Map<string, string>>(
    graph.attributes.map((a: any) => [a["@class"], new Map(a.attribute.map((x: any) => [x["@id"], x["@title"]]))]),
  );
  /** Declared attribute types by class, then title. */
  const types = new Map<string, Record<string, string>>(
    graph.attributes.map((a: any) => [a["@class"], Object.fromEntries(a.attribute.map((x: any) => [x["@title"], x["@type"]]))]),
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
    types,
    nodes: (graph.nodes?.node ?? []).map((n: any) => ({ id: n["@id"], label: n["@label"], ...valuesOf(n, "node") })),
    edges: (graph.edges?.edge ?? []).map((e: any) => ({ id: e["@id"], source: e["@source"], target: e["@target"], type: e["@type"], ...valuesOf(e, "edge") })),
  };
}

export function expectEdgesBetweenNodes(nodes: { id: string }[], edges: { source: string; target: string }[]) {
  const declared = new Set(nodes.map((n) => n.id));
  for (const e of edges) {
    expect(declared.has(e.source)).toBe(true);
    expect(declared.has(e.target)).toBe(true);
  }
}

export const referralsOf = (edges: any[]): any[] => edges.filter((e) => e.relation === "referral");
export const partnershipsOf = (edges: any[]): any[] => edges.filter((e) => e.relation === "partnership");
/** The id of the edge a partnership makes between two of its members. */
export const partnershipEdgeId = (partnership: string, source: string, target: string) => `partnership:${partnership}:${source}:${target}`;
