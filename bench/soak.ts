// npm run soak: a long run of mixed traffic against the built server, as `npm start` runs it
// (its own process, NODE_ENV=production), over loopback only, bounded in time. Dashboards page
// through organizations and draw region graphs; analysts ask pathways, referral chains and metrics;
// coordinators write (update organizations, open and close referrals) all along, which moves the
// graph version and so empties the graph caches again and again.
//
// The report: requests served, errors (any non-200 or GraphQL error; must be 0: the exit code is 1
// otherwise), p50/p99 latency per kind and overall, and the server's resident memory once warm and
// at the end, sampled every second from /proc.
//
// SOAK_SECONDS (default 60), SOAK_CLIENTS concurrent clients (default 8), SOAK_REGIONS,
// SOAK_ORGANIZATIONS (per region), SOAK_REFERRALS for the generated network; SOAK_DATABASE_URL runs
// it on PostgreSQL (an empty database of its own), else PGlite in a temporary folder.
import "reflect-metadata";
import fs from "node:fs";
import os from "node:os";
import { openDatabase } from "../src/db/data-source";
import { ApiKeys } from "../src/auth/api-keys";
import { Role, ServiceCategory, TargetGroup } from "../src/domain/vocabulary";
import { preparedDataDir } from "../test/helpers/database";
import { startServerProcess } from "../test/helpers/process";
import { generateNetwork, random } from "./generate";
import { fixed, httpClient, memoryOf, quantile } from "./load";

const env = process.env;
const SECONDS = Number(env.SOAK_SECONDS ?? 60);
const CLIENTS = Number(env.SOAK_CLIENTS ?? 8);
const WARM_UP_SECONDS = Math.min(5, Math.max(1, Math.floor(SECONDS / 10)));
const size = {
  regions: Number(env.SOAK_REGIONS ?? 10),
  organizations: Number(env.SOAK_ORGANIZATIONS ?? 200),
  referrals: Number(env.SOAK_REFERRALS ?? 20_000),
  seed: 7,
};
const databaseUrl = env.SOAK_DATABASE_URL || undefined;


const residentMb = (pid: number) => memoryOf(pid).rss;

type Kind = "dashboard" | "analyst" | "write";
interface Request {
  kind: Kind;
  name: string;
  query: string;
  variables: Record<string, unknown>;
  admin?: boolean;
  /** Reads the answer's data, e.g. to remember a created id. */
  then?: (data: any) => void;
}

async function main() {
  // In the tests, a copy of their migrated database (no initdb, outside the timings anyway); else a new folder.
  const dataDir = databaseUrl ? undefined : preparedDataDir("passerelle-soak-", "migrated");
  try {
    const db = await openDatabase({ databaseUrl, dataDir: dataDir ?? "unused" });
    const generated = await generateNetwork(db, size);
    const { token } = await new ApiKeys(db).create({ role: Role.ADMIN, label: "soak" });
    await db.destroy();

    const server = await startServerProcess({
      SEED: "none",
      LOG_LEVEL: "info", // as deployed: one JSON line per request
      // One loopback address asks thousands of times a minute on purpose: no rate limits here.
      GRAPH_RATE_LIMIT: "0",
      WRITE_RATE_LIMIT: "0",
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : { DATA_DIR: dataDir! }),
    });
    const pid = server.child.pid!;
    const http = httpClient(server.port, CLIENTS);
    const send = (body: string, admin: boolean) => http.send(body, admin ? `Bearer ${token}` : undefined);

    const latencies = new Map<string, number[]>();
    const kindOf = new Map<string, Kind>();
    const errors: string[] = [];
    let served = 0;
    let measuring = false;

    /** One client's next request. Each opens referrals only from its own organizations, never twice between the same two at once, so writes never collide. */
    const nextRequest = (client: number, rand: () => number, open: { id: string; pair: string }[]): Request => {
      const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)];
      const region = Math.floor(rand() * size.regions);
      const member = () => generated.organizationSlugs[pick(generated.byRegion[region])];
      const profile = rand() < 0.3 ? null : { targetGroup: rand() < 0.5 ? pick(Object.values(TargetGroup)) : null, age: rand() < 0.7 ? 14 + Math.floor(rand() * 40) : null };
      const roll = rand();
      if (roll < 0.25) {
        return { kind: "dashboard", name: "network(region)", query: `query($r: String) { network(region: $r) { organizations { id slug kind } referrals { from { id } to { id } categories } } }`, variables: { r: generated.regionSlugs[region] } };
      }
      if (roll < 0.45) {
        return { kind: "dashboard", name: "organizations(filter, first)", query: `query($r: String, $c: [ServiceCategory!]) { organizations(first: 20, filter: { region: $r, categories: $c }) { totalCount edges { node { slug name services { category } } } } }`, variables: { r: generated.regionSlugs[region], c: rand() < 0.5 ? [pick(Object.values(ServiceCategory))] : null } };
      }
      if (roll < 0.55) {
        return { kind: "dashboard", name: "organization(id)", query: `query($id: ID!) { organization(id: $id) { name services { name category eligibility { minAge maxAge targetGroups } } } }`, variables: { id: member() } };
      }
      if (roll < 0.7) {
        return { kind: "analyst", name: "pathways", query: `query($f: ID!, $c: ServiceCategory, $p: ProfileInput) { pathways(from: $f, toCategory: $c, profile: $p, maxHops: 4, limit: 10) { hops organizations { slug } } }`, variables: { f: member(), c: pick(Object.values(ServiceCategory)), p: profile } };
      }
      if (roll < 0.8) {
        return { kind: "analyst", name: "referralChain", query: `query($o: ID!, $p: ProfileInput) { referralChain(organization: $o, maxDepth: 3, profile: $p) { entries { organization { slug } depth } } }`, variables: { o: member(), p: profile } };
      }
      if (roll < 0.85) {
        return { kind: "analyst", name: "networkMetrics(region)", query: `query($r: String) { networkMetrics(region: $r) { organization { slug } betweenness downstreamReach } }`, variables: { r: generated.regionSlugs[region] } };
      }
      if (roll < 0.92 || open.length >= 5) {
        if (open.length && rand() < 0.5) {
          return { kind: "write", name: "deleteReferral", query: `mutation($id: ID!) { deleteReferral(id: $id) }`, variables: { id: open.shift()!.id }, admin: true };
        }
        return { kind: "write", name: "updateOrganization", query: `mutation($id: ID!, $d: String) { updateOrganization(id: $id, input: { description: $d }) { version } }`, variables: { id: member(), d: `soak ${Date.now()}` }, admin: true };
      }
      // Referrals from this client's own organizations, with a category set the generator never draws (it draws one or two).
      const own = generated.byRegion[region].filter((i) => i % CLIENTS === client);
      const from = own.length ? generated.organizationSlugs[pick(own)] : undefined;
      const to = member();
      const pair = `${from}>${to}`;
      if (from === undefined || to === from || open.some((o) => o.pair === pair)) {
        return { kind: "write", name: "updateOrganization", query: `mutation($id: ID!, $d: String) { updateOrganization(id: $id, input: { description: $d }) { version } }`, variables: { id: to, d: `soak ${Date.now()}` }, admin: true };
      }
      return {
        kind: "write",
        name: "createReferral",
        query: `mutation($input: CreateReferralInput!) { createReferral(input: $input) { id } }`,
        variables: { input: { from, to, categories: ["OTHER", "MOBILITY", "VOLUNTEER_MOBILIZATION"], eligibility: { minAge: 16, maxAge: 25 }, description: `soak client ${client}` } },
        admin: true,
        then: (data) => open.push({ id: data.createReferral.id, pair }),
      };
    };

    const until = Date.now() + SECONDS * 1000;
    const client = async (index: number) => {
      const rand = random(1000 + index);
      const open: { id: string; pair: string }[] = [];
      while (Date.now() < until) {
        const request = nextRequest(index, rand, open);
        const started = performance.now();
        const { status, text } = await send(JSON.stringify({ query: request.query, variables: request.variables }), request.admin ?? false);
        const elapsed = performance.now() - started;
        let body: any;
        try {
          body = JSON.parse(text);
        } catch {
          body = undefined;
        }
        if (status !== 200 || !body || body.errors) {
          errors.push(`${request.name} -> ${status} ${text.slice(0, 300)}`);
          continue;
        }
        request.then?.(body.data);
        if (!measuring) continue;
        served++;
        kindOf.set(`  ${request.name}`, request.kind);
        for (const key of [request.kind, `  ${request.name}`, "all"]) {
          let list = latencies.get(key);
          if (!list) latencies.set(key, (list = []));
          list.push(elapsed);
        }
      }
      // Leave the network as it was found.
      for (const { id } of open) await send(JSON.stringify({ query: `mutation($id: ID!) { deleteReferral(id: $id) }`, variables: { id } }), true);
    };

    const samples: number[] = [];
    let memoryAtStart = NaN;
    const sampler = setInterval(() => samples.push(residentMb(pid)), 1000);
    const warm = setTimeout(() => {
      measuring = true;
      memoryAtStart = residentMb(pid);
      samples.length = 0;
    }, WARM_UP_SECONDS * 1000);
    const begun = performance.now();
    try {
      await Promise.all(Array.from({ length: CLIENTS }, (_, i) => client(i)));
    } finally {
      clearInterval(sampler);
      clearTimeout(warm);
    }
    const measuredSeconds = (performance.now() - begun) / 1000 - WARM_UP_SECONDS;
    const memoryAtEnd = residentMb(pid);
    http.close();
    server.child.kill("SIGTERM");
    const exitCode = await server.exited;

    const table: string[][] = [["requests", "count", "p50 ms", "p99 ms", "max ms"]];
    const rows = (["dashboard", "analyst", "write"] as const).flatMap((kind) => [kind, ...[...kindOf.keys()].filter((name) => kindOf.get(name) === kind).sort()]);
    for (const key of [...rows, "all"]) {
      const list = (latencies.get(key) ?? []).sort((a, b) => a - b);
      if (list.length) table.push([key, String(list.length), fixed(quantile(list, 0.5)), fixed(quantile(list, 0.99)), fixed(list.at(-1)!)]);
    }
    const widths = table[0].map((_, c) => Math.max(...table.map((r) => r[c].length)));
    const line = (r: string[]) => `| ${r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join(" | ")} |`;
    const firstHalf = samples.slice(0, Math.ceil(samples.length / 2));
    const secondHalf = samples.slice(Math.ceil(samples.length / 2));
    const mean = (list: number[]) => list.reduce((a, b) => a + b, 0) / Math.max(1, list.length);
    console.log(
      `\nPasserelle soak: ${SECONDS} s (${WARM_UP_SECONDS} s warm-up not counted), ${CLIENTS} clients over loopback, ` +
        `${size.regions} regions x ${size.organizations} organizations, ${size.referrals} referrals, ${databaseUrl ? "PostgreSQL" : "PGlite"}, ` +
        `node ${process.version}, ${os.cpus()[0]?.model ?? "cpu"}\n`,
    );
    console.log(line(table[0]));
    console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
    for (const r of table.slice(1)) console.log(line(r));
    console.log(`\nrequests served: ${served} (${(served / measuredSeconds).toFixed(0)}/s)`);
    console.log(`errors: ${errors.length}`);
    for (const e of errors.slice(0, 5)) console.log(`  ${e}`);
    console.log(
      `server resident memory (MB): warm ${memoryAtStart.toFixed(0)}, end ${memoryAtEnd.toFixed(0)}, peak ${Math.max(...samples, memoryAtEnd).toFixed(0)}; ` +
        `mean of first half ${mean(firstHalf).toFixed(0)}, of second half ${mean(secondHalf).toFixed(0)}`,
    );
    const step = Math.max(1, Math.round(samples.length / 10));
    console.log(`  every ${step} s: ${samples.filter((_, i) => i % step === 0).map((v) => v.toFixed(0)).join(" ")}`);
    const builds = server
      .output()
      .split("\n")
      .filter((l) => l.includes(`"read model patched"`) || l.includes(`"read model loaded"`))
      .map((l) => JSON.parse(l) as { loadMs: number; patchMs: number });
    if (builds.length) {
      console.log(
        `read model loads and patches: ${builds.length}, mean load ${fixed(mean(builds.map((b) => b.loadMs)))} ms + patch ${fixed(mean(builds.map((b) => b.patchMs)))} ms`,
      );
    }
    console.log(`server exit code after SIGTERM: ${exitCode}`);
    if (errors.length > 0 || exitCode !== 0) process.exitCode = 1;
  } finally {
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
