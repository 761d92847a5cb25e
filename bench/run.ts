// npm run bench: writes a synthetic Europe-scale network into a fresh database, starts the built
// server on it as its own process (as `npm start` does, NODE_ENV=production), and times each graph
// query over loopback HTTP beside the `{ __typename }` floor of the same server in the same run,
// so the figures read as ratios on any machine. Memory is the server process's, from /proc.
//
// Sizes: BENCH_REGIONS, BENCH_ORGANIZATIONS (per region), BENCH_REFERRALS, BENCH_SEED;
// BENCH_REQUESTS per series (BENCH_ANALYSIS_REQUESTS, at most as many, per analysis series). BENCH_DATABASE_URL runs it on PostgreSQL (an empty database of its
// own: the network is written into it); without it, on PGlite in a temporary folder.
import "reflect-metadata";
import fs from "node:fs";
import os from "node:os";
import { openDatabase } from "../src/db/data-source";
import { ApiKeys } from "../src/auth/api-keys";
import { Role, ServiceCategory, TargetGroup } from "../src/domain/vocabulary";
import { preparedDataDir } from "../test/helpers/database";
import { startServerProcess } from "../test/helpers/process";
import { DEFAULT_SIZE, generateNetwork, random } from "./generate";
import { httpClient, memoryOf, quantile } from "./load";

const env = process.env;
const size = {
  regions: Number(env.BENCH_REGIONS ?? DEFAULT_SIZE.regions),
  organizations: Number(env.BENCH_ORGANIZATIONS ?? DEFAULT_SIZE.organizations),
  referrals: Number(env.BENCH_REFERRALS ?? DEFAULT_SIZE.referrals),
  seed: Number(env.BENCH_SEED ?? DEFAULT_SIZE.seed),
};
const REQUESTS = Number(env.BENCH_REQUESTS ?? 400);
/** Requests per analysis series: each computes a whole region's answer. */
const ANALYSIS_REQUESTS = Math.min(REQUESTS, Number(env.BENCH_ANALYSIS_REQUESTS ?? 100));
const databaseUrl = env.BENCH_DATABASE_URL || undefined;

const ms = (value: number) => (value < 10 ? value.toFixed(2) : value.toFixed(0));


/** The numbers of the server's last JSON log line with this message. */
function logged(output: string, message: string): Record<string, number> {
  const line = output.split("\n").filter((l) => l.includes(`"${message}"`)).at(-1);
  if (!line) throw new Error(`the server did not log "${message}":\n${output.slice(-2000)}`);
  return JSON.parse(line);
}

async function main() {
  // In the tests, a copy of their migrated database (no initdb, outside the timings anyway); else a new folder.
  const dataDir = databaseUrl ? undefined : preparedDataDir("passerelle-bench-", "migrated");
  try {
    const t0 = performance.now();
    const db = await openDatabase({ databaseUrl, dataDir: dataDir ?? "unused" });
    const generated = await generateNetwork(db, size);
    const { token } = await new ApiKeys(db).create({ role: Role.ADMIN, label: "bench" });
    await db.destroy();
    const generatedMs = performance.now() - t0;

    const startedAt = performance.now();
    const server = await startServerProcess({
      SEED: "none",
      LOG_LEVEL: "info",
      GRAPH_RATE_LIMIT: "0", // thousands of questions a minute from one address, on purpose
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : { DATA_DIR: dataDir! }),
    });
    const startMs = performance.now() - startedAt;
    const pid = server.child.pid!;
    try {
      let hits = 0;
      // One kept-alive connection: the client's own cost stays small beside the server's.
      const client = httpClient(server.port, 1);
      const send = async (body: string, authorization?: string) => {
        const answer = await client.send(body, authorization);
        return { ...answer, hit: answer.headers["x-passerelle-cache"] === "hit" };
      };
      /** Time to the whole answer text, as a client waits for it; errors are checked after the clock. */
      const post = async (query: string, variables: Record<string, unknown> = {}, authorization?: string) => {
        const body = JSON.stringify({ query, variables });
        const started = performance.now();
        const { status, hit, text } = await send(body, authorization);
        const elapsed = performance.now() - started;
        if (status !== 200 || text.startsWith(`{"errors"`)) throw new Error(`bench query failed (${status}): ${text.slice(0, 500)}`);
        if (hit) hits++;
        return elapsed;
      };

      const memoryAtStart = memoryOf(pid);
      const firstQueryMs = await post(`{ referralChain(organization: "${generated.organizationSlugs[0]}", maxDepth: 1) { entries { depth } } }`);
      const built = logged(server.output(), "read model loaded");
      const memoryWithSnapshot = memoryOf(pid);

      const rand = random(size.seed + 1);
      const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)];
      const profile = () =>
        rand() < 0.3 ? null : { targetGroup: rand() < 0.5 ? pick(Object.values(TargetGroup)) : null, age: rand() < 0.7 ? 14 + Math.floor(rand() * 40) : null };
      const series = async (name: string, make: () => [string, Record<string, unknown>], count = REQUESTS, target = "median < 5x") => {
        for (let i = 0; i < Math.min(20, count); i++) await post(...make()); // warm-up
        hits = 0;
        const times: number[] = [];
        for (let i = 0; i < count; i++) times.push(await post(...make()));
        times.sort((a, b) => a - b);
        return { name, median: quantile(times, 0.5), p99: quantile(times, 0.99), hits, target };
      };

      const floor = await series("{ __typename }", () => ["{ __typename }", {}]);
      const rows = [floor];
      rows.push(
        await series("pathways (maxHops 4, limit 10, toCategory)", () => [
          `query($from: ID!, $c: ServiceCategory, $p: ProfileInput) { pathways(from: $from, toCategory: $c, profile: $p, maxHops: 4, limit: 10) { hops organizations { slug } referrals { id } } }`,
          { from: pick(generated.organizationSlugs), c: pick(Object.values(ServiceCategory)), p: profile() },
        ]),
      );
      rows.push(
        await series("pathways (maxHops 4, limit 10, to)", () => {
          const region = pick(generated.byRegion);
          return [
            `query($from: ID!, $to: ID, $p: ProfileInput) { pathways(from: $from, to: $to, profile: $p, maxHops: 4, limit: 10) { hops organizations { slug } referrals { id } } }`,
            { from: generated.organizationSlugs[pick(region)], to: generated.organizationSlugs[pick(region)], p: profile() },
          ];
        }),
      );
      rows.push(
        await series("referralChain (maxDepth 3)", () => [
          `query($o: ID!, $d: ReferralDirection, $p: ProfileInput) { referralChain(organization: $o, direction: $d, maxDepth: 3, profile: $p) { entries { organization { slug } depth } } }`,
          { o: pick(generated.organizationSlugs), d: rand() < 0.5 ? "DOWNSTREAM" : "UPSTREAM", p: profile() },
        ]),
      );

      // The analyses on one region at a time (drawn anew each request, with their other arguments, so
      // that each is computed rather than served from the answers kept per question).
      const region = () => {
        const r = Math.floor(rand() * size.regions);
        return { slug: generated.regionSlugs[r], member: () => generated.organizationSlugs[pick(generated.byRegion[r])] };
      };
      const analyses = [
        await series("coverage: 16 categories x 5 groups x 4 ages, from an organization", () => {
          const r = region();
          return [`query($r: String!, $f: ID) { coverage(region: $r, targetGroups: [${Object.values(TargetGroup).join(", ")}], ages: [17, 18, 25, 26], from: $f) { category providerCount reachableCount } }`, { r: r.slug, f: r.member() }];
        }, ANALYSIS_REQUESTS, "< 100 ms"),
        await series("ageCliffs, from an organization", () => {
          const r = region();
          return [`query($r: String!, $g: TargetGroup, $f: ID) { ageCliffs(region: $r, targetGroup: $g, from: $f) { age category providersBefore providersAfter } }`, { r: r.slug, g: pick(Object.values(TargetGroup)), f: r.member() }];
        }, ANALYSIS_REQUESTS, "< 200 ms"),
        await series("profileChange, from an organization", () => {
          const r = region();
          return [`query($r: String!, $b: ProfileInput!, $a: ProfileInput!, $f: ID) { profileChange(region: $r, before: $b, after: $a, from: $f) { category providersBefore providersAfter } }`, { r: r.slug, b: { targetGroup: "UNACCOMPANIED_MINOR", age: 17 }, a: { targetGroup: pick(Object.values(TargetGroup)), age: 18 }, f: r.member() }];
        }, ANALYSIS_REQUESTS, ""),
        await series("closureImpact of one organization", () => {
          const r = region();
          return [`query($r: String, $o: [ID!]!) { closureImpact(organizations: $o, region: $r) { referralsLost { id } coverageLost { category } routesLost { category hopsBefore } isolated { slug } } }`, { r: r.slug, o: [r.member()] }];
        }, ANALYSIS_REQUESTS, "< 200 ms"),
        await series("networkSummary", () => [`query($r: String, $p: ProfileInput) { networkSummary(region: $r, profile: $p) { density reciprocity components brokers { slug } } }`, { r: region().slug, p: profile() }], ANALYSIS_REQUESTS, "< 50 ms"),
        await series("networkChanges between two days", () => [`query($r: String, $s: Date!, $u: Date!) { networkChanges(region: $r, since: $s, until: $u) { opened { id } closed { id } } }`, { r: region().slug, s: `202${Math.floor(rand() * 3)}-01-01`, u: "2025-06-30" }], ANALYSIS_REQUESTS, ""),
      ];
      const memoryAfterAnalyses = memoryOf(pid);
      // Once per region and version: computed for distinct regions, then kept.
      const CRITICAL = `query($r: String!) { criticalOrganizations(region: $r) { organization { slug } routesCarried } }`;
      const COMMUNITIES = `query($r: String) { communities(region: $r) { number organizations { slug } } }`;
      const computedOnce = async (query: string) => {
        const times: number[] = [];
        for (const slug of generated.regionSlugs.slice(0, Math.min(5, size.regions))) times.push(await post(query, { r: slug }));
        times.sort((a, b) => a - b);
        return times;
      };
      const criticalComputed = await computedOnce(CRITICAL);
      const criticalKept = await series("criticalOrganizations, kept", () => [CRITICAL, { r: generated.regionSlugs[0] }], 20, "< 10 ms");
      const communitiesComputed = await computedOnce(COMMUNITIES);

      const memoryAfterCommunities = memoryOf(pid);
      const METRICS = `query($r: String) { networkMetrics(region: $r) { organization { slug } inDegree outDegree betweenness downstreamReach } }`;
      const regionTimes: number[] = [];
      for (const region of generated.regionSlugs.slice(0, 5)) regionTimes.push(await post(METRICS, { r: region }));
      regionTimes.sort((a, b) => a - b);
      const wholeCold = await post(METRICS);
      const computed = logged(server.output(), "network metrics computed");
      hits = 0;
      const wholeWarm: number[] = [];
      for (let i = 0; i < 20; i++) wholeWarm.push(await post(METRICS));
      wholeWarm.sort((a, b) => a - b);
      const warmHits = hits;

      // A coordinator's write, then a graph question: the snapshot re-reads the changed row and rebuilds its indexes.
      const afterWrite: number[] = [];
      const refreshes: Record<string, number>[] = [];
      for (let i = 0; i < 10; i++) {
        await post(`mutation($id: ID!, $d: String) { updateOrganization(id: $id, input: { description: $d }) { version } }`, { id: pick(generated.organizationSlugs), d: `bench ${i}` }, `Bearer ${token}`);
        afterWrite.push(await post(`query($o: ID!) { referralChain(organization: $o, maxDepth: 3) { entries { depth } } }`, { o: pick(generated.organizationSlugs) }));
        refreshes.push(logged(server.output(), "read model patched"));
      }
      afterWrite.sort((a, b) => a - b);
      const refreshLoad = quantile(refreshes.map((r) => r.loadMs).sort((a, b) => a - b), 0.5);
      const refreshBuild = quantile(refreshes.map((r) => r.patchMs).sort((a, b) => a - b), 0.5);
      const memoryAtEnd = memoryOf(pid);

      const ratio = (value: number) => `${(value / floor.median).toFixed(1)}x`;
      const table: string[][] = [["what", "median ms", "p99 ms", "x floor", "target"]];
      for (const row of rows) {
        const target = row === floor ? "" : "median < 5x";
        const label = row.hits ? `${row.name} (${row.hits} cache hits)` : row.name;
        table.push([label, ms(row.median), ms(row.p99), ratio(row.median), target]);
      }
      for (const row of analyses) table.push([`${row.name}, one region${row.hits ? ` (${row.hits} cache hits)` : ""}`, ms(row.median), ms(row.p99), ratio(row.median), row.target]);
      table.push([`criticalOrganizations, one region, computed (${criticalComputed.length} regions)`, ms(quantile(criticalComputed, 0.5)), ms(criticalComputed.at(-1)!), "", "< 2000 ms"]);
      table.push([`criticalOrganizations, one region, again x20 (${criticalKept.hits} cache hits)`, ms(criticalKept.median), ms(criticalKept.p99), "", criticalKept.target]);
      table.push([`communities, one region, computed (${communitiesComputed.length} regions)`, ms(quantile(communitiesComputed, 0.5)), ms(communitiesComputed.at(-1)!), "", ""]);
      table.push([`networkMetrics, one region (${size.organizations} orgs), computed`, ms(quantile(regionTimes, 0.5)), ms(regionTimes.at(-1)!), "", "< 1000 ms"]);
      table.push([`networkMetrics, whole network, first: computed (Brandes ${ms(computed.ms)} ms)`, ms(wholeCold), "", "", "once per version"]);
      table.push([`networkMetrics, whole network, again x20 (${warmHits} cache hits)`, ms(quantile(wholeWarm, 0.5)), ms(wholeWarm.at(-1)!), "", "< 10 ms"]);
      table.push(["model load (SQL) + build", `${built.loadMs} + ${built.patchMs}`, "", "", "< 2000 ms"]);
      table.push(["server start to listening (the model loaded before the port opens)", ms(startMs), "", "", ""]);
      table.push(["first graph query after start", ms(firstQueryMs), "", "", ""]);
      table.push([`graph query after a write (model: ${refreshLoad} ms SQL + ${refreshBuild} ms patch; target patch < 10 ms)`, ms(quantile(afterWrite, 0.5)), ms(afterWrite.at(-1)!), "", ""]);
      table.push([
        "server resident memory: start / with model / peak after analyses / after criticality and communities / end / peak (MB)",
        [memoryAtStart.rss, memoryWithSnapshot.rss, memoryAfterAnalyses.peak, memoryAfterCommunities.peak, memoryAtEnd.rss, memoryAtEnd.peak].map((v) => v.toFixed(0)).join(" / "),
        "",
        "",
        "< 500 MB",
      ]);
      const widths = table[0].map((_, c) => Math.max(...table.map((r) => r[c].length)));
      const line = (r: string[]) => `| ${r.map((cell, c) => cell.padEnd(widths[c])).join(" | ")} |`;
      console.log(
        `\nPasserelle graph bench: ${size.regions} regions x ${size.organizations} organizations, ${size.referrals} referrals, ` +
          `${REQUESTS} requests per series, ${databaseUrl ? "PostgreSQL" : "PGlite"}, node ${process.version}, ` +
          `${os.cpus()[0]?.model ?? "cpu"} (network written in ${ms(generatedMs)} ms)\n`,
      );
      console.log(line(table[0]));
      console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
      for (const r of table.slice(1)) console.log(line(r));
      client.close();
    } finally {
      server.child.kill("SIGTERM");
      await server.exited;
    }
  } finally {
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
