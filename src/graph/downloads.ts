import http from "node:http";
import { AppError, ErrorCode, InputError, NotFoundError, sendError, RequestError } from "../errors";
import { MAX_AGE, MIN_AGE, ProfileInput } from "../domain/eligibility";
import { isCalendarDay } from "../api/scalars";
import { TargetGroup } from "../domain/vocabulary";
import type { OrganizationNode, PartnershipNode, ReferralEdge } from "../model/nodes";
import { GraphQueries } from "./graph-queries";

// Analyst exports of the graph `network(region, profile, asOf)` returns, streamed over HTTP:
// GET /export/network.graphml | network.gexf | network.json ?region=&targetGroup=&age=&asOf=&relations=
// Nodes carry the organization's name as their label (what Gephi shows). Referrals are directed
// edges; a partnership is an undirected edge between each two of its members, so the graph is mixed,
// as GraphML and GEXF 1.3 allow (Gephi reads it; networkx's read_graphml and read_gexf refuse any
// graph that mixes the two); the edge attribute `relation` tells them apart. `relations=referrals`
// or `relations=partnerships` keeps one kind only, a wholly directed or wholly undirected graph
// networkx reads.

/** The network of one export request, with what every writer needs. */
interface NetworkDocument {
  /** What was asked, in words (GraphML <desc>, GEXF <description>). */
  description: string;
  /** YYYY-MM-DD of the snapshot the document comes from. */
  day: string;
  organizations: OrganizationNode[];
  referrals: ReferralEdge[];
  /** The partnerships `network` returns: those whose members are all among the organizations. */
  partnerships: PartnershipNode[];
  /** The graph's default: directed, unless it holds partnerships only (then undirected, as its every edge). */
  directed: boolean;
  regionSlug: (regionId: string | null) => string;
}

/** One edge of a document: a referral, directed from → to, or two members of a partnership, undirected. */
type DocumentEdge =
  | { relation: "referral"; id: string; source: string; target: string; referral: ReferralEdge }
  | { relation: "partnership"; id: string; source: string; target: string; partnership: PartnershipNode };

/** Whether an edge is directed, where that differs from the document's default; undefined where it does not. */
const directedness = (d: NetworkDocument, e: DocumentEdge): boolean | undefined => {
  const directed = e.relation === "referral";
  return directed === d.directed ? undefined : directed;
};

/**
 * The referrals, then for each partnership one edge per two of its members among the document's
 * organizations, the one first in the document as source; ids unique across the document.
 */
function* edgesOf(d: NetworkDocument): Iterable<DocumentEdge> {
  for (const r of d.referrals) yield { relation: "referral", id: r.id, source: r.fromId, target: r.toId, referral: r };
  const position = new Map(d.organizations.map((o, i) => [o.id, i]));
  for (const p of d.partnerships) {
    const members = [...new Set(p.memberIds)].filter((id) => position.has(id)).sort((a, b) => position.get(a)! - position.get(b)!);
    for (let i = 0; i < members.length; i++) {
      for (let j = i + 1; j < members.length; j++) {
        const [source, target] = [members[i], members[j]];
        yield { relation: "partnership", id: `partnership:${p.id}:${source}:${target}`, source, target, partnership: p };
      }
    }
  }
}

interface Format {
  extension: string;
  contentType: string;
  write(document: NetworkDocument): Iterable<string>;
}

// ---------------------------------------------------------------- parameters

const PARAMETERS = ["region", "targetGroup", "age", "asOf", "relations"];
const TARGET_GROUPS = Object.values(TargetGroup) as string[];
/** The kinds of edge `relations` lists, comma-separated; both when it is absent. */
const RELATIONS = ["referrals", "partnerships"];

export interface DownloadRequest {
  region: string | null;
  profile: ProfileInput | null;
  asOf: string | null;
  /** The kinds of edge the file holds. */
  relations: { referrals: boolean; partnerships: boolean };
}

/** Reads and checks the query string; throws InputError naming the parameter. */
export function downloadRequest(search: URLSearchParams): DownloadRequest {
  for (const name of new Set(search.keys())) {
    if (!PARAMETERS.includes(name)) throw new InputError(name, `unknown parameter; the parameters are ${PARAMETERS.join(", ")}`);
    if (search.getAll(name).length > 1) throw new InputError(name, "given more than once; give it once");
  }
  const region = search.get("region");
  if (region === "") throw new InputError("region", "must be a region slug, e.g. correze; leave it out for the whole network");

  const targetGroup = search.get("targetGroup");
  if (targetGroup !== null && !TARGET_GROUPS.includes(targetGroup)) {
    throw new InputError("targetGroup", `must be one of ${TARGET_GROUPS.join(", ")}, got ${JSON.stringify(targetGroup)}`);
  }
  const ageText = search.get("age");
  const age = ageText === null ? null : /^\d{1,3}$/.test(ageText) ? Number(ageText) : NaN;
  if (age !== null && !(age >= MIN_AGE && age <= MAX_AGE)) {
    throw new InputError("age", `must be a whole number of years from ${MIN_AGE} to ${MAX_AGE}, got ${JSON.stringify(ageText)}`);
  }
  const asOf = search.get("asOf");
  if (asOf !== null && !isCalendarDay(asOf)) {
    throw new InputError("asOf", `must be a calendar day written YYYY-MM-DD, e.g. 2021-09-23, got ${JSON.stringify(asOf)}`);
  }
  const relationsText = search.get("relations");
  const named = relationsText === null ? RELATIONS : relationsText.split(",");
  if (named.some((relation) => !RELATIONS.includes(relation))) {
    throw new InputError(
      "relations",
      `must be referrals, partnerships, or referrals,partnerships (both, the default), got ${JSON.stringify(relationsText)}`,
    );
  }
  const relations = { referrals: named.includes("referrals"), partnerships: named.includes("partnerships") };
  const profile = targetGroup !== null || age !== null ? { targetGroup: targetGroup as TargetGroup | null, age } : null;
  return { region, profile, asOf, relations };
}

/**
 * The file's name: what it holds, so that two downloads with other filters do not take each other's
 * place in a folder — network-correze-resettled-refugee-age-19-2024-06-30-referrals.graphml.
 */
export function downloadName(request: DownloadRequest, extension: string): string {
  const parts = ["network", request.region ?? "all"];
  if (request.profile?.targetGroup) parts.push(request.profile.targetGroup.toLowerCase().replace(/_/g, "-"));
  if (request.profile?.age !== null && request.profile?.age !== undefined) parts.push(`age-${request.profile.age}`);
  if (request.asOf) parts.push(request.asOf);
  const { referrals, partnerships } = request.relations;
  if (referrals !== partnerships) parts.push(referrals ? "referrals" : "partnerships");
  return `${parts.join("-")}.${extension}`;
}

/** `day`: the day walked on (asOf, or today when it is absent). */
function describe(request: DownloadRequest, day: string): string {
  const { referrals, partnerships } = request.relations;
  const parts = [`${referrals ? "Referral" : "Partnership"} network of ${request.region ? `region ${request.region}` : "every region"}`];
  if (request.profile?.targetGroup) parts.push(`for ${request.profile.targetGroup}`);
  if (request.profile?.age !== null && request.profile?.age !== undefined) parts.push(`aged ${request.profile.age}`);
  parts.push(`as of ${day}`);
  if (!partnerships) parts.push("without partnerships");
  return `${parts.join(" ")} (Passerelle export)`;
}

// ---------------------------------------------------------------- attributes

type Value = string | number | null;

interface Attribute<T> {
  name: string;
  type: "string" | "int";
  value(item: T, document: NetworkDocument): Value;
}

const NODE_ATTRIBUTES: Attribute<OrganizationNode>[] = [
  // "label" is what Gephi shows a node by (GEXF has it on <node> itself); "name" stays for earlier readers.
  { name: "label", type: "string", value: (o) => o.name },
  { name: "slug", type: "string", value: (o) => o.slug },
  { name: "name", type: "string", value: (o) => o.name },
  { name: "kind", type: "string", value: (o) => o.kind },
  { name: "region", type: "string", value: (o, d) => d.regionSlug(o.regionId) },
];

const ofReferral = (value: (r: ReferralEdge) => Value) => (e: DocumentEdge) => (e.relation === "referral" ? value(e.referral) : null);
const ofPartnership = (value: (p: PartnershipNode) => Value) => (e: DocumentEdge) => (e.relation === "partnership" ? value(e.partnership) : null);

// Days are YYYY-MM-DD strings: GraphML's attr.type has no date (boolean, int, long, float, double,
// string) and neither has GEXF 1.3's attribute type (its dates are only the dynamic graphs' time).
const EDGE_ATTRIBUTES: Attribute<DocumentEdge>[] = [
  { name: "relation", type: "string", value: (e) => e.relation },
  { name: "referral", type: "string", value: ofReferral((r) => r.id) },
  { name: "categories", type: "string", value: ofReferral((r) => r.categories.join(",")) },
  { name: "status", type: "string", value: ofReferral((r) => r.status) },
  { name: "since", type: "string", value: ofReferral((r) => r.since) },
  { name: "until", type: "string", value: ofReferral((r) => r.until) },
  { name: "verifiedOn", type: "string", value: ofReferral((r) => r.verifiedOn) },
  { name: "targetGroups", type: "string", value: ofReferral((r) => r.targetGroups.join(",")) },
  { name: "minAge", type: "int", value: ofReferral((r) => r.minAge) },
  { name: "maxAge", type: "int", value: ofReferral((r) => r.maxAge) },
  // A partnership has no name: its id, its kind and its description say which it is.
  { name: "partnership", type: "string", value: ofPartnership((p) => p.id) },
  { name: "partnershipKind", type: "string", value: ofPartnership((p) => p.kind) },
  { name: "partnershipDescription", type: "string", value: ofPartnership((p) => p.description) },
];

/** The id of an attribute's declaration, unique across nodes and edges (GraphML key id, GEXF attribute id). */
const attributeId = (domain: "node" | "edge", attribute: Attribute<never>) => `${domain}-${attribute.name}`;

/** The attributes of one item that have a value (null ones are left out of the document). */
function* valuesOf<T>(domain: "node" | "edge", attributes: Attribute<T>[], item: T, document: NetworkDocument) {
  for (const attribute of attributes) {
    const value = attribute.value(item, document);
    if (value !== null) yield { id: attributeId(domain, attribute), value: String(value) };
  }
}

// ---------------------------------------------------------------- XML

/** Characters XML 1.0 does not allow anywhere (controls, lone surrogates, U+FFFE/FFFF). */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;", "\t": "&#9;", "\n": "&#10;", "\r": "&#13;" };

/** Text safe both as element content and inside a quoted attribute value (whitespace kept as character references). */
export function escapeXml(text: string): string {
  return text.replace(NOT_XML, "").replace(/[&<>"'\t\n\r]/g, (c) => ESCAPES[c]);
}

const XML_DECLARATION = `<?xml version="1.0" encoding="UTF-8"?>\n`;

function* graphml(d: NetworkDocument): Iterable<string> {
  yield XML_DECLARATION;
  yield `<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"` +
    ` xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n`;
  for (const [domain, attributes] of [["node", NODE_ATTRIBUTES], ["edge", EDGE_ATTRIBUTES]] as const) {
    for (const a of attributes as Attribute<never>[]) {
      yield `  <key id="${attributeId(domain, a)}" for="${domain}" attr.name="${a.name}" attr.type="${a.type}"/>\n`;
    }
  }
  yield `  <graph id="network" edgedefault="${d.directed ? "directed" : "undirected"}">\n    <desc>${escapeXml(d.description)}</desc>\n`;
  const data = (values: Iterable<{ id: string; value: string }>) => {
    let xml = "";
    for (const { id, value } of values) xml += `<data key="${id}">${escapeXml(value)}</data>`;
    return xml;
  };
  for (const o of d.organizations) {
    yield `    <node id="${escapeXml(o.id)}">${data(valuesOf("node", NODE_ATTRIBUTES, o, d))}</node>\n`;
  }
  for (const e of edgesOf(d)) {
    const differs = directedness(d, e);
    const directed = differs === undefined ? "" : ` directed="${differs}"`;
    yield `    <edge id="${escapeXml(e.id)}" source="${escapeXml(e.source)}" target="${escapeXml(e.target)}"${directed}>` +
      `${data(valuesOf("edge", EDGE_ATTRIBUTES, e, d))}</edge>\n`;
  }
  yield `  </graph>\n</graphml>\n`;
}

const GEXF_TYPE = { string: "string", int: "integer" } as const;
/** GEXF's <node> has a label of its own: no attribute repeats it (Gephi's own Label column). */
const GEXF_NODE_ATTRIBUTES = NODE_ATTRIBUTES.filter((a) => a.name !== "label");

function* gexf(d: NetworkDocument): Iterable<string> {
  yield XML_DECLARATION;
  yield `<gexf xmlns="http://gexf.net/1.3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"` +
    ` xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" version="1.3">\n`;
  yield `  <meta lastmodifieddate="${d.day}"><creator>Passerelle</creator><description>${escapeXml(d.description)}</description></meta>\n`;
  yield `  <graph defaultedgetype="${d.directed ? "directed" : "undirected"}" mode="static">\n`;
  for (const [domain, attributes] of [["node", GEXF_NODE_ATTRIBUTES], ["edge", EDGE_ATTRIBUTES]] as const) {
    yield `    <attributes class="${domain}">\n`;
    for (const a of attributes as Attribute<never>[]) {
      yield `      <attribute id="${attributeId(domain, a)}" title="${a.name}" type="${GEXF_TYPE[a.type]}"/>\n`;
    }
    yield `    </attributes>\n`;
  }
  const attvalues = (values: Iterable<{ id: string; value: string }>) => {
    let xml = "";
    for (const { id, value } of values) xml += `<attvalue for="${id}" value="${escapeXml(value)}"/>`;
    return xml ? `<attvalues>${xml}</attvalues>` : "";
  };
  yield `    <nodes>\n`;
  for (const o of d.organizations) {
    yield `      <node id="${escapeXml(o.id)}" label="${escapeXml(o.name)}">${attvalues(valuesOf("node", GEXF_NODE_ATTRIBUTES, o, d))}</node>\n`;
  }
  yield `    </nodes>\n    <edges>\n`;
  for (const e of edgesOf(d)) {
    const differs = directedness(d, e);
    const type = differs === undefined ? "" : ` type="${differs ? "directed" : "undirected"}"`;
    yield `      <edge id="${escapeXml(e.id)}" source="${escapeXml(e.source)}" target="${escapeXml(e.target)}"${type}>` +
      `${attvalues(valuesOf("edge", EDGE_ATTRIBUTES, e, d))}</edge>\n`;
  }
  yield `    </edges>\n  </graph>\n</gexf>\n`;
}

// ---------------------------------------------------------------- Cytoscape.js JSON

function* cytoscape(d: NetworkDocument): Iterable<string> {
  yield `{"elements":{"nodes":[`;
  let separator = "\n";
  for (const o of d.organizations) {
    // Cytoscape.js styles read any field; Cytoscape's own default style labels a node by `name`.
    const data = { id: o.id, label: o.name, name: o.name, slug: o.slug, kind: o.kind, region: d.regionSlug(o.regionId) || null };
    yield separator + JSON.stringify({ data });
    separator = ",\n";
  }
  yield `\n],"edges":[`;
  separator = "\n";
  for (const e of edgesOf(d)) {
    const data =
      e.relation === "referral"
        ? {
            id: e.id,
            source: e.source,
            target: e.target,
            relation: e.relation,
            directed: true,
            categories: e.referral.categories,
            status: e.referral.status,
            since: e.referral.since,
            until: e.referral.until,
            verifiedOn: e.referral.verifiedOn,
            targetGroups: e.referral.targetGroups,
            minAge: e.referral.minAge,
            maxAge: e.referral.maxAge,
          }
        : {
            id: e.id,
            source: e.source,
            target: e.target,
            relation: e.relation,
            directed: false,
            partnership: e.partnership.id,
            partnershipKind: e.partnership.kind,
            partnershipDescription: e.partnership.description,
          };
    yield separator + JSON.stringify({ data });
    separator = ",\n";
  }
  yield `\n]}}\n`;
}

// ---------------------------------------------------------------- HTTP

const FORMATS: Record<string, Format> = {
  "/export/network.graphml": { extension: "graphml", contentType: "application/graphml+xml; charset=utf-8", write: graphml },
  "/export/network.gexf": { extension: "gexf", contentType: "application/gexf+xml; charset=utf-8", write: gexf },
  "/export/network.json": { extension: "json", contentType: "application/json; charset=utf-8", write: cytoscape },
};

/** Pieces (nodes, edges) sent per response.write. */
const BATCH = 500;

/** Writes one chunk; waits for 'drain' when the socket is full. False when the client went away. */
function writeChunk(response: http.ServerResponse, chunk: string): Promise<boolean> {
  if (response.destroyed) return Promise.resolve(false);
  if (response.write(chunk)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      response.off("drain", onDrain);
      response.off("close", onClose);
      resolve(ok);
    };
    const onDrain = () => done(true);
    const onClose = () => done(false);
    response.on("drain", onDrain);
    response.on("close", onClose);
  });
}

async function stream(response: http.ServerResponse, pieces: Iterable<string>): Promise<void> {
  let batch: string[] = [];
  for (const piece of pieces) {
    batch.push(piece);
    if (batch.length >= BATCH) {
      if (!(await writeChunk(response, batch.join("")))) return;
      batch = [];
    }
  }
  if (batch.length > 0 && !(await writeChunk(response, batch.join("")))) return;
  response.end();
}

/** Serves GET /export/network.{graphml,gexf,json}; answers bad requests with the GraphQL error shape. */
export async function handleDownload(graph: GraphQueries, url: URL, response: http.ServerResponse): Promise<void> {
  const format = FORMATS[url.pathname];
  if (!format) {
    const files = Object.keys(FORMATS).join(", ");
    return sendError(response, new AppError(`Nothing at ${url.pathname}: the exports are ${files}.`, ErrorCode.NOT_FOUND));
  }
  const method = response.req?.method ?? "GET";
  if (method !== "GET") {
    return sendError(response, new RequestError(405, "method", `${method} is not allowed on ${url.pathname}: use GET.`, { allow: "GET" }));
  }
  let request: DownloadRequest;
  let found: Awaited<ReturnType<GraphQueries["network"]>>;
  try {
    request = downloadRequest(url.searchParams);
    found = await graph.network(request);
  } catch (error) {
    if (error instanceof AppError && error.extensions.code === ErrorCode.BAD_USER_INPUT) {
      return sendError(response, error);
    }
    if (error instanceof NotFoundError) {
      // Worded as the other parameters' faults ("region: ..."), with what the graph's lookup suggests.
      const region = url.searchParams.get("region");
      return sendError(
        response,
        new AppError(`region: no region ${JSON.stringify(region)} exists${error.hint ? `: ${error.hint};` : ";"} or leave region out for the whole network.`, ErrorCode.NOT_FOUND, { field: "region" }),
      );
    }
    throw error;
  }
  const { snapshot, network, day } = found;
  const slugById = new Map(snapshot.regions.map((r) => [r.id, r.slug]));
  const document: NetworkDocument = {
    description: describe(request, day),
    day: snapshot.builtAt.toISOString().slice(0, 10),
    organizations: network.organizations,
    referrals: request.relations.referrals ? network.referrals : [],
    partnerships: request.relations.partnerships ? network.partnerships : [],
    directed: request.relations.referrals,
    regionSlug: (id) => (id === null ? "" : (slugById.get(id) ?? "")),
  };
  response.writeHead(200, {
    "content-type": format.contentType,
    "content-disposition": `attachment; filename="${downloadName(request, format.extension)}"`,
    "cache-control": "no-store",
  });
  await stream(response, format.write(document));
}
